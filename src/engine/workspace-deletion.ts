// Deleting a workspace (a test workspace, a shop that closed): every row that belongs to it goes,
// in one transaction, so that a crash leaves the workspace whole or gone, never half of it. The
// store's audit trail (no workspace) keeps that it was deleted, by whom and how much went.
import type { Kysely, Transaction } from 'kysely';
import { TagbaseError } from '../core/errors.js';
import type { Clock } from '../core/time.js';
import type { Store } from '../store/connect.js';
import type { Database } from '../store/schema.js';
import type { AuditSource } from './audit.js';
import { lockWorkspaceWrites } from './context.js';
import { forgetWorkspaceInProcess } from './engine-cache.js';
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

/** The workspace a deletion is asked for, refused as the deletion would be: the default one, or one that does not exist. */
export async function workspaceToDelete(store: Store, key: string): Promise<{ id: number; key: string; customers: number }> {
  if (!WORKSPACE_KEY_PATTERN.test(key)) throw new TagbaseError('INVALID_WORKSPACE', { workspace: key });
  if (key === DEFAULT_WORKSPACE) throw new TagbaseError('WORKSPACE_DEFAULT_KEPT', { workspace: key });
  // Read from the store, not from a key cached in this process: another process may have deleted it.
  const row = await store.db.selectFrom('workspaces').select('id').where('key', '=', key).executeTakeFirst();
  if (!row) throw new TagbaseError('WORKSPACE_NOT_FOUND', { workspace: key });
  return { id: row.id, key, customers: await countRows(store.db, 'customers', row.id) };
}

/**
 * Deletes the workspace and everything in it, records that in the store's audit trail in the
 * same transaction, and drops what this process keeps of it (its key's id, compiled catalogs);
 * `forget` drops the rest (a server's bitmap index of it).
 */
export async function deleteWorkspace(store: Store, key: string, now: Clock, by: WorkspaceDeletionAuthor, forget?: (workspaceId: number) => void): Promise<WorkspaceDeletion> {
  const target = await workspaceToDelete(store, key);
  const at = now().getTime();
  let result: WorkspaceDeletion;
  try {
    result = await store.db.transaction().execute(async (trx) => {
      // After every write of the workspace under way (PostgreSQL; SQLite's one writer gives that by itself).
      await lockWorkspaceWrites({ store, workspaceId: target.id, workspaceKey: key, actor: by.actor, now }, trx);
      const stillThere = await trx.selectFrom('workspaces').select('id').where('id', '=', target.id).executeTakeFirst();
      if (!stillThere) throw new TagbaseError('WORKSPACE_NOT_FOUND', { workspace: key });
      const customers = await countRows(trx, 'customers', target.id);
      const events = await countRows(trx, 'events', target.id);
      // Segment snapshots' members carry no workspace of their own: through their snapshot.
      await trx
        .deleteFrom('segment_snapshot_members')
        .where('snapshot_id', 'in', (eb) => eb.selectFrom('segment_snapshots').select('id').where('workspace_id', '=', target.id))
        .execute();
      for (const table of WORKSPACE_TABLES) await trx.deleteFrom(table).where('workspace_id', '=', target.id).execute();
      const tokens = await settleTokens(trx, key, at);
      await trx.deleteFrom('workspaces').where('id', '=', target.id).execute();
      const counts = `${customers} customers, ${events} events`;
      const revoked = tokens.revoked.length > 0 ? `; revoked ${tokens.revoked.join(', ')}` : '';
      await trx
        .insertInto('audit_log')
        .values({ workspace_id: null, actor: by.actor, source: by.source, action: by.source === 'api' ? 'DELETE /workspaces/:key' : 'workspace delete', target: `${key} (${counts}${revoked})`.slice(0, 1024), status: by.status ?? null, at })
        .execute();
      return { workspace: key, customers, events, tokens_revoked: tokens.revoked, tokens_narrowed: tokens.narrowed };
    });
  } finally {
    // Also when it failed midway: what this process held of it is read again at the next use.
    forgetWorkspaceKey(store, key);
    forgetWorkspaceInProcess(store, target.id);
  }
  forget?.(target.id);
  return result;
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
