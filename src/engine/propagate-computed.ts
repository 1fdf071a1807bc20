// `propagateAll` for a chunk whose metrics were computed, for all or most of its customers,
// outside its transaction (by the recompute worker): the values are written only for customers
// whose events did not change since they were read; the others are recomputed here, and every
// rule runs as in propagateAll.
import type { Transaction } from 'kysely';
import { TagbaseError } from '../core/errors.js';
import type { MetricValue } from '../core/metric.js';
import { IDS_PER_QUERY, chunks } from '../store/chunks.js';
import type { Database } from '../store/schema.js';
import { selectTuples } from '../store/tuples.js';
import type { WorkspaceContext } from './context.js';
import { storedCustomerIds } from './erasure.js';
import type { EngineState } from './engine-cache.js';
import { changedMetricKeys, previousMetricRows, recomputeMetricValues, upsertMetricRows, type MetricChanges, type MetricRow, type StoredMetricValues } from './metrics.js';
import type { Propagation } from './propagate.js';
import type { ComputedChunk } from './recompute-worker.js';
import { evaluateRuleGroups, ruleGroups } from './rule-groups.js';

/** A chunk's customers, and the metrics of the first of them as computed at `now` from a snapshot of the store. */
export interface PrecomputedMetrics {
  customerIds: readonly number[];
  /** How many of `customerIds`, from the first, `computed` holds. */
  computedCount: number;
  now: number;
  computed: ComputedChunk;
}

export interface ComputedPropagation extends Propagation {
  /** The customers recomputed in the transaction (those not computed, or whose events changed since), and how long that took. */
  recomputedHere: { customers: number; ms: number };
}

/**
 * The chunk's customers whose events changed after the snapshot: events are only ever added
 * (with increasing ids) or moved by a merge (which logs a merge row), so both show up as ids
 * past the snapshot's heads.
 */
async function changedSinceSnapshot(context: WorkspaceContext, trx: Transaction<Database>, customerIds: readonly number[], computed: ComputedChunk): Promise<Set<number>> {
  const [added, merges] = await Promise.all([
    // By id alone: the id range is the few events stored since, where the customer index would read the chunk's whole history.
    selectTuples(context.store, trx, trx.selectFrom('events').select('customer_id').where('id', '>', computed.eventsHead), ['customer_id']),
    trx.selectFrom('customer_merges').select(['survivor_id', 'merged_id']).where('id', '>', computed.mergesHead).execute(),
  ]);
  const inChunk = new Set(customerIds);
  const changed = new Set<number>();
  for (const [customerId] of added) if (inChunk.has(customerId)) changed.add(customerId);
  for (const merge of merges) {
    if (inChunk.has(merge.survivor_id)) changed.add(merge.survivor_id);
    if (inChunk.has(merge.merged_id)) changed.add(merge.merged_id);
  }
  return changed;
}

/**
 * Stores the precomputed metrics of the customers whose events are as they were read (rows,
 * change sets and read-back values exactly as `recomputeMetricValues` makes them), recomputes
 * the others on `trx`, then runs every rule for the whole chunk.
 */
export async function propagateComputed(context: WorkspaceContext, trx: Transaction<Database>, precomputed: PrecomputedMetrics, state: EngineState): Promise<ComputedPropagation> {
  const { customerIds, computedCount, now, computed } = precomputed;
  const aside = customerIds.slice(0, computedCount);
  const here = await changedSinceSnapshot(context, trx, aside, computed);
  for (const customerId of customerIds.slice(computedCount)) here.add(customerId);
  // Customers erased since the chunk was listed get no metrics row again.
  const stored = await storedCustomerIds(trx, customerIds);
  for (const customerId of here) if (!stored.has(customerId)) here.delete(customerId);
  const changes: MetricChanges = new Map();
  const values: StoredMetricValues = new Map();
  const exact = new Map(computed.exact);
  const rows: MetricRow[] = [];
  let position = 0;
  for (const part of chunks(aside, IDS_PER_QUERY)) {
    const previous = await previousMetricRows(trx, part);
    for (const customerId of part) {
      const index = position++;
      if (here.has(customerId) || !stored.has(customerId)) continue;
      const json = computed.texts[index];
      const validUntil = computed.validUntil[index];
      if (json === undefined || validUntil === undefined) throw new TagbaseError('INTERNAL', { detail: `metrics of customer ${customerId} missing from its computed chunk` });
      // What `asReadBack` gives, and what the rules would read back from the row.
      const kept = JSON.parse(json) as Record<string, MetricValue>;
      values.set(customerId, kept);
      const before = previous.get(customerId);
      if (before && before.metric_values === json && before.valid_until === validUntil) continue;
      const changed = changedMetricKeys(state.plan, before, exact.get(index) ?? kept);
      if (changed.size > 0) changes.set(customerId, changed);
      rows.push({ customer_id: customerId, workspace_id: context.workspaceId, metric_values: json, computed_at: now, valid_until: validUntil });
    }
  }
  await upsertMetricRows(trx, rows);
  const started = performance.now();
  if (here.size > 0) {
    // At the chunk's instant, so that the whole chunk is computed as of one time.
    const atChunkTime: WorkspaceContext = { ...context, now: () => new Date(now) };
    const recomputed = await recomputeMetricValues(atChunkTime, trx, [...here], state.plan, state.catalog.utcOffsetMinutes);
    for (const [customerId, changed] of recomputed.changes) changes.set(customerId, changed);
    for (const [customerId, stored] of recomputed.values) values.set(customerId, stored);
  }
  const recomputedHere = { customers: here.size, ms: performance.now() - started };
  const rules = await evaluateRuleGroups(context, trx, await ruleGroups(context, trx, state), customerIds, { all: true }, { metrics: values });
  const changed = new Set(changes.keys());
  for (const customerId of rules.changedCustomers) changed.add(customerId);
  return { changed, rules, recomputedHere };
}
