// Work that time causes, and the full rebuild. `tick` does what the clock made due in one
// workspace: expired assignments, metrics whose windows moved, and rules that read the clock.
// `recompute` re-derives every metric and rule tag from the events alone.
import type { WorkspaceContext } from './context.js';
import { notifyCatalogChanged, writeCustomers } from './context.js';
import { customersWithDueMetrics, recomputeMetrics } from './metrics.js';
import { recomputeChunks } from './parallel-recompute.js';
import { allCustomerIds, applyRulesInBatches, loadEngineState } from './propagate.js';
import { evaluateRuleGroups, ruleGroups } from './rule-groups.js';
import { runMetricsPass } from './metric-passes.js';
import { METRICS_PASS, type PassTag } from './pass-records.js';
import { RULE_PASS_LEASE_MS, resumeRulePasses } from './rule-passes.js';
import { sweepExpiredAssignments } from './tagging.js';
import { storedCustomerIds } from './erasure.js';
import { fillNameSearchKeys } from './name-search-fill.js';

export interface TickOptions {
  /** Re-evaluate rules that read the clock (days since, windows, birthdays) for everyone. */
  clockRules: boolean;
  /** Customers whose metrics are recomputed per transaction. */
  batchSize?: number;
  /**
   * How long this tick may spend giving older customers their name search keys; every one of
   * them when not given. The server's rounds give it a few seconds each, so that care reminders,
   * the other workspaces and a shutdown do not wait minutes behind it in a big store.
   */
  nameKeysBudgetMs?: number;
}

export interface TickReport {
  expired: number;
  metricsRefreshed: number;
  clockRulesRun: boolean;
  tagsChanged: number;
  /**
   * Rule tags whose pass over everyone had been cut short (a crash), finished by this tick: by id,
   * with a personal tag's owner, since two staff members' personal tags may share a key.
   */
  rulePassesResumed: PassTag[];
  /** Whether a recompute of everyone's metrics for a new definition had been cut short, and this tick finished it. */
  metricsPassResumed: boolean;
  /** Customers kept from before names had search keys, given theirs (src/engine/name-search-fill.ts). */
  nameKeysFilled: number;
}

export async function tickWorkspace(context: WorkspaceContext, options: TickOptions): Promise<TickReport> {
  const report: TickReport = { expired: await sweepExpiredAssignments(context), metricsRefreshed: 0, clockRulesRun: false, tagsChanged: 0, rulePassesResumed: [], metricsPassResumed: false, nameKeysFilled: 0 };
  const batchSize = options.batchSize ?? 1000;
  for (;;) {
    const due = await customersWithDueMetrics(context, batchSize);
    if (due.length === 0) break;
    await writeCustomers(context, async (trx, changed) => {
      const state = await loadEngineState(context, trx);
      // Listed before the transaction: a customer erased since gets no metrics row again.
      const stored = await storedCustomerIds(trx, due);
      const metrics = await recomputeMetrics(context, trx, due.filter((id) => stored.has(id)), state.plan, state.catalog.utcOffsetMinutes);
      const rules = await evaluateRuleGroups(context, trx, await ruleGroups(context, trx, state, { fresh: true }), due, { metrics });
      report.tagsChanged += rules.changedCustomers.size;
      for (const id of due) changed.add(id);
    });
    report.metricsRefreshed += due.length;
    if (due.length < batchSize) break;
  }
  if (options.clockRules) {
    report.tagsChanged += (await applyRulesInBatches(context, { clock: true }, { batchSize })).changed;
    report.clockRulesRun = true;
  }
  // Last: a pass that keeps failing must not hold up expiry and due metrics.
  const resumed = await resumeRulePasses(context, RULE_PASS_LEASE_MS, new Map([[METRICS_PASS.id, runMetricsPass]]));
  report.rulePassesResumed = resumed.tags.filter((tag) => tag.id !== METRICS_PASS.id);
  report.metricsPassResumed = resumed.tags.some((tag) => tag.id === METRICS_PASS.id);
  report.tagsChanged += resumed.changed;
  // After the work the clock made due: a store upgraded at millions of customers keys them for
  // minutes (~33 s a million on SQLite), which the server spreads over its rounds.
  report.nameKeysFilled = await fillNameSearchKeys(context, { budgetMs: options.nameKeysBudgetMs });
  return report;
}

export interface RecomputeProgress {
  done: number;
  total: number;
}

/**
 * Re-derives every customer's metrics and rule tags from the events, in transactions of
 * `batchSize` customers. Reaches the same state as the real-time path; safe to interrupt
 * and run again. On a SQLite file, from 10,000 customers, a worker thread computes most of the
 * metrics of the chunks ahead (see parallel-recompute.ts); `parallel: false` keeps everything
 * on this thread.
 */
export async function recomputeWorkspace(
  context: WorkspaceContext,
  options: { batchSize?: number; onProgress?: (progress: RecomputeProgress) => void; parallel?: boolean } = {},
): Promise<{ customers: number; tagsChanged: number }> {
  const ids = await allCustomerIds(context, context.store.db);
  // Each chunk's transaction uses the cached engine state (checked against the change log, as
  // ingest does): loading and compiling the catalog afresh cost more than recomputing a chunk.
  const tagsChanged = await recomputeChunks(context, ids, { batchSize: options.batchSize ?? 1000, onProgress: options.onProgress, parallel: options.parallel });
  await notifyCatalogChanged(context);
  return { customers: ids.length, tagsChanged };
}
