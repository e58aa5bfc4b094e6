/**
 * Ferry's configuration: parsed once from the environment with zod at start-up.
 * Nothing else in Ferry reads `process.env`.
 */
import type { BatchLimits } from './batch/batch-file.ts';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { z } from 'zod';
import { ProjectDirs } from './define/project-dirs.ts';
import { AwsEnvironment, EvidenceUrl, type EvidenceBucketConfig } from './evidence/bucket-config.ts';
import { redisUrlProblem } from './redis/redis-url.ts';
import { sentinelUrlOf } from './redis/sentinel-url.ts';
import { writableDirProblem } from './writable-dir.ts';

/** A whole number within [min, max], with a message that gives the range. */
const intIn = (min: number, max: number, fallback: number) => {
  const range = `a whole number from ${min} to ${max}`;
  return z.coerce.number({ error: range }).int(range).min(min, range).max(max, range).default(fallback);
};

/** Proxies to trust: a hop count (1-10) or a comma-separated list of addresses and CIDRs. */
const TrustProxy = z.string().transform((text, context): number | string[] => {
  if (/^\d+$/.test(text) && Number(text) >= 1 && Number(text) <= 10) return Number(text);
  const entries = text.split(',').map((entry) => entry.trim()).filter(Boolean);
  const bad = entries.find((entry) => {
    const [address, bits, extra] = entry.split('/');
    return !isIP(address) || extra !== undefined || (bits !== undefined && !/^\d{1,3}$/.test(bits));
  });
  if (entries.length === 0 || bad !== undefined) {
    context.addIssue({ code: 'custom', message: `a hop count from 1 to 10, or proxy addresses/CIDRs separated by commas${bad ? `; "${bad}" is neither` : ''}` });
    return z.NEVER;
  }
  return entries;
});

const Environment = z.object({
  REDIS_URL: z.string().superRefine((url, ctx) => {
    const problem = redisUrlProblem(url);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }).optional(),
  /** The sentinels (`host:port,…`) that find the primary named by REDIS_SENTINEL_NAME; instead of REDIS_URL. */
  REDIS_SENTINELS: z.string().regex(/^\s*[^,\s:]+:\d{1,5}\s*(,\s*[^,\s:]+:\d{1,5}\s*)*$/, 'host:port of each sentinel, separated by commas').optional(),
  REDIS_SENTINEL_NAME: z.string().regex(/^[A-Za-z0-9._-]+$/, 'the master name the sentinels monitor (letters, digits, . _ -)').optional(),
  /** The data nodes' password when REDIS_SENTINELS is used. */
  REDIS_PASSWORD: z.string().min(1).optional(),
  FERRY_REDIS_MIN_REPLICAS: intIn(0, 16, 0),
  FERRY_REDIS_REPLICA_WAIT_MS: intIn(10, 60_000, 1_000),
  FERRY_ALLOW_UNSAFE_REDIS: z.enum(['0', '1']).default('0'),
  FERRY_DATA_DIR: z.string().min(1).default('./.ferry').superRefine((dir, context) => {
    const problem = writableDirProblem(resolve(dir));
    if (problem) context.addIssue({ code: 'custom', message: problem });
  }),
  FERRY_NAMESPACE: z.string().regex(/^[a-z0-9-]+$/, 'lower-case letters, digits and dashes only').default('ferry'),
  CHROMIUM_PATH: z.string().min(1).default('/usr/bin/chromium'),
  FERRY_SECRET_KEY: z.string().optional(),
  FERRY_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  FERRY_CONCURRENCY: intIn(1, 64, 2),
  FERRY_CONTEXT_MAX_RUNS: intIn(1, 100_000, 200),
  FERRY_SESSION_WAIT_MS: intIn(100, 3_600_000, 60_000),
  FERRY_EVIDENCE_RETENTION_DAYS: intIn(1, 3650, 30),
  FERRY_RECORD_RETENTION_DAYS: intIn(1, 3650, 90),
  FERRY_EVIDENCE_URL: EvidenceUrl.optional(),
  FERRY_EVIDENCE_PATH_STYLE: z.enum(['0', '1']).default('0'),
  FERRY_ATTEMPTS: intIn(1, 100, 5),
  FERRY_LOCK_MS: intIn(1000, 600_000, 30_000),
  FERRY_INFLIGHT_GRACE_MS: intIn(0, 3_600_000, 120_000),
  FERRY_STOP_GRACE_MS: z.coerce.number().int().min(1_000, 'at least 1000 (1 s)').max(3_600_000, 'at most 3600000 (1 h)').default(60_000),
  FERRY_TESSDATA_DIR: z.string().default('/usr/share/tesseract-ocr/5/tessdata'),
  FERRY_METRICS_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
  FERRY_TRUST_PROXY: TrustProxy.optional(),
  FERRY_PROJECT_DIRS: ProjectDirs.default([]),
  FERRY_HOLIDAYS_FILE: z.string().min(1).optional(),
  FERRY_BATCH_MAX_ROWS: intIn(1, 1_000_000, 10_000),
  FERRY_BATCH_MAX_MB: intIn(1, 1_000, 10),
  FERRY_BATCH_DROP_DIR: z.string().min(1).optional(),
  FERRY_DASHBOARD_URL: z.url({ protocol: /^https?$/, error: 'the dashboard\'s address as people open it, e.g. https://ferry.example.gov.cn' }).optional(),
  /** Test-only fault points for the chaos tests (see runner/fault-points.ts); never set in normal runs. */
  FERRY_FAULT_POINT: z.enum(['after-write-before-ledger', 'stop-before-write', 'after-done-before-verify', 'stop-before-verify', 'starve-on-stop']).optional(),
  /** Test-only: a chaos worker forgets its sessions this often (seconds), as a system that logs everyone out. */
  FERRY_FAULT_FORGET_SESSIONS_S: z.coerce.number().int().min(1).max(86_400).optional(),
}).superRefine((e, context) => {
  const issue = (path: string, message: string) => context.addIssue({ code: 'custom', path: [path], message });
  if (e.REDIS_SENTINELS && e.REDIS_URL) issue('REDIS_SENTINELS', 'set either REDIS_URL or REDIS_SENTINELS (with REDIS_SENTINEL_NAME), not both');
  if (e.REDIS_SENTINELS && !e.REDIS_SENTINEL_NAME) issue('REDIS_SENTINEL_NAME', 'is needed with REDIS_SENTINELS: the master name of `sentinel monitor <name> …`');
  if (!e.REDIS_SENTINELS && e.REDIS_SENTINEL_NAME) issue('REDIS_SENTINELS', 'is needed with REDIS_SENTINEL_NAME: host:port of each sentinel');
});

