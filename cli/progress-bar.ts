/**
 * Progress of many runs on stderr: on a terminal, one line with a bar, the count, the rate
 * and an ETA, redrawn in place; elsewhere (a log, CI), a plain line at every tenth.
 */
import { SingleBar } from 'cli-progress';
import { note } from './output.ts';

/** A progress display; `stop()` ends its line. */
export interface ProgressBar {
  update(done: number): void;
  stop(): void;
}

/** Starts showing progress towards `total` things described by `label` (e.g. "runs settled"). */
export function startProgress(total: number, label: string): ProgressBar {
  if (process.stderr.isTTY) {
    const bar = new SingleBar({
      stream: process.stderr, hideCursor: true, etaBuffer: 100,
      format: `{bar} {value}/{total} ${label} | {rate}/s | ETA {eta_formatted}`,
    });
    const started = Date.now();
    bar.start(total, 0, { rate: '0.0' });
    return {
      update: (done) => bar.update(done, { rate: (done / Math.max(0.001, (Date.now() - started) / 1000)).toFixed(1) }),
      stop: () => bar.stop(),
    };
  }
  const step = Math.max(1, Math.ceil(total / 10));
  let shown = 0;
  return {
    update: (done) => {
      if (done - shown < step && done !== total) return;
      shown = done;
      note(`  ${done}/${total} ${label}`);
    },
    stop: () => {},
  };
}
