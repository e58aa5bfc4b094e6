import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { readBatchFile } from '../runner/batch/batch-file.ts';
import { xlsxOf } from '../fixtures/sample-workbooks.ts';

const LIMITS = { maxRows: 10_000, maxBytes: 10 * 1_048_576 };

describe('reading a batch file', () => {
  it('reads a GBK CSV (as Excel in Chinese saves it) and a UTF-8 one with a BOM alike, keeping an ID number as text', async () => {
    const text = '受理编号,备注\r\nSL2026030100001,一号\r\n"SL2026030100002","含,逗号"\r\n';
    const gbk = await readBatchFile(iconv.encode(text, 'gbk'), 'list.csv', LIMITS);
    const utf8 = await readBatchFile(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]), 'list.csv', LIMITS);
    expect(gbk.encoding).toBe('gbk');
    expect(utf8.encoding).toBe('utf-8');
    for (const table of [gbk, utf8]) {
      expect(table.headers).toEqual(['受理编号', '备注']);
      expect(table.rows).toEqual([{ number: 2, cells: ['SL2026030100001', '一号'] }, { number: 3, cells: ['SL2026030100002', '含,逗号'] }]);
    }
    const ids = await readBatchFile(Buffer.from('身份证号\n110101199003074514\n'), 'ids.csv', LIMITS);
    expect(ids.rows[0].cells).toEqual(['110101199003074514']);
  });

  it('reads the first sheet of a workbook: dates as dates, numbers as numbers, a formula by its result, skipping blank rows', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('名单');
    sheet.addRow(['姓名', '出生日期', '数']);
    sheet.addRow(['王芳', new Date(Date.UTC(1990, 2, 7)), { formula: '1+1', result: 2 }]);
    sheet.addRow([]);
    sheet.addRow(['李四', '1990-03-07', 32874]);
    const table = await readBatchFile(Buffer.from(await workbook.xlsx.writeBuffer()), 'x.xlsx', LIMITS);
    expect(table.headers).toEqual(['姓名', '出生日期', '数']);
    expect(table.rows.map((row) => row.number)).toEqual([2, 4]);
    expect(table.rows[0].cells).toEqual(['王芳', new Date(Date.UTC(1990, 2, 7)), 2]);
    expect(table.rows[1].cells).toEqual(['李四', '1990-03-07', 32874]);
  });

  it('refuses, with a reason a person can act on, a file too big, with too many rows, encrypted, corrupt, of another kind, or with merged header cells', async () => {
    const refusal = (bytes: Buffer, name: string, limits = LIMITS) => readBatchFile(bytes, name, limits).then(() => 'read', (error: Error) => `${error.name}: ${error.message}`);
    expect(await refusal(Buffer.alloc(0), 'a.csv')).toContain('empty');
    expect(await refusal(Buffer.alloc(2_000_000, 'a'), 'a.csv', { maxRows: 10, maxBytes: 1_048_576 })).toMatch(/BatchFileError: 文件有 1\.9 MB，超过上限 1\.0 MB/);
    expect(await refusal(Buffer.from('a\n1\n2\n3\n'), 'a.csv', { maxRows: 2, maxBytes: 1_048_576 })).toContain('文件有 3 行数据，超过上限 2 行');
    const ole = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(600)]);
    expect(await refusal(ole, 'secret.xlsx')).toContain('encrypted workbook');
    expect(await refusal(Buffer.concat([Buffer.from('PK\u0003\u0004', 'latin1'), Buffer.alloc(100, 7)]), 'broken.xlsx')).toContain('corrupt');
    expect(await refusal(Buffer.from('just text'), 'notes.docx')).toContain('only .xlsx and .csv');
    expect(await refusal(await xlsxOf(['姓名', '身份证号', '地址', ''], [['王芳', 'x', 'y', 'z']], { merge: 'C1:D1' }), 'm.xlsx')).toContain('表头有合并单元格 C1:D1');
  });
});
