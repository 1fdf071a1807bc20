// Declaring a metric, or changing one a model owns, means computing it for every customer: the
// whole workspace's metrics and rules again, minutes at millions of customers. As with a rule
// tag's pass, the recompute is recorded in `rule_passes` in the transaction that saves the
// definition and moved forward after every chunk, so one that a crash cut short is finished by
// the scheduler instead of leaving customers not yet reached without the new values.
import { notifyCatalogChanged, type WorkspaceContext } from './context.js';
import { recomputeChunks } from './parallel-recompute.js';
import { allCustomerIds } from './propagate.js';
import { METRICS_PASS_KEY } from './pass-records.js';
import type { RulePassRun } from './rule-passes.js';

/** Customers per transaction of the recompute. */
const METRICS_PASS_BATCH = 1000;

/**
 * Runs the recorded recompute that `token` owns from where it stands to its end, and removes the
 * record; stops at the next chunk when a later save has recorded a new one.
 */
export async function runMetricsPass(context: WorkspaceContext, token: string, options: { batchSize?: number | undefined; parallel?: boolean | undefined } = {}): Promise<RulePassRun> {
  const mine = { workspace: context.workspaceId, token };
  const row = await context.store.db
    .selectFrom('rule_passes')
    .select(['after_id', 'done'])
    .where('workspace_id', '=', mine.workspace)
    .where('tag_key', '=', METRICS_PASS_KEY)
    .where('token', '=', token)
    .executeTakeFirst();
  if (!row) return { changed: 0, finished: false };
  const after = Number(row.after_id);
  const doneBefore = Number(row.done);
  const ids = (await allCustomerIds(context, context.store.db)).filter((id) => id > after);
  let done = 0;
  let finished = true;
  const changed = await recomputeChunks(context, ids, {
    batchSize: options.batchSize ?? METRICS_PASS_BATCH,
    parallel: options.parallel,
    // After the chunk's commit: a crash between the two recomputes that chunk again, which
    // gives the same values.
    afterChunk: async (lastId) => {
      done = ids.indexOf(lastId, done) + 1;
      const moved = await context.store.db
        .updateTable('rule_passes')
        .set({ after_id: lastId, done: doneBefore + done, total: doneBefore + ids.length, updated_at: context.now().getTime() })
        .where('workspace_id', '=', mine.workspace)
        .where('tag_key', '=', METRICS_PASS_KEY)
        .where('token', '=', token)
        .executeTakeFirst();
      finished = Number(moved.numUpdatedRows) > 0;
      return finished;
    },
  });
  if (!finished) return { changed, finished };
  await context.store.db.deleteFrom('rule_passes').where('workspace_id', '=', mine.workspace).where('tag_key', '=', METRICS_PASS_KEY).where('token', '=', token).execute();
  await notifyCatalogChanged(context);
  return { changed, finished };
}
