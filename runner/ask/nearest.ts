/**
 * The entries of a code list nearest to a value it lacks, as choices for a person: a street
 * renamed in a reorganisation, a unit spelt another way. Nearness is the Dice coefficient of
 * the two texts' character pairs (single characters for one-character texts), which suits
 * Chinese names, where a rename keeps most characters.
 */
import type { Choice } from './question.ts';

function pairsOf(text: string): string[] {
  const chars = [...text];
  return chars.length < 2 ? chars : chars.slice(1).map((char, i) => chars[i] + char);
}

/** Likeness of `a` and `b`, from 0 (no character pair in common) to 1 (the same pairs). */
function likeness(a: string, b: string): number {
  const left = pairsOf(a);
  const right = pairsOf(b);
  const unmatched = [...right];
  let shared = 0;
  for (const pair of left) {
    const at = unmatched.indexOf(pair);
    if (at >= 0) {
      shared++;
      unmatched.splice(at, 1);
    }
  }
  return left.length + right.length === 0 ? 0 : (2 * shared) / (left.length + right.length);
}

/**
 * Up to `limit` entries of `list` that share something with `value`, nearest first (ties in
 * list order), as `choose` choices whose value and label are the entry; `ignore` is text that
 * every entry carries (e.g. 街道) and so says nothing about nearness. Empty when none is near.
 */
export function nearestChoices(value: string, list: readonly string[], options: { limit?: number; ignore?: string } = {}): Choice[] {
  const strip = (text: string) => (options.ignore ? text.replaceAll(options.ignore, '') : text);
  return list.map((entry, i) => ({ entry, i, score: likeness(strip(value), strip(entry)) }))
    .filter((scored) => scored.score > 0)
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .slice(0, options.limit ?? 5)
    .map(({ entry }) => ({ value: entry, label: entry }));
}
