/**
 * Parsing a record read from a screen or an input against its schema. Data that does
 * not fit is a business problem no retry fixes, so it throws {@link BusinessError}
 * (a bare ZodError would be retried as transient), naming each bad field with
 * personal data masked.
 */
import type { z } from 'zod';
import { BusinessError } from '../errors.ts';
import { maskText } from '../access/mask.ts';

/** The parsed record, or a {@link BusinessError} listing every field that does not fit. */
export function parseRecord<S extends z.ZodType>(schema: S, data: unknown): z.output<S> {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'record'}: ${issue.message}`);
  throw new BusinessError(maskText(problems.join('; ')));
}
