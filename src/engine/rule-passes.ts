// Applying a rule tag to everyone takes one transaction per batch of customers
// (`applyRulesInBatches`), minutes at millions of customers. The pass is recorded in the store
// with how far it got, in the same transaction as each batch, so that one cut short by a crash
// or a restart is finished by the scheduler rather than leaving part of the workspace under the
// old rule until each customer next changes.
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../store/schema.js';
import type { WorkspaceContext } from './context.js';
import { applyRulesInBatches, type RulePassOptions } from './propagate.js';

type Db = Kysely<Database> | Transaction<Database>;

/** A pass whose owner has not finished a batch for this long is taken over by the scheduler. */
export const RULE_PASS_LEASE_MS = 5 * 60_000;

/**
 * Records that `tagKey`'s rule is to be applied to everyone, from the start, in `db` (the
 * transaction that saves the rule, when the caller has one); returns the run's token. A pass
 * of the same tag still running stops at its next batch.
 */
export async function scheduleRulePass(context: WorkspaceContext, db: Db, tagKey: string): Promise<string> {
  const token = randomUUID();
  const at = context.now().getTime();
  await db
    .insertInto('rule_passes')
    .values({ workspace_id: context.workspaceId, tag_key: tagKey, token, after_id: 0, updated_at: at })
    .onConflict((oc) => oc.columns(['workspace_id', 'tag_key']).doUpdateSet({ token, after_id: 0, updated_at: at }))
    .execute();
  return token;
}

/**
 * Runs the recorded pass that `token` owns from where it stands to its end, and removes the
 * record; nothing when the record is gone or another run owns it. Returns how many customers'
 * tags changed.
 */
export async function runRulePass(context: WorkspaceContext, tagKey: string, token: string, options: Pick<RulePassOptions, 'batchSize'> = {}): Promise<number> {
  const owned = (db: Db) => db.selectFrom('rule_passes').select('after_id').where('workspace_id', '=', context.workspaceId).where('tag_key', '=', tagKey).where('token', '=', token);
  const row = await owned(context.store.db).executeTakeFirst();
  if (!row) return 0;
  const { changed, finished } = await applyRulesInBatches(
    context,
    { onlyTags: new Set([tagKey]) },
    {
      ...options,
      after: Number(row.after_id),
      // Moved forward in the batch's own transaction: the record never claims a batch that did
      // not commit, and on PostgreSQL the row lock orders two runs that both think they own it.
      beforeBatch: async (trx, lastId) => {
        const moved = await trx
          .updateTable('rule_passes')
          .set({ after_id: lastId, updated_at: context.now().getTime() })
          .where('workspace_id', '=', context.workspaceId)
          .where('tag_key', '=', tagKey)
          .where('token', '=', token)
          .executeTakeFirst();
        return Number(moved.numUpdatedRows) > 0;
      },
    },
  );
  if (finished) await context.store.db.deleteFrom('rule_passes').where('workspace_id', '=', context.workspaceId).where('tag_key', '=', tagKey).where('token', '=', token).execute();
  return changed;
}

/**
 * Takes over and finishes every pass of the workspace whose owner has been silent for longer
 * than the lease (a process that crashed or was stopped mid-pass). Returns the tags' keys and
 * how many customers' tags changed.
 */
export async function resumeRulePasses(context: WorkspaceContext, leaseMs = RULE_PASS_LEASE_MS): Promise<{ tags: string[]; changed: number }> {
  const stale = await context.store.db
    .selectFrom('rule_passes')
    .select(['tag_key', 'token'])
    .where('workspace_id', '=', context.workspaceId)
    .where('updated_at', '<', context.now().getTime() - leaseMs)
    .orderBy('tag_key')
    .execute();
  const tags: string[] = [];
  let changed = 0;
  for (const pass of stale) {
    const token = randomUUID();
    // Only if nobody took it over or saved the rule again since it was read.
    const taken = await context.store.db
      .updateTable('rule_passes')
      .set({ token, updated_at: context.now().getTime() })
      .where('workspace_id', '=', context.workspaceId)
      .where('tag_key', '=', pass.tag_key)
      .where('token', '=', pass.token)
      .executeTakeFirst();
    if (Number(taken.numUpdatedRows) === 0) continue;
    changed += await runRulePass(context, pass.tag_key, token);
    tags.push(pass.tag_key);
  }
  return { tags, changed };
}
