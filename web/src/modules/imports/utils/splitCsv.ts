// Cuts a CSV file into pieces the server can take one at a time. A record ends at a line break
// outside quotes, so a quoted cell holding line breaks stays whole. Each piece keeps the raw
// text of its records, blank lines included, so a line the server reports in a piece maps back
// to the file by an offset alone.
import { MAX_LISTED_REJECTIONS } from '../../../../../src/core/import-columns';
import { CSV_DELIMITER_SAMPLE, csvDelimiterOf } from '../../../../../src/core/spreadsheet';
export interface CsvChunk {
  /** The header followed by this piece's records, as they are in the file. */
  text: string;
  /** Data rows in the piece (blank lines not counted). */
  rows: number;
  /** Add to a line number the server reports for this piece to get the line in the file. */
  lineOffset: number;
}

export interface SplitCsv {
  chunks: CsvChunk[];
  /** Data rows in the whole file. */
  rows: number;
  /** The records left out above the header (`skip`), with their lines in the file. */
  skipped: { line: number; text: string }[];
}

export interface RawRecord {
  text: string;
  /** The file line the record starts on, from 1. */
  line: number;
  /** Physical lines the record spans, its line break included. */
  lines: number;
  blank: boolean;
}

/** Whether a record holds no cell: a blank line, or one of delimiters alone (`,,,,` as a spreadsheet saves an empty row). */
function isBlank(text: string, delimiter: string): boolean {
  return text.split(delimiter).every((cell) => cell.trim() === '' || cell.trim() === '""');
}

/** The file's records as they are in it, each with the line it starts on. */
export function* csvRecords(source: string, delimiter = csvDelimiterOf(source.slice(0, CSV_DELIMITER_SAMPLE))): Generator<RawRecord> {
  let start = 0;
  let line = 1;
  let breaks = 0;
  let quoted = false;
  for (let i = 0; i < source.length; i++) {
    const char = source[i];
    if (char === '"') quoted = !quoted;
    else if (char === '\n' || char === '\r') {
      if (char === '\r' && source[i + 1] === '\n') i++;
      breaks++;
      if (!quoted) {
        const text = source.slice(start, i + 1);
        yield { text, line, lines: breaks, blank: isBlank(text, delimiter) };
        line += breaks;
        breaks = 0;
        start = i + 1;
      }
    }
  }
  if (start < source.length) {
    const text = source.slice(start);
    yield { text, line, lines: breaks + 1, blank: isBlank(text, delimiter) };
  }
}

/**
 * The file in pieces of at most `maxRows` data rows and about `maxChars` characters, each
 * starting with the header, after `skip` records of titles above it. A file with only a header gives no pieces. The character cap keeps
 * a piece of long rows under the server's 16 MB body limit even at three UTF-8 bytes a character.
 */
export function splitCsv(text: string, maxRows = MAX_LISTED_REJECTIONS, maxChars = 2 * 1024 * 1024, skip = 0): SplitCsv {
  const source = text.replace(/^\uFEFF/, '');
  const chunks: CsvChunk[] = [];
  let header: RawRecord | undefined;
  let headerText = '';
  let body: string[] = [];
  let bodyChars = 0;
  let rows = 0;
  let total = 0;
  let firstLine = 0;
  const skipped: SplitCsv['skipped'] = [];
  const flush = () => {
    if (header && rows > 0) chunks.push({ text: headerText + body.join(''), rows, lineOffset: firstLine - header.lines - 1 });
    body = [];
    bodyChars = 0;
    rows = 0;
  };
  for (const record of csvRecords(source)) {
    if (!header) {
      // The server takes the first non-blank line as the header; each piece starts with it.
      if (record.blank) continue;
      // Title rows above the header (see `headerRowIndex`) stay out of every piece.
      if (skipped.length < skip) {
        skipped.push({ line: record.line, text: record.text });
        continue;
      }
      header = record;
      headerText = /[\r\n]$/.test(record.text) ? record.text : `${record.text}\n`;
      continue;
    }
    if (rows > 0 && !record.blank && (rows >= maxRows || bodyChars + record.text.length > maxChars)) flush();
    if (body.length === 0) firstLine = record.line;
    body.push(record.text);
    bodyChars += record.text.length;
    if (!record.blank) {
      rows++;
      total++;
    }
  }
  flush();
  return { chunks, rows: total, skipped };
}
