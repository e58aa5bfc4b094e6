import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import listRecipe from '../recipes/flexible-worker-list-enrollment.ts';
import caseRecipe from '../recipes/flexible-worker-enrollment.ts';
import { findUnmaskedPersonalData } from '../runner/access/mask.ts';
import { readBatchFile } from '../runner/batch/batch-file.ts';
import { checkRows } from '../runner/batch/check-rows.ts';
import { escapeFormula, resultWorkbook, templateWorkbook } from '../runner/batch/workbooks.ts';
import { LIST_HEADERS, xlsxOf } from '../fixtures/sample-workbooks.ts';
import { rowsOf } from './support/batch-files.ts';
import type { Recipe } from '../runner/define/recipe.ts';

/** The recipes as the registry holds them. */
const list = listRecipe as unknown as Recipe;
const byCase = caseRecipe as unknown as Recipe;
const LIMITS = { maxRows: 10_000, maxBytes: 10 * 1_048_576 };
const hash = (value: string) => `hashed${value.length}`;
const GOOD = ['李娜', '110101199003074514', '男', '1990-03-07', '13912345678', '江城市临江区湖滨街道文一路1号', '江城市临江区湖滨街道文一路1号', null, ''];

async function check(recipe: Recipe, headers: string[], rows: (string | number | Date | null)[][]) {
  return checkRows(recipe, await readBatchFile(await xlsxOf(headers, rows), 'list.xlsx', LIMITS), hash);
}

describe('checking rows against a recipe', () => {
  it('takes a good row, and refuses each kind of broken cell naming its row and column, never its value', async () => {
    const withCell = (index: number, value: string | number | Date | null) => GOOD.map((cell, i) => (i === index ? value : cell));
    const checked = await check(list, LIST_HEADERS, [
      GOOD,
      withCell(1, 110101199003074514),
      withCell(3, 32939),
      withCell(3, '1990年13月7日'),
      withCell(4, '１３８１２３４５６７８'),
      withCell(1, '1.10101199003075E+17'),
      withCell(0, null),
      withCell(2, 'M'),
      GOOD,
      withCell(3, new Date(Date.UTC(1990, 2, 7))),
    ]);
    expect(checked.good.map((row) => row.row)).toEqual([2]);
    expect(checked.good[0].input).toMatchObject({ idNumber: '110101199003074514', birthDate: '1990-03-07' });
    expect(checked.bad.map(({ row, column }) => [row, column])).toEqual([
      [3, '身份证号'], [4, '出生日期'], [5, '出生日期'], [6, '手机号码'], [7, '身份证号'], [8, '姓名'], [9, '性别'], [10, undefined], [11, undefined],
    ]);
    const reasons = checked.bad.map((bad) => bad.reason);
    expect(reasons[0]).toContain('Excel keeps 15 digits');
    expect(reasons[1]).toContain('Excel serial number');
    expect(reasons[3]).toContain('full-width digits');
    expect(reasons[4]).toContain('scientific notation');
    expect(reasons[5]).toContain('missing');
    expect(reasons[7]).toBe('与第 2 行是同一记录 (the same record as row 2)');
    // A date cell is a date: the row is the same record as row 2, so it is refused as a duplicate, not as a bad date.
    expect(reasons[8]).toContain('row 2');
    expect(findUnmaskedPersonalData(JSON.stringify(checked.bad))).toEqual([]);
  });

  it('matches headers by title or field name, and names every required header a file lacks', async () => {
    const byField = await check(byCase, ['caseNo'], [['SL2026030100007']]);
    expect(byField.good).toHaveLength(1);
    const byTitle = await check(byCase, ['受理编号 (caseNo)'], [['SL2026030100007'], ['SL20260301']]);
    expect(byTitle.bad).toEqual([{ row: 3, column: '受理编号', reason: '受理编号为 SL 加 13 位数字 (case number is SL and 13 digits)' }]);
    await expect(check(list, ['姓名', '身份证号'], [['王芳', '110101199003074514']])).rejects.toThrow(/表头缺少 "性别"、"出生日期"、"手机号码"、"户籍地址"、"现居住地址"/);
  });

  it('gives a template whose headers, drop-downs and example fit the recipe, and reads it back filled in', async () => {
    const template = await templateWorkbook(list);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(template as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(['姓名', '身份证号', '性别', '出生日期', '手机号码', '户籍地址', '现居住地址', '居住证号']);
    expect(sheet.getCell('C2').dataValidation).toBeUndefined();
    expect(sheet.getCell('C3').dataValidation).toMatchObject({ type: 'list', formulae: ['"男,女"'] });
    expect(sheet.getColumn(2).numFmt).toBe('@');
    sheet.getRow(3).values = (GOOD.slice(0, 8).map((cell) => (cell === '110101199003074514' ? '110101199003075293' : cell))) as ExcelJS.CellValue[];
    const filled = Buffer.from(await workbook.xlsx.writeBuffer());
    const checked = checkRows(list, await readBatchFile(filled, 'filled.xlsx', LIMITS), hash);
    expect(checked).toMatchObject({ skipped: 1, bad: [] });
    expect(checked.good.map((row) => row.row)).toEqual([3]);
  });

  it('writes a result workbook that keeps the uploaded cells and escapes every cell that would run as a formula', async () => {
    expect(['=1+1', '+1', '-1', '@SUM(A1)', '\t=x', 'a=b', 12].map(escapeFormula)).toEqual(["'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\t=x", 'a=b', 12]);
    const bytes = await resultWorkbook(
      { headers: ['受理编号', '备注'], rows: [{ number: 2, cells: ['SL2026030100001', '=HYPERLINK("http://evil","x")'] }, { number: 3, cells: ['bad', null] }] },
      [{ row: 2, state: 'DONE', receipt: 'YB2026000001', at: '2026-12-02T01:02:03.000Z' }, { row: 3, state: 'NOT_QUEUED', reason: '受理编号：格式不对' }],
    );
    expect(await rowsOf(bytes)).toEqual([
      ['受理编号', '备注', '状态 state', '回执 receipt', '原因 reason', '时间 time'],
      ['SL2026030100001', `'=HYPERLINK("http://evil","x")`, '已录入 DONE', 'YB2026000001', undefined, '2026/12/2 09:02:03'],
      ['bad', undefined, '未入队 NOT_QUEUED', undefined, '受理编号：格式不对'],
    ]);
  });
});
