// A real `tagbase serve` killed with SIGKILL while work is in flight, then started again on the
// same store (a SQLite file; a PostgreSQL schema when TAGBASE_TEST_PG_URL names a server): what
// the product promises of a crash (docs/architecture.md) — accepted event batches applied once,
// imports in whole transactions and safe to run again, a recorded recompute finished from where it
// stopped, webhook posts delivered at least once with ids a receiver deduplicates by — checked on
// the store itself.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildConsole, consoleOutdated } from '../../src/cli/serve.js';
import { openStore } from '../../src/store/connect.js';
import type { Database } from '../../src/store/schema.js';
import { storeKinds, type StoreKind } from '../support/stores.js';
import { BIN, listeningAddress } from './run-tagbase.js';

vi.setConfig({ testTimeout: 180_000, hookTimeout: 120_000 });

interface Served {
  child: ChildProcess;
  base: string;
  exited: Promise<unknown>;
}

const running = new Set<ChildProcess>();

/** Starts `tagbase serve` on the store, on a port of the system's choosing; resolves once it listens. */
async function serve(database: string): Promise<Served> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--quiet', '--database', database], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LOG_LEVEL: 'silent' } });
  running.add(child);
  const exited = new Promise((resolve) => child.once('exit', resolve)).finally(() => running.delete(child));
  const base = await listeningAddress(child);
  return { child, base, exited };
}

/** The crash: no shutdown of any kind, the process simply ends. */
async function crash(server: Served): Promise<void> {
  server.child.kill('SIGKILL');
  await server.exited;
}

async function stop(server: Served): Promise<void> {
  server.child.kill('SIGTERM');
  await server.exited;
}

interface Answer {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the API's JSON, read by the assertions
  body: any;
}

async function call(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? null : JSON.parse(text) };
}

