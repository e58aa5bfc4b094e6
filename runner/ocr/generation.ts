/**
 * One generation of OCR workers: a tesseract.js scheduler with a fixed set of
 * workers for one language. A tesseract.js scheduler cannot drop a worker, so the
 * pool recycles whole generations: once a generation has taken its share of jobs,
 * new reads go to a fresh one, and this one is terminated when its last read ends.
 */
import { createScheduler, type RecognizeOptions, type Worker } from 'tesseract.js';
import { createOcrWorker } from './worker.ts';

/** Tesseract parameters for one job, e.g. `{ tessedit_pageseg_mode: '7' }`. */
export type TesseractParams = Record<string, string>;

/** A scheduler and its workers for one language, from first read to termination. */
export class OcrGeneration {
  /** Reads handed to this generation, counted when handed over. */
  jobsTaken = 0;
  /** Set when a worker failed to start; the pool then replaces the generation. */
  failed = false;
  private started = 0;
  private inFlight = 0;
  private retirement?: Promise<void>;
  private terminated = false;
  private readonly scheduler = createScheduler();
  private readonly workers: Promise<Worker[]>;
  private drained?: () => void;

  constructor(lang: string, size: number, tessdataDir: string) {
    this.workers = startAll(Array.from({ length: size }, () => createOcrWorker(lang, tessdataDir)));
    this.workers.then(
      (workers) => {
        this.started = workers.length;
        workers.forEach((worker) => this.scheduler.addWorker(worker));
      },
      () => (this.failed = true),
    );
  }

  /** Workers started and not yet terminated. */
  get liveWorkers(): number {
    return this.terminated ? 0 : this.started;
  }

  /**
   * Recognises one PNG. The parameters apply to this job only: tesseract.js saves the
   * worker's parameters before the job and restores them after it, and a worker runs
   * one job at a time, so concurrent reads with different parameters don't mix.
   */
  async recognize(png: Buffer, params: TesseractParams): Promise<string> {
    this.inFlight++;
    try {
      await this.workers;
      // tesseract.js 7 passes job options it doesn't know on to tesseract; its types list only its own.
      const result = await this.scheduler.addJob('recognize', png, params as Partial<RecognizeOptions>);
      return result.data.text;
    } catch (error) {
      // tesseract.js rejects with the bare message string.
      throw error instanceof Error ? error : new Error(`tesseract could not read the image: ${String(error)}`);
    } finally {
      this.inFlight--;
      if (this.retirement && this.inFlight === 0) await this.terminate();
    }
  }

  /** Ends the generation (the pool sends it no more reads): resolves once its reads have ended and its workers are gone. */
  retire(): Promise<void> {
    this.retirement ??= this.inFlight > 0 ? new Promise<void>((resolve) => (this.drained = resolve)) : this.terminate();
    return this.retirement;
  }

  private async terminate(): Promise<void> {
    if (this.terminated) return;
    this.terminated = true;
    const workers = await this.workers.catch(() => []);
    await Promise.all(workers.map((worker) => worker.terminate()));
    this.drained?.();
  }
}

/** All the workers, or the first failure after terminating the ones that did start. */
async function startAll(starting: Promise<Worker>[]): Promise<Worker[]> {
  const settled = await Promise.allSettled(starting);
  const failure = settled.find((result) => result.status === 'rejected');
  const workers = settled.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  if (!failure) return workers;
  await Promise.all(workers.map((worker) => worker.terminate()));
  throw failure.reason;
}
