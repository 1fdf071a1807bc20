// Enough of RFC 4180 to preview a file and map its columns: quoted cells with commas, quotes
// and line breaks, a byte-order mark, CRLF, and cells separated by semicolons or tabs as the
// server tells them (`csvDelimiterOf`). The server parses the file again for the import.
import { CSV_DELIMITER_SAMPLE, csvDelimiterOf, withoutFormulaGuard } from '../../../../../src/core/spreadsheet';

export function parseCsv(text: string, maxRows = Infinity, delimiter = csvDelimiterOf(text.slice(0, CSV_DELIMITER_SAMPLE))): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const source = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < source.length && rows.length < maxRows; i++) {
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
      if (row.some((value) => value !== '')) rows.push(row);
      row = [];
      cell = '';
    } else cell += char;
  }
  row.push(cell);
  if (rows.length < maxRows && row.some((value) => value !== '')) rows.push(row);
  // An export's apostrophe before a cell a spreadsheet would run (`'=1+1`) is taken off, as the server does.
  return rows.map((cells) => cells.map((value) => withoutFormulaGuard(value.trim())));
}
