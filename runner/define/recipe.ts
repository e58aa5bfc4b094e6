/**
 * Folder `runner/define/`: what an integrator writes, as types and checks: `defineBot`,
 * `defineRecipe`, and the registry that loads `recipes/<id>.ts`.
 *
 * `defineRecipe`: one cross-system transfer. A recipe names its bots, its input schema
 * and key, and four steps (read, find, write, verify) that each get one context object.
 */
import type { Page } from 'playwright-core';
import type { z } from 'zod';
import type { Bot } from './bot.ts';
import type { Logger } from '../logger.ts';
import type { Ocr } from '../ocr/types.ts';
import type { UnreadableRow } from '../scheduler/unreadable-row.ts';
import { questionsProblem, type Ask, type ConfirmRow, type Questions } from '../ask/question.ts';

type BotMap = Record<string, Bot<any>>;

/** A bot as a step sees it: its page objects, built on the run's page. */
export interface BotHandle<P> {
  pages: P;
  page: Page;
}

export type BotHandles<B extends BotMap> = { [K in keyof B]: BotHandle<ReturnType<B[K]['pages']>> };

/** The one context object every step receives. */
export type StepContext<B extends BotMap, I, R = undefined> = BotHandles<B> & {
  input: I;
  record: R;
  log: Logger;
  ocr: Ocr;
  /**
   * Keeps a document with the run's evidence (a 回执 PDF, a confirmation page), sealed like
   * all evidence; ops open it from the run's page. `name` is a plain file name ending in .pdf,
   * .png, .jpg, .jpeg, .html, .txt or .xml.
   */
  keep(name: string, content: Buffer): Promise<void>;
};

/**
 * The context of `read`: a step's context plus `ask`, which puts a declared question to a
 * person. Only `read` has it; `find`, `write` and `verify` may not pause half-way.
 */
export type ReadContext<B extends BotMap, I, Q extends Questions> = StepContext<B, I> & { ask: Ask<Q> };

/** A nightly (or any) schedule: when to sync and how to list what changed. */
export interface RecipeSchedule<B extends BotMap, I, Q extends Questions = Questions> {
  /** A cron expression, e.g. `0 2 * * *`. */
  cron: string;
  /** IANA time zone. @defaultValue 'Asia/Shanghai' */
  timezone?: string;
  /**
   * The inputs of records that changed since `since` (ISO date `YYYY-MM-DD`). A row that cannot
   * be read is returned as an {@link UnreadableRow}: it becomes one REJECTED run, not a failed sync.
   * `day` is the day (`YYYY-MM-DD`) of the sync's slot. `ask` puts a declared question about the
   * whole batch to a person (ops, for a scheduled sync): with no answer yet the sync fans out
   * nothing, keeps its watermark and waits; the answer runs `list` again, where `ask` returns it.
   */
  list(context: BotHandles<B> & { since: string; day: string; log: Logger; ocr: Ocr; ask: Ask<Q> }): Promise<(I | UnreadableRow)[]>;
}

/** A recipe definition. */
export interface Recipe<B extends BotMap = BotMap, S extends z.ZodType = z.ZodType, R = any, Q extends Questions = Questions> {
  /** Kebab-case id; equals the file name in `recipes/`. */
  id: string;
  title: string;
  bots: B;
  /** Which of `bots` is written to; its session is the one `find`, `write` and `verify` use. */
  target: keyof B & string;
  input: S;
  /**
   * The input is the whole record (a row of a list: name, ID number, phone), not a reference
   * such as a case number: Ferry then seals it with the secret key wherever it is stored (the
   * queue, the run history) instead of refusing it, and only the steps see it open. Such a
   * recipe needs no source bot: its records come from a batch file (`ferry batch`, the 批量 page).
   */
  sealedInput?: boolean;
  /** The business key that identifies "the same record" across retries and triggers. */
  key(input: z.infer<S>): string;
  /** A person's minutes per record, for hours saved. */
  manualMinutes: number;
  /**
   * Runs of this recipe at once, across every worker; `1` enters its records one at a time,
   * in the order they were queued (by priority, then arrival), for a system whose screens keep
   * state between records. Waiting runs hold no worker slot. @defaultValue no limit beyond the workers'
   */
  concurrency?: number;
  /** Attempts for transient errors; defaults to config `FERRY_ATTEMPTS`. */
  attempts?: number;
  schedule?: RecipeSchedule<B, z.infer<S>, Q>;
  /**
   * Questions `read` (or the schedule's `list`) may put to a person with `ctx.ask(id)`: an
   * unreadable number to type, one of several permits to choose, a record or a batch to confirm.
   * Declared here so that whoever takes the answer checks it with the same schema.
   */
  questions?: Q;
  /**
   * Attended confirmation (二次核对): with `'trigger'`, a clerk who asks for it (the staff page's
   * check box) sees the record `read` made before anything is entered, and confirms it or refuses it.
   */
  confirm?: 'trigger';
  /** The lines the clerk checks, each field as the source showed it and as it will be entered. @defaultValue each field of the record */
  confirmRows?(record: R): ConfirmRow[];
  /**
   * Fields of the record the clerk may correct while confirming (lines of `confirmRows` that
   * name a `field`), each with the schema a correction must pass. A corrected record is
   * entered with the corrections in place of what `read` made.
   */
  corrections?: z.ZodObject<z.ZodRawShape>;
  read(context: ReadContext<B, z.infer<S>, Q>): Promise<R>;
  /**
   * Look in the target (`find`) before entering even a record the ledger has never seen. Without
   * it, `find` runs only when an earlier attempt may have entered the record, which spares a search
   * per record. Set it when records may reach the target by other ways: typed by hand at a window,
   * entered by another recipe, or listed again under another key (a 街道's spreadsheet).
   */
  findFirst?: boolean;
  /** The receipt of the record if the target already holds it, else null. */
  find(context: StepContext<B, z.infer<S>, R>): Promise<string | null>;
  /** Enters the record; returns the target's receipt. */
  write(context: StepContext<B, z.infer<S>, R>): Promise<string>;
  verify?(context: StepContext<B, z.infer<S>, R> & { receipt: string }): Promise<void>;
}

/** Declares a recipe; the identity function that gives type inference end to end. */
export function defineRecipe<B extends BotMap, S extends z.ZodType, R, Q extends Questions = {}>(recipe: Recipe<B, S, R, Q>): Recipe<B, S, R, Q> {
  if (!/^[a-z][a-z0-9-]*$/.test(recipe.id)) throw new Error(`recipe id "${recipe.id}" must be kebab-case`);
  if (recipe.concurrency !== undefined && !(Number.isInteger(recipe.concurrency) && recipe.concurrency >= 1)) {
    throw new Error(`recipe ${recipe.id}: concurrency must be a whole number of at least 1, not ${recipe.concurrency}`);
  }
  if (!(recipe.target in recipe.bots)) throw new Error(`recipe ${recipe.id}: target "${recipe.target}" is not one of its bots`);
  if (recipe.corrections && recipe.confirm !== 'trigger') throw new Error(`recipe ${recipe.id}: corrections need confirm: 'trigger'`);
  const questions = recipe.questions && questionsProblem(recipe.questions);
  if (questions) throw new Error(`recipe ${recipe.id}: ${questions}`);
  return recipe;
}