/** Polls until `probe` returns something, for at most a minute (a busy machine), never asserting how long it took. */
async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A store of its own for a test: a SQLite file, or a fresh PostgreSQL schema named in the URL. */
async function newStore(kind: StoreKind, dir: string, name: string): Promise<{ url: string; dispose(): Promise<void> }> {
  if (kind === 'sqlite') return { url: join(dir, `${name}.db`), dispose: async () => undefined };
  const server = process.env.TAGBASE_TEST_PG_URL ?? '';
  const schema = `t_crash_${name}_${randomBytes(4).toString('hex')}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: server });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`create schema ${schema}`);
  return { url: `${server}?options=-c%20search_path%3D${schema}`, dispose: () => admin(`drop schema if exists ${schema} cascade`) };
}

type Db = Kysely<Database>;

/** Reads the store as the server left it, through a connection of the test's own. */
async function readStore<T>(url: string, read: (db: Db) => Promise<T>): Promise<T> {
  const store = await openStore(url);
  try {
    return await read(store.db);
  } finally {
    await store.close();
  }
}

async function workspaceId(db: Db, key: string): Promise<number> {
  return Number((await db.selectFrom('workspaces').select('id').where('key', '=', key).executeTakeFirstOrThrow()).id);
}

/** Each customer's metrics and tags (`tag=value`, sorted), by the merchant's id: what a clean run is compared on. */
async function customerState(db: Db, workspace: string): Promise<Record<string, { metrics: unknown; tags: string[] }>> {
  const id = await workspaceId(db, workspace);
  const state: Record<string, { metrics: unknown; tags: string[] }> = {};
  const metrics = await db.selectFrom('customers as c').leftJoin('customer_metrics as m', 'm.customer_id', 'c.id').select(['c.external_id', 'm.metric_values']).where('c.workspace_id', '=', id).execute();
  for (const row of metrics.sort((a, b) => (a.external_id < b.external_id ? -1 : 1))) state[row.external_id] = { metrics: row.metric_values === null ? null : JSON.parse(row.metric_values), tags: [] };
  const tags = await db
    .selectFrom('assignments as a')
    .innerJoin('customers as c', 'c.id', 'a.customer_id')
    .innerJoin('tags as t', 't.id', 'a.tag_id')
    .innerJoin('tag_values as v', 'v.id', 'a.value_id')
    .select(['c.external_id', 't.key as tag', 'v.key as value'])
    .where('a.workspace_id', '=', id)
    .execute();
  for (const row of tags) state[row.external_id]?.tags.push(`${row.tag}=${row.value}`);
  for (const customer of Object.values(state)) customer.tags.sort();
  return state;
}

type CustomerState = Awaited<ReturnType<typeof customerState>>[string];

/**
 * Whether the server's index (which counts segments) agrees with the store after the restart:
 * it starts from a snapshot saved before the crash and reads the change log after it. Polled,
 * since the index follows commits.
 */
async function indexAgrees(base: string, database: string, workspace: string, expressions: Record<string, (customer: CustomerState) => boolean>): Promise<void> {
  const headers = { 'x-tagbase-workspace': workspace };
  const expected = await readStore(database, async (db) => Object.values(await customerState(db, workspace)));
  for (const [expression, holds] of Object.entries(expressions)) {
    const count = expected.filter(holds).length;
    let last: unknown;
    const counted = await until(`the index to count ${String(count)} for ${expression}`, async () => {
      const answer = await call(base, 'POST', '/segments/count', { expression }, headers);
      last = answer.body;
      return answer.body.count === count ? (answer.body as { count: number; population: number }) : undefined;
    }).catch((error: unknown) => {
      throw new Error(`${String(error)}; it counts ${JSON.stringify(last)}`);
    });
    expect(counted.population).toBe(expected.length);
  }
}

beforeAll(async () => {
  // A server finding the console missing or stale builds it in its own process: built here once,
  // the servers below spend their CPU on the work under test rather than on Vite.
  if (consoleOutdated()) await buildConsole();
});

for (const kind of storeKinds()) describe(`tagbase serve killed with SIGKILL and started again on the same store [${kind}]`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'tagbase-crash-'));
  const disposals: (() => Promise<void>)[] = [];
  afterAll(async () => {
    // A server a failed test left running goes before its store does.
    await Promise.all([...running].filter((child) => child.exitCode === null && child.signalCode === null).map((child) => new Promise((resolve) => child.once('exit', resolve).kill('SIGKILL'))));
    for (const dispose of disposals) await dispose();
    rmSync(dir, { recursive: true, force: true });
  });
  const storeFor = async (name: string) => {
    const store = await newStore(kind, dir, name);
    disposals.push(store.dispose);
    return store.url;
  };

  it('applies every event accepted with Prefer: respond-async exactly once, as a clean ingest would', async () => {
    const database = await storeFor('journal');
    const now = Date.now();
    // 12 batches of 1,000 orders of 50 customers, all within the last 200 days; each batch after
    // the first repeats 5 ids of the one before.
    const BATCHES = 12;
    const PER_BATCH = 1000;
    const REPEATS = 5;
    const batches = Array.from({ length: BATCHES }, (_, b) =>
      Array.from({ length: PER_BATCH }, (_, j) => {
        const n = b > 0 && j < REPEATS ? (b - 1) * PER_BATCH + PER_BATCH - 1 - j : b * PER_BATCH + j;
        return { id: `E${String(n)}`, customer_id: `C${String((n * 7919) % 50).padStart(2, '0')}`, type: 'order_paid', occurred_at: new Date(now - ((n * 104_729) % (200 * 86_400_000))).toISOString(), properties: { order_id: `O${String(n)}`, amount: ((n * 37) % 990) + 10 } };
      }),
    );
    // Rule tags with thresholds that split the customers (a third each way), one reading the other.
    const spends = [...new Map(batches.flat().map((event) => [event.id, event])).values()]
      .reduce((spend, event) => spend.set(event.customer_id, (spend.get(event.customer_id) ?? 0) + event.properties.amount), new Map<string, number>());
    const sorted = [...spends.values()].sort((a, b) => a - b);
    const [third, twoThirds] = [sorted[17] ?? 0, sorted[34] ?? 0];
    const tiers = { key: 'value_tier', name: '价值分层', kind: 'rule', values: [{ key: 'high', name: '高价值', condition: `spend_365d >= ${String(twoThirds)}` }, { key: 'mid', name: '中价值', condition: `spend_365d >= ${String(third)}` }] };
    const loyal = { key: 'loyal', name: '忠实客户', kind: 'rule', values: [{ key: 'yes', name: '是', condition: `value_tier = "高价值" and spend_365d >= ${String(sorted[42] ?? 0)}` }] };
    const distinct = new Set(batches.flat().map((event) => event.id));
    /** The journal and the stored events as a crash left them: a batch is applied with its events, or pending without any of them. */
    const journalAfterCrash = async () => {
      const rows = await readStore(database, async (db) => ({
        journal: (await db.selectFrom('event_journal').select(['idempotency_key', 'status']).orderBy('id').execute()).map((row) => ({ key: row.idempotency_key ?? '', status: row.status })),
        stored: new Set((await db.selectFrom('events').select('event_key').execute()).map((row) => row.event_key)),
      }));
      // Applied oldest first: the applied batches are the first ones, and exactly their events are stored.
      const applied = rows.journal.filter((row) => row.status === 'applied').length;
      expect(rows.journal.map((row) => row.status)).toEqual([...Array<string>(applied).fill('applied'), ...Array<string>(rows.journal.length - applied).fill('pending')]);
      const appliedEvents = rows.journal.slice(0, applied).flatMap((row) => batches[Number(row.key.slice('burst-'.length))] ?? []);
      expect(rows.stored).toEqual(new Set(appliedEvents.map((event) => event.id)));
      return { keys: rows.journal.map((row) => row.key), pending: rows.journal.length - applied };
    };
    const send = (base: string, b: number) => call(base, 'POST', '/events', { events: batches[b] }, { prefer: 'respond-async', 'idempotency-key': `burst-${String(b)}` });

    let server = await serve(database);
    expect((await call(server.base, 'POST', '/tags', tiers)).status).toBe(201);
    expect((await call(server.base, 'POST', '/tags', loyal)).status).toBe(201);
    // A client that has begun sending a batch and goes no further: while a batch is being
    // accepted the drain waits up to a second before each group (so that a burst is answered
    // first), so the burst below is accepted well ahead of being applied.
    const slow = httpRequest(`${server.base}/api/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': '1000000', prefer: 'respond-async' } });
    slow.on('error', () => undefined);
    slow.write('{"events":[');
    // Sent side by side, as a burst, each under its own idempotency key; the server is killed
    // with some of them answered and some not.
    const answered = new Set<number>();
    const burst = batches.map((_, b) =>
      send(server.base, b).then(
        (answer) => {
          expect(answer.status).toBe(202);
          answered.add(b);
        },
        () => undefined,
      ),
    );
    await until('two thirds of the burst accepted', () => (answered.size >= (BATCHES * 2) / 3 ? true : undefined));
    await crash(server);
    await Promise.all(burst);
    const left = await journalAfterCrash();
    // Every batch answered 202 is in the journal: nothing accepted is lost.
    for (const b of answered) expect(left.keys).toContain(`burst-${String(b)}`);
    if (left.pending < 2) throw new Error(`${String(left.pending)} accepted batches were left pending by the first kill: too few to kill the next server while it applies them`);

    // Started again, the server applies the pending batches at once, and is killed in the middle of them.
    server = await serve(database);
    await until('some pending batches applied and some not', async () => {
      const { pending_batches: pending } = (await call(server.base, 'GET', '/events/journal')).body as { pending_batches: number };
      if (pending === 0) throw new Error('the server applied every pending batch before it could be killed: the backlog is too small');
      return pending < left.pending ? pending : undefined;
    });
    await crash(server);
    expect((await journalAfterCrash()).keys).toEqual(left.keys);

    // Started a third time, it applies the rest; the client sends again, under the same key, every
    // batch it had no answer for. One the journal holds is answered from it (202 while pending,
    // 200 with its counts once applied) and not taken again; one it does not hold is accepted now.
    server = await serve(database);
    for (let b = 0; b < BATCHES; b++) {
      if (answered.has(b)) continue;
      const retried = await send(server.base, b);
      const held = left.keys.includes(`burst-${String(b)}`);
      expect([retried.status === 202 || retried.status === 200, retried.headers.get('idempotent-replayed')]).toEqual([true, held ? 'true' : null]);
    }
    await until('the journal applied', async () => ((await call(server.base, 'GET', '/events/journal')).body.pending_batches === 0 ? true : undefined));
    // The same events sent directly to a second workspace: a clean ingest to compare with.
    expect((await call(server.base, 'POST', '/workspaces', { key: 'clean', name: '对照' })).status).toBe(201);
    const clean = { 'x-tagbase-workspace': 'clean' };
    expect((await call(server.base, 'POST', '/tags', tiers, clean)).status).toBe(201);
    expect((await call(server.base, 'POST', '/tags', loyal, clean)).status).toBe(201);
    for (const events of batches) expect((await call(server.base, 'POST', '/events', { events }, clean)).status).toBe(200);
    const metric = (key: string) => (customer: CustomerState) => Number((customer.metrics as Record<string, number> | null)?.[key]);
    for (const workspace of ['default', 'clean']) {
      await indexAgrees(server.base, database, workspace, {
        'value_tier = "高价值"': (customer) => customer.tags.includes('value_tier=high'),
        'loyal exists': (customer) => customer.tags.includes('loyal=yes'),
        [`spend_365d >= ${String(third)}`]: (customer) => metric('spend_365d')(customer) >= third,
        'orders_total >= 240': (customer) => metric('orders_total')(customer) >= 240,
      });
    }
    await stop(server);

    await readStore(database, async (db) => {
      const journal = await db.selectFrom('event_journal').select(['status', 'result']).where('workspace_id', '=', await workspaceId(db, 'default')).orderBy('id').execute();
      expect(journal.map((row) => row.status)).toEqual(Array<string>(BATCHES).fill('applied'));
      const counts = journal.map((row) => JSON.parse(row.result ?? '{}') as { stored: number; duplicates: number });
      // Every accepted event stored once, every repeat counted as one, across the crash.
      expect(counts.reduce((sum, count) => sum + count.stored, 0)).toBe(distinct.size);
      expect(counts.reduce((sum, count) => sum + count.duplicates, 0)).toBe(REPEATS * (BATCHES - 1));
      for (const workspace of ['default', 'clean']) {
        const events = await db.selectFrom('events').select('event_key').where('workspace_id', '=', await workspaceId(db, workspace)).execute();
        expect(events).toHaveLength(distinct.size);
        expect(new Set(events.map((event) => event.event_key))).toEqual(distinct);
      }
      const crashed = await customerState(db, 'default');
      expect(Object.keys(crashed)).toHaveLength(50);
      // The rules split the customers, so the comparison says something.
      expect(new Set(Object.values(crashed).flatMap((customer) => customer.tags))).toEqual(new Set(['value_tier=high', 'value_tier=mid', 'loyal=yes']));
      expect(crashed).toEqual(await customerState(db, 'clean'));
    });
  });

  it('finishes a recompute for a new metric that the kill cut short, from where it stopped, as soon as the server is started again', async () => {
    const database = await storeFor('metrics');
    // 9,000 customers with one order each: the declaration answers once the first 5,000 have
    // the new metric, and the rest are computed in the background, 1,000 per transaction.
    const CUSTOMERS = 9000;
    const amount = (i: number) => ((i * 37) % 990) + 10;
    const events = Array.from({ length: CUSTOMERS }, (_, i) => ({ id: `M${String(i)}`, customer_id: `M${String(i).padStart(5, '0')}`, type: 'order_paid', occurred_at: new Date(Date.now() - 86_400_000).toISOString(), properties: { order_id: `MO${String(i)}`, amount: amount(i) } }));
    let server = await serve(database);
    expect((await call(server.base, 'POST', '/events', { events })).status).toBe(200);
    const declared = await call(server.base, 'POST', '/metrics', { key: 'paid_sum', name: '实付合计', aggregation: 'sum', event_type: 'order_paid', property: 'amount' });
    expect(declared.status).toBe(201);
    expect(declared.body.recompute).toMatchObject({ done: 5000, total: CUSTOMERS });
    const recorded = (db: Db) => db.selectFrom('rule_passes').select(['after_id', 'done', 'total', 'updated_at']).where('tag_key', '=', '@metrics').executeTakeFirst();
    const watcher = await openStore(database);
    try {
      await until('the background recompute under way', async () => {
        const pass = await recorded(watcher.db);
        if (!pass) throw new Error('the recompute finished before the server could be killed: too few customers');
        return Number(pass.done) > 5000 ? pass : undefined;
      });
    } finally {
      await watcher.close();
    }
    await crash(server);

    // The record says how far it got: every customer up to it has the metric, and some after it do not.
    const cut = await readStore(database, async (db) => {
      const pass = await recorded(db);
      const rows = await db.selectFrom('customers as c').leftJoin('customer_metrics as m', 'm.customer_id', 'c.id').select(['c.id', 'm.metric_values']).execute();
      const has = (row: { metric_values: string | null }) => row.metric_values !== null && 'paid_sum' in (JSON.parse(row.metric_values) as object);
      return { pass, reached: rows.filter((row) => Number(row.id) <= Number(pass?.after_id)), rest: rows.filter((row) => Number(row.id) > Number(pass?.after_id)).filter((row) => !has(row)).length, withIt: rows.filter(has).length, has };
    });
    expect(cut.pass).toMatchObject({ total: CUSTOMERS });
    expect(cut.reached.every(cut.has)).toBe(true);
    expect(cut.reached).toHaveLength(Number(cut.pass?.done));
    expect(cut.rest).toBeGreaterThan(0);

    // Started again, the server says the recompute is unfinished, and how far it is — unless its
    // first round, seconds after the start, has already taken it over: the record names the
    // killed process as its holder, and that process is gone. Nobody waits out the lease (five
    // minutes, longer than `until` waits) nor moves the record's time back.
    server = await serve(database);
    const restarted = (await call(server.base, 'GET', '/metrics')).body.recompute as { done: number; total: number } | null;
    if (restarted) {
      expect(restarted.total).toBe(CUSTOMERS);
      expect(restarted.done).toBeGreaterThanOrEqual(Number(cut.pass?.done));
    }
    await until('the recompute finished by the restarted server', async () => ((await call(server.base, 'GET', '/metrics')).body.recompute === null ? true : undefined));
    await stop(server);
    await readStore(database, async (db) => {
      expect(await recorded(db)).toBeUndefined();
      const rows = await db.selectFrom('customers as c').innerJoin('customer_metrics as m', 'm.customer_id', 'c.id').select(['c.external_id', 'm.metric_values']).execute();
      expect(rows).toHaveLength(CUSTOMERS);
      for (const row of rows) expect([row.external_id, (JSON.parse(row.metric_values) as { paid_sum?: number }).paid_sum]).toEqual([row.external_id, amount(Number(row.external_id.slice(1)))]);
    });
  });

  // The importer and webhook delivery read and write through the same Kysely queries on both
  // stores; the journal's claim is what differs (row locks and a pool on PostgreSQL), and these two
  // would double the file's time on PostgreSQL for little: they run on SQLite.
  if (kind === 'sqlite') {
    it('leaves an import cut short with whole transactions of rows, and importing it again gives what an uninterrupted import gives', async () => {
      const database = await storeFor('import');
      const ROWS = 5000;
      const cities = ['上海', '北京', '杭州', '深圳', '成都'];
      const header = 'id,name,phone,city,member_level,first_seen_at\n';
      const text = header + Array.from({ length: ROWS }, (_, i) => `K${String(i).padStart(5, '0')},客户${String(i)},138${String(i).padStart(8, '0')},${cities[i % 5] ?? ''},${i % 3 === 0 ? '金卡' : '银卡'},2026-01-0${String((i % 9) + 1)} 10:00\n`).join('');
      const shanghai = { key: 'shanghai', name: '上海客户', kind: 'rule', values: [{ key: 'yes', name: '是', condition: 'city = "上海" and member_level = "金卡"' }] };
      const customersIn = async (db: Db, workspace: string) => {
        const rows = await db
          .selectFrom('customers as c')
          .leftJoin('identities as i', 'i.customer_id', 'c.id')
          .select(['c.external_id', 'c.name', 'c.city', 'c.member_level', 'c.first_seen_at', 'c.custom', 'i.kind', 'i.value'])
          .where('c.workspace_id', '=', await workspaceId(db, workspace))
          .execute();
        return rows.sort((a, b) => (a.external_id < b.external_id ? -1 : a.external_id > b.external_id ? 1 : 0));
      };

      let server = await serve(database);
      expect((await call(server.base, 'POST', '/tags', shanghai)).status).toBe(201);
      const cutShort = call(server.base, 'POST', '/imports/customers', { text }).then(
        () => 'answered',
        () => 'cut short',
      );
      // Watched on the store itself (on SQLite the server answers nothing else while it writes the
      // import), and killed once some of its transactions have committed and not all of them.
      const watcher = await openStore(database);
      try {
        await until('the import half written', async () => {
          const { n } = await watcher.db.selectFrom('customers').select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
          if (Number(n) === ROWS) throw new Error('the import finished before the server could be killed: the file is too small');
          return Number(n) > 0 ? n : undefined;
        });
      } finally {
        await watcher.close();
      }
      await crash(server);
      expect(await cutShort).toBe('cut short');

      // What landed is whole transactions of 1,000 rows, the first ones of the file, each row with its phone.
      const landed = await readStore(database, async (db) => (await customersIn(db, 'default')).map((row) => ({ id: row.external_id, phone: row.kind === 'phone' ? row.value : null })));
      expect(landed.length % 1000).toBe(0);
      expect(landed.length).toBeGreaterThan(0);
      expect(landed.length).toBeLessThan(ROWS);
      expect(landed).toEqual(Array.from({ length: landed.length }, (_, i) => ({ id: `K${String(i).padStart(5, '0')}`, phone: `138${String(i).padStart(8, '0')}` })));

      // Imported again after the restart, it finishes: what had landed counts as unchanged, nothing twice.
      server = await serve(database);
      const again = await call(server.base, 'POST', '/imports/customers', { text });
      expect(again.body).toMatchObject({ rows: ROWS, accepted: ROWS, rejected: 0, created: ROWS - landed.length, updated: 0, unchanged: landed.length, repeated_ids: [] });
      // The same file imported once, without a crash, into a second workspace.
      expect((await call(server.base, 'POST', '/workspaces', { key: 'clean', name: '对照' })).status).toBe(201);
      const clean = { 'x-tagbase-workspace': 'clean' };
      expect((await call(server.base, 'POST', '/tags', shanghai, clean)).status).toBe(201);
      expect((await call(server.base, 'POST', '/imports/customers', { text }, clean)).body).toMatchObject({ accepted: ROWS, created: ROWS, updated: 0 });
      for (const workspace of ['default', 'clean']) await indexAgrees(server.base, database, workspace, { 'shanghai exists': (customer) => customer.tags.includes('shanghai=yes') });
      expect((await call(server.base, 'POST', '/segments/count', { expression: 'city = "上海"' })).body).toMatchObject({ count: ROWS / 5, population: ROWS });
      await stop(server);

      await readStore(database, async (db) => {
        const imported = await customersIn(db, 'default');
        expect(imported).toHaveLength(ROWS);
        expect(imported).toEqual(await customersIn(db, 'clean'));
        const crashed = await customerState(db, 'default');
        expect(Object.values(crashed).filter((customer) => customer.tags.includes('shanghai=yes'))).toHaveLength(Math.ceil(ROWS / 15));
        expect(crashed).toEqual(await customerState(db, 'clean'));
      });
    });

    it('posts the tag changes of a webhook post cut short again after the restart, under the same ids', async () => {
      const database = await storeFor('webhooks');
      // A receiver that records every post, takes the first, and holds the second without answering.
      const posts: { topic: string; ids: number[]; changes: { id: number }[] }[] = [];
      const held: ServerResponse[] = [];
      const receiver = createServer((request: IncomingMessage, response: ServerResponse) => {
        // Decoded whole: a chunk may end within a character (贵宾 read as 贵��).
        const chunks: Buffer[] = [];
        request.on('data', (chunk: Buffer) => chunks.push(chunk));
        request.on('end', () => {
          const changes = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { changes: { id: number }[] }).changes;
          posts.push({ topic: String(request.headers['x-tagbase-topic']), ids: changes.map((change) => change.id), changes });
          if (posts.length === 2) held.push(response);
          else response.writeHead(200).end();
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${String((receiver.address() as AddressInfo).port)}/hook`;
      try {
        let server = await serve(database);
        const CUSTOMERS = 1200;
        const ids = Array.from({ length: CUSTOMERS }, (_, i) => `W${String(i).padStart(4, '0')}`);
        expect((await call(server.base, 'POST', '/customers', { customers: ids.map((id) => ({ id })) })).status).toBe(200);
        expect((await call(server.base, 'POST', '/tags', { key: 'vip', name: '贵宾', kind: 'manual', values: [{ key: 'yes', name: '是' }] })).status).toBe(201);
        const webhook = await call(server.base, 'POST', '/webhooks', { url, tags: ['vip'] });
        expect(webhook.status).toBe(201);
        // 1,200 changes: three posts of at most 500.
        expect((await call(server.base, 'POST', '/tags/vip/assign', { value: 'yes', customers: ids })).status).toBe(200);
        await until('the second post received', () => (posts.length >= 2 ? true : undefined));
        // Killed while the receiver holds the second post: tagbase never learns whether it arrived.
        await crash(server);
        for (const response of held) response.destroy();
        expect(posts.map((post) => post.ids.length)).toEqual([500, 500]);

        server = await serve(database);
        await until('every change posted', () => (new Set(posts.flatMap((post) => post.ids)).size >= CUSTOMERS ? true : undefined));
        await stop(server);

        const history = await readStore(database, async (db) => (await db.selectFrom('tag_history').select('id').orderBy('id').execute()).map((row) => Number(row.id)));
        expect(history).toHaveLength(CUSTOMERS);
        // At least once: the post cut short comes again, whole and under the same ids, then the rest.
        expect(posts.map((post) => post.ids.length)).toEqual([500, 500, 500, 200]);
        expect(posts[2]).toEqual(posts[1]);
        expect(posts.every((post) => post.topic === 'tag_changes')).toBe(true);
        // A receiver dropping the ids it has seen keeps each change once, in the order they were made.
        const seen = new Set<number>();
        const kept = posts.flatMap((post) => post.changes).filter((change) => !seen.has(change.id) && seen.add(change.id));
        expect(kept.map((change) => change.id)).toEqual(history);
      } finally {
        await new Promise((resolve) => receiver.close(resolve));
      }
    });
  }
});
