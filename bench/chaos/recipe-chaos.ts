/**
 * `ferry chaos --recipe <id>`: the same proof on any recipe, for an integrator before going
 * live. Its runs go through the faults of ./fault-run.ts; then each record is looked up in the
 * target through the recipe's own `read` and `find` and compared with the ledger, and every
 * receipt a write returned (the chaos workers log them) counts a second row of one record.
 *
 * A recipe whose bots are all Ferry's fixture systems (and no `FERRY_URL_*` points them
 * elsewhere) runs against fresh fixtures whose target is also slow, busy and failing after
 * commit. Any other runs against the systems `FERRY_URL_*` names, logged in with the
 * credentials stored there; its targets get no injected errors, only the kills, the Redis
 * restart and sessions dropped by the workers.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFixtures, type RunningFixtures, type SystemName } from '../../fixtures/start.ts';
import { FIXTURE_SYSTEM_OF_BOT, storeFixtureCredentials } from '../../fixtures/wiring.ts';
import { withSessionPool } from '../../cli/session-pool-use.ts';
import { maskText } from '../../runner/access/mask.ts';
import { parseConfig, type FerryConfig } from '../../runner/config.ts';
import type { Recipe } from '../../runner/define/recipe.ts';
import { loadRecipes } from '../../runner/define/registry.ts';
import type { LedgerEntry } from '../../runner/ledger/ledger.ts';
import { RedisServer } from '../../runner/redis/redis-server.ts';
import { CHAOS_WRITE_LOG } from '../../runner/run/fault-points.ts';
import type { WrittenRecord } from '../../runner/run/executor.ts';
import { openRuntime, type Runtime } from '../../runner/runtime.ts';
import { inputsFromFile, inputsFromSchedule } from './chaos-inputs.ts';
import { chaosEnv, secondsSince, targetFaults, restartRedis } from './chaos-setup.ts';
import { expireFixtureSessions, setFixtureFaults } from '../../fixtures/control.ts';
import type { ChaosOptions, ChaosResult } from './chaos.ts';
import { runUnderFaults } from './fault-run.ts';
import { receiptsThroughFind } from './find-tally.ts';
import { tallyChaos } from './tally.ts';

/** Options of {@link runRecipeChaos}. */
export interface RecipeChaosOptions extends Omit<ChaosOptions, 'records'> {
  recipeId: string;
  /** A JSON array, or one JSON object a line, of the recipe's inputs; without it, what its schedule lists since `since`. */
  inputsFile?: string;
  /** `YYYY-MM-DD` the schedule lists from. @defaultValue 30 days ago */
  since?: string;
  /** Runs at most this many of the inputs. @defaultValue all */
  records?: number;
  /** The caller's configuration: its project dirs, and for systems other than the fixtures its `FERRY_URL_*` and stored credentials. */
  settings: FerryConfig;
}

/** The figures `ferry chaos --recipe <id> --json` prints: the default proof's, for one recipe. */
export interface RecipeChaosResult extends Omit<ChaosResult, 'housingFund' | 'unexpectedRejections' | 'asked' | 'topology' | 'hosts' | 'failOvers' | 'cuts' | 'fencedRuns' | 'hungOnStop'> {
  recipe: string;
  /** `fixtures`: fresh fixture systems with their faults; `configured`: the systems `FERRY_URL_*` names. */
  systems: 'fixtures' | 'configured';
  /** Rows the schedule listed that could not be read, left out. */
  unreadable: number;
  /** Receipts the recipe's writes returned (each entry of a record, retries included). */
  writes: number;
  /** REJECTED reasons, digits blanked and personal data masked, with their counts. */
  rejectReasons: Record<string, number>;
}

/** Whether the recipe runs against the fixture systems: every bot is one, and none is pointed elsewhere. */
function onFixtures(recipe: Recipe, settings: FerryConfig): boolean {
  return Object.values(recipe.bots).every((bot) => bot.id in FIXTURE_SYSTEM_OF_BOT && !settings.botUrls[bot.id]);
}

