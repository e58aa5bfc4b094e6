/**
 * A row a recipe's `list` step saw but could not read, such as a number shown only as an
 * illegible image. Instead of failing the whole sync (and holding its watermark back for
 * ever), the sync flags each such row as one run that ends REJECTED with the row's reason,
 * for ops to look at; every readable row is fanned out as usual.
 */

/** A listed row that could not be read; return it from `list` among the inputs. */
export class UnreadableRow {
  /**
   * @param ref - names the row from what could be read (day, texts, a number that did read), the same on
   *   every sync that lists it, so a later sync finds the flagged run instead of flagging the row again.
   *   It may carry personal data: Ferry stores only its keyed hash.
   * @param reason - plain language for ops: which row and why it could not be read (masked when stored).
   */
  constructor(readonly ref: string, readonly reason: string) {}
}

/** The key id a flagged row's run is stored under: a keyed hash of its `ref`, apart from every real key. */
export function unreadableKeyId(row: UnreadableRow, hash: (value: string) => string): string {
  return `u-${hash(`unreadable\n${row.ref}`)}`;
}
