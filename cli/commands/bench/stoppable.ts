/**
 * How a benchmark that starts processes (a worker, Chromium, redis-server, the fixture
 * systems) stops on Ctrl-C, SIGTERM or SIGHUP: the benchmark sees `signal` aborted at its
 * next step, stops everything it started, and the command exits 130 without figures. Left to
 * Node's default, the signal would end the command at once and leave Chromium and the
 * embedded redis-server, in process groups of their own, running.
 */
import { config } from '../../../runner/config.ts';
import { note } from '../../output.ts';
import { runUntilStopped } from '../../shutdown.ts';

/** Exit code of a command ended by SIGINT, as a shell reports it. */
const STOPPED_EXIT_CODE = 130;

/** Runs `ferry bench <name>`'s body with stop signals handled; `signal` is aborted by the first one. */
export async function runStoppableBench(name: string, body: (signal: AbortSignal) => Promise<void>): Promise<void> {
  await runUntilStopped({ graceMs: config().stopGraceMs }, async ({ stopping }) => {
    try {
      await body(stopping);
    } catch (error) {
      if (!stopping.aborted) throw error;
      note(`ferry bench ${name}: stopped before it finished, so it has no figures; everything it started is stopped`);
      process.exitCode = STOPPED_EXIT_CODE;
    }
  });
}
