/**
 * Checks that tesseract's language data is on disk before a worker loads it. A
 * missing or legacy-only `.traineddata` must fail here, with a message that says
 * what to install: inside tesseract.js 7 a failed initialisation either hangs the
 * worker or throws from its message handler, where nothing can catch it.
 */
import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Language data is missing or unusable. Not retryable: the machine needs a package. */
export class OcrSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OcrSetupError';
  }
}

const INSTALL_HINT = 'install it with `apt-get install tesseract-ocr-eng tesseract-ocr-chi-sim`';
/** Index of the LSTM model in a traineddata file's offset table (tesseract's `TESSDATA_LSTM`). */
const LSTM_ENTRY = 17;

/** The path of a language's data file in `tessdataDir`. */
export function traineddataPath(tessdataDir: string, lang: string): string {
  return join(tessdataDir, `${lang}.traineddata`);
}

/**
 * Throws {@link OcrSetupError} unless `tessdataDir` holds an LSTM model for every
 * language in `langs` (e.g. `['eng', 'chi_sim']`).
 */
export async function assertTessdata(tessdataDir: string, langs: readonly string[]): Promise<void> {
  const dir = await stat(tessdataDir).catch(() => undefined);
  if (!dir?.isDirectory()) {
    throw new OcrSetupError(`tesseract language data directory ${tessdataDir} does not exist; ${INSTALL_HINT}`);
  }
  for (const lang of langs) await assertLstmModel(traineddataPath(tessdataDir, lang));
}

/** A traineddata file starts with its entry count (uint32) and an int64 offset per entry, -1 when absent. */
async function assertLstmModel(file: string): Promise<void> {
  const handle = await open(file).catch(() => undefined);
  if (!handle) throw new OcrSetupError(`tesseract language file ${file} is missing; ${INSTALL_HINT}`);
  try {
    const header = Buffer.alloc(4 + 8 * (LSTM_ENTRY + 1));
    const { bytesRead } = await handle.read(header, 0, header.length, 0);
    const entries = bytesRead >= 4 ? header.readUInt32LE(0) : 0;
    const hasLstm = bytesRead === header.length && entries > LSTM_ENTRY && header.readBigInt64LE(4 + 8 * LSTM_ENTRY) >= 0n;
    if (!hasLstm) throw new OcrSetupError(`tesseract language file ${file} has no LSTM model (damaged or legacy-only); ${INSTALL_HINT}`);
  } finally {
    await handle.close();
  }
}
