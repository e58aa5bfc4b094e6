/** Where the `ferry` command's entry point is, for code that starts Ferry processes (workers, benchmarks, tests). */
import { join } from 'node:path';

/** The absolute path of `bin/ferry.js`; run it with `process.execPath`. */
export const FERRY_BIN = join(import.meta.dirname, '..', '..', 'bin', 'ferry.js');
