/**
 * The shape every validator here shares: a function that normalises a text and says,
 * in plain language, why it is not valid; and the zod schema built from it.
 */
import { z } from 'zod';

/** A normalised value, or the reason the text is not valid (Chinese, then English). */
export type Checked<T> = { value: T } | { problem: string };

/** A zod string schema that outputs `check`'s normalised value or fails with its problem. */
export function checkedString<T>(check: (text: string) => Checked<T>) {
  return z.string().transform((text, ctx): T => {
    const result = check(text);
    if ('problem' in result) {
      ctx.addIssue(result.problem);
      return z.NEVER;
    }
    return result.value;
  });
}
