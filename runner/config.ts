/**
 * Ferry's configuration: parsed once from the environment with zod at start-up.
 * Nothing else in Ferry reads `process.env`.
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import { redisUrlProblem } from './redis/redis-url.ts';

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const Environment = z.object({
  REDIS_URL: z.string().superRefine((url, ctx) => {
    const problem = redisUrlProblem(url);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }).optional(),
  FERRY_ALLOW_UNSAFE_REDIS: z.enum(['0', '1']).default('0'),
  FERRY_DATA_DIR: z.string().min(1).default('./.ferry'),
  FERRY_NAMESPACE: z.string().regex(/^[a-z0-9-]+$/, 'lower-case letters, digits and dashes only').default('ferry'),
  CHROMIUM_PATH: z.string().min(1).default('/usr/bin/chromium'),
  FERRY_SECRET_KEY: z.string().optional(),
  FERRY_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  FERRY_CONCURRENCY: positiveInt(2),
  FERRY_CONTEXT_MAX_RUNS: positiveInt(200),
  FERRY_EVIDENCE_RETENTION_DAYS: positiveInt(30),
  FERRY_ATTEMPTS: positiveInt(5),
  FERRY_LOCK_MS: positiveInt(30_000),
  FERRY_STOP_GRACE_MS: z.coerce.number().int().min(1_000, 'at least 1000 (1 s)').max(3_600_000, 'at most 3600000 (1 h)').default(60_000),
  FERRY_TESSDATA_DIR: z.string().default('/usr/share/tesseract-ocr/5/tessdata'),
  FERRY_METRICS_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
  /** Test-only fault points for the chaos tests (see runner/fault-points.ts); never set in normal runs. */
  FERRY_FAULT_POINT: z.enum(['after-write-before-ledger', 'stop-before-write', 'after-done-before-verify']).optional(),
});

/** The parsed configuration. */
export interface FerryConfig {
  /**
   * Redis to use: `redis://[user:password@]host:port[/db]`, `rediss://…` (TLS) or
   * `unix:///path/to/redis.sock[?username=…&password=…]`; unset starts the embedded one under the data dir.
   */
  redisUrl?: string;
  /** Accept a Redis without `appendonly yes` and `appendfsync always` (`FERRY_ALLOW_UNSAFE_REDIS=1`). @defaultValue false */
  allowUnsafeRedis: boolean;
  dataDir: string;
  /** Prefix of every Redis key (a Cluster hash tag is added around it). @defaultValue ferry */
  namespace: string;
  chromiumPath: string;
  /** 32-byte key for credentials, hex or base64; unset uses `<dataDir>/secret.key`. */
  secretKey?: string;
  logLevel: string;
  /** Runs a worker process executes at once. @defaultValue 2 */
  concurrency: number;
  /** Runs after which a browser context is recycled. @defaultValue 200 */
  contextMaxRuns: number;
  evidenceRetentionDays: number;
  /** Attempts per run for transient errors. @defaultValue 5 */
  attempts: number;
  /** BullMQ job lock and ledger lease: how long a silent worker keeps a run. @defaultValue 30000 */
  lockMs: number;
  /**
   * After the first SIGINT or SIGTERM, how long a long-running command waits for work in
   * flight before it stops at once. @defaultValue 60000
   */
  stopGraceMs: number;
  tessdataDir: string;
  /** When set, `/metrics` wants `Authorization: Bearer <token>`; unset, it is open. */
  metricsToken?: string;
  /** Base URL per bot id, from `FERRY_URL_<BOT_ID>` (e.g. `FERRY_URL_MEDICAL_INSURANCE`). */
  botUrls: Record<string, string>;
  /**
   * Test-only: `after-write-before-ledger` SIGKILLs the worker now and then between write and
   * ledger; `stop-before-write` SIGSTOPs it before each write, for a test to SIGCONT later.
   */
  faultPoint?: z.infer<typeof Environment>['FERRY_FAULT_POINT'];
}

/** Raised when the environment does not parse; the message names every bad variable. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

function botUrlsFrom(env: NodeJS.ProcessEnv): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    const match = /^FERRY_URL_([A-Z0-9_]+)$/.exec(name);
    if (!match || !value) continue;
    if (!z.string().url().safeParse(value).success) throw new ConfigError(`${name} is not a URL: ${value}`);
    urls[match[1].toLowerCase().replaceAll('_', '-')] = value.replace(/\/$/, '');
  }
  return urls;
}

/** Parses an environment into a config; throws ConfigError with a readable message. */
export function parseConfig(env: NodeJS.ProcessEnv): FerryConfig {
  const parsed = Environment.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Ferry's configuration is invalid:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    redisUrl: e.REDIS_URL,
    allowUnsafeRedis: e.FERRY_ALLOW_UNSAFE_REDIS === '1',
    dataDir: resolve(e.FERRY_DATA_DIR),
    namespace: e.FERRY_NAMESPACE,
    chromiumPath: e.CHROMIUM_PATH,
    secretKey: e.FERRY_SECRET_KEY,
    logLevel: e.FERRY_LOG_LEVEL,
    concurrency: e.FERRY_CONCURRENCY,
    contextMaxRuns: e.FERRY_CONTEXT_MAX_RUNS,
    evidenceRetentionDays: e.FERRY_EVIDENCE_RETENTION_DAYS,
    attempts: e.FERRY_ATTEMPTS,
    lockMs: e.FERRY_LOCK_MS,
    stopGraceMs: e.FERRY_STOP_GRACE_MS,
    tessdataDir: e.FERRY_TESSDATA_DIR,
    metricsToken: e.FERRY_METRICS_TOKEN,
    botUrls: botUrlsFrom(env),
    faultPoint: e.FERRY_FAULT_POINT,
  };
}

let loaded: FerryConfig | undefined;

/** The process's config, parsed from `process.env` on first use. */
export function config(): FerryConfig {
  loaded ??= parseConfig(process.env);
  return loaded;
}
