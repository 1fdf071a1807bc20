// The benchmark in one run: generate identical data into SQLite (and PostgreSQL), then time
// segment counts on the bitmap index against the SQL back end, ingest through the engine and
// over HTTP, event → tag latency, a full recompute, the index's cold start and memory, a tag's
// profile (metric means per value) and transitions (read from a tag history written for the
// purpose), and portrait reads under load from a second process. Returns plain data; `run.ts` prints it.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpus, tmpdir, totalmem } from 'node:os';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import type { AddressInfo } from 'node:net';
import { buildServer } from '../src/api/server.js';
import type { BoundExpression } from '../src/core/expression/index.js';
import type { WorkspaceContext } from '../src/engine/context.js';
import { createCarePlan, runCare } from '../src/engine/care.js';
import { ingestEvents } from '../src/engine/ingest.js';
import { applyJournal, journalSummary } from '../src/engine/event-journal.js';
import { recomputeWorkspace } from '../src/engine/maintenance.js';
import { configureModel, refreshModel } from '../src/engine/models.js';
import { applyRulesToEveryone, loadEngineState } from '../src/engine/propagate.js';
import { evaluateRules } from '../src/engine/rules.js';
import { compileAudience, createSegment, loadSegmentScope, type SegmentScope } from '../src/engine/segments.js';
import { watchSegments } from '../src/engine/segment-watch.js';
import { createWebhook } from '../src/engine/webhooks.js';
import { tagProfile } from '../src/engine/tag-profile.js';
import { tagTransitions } from '../src/engine/transitions.js';
import { DAY_MS } from '../src/core/time.js';
import { indexAudience } from '../src/index/audience.js';
import { IndexRegistry } from '../src/index/registry.js';
import { ruleCandidates } from '../src/index/rule-candidates.js';
import { catalogFingerprint, loadIndexSnapshot, saveIndexSnapshot } from '../src/index/snapshot.js';
import { WorkspaceIndex } from '../src/index/workspace-index.js';
import { openStore, type Store } from '../src/store/connect.js';
import { countCustomers } from '../src/store/expression-sql.js';
import { BENCH_EXPRESSIONS } from './library.js';
import { DEFAULT_NOW, benchCustomerId, generateWorkspace, type GenerateReport } from './generate.js';
import type { LoadJob, LoadResult } from './load-client.js';

export interface BenchOptions {
  customers: number;
  /** Customers of the sub-workspace with stored events (ingest, recompute). */
  eventCustomers: number;
  eventsPerCustomer: number;
  seed: number;
  /** SQLite file; removed first. */
  sqlitePath: string;
  pgUrl?: string | undefined;
  indexRuns: number;
  sqlRuns: number;
  ingestBatches: number;
  latencySamples: number;
  loadSeconds: number;
  loadConnections: number;
  log: (line: string) => void;
}

export interface Timing {
  runs: number;
  p50Ms: number;
  p99Ms: number;
}

export interface SegmentResult {
  name: string;
  expression: string;
  matches: number;
  share: number;
  index: Timing;
  sqlite: Timing & { matches: number };
  postgres?: Timing & { matches: number };
  /** SQL p50 over index p50. */
  sqliteRatio: number;
  postgresRatio?: number;
}

