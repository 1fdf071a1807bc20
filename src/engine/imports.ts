// Imports rows of customers, events or assignments through the engine in batches, from a
// file (`tagbase import`) or from text posted to the API. Each good row lands whole, each bad
// row comes back with its line number and reason, and nothing half-lands. Batches commit as
// they go; importing again is safe (customers upsert, events dedupe by id, assignments already
// in place are unchanged).
import { Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';
import { TagbaseError, isTagbaseError } from '../core/errors.js';
import { findTagValue, isTagVisibleTo } from '../core/tag.js';
import { parseTimestamp } from '../core/time.js';
import type { WorkspaceContext } from './context.js';
import { resolveCustomerIds, upsertCustomers } from './customers.js';
import { listCustomFields } from './fields.js';
import { mapAssignmentRecord, mapCustomerRecord, mapEventRecord, type AssignmentRow, type ImportKind } from './import-rows.js';
import { ingestEvents } from './ingest.js';
import { loadTags } from './library.js';
import { assignTag } from './tagging.js';

export type { ImportKind } from './import-rows.js';
export type ImportFormat = 'csv' | 'jsonl';

/** One row: either a record of column → value, or why the row could not be read. */
export type RawRow = { line: number; record: Record<string, unknown>; error?: undefined } | { line: number; error: string; record?: undefined };

export interface Rejection {
  line: number;
  code: string;
  reason: string;
}

export interface ImportResult {
  rows: number;
  accepted: number;
  rejected: number;
  /** Sorted by line. */
  rejections: Rejection[];
}

interface PendingRow {
  line: number;
  input: unknown;
}

type BatchWriter = (rows: PendingRow[]) => Promise<Rejection[]>;

export function assertImportKind(kind: string): ImportKind {
  if (kind === 'customers' || kind === 'events' || kind === 'assignments') return kind;
  throw new TagbaseError('VALIDATION_FAILED', { detail: `import what? say customers, events or assignments; got "${kind}"` });
}

/** Rows of CSV (with a header) or JSON Lines text, as a stream or a string. */
export function parseRows(input: NodeJS.ReadableStream | string, format: ImportFormat): AsyncGenerator<RawRow> {
  const stream = typeof input === 'string' ? Readable.from([input]) : input;
  return format === 'jsonl' ? readJsonLines(stream) : readCsv(stream);
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
        if (duplicate !== undefined) throw new TagbaseError('VALIDATION_FAILED', { detail: `line 1: column "${duplicate}" appears twice in the header` });
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

/** Runs rows through the engine, `batchSize` at a time; `onBatch` hears after each commit. */
export async function importRows(
  context: WorkspaceContext,
  kind: ImportKind,
  rows: AsyncIterable<RawRow> | Iterable<RawRow>,
  options: { batchSize: number; onBatch?: (progress: { rows: number; rejected: number }) => void },
): Promise<ImportResult> {
  const write = await writerFor(context, kind);
  const rejections: Rejection[] = [];
  let count = 0;
  let batch: PendingRow[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    rejections.push(...(await write(batch)));
    batch = [];
    options.onBatch?.({ rows: count, rejected: rejections.length });
  };
  for await (const row of rows) {
    count++;
    if (row.error !== undefined) {
      rejections.push({ line: row.line, code: 'UNREADABLE_ROW', reason: row.error });
      continue;
    }
    batch.push({ line: row.line, input: row.record });
    if (batch.length >= options.batchSize) await flush();
  }
  await flush();
  rejections.sort((a, b) => a.line - b.line);
  return { rows: count, accepted: count - rejections.length, rejected: rejections.length, rejections };
}

/** Rejections for the rows of a batch, from item errors indexed into the batch. */
function rejectionsFromItems(rows: PendingRow[], items: { index: number; code: string; message: string; path?: string | undefined }[]): Rejection[] {
  return items.flatMap((item) => {
    const row = rows[item.index];
    return row ? [{ line: row.line, code: item.code, reason: item.path ? `${item.path}: ${item.message}` : item.message }] : [];
  });
}

async function writerFor(context: WorkspaceContext, kind: ImportKind): Promise<BatchWriter> {
  switch (kind) {
    case 'customers': {
      const fields = new Map((await listCustomFields(context)).map((field) => [field.key, field]));
      return async (rows) => {
        const inputs = rows.map((row) => mapCustomerRecord(row.input as Record<string, unknown>, fields));
        const result = await upsertCustomers(context, inputs, { keepGood: true });
        return rejectionsFromItems(rows, result.rejected);
      };
    }
    case 'events':
      return async (rows) => {
        const rejected: Rejection[] = [];
        const good: PendingRow[] = [];
        for (const row of rows) {
          const mapped = mapEventRecord(row.input as Record<string, unknown>);
          if (typeof mapped === 'string') rejected.push({ line: row.line, code: 'VALIDATION_FAILED', reason: mapped });
          else good.push({ line: row.line, input: mapped });
        }
        const result = await ingestEvents(context, good.map((row) => row.input), { keepGood: true });
        return [...rejected, ...rejectionsFromItems(good, result.rejected)];
      };
    case 'assignments':
      return (rows) => writeAssignments(context, rows);
    default: {
      const unreachable: never = kind;
      throw new Error(`unknown import kind ${String(unreachable)}`);
    }
  }
}

async function writeAssignments(context: WorkspaceContext, rows: PendingRow[]): Promise<Rejection[]> {
  const rejected: Rejection[] = [];
  const parsed: { line: number; row: AssignmentRow }[] = [];
  for (const pending of rows) {
    const mapped = mapAssignmentRecord(pending.input as Record<string, unknown>);
    if (typeof mapped === 'string') rejected.push({ line: pending.line, code: 'VALIDATION_FAILED', reason: mapped });
    else parsed.push({ line: pending.line, row: mapped });
  }
  const tags = (await loadTags(context)).filter((tag) => isTagVisibleTo(tag, context.actor));
  const customers = await resolveCustomerIds(context, parsed.map((p) => p.row.customer_id));
  const now = context.now().getTime();
  const groups = new Map<string, { tag: string; value: string; expiresAt: number | undefined; items: { line: number; customer: string }[] }>();
  for (const { line, row } of parsed) {
    const tag = tags.find((t) => t.key === row.tag) ?? tags.find((t) => t.name === row.tag);
    const value = tag ? findTagValue(tag, row.value) : undefined;
    const expiresAt = row.expires_at === undefined ? undefined : parseTimestamp(row.expires_at);
    let problem: [string, string] | undefined;
    if (!customers.has(row.customer_id)) problem = ['CUSTOMER_NOT_FOUND', `customer "${row.customer_id}" does not exist`];
    else if (!tag) problem = ['TAG_NOT_FOUND', `tag "${row.tag}" does not exist`];
    else if (!value) problem = ['TAG_VALUE_NOT_FOUND', `tag "${tag.key}" has no value "${row.value}"`];
    else if (row.expires_at !== undefined && (expiresAt === undefined || expiresAt <= now)) problem = ['VALIDATION_FAILED', 'expires_at must be an ISO 8601 time in the future'];
    if (problem || !tag || !value) {
      rejected.push({ line, code: problem?.[0] ?? 'VALIDATION_FAILED', reason: problem?.[1] ?? 'invalid row' });
      continue;
    }
    const key = `${tag.key}\u0000${value.key}\u0000${expiresAt ?? ''}`;
    const group = groups.get(key) ?? { tag: tag.key, value: value.key, expiresAt, items: [] };
    group.items.push({ line, customer: row.customer_id });
    groups.set(key, group);
  }
  for (const group of groups.values()) {
    try {
      await assignTag(context, { tag: group.tag, value: group.value, customers: group.items.map((item) => item.customer), expiresAt: group.expiresAt, source: 'import' });
    } catch (error) {
      if (!isTagbaseError(error)) throw error;
      for (const item of group.items) rejected.push({ line: item.line, code: error.code, reason: error.message });
    }
  }
  return rejected;
}
