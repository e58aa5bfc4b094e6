/**
 * Solving a legacy login's image captcha: separate characters drawn with jitter,
 * rotation, noise lines and dots. Each character is read on its own; a captcha whose
 * characters touch is read as one line instead.
 */
import { splitGlyphs } from './glyphs.ts';
import { preprocess } from './image.ts';
import type { Ocr } from './types.ts';

export interface CaptchaOptions {
  /** Every character the captcha may use, e.g. `ABCDEFHJKMNPRSTUVWXYZ2345678`. */
  alphabet: string;
  /** Characters in an answer; when the image splits into another count, it is read as one line. */
  length?: number;
}

/** Tesseract's single-character mode sometimes returns nothing; then a word, then a raw line. */
const GLYPH_MODES = [10, 8, 13];

/** The captcha's text as best OCR can tell. A wrong answer costs one more login attempt. */
export async function readCaptcha(ocr: Ocr, png: Buffer, options: CaptchaOptions): Promise<string> {
  const whitelist = options.alphabet;
  const glyphs = await splitGlyphs(png);
  if (glyphs.length === 0 || (options.length !== undefined && glyphs.length !== options.length)) {
    return withoutSpaces(await ocr.read(await preprocess(png, { scale: 2 }), { whitelist, psm: 7 }));
  }
  const characters = await Promise.all(glyphs.map((glyph) => readGlyph(ocr, glyph, whitelist)));
  return characters.join('');
}

async function readGlyph(ocr: Ocr, glyph: Buffer, whitelist: string): Promise<string> {
  for (const psm of GLYPH_MODES) {
    const text = withoutSpaces(await ocr.read(glyph, { whitelist, psm }));
    if (text) return text[0];
  }
  return '';
}

function withoutSpaces(text: string): string {
  return text.replace(/\s/g, '');
}