/** Runs the proof on one recipe and tears everything down; throws only when it could not run. */
export async function runRecipeChaos(options: RecipeChaosOptions): Promise<RecipeChaosResult> {
  const { workers = 3, kills = 20, sessionExpirySeconds = 120, onProgress = () => {}, settings } = options;
  const started = Date.now();
  const recipe = (await loadRecipes(settings.projectDirs)).get(options.recipeId);
  const fromFile = options.inputsFile ? inputsFromFile(recipe, options.inputsFile) : undefined;
  const fixtureRun = onFixtures(recipe, settings);
  const redis = await RedisServer.start(join(options.dataDir, 'redis'));
  let fixtures: RunningFixtures | undefined;
  let runtime: Runtime | undefined;
  try {
    if (fixtureRun) fixtures = await startFixtures();
    const env = { ...process.env, ...chaosEnv({ ...options, redisUrl: redis.url, urls: fixtures?.urls, secretKey: randomBytes(32).toString('hex') }) } as Record<string, string>;
    const chaosConfig = parseConfig(env);
    runtime = await openRuntime(chaosConfig, { role: 'chaos' });
    if (fixtures) await storeFixtureCredentials(runtime.credentials);
    else await copyCredentials(recipe, settings, runtime);
    const listed = fromFile ? { inputs: fromFile, unreadable: 0 } : await withSessionPool(chaosConfig, (tools, pool, ocr) =>
      inputsFromSchedule(recipe, options.since ?? daysAgo(30), { runtime: tools, pool, ocr }));
    const inputs = listed.inputs.slice(0, options.records ?? listed.inputs.length);
    if (inputs.length === 0) throw new Error(`recipe "${recipe.id}" listed no inputs since ${options.since ?? daysAgo(30)}: give an earlier --since, or --inputs <file>`);
    const targetSystem = fixtures && FIXTURE_SYSTEM_OF_BOT[recipe.bots[recipe.target].id];
    if (fixtures && targetSystem) await setFaults(fixtures.urls, targetSystem, true);
    const urls = fixtures?.urls;
    const outcome = await runUnderFaults({
      runtime, redisFault: restartRedis(redis), dataDir: options.dataDir, workerEnv: env, plans: [{ recipe, inputs }], workers, kills,
      timeoutMs: options.timeoutMs ?? 3_600_000, sessionExpirySeconds, expireSessions: urls && (() => void expireFixtureSessions(urls)),
      onProgress, signal: options.signal,
    });
    if (fixtures && targetSystem) await setFaults(fixtures.urls, targetSystem, false);
    onProgress(`chaos: looking up ${inputs.length} records in the target through ${recipe.id}'s find`);
    const found = await withSessionPool(chaosConfig, (tools, pool, ocr) => receiptsThroughFind(recipe, inputs, { pool, ocr, log: tools.log }));
    const [entries] = outcome.entries;
    const [keyIds] = outcome.keyIds;
    const written = writtenReceipts(options.dataDir, recipe.id);
    const rowsByKey = new Map(keyIds.map((keyId, i) => [keyId, [...new Set([found[i], ...(written.get(keyId) ?? [])])].filter((r): r is string => r !== null).map((serialNo) => ({ serialNo }))]));
    const { unexpectedRejections: _, ...tally } = tallyChaos(keyIds.map((key) => ({ key, mayBeRejected: true })), entries, rowsByKey);
    const { fleet } = outcome;
    return {
      recipe: recipe.id, systems: fixtures ? 'fixtures' : 'configured', records: inputs.length, unreadable: listed.unreadable, ...tally,
      stuckActive: outcome.stuckActive, kills: fleet.randomKills + fleet.inWindowKills, redisRestarts: outcome.redisFaults,
      seconds: secondsSince(started), randomKills: fleet.randomKills, inWindowKills: fleet.inWindowKills, crashes: fleet.crashes,
      writes: [...written.values()].reduce((sum, receipts) => sum + receipts.length, 0), rejectReasons: rejectReasons(entries),
    };
  } finally {
    await runtime?.close();
    await fixtures?.stop();
    await redis.stop();
  }
}

/** Latency on every fixture system and, while `on`, errors and errors after commit on the target. */
async function setFaults(urls: Record<SystemName, string>, target: SystemName, on: boolean): Promise<void> {
  const quiet = { errorRate: 0, errorAfterCommitRate: 0 };
  for (const [system, url] of Object.entries(urls)) {
    await setFixtureFaults(url, { latencyMs: on ? 30 : 0, ...(on && system === target ? targetFaults : quiet) });
  }
}

/** Stores the recipe's bots' credentials, read from the caller's own store, in the proof's private Redis. */
async function copyCredentials(recipe: Recipe, settings: FerryConfig, chaos: Runtime): Promise<void> {
  const own = await openRuntime(settings, { role: 'cli' });
  try {
    for (const bot of new Set(Object.values(recipe.bots).map((b) => b.id))) await chaos.credentials.set(bot, await own.credentials.get(bot));
  } finally {
    await own.close();
  }
}

/** Every receipt the chaos workers' writes returned for `recipe`, by key id. */
function writtenReceipts(dataDir: string, recipe: string): Map<string, string[]> {
  const file = join(dataDir, CHAOS_WRITE_LOG);
  const byKey = new Map<string, string[]>();
  if (!existsSync(file)) return byKey;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    const written = JSON.parse(line) as WrittenRecord;
    if (written.recipe === recipe) byKey.set(written.keyId, [...(byKey.get(written.keyId) ?? []), written.receipt]);
  }
  return byKey;
}

function rejectReasons(entries: (LedgerEntry | null)[]): Record<string, number> {
  const reasons: Record<string, number> = {};
  for (const entry of entries) {
    if (entry?.state !== 'REJECTED') continue;
    const reason = maskText(entry.reason ?? 'no reason').replace(/\d+/g, '#');
    reasons[reason] = (reasons[reason] ?? 0) + 1;
  }
  return reasons;
}

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
