// Who took which customers out of tagbase, when and how many: every export of members (an
// expression, a saved segment, a snapshot; from the API, the console or the command line) is
// logged before its first row is written, for export control under PIPL.
import { toIso } from '../core/time.js';
import type { WorkspaceContext } from './context.js';

export type ExportSource = 'expression' | 'segment' | 'snapshot' | 'transition';

export interface ExportEntry {
  actor: string;
  source: ExportSource;
  /** The expression, the segment's key, `segment#snapshot`, or `tag:from→to@start/end` for the customers of a tag transition (`-` for none). */
  target: string;
  format: string;
  rows: number;
  metrics: readonly string[];
}

export interface LoggedExport extends Omit<ExportEntry, 'metrics'> {
  at: string;
  metrics: string[];
}

export const MAX_LISTED_EXPORTS = 500;

export async function logExport(context: WorkspaceContext, entry: ExportEntry): Promise<void> {
  await context.store.db
    .insertInto('export_log')
    .values({ workspace_id: context.workspaceId, actor: entry.actor, at: context.now().getTime(), source: entry.source, target: entry.target, format: entry.format, rows: entry.rows, metrics: entry.metrics.join(',') })
    .execute();
}

/** The latest exports of the workspace, newest first. */
export async function listExports(context: WorkspaceContext, limit: number): Promise<LoggedExport[]> {
  const rows = await context.store.db
    .selectFrom('export_log')
    .select(['actor', 'at', 'source', 'target', 'format', 'rows', 'metrics'])
    .where('workspace_id', '=', context.workspaceId)
    .orderBy('id', 'desc')
    .limit(Math.min(limit, MAX_LISTED_EXPORTS))
    .execute();
  return rows.map((row) => ({ ...row, at: toIso(row.at), source: row.source as ExportSource, rows: Number(row.rows), metrics: row.metrics === '' ? [] : row.metrics.split(',') }));
}
