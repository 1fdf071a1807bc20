// Work that time causes, and the full rebuild. `tick` does what the clock made due in one
// workspace: expired assignments, metrics whose windows moved, and rules that read the clock.
// `recompute` re-derives every metric and rule tag from the events alone.
import type { WorkspaceContext } from './context.js';
import { notifyCatalogChanged, notifyCustomersChanged } from './context.js';
import { cachedEngineState } from './engine-cache.js';
import { customersWithDueMetrics, recomputeMetrics } from './metrics.js';
import { allCustomerIds, loadEngineState, propagateAll, ruleCandidatesFor } from './propagate.js';
import { evaluateRules } from './rules.js';
import { sweepExpiredAssignments } from './tagging.js';

export interface TickOptions {
  /** Re-evaluate rules that read the clock (days since, windows, birthdays) for everyone. */
  clockRules: boolean;
  /** Customers whose metrics are recomputed per transaction. */
  batchSize?: number;
}

export interface TickReport {
  expired: number;
  metricsRefreshed: number;
  clockRulesRun: boolean;
  tagsChanged: number;
}

export async function tickWorkspace(context: WorkspaceContext, options: TickOptions): Promise<TickReport> {
  const report: TickReport = { expired: await sweepExpiredAssignments(context), metricsRefreshed: 0, clockRulesRun: false, tagsChanged: 0 };
  const batchSize = options.batchSize ?? 1000;
  for (;;) {
    const due = await customersWithDueMetrics(context, batchSize);
    if (due.length === 0) break;
    const changed = await context.store.db.transaction().execute(async (trx) => {
      const state = await loadEngineState(context, trx);
      const metrics = await recomputeMetrics(context, trx, due, state.plan, state.catalog.utcOffsetMinutes);
      const rules = await evaluateRules(context, trx, state.catalog, state.rules, due, { metrics });
      report.tagsChanged += rules.changedCustomers.size;
      return [...due];
    });
    report.metricsRefreshed += due.length;
    await notifyCustomersChanged(context, changed);
    if (due.length < batchSize) break;
  }
  if (options.clockRules) {
    const ids = (await ruleCandidatesFor(context)) ?? (await allCustomerIds(context, context.store.db));
    for (let start = 0; start < ids.length; start += batchSize) {
      const part = ids.slice(start, start + batchSize);
      const changed = await context.store.db.transaction().execute(async (trx) => {
        const state = await loadEngineState(context, trx);
        return (await evaluateRules(context, trx, state.catalog, state.rules, part, { clock: true })).changedCustomers;
      });
      report.tagsChanged += changed.size;
      await notifyCustomersChanged(context, changed);
    }
    report.clockRulesRun = true;
  }
  return report;
}

export interface RecomputeProgress {
  done: number;
  total: number;
}

/**
 * Re-derives every customer's metrics and rule tags from the events, in transactions of
 * `batchSize` customers. Reaches the same state as the real-time path; safe to interrupt
 * and run again.
 */
export async function recomputeWorkspace(context: WorkspaceContext, options: { batchSize?: number; onProgress?: (progress: RecomputeProgress) => void } = {}): Promise<{ customers: number; tagsChanged: number }> {
  const ids = await allCustomerIds(context, context.store.db);
  const batchSize = options.batchSize ?? 1000;
  let tagsChanged = 0;
  for (let start = 0; start < ids.length; start += batchSize) {
    const part = ids.slice(start, start + batchSize);
    // The cached state (checked against the change log in each transaction, as ingest does): loading
    // and compiling the catalog afresh cost more than recomputing a chunk of small customers.
    const propagation = await context.store.db.transaction().execute(async (trx) => propagateAll(context, trx, part, await cachedEngineState(context, trx)));
    tagsChanged += propagation.rules.changedCustomers.size;
    options.onProgress?.({ done: Math.min(start + batchSize, ids.length), total: ids.length });
  }
  await notifyCatalogChanged(context);
  return { customers: ids.length, tagsChanged };
}
