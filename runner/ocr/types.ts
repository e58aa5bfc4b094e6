/** The OCR surface steps and logins see (`ctx.ocr`). */
export interface OcrReadOptions {
  /** Characters tesseract may return, e.g. `0123456789X`. */
  whitelist?: string;
  /** Tesseract page segmentation mode; 7 = a single line. @defaultValue 7 */
  psm?: number;
  /** Language data to use. @defaultValue 'eng' */
  lang?: 'eng' | 'chi_sim' | 'eng+chi_sim';
}

export interface Ocr {
  /** Reads the text in a PNG. */
  read(png: Buffer, options?: OcrReadOptions): Promise<string>;
}
