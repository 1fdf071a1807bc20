// Customer ids on more than one row of a file: the server names those of one request, but the
// console sends a file in pieces, so it notes the ids of every piece's rows that landed itself.
import { CSV_DELIMITER_SAMPLE, csvDelimiterOf } from '../../../../../src/core/spreadsheet';
import { parseCsv } from './parseCsv';
import { csvRecords, type CsvChunk } from './splitCsv';

export interface RepeatedId {
  id: string;
  /** The file's lines the id is on, in order: the last one's values stand. */
  lines: number[];
}

/**
 * Adds to `seen` the id of each row of `chunk` that landed (not on one of the piece's
 * `rejectedLines`, as the server numbers them), at its line in the file. `idColumn` is the
 * file's column read as the customer id.
 */
export function noteChunkIds(seen: Map<string, number[]>, chunk: CsvChunk, idColumn: string, rejectedLines: ReadonlySet<number>, fileLine: (pieceLine: number) => number): void {
  const text = chunk.text.replace(/^\uFEFF/, '');
  const delimiter = csvDelimiterOf(text.slice(0, CSV_DELIMITER_SAMPLE));
  let at: number | undefined;
  for (const record of csvRecords(text, delimiter)) {
    if (record.blank) continue;
    const cells = parseCsv(record.text, 1, delimiter)[0] ?? [];
    if (at === undefined) {
      at = cells.indexOf(idColumn);
      if (at < 0) return;
      continue;
    }
    const id = cells[at];
    if (!id || rejectedLines.has(record.line)) continue;
    const lines = seen.get(id);
    if (lines) lines.push(fileLine(record.line));
    else seen.set(id, [fileLine(record.line)]);
  }
}

/** The ids of `seen` on more than one line, by their first line. */
export function repeatedIdsOf(seen: ReadonlyMap<string, number[]>): RepeatedId[] {
  return [...seen]
    .filter(([, lines]) => lines.length > 1)
    .map(([id, lines]) => ({ id, lines }))
    .sort((a, b) => (a.lines[0] ?? 0) - (b.lines[0] ?? 0));
}
