/**
 * What ops do to a run that needs attention: retry it, resolve it by hand with the
 * receipt found in the target, or discard it with a note. Each keeps the exactly-once
 * protocol (a retried NEEDS_REVIEW becomes UNKNOWN, so `find` runs before any `write`)
 * and each is audited, whether it succeeds or not. Shared by the dashboard and the CLI.
 */
import type { SecretBox } from '../access/secrets.ts';
import { Job, type Queue } from 'bullmq';
import { z } from 'zod';
import type { AuditAction, AuditLog } from '../access/audit.ts';
import type { Recipe } from '../define/recipe.ts';
import type { Ledger, LedgerEntry } from '../ledger/ledger.ts';
import { findUnmaskedPersonalData } from '../access/mask.ts';
import type { RecipeRegistry } from '../define/registry.ts';
import { ATTENTION_STATES, type RunHistory, type RunRecord } from './history.ts';
import { LIVE_JOB_STATES, triggeredBy, type RunJobData, type TriggerIdentity } from './types.ts';
import type { Runtime } from '../runtime.ts';
import { triggerRun } from './trigger.ts';
import type { TaskStore } from '../ask/task-store.ts';

/** Raised when an action does not fit the run (unknown, running, already settled) or its input is bad. */
export class OpsActionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OpsActionError';
  }
}

/** What {@link OpsActions} works with. */
export interface OpsDependencies {
  queue: Queue<RunJobData>;
  ledger: Ledger;
  history: RunHistory;
  recipes: RecipeRegistry;
  audit: AuditLog;
  /** The questions runs wait on: one closes when ops settle its run by hand. */
  tasks: TaskStore;
  /** Keyed hash for keys that carry personal data (`SecretBox.keyedHash`). */
  hash(value: string): string;
  /** Opens and seals again the stored input of a recipe with `sealedInput`. */
  secrets: SecretBox;
  /** Attempts of a re-added run. */
  attempts: number;
}

/** Who acts, for the audit log. */
export interface Actor {
  name: string;
  ip?: string;
  /** Who a run added again is triggered by. @defaultValue the dashboard user `name` */
  identity?: TriggerIdentity;
}

const RECEIPT = /^[A-Za-z0-9._/-]{1,64}$/;

/** The one input field of a recipe that staff trigger by its key (e.g. `caseNo`); null for other recipes. */
export function soleInputField(recipe: Recipe): string | null {
  if (!(recipe.input instanceof z.ZodObject)) return null;
  const fields = Object.keys(recipe.input.shape);
  return fields.length === 1 ? fields[0] : null;
}

/** Retry, resolve by hand and discard, each audited as the acting user. */
export class OpsActions {
  constructor(private readonly deps: OpsDependencies) {}

  /**
   * Runs it again: NEEDS_REVIEW becomes UNKNOWN (FAILED and REJECTED stay, a claim after
   * them runs `find` first anyway), then the failed job is retried with fresh attempts,
   * or added again from the run's stored input when BullMQ has already removed it. The run
   * shows QUEUED until a worker takes it.
   */
  async retry(jobId: string, actor: Actor, note = ''): Promise<void> {
    await this.audited('retry', jobId, actor, note, async () => {
      const { run, entry } = await this.attention(jobId);
      if (entry.state === 'NEEDS_REVIEW') {
        await this.deps.ledger.override(run.recipe, run.keyId, 'UNKNOWN', { retriedBy: actor.name });
      }
      // QUEUED first: a worker may take the job the moment it is back in the queue.
      await this.deps.history.requeued(jobId, `retry · ${actor.name}`);
      try {
        const job = await Job.fromId<RunJobData>(this.deps.queue, jobId);
        // A run rejected for want of an answer ended its job completed (WAITING_FOR_PERSON), not failed.
        const finished = (await this.deps.queue.getJobState(jobId)) === 'completed' ? 'completed' : 'failed';
        if (job) await job.retry(finished, { resetAttemptsMade: true, resetAttemptsStarted: true });
        else await this.readd(run, actor);
      } catch (error) {
        await this.deps.history.finished(jobId, { state: entry.state, receipt: run.receipt, reason: run.reason, evidence: run.evidence });
        throw error;
      }
    });
  }

  /** Retries each run; returns the ids retried and why the others were not. */
  async retryMany(jobIds: string[], actor: Actor, note: string): Promise<{ retried: string[]; skipped: { id: string; reason: string }[] }> {
    const retried: string[] = [];
    const skipped: { id: string; reason: string }[] = [];
    for (const id of jobIds) {
      try {
        await this.retry(id, actor, note);
        retried.push(id);
      } catch (error) {
        skipped.push({ id, reason: (error as Error).message });
      }
    }
    return { retried, skipped };
  }

