// The records of passes over everyone (`rule_passes`): written in the transaction that saves
// what the pass applies, so that no crash falls between the two. Kept apart from the passes
// themselves so that the lowest modules (metric definitions) can record one.
import type { Kysely, Transaction } from 'kysely';
import { toIso } from '../core/time.js';
import type { Database } from '../store/schema.js';
import type { WorkspaceContext } from './context.js';
import { holderToken } from './pass-holders.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * What a pass is recorded under: the tag's id, since staff members' personal tags may share a
 * key, and two such tags' passes are two passes; its key and owner name it in messages.
 */
export interface PassTag {
  id: number;
  key: string;
  /** The staff member a personal tag belongs to; null for a shared tag (and the metrics' recompute). */
  owner: string | null;
}

/** The key of a recompute of every customer's metrics (`metric-passes.ts`); no tag key starts with "@". */
export const METRICS_PASS_KEY = '@metrics';

/** The recompute of every customer's metrics, recorded under id 0, which no tag has. */
export const METRICS_PASS: PassTag = { id: 0, key: METRICS_PASS_KEY, owner: null };

/**
 * Records that `tag`'s rule is to be applied to everyone, from the start, in `db` (the
 * transaction that saves the rule, when the caller has one); returns the run's token, which
 * names this process as its holder (`pass-holders.ts`). A pass of the same tag still running
 * stops at its next batch; a pass of another tag of the same key (a colleague's personal one) goes on.
 */
export async function scheduleRulePass(context: WorkspaceContext, db: Db, tag: PassTag): Promise<string> {
  const token = holderToken();
  const at = context.now().getTime();
  const fresh = { tag_key: tag.key, token, after_id: 0, updated_at: at, done: 0, total: 0, started_at: at };
  await db
    .insertInto('rule_passes')
    .values({ workspace_id: context.workspaceId, tag_id: tag.id, ...fresh })
    .onConflict((oc) => oc.columns(['workspace_id', 'tag_id']).doUpdateSet(fresh))
    .execute();
  return token;
}

/** Records, in `db` (the transaction that saves a metric definition), that everyone's metrics are to be recomputed. */
export function scheduleMetricsPass(context: WorkspaceContext, db: Db): Promise<string> {
  return scheduleRulePass(context, db, METRICS_PASS);
}

export interface RulePassProgress {
  /** Customers done so far, of `total` (both 0 before the first batch). */
  done: number;
  total: number;
  startedAt: number;
  /** The last batch; a pass silent for longer than the lease, or whose process is gone, is taken over by the scheduler. */
  updatedAt: number;
}

/** A pass's progress as the API and `--json` write it: `{done, total, started_at, updated_at}`, or null when none runs. */
export function passToJson(pass: RulePassProgress | undefined) {
  return pass === undefined ? null : { done: pass.done, total: pass.total, started_at: toIso(pass.startedAt), updated_at: toIso(pass.updatedAt) };
}

/** Every pass recorded in the workspace and not yet finished, by tag id (`METRICS_PASS.id` for the metrics' recompute). */
export async function recordedPasses(context: WorkspaceContext, db: Db = context.store.db): Promise<Map<number, RulePassProgress>> {
  const rows = await db.selectFrom('rule_passes').select(['tag_id', 'done', 'total', 'started_at', 'updated_at']).where('workspace_id', '=', context.workspaceId).execute();
  return new Map(rows.map((row) => [Number(row.tag_id), { done: Number(row.done), total: Number(row.total), startedAt: Number(row.started_at), updatedAt: Number(row.updated_at) }]));
}

/** Where the pass that `token` owns stands; undefined when another run owns it or it has ended. */
export async function ownedPass(context: WorkspaceContext, tagId: number, token: string): Promise<{ afterId: number; done: number } | undefined> {
  const row = await context.store.db
    .selectFrom('rule_passes')
    .select(['after_id', 'done'])
    .where('workspace_id', '=', context.workspaceId)
    .where('tag_id', '=', tagId)
    .where('token', '=', token)
    .executeTakeFirst();
  return row && { afterId: Number(row.after_id), done: Number(row.done) };
}

/** Moves the owned pass past `afterId` in `db`; false when `token` no longer owns it (a later save, a takeover). */
export async function movePass(context: WorkspaceContext, db: Db, tagId: number, token: string, moved: { afterId: number; done: number; total: number }): Promise<boolean> {
  const result = await db
    .updateTable('rule_passes')
    .set({ after_id: moved.afterId, done: moved.done, total: moved.total, updated_at: context.now().getTime() })
    .where('workspace_id', '=', context.workspaceId)
    .where('tag_id', '=', tagId)
    .where('token', '=', token)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * After a run of the pass: `finished`, its record goes; stopped with its process, the record is
 * marked ownerless so that the next tick, here or in another process, finishes it without
 * waiting out the lease. Nothing when `token` no longer owns it.
 */
export async function settlePass(context: WorkspaceContext, tagId: number, token: string, run: { finished: boolean; aborted: boolean }): Promise<void> {
  const db = context.store.db;
  const mine = { workspace: context.workspaceId, tagId, token };
  if (run.finished) await db.deleteFrom('rule_passes').where('workspace_id', '=', mine.workspace).where('tag_id', '=', mine.tagId).where('token', '=', mine.token).execute();
  else if (run.aborted) await db.updateTable('rule_passes').set({ updated_at: 0 }).where('workspace_id', '=', mine.workspace).where('tag_id', '=', mine.tagId).where('token', '=', mine.token).execute();
}
