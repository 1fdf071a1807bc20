// `tagbase import`: streams a file through the engine in batches. Each good row lands whole,
// each bad row is reported with its line number and reason, and nothing half-lands. Batches
// commit as they go; re-running an import is safe (customers upsert, events dedupe by id,
// assignments already in place are unchanged).
import { createWriteStream, statSync } from 'node:fs';
import cliProgress from 'cli-progress';
import { TagbaseError, isTagbaseError } from '../../core/errors.js';
import { findTagValue, isTagVisibleTo } from '../../core/tag.js';
import { parseTimestamp } from '../../core/time.js';
import type { WorkspaceContext } from '../../engine/context.js';
import { resolveCustomerIds, upsertCustomers } from '../../engine/customers.js';
import { listCustomFields } from '../../engine/fields.js';
import { ingestEvents } from '../../engine/ingest.js';
import { loadTags } from '../../engine/library.js';
import { assignTag } from '../../engine/tagging.js';
import { mapAssignmentRecord, mapCustomerRecord, mapEventRecord, type AssignmentRow, type ImportKind } from './map-rows.js';
import { readRows, type ImportFormat } from './read-rows.js';

export interface ImportOptions {
  kind: ImportKind;
  path: string;
  format: ImportFormat;
  reportPath: string;
  batchSize: number;
  /** Show a live progress bar (on a terminal). */
  progress: boolean;
}

export interface Rejection {
  line: number;
  code: string;
  reason: string;
}

export interface ImportSummary {
  rows: number;
  accepted: number;
  rejected: number;
  seconds: number;
  reportPath: string | undefined;
}

interface PendingRow {
  line: number;
  input: unknown;
}

type BatchWriter = (rows: PendingRow[]) => Promise<Rejection[]>;

export async function runImport(context: WorkspaceContext, options: ImportOptions): Promise<ImportSummary> {
  const started = Date.now();
  const total = statSync(options.path).size;
  const bar = options.progress
    ? new cliProgress.SingleBar(
        { format: 'importing {kind} [{bar}] {percentage}% | {rows} rows | {rate} rows/s | {rejected} rejected', hideCursor: true, stream: process.stderr },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  let rows = 0;
  const rejections: Rejection[] = [];
  let bytes = 0;
  const update = () => bar?.update(bytes, { kind: options.kind, rows, rejected: rejections.length, rate: Math.round(rows / Math.max(0.001, (Date.now() - started) / 1000)) });
  bar?.start(Math.max(total, 1), 0, { kind: options.kind, rows: 0, rejected: 0, rate: 0 });

  const write = await writerFor(context, options.kind);
  let batch: PendingRow[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    rejections.push(...(await write(batch)));
    batch = [];
    update();
  };
  for await (const row of readRows(options.path, options.format, (read) => (bytes = read))) {
    rows++;
    if (row.error !== undefined) {
      rejections.push({ line: row.line, code: 'UNREADABLE_ROW', reason: row.error });
      continue;
    }
    batch.push({ line: row.line, input: row.record });
    if (batch.length >= options.batchSize) await flush();
  }
  await flush();
  bytes = total;
  update();
  bar?.stop();

  let reportPath: string | undefined;
  if (rejections.length > 0) {
    reportPath = options.reportPath;
    await writeReport(reportPath, rejections.sort((a, b) => a.line - b.line));
  }
  return { rows, accepted: rows - rejections.length, rejected: rejections.length, seconds: (Date.now() - started) / 1000, reportPath };
}

function csvCell(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

async function writeReport(path: string, rejections: Rejection[]): Promise<void> {
  const out = createWriteStream(path);
  out.write('line,code,reason\n');
  for (const rejection of rejections) out.write(`${rejection.line},${rejection.code},${csvCell(rejection.reason)}\n`);
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
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

export function assertImportKind(kind: string): ImportKind {
  if (kind === 'customers' || kind === 'events' || kind === 'assignments') return kind;
  throw new TagbaseError('VALIDATION_FAILED', { detail: `import what? say customers, events or assignments; got "${kind}"` });
}
