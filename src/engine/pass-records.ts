// The records of passes over everyone (`rule_passes`): written in the transaction that saves
// what the pass applies, so that no crash falls between the two. Kept apart from the passes
// themselves so that the lowest modules (metric definitions) can record one.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../store/schema.js';
import type { WorkspaceContext } from './context.js';
import { holderToken } from './pass-holders.js';

type Db = Kysely<Database> | Transaction<Database>;

/** The key of a recompute of every customer's metrics (`metric-passes.ts`); no tag key starts with "@". */
export const METRICS_PASS_KEY = '@metrics';

/**
 * Records that `tagKey`'s rule is to be applied to everyone, from the start, in `db` (the
 * transaction that saves the rule, when the caller has one); returns the run's token, which
 * names this process as its holder (`pass-holders.ts`). A pass of the same tag still running
 * stops at its next batch.
 */
export async function scheduleRulePass(context: WorkspaceContext, db: Db, tagKey: string): Promise<string> {
  const token = holderToken();
  const at = context.now().getTime();
  const fresh = { token, after_id: 0, updated_at: at, done: 0, total: 0, started_at: at };
  await db
    .insertInto('rule_passes')
    .values({ workspace_id: context.workspaceId, tag_key: tagKey, ...fresh })
    .onConflict((oc) => oc.columns(['workspace_id', 'tag_key']).doUpdateSet(fresh))
    .execute();
  return token;
}

/** Records, in `db` (the transaction that saves a metric definition), that everyone's metrics are to be recomputed. */
export function scheduleMetricsPass(context: WorkspaceContext, db: Db): Promise<string> {
  return scheduleRulePass(context, db, METRICS_PASS_KEY);
}

export interface RulePassProgress {
  /** Customers done so far, of `total` (both 0 before the first batch). */
  done: number;
  total: number;
  startedAt: number;
  /** The last batch; a pass silent for longer than the lease, or whose process is gone, is taken over by the scheduler. */
  updatedAt: number;
}

/** Every pass recorded in the workspace and not yet finished, by key. */
export async function recordedPasses(context: WorkspaceContext, db: Db = context.store.db): Promise<Map<string, RulePassProgress>> {
  const rows = await db.selectFrom('rule_passes').select(['tag_key', 'done', 'total', 'started_at', 'updated_at']).where('workspace_id', '=', context.workspaceId).execute();
  return new Map(rows.map((row) => [row.tag_key, { done: Number(row.done), total: Number(row.total), startedAt: Number(row.started_at), updatedAt: Number(row.updated_at) }]));
}

/** Where the pass that `token` owns stands; undefined when another run owns it or it has ended. */
export async function ownedPass(context: WorkspaceContext, key: string, token: string): Promise<{ afterId: number; done: number } | undefined> {
  const row = await context.store.db
    .selectFrom('rule_passes')
    .select(['after_id', 'done'])
    .where('workspace_id', '=', context.workspaceId)
    .where('tag_key', '=', key)
    .where('token', '=', token)
    .executeTakeFirst();
  return row && { afterId: Number(row.after_id), done: Number(row.done) };
}

/** Moves the owned pass past `afterId` in `db`; false when `token` no longer owns it (a later save, a takeover). */
export async function movePass(context: WorkspaceContext, db: Db, key: string, token: string, moved: { afterId: number; done: number; total: number }): Promise<boolean> {
  const result = await db
    .updateTable('rule_passes')
    .set({ after_id: moved.afterId, done: moved.done, total: moved.total, updated_at: context.now().getTime() })
    .where('workspace_id', '=', context.workspaceId)
    .where('tag_key', '=', key)
    .where('token', '=', token)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * After a run of the pass: `finished`, its record goes; stopped with its process, the record is
 * marked ownerless so that the next tick, here or in another process, finishes it without
 * waiting out the lease. Nothing when `token` no longer owns it.
 */
export async function settlePass(context: WorkspaceContext, key: string, token: string, run: { finished: boolean; aborted: boolean }): Promise<void> {
  const db = context.store.db;
  const mine = { workspace: context.workspaceId, key, token };
  if (run.finished) await db.deleteFrom('rule_passes').where('workspace_id', '=', mine.workspace).where('tag_key', '=', mine.key).where('token', '=', mine.token).execute();
  else if (run.aborted) await db.updateTable('rule_passes').set({ updated_at: 0 }).where('workspace_id', '=', mine.workspace).where('tag_key', '=', mine.key).where('token', '=', mine.token).execute();
}