export interface BenchResults {
  meta: { date: string; customers: number; eventCustomers: number; eventsPerCustomer: number; seed: number; node: string; cpus: number; cpuModel: string; memoryGiB: number; postgres: boolean };
  generate: { sqlite: GenerateReport; postgres?: GenerateReport | undefined; events: GenerateReport };
  coldStart: {
    buildMs: number;
    customers: number;
    bitmaps: number;
    indexBytes: number;
    bytesPerCustomer: number;
    rssDeltaBytes: number;
    rssBytesPerCustomer: number;
    /** What `tagbase serve` does on a later start: the snapshot saved after a build, then loaded. */
    snapshotBytes: number;
    snapshotSaveMs: number;
    snapshotLoadMs: number;
  };
  segments: SegmentResult[];
  ingest: {
    workspaceCustomers: number;
    engine: { events: number; batchSize: number; seconds: number; eventsPerSecond: number };
    http: { events: number; batchSize: number; seconds: number; eventsPerSecond: number };
    /** One event per request from concurrent connections, as integrations send them: requests per second are events per second. */
    httpSingle: LoadResult & { connections: number; stored: number };
    /**
     * Batches sent with `Prefer: respond-async` from concurrent connections: each answered once
     * it is in the event journal (`accept`, its requests of `batchSize` events), then applied by
     * the server behind the answers. `drainSeconds`: from the end of the load until the last
     * accepted batch was applied; `applied`: events per second from the start of the load until then.
     */
    /** One new customer per request from concurrent connections, as a CRM sync sends them; `stored` must equal the requests. */
    customersSingle: LoadResult & { connections: number; stored: number };
    httpAccepted: { batchSize: number; connections: number; accept: LoadResult; acceptedEvents: number; acceptedPerSecond: number; stored: number; drainSeconds: number; appliedPerSecond: number };
    tagLatency: { samples: number; flipped: number; committedP50Ms: number; committedP99Ms: number; indexVisibleP50Ms: number; indexVisibleP99Ms: number };
  };
  /** Every metric (the model's scores included) and rule tag from events; then the model's thresholds refreshed from today's customers and its scores and tag re-applied (`modelTagged`: customers holding its tag after). */
  recompute: { customers: number; events: number; seconds: number; customersPerSecond: number; eventsPerSecond: number; model: string; modelRefreshSeconds: number; modelTagged: number };
  rules: RulePassResult;
  profile: ProfileResult;
  segmentWatch: SegmentWatchResult;
  transitions: TransitionsResult;
  /** One round of care after the ingest: every order ingested scheduled `steps` reminders, the first due at once with its message written. */
  care: { orders: number; steps: number; scheduled: number; due: number; seconds: number };
  portrait: LoadResult & { connections: number };
}

/** The after-sales sequence on every order, its first step due at once. */
const CARE_PLAN = {
  key: 'bench_after_sales',
  name: '售后3315',
  trigger: { kind: 'event' as const, event_type: 'order_paid' },
  cancel_on: { event_type: 'order_refunded', same_property: 'order_id' },
  steps: [
    { after: '0', message: '{name}您好，感谢您的购买（订单 {event:order_id}，{event:amount} 元）' },
    { after: '3d', message: '{name}，商品用得还好吗？' },
    { after: '7d', message: '{name}，为您准备了搭配建议' },
  ],
};

/**
 * `tagTransitions` of the RFM tag over the last 30 days, on a history written for the
 * benchmark (the generator writes none): every holder took a value 60 days ago, and a third of
 * them held another one then and moved to today's 10 days ago.
 */
export interface TransitionsResult {
  tag: string;
  historyRows: number;
  holders: number;
  moved: number;
  /** Holders whose history was written with a move: what `moved` must be. */
  writtenMoves: number;
  /** As the server answers: those who kept their value counted from the index, only the period's changes read. */
  timing: Timing;
  /** Without the index (the command line's way): every holder's assignment read and rewound. */
  storeOnly: Timing;
}

/** `tagProfile` of the RFM tag with its default metrics, answered by the index, and one value's spend summed by SQL for comparison. */
export interface ProfileResult {
  tag: string;
  values: number;
  metrics: string[];
  holders: number;
  timing: Timing;
  /** The first value held by anyone: its customers with a 365-day spend and their sum, by the index and by SQL over the stored metrics. */
  check: { value: string; index: { customers: number; sum: number }; sql: { customers: number; sum: number } };
}

/** Every rule tag re-evaluated from current metrics, as the hourly clock pass and a saved rule do. */
export interface RulePassResult {
  ruleTags: number;
  conditions: number;
  /** Customers the index said a pass could change; only these are evaluated one by one. */
  candidates: number;
  changed: number;
  findMs: number;
  totalMs: number;
  /** The same pass evaluating every customer one by one (measured up to a million customers). */
  everyoneMs?: number | undefined;
}

/** Times a pass of every rule narrowed by the index, and (when `everyone`) the pass over everyone. */
export async function measureRulePass(context: WorkspaceContext, index: WorkspaceIndex, everyone: boolean): Promise<RulePassResult> {
  const started = performance.now();
  const state = await loadEngineState(context, context.store.db);
  const candidates = ruleCandidates(index, state.rules, state.catalog, context.now().getTime());
  const findMs = performance.now() - started;
  const pass = await context.store.db.transaction().execute((trx) => evaluateRules(context, trx, state.catalog, state.rules, [...candidates], { all: true }));
  const totalMs = performance.now() - started;
  let everyoneMs: number | undefined;
  if (everyone) {
    const from = performance.now();
    await context.store.db.transaction().execute((trx) => applyRulesToEveryone(context, trx, { all: true }));
    everyoneMs = performance.now() - from;
  }
  return {
    ruleTags: state.rules.rules.length,
    conditions: state.rules.rules.reduce((sum, rule) => sum + rule.values.length, 0),
    candidates: candidates.size,
    changed: pass.changedCustomers.size,
    findMs,
    totalMs,
    everyoneMs,
  };
}

