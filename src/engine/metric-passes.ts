// Declaring a metric, or changing one a model owns, means computing it for every customer: the
// whole workspace's metrics and rules again, minutes at millions of customers. As with a rule
// tag's pass, the recompute is recorded in `rule_passes` in the transaction that saves the
// definition and moved forward after every chunk, so one that a crash cut short is finished by
// the scheduler instead of leaving customers not yet reached without the new values.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { notifyCatalogChanged, type WorkspaceContext } from './context.js';
import { recomputeChunks } from './parallel-recompute.js';
import { METRICS_PASS, movePass, ownedPass, recordedPasses, settlePass, type RulePassProgress } from './pass-records.js';
import { allCustomerIds } from './propagate.js';
import { runFirstBatchHere, type RulePassRun, type RulePassRunOptions } from './rule-passes.js';

/** Customers per transaction of the recompute. */
const METRICS_PASS_BATCH = 1000;

/**
 * Runs the recorded recompute that `token` owns from where it stands, and removes the record
 * once it reaches the end; stops at the next chunk when a later save has recorded a new one,
 * after `maxBatches` chunks, or when `signal` aborts (then the record is left for the next tick at once).
 */
export async function runMetricsPass(context: WorkspaceContext, token: string, options: RulePassRunOptions & { parallel?: boolean | undefined } = {}): Promise<RulePassRun> {
  const pass = await ownedPass(context, METRICS_PASS.id, token);
  if (!pass) return { changed: 0, finished: false };
  const ids = (await allCustomerIds(context, context.store.db)).filter((id) => id > pass.afterId);
  let done = 0;
  let chunks = 0;
  let owned = true;
  const changed = await recomputeChunks(context, ids, {
    batchSize: options.batchSize ?? METRICS_PASS_BATCH,
    // One chunk is not worth starting the worker thread for.
    parallel: options.parallel ?? (options.maxBatches === 1 ? false : undefined),
    // After the chunk's commit: a crash between the two recomputes that chunk again, which
    // gives the same values.
    afterChunk: async (progress) => {
      done = progress.done;
      chunks++;
      owned = await movePass(context, context.store.db, METRICS_PASS.id, token, { afterId: progress.lastId, done: pass.done + done, total: pass.done + ids.length });
      // Requests waiting on the server are taken between chunks (see applyRulesInBatches).
      await nextTurn();
      return owned && !options.signal?.aborted && (options.maxBatches === undefined || chunks < options.maxBatches);
    },
  });
  const finished = owned && done === ids.length;
  if (owned) await settlePass(context, METRICS_PASS.id, token, { finished, aborted: options.signal?.aborted === true });
  if (finished) await notifyCatalogChanged(context);
  return { changed, finished };
}

/**
 * Runs the recompute a declaration has just recorded: all of it, or, where the context has a
 * runner (the server), its first chunk before the declaration answers and the rest in the
 * background, as a rule tag's pass (`applyRecordedPass`); `metricsPassProgress` shows how far it is.
 */
export function applyRecordedMetricsPass(context: WorkspaceContext, token: string): Promise<void> {
  return runFirstBatchHere(context, (options) => runMetricsPass(context, token, options));
}

/** The recompute of everyone's metrics that is recorded and not finished, if one is. */
export async function metricsPassProgress(context: WorkspaceContext): Promise<RulePassProgress | undefined> {
  return (await recordedPasses(context)).get(METRICS_PASS.id);
}
