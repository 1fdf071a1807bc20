// What durable ingest costs the store alone, with no engine: the events insert of a batch (and
// one metrics row per event), committed with synchronous=FULL as the product commits, on a
// generated workspace whose customers already have stored events. Variants without the
// per-customer events index and with 1 KiB pages show where the floor comes from; the engine runs
// with the customers' histories read from the store and held in memory. With --pg,
// the engine's rate on PostgreSQL too, on the same generated workspace in a fresh schema.
//   npx tsx bench/ingest-floor.ts [--customers 20000] [--batches 50] [--batch 1000] [--pg postgres://…]
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import SqliteDatabase from 'better-sqlite3';
import { ingestEvents } from '../src/engine/ingest.js';
import { keepHistoriesInMemory } from '../src/engine/history-memory.js';
import { configureModel } from '../src/engine/models.js';
import { openStore, type Store } from '../src/store/connect.js';
import { DEFAULT_NOW, benchCustomerId, generateWorkspace } from './generate.js';

const { values } = parseArgs({ options: { customers: { type: 'string', default: '20000' }, batches: { type: 'string', default: '50' }, batch: { type: 'string', default: '1000' }, pg: { type: 'string' } } });
const customers = Number(values.customers);
const batches = Number(values.batches);
const batchSize = Number(values.batch);
/** How many engine runs have started: each gives its events ids of its own. */
let engineRuns = 0;
if (![customers, batches, batchSize].every((n) => Number.isInteger(n) && n > 0) || batchSize > 4000 || batchSize > customers) {
  throw new Error('--customers, --batches and --batch are positive integers, --batch at most 4,000 and at most --customers');
}

interface Variant {
  name: string;
  /** Run on the copy before timing. */
  prepare?: string;
  pageSize?: number;
  metrics: boolean;
}

const VARIANTS: Variant[] = [
  { name: 'events insert, schema as shipped', metrics: false },
  { name: 'events insert, without events_customer_idx', prepare: 'drop index events_customer_idx', metrics: false },
  { name: 'events insert, 1 KiB pages', pageSize: 1024, metrics: false },
  { name: 'events insert + one metrics row per event', metrics: true },
  { name: 'the same, without events_customer_idx', prepare: 'drop index events_customer_idx', metrics: true },
];

const directory = mkdtempSync(join(tmpdir(), 'tagbase-ingest-floor-'));
try {
  const source = join(directory, 'source.db');
  const store = await openStore(source);
  await store.migrate();
  console.error(`generating ${customers.toLocaleString('en')} customers with ~20 stored events each`);
  const generated = await generateWorkspace([store], { workspace: 'floor', customers, seed: 7, now: DEFAULT_NOW, eventsPerCustomer: 20, storeEvents: true, log: (line) => console.error(line) });
  const context = { store, workspaceId: generated.workspaceIds[0] ?? 0, workspaceKey: 'floor', actor: 'bench', now: () => new Date(DEFAULT_NOW) };
  await configureModel(context, 'rfm', {});
  await store.close();
  console.log(`${batches} batches of ${batchSize.toLocaleString('en')} events for random customers of ${customers.toLocaleString('en')}, synchronous=FULL, WAL checkpoint every 10,000 pages`);
  const line = (name: string, rate: number) => console.log(`${name.padEnd(48)} ${Math.round(rate).toLocaleString('en').padStart(9)} events/s`);
  for (const variant of VARIANTS) line(variant.name, measure(source, variant));
  line('the engine: ingestEvents, metrics and rule tags', await measureEngine(source, false));
  line('the same, histories held in memory (warmed)', await measureEngine(source, true));
  if (values.pg) {
    const [fromStore, held] = await measureEngineOnPostgres(values.pg);
    line('the engine on PostgreSQL', fromStore);
    line('the same, histories held in memory (warmed)', held);
  }
} finally {
  rmSync(directory, { recursive: true, force: true });
}

/**
 * The same batches through the engine, with the RFM model enabled, as the main benchmark's ingest;
 * with `heldHistories`, the customers' histories kept in memory (TAGBASE_HISTORY_MEMORY), every
 * customer met once before the timing starts, as on a server that has been taking events.
 */
async function measureEngine(source: string, heldHistories: boolean): Promise<number> {
  const file = `${source}.engine`;
  copyFileSync(source, file);
  const store = await openStore(file);
  keepHistoriesInMemory(store, heldHistories ? customers : 0);
  try {
    return await engineRate(store, heldHistories ? Math.ceil(customers / batchSize) : 1);
  } finally {
    await store.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  }
}

/**
 * The engine's rate on PostgreSQL: the same workspace generated into a fresh schema, dropped
 * after; then with histories held in memory, on the same schema (holding the first run's events too).
 */
async function measureEngineOnPostgres(url: string): Promise<[number, number]> {
  const pgSchema = `tagbase_bench_${randomBytes(4).toString('hex')}`;
  const store = await openStore(url, { pgSchema, poolSize: 4 });
  try {
    await store.migrate();
    console.error(`generating the same workspace into PostgreSQL (schema ${pgSchema})`);
    const generated = await generateWorkspace([store], { workspace: 'floor', customers, seed: 7, now: DEFAULT_NOW, eventsPerCustomer: 20, storeEvents: true, log: (line) => console.error(line) });
    await configureModel({ store, workspaceId: generated.workspaceIds[0] ?? 0, workspaceKey: 'floor', actor: 'bench', now: () => new Date(DEFAULT_NOW) }, 'rfm', {});
    keepHistoriesInMemory(store, 0);
    const fromStore = await engineRate(store);
    keepHistoriesInMemory(store, customers);
    return [fromStore, await engineRate(store, Math.ceil(customers / batchSize))];
  } finally {
    await store.db.schema.dropSchema(pgSchema).ifExists().cascade().execute();
    await store.close();
  }
}