/** What a result file records of the machine it was measured on: results differ by processor. */
export function machineInfo(): { node: string; cpus: number; cpuModel: string; memoryGiB: number } {
  return { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGiB: totalmem() / 1024 ** 3 };
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}

const PROFILE_TAG = 'rfm_level';

/**
 * What the server spends each second on a `segment_changes` webhook: one look at the suite's
 * expressions saved as segments, when nobody moved (`watchSegments`: evaluate each, read the
 * members seen last time, compare). `memberBytes`: the members seen, as stored.
 */
export interface SegmentWatchResult {
  segments: number;
  members: number;
  memberBytes: number;
  started: number;
  logged: number;
  timing: Timing;
}

async function measureSegmentWatch(context: WorkspaceContext, index: WorkspaceIndex, runs: number): Promise<SegmentWatchResult> {
  const audience = indexAudience({ get: () => Promise.resolve(index) });
  const keys: string[] = [];
  for (const [k, expression] of BENCH_EXPRESSIONS.entries()) {
    const key = `bench_watch_${k}`;
    await createSegment(context, { key, name: `观察 ${expression.name}`, expression: expression.source });
    keys.push(key);
  }
  await createWebhook(context, { url: 'https://receiver.invalid/bench', topics: ['segment_changes'], segments: keys });
  const { started } = await watchSegments(context, audience);
  let logged = 0;
  const samples: number[] = [];
  for (let run = 0; run < runs; run++) {
    const begun = performance.now();
    logged += (await watchSegments(context, audience)).logged;
    samples.push(performance.now() - begun);
  }
  const seen = await context.store.db
    .selectFrom('segment_members_seen')
    .select((eb) => [eb.fn.sum<number>('member_count').as('members'), eb.fn.sum<number>(sql`length(members)`).as('bytes')])
    .where('workspace_id', '=', context.workspaceId)
    .executeTakeFirstOrThrow();
  return { segments: keys.length, members: Number(seen.members), memberBytes: Number(seen.bytes), started, logged, timing: timing(samples) };
}

async function measureProfile(context: WorkspaceContext, index: WorkspaceIndex, runs: number): Promise<ProfileResult> {
  const audience = indexAudience({ get: () => Promise.resolve(index) });
  const first = await tagProfile(context, audience, PROFILE_TAG);
  const samples: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    await tagProfile(context, audience, PROFILE_TAG);
    samples.push(performance.now() - started);
  }
  const held = first.tag.values.find((value) => (first.values.get(value.id)?.customers ?? 0) > 0);
  if (!held) throw new Error(`nobody holds ${PROFILE_TAG}`);
  const byIndex = first.values.get(held.id)?.metrics.get('spend_365d') ?? { sum: 0, customers: 0 };
  const bySql = await context.store.db
    .selectFrom('assignments as a')
    .innerJoin('customer_metrics as m', 'm.customer_id', 'a.customer_id')
    .select([sql<number>`sum(json_extract(m.metric_values, '$.spend_365d'))`.as('sum'), sql<number>`count(json_extract(m.metric_values, '$.spend_365d'))`.as('customers')])
    .where('a.value_id', '=', held.id)
    .executeTakeFirstOrThrow();
  return {
    tag: PROFILE_TAG,
    values: first.tag.values.length,
    metrics: first.metrics.map((metric) => metric.key),
    holders: first.holders.customers,
    timing: timing(samples),
    check: { value: held.key, index: byIndex, sql: { customers: Number(bySql.customers), sum: Number(bySql.sum ?? 0) } },
  };
}

