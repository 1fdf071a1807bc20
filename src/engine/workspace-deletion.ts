// Deleting a workspace (a test workspace, a shop that closed): the workspace is first marked as
// being deleted (`workspaces.deleting`), which every request, command and scheduler round reads
// as gone (`WORKSPACE_DELETING`), and its rows then go table by table in bounded batches, each
// its own short transaction, so that a million customers never make one transaction that holds
// every writer of the store (SQLite) or its locks (PostgreSQL) for minutes. A deletion a crash
// or a failure interrupted is finished by the next attempt and by `tagbase serve` when it starts;
// every statement names the workspace's id, so nothing of another is touched. The workspace's
// row goes last, with the store's audit entry (no workspace) saying by whom and how much went.
import { sql, type Kysely, type Transaction } from 'kysely';
import { TagbaseError } from '../core/errors.js';
import type { Clock } from '../core/time.js';
import type { Store } from '../store/connect.js';
import type { Database } from '../store/schema.js';
import type { AuditSource } from './audit.js';
import { lockWorkspaceWrites } from './context.js';
import { forgetWorkspaceInProcess } from './engine-cache.js';
import { forgetHistories } from './history-memory.js';
import { DEFAULT_WORKSPACE, forgetWorkspaceKey, WORKSPACE_KEY_PATTERN } from './workspaces.js';

/** Tables that hold a workspace's rows: children before what they point at, the workspace itself last. */
const WORKSPACE_TABLES = [
  'care_due_log',
  'care_reminders',
  'care_plans',
  'webhook_deliveries',
  'webhooks',
  'segment_changes_log',
  'segment_members_seen',
  'segment_sizes',
  'segment_snapshots',
  'segments',
  'customer_metrics',
  'identities',
  'events',
  'assignments',
  'tag_history',
  'tagging_operations',
  'tag_values',
  'tags',
  'tag_groups',
  'customer_merges',
  'customer_erasures',
  'customer_changes_log',
  'changes',
  'customers',
  'field_definitions',
  'metric_definitions',
  'models',
  'rule_passes',
  'index_snapshot_parts',
  'index_snapshots',
  'event_journal',
  'export_log',
  'audit_log',
] as const satisfies readonly (keyof Database)[];

export interface WorkspaceDeletionAuthor {
  actor: string | null;
  source: AuditSource;
  /** The HTTP status the API answers with; none from the command line. */
  status?: number | undefined;
}

export interface WorkspaceDeletion {
  workspace: string;
  customers: number;
  events: number;
  /** Tokens that acted in this workspace alone: revoked, as they can no longer act anywhere. */
  tokens_revoked: string[];
  /** Tokens that acted in it among others: it is taken off their list, so a workspace made later under the key is not theirs. */
  tokens_narrowed: string[];
}

/** How far a deletion is: rows gone of the rows the workspace held when it was marked (null until counted). */
export interface WorkspaceDeletionProgress {
  workspace: string;
  deleted_rows: number;
  total_rows: number | null;
}

/** What the mark (`workspaces.deleting`) holds: enough to finish the deletion and write its audit entry after a crash. */
interface WorkspaceDeletionState extends WorkspaceDeletionAuthor {
  at: number;
  customers: number;
  events: number;
  tokens_revoked: string[];
  tokens_narrowed: string[];
  deleted_rows: number;
  total_rows: number | null;
}

/** Rows per statement: each batch is one short transaction. */
export const workspaceDeletionSettings = { batch: 5000 };

