// The whole-workbook reader (read-excel-file) the importer's row-at-a-time reader is held to.
import readExcelFile from 'read-excel-file/universal';
import { sheetNumberText } from '../../src/core/spreadsheet.js';

/**
 * The sheets as the whole-workbook reader reads them, numbers as the importer writes them. It
 * floors a date's count of days to the millisecond, where the importer takes the nearest: a time
 * it reads a millisecond short of a whole second is that second (the sheets compared hold times
 * to the second).
 */
export async function readWholeWorkbook(bytes: Uint8Array) {
  const sheets = await readExcelFile(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, { parseNumber: sheetNumberText });
  const nearest = (cell: unknown) => (cell instanceof Date && cell.getTime() % 1000 === 999 ? new Date(cell.getTime() + 1) : cell);
  return sheets.map((sheet) => ({ ...sheet, data: (sheet.data as unknown[][]).map((row) => row.map(nearest)) }));
}
