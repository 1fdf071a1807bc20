// The main thread's handle on the recompute worker (recompute-worker.ts): starts it, hands it
// chunks of customers with the statements that read their events, and gets their computed
// metrics back, in order, as promises.
import { Worker } from 'node:worker_threads';
import type { Kysely } from 'kysely';
import { TagbaseError } from '../core/errors.js';
import { selectEvents, type EventSelection, type MetricPlan } from '../core/metric-compute.js';
import { IDS_PER_QUERY, chunks } from '../store/chunks.js';
import type { Database } from '../store/schema.js';
import { eventsQuery, extremesQuery } from './metrics.js';
import type { ChunkPart, ChunkRequest, ComputedChunk, Statement, WorkerReply, WorkerSetup } from './recompute-worker.js';
import { WorkerRequests } from './worker-requests.js';

const BOOTSTRAP = new URL('./worker-bootstrap.mjs', import.meta.url);
// Beside this module in either form: the TypeScript source, or dist/ as compiled for the command.
const WORKER_MODULE = new URL(import.meta.url.endsWith('.ts') ? './recompute-worker.ts' : './recompute-worker.js', import.meta.url);

/** A metric plan with what the worker needs to make the same one: the JSON of its `MetricSetup`. */
export interface PlannedMetrics {
  setup: string;
  plan: MetricPlan;
  utcOffsetMinutes: number;
}

/** The reads `recomputeMetricValues` makes for these customers, compiled: the same builders. */
function chunkPart(db: Kysely<Database>, customerIds: number[], selection: EventSelection): ChunkPart {
  const events = eventsQuery(db, customerIds, selection);
  const extremes = extremesQuery(db, customerIds, selection);
  return { customerIds, events: events && statement(events), extremes: extremes && statement(extremes) };
}

function statement(query: { compile(): { sql: string; parameters: readonly unknown[] } }): Statement {
  const { sql, parameters } = query.compile();
  return { sql, parameters };
}

export class MetricWorker {
  readonly #worker: Worker;
  readonly #requests = new WorkerRequests<ComputedChunk>();
  #started = false;
  /** Resolves true once the worker can take chunks, false when it could not start. */
  readonly ready: Promise<boolean>;

  /** Starts a worker on the store's SQLite file; undefined when no thread can be started at all. */
  static launch(db: Kysely<Database>, location: string): MetricWorker | undefined {
    const heads = {
      events: statement(db.selectFrom('events').select((eb) => eb.fn.max('id').as('head'))),
      merges: statement(db.selectFrom('customer_merges').select((eb) => eb.fn.max('id').as('head'))),
    };
    const setup: WorkerSetup = { module: WORKER_MODULE.href, location, heads };
    try {
      return new MetricWorker(db, new Worker(BOOTSTRAP, { workerData: setup }));
    } catch {
      return undefined;
    }
  }

  private constructor(
    private readonly db: Kysely<Database>,
    worker: Worker,
  ) {
    this.#worker = worker;
    this.ready = new Promise((resolve) => {
      worker.on('message', (reply: WorkerReply) => {
        if (reply.kind === 'ready') {
          this.#started = true;
          resolve(true);
        } else if (reply.kind === 'computed') {
          this.#requests.resolve(reply.chunk.id, reply.chunk);
        } else {
          this.#requests.reject(reply.id, reply.error);
        }
      });
      worker.on('error', (error) => {
        resolve(false);
        this.#requests.fail(error);
      });
      worker.on('exit', (code) => {
        resolve(false);
        this.#requests.fail(new TagbaseError('INTERNAL', { detail: `the metric worker stopped (exit code ${code})` }));
      });
    });
  }

  /** Whether the worker has started (a chunk handed to it before then waits for the start). */
  get started(): boolean {
    return this.#started && this.#requests.failure === undefined;
  }

  /** The customers' metrics, computed at `now` with `metrics`. */
  compute(customerIds: readonly number[], metrics: PlannedMetrics, now: number): Promise<ComputedChunk> {
    const { id, reply } = this.#requests.open();
    // A chunk asked ahead may fail while an earlier one is being written: the caller sees the
    // failure when it reaches that chunk, and not as an unhandled rejection before.
    reply.catch(() => undefined);
    if (this.#requests.failure) return reply;
    const selection = selectEvents(metrics.plan, now, metrics.utcOffsetMinutes);
    const parts = [...chunks(customerIds, IDS_PER_QUERY)].map((part) => chunkPart(this.db, part, selection));
    const request: ChunkRequest = { id, parts, metrics: metrics.setup, now };
    this.#worker.postMessage(request);
    return reply;
  }

  async stop(): Promise<void> {
    this.#requests.fail(new TagbaseError('INTERNAL', { detail: 'the metric worker was stopped' }));
    await this.#worker.terminate();
  }
}
