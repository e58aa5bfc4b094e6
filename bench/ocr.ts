/**
 * `ferry bench ocr`: how well OCR does the two jobs bots give it. Captchas are solved
 * with `readCaptcha` as the medical-insurance login does, one OCR worker as a Ferry
 * worker has; number images are read with the residence bot's validated reader,
 * where a rejected read is a miss and an accepted wrong value must never happen.
 */
import { CAPTCHA_ALPHABET } from '../bots/medical-insurance/login.ts';
import { readImageField } from '../bots/residence/image-field.ts';
import { readCaptcha } from '../runner/ocr/captcha.ts';
import { OcrPool } from '../runner/ocr/ocr.ts';
import { captchaSamples, fieldSamples } from './ocr-samples.ts';

/** Options of {@link runOcrBench}. */
export interface OcrBenchOptions {
  /** Captchas to solve. @defaultValue 300 */
  captchas?: number;
  /** Number images to read, ID and permit numbers in turn. @defaultValue 200 */
  imageFields?: number;
  /** Seed of the captchas and applicants. @defaultValue 20260301 */
  seed?: number;
  /** Tesseract language data. @defaultValue '/usr/share/tesseract-ocr/5/tessdata' */
  tessdataDir?: string;
  /** Called with a progress line now and then. */
  onProgress?: (line: string) => void;
}

/** The figures `ferry bench ocr --json` prints. */
export interface OcrBenchResult {
  captchas: number;
  /** Captchas whose first reading was the answer (a login submits that reading). */
  solvedFirstTry: number;
  /** `solvedFirstTry / captchas`. Target ≥ 0.95. */
  solveRate: number;
  /** Median time to solve one captcha, in milliseconds. */
  p50Ms: number;
  imageFields: number;
  /** Share of number images read to the right value; a rejected read counts as a miss. Target ≥ 0.99. */
  imageFieldAccuracy: number;
  /** Number images read as a wrong value and accepted. Must be 0. */
  wrongAccepted: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? 0 : Math.round(sorted[Math.floor(sorted.length / 2)]);
}

const ratio = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part / whole) * 10_000) / 10_000);

/** Runs the benchmark with a fresh OCR pool and closes it after. */
export async function runOcrBench(options: OcrBenchOptions = {}): Promise<OcrBenchResult> {
  const { captchas = 300, imageFields = 200, seed = 20260301, onProgress = () => {} } = options;
  const ocr = new OcrPool({ tessdataDir: options.tessdataDir ?? '/usr/share/tesseract-ocr/5/tessdata', langs: ['eng'] });
  try {
    let solvedFirstTry = 0;
    const durations: number[] = [];
    for (const [i, { png, truth }] of captchaSamples(captchas, seed).entries()) {
      const started = performance.now();
      const answer = await readCaptcha(ocr, png, { alphabet: CAPTCHA_ALPHABET, length: 4 });
      durations.push(performance.now() - started);
      if (answer === truth) solvedFirstTry++;
      if ((i + 1) % 50 === 0) onProgress(`captchas: ${i + 1}/${captchas}, ${solvedFirstTry} solved`);
    }
    let accurate = 0;
    let wrongAccepted = 0;
    for (const [i, { png, truth, field }] of fieldSamples(imageFields, seed).entries()) {
      const value = await readImageField(ocr, png, field).catch((error: Error) => {
        if (error.name !== 'BusinessError') throw error;
        return null;
      });
      if (value === truth) accurate++;
      else if (value !== null) wrongAccepted++;
      if ((i + 1) % 50 === 0) onProgress(`number images: ${i + 1}/${imageFields}, ${accurate} right`);
    }
    return {
      captchas, solvedFirstTry, solveRate: ratio(solvedFirstTry, captchas), p50Ms: median(durations),
      imageFields, imageFieldAccuracy: ratio(accurate, imageFields), wrongAccepted,
    };
  } finally {
    await ocr.close();
  }
}
