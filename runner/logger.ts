/**
 * Ferry's pino logger. Every object and message passes through the masking serializers,
 * and credential-like fields are redacted outright, so no log line carries personal data.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { maskText, maskValue } from './access/mask.ts';

export type { Logger } from 'pino';

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  level: string;
  /** Directory for `ferry.log`; when unset, logs go to stderr. */
  logDir?: string;
  /** Fields every line carries, e.g. `{ role: 'worker' }`. */
  base?: Record<string, unknown>;
}

const REDACTED_PATHS = ['password', '*.password', 'credentials', '*.credentials', 'cookie', '*.cookie', 'secret', '*.secret'];

/** Creates the process logger; children inherit its masking. */
export function createLogger(options: LoggerOptions): Logger {
  let destination: pino.DestinationStream = pino.destination(2);
  if (options.logDir) {
    mkdirSync(options.logDir, { recursive: true, mode: 0o700 });
    // Written synchronously: a line is in the file when the call returns, so a killed worker keeps
    // its last lines and whoever reads the log after an action finds them (pino's flush does not
    // wait for asynchronous writes in flight).
    destination = pino.destination({ dest: join(options.logDir, 'ferry.log'), append: true, mkdir: true, sync: true });
  }
  return pino(
    {
      level: options.level,
      base: { pid: process.pid, ...options.base },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      formatters: { log: (object) => maskValue(object) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((arg) => (typeof arg === 'string' ? maskText(arg) : arg)) as Parameters<typeof method>);
        },
      },
      serializers: { err: (error: Error) => ({ type: error.name, message: maskText(error.message), stack: maskText(error.stack ?? '') }) },
    },
    destination,
  );
}
