// The metric half of a full recompute, run in a worker thread (see parallel-recompute.ts): on a
// read-only connection of its own it reads the events of a chunk of customers, with statements
// the main thread compiled, and computes their metrics, while the main thread writes the
// previous chunk and runs its rules. It loads no query builder: starting it stays cheap.
import { parentPort, workerData } from 'node:worker_threads';
import SqliteDatabase from 'better-sqlite3';
import { computeMetrics, planMetrics, type MetricPlan } from '../core/metric-compute.js';
import type { MetricDefinition, MetricValue } from '../core/metric.js';
import { asReadBack, dropNulls, eventsByCustomer } from './metrics.js';

/** A compiled select, run as it is. */
export interface Statement {
  sql: string;
  parameters: readonly unknown[];
}

/** What the worker is started with. */
export interface WorkerSetup {
  /** The worker module itself, for the bootstrap that loads it. */
  module: string;
  /** The SQLite file of the store. */
  location: string;
  /** The last event id and the last merge id, each as a one-column, one-row select. */
  heads: { events: Statement; merges: Statement };
}

/** The metric definitions and time zone the values are computed with; handed over as JSON. */
export interface MetricSetup {
  definitions: readonly MetricDefinition[];
  utcOffsetMinutes: number;
}

/** Some of a chunk's customers and the statements that read what their metrics need. */
export interface ChunkPart {
  customerIds: readonly number[];
  /** Rows as `eventsQuery` reads them; undefined when the metrics read no events. */
  events: Statement | undefined;
  /** Rows (customer id, first time, last time), when the metrics read them. */
  extremes: Statement | undefined;
}

export interface ChunkRequest {
  id: number;
  parts: ChunkPart[];
  /** JSON of a `MetricSetup`: compared as text by the main thread, planned once here. */
  metrics: string;
  now: number;
}

/** One chunk's metrics as read at one snapshot of the store. */
export interface ComputedChunk {
  id: number;
  /** The last event id and the last merge id the snapshot held: later ones were not seen. */
  eventsHead: number;
  mergesHead: number;
  /** Per customer, in request order: the stored JSON text (nulls dropped) and when it is due. */
  texts: string[];
  validUntil: (number | null)[];
  /**
   * Customers (by position) with a value that does not survive JSON (non-finite, -0), with the
   * values as computed: changes are judged on those, as the in-thread path does.
   */
  exact: [number, Record<string, MetricValue>][];
  /** How long reading and computing took, in milliseconds. */
  ms: number;
}

export type WorkerReply = { kind: 'ready' } | { kind: 'computed'; chunk: ComputedChunk } | { kind: 'failed'; id: number; error: Error };

type EventRow = [number, string, number, string];
type ExtremeRow = [number, number, number];

interface Snapshot {
  eventsHead: number;
  mergesHead: number;
  parts: { events: EventRow[]; extremes: ExtremeRow[] }[];
}

function openReader(setup: WorkerSetup) {
  const database = new SqliteDatabase(setup.location, { readonly: true, fileMustExist: true });
  database.pragma('busy_timeout = 5000');
  database.pragma('cache_size = -65536');
  const prepared = new Map<string, SqliteDatabase.Statement>();
  const rows = (statement: Statement): unknown[][] => {
    let prepare = prepared.get(statement.sql);
    if (!prepare) {
      prepare = database.prepare(statement.sql).raw(true);
      prepared.set(statement.sql, prepare);
    }
    return prepare.all(...statement.parameters) as unknown[][];
  };
  const head = (statement: Statement): number => Number(rows(statement)[0]?.[0] ?? 0);
  // One read transaction: the heads and the events come from the same snapshot.
  return database.transaction(
    (request: ChunkRequest): Snapshot => ({
      eventsHead: head(setup.heads.events),
      mergesHead: head(setup.heads.merges),
      parts: request.parts.map((part) => ({ events: part.events ? (rows(part.events) as EventRow[]) : [], extremes: part.extremes ? (rows(part.extremes) as ExtremeRow[]) : [] })),
    }),
  );
}

/** As `recomputeMetricValues` computes them, customer by customer. */
function computeChunk(request: ChunkRequest, snapshot: Snapshot, plan: MetricPlan, utcOffsetMinutes: number): ComputedChunk {
  const chunk: ComputedChunk = { id: request.id, eventsHead: snapshot.eventsHead, mergesHead: snapshot.mergesHead, texts: [], validUntil: [], exact: [], ms: 0 };
  request.parts.forEach((part, index) => {
    const read = snapshot.parts[index];
    const byCustomer = eventsByCustomer(read?.events ?? [], read?.extremes ?? []);
    for (const customerId of part.customerIds) {
      const result = computeMetrics(plan, byCustomer.get(customerId) ?? [], request.now, utcOffsetMinutes);
      const kept = dropNulls(result.values);
      if (asReadBack(kept) !== kept) chunk.exact.push([chunk.texts.length, result.values]);
      chunk.texts.push(JSON.stringify(kept));
      chunk.validUntil.push(result.validUntil);
    }
  });
  return chunk;
}

function serve(): void {
  const port = parentPort;
  if (!port) throw new Error('recompute-worker runs as a worker thread only');
  const read = openReader(workerData as WorkerSetup);
  let planned: { metrics: string; plan: MetricPlan; utcOffsetMinutes: number } | undefined;
  // Requests are handled one at a time, in the order they came: each runs to its end at once.
  port.on('message', (request: ChunkRequest) => {
    let reply: WorkerReply;
    try {
      if (planned?.metrics !== request.metrics) {
        const metrics = JSON.parse(request.metrics) as MetricSetup;
        planned = { metrics: request.metrics, plan: planMetrics(metrics.definitions), utcOffsetMinutes: metrics.utcOffsetMinutes };
      }
      const started = performance.now();
      const chunk = computeChunk(request, read(request), planned.plan, planned.utcOffsetMinutes);
      chunk.ms = performance.now() - started;
      reply = { kind: 'computed', chunk };
    } catch (error) {
      reply = { kind: 'failed', id: request.id, error: error instanceof Error ? error : new Error(String(error)) };
    }
    port.postMessage(reply);
  });
  const ready: WorkerReply = { kind: 'ready' };
  port.postMessage(ready);
}

serve();
