/**
 * Splits a line of separate characters (a captcha) into one image per character, at
 * the columns without ink. Tesseract reads a lone, upright, padded glyph far better
 * than a jittered, rotated line of them.
 */
import { type InkMask, inkMask, maskToPng } from './image.ts';

export interface SplitGlyphsOptions {
  /** Luminance (0–255) below which a pixel counts as ink. @defaultValue 128 */
  threshold?: number;
  /** White border around each glyph, in pixels. @defaultValue 10 */
  padding?: number;
  /** Glyphs with fewer ink pixels are noise and dropped. @defaultValue 8 */
  minInk?: number;
}

/** One PNG per character, left to right, each cropped to its ink and padded. */
export async function splitGlyphs(png: Buffer, options: SplitGlyphsOptions = {}): Promise<Buffer[]> {
  const { threshold = 128, padding = 10, minInk = 8 } = options;
  const mask = await inkMask(png, { threshold });
  return columnRuns(mask)
    .map(([from, to]) => cropToInk(mask, from, to))
    .filter((glyph) => glyph.ink.reduce((sum, pixel) => sum + pixel, 0) >= minInk)
    .map((glyph) => maskToPng(glyph, padding));
}

/** `[from, to)` column ranges with ink, separated by columns without. */
function columnRuns(mask: InkMask): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  let start = -1;
  for (let x = 0; x <= mask.width; x++) {
    const inked = x < mask.width && columnHasInk(mask, x);
    if (inked && start < 0) start = x;
    if (!inked && start >= 0) {
      runs.push([start, x]);
      start = -1;
    }
  }
  return runs;
}

function columnHasInk(mask: InkMask, x: number): boolean {
  for (let y = 0; y < mask.height; y++) if (mask.ink[y * mask.width + x]) return true;
  return false;
}

/** Columns `[from, to)` of the mask, without the blank rows above and below. */
function cropToInk(mask: InkMask, from: number, to: number): InkMask {
  const width = to - from;
  const rows = Array.from({ length: mask.height }, (_, y) => y).filter((y) =>
    mask.ink.subarray(y * mask.width + from, y * mask.width + to).some(Boolean),
  );
  const top = rows[0];
  const height = rows[rows.length - 1] - top + 1;
  const ink = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) ink.set(mask.ink.subarray((top + y) * mask.width + from, (top + y) * mask.width + to), y * width);
  return { width, height, ink };
}
