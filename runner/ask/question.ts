/**
 * Folder `runner/ask/`: asking a person. A recipe declares its questions; `read` asks one
 * with `ctx.ask`; with no stored answer the run ends its attempt WAITING_FOR_PERSON and a task
 * waits in the inbox; an answer is checked, stored once, audited, and runs the record again.
 * A sweep escalates, expires and resumes what a crash or a race left behind.
 *
 * This file: what a question is, as a recipe declares it and as `read` asks it.
 */
import type { z } from 'zod';

/** How a person answers: type a value, choose one of the offered values, or confirm (`yes` / `no`). */
export type QuestionKind = 'value' | 'choose' | 'confirm';

/**
 * A question a recipe may ask in `read`, declared on the recipe (`questions`) so that
 * whoever takes the answer (the dashboard, the CLI) checks it with the same schema.
 */
export interface Question {
  kind: QuestionKind;
  /** What the person is asked, in Chinese and English; no personal data (that goes in `detail` or the image). */
  prompt: { zh: string; en: string };
  /** What a typed value must pass (e.g. an ID number with its check digit); applies to `value` questions. */
  schema?: z.ZodType<string, any, any>;
  /** Who answers: the person who triggered the run (ops when a schedule or batch did), or ops. @defaultValue 'trigger' */
  answeredBy?: 'trigger' | 'ops';
  /** Minutes before an unanswered question goes to ops as well. @defaultValue 30 */
  escalateAfterMinutes?: number;
  /** Minutes before an unanswered question rejects its run with "no answer". @defaultValue 4320 (3 days) */
  rejectAfterMinutes?: number;
  /**
   * For `confirm`: the record's fields a person may correct while confirming, each with the
   * schema it must pass. A confirmation with corrections is answered with the changed fields
   * as a JSON object (`{"phone":"13912345678"}`) instead of `yes`.
   */
  corrections?: z.ZodObject<z.ZodRawShape>;
}

/** The declared questions of a recipe, by id (letters, digits and `-`, starting with a letter). */
export type Questions = Record<string, Question>;

/** One value a `choose` question offers. `label` may hold personal data: it is sealed at rest. */
export interface Choice {
  value: string;
  label: string;
}

/** One line of a record a clerk confirms: the field, as the source showed it and as it will be entered. */
export interface ConfirmRow {
  label: string;
  source?: string;
  target: string;
  /** The record's field this line enters, when the clerk may correct it (a key of the recipe's `corrections`). */
  field?: string;
}

/** What `ask` adds to a declared question for this record. */
export interface AskDetails {
  /** The image the person reads (e.g. the crop OCR could not read); PNG. Sealed at rest. */
  image?: Buffer;
  /** The values a `choose` question offers. */
  choices?: Choice[];
  /** A line of context for the person (may hold personal data; sealed at rest, shown only to who may answer). */
  detail?: string;
  /** The record to confirm, line by line (sealed at rest). */
  rows?: ConfirmRow[];
}

/**
 * `ctx.ask` in `read` (and in a schedule's `list`): the stored answer to question `id`, or, when
 * there is none yet, the end of this attempt: the run waits for a person (WAITING_FOR_PERSON).
 * `confirm` questions answer `yes` or `no`.
 */
export type Ask<Q extends Questions> = (id: keyof Q & string, details?: AskDetails) => Promise<string>;

/** Thrown by `ask` when no answer is stored: not a failure; the executor turns it into WAITING_FOR_PERSON. */
export class PersonNeededError extends Error {
  constructor(readonly questionId: string, readonly question: Question, readonly details: AskDetails) {
    super(`waiting for a person to answer "${questionId}"`);
    this.name = 'PersonNeededError';
  }
}

/**
 * The question of attended confirmation (二次核对): a recipe with `confirm: 'trigger'` asks it after
 * `read` when the clerk asked for it, showing the record to be entered; only that clerk sees it.
 */
export const CONFIRM_QUESTION_ID = 'confirm-record';
export const CONFIRM_QUESTION: Question = {
  kind: 'confirm',
  prompt: { zh: '请核对将要录入的内容：与申请材料一致吗？', en: 'Check what will be entered: does it match the application?' },
  answeredBy: 'trigger',
  rejectAfterMinutes: 24 * 60,
};

export const QUESTION_ID = /^[a-z][a-zA-Z0-9-]{0,39}$/;
export const ESCALATE_AFTER_MINUTES = 30;
export const REJECT_AFTER_MINUTES = 3 * 24 * 60;
/** The longest answer taken; a confirmation's corrections may be longer. */
export const ANSWER_MAX = 200;
export const CORRECTIONS_MAX = 2000;

/** Checks a recipe's declared questions; a message naming the problem, or null. */
export function questionsProblem(questions: Questions): string | null {
  for (const [id, question] of Object.entries(questions)) {
    if (id === CONFIRM_QUESTION_ID) return `question id "${id}" is Ferry's own (confirm: 'trigger')`;
    if (!QUESTION_ID.test(id)) return `question id "${id}" must start with a lower-case letter and hold only letters, digits and "-"`;
    if (!['value', 'choose', 'confirm'].includes(question.kind)) return `question "${id}": kind must be value, choose or confirm`;
    if (!question.prompt?.zh || !question.prompt?.en) return `question "${id}" needs a prompt in Chinese and English`;
    for (const [name, minutes] of [['escalateAfterMinutes', question.escalateAfterMinutes], ['rejectAfterMinutes', question.rejectAfterMinutes]] as const) {
      if (minutes !== undefined && !(Number.isInteger(minutes) && minutes >= 1)) return `question "${id}": ${name} must be a whole number of minutes, at least 1`;
    }
  }
  return null;
}
