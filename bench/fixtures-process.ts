/**
 * The fixture systems in a process of their own (`ferry fixtures`), as in a deployment,
 * where the departments' systems run on their own machines: their CPU is then theirs,
 * not the benchmark's.
 */
import { spawnFerry, stopWorker, type FerryProcess } from '../cli/ferry-process.ts';
import { generateApplicants, type Applicant } from '../fixtures/data/applicants.ts';
import type { RunningFixtures } from '../fixtures/start.ts';

/** Options of {@link startFixturesProcess}: the seed, the applicants and the faults a bench needs. */
export interface FixturesProcessOptions {
  seed: number;
  applicants: number;
  captcha: boolean;
}

/** A `ferry fixtures` child process serving the systems. */
export interface FixturesProcess extends Pick<RunningFixtures, 'urls' | 'applicants'> {
  /** The child's pid, for reading its CPU time. */
  pid: number;
  /** Stops it (SIGTERM) and waits for it to exit. */
  stop(): Promise<void>;
}

/** The first line the child prints, or an error with its stderr if it exits first. */
function firstLine(child: FerryProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const onData = () => {
      const newline = child.out().indexOf('\n');
      if (newline < 0) return;
      settle();
      resolve(child.out().slice(0, newline));
    };
    const onExit = (code: number | null) => {
      settle();
      reject(new Error(`ferry fixtures exited (${code}) before serving: ${child.err().trim().slice(-500)}`));
    };
    const settle = () => {
      child.stdout!.off('data', onData);
      child.off('exit', onExit);
    };
    child.stdout!.on('data', onData);
    child.on('exit', onExit);
  });
}

/** Starts the fixture systems in a child process; resolves once they listen. */
export async function startFixturesProcess(options: FixturesProcessOptions): Promise<FixturesProcess> {
  const child = spawnFerry([
    'fixtures', '--json', '--seed', String(options.seed), '--applicants', String(options.applicants),
    '--latency', '0', '--captcha', options.captcha ? 'on' : 'off',
  ], {});
  try {
    const urls = JSON.parse(await firstLine(child)) as RunningFixtures['urls'];
    // The child generated the same applicants from the same seed and count.
    const applicants: Applicant[] = generateApplicants({ seed: options.seed, count: options.applicants });
    return { urls, applicants, pid: child.pid!, stop: async () => void (await stopWorker(child)) };
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}
