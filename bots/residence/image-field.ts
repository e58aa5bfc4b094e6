/**
 * Validated OCR of a value a legacy page shows only as an image (an ID or permit
 * number). A read that fails the field's check is tried again with other
 * preprocessing; a field without a check digit needs reads from two preprocessings
 * that agree. A value no read settles is a BusinessError, so the record goes to
 * review: the reader never returns a guess.
 */
import { BusinessError } from '../../runner/errors.ts';
import { preprocess, type PreprocessOptions } from '../../runner/ocr-image.ts';
import type { Ocr } from '../../runner/ocr-types.ts';

/** What to read in an image and how to tell a good read. */
export interface ImageField {
  /** The field's name in the error, Chinese then English: `['身份证号', 'the ID number']`. */
  label: readonly [zh: string, en: string];
  /** Every character the value may contain, e.g. `0123456789X`. */
  whitelist: string;
  /** True when a read (spaces removed) is a well-formed value. */
  isValid(text: string): boolean;
  /**
   * Reads from different preprocessings that must agree before a value is accepted:
   * 1 when the check catches misreads (a check digit), 2 when it only checks the shape.
   * @defaultValue 1
   */
  agreeingReads?: number;
}

/**
 * The preprocessings tried in turn. 20px digits read best enlarged; twice and three
 * times the size resample differently, and the binarised variant fails differently
 * again, so their agreement is worth something.
 */
const PREPROCESSINGS: readonly PreprocessOptions[] = [
  { scale: 2 },
  { scale: 3 },
  { scale: 3, threshold: 160, padding: 12 },
];

/** The value in `png`, checked; a BusinessError naming the field when no read is reliable. */
export async function readImageField(ocr: Ocr, png: Buffer, field: ImageField): Promise<string> {
  const needed = field.agreeingReads ?? 1;
  let candidate: string | undefined;
  let votes = 0;
  for (const options of PREPROCESSINGS) {
    const text = (await ocr.read(await preprocess(png, options), { whitelist: field.whitelist, psm: 7 })).replace(/\s/g, '');
    if (!field.isValid(text)) continue;
    if (candidate !== undefined && text !== candidate) break;
    candidate = text;
    if (++votes >= needed) return text;
  }
  throw new BusinessError(`无法可靠识别${field.label[0]} (could not read ${field.label[1]} reliably)`);
}