async function measureTransitions(context: WorkspaceContext, index: WorkspaceIndex, runs: number): Promise<TransitionsResult> {
  const { db } = context.store;
  const tag = await db.selectFrom('tags').select('id').where('workspace_id', '=', context.workspaceId).where('key', '=', PROFILE_TAG).executeTakeFirstOrThrow();
  const values = (await db.selectFrom('tag_values').select('id').where('tag_id', '=', tag.id).orderBy('sort_order').execute()).map((row) => row.id);
  const now = context.now().getTime();
  const next = sql`case value_id ${sql.join(values.map((id, i) => sql`when ${id} then ${values[(i + 1) % values.length] ?? id}`), sql` `)} end`;
  const columns = sql`(workspace_id, customer_id, tag_id, value_id, previous_value_id, action, label, source, actor, at, expires_at)`;
  const moving = sql`customer_id % 3 = 0`;
  await sql`insert into tag_history ${columns} select workspace_id, customer_id, tag_id, case when ${moving} then ${next} else value_id end, null, 'add', 'bench', 'rule', 'bench', ${now - 60 * DAY_MS}, null from assignments where tag_id = ${tag.id}`.execute(db);
  await sql`insert into tag_history ${columns} select workspace_id, customer_id, tag_id, value_id, ${next}, 'replace', 'bench', 'rule', 'bench', ${now - 10 * DAY_MS}, null from assignments where tag_id = ${tag.id} and ${moving}`.execute(db);
  const counted = await db.selectFrom('tag_history').select((eb) => eb.fn.countAll<number>().as('n')).where('tag_id', '=', tag.id).executeTakeFirstOrThrow();
  const written = await db.selectFrom('tag_history').select((eb) => eb.fn.countAll<number>().as('n')).where('tag_id', '=', tag.id).where('action', '=', 'replace').executeTakeFirstOrThrow();
  const period = { from: now - 30 * DAY_MS, to: now };
  const audience = indexAudience({ get: () => Promise.resolve(index) });
  const holders = (valueIds: readonly number[]) => audience.valueHolders(context, valueIds);
  const found = await tagTransitions(context, PROFILE_TAG, period, holders);
  const time = async (withIndex: boolean) => {
    const samples: number[] = [];
    for (let run = 0; run < runs; run++) {
      const started = performance.now();
      const again = await tagTransitions(context, PROFILE_TAG, period, withIndex ? holders : undefined);
      samples.push(performance.now() - started);
      if (JSON.stringify(again.flows) !== JSON.stringify(found.flows)) throw new Error('transitions read with and without the index disagree');
    }
    return timing(samples);
  };
  return {
    tag: PROFILE_TAG,
    historyRows: Number(counted.n),
    holders: found.holdersTo,
    moved: found.moved ?? 0,
    writtenMoves: Number(written.n),
    timing: await time(true),
    storeOnly: await time(false),
  };
}

function timing(samples: number[]): Timing {
  return { runs: samples.length, p50Ms: percentile(samples, 50), p99Ms: percentile(samples, 99) };
}

export const MAIN = 'bench';
const EVENTS = 'bench_events';
const BENCH_MODEL = 'rfm';

export function contextFor(store: Store, workspaceId: number, workspaceKey: string, now: () => Date, observer?: IndexRegistry): WorkspaceContext {
  return { store, workspaceId, workspaceKey, actor: 'bench', now, observer };
}

function countOptions(scope: SegmentScope, now: number) {
  return { now, utcOffsetMinutes: scope.catalog.utcOffsetMinutes, tagIds: scope.catalog.tagIds, segment: scope.resolve };
}

export async function timeSql(store: Store, workspaceId: number, bound: BoundExpression, scope: SegmentScope, now: number, runs: number): Promise<Timing & { matches: number }> {
  // A warm-up run fills caches, unless runs are so few (and slow) that the cold ones are the measurement.
  let matches = runs >= 3 ? await countCustomers(store, workspaceId, bound, countOptions(scope, now)) : 0;
  const samples: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    matches = await countCustomers(store, workspaceId, bound, countOptions(scope, now));
    samples.push(performance.now() - started);
  }
  return { ...timing(samples), matches };
}

function rss(): number {
  global.gc?.();
  return process.memoryUsage().rss;
}

/** An order a few minutes before `at`, for an existing customer of the events workspace. */
/** Runs the load generator in a second process, so that it does not share the server's event loop. */
/** Events of the workspace whose key is like `pattern`. */
async function countEvents(store: Store, workspaceId: number, pattern: string): Promise<number> {
  const row = await store.db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', workspaceId).where('event_key', 'like', pattern).executeTakeFirstOrThrow();
  return Number(row.n);
}

