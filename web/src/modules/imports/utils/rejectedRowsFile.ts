// The download of an import's rejected rows: each row as the file has it, after its line in the
// file (a workbook's row as the sheet numbers it), its code and its reason in the console's
// language, under the columns `tagbase import` writes its report under (`line,code,reason`). The
// reasons stay beside the rows once the page is closed, and the file, put right, imports again
// here or by the command as it stands: a header starting with those columns leaves them out.
import { isRejectedReport, rejectedRowCells, REJECTED_REPORT_COLUMNS } from '../../../../../src/core/import-columns.js';
import { runsAsFormula } from '../../../../../src/core/spreadsheet.js';
import { csvRecords } from './parseCsv.js';

/** An import's rejected rows as the file has them (cells that would run as formulas written `'=…`), each once. */
export interface RejectedRows {
  /** The file's header, its line break included. */
  header: string;
  /** What separates the file's cells: `,`, or `;` or a tab as some spreadsheets save CSV. */
  delimiter: string;
  /** Each row with its line break, at its line in the file (a workbook's row as its sheet numbers it), as `rejections` number them. */
  rows: { line: number; text: string }[];
}

/** A reason a row was refused, as the import's answer lists it (`ImportResultJson['rejections']`). */
interface Rejection {
  line: number;
  code: string;
  reason: string;
  localized?: { en: string; 'zh-CN': string };
}

/** A cell as CSV writes it, kept from running as a formula in a spreadsheet (`'=…`, as exports write it). */
function csvCell(text: string, delimiter: string): string {
  const shown = runsAsFormula(text) ? `'${text}` : text;
  return shown.includes('"') || shown.includes(delimiter) || /[\r\n]/.test(shown) ? `"${shown.replace(/"/g, '""')}"` : shown;
}

/** `record`'s line break, and the record without it. */
function splitEnding(record: string): [string, string] {
  const ending = /\r?\n$|\r$/.exec(record)?.[0] ?? '';
  return [record.slice(0, record.length - ending.length), ending];
}

/**
 * `record` without its first `count` cells (an earlier report's own columns, imported again), the
 * rest written anew; as it is when `count` is 0.
 */
function withoutFirstCells(record: string, delimiter: string, count: number): string {
  if (count === 0) return record;
  const [text, ending] = splitEnding(record);
  const [cells = []] = csvRecords(text, delimiter);
  return cells.slice(count).map((cell) => csvCell(cell, delimiter)).join(delimiter) + ending;
}

/**
 * The CSV text of the download (without its byte-order mark): a rejected row once, however many
 * reasons refused it, its codes and reasons each in one cell. `rejections` are numbered as
 * `rejected.rows` are, as the file numbers its lines.
 */
export function rejectedRowsFile(rejected: RejectedRows, rejections: readonly Rejection[], lang: 'zh-CN' | 'en-US'): string {
  const { delimiter } = rejected;
  const [headerText, headerEnding] = splitEnding(rejected.header);
  const [headerCells = []] = csvRecords(headerText, delimiter);
  // A report imported again, refused again: its old line, code and reason make way for the new.
  const skipped = isRejectedReport(headerCells.map((cell) => cell.trim())) ? REJECTED_REPORT_COLUMNS.length : 0;
  const byLine = new Map<number, Rejection[]>();
  for (const rejection of rejections) byLine.set(rejection.line, [...(byLine.get(rejection.line) ?? []), rejection]);
  const language = lang === 'en-US' ? 'en' : 'zh-CN';
  const lineEnding = headerEnding || '\n';
  const ownHeader = withoutFirstCells(headerText, delimiter, skipped);
  let text = [...REJECTED_REPORT_COLUMNS, ...(ownHeader === '' ? [] : [ownHeader])].join(delimiter) + lineEnding;
  for (const row of rejected.rows) {
    const reasons = (byLine.get(row.line) ?? []).map((reason) => ({ code: reason.code, reason: reason.localized?.[language] ?? reason.reason }));
    const { code: codes, reason: worded } = rejectedRowCells(reasons);
    const [own, ending] = splitEnding(withoutFirstCells(row.text, delimiter, skipped));
    text += [String(row.line), csvCell(codes, delimiter), csvCell(worded, delimiter), ...(own === '' ? [] : [own])].join(delimiter) + (ending || lineEnding);
  }
  return text;
}
