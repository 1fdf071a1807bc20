// Reads an import file row by row, CSV (with a header) or JSON Lines, keeping the line
// number of each row so that rejected rows can be reported precisely.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';

export type ImportFormat = 'csv' | 'jsonl';

/** One row: either a record of column → value, or why the row could not be read. */
export type RawRow = { line: number; record: Record<string, unknown>; error?: undefined } | { line: number; error: string; record?: undefined };

export function formatOf(path: string, explicit?: string): ImportFormat {
  if (explicit === 'csv' || explicit === 'jsonl') return explicit;
  if (explicit !== undefined) throw new Error(`--format must be csv or jsonl; got "${explicit}"`);
  if (/\.(jsonl|ndjson|json)$/i.test(path)) return 'jsonl';
  if (/\.csv$/i.test(path)) return 'csv';
  throw new Error(`cannot tell the format of "${path}" from its name; pass --format csv or --format jsonl`);
}

/** Rows of a file; `onBytes` reports how far the reading got, for the progress bar. */
export async function* readRows(path: string, format: ImportFormat, onBytes?: (bytes: number) => void): AsyncGenerator<RawRow> {
  const stream = createReadStream(path);
  if (onBytes) stream.on('data', () => onBytes(stream.bytesRead));
  if (format === 'jsonl') yield* readJsonLines(stream);
  else yield* readCsv(stream);
}

async function* readJsonLines(stream: NodeJS.ReadableStream): AsyncGenerator<RawRow> {
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) {
    line++;
    const trimmed = (line === 1 ? text.replace(/^\uFEFF/, '') : text).trim();
    if (trimmed === '') continue;
    try {
      const value: unknown = JSON.parse(trimmed);
      if (typeof value !== 'object' || value === null || Array.isArray(value)) yield { line, error: 'a line must hold one JSON object' };
      else yield { line, record: value as Record<string, unknown> };
    } catch (error) {
      yield { line, error: `not valid JSON: ${(error as Error).message}` };
    }
  }
}

async function* readCsv(stream: NodeJS.ReadableStream): AsyncGenerator<RawRow> {
  const parser = stream.pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: true, trim: true, info: true }));
  let header: string[] | undefined;
  try {
    for await (const entry of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const { record, info } = entry;
      if (!header) {
        header = record.map((column) => column.trim());
        const duplicate = header.find((column, index) => header?.indexOf(column) !== index);
        if (duplicate !== undefined) throw new Error(`line 1: column "${duplicate}" appears twice in the header`);
        continue;
      }
      if (record.length !== header.length) {
        yield { line: info.lines, error: `expected ${header.length} columns, got ${record.length}` };
        continue;
      }
      const row: Record<string, unknown> = {};
      header.forEach((column, index) => {
        const cell = record[index];
        if (cell !== undefined && cell !== '') row[column] = cell;
      });
      yield { line: info.lines, record: row };
    }
  } catch (error) {
    const csvError = error as Error & { lines?: number };
    if (csvError.lines === undefined) throw error;
    yield { line: csvError.lines, error: `the file cannot be read past this line: ${csvError.message}` };
  }
}