async function runLoadClient(job: LoadJob): Promise<LoadResult> {
  const client = fileURLToPath(new URL('./load-client.ts', import.meta.url));
  // In a file: one argument may not exceed 128 KiB, and the customer ids of an events job can.
  const directory = mkdtempSync(join(tmpdir(), 'tagbase-load-'));
  try {
    const file = join(directory, 'job.json');
    writeFileSync(file, JSON.stringify(job));
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', client, `@${file}`], { timeout: (job.seconds + 60) * 1000 });
    return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as LoadResult;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

function orderEvent(customerIndex: number, key: string, at: number, amount: number) {
  return {
    id: key,
    customer_id: benchCustomerId(customerIndex),
    type: 'order_paid',
    occurred_at: new Date(at - 60_000).toISOString(),
    properties: { order_id: key, amount, channel: 'online', items: [{ sku: 'SKU1001', category: '美妆', price: amount, quantity: 1 }] },
  };
}

function viewEvent(customerIndex: number, key: string, at: number) {
  return { id: key, customer_id: benchCustomerId(customerIndex), type: 'product_viewed', occurred_at: new Date(at - 30_000).toISOString(), properties: { sku: 'SKU2002', category: '数码', dwell_seconds: 42 } };
}

export async function runBenchmark(options: BenchOptions): Promise<BenchResults> {
  const log = options.log;
  const now = DEFAULT_NOW;
  // The clock moves with real time from the generation instant, so new events are "now".
  const realStart = Date.now();
  const clock = () => new Date(now + (Date.now() - realStart));
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${options.sqlitePath}${suffix}`, { force: true });
  const sqlite = await openStore(options.sqlitePath);
  await sqlite.migrate();
  let postgres: Store | undefined;
  const pgSchema = `tagbase_bench_${randomBytes(4).toString('hex')}`;
  try {
    if (options.pgUrl) {
      postgres = await openStore(options.pgUrl, { pgSchema, poolSize: 4 });
      await postgres.migrate();
    }
    const stores = postgres ? [sqlite, postgres] : [sqlite];

    log(`generating ${options.customers.toLocaleString('en')} customers into ${stores.map((s) => s.dialect).join(' and ')}`);
    const main = await generateWorkspace(stores, { workspace: MAIN, customers: options.customers, seed: options.seed, now, log });
    log(`generating ${options.eventCustomers.toLocaleString('en')} customers with ~${options.eventsPerCustomer} stored events each (SQLite)`);
    const eventsWs = await generateWorkspace([sqlite], { workspace: EVENTS, customers: options.eventCustomers, seed: options.seed + 1, now, eventsPerCustomer: options.eventsPerCustomer, storeEvents: true, log });
    const [sqliteId = 0, pgId = 0] = main.workspaceIds;
    const [eventsId = 0] = eventsWs.workspaceIds;
    // The RFM model on the events workspace: its scores are metrics and its tag a rule tag, so
    // ingest and recompute carry a model as a real workspace would.
    log('enabling the RFM model on the events workspace');
    await configureModel(contextFor(sqlite, eventsId, EVENTS, clock), BENCH_MODEL, {});

    // ------------------------------------------------------------ cold start
    log('building the index');
    // Built twice: the second build's RSS growth, with the first index still held, is what one
    // more index costs, free of what generation left behind for the allocator to reuse.
    const first = await WorkspaceIndex.build(sqlite, sqliteId);
    const before = rss();
    const index = await WorkspaceIndex.build(sqlite, sqliteId);
    const after = rss();
    if (first.all.size !== index.all.size) throw new Error('two builds of one workspace disagree');
    const stats = index.stats();
    const fingerprint = await catalogFingerprint(sqlite, sqliteId);
    const saved = await saveIndexSnapshot(sqlite, index, { position: 0, polledAt: Date.now() }, fingerprint);
    if (!saved) throw new Error('the snapshot was not saved: a customer it holds was erased meanwhile');
    const loadStarted = performance.now();
    const loaded = await loadIndexSnapshot(sqlite, sqliteId, fingerprint);
    const snapshotLoadMs = performance.now() - loadStarted;
    if ('rejected' in loaded) throw new Error(`the snapshot just saved was rejected: ${loaded.rejected}`);
    if (loaded.index.all.size !== index.all.size) throw new Error('the snapshot and the build disagree');
    const coldStart = {
      buildMs: stats.buildMs,
      customers: stats.customers,
      bitmaps: stats.bitmaps,
      indexBytes: stats.bytes,
      bytesPerCustomer: stats.bytes / Math.max(1, stats.customers),
      rssDeltaBytes: after - before,
      rssBytesPerCustomer: (after - before) / Math.max(1, stats.customers),
      snapshotBytes: saved.bytes,
      snapshotSaveMs: saved.encodeMs + saved.writeMs,
      snapshotLoadMs,
    };

    // ------------------------------------------------------------ segment counts
    const mainContext = contextFor(sqlite, sqliteId, MAIN, clock);
    const scope = await loadSegmentScope(mainContext);
    const pgScope = postgres ? await loadSegmentScope(contextFor(postgres, pgId, MAIN, clock)) : undefined;
    const segments: SegmentResult[] = [];
    for (const expression of BENCH_EXPRESSIONS) {
      log(`counting: ${expression.name}`);
      const { bound } = compileAudience(scope, expression.source);
      const indexOptions = countOptions(scope, now);
      let matches = index.count(bound, indexOptions);
      for (let run = 0; run < 5; run++) index.count(bound, indexOptions);
      const samples: number[] = [];
      for (let run = 0; run < options.indexRuns; run++) {
        const started = performance.now();
        matches = index.count(bound, indexOptions);
        samples.push(performance.now() - started);
      }
      const indexTiming = timing(samples);
      const sqliteTiming = await timeSql(sqlite, sqliteId, bound, scope, now, options.sqlRuns);
      const result: SegmentResult = {
        name: expression.name,
        expression: expression.source,
        matches,
        share: matches / Math.max(1, stats.customers),
        index: indexTiming,
        sqlite: sqliteTiming,
        sqliteRatio: sqliteTiming.p50Ms / Math.max(indexTiming.p50Ms, 1e-6),
      };
      if (postgres && pgScope) {
        const pgBound = compileAudience(pgScope, expression.source).bound;
        result.postgres = await timeSql(postgres, pgId, pgBound, pgScope, now, options.sqlRuns);
        result.postgresRatio = result.postgres.p50Ms / Math.max(indexTiming.p50Ms, 1e-6);
      }
      segments.push(result);
    }

    // ------------------------------------------------------------ a tag's profile
    log(`profiling the values of ${PROFILE_TAG}`);
    const profile = await measureProfile(mainContext, index, options.indexRuns);

    // ------------------------------------------------------------ segment changes
    log('looking at segments watched by a webhook');
    const segmentWatch = await measureSegmentWatch(mainContext, index, Math.min(options.indexRuns, 50));

    // ------------------------------------------------------------ rule re-evaluation
    log('re-evaluating every rule tag');
    const rules = await measureRulePass(mainContext, index, options.customers <= 1_000_000);

    // ------------------------------------------------------------ ingest
    const registry = new IndexRegistry(sqlite);
    const eventsContext = contextFor(sqlite, eventsId, EVENTS, clock, registry);
    let sequence = 0;
    const pick = (k: number) => (k * 7919 + 13) % options.eventCustomers;
    const batchOf = (size: number) =>
      Array.from({ length: size }, (_, k) => {
        const key = `ingest-${sequence++}`;
        const customer = pick(sequence);
        return k % 3 === 0 ? orderEvent(customer, key, clock().getTime(), 50 + (k % 400)) : viewEvent(customer, key, clock().getTime());
      });
    // A care plan on the orders, as a shop would have: ingest does no work for it (its round reads
    // the events afterwards), which the ingest lines below show; the round itself is measured after.
    const carePlan = await createCarePlan(eventsContext, CARE_PLAN);
    const careCursor = Number((await sqlite.db.selectFrom('care_plans').select('cursor').where('workspace_id', '=', eventsId).where('key', '=', carePlan.key).executeTakeFirstOrThrow()).cursor);
    log('ingest through the engine');
    const BATCH = 1000;
    let engineEvents = 0;
    let started = performance.now();
    for (let b = 0; b < options.ingestBatches; b++) engineEvents += (await ingestEvents(eventsContext, batchOf(BATCH))).stored;
    const engineSeconds = (performance.now() - started) / 1000;

    log('ingest over HTTP');
    const app = await buildServer({ store: sqlite, now: clock, index: registry });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    let httpEvents = 0;
    try {
      started = performance.now();
      for (let b = 0; b < options.ingestBatches; b++) {
        const response = await fetch(`${base}/api/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-tagbase-workspace': EVENTS }, body: JSON.stringify({ events: batchOf(BATCH) }) });
        if (!response.ok) throw new Error(`POST /events answered ${response.status}: ${await response.text()}`);
        httpEvents += ((await response.json()) as { stored: number }).stored;
      }
      const httpSeconds = (performance.now() - started) / 1000;

      log(`ingest over HTTP, one event per request, ${options.loadConnections} connections for ${options.loadSeconds} s`);
      const singles = await runLoadClient({
        url: base,
        paths: ['/api/v1/events'],
        headers: { 'x-tagbase-workspace': EVENTS },
        seconds: options.loadSeconds,
        connections: options.loadConnections,
        events: { customers: Array.from({ length: 1000 }, (_, k) => benchCustomerId(pick(k * 31 + 7))), perRequest: 1, occurredAt: new Date(clock().getTime() - 30_000).toISOString(), idPrefix: 'single-' },
      });
      const singlesStored = await countEvents(sqlite, eventsId, 'single-%');

      log('event → tag latency');
      // Customers without a recent order: one order flips their `active_30d` rule tag on.
      const scopeEvents = await loadSegmentScope(eventsContext);
      const inactive = compileAudience(scopeEvents, 'not tagged("active_30d")').bound;
      const activeBound = compileAudience(scopeEvents, 'tagged("active_30d")').bound;
      const eventsIndex = await registry.get(eventsContext);
      const candidates = eventsIndex.evaluate(inactive, countOptions(scopeEvents, now)).toArray().slice(0, options.latencySamples);
      const committed: number[] = [];
      const visible: number[] = [];
      let flipped = 0;
      for (const customerId of candidates) {
        const row = await sqlite.db.selectFrom('customers').select('external_id').where('id', '=', customerId).executeTakeFirstOrThrow();
        const key = `flip-${sequence++}`;
        const event = { ...orderEvent(0, key, clock().getTime(), 99), customer_id: row.external_id };
        const t0 = performance.now();
        const result = await ingestEvents(eventsContext, [event]);
        const t1 = performance.now();
        const fresh = await registry.get(eventsContext);
        const seen = fresh.evaluate(activeBound, countOptions(scopeEvents, clock().getTime())).has(customerId);
        const t2 = performance.now();
        committed.push(t1 - t0);
        visible.push(t2 - t0);
        if (result.tags_changed === 1 && seen) flipped++;
      }

      // After the latency probe: these orders make every customer active, leaving it none to flip.
      const acceptConnections = 4;
      log(`ingest over HTTP, accepted at once (Prefer: respond-async), batches of ${BATCH}, ${acceptConnections} connections for ${options.loadSeconds} s`);
      const storedBefore = await countEvents(sqlite, eventsId, 'accepted-%');
      const accept = await runLoadClient({
        url: base,
        paths: ['/api/v1/events'],
        headers: { 'x-tagbase-workspace': EVENTS, prefer: 'respond-async' },
        seconds: options.loadSeconds,
        connections: acceptConnections,
        events: { customers: Array.from({ length: options.eventCustomers }, (_, k) => benchCustomerId(pick(k))), perRequest: BATCH, occurredAt: new Date(clock().getTime() - 30_000).toISOString(), idPrefix: 'accepted-' },
      });
      const loadEnded = performance.now();
      for (;;) {
        await applyJournal({ store: sqlite, now: clock, observer: registry });
        if ((await journalSummary(eventsContext)).pending_batches === 0) break;
      }
      const drainSeconds = (performance.now() - loadEnded) / 1000;
      const acceptedEvents = (accept.requests - accept.non2xx - accept.errors) * BATCH;
      const acceptedStored = (await countEvents(sqlite, eventsId, 'accepted-%')) - storedBefore;
      const httpAccepted = {
        batchSize: BATCH,
        connections: acceptConnections,
        accept,
        acceptedEvents,
        acceptedPerSecond: acceptedEvents / accept.seconds,
        stored: acceptedStored,
        drainSeconds,
        appliedPerSecond: acceptedStored / (accept.seconds + drainSeconds),
      };

      // ------------------------------------------------------------ care
      log('a round of care over the orders ingested');
      const orders = await sqlite.db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', eventsId).where('type', '=', 'order_paid').where('id', '>', careCursor).executeTakeFirstOrThrow();
      started = performance.now();
      const careRound = await runCare(eventsContext);
      const care = { orders: Number(orders.n), steps: CARE_PLAN.steps.length, scheduled: careRound.scheduled, due: careRound.due, seconds: (performance.now() - started) / 1000 };

      // ------------------------------------------------------------ portrait reads
      log(`portrait reads for ${options.loadSeconds} s`);
      const paths = Array.from({ length: 1000 }, (_, k) => `/api/v1/customers/${benchCustomerId((k * 104_729) % options.customers)}`);
      const portrait = { ...(await runLoadClient({ url: base, paths, headers: { 'x-tagbase-workspace': MAIN }, seconds: options.loadSeconds, connections: options.loadConnections })), connections: options.loadConnections };

      // ------------------------------------------------------------ recompute
      log('recompute');
      const eventCount = await sqlite.db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', eventsId).executeTakeFirstOrThrow();
      started = performance.now();
      const recomputed = await recomputeWorkspace(contextFor(sqlite, eventsId, EVENTS, clock));
      const recomputeSeconds = (performance.now() - started) / 1000;
      log('refreshing the RFM model');
      started = performance.now();
      await refreshModel(contextFor(sqlite, eventsId, EVENTS, clock), BENCH_MODEL);
      const modelRefreshSeconds = (performance.now() - started) / 1000;
      const modelTagged = await sqlite.db
        .selectFrom('assignments')
        .innerJoin('tags', 'tags.id', 'assignments.tag_id')
        .select((eb) => eb.fn.count<number>('assignments.customer_id').distinct().as('n'))
        .where('tags.workspace_id', '=', eventsId)
        .where('tags.key', '=', BENCH_MODEL)
        .executeTakeFirstOrThrow();

      // After the recompute, whose count of the events workspace's customers these would change.
      log(`customers over HTTP, one per request, ${options.loadConnections} connections for ${options.loadSeconds} s`);
      const customerSingles = await runLoadClient({
        url: base,
        paths: ['/api/v1/customers'],
        headers: { 'x-tagbase-workspace': EVENTS },
        seconds: options.loadSeconds,
        connections: options.loadConnections,
        customers: { perRequest: 1, idPrefix: 'crm-' },
      });
      const customersStored = Number(
        (await sqlite.db.selectFrom('customers').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', eventsId).where('external_id', 'like', 'crm-%').executeTakeFirstOrThrow()).n,
      );

      // ------------------------------------------------------------ transitions
      // Last: the history it writes must not weigh on the portraits measured before.
      log(`writing a tag history for ${PROFILE_TAG} and reading its transitions`);
      const transitions = await measureTransitions(mainContext, index, Math.min(options.indexRuns, 5));

      return {
        meta: {
          date: new Date().toISOString(),
          customers: options.customers,
          eventCustomers: options.eventCustomers,
          eventsPerCustomer: options.eventsPerCustomer,
          seed: options.seed,
          ...machineInfo(),
          postgres: postgres !== undefined,
        },
        generate: { sqlite: main, postgres: postgres ? main : undefined, events: eventsWs },
        coldStart,
        segments,
        ingest: {
          workspaceCustomers: options.eventCustomers,
          engine: { events: engineEvents, batchSize: BATCH, seconds: engineSeconds, eventsPerSecond: engineEvents / engineSeconds },
          http: { events: httpEvents, batchSize: BATCH, seconds: httpSeconds, eventsPerSecond: httpEvents / httpSeconds },
          httpSingle: { ...singles, connections: options.loadConnections, stored: singlesStored },
          customersSingle: { ...customerSingles, connections: options.loadConnections, stored: customersStored },
          httpAccepted,
          tagLatency: {
            samples: committed.length,
            flipped,
            committedP50Ms: percentile(committed, 50),
            committedP99Ms: percentile(committed, 99),
            indexVisibleP50Ms: percentile(visible, 50),
            indexVisibleP99Ms: percentile(visible, 99),
          },
        },
        recompute: {
          customers: recomputed.customers,
          events: Number(eventCount.n),
          seconds: recomputeSeconds,
          customersPerSecond: recomputed.customers / recomputeSeconds,
          eventsPerSecond: Number(eventCount.n) / recomputeSeconds,
          model: BENCH_MODEL,
          modelRefreshSeconds,
          modelTagged: Number(modelTagged.n),
        },
        rules,
        profile,
        segmentWatch,
        transitions,
        care,
        portrait,
      };
    } finally {
      await app.close();
    }
  } finally {
    if (postgres) {
      await sql`drop schema if exists ${sql.id(pgSchema)} cascade`.execute(postgres.db);
      await postgres.close();
    }
    await sqlite.close();
  }
}