/** The workspace a deletion is asked for, refused as the deletion would be: the default one, or one that does not exist. */
export async function workspaceToDelete(store: Store, key: string): Promise<{ id: number; key: string; customers: number; deleting: boolean }> {
  if (!WORKSPACE_KEY_PATTERN.test(key)) throw new TagbaseError('INVALID_WORKSPACE', { workspace: key });
  if (key === DEFAULT_WORKSPACE) throw new TagbaseError('WORKSPACE_DEFAULT_KEPT', { workspace: key });
  // Read from the store, not from a key cached in this process: another process may have deleted it.
  const row = await store.db.selectFrom('workspaces').select(['id', 'deleting']).where('key', '=', key).executeTakeFirst();
  if (!row) throw new TagbaseError('WORKSPACE_NOT_FOUND', { workspace: key });
  const deleting = row.deleting === null ? undefined : (JSON.parse(row.deleting) as WorkspaceDeletionState);
  return { id: row.id, key, customers: deleting?.customers ?? (await countRows(store.db, 'customers', row.id)), deleting: deleting !== undefined };
}

/** Deletions under way in this process, by workspace id: a second call for one waits for it. */
const running = new WeakMap<Store, Map<number, Promise<WorkspaceDeletion>>>();

/**
 * Deletes the workspace and everything in it: marks it, revokes or narrows the tokens limited to
 * it, then deletes its rows in batches (`onProgress` after each) and last the workspace with its
 * audit entry. A workspace already marked (a deletion interrupted, or one under way elsewhere) is
 * finished, under the author and counts its mark holds. What this process keeps of it (its key's
 * id, compiled catalogs) is dropped once it is marked; `forget` drops the rest (a server's bitmap index of it).
 */
export async function deleteWorkspace(
  store: Store,
  key: string,
  now: Clock,
  by: WorkspaceDeletionAuthor,
  forget?: (workspaceId: number) => void,
  onProgress?: (progress: WorkspaceDeletionProgress) => void,
): Promise<WorkspaceDeletion> {
  const target = await workspaceToDelete(store, key);
  const inProcess = running.get(store) ?? new Map<number, Promise<WorkspaceDeletion>>();
  running.set(store, inProcess);
  const underWay = inProcess.get(target.id);
  if (underWay) return underWay;
  const deletion = (async () => {
    const state = await markDeleting(store, target.id, key, now, by);
    forgetAll(store, key, target.id, forget);
    try {
      return await finishDeletion(store, target.id, key, state, onProgress);
    } finally {
      forgetAll(store, key, target.id, forget);
    }
  })();
  inProcess.set(target.id, deletion);
  try {
    return await deletion;
  } finally {
    inProcess.delete(target.id);
  }
}

/**
 * Finishes every deletion a crash or failure left midway (`tagbase serve` calls this as it starts);
 * each under the author its mark holds. A failure is `onError`'s, and the next one is tried.
 */
export async function resumeWorkspaceDeletions(store: Store, now: Clock, options: { forget?: (workspaceId: number) => void; onProgress?: (progress: WorkspaceDeletionProgress) => void; onError?: (key: string, error: unknown) => void } = {}): Promise<WorkspaceDeletion[]> {
  const marked = await store.db.selectFrom('workspaces').select(['key', 'deleting']).where('deleting', 'is not', null).orderBy('id').execute();
  const done: WorkspaceDeletion[] = [];
  for (const row of marked) {
    const state = JSON.parse(row.deleting ?? '{}') as WorkspaceDeletionState;
    try {
      done.push(await deleteWorkspace(store, row.key, now, { actor: state.actor, source: state.source, status: state.status }, options.forget, options.onProgress));
    } catch (error) {
      if (error instanceof TagbaseError && error.code === 'WORKSPACE_NOT_FOUND') continue;
      options.onError?.(row.key, error);
    }
  }
  return done;
}

function forgetAll(store: Store, key: string, workspaceId: number, forget?: (workspaceId: number) => void): void {
  forgetWorkspaceKey(store, key);
  forgetWorkspaceInProcess(store, workspaceId);
  forgetHistories(store, workspaceId);
  forget?.(workspaceId);
}

/**
 * Marks the workspace as being deleted, after every write of it under way (PostgreSQL; SQLite's
 * one writer gives that by itself), and settles its tokens in the same transaction; the state
 * an earlier mark holds when it is marked already. Then counts its rows, for progress.
 */
