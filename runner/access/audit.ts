/**
 * The audit log: who did what, when, and how it went. Append-only, kept twice: a Redis
 * stream (for the admin page) and `audit.log` under the data dir (JSON lines, owner-only),
 * so a wiped Redis still leaves the trail. Details are masked like every log line.
 */
import { appendFile, chmod } from 'node:fs/promises';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import type { RedisKeys } from '../redis/keys.ts';
import { maskText } from './mask.ts';
import type { Runtime } from '../runtime.ts';

/** What can be done, as the audit log names it. */
export const AUDIT_ACTIONS = [
  'login', 'logout', 'trigger', 'retry', 'resolve', 'discard', 'evidence-view', 'answer',
  'user-add', 'user-role', 'user-password', 'user-remove', 'forbidden',
  'alert-channel-set', 'alert-channel-remove', 'alert-rule', 'alert-test', 'bot-resume',
  'batch-upload', 'batch-queue', 'batch-result',
] as const;
/** What was done. */
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** How it went: done, refused by a rule (role, CSRF, rate limit), or failed. */
export type AuditOutcome = 'ok' | 'denied' | 'failed';

/** One line of the audit log. */
export interface AuditEntry {
  /** The stream id: milliseconds and a sequence number, in order. */
  id: string;
  /** ISO time. */
  at: string;
  /** The user name (or the name tried, for a failed log-in); `-` when unknown. */
  who: string;
  action: AuditAction;
  /** What it was done to: a run id, a user name, an evidence file. */
  target?: string;
  outcome: AuditOutcome;
  /** A short, masked note: a receipt, a reason, a role. */
  detail?: string;
  /** The client address. */
  ip?: string;
}

/** What a caller records; id and time are added. */
export type AuditRecord = Omit<AuditEntry, 'id' | 'at'>;

export class AuditLog {
  private fileReady: Promise<void> | undefined;

  /** `file` is the JSON-lines copy, created owner-only (0600). */
  constructor(private readonly redis: Redis, private readonly keys: RedisKeys, private readonly file: string) {}

  /**
   * Appends one entry to the file, then to the stream, and resolves once both hold it:
   * await it before answering the request that caused it. The file goes first because it
   * is the copy that survives a wiped Redis; its line carries no stream id.
   */
  async record(record: AuditRecord): Promise<AuditEntry> {
    const at = new Date().toISOString();
    const clean: AuditRecord = { ...record, ...(record.detail ? { detail: maskText(record.detail).slice(0, 500) } : {}) };
    await this.appendToFile(`${JSON.stringify({ at, ...clean })}\n`);
    const fields = Object.entries({ at, ...clean }).filter(([, value]) => value !== undefined).flat() as string[];
    const id = (await this.redis.xadd(this.keys.audit(), '*', ...fields))!;
    return { id, at, ...clean };
  }

  /** Entries newest first, `limit` of them, older than the entry `before` when given. */
  async list(options: { limit?: number; before?: string } = {}): Promise<AuditEntry[]> {
    const end = options.before ? `(${options.before}` : '+';
    const rows = await this.redis.xrevrange(this.keys.audit(), end, '-', 'COUNT', options.limit ?? 100);
    return rows.map(([id, flat]) => {
      const fields: Record<string, string> = {};
      for (let i = 0; i < flat.length; i += 2) fields[flat[i]] = flat[i + 1];
      return { id, ...fields } as unknown as AuditEntry;
    });
  }

  private async appendToFile(line: string): Promise<void> {
    this.fileReady ??= appendFile(this.file, '', { mode: 0o600 }).then(() => chmod(this.file, 0o600));
    await this.fileReady;
    await appendFile(this.file, line);
  }
}

/** The audit log of a runtime: its Redis stream and `audit.log` in its data dir. */
export function auditLogOf(runtime: Pick<Runtime, 'redis' | 'keys' | 'config'>): AuditLog {
  return new AuditLog(runtime.redis, runtime.keys, join(runtime.config.dataDir, 'audit.log'));
}
