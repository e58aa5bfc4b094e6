/**
  * The two workbooks people download: a recipe's template (its headers, a description row with
 * an example, code lists as drop-downs, every column formatted as text so ID numbers keep their
 * digits) and a batch's result (the uploaded columns, then state, receipt, reason and time).
 * Every cell written from a person's data that starts with `=`, `+`, `-`, `@`, a tab or a
 * carriage return is escaped with a leading `'`, so a workbook opened later runs no formula.
 */
import ExcelJS from 'exceljs';
import type { Recipe } from '../define/recipe.ts';
import { columnsOf, descriptionLine } from './columns.ts';
import type { BatchCells } from './batch-store.ts';
import type { RowOutcome, RowState } from './batch-progress.ts';

/** exceljs validates whole ranges at run time (one rule per column); its types know only the per-cell form. */
type WithRangeValidations = ExcelJS.Worksheet & { dataValidations: { add(range: string, validation: ExcelJS.DataValidation): void } };

/** Rows of a template that people fill in and that carry the code lists' drop-downs. */
const TEMPLATE_ROWS = 1000;

const FORMULA_START = /^[=+\-@\t\r]/;

/** A cell value that cannot become a formula in Excel, WPS or LibreOffice. */
export function escapeFormula<T>(value: T): T | string {
  return typeof value === 'string' && FORMULA_START.test(value) ? `'${value}` : value;
}

/** What a row's state is called in the result workbook. */
const STATE_LABELS: Record<RowState, string> = {
  DONE: '已录入 DONE', REJECTED: '退回 REJECTED', FAILED: '失败 FAILED', NEEDS_REVIEW: '待核查 NEEDS_REVIEW',
  DISCARDED: '已作废 DISCARDED', WAITING_FOR_PERSON: '等待人工 WAITING_FOR_PERSON', RUNNING: '处理中 RUNNING',
  QUEUED: '排队中 QUEUED', CHECKED: '未提交 CHECKED', NOT_QUEUED: '未入队 NOT_QUEUED',
};

async function toBuffer(workbook: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function columnLetter(index: number): string {
  let letters = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

/** The template workbook of a recipe that takes batches. */
export async function templateWorkbook(recipe: Recipe): Promise<Buffer> {
  const columns = columnsOf(recipe);
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(recipe.id.slice(0, 31));
  sheet.columns = columns.map((column) => ({ header: column.title, key: column.field, width: Math.max(14, column.title.length * 2 + 4, (column.example ?? '').length + 4), style: { numFmt: '@' } }));
  sheet.addRow(columns.map(descriptionLine));
  const header = sheet.getRow(1);
  header.font = { bold: true };
  header.eachCell((cell, index) => {
    cell.note = `${columns[index - 1].field}${columns[index - 1].required ? '' : ' (optional)'}`;
  });
  sheet.getRow(2).font = { italic: true, color: { argb: 'FF666666' } };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  columns.forEach((column, index) => {
    if (!column.choices) return;
    const letter = columnLetter(index);
    (sheet as WithRangeValidations).dataValidations.add(`${letter}3:${letter}${TEMPLATE_ROWS + 3}`, {
      type: 'list', allowBlank: !column.required, formulae: [`"${column.choices.join(',')}"`],
      showErrorMessage: true, errorTitle: column.title, error: `请从下拉列表中选择 (choose one of: ${column.choices.join(', ')})`,
    });
  });
  return toBuffer(workbook);
}

/** The result workbook of a batch: the uploaded cells as they were, escaped, then each row's fate. */
export async function resultWorkbook(cells: BatchCells, outcomes: RowOutcome[]): Promise<Buffer> {
  const byRow = new Map(outcomes.map((outcome) => [outcome.row, outcome]));
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('结果 result');
  const extra = ['状态 state', '回执 receipt', '原因 reason', '时间 time'];
  sheet.addRow([...cells.headers, ...extra].map(escapeFormula));
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  for (const row of cells.rows) {
    const outcome = byRow.get(row.number);
    const original = Array.from({ length: cells.headers.length }, (_, i) => escapeFormula(row.cells[i] ?? null));
    sheet.addRow([
      ...original,
      outcome ? STATE_LABELS[outcome.state] : null,
      escapeFormula(outcome?.receipt ?? null),
      escapeFormula(outcome?.reason ?? null),
      outcome?.at ? new Date(outcome.at).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) : null,
    ]);
  }
  // Numbers stay numbers, as uploaded; text columns stay text, so nothing is re-read as a date or a formula.
  sheet.columns.forEach((column) => {
    column.width = 16;
  });
  return toBuffer(workbook);
}