async function markDeleting(store: Store, workspaceId: number, key: string, now: Clock, by: WorkspaceDeletionAuthor): Promise<WorkspaceDeletionState> {
  const at = now().getTime();
  const state = await store.db.transaction().execute(async (trx) => {
    await lockWorkspaceWrites({ store, workspaceId, workspaceKey: key, actor: by.actor, now }, trx);
    const row = await trx.selectFrom('workspaces').select('deleting').where('id', '=', workspaceId).executeTakeFirst();
    if (!row) throw new TagbaseError('WORKSPACE_NOT_FOUND', { workspace: key });
    if (row.deleting !== null) return JSON.parse(row.deleting) as WorkspaceDeletionState;
    const customers = await countRows(trx, 'customers', workspaceId);
    const events = await countRows(trx, 'events', workspaceId);
    const tokens = await settleTokens(trx, key, at);
    const marked: WorkspaceDeletionState = { actor: by.actor, source: by.source, status: by.status, at, customers, events, tokens_revoked: tokens.revoked, tokens_narrowed: tokens.narrowed, deleted_rows: 0, total_rows: null };
    await trx.updateTable('workspaces').set({ deleting: JSON.stringify(marked) }).where('id', '=', workspaceId).execute();
    return marked;
  });
  if (state.total_rows === null) {
    // Counted once, outside the mark's transaction: nothing is added to a workspace marked.
    let total = await snapshotMembers(store.db, workspaceId);
    for (const table of WORKSPACE_TABLES) total += await rowsIn(store.db, table, workspaceId);
    state.total_rows = total + state.deleted_rows;
    await saveState(store.db, workspaceId, state);
  }
  return state;
}

async function saveState(db: Kysely<Database> | Transaction<Database>, workspaceId: number, state: WorkspaceDeletionState): Promise<void> {
  await db.updateTable('workspaces').set({ deleting: JSON.stringify(state) }).where('id', '=', workspaceId).where('deleting', 'is not', null).execute();
}

/** The rows of each table, a batch per transaction with the progress it makes; then the workspace itself. */
async function finishDeletion(store: Store, workspaceId: number, key: string, state: WorkspaceDeletionState, onProgress?: (progress: WorkspaceDeletionProgress) => void): Promise<WorkspaceDeletion> {
  const report = () => onProgress?.({ workspace: key, deleted_rows: state.deleted_rows, total_rows: state.total_rows });
  report();
  for (const table of ['segment_snapshot_members', ...WORKSPACE_TABLES] as const) {
    for (;;) {
      const deleted = await store.db.transaction().execute(async (trx) => {
        const n = await deleteBatch(store, trx, table, workspaceId, workspaceDeletionSettings.batch);
        if (n > 0) {
          state.deleted_rows = Math.min(state.deleted_rows + n, state.total_rows ?? Infinity);
          await saveState(trx, workspaceId, state);
        }
        return n;
      });
      if (deleted === 0) break;
      report();
    }
  }
  const at = state.at;
  await store.db.transaction().execute(async (trx) => {
    await lockWorkspaceWrites({ store, workspaceId, workspaceKey: key, actor: state.actor, now: () => new Date(at) }, trx);
    // Rows a write of another process made in the moment before it saw the mark (it reads a key
    // again after a second): few, so in this last transaction.
    await trx
      .deleteFrom('segment_snapshot_members')
      .where('snapshot_id', 'in', (eb) => eb.selectFrom('segment_snapshots').select('id').where('workspace_id', '=', workspaceId))
      .execute();
    for (const table of WORKSPACE_TABLES) await trx.deleteFrom(table).where('workspace_id', '=', workspaceId).execute();
    const gone = await trx.deleteFrom('workspaces').where('id', '=', workspaceId).executeTakeFirst();
    // Finished meanwhile by another process, which wrote the audit entry.
    if (Number(gone.numDeletedRows) === 0) return;
    const counts = `${state.customers} customers, ${state.events} events`;
    const revoked = state.tokens_revoked.length > 0 ? `; revoked ${state.tokens_revoked.join(', ')}` : '';
    await trx
      .insertInto('audit_log')
      .values({ workspace_id: null, actor: state.actor, source: state.source, action: state.source === 'api' ? 'DELETE /workspaces/:key' : 'workspace delete', target: `${key} (${counts}${revoked})`.slice(0, 1024), status: state.status ?? null, at })
      .execute();
  });
  if (state.total_rows !== null) state.deleted_rows = state.total_rows;
  report();
  return { workspace: key, customers: state.customers, events: state.events, tokens_revoked: state.tokens_revoked, tokens_narrowed: state.tokens_narrowed };
}