  /**
   * Records the receipt ops found in the target: the ledger becomes DONE (created '0', verified by
   * the person, `resolvedBy`). Also for a run waiting on a question, whose question then closes.
   */
  async resolve(jobId: string, receipt: string, actor: Actor): Promise<void> {
    const clean = receipt.trim();
    await this.audited('resolve', jobId, actor, clean, async () => {
      if (!RECEIPT.test(clean) || findUnmaskedPersonalData(clean).length > 0) {
        throw new OpsActionError('A receipt is 1-64 letters, digits, ".", "_", "/" or "-", as the target system shows it.');
      }
      const { run, entry } = await this.attention(jobId, { waiting: true });
      await this.deps.ledger.override(run.recipe, run.keyId, 'DONE', { receipt: clean, created: '0', verified: '1', resolvedBy: actor.name });
      await this.closeQuestion(entry);
      await this.deps.history.event(jobId, { kind: 'ops', detail: `resolved ${clean} · ${actor.name}` });
      await this.deps.history.finished(jobId, { state: 'DONE', receipt: clean });
    });
  }

  /** Gives the record up: the ledger becomes DISCARDED with the note, and no run will enter it; a question it waits on closes. */
  async discard(jobId: string, note: string, actor: Actor): Promise<void> {
    const clean = note.trim();
    await this.audited('discard', jobId, actor, clean, async () => {
      if (clean.length < 2 || clean.length > 500) throw new OpsActionError('A discard needs a note of 2-500 characters saying why.');
      const { run, entry } = await this.attention(jobId, { waiting: true });
      await this.deps.ledger.override(run.recipe, run.keyId, 'DISCARDED', { note: clean, discardedBy: actor.name });
      await this.closeQuestion(entry);
      await this.deps.history.event(jobId, { kind: 'ops', detail: `discarded · ${actor.name}: ${clean}` });
      await this.deps.history.finished(jobId, { state: 'DISCARDED', reason: run.reason });
    });
  }

  /** The run and its ledger entry, when the run needs attention (or, with `waiting`, waits on a question) and is not queued or running. */
  private async attention(jobId: string, options: { waiting?: boolean } = {}): Promise<{ run: RunRecord; entry: LedgerEntry }> {
    const found = await this.deps.history.get(jobId);
    if (!found) throw new OpsActionError(`There is no run "${jobId}".`);
    const entry = await this.deps.ledger.get(found.run.recipe, found.run.keyId);
    const waiting = options.waiting && entry?.state === 'WAITING_FOR_PERSON';
    if (!entry || !(ATTENTION_STATES.includes(entry.state) || waiting)) {
      const also = options.waiting ? ', and runs waiting for an answer,' : '';
      throw new OpsActionError(`The run is ${entry?.state ?? 'not in the ledger'}; only FAILED, REJECTED and NEEDS_REVIEW runs${also} can be acted on.`);
    }
    const jobState = await this.deps.queue.getJobState(jobId);
    if (LIVE_JOB_STATES.includes(jobState)) throw new OpsActionError(`The run is ${jobState} already.`);
    return { run: found.run, entry };
  }

  /** Closes the question a waiting entry waited on, so it leaves the inbox and no answer is taken for it. */
  private async closeQuestion(entry: LedgerEntry): Promise<void> {
    if (entry.state === 'WAITING_FOR_PERSON' && entry.task) await this.deps.tasks.expire(entry.task);
  }

  /** Adds a removed job again with the input the run stored (checked against the recipe again). */
  private async readd(run: RunRecord, actor: Actor): Promise<void> {
    if (!run.input) throw new OpsActionError('The run\'s job has expired and the run kept no input; trigger it again.');
    await triggerRun(this.deps.queue, this.deps.recipes.get(run.recipe), JSON.parse(run.input), {
      trigger: { via: 'ops', by: actor.identity ?? triggeredBy.dashboard(actor.name) }, hash: this.deps.hash, secrets: this.deps.secrets, attempts: this.deps.attempts,
    });
  }

  private async audited(action: AuditAction, target: string, actor: Actor, detail: string, act: () => Promise<void>): Promise<void> {
    try {
      await act();
    } catch (error) {
      await this.deps.audit.record({ who: actor.name, ip: actor.ip, action, target, outcome: 'failed', detail: (error as Error).message });
      throw error;
    }
    await this.deps.audit.record({ who: actor.name, ip: actor.ip, action, target, outcome: 'ok', ...(detail ? { detail } : {}) });
  }
}

/** The ops actions over a runtime's queue, ledger and recipes, recorded in `audit`. */
export function opsActionsOf(runtime: Runtime, audit: AuditLog): OpsActions {
  return new OpsActions({
    history: runtime.history, audit, queue: runtime.queue, ledger: runtime.ledger, recipes: runtime.recipes, tasks: runtime.tasks,
    hash: (value) => runtime.secrets.keyedHash(value), secrets: runtime.secrets, attempts: runtime.config.attempts,
  });
}