/** The parsed configuration. */
export interface FerryConfig {
  /**
   * Redis to use: `redis://[user:password@]host:port[/db]`, `rediss://…` (TLS),
   * `unix:///path/to/redis.sock[?username=…&password=…]` or `redis+sentinel://…` (REDIS_URL, or
   * built from REDIS_SENTINELS, REDIS_SENTINEL_NAME and REDIS_PASSWORD); unset starts the embedded one under the data dir.
   */
  redisUrl?: string;
  /**
   * Replicas that must acknowledge (Redis `WAIT`) each ledger write that decides whether a record
   * may be written (claim, SUBMITTING, DONE) before Ferry acts on it (`FERRY_REDIS_MIN_REPLICAS`). @defaultValue 0
   */
  minReplicas: number;
  /** How long a ledger write waits for its replicas before the run is held and retried later (`FERRY_REDIS_REPLICA_WAIT_MS`). @defaultValue 1000 */
  replicaWaitMs: number;
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
  /** How long a run waits for a free session of a bot at its `maxSessions` before it goes back to the queue, no attempt spent. @defaultValue 60000 */
  sessionWaitMs: number;
  /** Days evidence is kept (`FERRY_EVIDENCE_RETENTION_DAYS`). @defaultValue 30 */
  evidenceRetentionDays: number;
  /**
   * Days run records and timelines, batches, and closed questions with their answers are kept
   * after their last change; the run and batch lists drop what is older (`FERRY_RECORD_RETENTION_DAYS`). @defaultValue 90
   */
  recordRetentionDays: number;
  /** The bucket evidence goes to; unset, it stays under `<dataDir>/evidence`. */
  evidenceBucket?: EvidenceBucketConfig;
  /** Attempts per run for transient errors. @defaultValue 5 */
  attempts: number;
  /** BullMQ job lock and ledger lease: how long a silent worker keeps a run. @defaultValue 30000 */
  lockMs: number;
  /**
   * After a runner lost its lease while entering a record, how long a request it had sent may
   * still reach the target (a host cut off delivers it once back); the record's next run waits
   * that long before it looks and writes again (`FERRY_INFLIGHT_GRACE_MS`). @defaultValue 120000
   */
  inFlightGraceMs: number;
  /**
   * After the first SIGINT or SIGTERM, how long a long-running command waits for work in
   * flight before it stops at once. @defaultValue 60000
   */
  stopGraceMs: number;
  tessdataDir: string;
  /** When set, `/metrics` wants `Authorization: Bearer <token>`; unset, it is open. */
  metricsToken?: string;
  /**
   * Proxies in front of the dashboard whose `X-Forwarded-For` names the client: a hop count
   * or addresses/CIDRs (`FERRY_TRUST_PROXY`). @defaultValue none
   */
  trustProxy?: number | string[];
  /**
   * Integrators' folders (`FERRY_PROJECT_DIRS`), absolute; each holds a `recipes/` folder whose
   * recipes load after this repository's. @defaultValue []
   */
  projectDirs: string[];
  /** The dashboard's address as people open it (`FERRY_DASHBOARD_URL`), for the links in alerts; unset, alerts carry the path only. */
  dashboardUrl?: string;
  /** The holiday calendar opening hours follow (`FERRY_HOLIDAYS_FILE`, JSON); unset, workdays are Monday to Friday. */
  holidaysFile?: string;
  /** Base URL per bot id, from `FERRY_URL_<BOT_ID>` (e.g. `FERRY_URL_MEDICAL_INSURANCE`). */
  botUrls: Record<string, string>;
  /**
   * Test-only: `after-write-before-ledger` SIGKILLs the worker now and then between write and
   * ledger; `stop-before-write` SIGSTOPs it before each write, for a test to SIGCONT later.
   */
  faultPoint?: z.infer<typeof Environment>['FERRY_FAULT_POINT'];
  /** Test-only: the chaos proof's session purge on systems it cannot log out itself (seconds between purges). */
  faultForgetSessionsSeconds?: number;
  /** What a batch file may hold: rows and bytes (`FERRY_BATCH_MAX_ROWS`, `FERRY_BATCH_MAX_MB`). @defaultValue 10,000 rows, 10 MB */
  batchLimits: BatchLimits;
  /** The drop folder: files in `<dir>/<recipe id>/` are taken as batches by the scheduler (`FERRY_BATCH_DROP_DIR`). */
  batchDropDir?: string;
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
  const aws = env.FERRY_EVIDENCE_URL === undefined ? undefined : AwsEnvironment.safeParse(env);
  const issues = [...(parsed.error?.issues ?? []), ...(aws?.error?.issues ?? [])];
  if (!parsed.success || issues.length > 0) {
    const lines = issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Ferry's configuration is invalid:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const a = aws?.data;
  return {
    redisUrl: e.REDIS_URL ?? (e.REDIS_SENTINELS ? sentinelUrlOf(e.REDIS_SENTINELS, e.REDIS_SENTINEL_NAME!, e.REDIS_PASSWORD) : undefined),
    minReplicas: e.FERRY_REDIS_MIN_REPLICAS,
    replicaWaitMs: e.FERRY_REDIS_REPLICA_WAIT_MS,
    allowUnsafeRedis: e.FERRY_ALLOW_UNSAFE_REDIS === '1',
    dataDir: resolve(e.FERRY_DATA_DIR),
    namespace: e.FERRY_NAMESPACE,
    chromiumPath: e.CHROMIUM_PATH,
    secretKey: e.FERRY_SECRET_KEY,
    logLevel: e.FERRY_LOG_LEVEL,
    concurrency: e.FERRY_CONCURRENCY,
    contextMaxRuns: e.FERRY_CONTEXT_MAX_RUNS,
    sessionWaitMs: e.FERRY_SESSION_WAIT_MS,
    evidenceRetentionDays: e.FERRY_EVIDENCE_RETENTION_DAYS,
    recordRetentionDays: e.FERRY_RECORD_RETENTION_DAYS,
    evidenceBucket: e.FERRY_EVIDENCE_URL && a && {
      ...e.FERRY_EVIDENCE_URL, endpoint: a.AWS_ENDPOINT_URL_S3 ?? a.AWS_ENDPOINT_URL, region: a.AWS_REGION, pathStyle: e.FERRY_EVIDENCE_PATH_STYLE === '1',
      credentials: { accessKeyId: a.AWS_ACCESS_KEY_ID, secretAccessKey: a.AWS_SECRET_ACCESS_KEY, sessionToken: a.AWS_SESSION_TOKEN },
    },
    attempts: e.FERRY_ATTEMPTS,
    lockMs: e.FERRY_LOCK_MS,
    inFlightGraceMs: e.FERRY_INFLIGHT_GRACE_MS,
    stopGraceMs: e.FERRY_STOP_GRACE_MS,
    tessdataDir: e.FERRY_TESSDATA_DIR,
    metricsToken: e.FERRY_METRICS_TOKEN,
    trustProxy: e.FERRY_TRUST_PROXY,
    projectDirs: e.FERRY_PROJECT_DIRS,
    dashboardUrl: e.FERRY_DASHBOARD_URL,
    batchLimits: { maxRows: e.FERRY_BATCH_MAX_ROWS, maxBytes: e.FERRY_BATCH_MAX_MB * 1_048_576 },
    batchDropDir: e.FERRY_BATCH_DROP_DIR ? resolve(e.FERRY_BATCH_DROP_DIR) : undefined,
    holidaysFile: e.FERRY_HOLIDAYS_FILE ? resolve(e.FERRY_HOLIDAYS_FILE) : undefined,
    botUrls: botUrlsFrom(env),
    faultPoint: e.FERRY_FAULT_POINT,
    faultForgetSessionsSeconds: e.FERRY_FAULT_FORGET_SESSIONS_S,
  };
}

/** Parses a proxy setting (`FERRY_TRUST_PROXY`, `--trust-proxy`); a ConfigError names `source` when it is bad. */
export function parseTrustProxy(text: string, source: string): number | string[] {
  const parsed = TrustProxy.safeParse(text);
  if (!parsed.success) throw new ConfigError(`${source}: ${parsed.error.issues[0].message}`);
  return parsed.data;
}

let loaded: FerryConfig | undefined;

/** The process's config, parsed from `process.env` on first use. */
export function config(): FerryConfig {
  loaded ??= parseConfig(process.env);
  return loaded;
}
