// Enough of RFC 4180 to preview a file and map its columns: quoted cells with commas, quotes
// and line breaks, a byte-order mark, CRLF, and cells separated by semicolons or tabs as the
// server tells them (`csvDelimiterOf`). The server parses the file again for the import.
import { CSV_DELIMITER_SAMPLE, csvDelimiterOf, withoutFormulaGuard } from '../../../../../src/core/spreadsheet.js';

/**
 * The records of CSV text as written: each the list of its cells, quotes taken off, nothing
 * trimmed (a record with no text is `['']`). A quoted cell may hold the delimiter, quotes and
 * line breaks; a line ends at LF, CR or CRLF.
 */
export function* csvRecords(source: string, delimiter: string): Generator<string[]> {
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < source.length; i++) {
    const char = source[i];
    if (quoted) {
      if (char === '"' && source[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === delimiter) {
      row.push(cell);
      cell = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && source[i + 1] === '\n') i++;
      row.push(cell);
      yield row;
      row = [];
      cell = '';
    } else cell += char;
  }
  row.push(cell);
  yield row;
}

export function parseCsv(text: string, maxRows = Infinity, delimiter = csvDelimiterOf(text.slice(0, CSV_DELIMITER_SAMPLE))): string[][] {
  const rows: string[][] = [];
  for (const row of csvRecords(text.replace(/^\uFEFF/, ''), delimiter)) {
    if (rows.length >= maxRows) break;
    if (row.some((value) => value !== '')) rows.push(row);
  }
  // An export's apostrophe before a cell a spreadsheet would run (`'=1+1`) is taken off, as the server does.
  return rows.map((cells) => cells.map((value) => withoutFormulaGuard(value.trim())));
}
