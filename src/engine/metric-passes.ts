// Declaring a metric, or changing one a model owns, means computing it for every customer: the
// whole workspace's metrics and rules again, minutes at millions of customers. As with a rule
// tag's pass, the recompute is recorded in `rule_passes` in the transaction that saves the
// definition and moved forward after every chunk, so one that a crash cut short is finished by
// the scheduler instead of leaving customers not yet reached without the new values.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { notifyCatalogChanged, type WorkspaceContext } from './context.js';
import { recomputeChunks } from './parallel-recompute.js';
import { METRICS_PASS_KEY, recordedPasses, type RulePassProgress } from './pass-records.js';
import { allCustomerIds } from './propagate.js';
import type { RulePassRun, RulePassRunOptions } from './rule-passes.js';

/** Customers per transaction of the recompute. */
const METRICS_PASS_BATCH = 1000;

/**
 * Runs the recorded recompute that `token` owns from where it stands, and removes the record
 * once it reaches the end; stops at the next chunk when a later save has recorded a new one,
 * after `maxBatches` chunks, or when `signal` aborts (then the record is left for the next tick at once).
 */
export async function runMetricsPass(context: WorkspaceContext, token: string, options: RulePassRunOptions & { parallel?: boolean | undefined } = {}): Promise<RulePassRun> {
  const row = await context.store.db
    .selectFrom('rule_passes')
    .select(['after_id', 'done'])
    .where('workspace_id', '=', context.workspaceId)
    .where('tag_key', '=', METRICS_PASS_KEY)
    .where('token', '=', token)
    .executeTakeFirst();
  if (!row) return { changed: 0, finished: false };
  const after = Number(row.after_id);
  const doneBefore = Number(row.done);
  const ids = (await allCustomerIds(context, context.store.db)).filter((id) => id > after);
  let done = 0;
  let chunks = 0;
  let owned = true;
  const changed = await recomputeChunks(context, ids, {
    batchSize: options.batchSize ?? METRICS_PASS_BATCH,
    parallel: options.parallel,
    // After the chunk's commit: a crash between the two recomputes that chunk again, which
    // gives the same values.
    afterChunk: async (lastId) => {
      done = ids.indexOf(lastId, done) + 1;
      chunks++;
      const moved = await context.store.db
        .updateTable('rule_passes')
        .set({ after_id: lastId, done: doneBefore + done, total: doneBefore + ids.length, updated_at: context.now().getTime() })
        .where('workspace_id', '=', context.workspaceId)
        .where('tag_key', '=', METRICS_PASS_KEY)
        .where('token', '=', token)
        .executeTakeFirst();
      owned = Number(moved.numUpdatedRows) > 0;
      // Requests waiting on the server are taken between chunks (see applyRulesInBatches).
      await nextTurn();
      return owned && !options.signal?.aborted && (options.maxBatches === undefined || chunks < options.maxBatches);
    },
  });
  const db = context.store.db;
  if (owned && done === ids.length) {
    await db.deleteFrom('rule_passes').where('workspace_id', '=', context.workspaceId).where('tag_key', '=', METRICS_PASS_KEY).where('token', '=', token).execute();
    await notifyCatalogChanged(context);
    return { changed, finished: true };
  }
  if (owned && options.signal?.aborted) await db.updateTable('rule_passes').set({ updated_at: 0 }).where('workspace_id', '=', context.workspaceId).where('tag_key', '=', METRICS_PASS_KEY).where('token', '=', token).execute();
  return { changed, finished: false };
}

/**
 * Runs the recompute a declaration has just recorded: all of it, or, where the context has a
 * runner (the server), its first chunk before the declaration answers and the rest in the
 * background, as a rule tag's pass (`applyRecordedPass`); `metricsPassProgress` shows how far it is.
 */
export async function applyRecordedMetricsPass(context: WorkspaceContext, token: string): Promise<void> {
  const runner = context.rulePasses;
  if (!runner) {
    await runMetricsPass(context, token);
    return;
  }
  // One chunk is not worth starting the worker thread for.
  const first = await runMetricsPass(context, token, { batchSize: runner.firstBatchSize, maxBatches: 1, parallel: false });
  if (!first.finished) runner.start((signal) => runMetricsPass(context, token, { batchSize: runner.batchSize, signal }));
}

/** The recompute of everyone's metrics that is recorded and not finished, if one is. */
export async function metricsPassProgress(context: WorkspaceContext): Promise<RulePassProgress | undefined> {
  return (await recordedPasses(context)).get(METRICS_PASS_KEY);
}
