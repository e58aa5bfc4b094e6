/**
 * Every Redis key Ferry uses, in one place. All keys share the hash tag `{namespace}`
 * so they live in one Redis Cluster slot alongside the BullMQ queues (same prefix).
 */
export class RedisKeys {
  /** The BullMQ prefix and the head of every key: `{ferry}`. */
  readonly prefix: string;

  constructor(readonly namespace: string) {
    this.prefix = `{${namespace}}`;
  }

  ledgerEntry(recipe: string, keyId: string): string {
    return `${this.prefix}:ledger:${recipe}:${keyId}`;
  }

  /** Per-recipe count of ledger entries by state. */
  ledgerCounts(recipe: string): string {
    return `${this.prefix}:ledger-counts:${recipe}`;
  }

  /** Per-recipe sorted set of key ids by last change, for listing. */
  ledgerIndex(recipe: string): string {
    return `${this.prefix}:ledger-index:${recipe}`;
  }

  sessionSlots(bot: string): string {
    return `${this.prefix}:sessions:${bot}`;
  }

  /** A recipe's line of runs waiting for a turn (sorted set by priority, then when each was queued), when it sets `concurrency`. */
  recipeTurnLine(recipe: string): string {
    return `${this.prefix}:turns:${recipe}:line`;
  }

  /** The runs of a recipe holding a turn (set). */
  recipeTurnHolders(recipe: string): string {
    return `${this.prefix}:turns:${recipe}:holders`;
  }


  /** A bot's last canary report (JSON string). */
  canaryReport(bot: string): string {
    return `${this.prefix}:canary:${bot}:report`;
  }

  /** What each canary locator of a bot resolved to when it last passed (hash: `<screen>\n<locator>` → JSON). */
  canaryBaseline(bot: string): string {
    return `${this.prefix}:canary:${bot}:baseline`;
  }

  credentials(bot: string): string {
    return `${this.prefix}:credentials:${bot}`;
  }

  /** Per-recipe per-day outcome counters (`YYYY-MM-DD`). */
  dailyStats(recipe: string, day: string): string {
    return `${this.prefix}:stats:${recipe}:${day}`;
  }

  /** Per-recipe schedule state: hash of `watermark`, `lastFired` and `lastSync` (see `SyncState`). */
  schedule(recipe: string): string {
    return `${this.prefix}:schedule:${recipe}`;
  }

  /** A run's record (hash), by job id. */
  run(jobId: string): string {
    return `${this.prefix}:run:${jobId}`;
  }

  /** A run's timeline (list of JSON events). */
  runEvents(jobId: string): string {
    return `${this.prefix}:run-events:${jobId}`;
  }

  /** Every run by creation time. */
  runIndex(): string {
    return `${this.prefix}:runs`;
  }

  /** Runs a user triggered, by creation time. */
  runsOf(identity: string): string {
    return `${this.prefix}:runs-of:${identity}`;
  }

  /** Runs that need ops' attention (rejected, failed, needs review), by last change. */
  attentionIndex(): string {
    return `${this.prefix}:runs-attention`;
  }

  /** A dashboard user (hash of name, role, password hash, timestamps). */
  user(name: string): string {
    return `${this.prefix}:user:${name}`;
  }

  /** The names of every dashboard user. */
  users(): string {
    return `${this.prefix}:users`;
  }

  /** A dashboard session, by session id (expires with the idle timeout). */
  session(id: string): string {
    return `${this.prefix}:session:${id}`;
  }

  /** Prefix of the dashboard's log-in rate-limit counters. */
  rateLimitPrefix(): string {
    return `${this.prefix}:rate-limit:`;
  }

  /** Each live worker's last heartbeat (hash of worker id → JSON, see `worker-beat.ts`). */
  workerBeats(): string {
    return `${this.prefix}:worker-beats`;
  }

  /** A question put to a person (hash; see `ask/task-store.ts`), by task id. */
  task(id: string): string {
    return `${this.prefix}:task:${id}`;
  }

  /** A task's image (the crop OCR could not read), sealed. */
  taskImage(id: string): string {
    return `${this.prefix}:task-image:${id}`;
  }

  /** Open tasks by creation time. */
  openTasks(): string {
    return `${this.prefix}:tasks:open`;
  }

  /** Open tasks by the time they go to ops if still unanswered. */
  taskEscalations(): string {
    return `${this.prefix}:tasks:escalate-at`;
  }

  /** Open tasks by the time their run is rejected for want of an answer. */
  taskExpiries(): string {
    return `${this.prefix}:tasks:expire-at`;
  }

  /** Answered tasks whose run has not been seen running again yet, by answer time. */
  taskResumes(): string {
    return `${this.prefix}:tasks:resume`;
  }

  /** The answers a record's questions got (hash: question id → sealed JSON), read by `ask` when the run runs again. */
  answers(recipe: string, keyId: string): string {
    return `${this.prefix}:answers:${recipe}:${keyId}`;
  }

  /** Alert channels (hash: channel id → sealed settings). */
  alertChannels(): string {
    return `${this.prefix}:alert-channels`;
  }

  /** Alert rules as configured (hash: rule → JSON settings). */
  alertRules(): string {
    return `${this.prefix}:alert-rules`;
  }

  /** Alerts firing now (hash: `<rule> <subject>` → JSON of since, last sent and the condition). */
  alertsFiring(): string {
    return `${this.prefix}:alerts-firing`;
  }

  /** Held by the one scheduler that evaluates the alert rules this round. */
  alertRound(): string {
    return `${this.prefix}:alert-round`;
  }

  /** A bot's circuit (hash: state, reason, since, retryAt, backoffMs, refusals); absent while closed. */
  circuit(bot: string): string {
    return `${this.prefix}:circuit:${bot}`;
  }

  /** Held by the one login that probes a bot's circuit. */
  circuitProbe(bot: string): string {
    return `${this.prefix}:circuit-probe:${bot}`;
  }

  /** The runs started against a bot in the last minute (sorted set: run attempt → start time), for its cap. */
  runStarts(bot: string): string {
    return `${this.prefix}:run-starts:${bot}`;
  }

  /** The append-only audit stream. */
  audit(): string {
    return `${this.prefix}:audit`;
  }

  /** A batch file's record (hash: recipe, uploader, counts, state, the bad rows and the good rows' keys as JSON). */
  batch(id: string): string {
    return `${this.prefix}:batch:${id}`;
  }

  /** A batch file's cells and its good rows' inputs, sealed (hash: `table`, `inputs`). */
  batchContent(id: string): string {
    return `${this.prefix}:batch-content:${id}`;
  }

  /** Every batch, by time of upload (sorted set). */
  batchIndex(): string {
    return `${this.prefix}:batches`;
  }
}
