/**
 * How fast a batch file is checked: a 街道's list of N applicants (every field) as a UTF-8 CSV,
 * a GBK CSV and an .xlsx, each read and checked row by row against the list recipe, as
 * `ferry batch --dry-run` and the 批量 page do before anything is queued. No Redis, no browser.
 */
import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';
import { generateApplicants } from '../fixtures/data/applicants.ts';
import listRecipe from '../recipes/flexible-worker-list-enrollment.ts';
import { readBatchFile } from '../runner/batch/batch-file.ts';
import { checkRows } from '../runner/batch/check-rows.ts';
import type { Recipe } from '../runner/define/recipe.ts';
import { SecretBox } from '../runner/access/secrets.ts';
import { randomBytes } from 'node:crypto';
import { LIST_HEADERS, listRow } from '../fixtures/sample-workbooks.ts';

/** One file's figures. */
export interface BatchCheckFigure {
  format: 'csv-utf8' | 'csv-gbk' | 'xlsx';
  megabytes: number;
  seconds: number;
  rowsPerSecond: number;
  good: number;
  bad: number;
}

function csvOf(rows: (string | null)[][]): string {
  const quote = (cell: string | null) => (cell === null ? '' : /[",\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);
  return `${[LIST_HEADERS, ...rows].map((row) => row.map(quote).join(',')).join('\r\n')}\r\n`;
}

/** Checks N rows in each format and reports the time each took. */
export async function runBatchCheckBench(options: { rows: number }): Promise<BatchCheckFigure[]> {
  const applicants = generateApplicants({ seed: 7, count: options.rows, defectRate: 0.03 });
  const rows = applicants.map((a) => listRow(a).map((cell) => (cell === null ? null : String(cell))));
  const csv = csvOf(rows);
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('名单');
  sheet.addRow(LIST_HEADERS);
  for (const row of rows) sheet.addRow(row);
  const files: [BatchCheckFigure['format'], Buffer, string][] = [
    ['csv-utf8', Buffer.from(csv), 'list.csv'],
    ['csv-gbk', iconv.encode(csv, 'gbk'), 'list.csv'],
    ['xlsx', Buffer.from(await workbook.xlsx.writeBuffer()), 'list.xlsx'],
  ];
  const secrets = new SecretBox(randomBytes(32));
  const figures: BatchCheckFigure[] = [];
  for (const [format, bytes, name] of files) {
    const started = performance.now();
    const table = await readBatchFile(bytes, name, { maxRows: options.rows, maxBytes: 100 * 1_048_576 });
    const checked = checkRows(listRecipe as unknown as Recipe, table, (value) => secrets.keyedHash(value));
    const seconds = (performance.now() - started) / 1000;
    figures.push({
      format, megabytes: Number((bytes.length / 1_048_576).toFixed(2)), seconds: Number(seconds.toFixed(2)),
      rowsPerSecond: Math.round(options.rows / seconds), good: checked.good.length, bad: checked.bad.length,
    });
  }
  return figures;
}
