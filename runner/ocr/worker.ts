/**
 * Starts one tesseract.js worker that uses only what is on this machine: the wasm
 * core from `node_modules/tesseract.js-core` (tesseract.js's Node build `require`s
 * it and ignores `corePath`) and language data read from a local directory.
 */
import { createWorker, OEM, type Worker } from 'tesseract.js';
import { OcrSetupError } from './setup.ts';

/**
 * Options that keep tesseract.js off the network. A local `langPath` is read with
 * `fs.readFile` instead of fetched; `gzip: false` reads `eng.traineddata`, not
 * `eng.traineddata.gz`; `cacheMethod: 'none'` neither reads nor writes a cached copy
 * in the working directory.
 */
function localOptions(tessdataDir: string, onError: (error: unknown) => void) {
  return { langPath: tessdataDir, gzip: false, cacheMethod: 'none', errorHandler: onError };
}

/**
 * A ready worker for `lang` (`eng`, `chi_sim` or `eng+chi_sim`). It runs the LSTM
 * engine only: Debian's data packages (from tessdata_fast) carry no legacy model.
 */
export function createOcrWorker(lang: string, tessdataDir: string): Promise<Worker> {
  return new Promise((resolve, reject) => {
    let ready = false;
    // Before the worker is ready, tesseract.js reports a failed start only here; its
    // own promise would never settle. Later failures also reject their job's promise.
    const onError = (error: unknown) => {
      if (!ready) reject(new OcrSetupError(`tesseract could not start for ${lang}: ${String(error)}`));
    };
    createWorker(lang, OEM.LSTM_ONLY, localOptions(tessdataDir, onError)).then((worker) => {
      ready = true;
      resolve(worker);
    }, onError);
  });
}
