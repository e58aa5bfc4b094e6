/** Reading workbooks back in batch tests, as a person opening them would see them. */
import ExcelJS from 'exceljs';

/** The rows of an .xlsx's first sheet as cell values (row 1 first). */
export async function rowsOf(bytes: Buffer): Promise<unknown[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const rows: unknown[][] = [];
  workbook.worksheets[0].eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}
