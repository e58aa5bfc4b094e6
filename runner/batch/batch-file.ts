/**
 * Reading an uploaded batch file (.xlsx, or .csv in UTF-8 or GBK) into a table of cells, with
 * exceljs. Whatever makes the file as a whole unusable (too big, encrypted, corrupt, merged
 * header cells, too many rows) is a {@link BatchFileError}, and nothing is queued from it.
 */
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { InputError } from '../errors.ts';

/** A file Ferry will not take, with the reason a person can act on. */
export class BatchFileError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = 'BatchFileError';
  }
}

/** The limits a batch file must keep. */
export interface BatchLimits {
  /** @defaultValue 10000 */
  maxRows: number;
  /** @defaultValue 10 MB */
  maxBytes: number;
}

/** A cell as read: text, a number, a truth value, a date (from a date-formatted cell), or a problem already named. */
export type CellValue = string | number | boolean | Date | { problem: string } | null;

/** One data row of the sheet, numbered as the spreadsheet numbers it. */
export interface TableRow {
  number: number;
  cells: CellValue[];
}

/** The first sheet (or the CSV) as headers and data rows. */
export interface Table {
  format: 'xlsx' | 'csv';
  /** The CSV's encoding, as detected. */
  encoding?: 'utf-8' | 'gbk';
  sheet: string;
  /** The header row's number (the first row that holds anything). */
  headerRow: number;
  headers: string[];
  rows: TableRow[];
}

const ZIP = Buffer.from('PK\u0003\u0004', 'latin1');
const OLE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0]);