type WorkspaceTable = (typeof WORKSPACE_TABLES)[number];

/**
 * Deletes up to `limit` of the workspace's rows of the table; how many went. Rows are picked by
 * the store's own row address (SQLite's rowid, PostgreSQL's ctid), as not every table has an id.
 * Segment snapshots' members carry no workspace of their own: through their snapshot.
 */
async function deleteBatch(store: Store, trx: Transaction<Database>, table: WorkspaceTable | 'segment_snapshot_members', workspaceId: number, limit: number): Promise<number> {
  const where =
    table === 'segment_snapshot_members'
      ? sql`snapshot_id in (select id from segment_snapshots where workspace_id = ${workspaceId})`
      : sql`workspace_id = ${workspaceId}`;
  const picked = sql`select ${sql.raw(store.dialect === 'postgres' ? 'ctid' : 'rowid')} from ${sql.table(table)} where ${where} limit ${limit}`;
  const statement =
    store.dialect === 'postgres'
      ? sql`delete from ${sql.table(table)} where ctid = any(array(${picked}))`
      : sql`delete from ${sql.table(table)} where rowid in (${picked})`;
  const result = await statement.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}

async function rowsIn(db: Kysely<Database>, table: WorkspaceTable, workspaceId: number): Promise<number> {
  const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<number | string>().as('n')).where('workspace_id', '=', workspaceId).executeTakeFirst();
  return Number(row?.n ?? 0);
}

async function snapshotMembers(db: Kysely<Database>, workspaceId: number): Promise<number> {
  const row = await db
    .selectFrom('segment_snapshot_members')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('snapshot_id', 'in', (eb) => eb.selectFrom('segment_snapshots').select('id').where('workspace_id', '=', workspaceId))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

async function countRows(trx: Kysely<Database> | Transaction<Database>, table: 'customers' | 'events', workspaceId: number): Promise<number> {
  // Customers merged into another are one person with it, as every count of customers says.
  const row =
    table === 'customers'
      ? await trx.selectFrom('customers').select((eb) => eb.fn.countAll<number | string>().as('count')).where('workspace_id', '=', workspaceId).where('merged_into', 'is', null).executeTakeFirst()
      : await trx.selectFrom('events').select((eb) => eb.fn.countAll<number | string>().as('count')).where('workspace_id', '=', workspaceId).executeTakeFirst();
  return Number(row?.count ?? 0);
}

/** Live tokens limited to the workspace: revoked when it was their only one, otherwise it leaves their list. */
async function settleTokens(trx: Transaction<Database>, key: string, at: number): Promise<{ revoked: string[]; narrowed: string[] }> {
  const revoked: string[] = [];
  const narrowed: string[] = [];
  const live = await trx.selectFrom('access_tokens').select(['id', 'name', 'workspaces']).where('revoked_at', 'is', null).where('workspaces', 'is not', null).execute();
  for (const token of live) {
    const keys = JSON.parse(token.workspaces ?? '[]') as string[];
    if (!keys.includes(key)) continue;
    const left = keys.filter((other) => other !== key);
    if (left.length === 0) {
      await trx.updateTable('access_tokens').set({ revoked_at: at }).where('id', '=', token.id).execute();
      revoked.push(token.name);
    } else {
      await trx.updateTable('access_tokens').set({ workspaces: JSON.stringify(left) }).where('id', '=', token.id).execute();
      narrowed.push(token.name);
    }
  }
  return { revoked, narrowed };
}
