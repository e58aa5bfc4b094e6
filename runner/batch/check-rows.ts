/**
 * Checking a batch file's rows against a recipe before anything is queued: each cell read as
 * the text the schema expects (refusing what a spreadsheet silently broke: an ID number stored
 * as a number, a date as a serial number, full-width digits), each row parsed with the
 * recipe's input schema, its key computed, and a second row of the same record refused.
 * Reasons name the row and column, never the value.
 */
import type { Recipe } from '../define/recipe.ts';
import { InputError } from '../errors.ts';
import { maskText } from '../access/mask.ts';
import { checkInput } from '../run/trigger.ts';
import type { CellValue, Table, TableRow } from './batch-file.ts';
import { columnsOf, descriptionLine, matchHeaders, type BatchColumn } from './columns.ts';

/** A row that becomes a run. */
export interface GoodRow {
  row: number;
  input: unknown;
  keyId: string;
}

/** A row that does not, and why. */
export interface BadRow {
  row: number;
  /** The column's title, when one column is at fault. */
  column?: string;
  reason: string;
}

/** The verdict on every data row of a file. */
export interface RowsChecked {
  good: GoodRow[];
  bad: BadRow[];
  /** The template's description row, left in the file and skipped. */
  skipped: number;
}

const FULL_WIDTH_DIGIT = /[０-９]/;
const SCIENTIFIC = /^\d(\.\d+)?e\+?\d+$/i;
/** Excel keeps 15 significant digits; a longer number (an 18-digit ID number) has lost its tail. */
const EXCEL_DIGITS = 1e15;

/** A cell as the text its column expects, or the problem with it; undefined for an empty cell. */
export function cellText(cell: CellValue, column: BatchColumn): { text?: string; problem?: string } {
  if (cell === null) return {};
  if (cell instanceof Date) return { text: cell.toISOString().slice(0, 10) };
  if (typeof cell === 'object') return { problem: cell.problem };
  if (typeof cell === 'boolean') return { text: String(cell) };
  if (typeof cell === 'number') {
    if (column.date) {
      return { problem: '日期存成了数字（Excel 日期序号）(the date is stored as an Excel serial number): format the column as a date, or type it as YYYY-MM-DD' };
    }
    if (Math.abs(cell) >= EXCEL_DIGITS) {
      return { problem: '存成了数字，Excel 只保留 15 位，后几位已丢失 (stored as a number: Excel keeps 15 digits, so the last ones are lost): format the column as text and type the numbers again' };
    }
    return { text: String(cell) };
  }
  const text = cell.trim();
  if (text === '') return {};
  if (FULL_WIDTH_DIGIT.test(text)) return { problem: '含有全角数字 (full-width digits): type the digits half-width' };
  if (SCIENTIFIC.test(text)) {
    return { problem: '是科学计数法，后几位已丢失 (in scientific notation, so its last digits are lost): format the column as text and type the numbers again' };
  }
  return { text };
}

/** The template's description row, left in by whoever filled it. */
function isDescriptionLine(texts: Map<string, string | undefined>, columns: BatchColumn[]): boolean {
  return columns.length > 0 && columns.every((column) => (texts.get(column.field) ?? '') === descriptionLine(column));
}

/** Checks every row of `table` for `recipe`; throws a BatchFileError when the headers do not fit. */
export function checkRows(recipe: Recipe, table: Table, hash: (value: string) => string): RowsChecked {
  const columns = columnsOf(recipe);
  const positions = matchHeaders(table.headers, columns);
  const checked: RowsChecked = { good: [], bad: [], skipped: 0 };
  const firstRowOf = new Map<string, number>();
  for (const row of table.rows) {
    const texts = new Map<string, string | undefined>();
    const problem = readCells(row, columns, positions, texts);
    if (!problem && isDescriptionLine(texts, columns.filter((column) => positions.has(column.field)))) {
      checked.skipped++;
      continue;
    }
    if (problem) {
      checked.bad.push({ row: row.number, ...problem });
      continue;
    }
    const verdict = checkRow(recipe, columns, texts, hash);
    if ('reason' in verdict) {
      checked.bad.push({ row: row.number, ...verdict });
      continue;
    }
    const first = firstRowOf.get(verdict.keyId);
    if (first !== undefined) {
      checked.bad.push({ row: row.number, reason: `与第 ${first} 行是同一记录 (the same record as row ${first})` });
      continue;
    }
    firstRowOf.set(verdict.keyId, row.number);
    checked.good.push({ row: row.number, ...verdict });
  }
  return checked;
}

function readCells(row: TableRow, columns: BatchColumn[], positions: Map<string, number>, texts: Map<string, string | undefined>): Omit<BadRow, 'row'> | null {
  for (const column of columns) {
    const position = positions.get(column.field);
    if (position === undefined) continue;
    const { text, problem } = cellText(row.cells[position] ?? null, column);
    if (problem) return { column: column.title, reason: problem };
    texts.set(column.field, text);
  }
  return null;
}

function checkRow(recipe: Recipe, columns: BatchColumn[], texts: Map<string, string | undefined>, hash: (value: string) => string): Omit<GoodRow, 'row'> | Omit<BadRow, 'row'> {
  const raw = Object.fromEntries([...texts].filter(([, text]) => text !== undefined));
  const parsed = recipe.input.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const column = columns.find((candidate) => candidate.field === issue.path[0]);
    const reason = issue.code === 'invalid_type' && raw[String(issue.path[0])] === undefined ? '缺少 (missing)' : issue.message;
    return { ...(column ? { column: column.title } : {}), reason: maskText(reason) };
  }
  try {
    return checkInput(recipe, parsed.data, hash);
  } catch (error) {
    if (error instanceof InputError) return { reason: maskText(error.message) };
    throw error;
  }
}
