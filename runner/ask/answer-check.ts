/**
 * Checking a person's answer against its question, before anything is stored: the declared
 * schema for a typed value, the offered values for a choice, `yes` or `no` for a confirmation.
 */
import { ANSWER_MAX, type Question } from './question.ts';
import type { TaskDetails } from './task-store.ts';

/** The answer as it will be stored, or the problem with it, in Chinese and English. */
export type CheckedAnswer = { value: string } | { problem: string };

/** Checks `raw` (trimmed) as an answer to `question`, whose task offered `details`. */
export function checkAnswer(question: Question, details: TaskDetails, raw: string): CheckedAnswer {
  const value = raw.trim();
  if (!value) return { problem: '请填写答案 (the answer is empty)' };
  if (value.length > ANSWER_MAX) return { problem: `答案超过${ANSWER_MAX}字 (the answer is longer than ${ANSWER_MAX} characters)` };
  if (question.kind === 'confirm') return value === 'yes' || value === 'no' ? { value } : { problem: '请选择"是"或"否" (answer yes or no)' };
  if (question.kind === 'choose') {
    return (details.choices ?? []).some((choice) => choice.value === value) ? { value } : { problem: '请从给出的选项中选择 (choose one of the values offered)' };
  }
  if (!question.schema) return { value };
  const parsed = question.schema.safeParse(value);
  return parsed.success ? { value: parsed.data } : { problem: parsed.error.issues.map((issue) => issue.message).join('; ') };
}
