/**
 * A private Ferry for a benchmark: Redis (the embedded one unless REDIS_URL is set), the
 * fixture systems, a runtime in a namespace of its own with the fixtures' credentials,
 * and enough enterable cases. Closing it wipes the namespace, so a benchmark leaves
 * nothing behind in Redis.
 */
import { randomBytes } from 'node:crypto';
import { startFixtures, type RunningFixtures } from '../fixtures/start.ts';
import { botUrlsOf, storeFixtureCredentials } from '../fixtures/wiring.ts';
import type { FerryConfig } from '../runner/config.ts';
import { wipeNamespace } from '../cli/demo.ts';
import { openRuntime, type Runtime } from '../runner/runtime.ts';
import { triggerRun } from '../runner/run/trigger.ts';
import { enterableCases } from '../fixtures/cases.ts';

export const BENCH_RECIPE = 'flexible-worker-enrollment';

/** A running private Ferry. */
export interface PrivateFerry {
  runtime: Runtime;
  fixtures: RunningFixtures;
  botUrls: Record<string, string>;
  /** Case numbers the enrollment recipe enters cleanly, each usable once. */
  cases: string[];
  /** The environment a `ferry worker` child process needs to join this Ferry. */
  env: Record<string, string>;
  /** Triggers an enrollment run for a case; returns its job id. */
  trigger(caseNo: string, via: 'staff' | 'cli'): Promise<string>;
  stop(): Promise<void>;
}

/** About half the generated applicants are enterable; ask for enough, with a margin. */
const applicantsFor = (cases: number) => Math.max(300, Math.ceil(cases * 2.2) + 100);

/** A runtime in a fresh namespace `bench-<name>-<random>`; its `close()` wipes the namespace first. */
export async function openBenchRuntime(config: FerryConfig, name: string): Promise<Runtime> {
  const namespace = `bench-${name}-${randomBytes(3).toString('hex')}`;
  const runtime = await openRuntime({ ...config, namespace }, { role: `bench-${name}` });
  const close = runtime.close;
  return Object.assign(runtime, {
    close: async () => {
      await wipeNamespace(runtime);
      await close();
    },
  });
}

/** Starts a private Ferry holding at least `cases` enterable cases. */
export async function startPrivateFerry(config: FerryConfig, name: string, cases: number): Promise<PrivateFerry> {
  const runtime = await openBenchRuntime(config, name);
  let fixtures: RunningFixtures | undefined;
  try {
    fixtures = await startFixtures({ applicants: applicantsFor(cases) });
    await storeFixtureCredentials(runtime.credentials);
  } catch (error) {
    await runtime.close();
    throw error;
  }
  const botUrls = botUrlsOf(fixtures.urls);
  const recipe = runtime.recipes.get(BENCH_RECIPE);
  const env: Record<string, string> = {
    REDIS_URL: runtime.redisUrl,
    FERRY_DATA_DIR: config.dataDir,
    FERRY_NAMESPACE: runtime.config.namespace,
    CHROMIUM_PATH: config.chromiumPath,
    ...(config.secretKey ? { FERRY_SECRET_KEY: config.secretKey } : {}),
    ...Object.fromEntries(Object.entries(botUrls).map(([bot, url]) => [`FERRY_URL_${bot.toUpperCase().replaceAll('-', '_')}`, url])),
  };
  return {
    runtime, fixtures, botUrls, env,
    cases: enterableCases(fixtures.applicants).map((applicant) => applicant.caseNo),
    trigger: async (caseNo, via) => {
      const job = await triggerRun(runtime.queue, recipe, { caseNo }, {
        trigger: { via, by: `cli:bench-${name}` }, hash: (value) => runtime.secrets.keyedHash(value), attempts: config.attempts,
      });
      return job.id!;
    },
    stop: async () => {
      await fixtures.stop();
      await runtime.close();
    },
  };
}
