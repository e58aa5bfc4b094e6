/**
 * The `ask` a run's `read` gets: a stored answer comes back at once, so a step that runs
 * again after the answer takes the same path; a question with none ends the attempt
 * (PersonNeededError). Once `read` is over, `ask` refuses: a pause in `find`, `write` or
 * `verify` would leave a record half-entered.
 */
import type { Recipe } from '../define/recipe.ts';
import type { RecipeRegistry } from '../define/registry.ts';
import { BusinessError, RecipeBugError } from '../errors.ts';
import { CONFIRM_QUESTION, CONFIRM_QUESTION_ID, PersonNeededError, type Ask, type ConfirmRow, type Question, type Questions } from './question.ts';
import type { TaskStore } from './task-store.ts';

/** An `ask` for one record, and the switch that closes it when `read` ends. */
export interface Asker {
  ask: Ask<Questions>;
  close(): void;
}

/** The `ask` of the record (recipe, key id), over the recipe's declared `questions`. */
export function askerFor(tasks: TaskStore, record: { recipe: string; keyId: string }, questions: Questions = {}): Asker {
  let open = true;
  return {
    close: () => void (open = false),
    ask: async (id, details = {}) => {
      if (!open) throw new RecipeBugError(`ask("${id}") after read: only read may ask a person, as a pause in find, write or verify would leave a record half-entered`);
      const question = Object.hasOwn(questions, id) ? questions[id] : undefined;
      if (!question) throw new RecipeBugError(`ask("${id}"): the recipe declares no such question in \`questions\``);
      const stored = await tasks.storedAnswer(record.recipe, record.keyId, id);
      if (stored !== undefined) return stored;
      throw new PersonNeededError(id, question, details);
    },
  };
}

/** Every question a recipe may ask: those it declares, and the confirmation (with its corrections) when it has `confirm: 'trigger'`. */
export function questionsOf(recipe: Pick<Recipe, 'questions' | 'confirm' | 'corrections'>): Questions {
  if (recipe.confirm !== 'trigger') return { ...recipe.questions };
  return { ...recipe.questions, [CONFIRM_QUESTION_ID]: { ...CONFIRM_QUESTION, ...(recipe.corrections ? { corrections: recipe.corrections } : {}) } };
}

/** The question a task asks, or undefined when its recipe no longer loads or no longer declares it. */
export function questionOfTask(recipes: RecipeRegistry, task: { recipe: string; question: string }): Question | undefined {
  const recipe = recipes.all().find((candidate) => candidate.id === task.recipe);
  return recipe ? questionsOf(recipe)[task.question] : undefined;
}

/** Each field of a record as one line, when the recipe says nothing better. */
function rowsOf(record: unknown): ConfirmRow[] {
  return Object.entries(record ?? {}).filter(([, value]) => value !== undefined).map(([label, value]) => ({ label, target: String(value) }));
}

/**
 * Asks the clerk to confirm the record `read` made, and returns it as confirmed: with the
 * clerk's corrections applied when they corrected fields; a "no" refuses the record.
 */
export async function confirmRecord<R>(ask: Ask<Questions>, recipe: Pick<Recipe, 'confirmRows' | 'corrections'>, record: R): Promise<R> {
  const rows = recipe.confirmRows ? recipe.confirmRows(record) : rowsOf(record);
  const unknown = rows.find((row) => row.field && !(recipe.corrections && Object.hasOwn(recipe.corrections.shape, row.field)));
  if (unknown) throw new RecipeBugError(`confirmRows: line "${unknown.label}" names field "${unknown.field}", which the recipe's \`corrections\` does not declare`);
  const answer = await ask(CONFIRM_QUESTION_ID, { rows });
  if (answer === 'yes') return record;
  if (answer === 'no' || !recipe.corrections) {
    throw new BusinessError('窗口核对未通过：将录入的内容与申请材料不一致 (the clerk found the record does not match the application)');
  }
  // Checked when the answer was taken; checked again, as the recipe may have changed since.
  const corrected = recipe.corrections.partial().strict().safeParse(JSON.parse(answer));
  if (!corrected.success) throw new BusinessError('窗口更正的内容不再符合录入要求 (the clerk\'s corrections no longer pass the recipe\'s checks)');
  return { ...record, ...corrected.data };
}
