// A row of the file as the download of rejected rows writes it: a cell a spreadsheet would run as
// a formula (`=HYPERLINK(…)`, `@SUM(1)`, `-杭州`) gets the apostrophe exports and the command's
// report put before it, which an import takes off again (`withoutFormulaGuard`). A workbook's
// text cell is never run, but the same text in a CSV file is, the moment Excel opens it.
import { runsAsFormula } from '../../../../../src/core/spreadsheet.js';
import { csvRecords } from './parseCsv.js';

function quoted(cell: string, delimiter: string): string {
  return cell.includes('"') || cell.includes(delimiter) || /[\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/** `record` (its line break kept) with each cell that would run as a formula written `'=…`; as it was when none would. */
export function defusedRecord(record: string, delimiter: string): string {
  const ending = /\r?\n$|\r$/.exec(record)?.[0] ?? '';
  const [cells, beyond] = [...csvRecords(record.slice(0, record.length - ending.length), delimiter)];
  // More than one record is not a row of the file: left as it was.
  if (cells === undefined || beyond !== undefined || !cells.some(runsAsFormula)) return record;
  return cells.map((cell) => quoted(runsAsFormula(cell) ? `'${cell}` : cell, delimiter)).join(delimiter) + ending;
}