/** Reads `bytes` (a file named `fileName`) into a table, or throws a {@link BatchFileError}. */
export async function readBatchFile(bytes: Buffer, fileName: string, limits: BatchLimits): Promise<Table> {
  if (bytes.length === 0) throw new BatchFileError('文件是空的 (the file is empty)');
  if (bytes.length > limits.maxBytes) {
    throw new BatchFileError(`文件有 ${megabytes(bytes.length)}，超过上限 ${megabytes(limits.maxBytes)} (the file is over the size limit): split it into smaller files`);
  }
  if (bytes.subarray(0, 4).equals(OLE)) {
    throw new BatchFileError('这是加密的工作簿或旧版 .xls 文件 (an encrypted workbook, or an old .xls): remove the password and save it as .xlsx');
  }
  const table = bytes.subarray(0, 4).equals(ZIP) ? await readXlsx(bytes) : await readCsv(bytes, fileName);
  if (table.rows.length > limits.maxRows) {
    throw new BatchFileError(`文件有 ${table.rows.length} 行数据，超过上限 ${limits.maxRows} 行 (more rows than the limit): split it into smaller files`);
  }
  return table;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(1)} MB`;
}

async function readXlsx(bytes: Buffer): Promise<Table> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw new BatchFileError('工作簿已损坏，无法读取 (the workbook is corrupt or not an .xlsx file): open it in Excel or WPS and save it again');
  }
  const sheet = workbook.worksheets.find((candidate) => candidate.state === 'visible' && candidate.actualRowCount > 0);
  if (!sheet) throw new BatchFileError('工作簿中没有数据 (the workbook holds no data)');
  let headerRow = 0;
  sheet.eachRow((row, number) => {
    if (!headerRow && row.actualCellCount > 0) headerRow = number;
  });
  const merged = (sheet.model.merges ?? []).filter((range) => rowsOf(range).includes(headerRow));
  if (merged.length > 0) {
    throw new BatchFileError(`表头有合并单元格 ${merged.join(', ')} (merged header cells): unmerge them so each column has its own header`);
  }
  const header = sheet.getRow(headerRow);
  const width = header.cellCount;
  const headers = Array.from({ length: width }, (_, i) => headerText(header.getCell(i + 1).value));
  const rows: TableRow[] = [];
  sheet.eachRow((row, number) => {
    if (number <= headerRow) return;
    const cells = Array.from({ length: Math.max(width, row.cellCount) }, (_, i) => xlsxCell(row.getCell(i + 1).value));
    if (cells.some((cell) => cell !== null && cell !== '')) rows.push({ number, cells });
  });
  return { format: 'xlsx', sheet: sheet.name, headerRow, headers, rows };
}

/** The row numbers a merged range such as `C1:D2` spans. */
function rowsOf(range: string): number[] {
  const [from, to = from] = range.split(':').map((cell) => Number(/\d+$/.exec(cell)?.[0]));
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

function headerText(value: ExcelJS.CellValue): string {
  const cell = xlsxCell(value);
  return cell === null || typeof cell === 'object' ? '' : String(cell).trim();
}

/** An exceljs cell value as Ferry reads it: a formula by its computed result, rich text as its text. */
function xlsxCell(value: ExcelJS.CellValue): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value instanceof Date) return value;
  if ('richText' in value) return value.richText.map((run) => run.text).join('');
  if ('hyperlink' in value) return typeof value.text === 'string' ? value.text : xlsxCell(value.text as ExcelJS.CellValue);
  if ('error' in value) return { problem: `单元格是错误值 ${value.error} (the cell holds an error value)` };
  if ('formula' in value || 'sharedFormula' in value) {
    const result = (value as ExcelJS.CellFormulaValue).result;
    if (result === undefined || result === null || (typeof result === 'object' && !(result instanceof Date))) {
      return { problem: '单元格是没有计算结果的公式 (the cell is a formula with no stored result): paste it as values' };
    }
    return result;
  }
  return { problem: '无法识别的单元格内容 (the cell\'s content is not text, a number or a date)' };
}

async function readCsv(bytes: Buffer, fileName: string): Promise<Table> {
  if (!/\.(csv|txt)$/i.test(fileName)) {
    throw new BatchFileError('只接受 .xlsx 或 .csv 文件 (only .xlsx and .csv files are taken)');
  }
  const { text, encoding } = decodeText(bytes);
  if (text.includes('\u0000')) throw new BatchFileError('文件不是文本 CSV (the file is not a text CSV): save it as .xlsx or CSV UTF-8');
  const firstLine = text.slice(0, text.indexOf('\n') === -1 ? undefined : text.indexOf('\n'));
  const delimiter = (firstLine.match(/\t/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? '\t' : ',';
  const workbook = new ExcelJS.Workbook();
  let sheet: ExcelJS.Worksheet;
  try {
    // `map` keeps every value as the text it is: no guessing of numbers or dates, which would cut an ID number.
    sheet = await workbook.csv.read(Readable.from([text]), { map: (value: string) => value, parserOptions: { delimiter } } as never);
  } catch (error) {
    throw new BatchFileError(`CSV 无法解析 (the CSV cannot be parsed): ${(error as Error).message.slice(0, 120)}`);
  }
  const lines: TableRow[] = [];
  sheet.eachRow((row, number) => {
    const cells = (row.values as unknown[]).slice(1).map((value) => (value === undefined || value === null ? null : String(value)));
    if (cells.some((cell) => cell !== null && cell.trim() !== '')) lines.push({ number, cells });
  });
  if (lines.length === 0) throw new BatchFileError('文件中没有数据 (the file holds no data)');
  const [header, ...rows] = lines;
  return {
    format: 'csv', encoding, sheet: fileName, headerRow: header.number,
    headers: header.cells.map((cell) => String(cell ?? '').trim()), rows,
  };
}

/** UTF-8 (with or without a BOM) when the bytes are valid UTF-8, else GBK (GB18030, as Excel in Chinese saves CSV). */
function decodeText(bytes: Buffer): { text: string; encoding: 'utf-8' | 'gbk' } {
  const body = bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])) ? bytes.subarray(3) : bytes;
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(body), encoding: 'utf-8' };
  } catch {
    return { text: iconv.decode(body, 'gb18030'), encoding: 'gbk' };
  }
}
