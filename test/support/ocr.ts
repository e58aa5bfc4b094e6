/** A real tesseract OCR pool for a test file or describe: started lazily, closed after. */
import { afterAll } from 'vitest';
import { OcrPool, type OcrPoolOptions } from '../../runner/ocr/ocr.ts';

/** Debian's tesseract language data, as the runner's default config has it. */
export const TESSDATA = '/usr/share/tesseract-ocr/5/tessdata';

/** Registers an afterAll that closes the pool; the pool starts its workers on first use. */
export function useOcr(options: Partial<OcrPoolOptions> = {}): OcrPool {
  const ocr = new OcrPool({ tessdataDir: TESSDATA, ...options });
  afterAll(() => ocr.close());
  return ocr;
}
