/**
 * Checking a person's answer against its question, before anything is stored: the declared
 * schema for a typed value, the offered values for a choice, `yes` or `no` for a confirmation,
 * or the fields a person corrected while confirming, each against the recipe's schema.
 */
import { ANSWER_MAX, CORRECTIONS_MAX, type ConfirmRow, type Question } from './question.ts';
import type { TaskDetails } from './task-store.ts';

/** The answer as it will be stored, or the problem with it, in Chinese and English. */
export type CheckedAnswer = { value: string } | { problem: string };

/** Checks `raw` (trimmed) as an answer to `question`, whose task offered `details`. */
export function checkAnswer(question: Question, details: TaskDetails, raw: string): CheckedAnswer {
  const value = raw.trim();
  if (!value) return { problem: '请填写答案 (the answer is empty)' };
  const max = question.kind === 'confirm' && question.corrections ? CORRECTIONS_MAX : ANSWER_MAX;
  if (value.length > max) return { problem: `答案超过${max}字 (the answer is longer than ${max} characters)` };
  if (question.kind === 'confirm') return checkConfirmation(question, value);
  if (question.kind === 'choose') {
    return (details.choices ?? []).some((choice) => choice.value === value) ? { value } : { problem: '请从给出的选项中选择 (choose one of the values offered)' };
  }
  if (!question.schema) return { value };
  const parsed = question.schema.safeParse(value);
  return parsed.success ? { value: parsed.data } : { problem: parsed.error.issues.map((issue) => issue.message).join('; ') };
}

/** `yes`, `no`, or corrections: a JSON object of the fields changed, each passing the question's `corrections` schema. */
function checkConfirmation(question: Question, value: string): CheckedAnswer {
  if (value === 'yes' || value === 'no') return { value };
  if (!question.corrections || !value.startsWith('{')) return { problem: '请选择"是"或"否" (answer yes or no)' };
  let fields: unknown;
  try {
    fields = JSON.parse(value);
  } catch {
    return { problem: '更正内容不是 JSON 对象 (the corrections are not a JSON object)' };
  }
  const parsed = question.corrections.partial().strict().safeParse(fields);
  if (!parsed.success) return { problem: parsed.error.issues.map((issue) => issue.message).join('; ') };
  return Object.keys(parsed.data).length === 0 ? { value: 'yes' } : { value: JSON.stringify(parsed.data) };
}

/** The answer a confirmation form gives: `yes`, or the correctable fields whose submitted value differs from what `rows` showed, as a JSON object. */
export function confirmationAnswer(rows: ConfirmRow[], submitted: Record<string, string | undefined>): string {
  const changed = rows.flatMap((row) => {
    const typed = row.field ? submitted[row.field]?.trim() : undefined;
    return typed !== undefined && typed !== row.target ? [[row.field!, typed]] : [];
  });
  return changed.length > 0 ? JSON.stringify(Object.fromEntries(changed)) : 'yes';
}
