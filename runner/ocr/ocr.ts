/**
 * Folder `runner/ocr/`: reading images: the tesseract.js pool and its generations, local
 * language data, image preprocessing, glyph splitting and captchas.
 *
 * The OCR pool behind `ctx.ocr`: a small set of tesseract.js workers per language,
 * started on the first read (a process that never reads pays nothing) and replaced
 * after a number of reads, because a worker's memory grows as it works.
 */
import { OcrGeneration, type TesseractParams } from './generation.ts';
import { assertTessdata, OcrSetupError } from './setup.ts';
import type { Ocr, OcrReadOptions } from './types.ts';

export { OcrSetupError } from './setup.ts';

/** A language tesseract has data for here. */
export type OcrLanguage = 'eng' | 'chi_sim';

export interface OcrPoolOptions {
  /** Directory holding `<lang>.traineddata`, e.g. Debian's `/usr/share/tesseract-ocr/5/tessdata`. */
  tessdataDir: string;
  /** Workers per language (each read's `lang` gets its own set). @defaultValue 1 */
  size?: number;
  /**
   * Reads per worker after which workers are terminated and replaced. A language's
   * workers are replaced together, after `size × recycleAfterJobs` reads.
   * @defaultValue 200
   */
  recycleAfterJobs?: number;
  /** Languages reads may ask for; all their files are checked before the first worker starts. @defaultValue ['eng', 'chi_sim'] */
  langs?: readonly OcrLanguage[];
}

/** What the pool has done so far. */
export interface OcrPoolStats {
  /** Workers running now, across languages. */
  workers: number;
  /** Reads finished, successful or not. */
  jobsDone: number;
  /** Workers terminated and replaced because they reached `recycleAfterJobs`. */
  recycled: number;
}

export class OcrPool implements Ocr {
  private readonly size: number;
  private readonly recycleAfterJobs: number;
  private readonly langs: readonly OcrLanguage[];
  /** The generation taking new reads, per `lang`. */
  private readonly current = new Map<string, OcrGeneration>();
  private readonly retiring = new Set<OcrGeneration>();
  private tessdataChecked?: Promise<void>;
  private jobsDone = 0;
  private recycled = 0;
  private closed = false;

  constructor(private readonly options: OcrPoolOptions) {
    this.size = options.size ?? 1;
    this.recycleAfterJobs = options.recycleAfterJobs ?? 200;
    this.langs = options.langs ?? ['eng', 'chi_sim'];
    if (!(this.size >= 1 && this.recycleAfterJobs >= 1)) throw new RangeError('size and recycleAfterJobs must be at least 1');
  }

  /** Reads the text in a PNG, trimmed. Throws {@link OcrSetupError} when language data is missing. */
  async read(png: Buffer, options: OcrReadOptions = {}): Promise<string> {
    const lang = options.lang ?? 'eng';
    this.assertOpen();
    const unknown = lang.split('+').filter((part) => !this.langs.includes(part as OcrLanguage));
    if (unknown.length > 0) throw new OcrSetupError(`this OCR pool does not serve ${unknown.join('+')}; it serves ${this.langs.join(', ')}`);
    await this.checkTessdata();
    this.assertOpen();
    const params: TesseractParams = {
      tessedit_pageseg_mode: String(options.psm ?? 7),
      tessedit_char_whitelist: options.whitelist ?? '',
    };
    const generation = this.generationFor(lang);
    const reading = generation.recognize(png, params);
    if (generation.jobsTaken >= this.size * this.recycleAfterJobs) this.recycle(lang, generation);
    try {
      return (await reading).trim();
    } catch (error) {
      if (generation.failed && this.current.get(lang) === generation) this.current.delete(lang);
      throw error;
    } finally {
      this.jobsDone++;
    }
  }

  /** Counts of workers, reads and recycled workers. */
  stats(): OcrPoolStats {
    let workers = 0;
    for (const generation of [...this.current.values(), ...this.retiring]) workers += generation.liveWorkers;
    return { workers, jobsDone: this.jobsDone, recycled: this.recycled };
  }

  /** Lets the reads in flight finish, then terminates every worker. Later reads throw. */
  async close(): Promise<void> {
    this.closed = true;
    const generations = [...this.current.values(), ...this.retiring];
    this.current.clear();
    await Promise.all(generations.map((generation) => generation.retire()));
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the OCR pool is closed');
  }

  private checkTessdata(): Promise<void> {
    this.tessdataChecked ??= assertTessdata(this.options.tessdataDir, this.langs).catch((error: unknown) => {
      this.tessdataChecked = undefined;
      throw error;
    });
    return this.tessdataChecked;
  }

  /** The generation for `lang`, started if there is none, with this read counted. */
  private generationFor(lang: string): OcrGeneration {
    let generation = this.current.get(lang);
    if (!generation) {
      generation = new OcrGeneration(lang, this.size, this.options.tessdataDir);
      this.current.set(lang, generation);
    }
    generation.jobsTaken++;
    return generation;
  }

  /** Sends later reads to a fresh generation; the old one ends after its last read. */
  private recycle(lang: string, generation: OcrGeneration): void {
    this.current.delete(lang);
    this.retiring.add(generation);
    this.recycled += this.size;
    void generation.retire().finally(() => this.retiring.delete(generation));
  }
}
