// A row of the file as the download of rejected rows writes it: a cell a spreadsheet would run as
// a formula (`=HYPERLINK(…)`, `@SUM(1)`, `-杭州`) gets the apostrophe exports and the command's
// report put before it, which an import takes off again (`withoutFormulaGuard`). A workbook's
// text cell is never run, but the same text in a CSV file is, the moment Excel opens it.
import { runsAsFormula } from '../../../../../src/core/spreadsheet.js';

/** The cells of one record (a quoted cell may hold the delimiter, quotes and line breaks), as they read. */
function cellsOf(record: string, delimiter: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < record.length; i++) {
    const char = record[i];
    if (quoted) {
      if (char === '"' && record[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === delimiter) {
      cells.push(cell);
      cell = '';
    } else cell += char;
  }
  cells.push(cell);
  return cells;
}

function quoted(cell: string, delimiter: string): string {
  return cell.includes('"') || cell.includes(delimiter) || /[\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/** `record` (its line break kept) with each cell that would run as a formula written `'=…`; as it was when none would. */
export function defusedRecord(record: string, delimiter: string): string {
  const ending = /\r?\n$|\r$/.exec(record)?.[0] ?? '';
  const cells = cellsOf(record.slice(0, record.length - ending.length), delimiter);
  if (!cells.some(runsAsFormula)) return record;
  return cells.map((cell) => quoted(runsAsFormula(cell) ? `'${cell}` : cell, delimiter)).join(delimiter) + ending;
}
