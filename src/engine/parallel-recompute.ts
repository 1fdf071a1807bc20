// The chunks of a full recompute. On a SQLite file, a worker thread reads the events of the
// chunks ahead and computes most of their customers' metrics while this thread writes the
// current chunk, recomputes the rest of it and runs its rules: two cores share the work that
// one did. Elsewhere (PostgreSQL, an in-memory database, a small workspace, a worker that
// cannot start) every chunk is recomputed here, as propagateAll does.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { chunks } from '../store/chunks.js';
import { sqliteFile } from '../store/connect.js';
import { lockWorkspaceWrites, logCustomersChanged, type WorkspaceContext } from './context.js';
import { ChunkSplit } from './chunk-split.js';
import { cachedEngineState, type EngineState } from './engine-cache.js';
import type { RecomputeProgress } from './maintenance.js';
import { MetricWorker, type PlannedMetrics } from './metric-worker.js';
import { propagateComputed, type ComputedPropagation } from './propagate-computed.js';
import { propagateAll, type Propagation } from './propagate.js';
import type { ComputedChunk, MetricSetup } from './recompute-worker.js';
import { storedCustomerIds } from './erasure.js';

/** Chunks the worker may be asked for ahead of the one being written: enough that it never waits. */
const CHUNKS_AHEAD = 2;

/**
 * Fewer customers are all recomputed here: starting the worker costs about half a second of
 * processor time (loading the metric code into a new thread), what five chunks take here.
 */
const ASIDE_FROM_CUSTOMERS = 10_000;

export interface RecomputeChunksOptions {
  batchSize: number;
  onProgress?: ((progress: RecomputeProgress) => void) | undefined;
  /** false: recompute every chunk on this thread. */
  parallel?: boolean | undefined;
  /** Called between the worker's read of a chunk and the chunk's transaction (tests write there). */
  beforeWrite?: ((customerIds: readonly number[]) => Promise<void>) | undefined;
  /** Start the worker whatever the number of customers, and wait for it rather than recompute the first chunks here meanwhile (tests). */
  waitForWorker?: boolean | undefined;
  /** Called once each chunk has committed, with its last customer id and the customers done; false stops before the next chunk. */
  afterChunk?: ((progress: { lastId: number; done: number }) => Promise<boolean>) | undefined;
}

const planned = new WeakMap<EngineState, PlannedMetrics>();

/** The state's metrics as the worker is handed them; equal setup texts compute equal values. */
function plannedMetricsOf(state: EngineState): PlannedMetrics {
  let metrics = planned.get(state);
  if (!metrics) {
    const setup: MetricSetup = { definitions: state.plan.definitions, utcOffsetMinutes: state.catalog.utcOffsetMinutes };
    metrics = { setup: JSON.stringify(setup), plan: state.plan, utcOffsetMinutes: state.catalog.utcOffsetMinutes };
    planned.set(state, metrics);
  }
  return metrics;
}

interface Ahead {
  index: number;
  /** How many of the chunk's customers, from the first, the worker computes. */
  count: number;
  setup: string;
  now: number;
  result: Promise<ComputedChunk>;
}

/**
 * Recomputes the metrics and rule tags of `customerIds`, `batchSize` customers per transaction;
 * returns how many customers' tags changed.
 */
export async function recomputeChunks(context: WorkspaceContext, customerIds: readonly number[], options: RecomputeChunksOptions): Promise<number> {
  const parts = [...chunks(customerIds, options.batchSize)];
  const worthIt = options.waitForWorker === true || customerIds.length >= ASIDE_FROM_CUSTOMERS;
  const file = sqliteFile(context.store);
  const worker = options.parallel !== false && worthIt && parts.length > 1 && file !== undefined ? MetricWorker.launch(context.store.db, file) : undefined;
  let startFinished = worker === undefined;
  void worker?.ready.then(() => (startFinished = true));
  if (options.waitForWorker) await worker?.ready;
  const split = new ChunkSplit();
  let metrics: PlannedMetrics | undefined;
  const ahead: Ahead[] = [];
  let asked = 0;
  let tagsChanged = 0;
  try {
    for (const [index, part] of parts.entries()) {
      // Until the worker has started, chunks are recomputed here; a turn of the event loop
      // between them lets its start be heard.
      if (!startFinished) await nextTurn();
      if (worker?.started) {
        metrics ??= plannedMetricsOf(await cachedEngineState(context, context.store.db));
        // The chunk at hand when the worker has just started is recomputed here meanwhile.
        for (asked = Math.max(asked, options.waitForWorker ? index : index + 1); asked < parts.length && asked <= index + CHUNKS_AHEAD; asked++) {
          const customers = parts[asked] ?? [];
          const count = split.asideCount(customers.length);
          const now = context.now().getTime();
          ahead.push({ index: asked, count, setup: metrics.setup, now, result: worker.compute(customers.slice(0, count), metrics, now) });
        }
      }
      const next = ahead[0]?.index === index ? ahead.shift() : undefined;
      const computed = next ? await next.result : undefined;
      if (computed) split.workerTook(computed.texts.length, computed.ms);
      if (next) await options.beforeWrite?.(part);
      const started = performance.now();
      const propagation: Propagation & Partial<ComputedPropagation> = await context.store.db.transaction().execute(async (trx) => {
        await lockWorkspaceWrites(context, trx);
        const state = await cachedEngineState(context, trx);
        if (worker) metrics = plannedMetricsOf(state);
        // Values computed with other definitions (the catalog changed meanwhile) are not used.
        let written: Propagation & Partial<ComputedPropagation>;
        if (!next || !computed || next.setup !== metrics?.setup) {
          const stored = await storedCustomerIds(trx, part);
          written = await propagateAll(context, trx, stored.size === part.length ? part : part.filter((id) => stored.has(id)), state);
        } else {
          written = await propagateComputed(context, trx, { customerIds: part, computedCount: next.count, now: next.now, computed }, state);
        }
        // Logged with the chunk, not left to the catalog change at the end: a recompute that
        // stops half way (a crash, a lost connection) would leave the chunks it committed unseen
        // by every other process's index, and by this one's after a start from its snapshot.
        await logCustomersChanged(context, trx, written.changed);
        return written;
      });
      if (propagation.changed.size > 0) context.observer?.customersChanged(context.workspaceId, [...propagation.changed]);
      if (propagation.recomputedHere) split.chunkTook(part.length, performance.now() - started, propagation.recomputedHere.customers, propagation.recomputedHere.ms);
      tagsChanged += propagation.rules.changedCustomers.size;
      const done = Math.min((index + 1) * options.batchSize, customerIds.length);
      options.onProgress?.({ done, total: customerIds.length });
      if (options.afterChunk && !(await options.afterChunk({ lastId: part[part.length - 1] ?? 0, done }))) break;
    }
  } finally {
    await worker?.stop();
  }
  return tagsChanged;
}
