/**
 * Reading one of the residence system's number images: an image the page could not
 * load is transient (a 500 or a dropped connection, retried by the runner); one that
 * loaded but does not read reliably is a BusinessError from {@link readImageField}.
 */
import type { Ocr } from '../../runner/index.ts';
import { type ImageField, readImageField } from './image-field.ts';

/** The number in `png`, validated as `field`. */
export async function readNumberImage(ocr: Ocr, png: Buffer | null, field: ImageField): Promise<string> {
  if (!png) throw new Error(`the ${field.label[1]} image did not load`);
  return readImageField(ocr, png, field);
}