/** Events per second through `ingestEvents`, after `warmUp` batches; each run's event ids its own. */
async function engineRate(store: Store, warmUp = 1): Promise<number> {
  const run = engineRuns++;
  const { id: workspaceId } = await store.db.selectFrom('workspaces').select('id').where('key', '=', 'floor').executeTakeFirstOrThrow();
  const context = { store, workspaceId, workspaceKey: 'floor', actor: 'bench', now: () => new Date(DEFAULT_NOW) };
  let sequence = 0;
  const batch = () =>
    Array.from({ length: batchSize }, (_, k) => {
      sequence++;
      const id = `engine-${run}-${sequence}`;
      const customer_id = benchCustomerId((sequence * 7919 + 13) % customers);
      return k % 3 === 0
        ? { id, customer_id, type: 'order_paid', occurred_at: new Date(DEFAULT_NOW - 60_000).toISOString(), properties: { order_id: id, amount: 50 + (k % 400), channel: 'online', items: [{ sku: 'SKU1001', category: '美妆', price: 50, quantity: 1 }] } }
        : { id, customer_id, type: 'product_viewed', occurred_at: new Date(DEFAULT_NOW - 30_000).toISOString(), properties: { sku: 'SKU2002', category: '数码', dwell_seconds: 42 } };
    });
  for (let k = 0; k < warmUp; k++) await ingestEvents(context, batch());
  let stored = 0;
  const started = performance.now();
  for (let b = 0; b < batches; b++) stored += (await ingestEvents(context, batch())).stored;
  const seconds = (performance.now() - started) / 1000;
  if (stored !== batches * batchSize) throw new Error(`the engine stored ${stored} of ${batches * batchSize} events`);
  return stored / seconds;
}

function measure(source: string, variant: Variant): number {
  const file = `${source}.${VARIANTS.indexOf(variant)}`;
  copyFileSync(source, file);
  const database = new SqliteDatabase(file);
  try {
    if (variant.pageSize) {
      database.pragma('journal_mode = DELETE');
      database.pragma(`page_size = ${variant.pageSize}`);
      database.exec('vacuum');
    }
    // As the store opens its file (src/store/connect.ts).
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = FULL');
    database.pragma('cache_size = -65536');
    database.pragma('wal_autocheckpoint = 10000');
    if (variant.prepare) database.exec(variant.prepare);
    const { id: workspaceId } = database.prepare("select id from workspaces where key = 'floor'").get() as { id: number };
    const ids = (database.prepare('select id from customers where workspace_id = ? order by id').all(workspaceId) as { id: number }[]).map((row) => row.id);
    const metricsText = (database.prepare('select metric_values from customer_metrics where workspace_id = ? limit 1').get(workspaceId) as { metric_values: string }).metric_values;
    const rows = (shape: string) => Array.from({ length: batchSize }, () => shape).join(',');
    const insertEvents = database.prepare(
      `insert into events (workspace_id, event_key, customer_id, type, occurred_at, received_at, properties) values ${rows('(?,?,?,?,?,?,?)')} on conflict (workspace_id, event_key) do nothing`,
    );
    const upsertMetrics = database.prepare(
      `insert into customer_metrics (customer_id, workspace_id, metric_values, computed_at, valid_until) values ${rows('(?,?,?,?,?)')} on conflict (customer_id) do update set metric_values = excluded.metric_values, computed_at = excluded.computed_at`,
    );
    const properties = JSON.stringify({ sku: 'SKU2002', category: '数码', dwell_seconds: 42 });
    const write = database.transaction((events: unknown[], metrics: unknown[]) => {
      insertEvents.run(...events);
      if (variant.metrics) upsertMetrics.run(...metrics);
    });
    let sequence = 0;
    const started = performance.now();
    for (let b = 0; b < batches; b++) {
      const events: unknown[] = [];
      const metrics: unknown[] = [];
      const seen = new Set<number>();
      for (let k = 0; k < batchSize; k++) {
        sequence++;
        // The bench's spread: consecutive events land on customers far apart.
        let slot = (sequence * 7919 + 13) % ids.length;
        events.push(workspaceId, `floor-${sequence}`, ids[slot], 'product_viewed', DEFAULT_NOW - 30_000, DEFAULT_NOW, properties);
        // One upsert may not name a row twice.
        while (seen.has(slot)) slot = (slot + 1) % ids.length;
        seen.add(slot);
        metrics.push(ids[slot], workspaceId, metricsText, DEFAULT_NOW, null);
      }
      write(events, metrics);
    }
    const seconds = (performance.now() - started) / 1000;
    const { stored } = database.prepare("select count(*) as stored from events where event_key like 'floor-%'").get() as { stored: number };
    if (stored !== batches * batchSize) throw new Error(`${variant.name}: ${stored} of ${batches * batchSize} events stored`);
    return stored / seconds;
  } finally {
    database.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  }
}
