// Who took which customers out of tagbase, when and how many: every export of members (an
// expression, a saved segment, a snapshot; from the API, the console or the command line) is
// logged before its first row is written, for export control under PIPL, as in progress until it
// ends, and says then how many rows it wrote and whether it wrote them all.
import type { Kysely } from 'kysely';
import { toIso } from '../core/time.js';
import type { Database } from '../store/schema.js';
import type { WorkspaceContext } from './context.js';

export type ExportSource = 'expression' | 'segment' | 'snapshot' | 'transition';

/**
 * `in_progress` from the first row until it ends: still running, or cut short by a crash or a
 * kill, when `rows` is the members it began with rather than the rows written. `completed`: every
 * row was written; `stopped`: its reader went away (a cancelled download) or it failed midway.
 */
export const EXPORT_STATUSES = ['in_progress', 'completed', 'stopped'] as const;
export type ExportStatus = (typeof EXPORT_STATUSES)[number];

export interface ExportEntry {
  actor: string;
  source: ExportSource;
  /** The expression, the segment's key, `segment#snapshot`, or `tag:from→to@start/end` for the customers of a tag transition (`-` for none). */
  target: string;
  format: string;
  rows: number;
  metrics: readonly string[];
  /** The customers' fields added after the metrics (`fields=birthday,email`); none when not given. */
  fields?: readonly string[] | undefined;
}

export interface LoggedExport extends Omit<ExportEntry, 'metrics' | 'fields'> {
  at: string;
  metrics: string[];
  fields: string[];
  status: ExportStatus;
  /** When it ended; null while in progress (and for exports logged before the end was kept). */
  finished_at: string | null;
}

export const MAX_LISTED_EXPORTS = 500;

/**
 * The expression an export of every customer is logged with (`tagbase segment export --all`, the
 * console's export of an unfiltered customer list): the log, the console and `segment exports`
 * say it in words.
 */
export const EVERYONE_EXPRESSION = 'id exists';

/** Logs an export, in progress, before its first row, `rows` being the members it began with; answers the entry's id. */
export async function logExport(context: WorkspaceContext, entry: ExportEntry): Promise<number> {
  const row = await context.store.db
    .insertInto('export_log')
    .values({ workspace_id: context.workspaceId, actor: entry.actor, at: context.now().getTime(), source: entry.source, target: entry.target, format: entry.format, rows: entry.rows, metrics: entry.metrics.join(','), fields: (entry.fields ?? []).join(','), status: 'in_progress' satisfies ExportStatus })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

/**
 * Once an export's rows are out (or it stopped), its entry says how many were written (members
 * erased or merged into another customer while it ran are not among them), whether all were, and when.
 */
export async function finishExport(context: WorkspaceContext, id: number, rows: number, status: Exclude<ExportStatus, 'in_progress'>): Promise<void> {
  await context.store.db
    .updateTable('export_log')
    .set({ rows, status, finished_at: context.now().getTime() })
    .where('workspace_id', '=', context.workspaceId)
    .where('id', '=', id)
    .execute();
}

/** The latest exports of the workspace, newest first. */
export async function listExports(context: WorkspaceContext, limit: number): Promise<LoggedExport[]> {
  const rows = await context.store.db
    .selectFrom('export_log')
    .select(['actor', 'at', 'source', 'target', 'format', 'rows', 'metrics', 'fields', 'status', 'finished_at'])
    .where('workspace_id', '=', context.workspaceId)
    .orderBy('id', 'desc')
    .limit(Math.min(limit, MAX_LISTED_EXPORTS))
    .execute();
  return rows.map((row) => ({
    ...row,
    at: toIso(row.at),
    source: row.source as ExportSource,
    rows: Number(row.rows),
    metrics: row.metrics === '' ? [] : row.metrics.split(','),
    fields: row.fields === '' ? [] : row.fields.split(','),
    status: row.status as ExportStatus,
    finished_at: row.finished_at === null ? null : toIso(Number(row.finished_at)),
  }));
}

/** What stands in an erased person's place in an exported expression. */
export const ERASED_LITERAL = '(erased)';

/**
 * Takes an erased person's ids, name and identifiers out of the expressions of logged exports
 * (`id = "C9"`, `phone = "13800138000"` become `id = "(erased)"`), in the erasure's transaction:
 * the log keeps that an export was made and how many it held, not whom it picked.
 */
export async function scrubExportTargets(db: Kysely<Database>, workspaceId: number, words: Iterable<string>): Promise<void> {
  const quoted = [...new Set(words)].filter((word) => word !== '').flatMap((word) => [`"${word}"`, `'${word}'`]);
  if (quoted.length === 0) return;
  const rows = await db.selectFrom('export_log').select(['id', 'target']).where('workspace_id', '=', workspaceId).where('source', '=', 'expression').execute();
  for (const row of rows) {
    const target = quoted.reduce((text, literal) => text.split(literal).join(`"${ERASED_LITERAL}"`), row.target);
    if (target !== row.target) await db.updateTable('export_log').set({ target }).where('id', '=', row.id).execute();
  }
}
