/**
 * Turning a request into a run job: the input is checked against the recipe's schema,
 * the key becomes the job id, so a second trigger of the same (recipe, key) finds the
 * first run instead of starting another.
 */
import { Job, type JobsOptions, type Queue } from 'bullmq';
import type { Recipe } from '../define/recipe.ts';
import { InputError } from '../errors.ts';
import { findUnmaskedPersonalData } from '../access/mask.ts';
import { keyIdOf, runJobId } from './key.ts';
import { RUN_PRIORITY, type RunJobData, type RunTrigger } from './types.ts';
import { RUN_BACKOFF } from './retry-backoff.ts';
import { joinLines } from './recipe-turns.ts';
import type { SecretBox } from '../access/secrets.ts';
import { isSealedInput, openInput, sealInput } from './sealed-input.ts';

/** Queue name of runs; the BullMQ prefix carries the namespace hash tag. */
export const RUNS_QUEUE = 'runs';


/** Options of {@link triggerRun}. */
export interface TriggerOptions {
  trigger: RunTrigger;
  /** Keyed hash for keys that carry personal data. */
  hash(value: string): string;
  /** Attempts for transient errors, unless the recipe sets its own. */
  attempts: number;
  /** The clerk confirms the record before it is entered; only for a recipe with `confirm: 'trigger'`. */
  confirm?: boolean;
  /** Seals the input of a recipe with `sealedInput` (and opens one stored sealed); required for those recipes. */
  secrets?: SecretBox;
}

/** Cuts a piece of a user's input to what an error message can show. */
function clip(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max)}…(${text.length} characters)` : text;
}

/** Parses raw JSON text into a trigger input, with an error naming the problem. */
export function parseInputJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`The input is not valid JSON: ${clip((error as Error).message)}`);
  }
}

/** Validates a raw input against the recipe; returns the parsed input and its key id. */
export function checkInput(recipe: Recipe, raw: unknown, hash: (value: string) => string): { input: unknown; keyId: string } {
  const parsed = recipe.input.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 5).map((issue) => clip(`${issue.path.join('.') || 'input'}: ${issue.message}`)).join('; ');
    throw new InputError(`The input does not fit recipe "${recipe.id}": ${problems}`);
  }
  if (!recipe.sealedInput && findUnmaskedPersonalData(JSON.stringify(parsed.data)).length > 0) {
    throw new InputError('The input carries an ID number or phone; trigger runs by case number so no personal data is parked in the queue.');
  }
  return { input: parsed.data, keyId: keyIdOf(recipe.key(parsed.data), hash) };
}

let lastQueuedAt = 0;

/** Now in microseconds, strictly later than the last stamp this process gave: runs queued one after another keep their order. */
function queuedAtNow(): number {
  lastQueuedAt = Math.max(lastQueuedAt + 1, Date.now() * 1000);
  return lastQueuedAt;
}

/** A run as BullMQ adds it: name, data and options (with the job id from (recipe, key)). */
export interface RunJobSpec {
  name: 'run';
  data: RunJobData;
  opts: JobsOptions;
}

/** Checks a raw input and builds its run job; shared by {@link triggerRun} and a sync's fan-out. */
export function runJobSpec(recipe: Recipe, raw: unknown, options: TriggerOptions): RunJobSpec {
  const secrets = options.secrets;
  if (recipe.sealedInput && !secrets) throw new Error(`recipe ${recipe.id} takes a sealed input: trigger it with the secret box`);
  const opened = secrets && isSealedInput(raw) ? openInput(recipe, raw, secrets) : raw;
  const checked = checkInput(recipe, opened, options.hash);
  const { keyId } = checked;
  const input = recipe.sealedInput ? sealInput(checked.input, secrets!) : checked.input;
  const priority = RUN_PRIORITY[options.trigger.via];
  return {
    name: 'run',
    data: {
      recipe: recipe.id, input, keyId, trigger: options.trigger,
      ...(options.confirm && recipe.confirm === 'trigger' ? { confirm: true } : {}),
      ...(recipe.concurrency ? { queuedAt: queuedAtNow() } : {}),
    },
    opts: {
      jobId: runJobId(recipe.id, keyId),
      ...(priority > 0 ? { priority } : {}),
      attempts: recipe.attempts ?? options.attempts,
      backoff: RUN_BACKOFF,
      removeOnComplete: { age: 7 * 86_400, count: 50_000 },
      removeOnFail: { age: 30 * 86_400 },
    },
  };
}

/**
 * Adds the run (or finds the existing one) and returns its job. When a person triggers a
 * record that a sync or batch already queued, that queued run is moved to the front.
 */
export async function triggerRun(queue: Queue<RunJobData>, recipe: Recipe, raw: unknown, options: TriggerOptions): Promise<Job<RunJobData>> {
  const spec = runJobSpec(recipe, raw, options);
  await joinLines(queue, [spec]);
  const job = await queue.add(spec.name, spec.data, spec.opts);
  if (!spec.opts.priority) {
    const queued = await Job.fromId<RunJobData>(queue, job.id!);
    if (queued && queued.priority > 0) await queued.changePriority({ priority: 0 });
  }
  return job;
}
