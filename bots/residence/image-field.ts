/**
 * Validated OCR of a value a legacy page shows only as an image (an ID or permit
 * number). A read that fails the field's check is tried again another way; a field
 * without a check digit needs two readings that fail differently to agree. A value
 * no reading settles is a BusinessError, so the record goes to review: the reader
 * never returns a guess.
 */
import { BusinessError, type Ocr, preprocess, type PreprocessOptions, splitGlyphs } from '../../runner/index.ts';

/** What to read in an image and how to tell a good read. */
export interface ImageField {
  /** The field's name in the error, Chinese then English: `['身份证号', 'the ID number']`. */
  label: readonly [zh: string, en: string];
  /** Every character the value may contain, e.g. `0123456789X`. */
  whitelist: string;
  /** True when a read (spaces removed) is a well-formed value. */
  isValid(text: string): boolean;
  /**
   * Readings that must agree before a value is accepted: 1 when the check catches
   * misreads (a check digit), 2 when it only checks the shape.
   * @defaultValue 1
   */
  agreeingReads?: number;
}

/** One way of reading the image's text. */
type Reading = (ocr: Ocr, png: Buffer, whitelist: string) => Promise<string>;

/** The image as one line of text, after `options`. */
const asLine = (options: PreprocessOptions): Reading => async (ocr, png, whitelist) =>
  ocr.read(await preprocess(png, options), { whitelist, psm: 7 });

/** Character by character, each cut out at the blank columns; a glyph not read as one character spoils the read. */
const byGlyph: Reading = async (ocr, png, whitelist) => {
  const glyphs = await splitGlyphs(await preprocess(png, { scale: 2 }));
  const characters = await Promise.all(glyphs.map(async (glyph) => (await ocr.read(glyph, { whitelist, psm: 10 })).trim()));
  return characters.every((character) => character.length === 1) ? characters.join('') : '';
};

/**
 * The readings tried in turn. A line read and a glyph-by-glyph read fail in
 * different ways, so their agreement is worth something: on numbers drawn with
 * captcha noise, two line reads agreed on a wrong permit number 4 times in 150, a
 * line read and the glyph read never did. The binarised read is the last resort.
 */
const READINGS: readonly Reading[] = [
  asLine({ scale: 2 }),
  byGlyph,
  asLine({ scale: 3, threshold: 160, padding: 12 }),
];

/**
 * No reading of an image settled its value: a BusinessError (the record is refused unless a
 * person reads the image instead), carrying the image so a recipe can show it to one.
 */
export class UnreadableImageError extends BusinessError {
  constructor(field: ImageField, readonly png: Buffer) {
    super(`无法可靠识别${field.label[0]} (could not read ${field.label[1]} reliably)`);
  }
}

/** The value in `png`, checked; an {@link UnreadableImageError} naming the field when no read is reliable. */
export async function readImageField(ocr: Ocr, png: Buffer, field: ImageField): Promise<string> {
  const needed = field.agreeingReads ?? 1;
  let candidate: string | undefined;
  let votes = 0;
  for (const reading of READINGS) {
    const text = (await reading(ocr, png, field.whitelist)).replace(/\s/g, '');
    if (!field.isValid(text)) continue;
    if (candidate !== undefined && text !== candidate) break;
    candidate = text;
    if (++votes >= needed) return text;
  }
  throw new UnreadableImageError(field, png);
}
