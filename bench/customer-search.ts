// `npm run bench:search -- [--customers 200000] [--pg postgres://…] [--no-sqlite]`: how long the
// customer search (the console's search box, `GET /api/v1/customers?q=`) takes for a handful of
// typical terms, through `listCustomers` as the API calls it, on a workspace of customers with
// varied Chinese names, a phone for most of them and a member card for some. Writes
// bench/results/<date>-<customers>-search.json. `--reuse` keeps the SQLite file of an earlier run.
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { nameSearchKey } from '../src/core/name-search.js';
import type { WorkspaceContext } from '../src/engine/context.js';
import { listCustomers } from '../src/engine/customers.js';
import type { Audience } from '../src/engine/segments.js';
import { ensureWorkspace, findWorkspaceId } from '../src/engine/workspaces.js';
import { indexAudience } from '../src/index/audience.js';
import { IndexRegistry } from '../src/index/registry.js';
import { openStore, type Store } from '../src/store/connect.js';
import { DEFAULT_NOW, IDENTITIES, insertRows, type TableSpec } from './generate.js';
import { Random } from '../src/engine/demo/random.js';
import { contextFor, machineInfo, percentile } from './suite.js';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    customers: { type: 'string', default: '200000' },
    seed: { type: 'string', default: '1' },
    pg: { type: 'string' },
    'no-sqlite': { type: 'boolean', default: false },
    /** Keep the SQLite file of an earlier run with the same options, and its workspace. */
    reuse: { type: 'boolean', default: false },
    database: { type: 'string', default: join(here, 'data', 'search.db') },
    runs: { type: 'string', default: '20' },
    out: { type: 'string', default: join(here, 'results') },
  },
});
const log = (line: string) => process.stderr.write(`${line}\n`);
const customers = Number(values.customers);
const runs = Number(values.runs);
const WORKSPACE = 'search';

// 100 common surnames and 60 given-name characters, one or two of them: about 370,000 names
// possible, so that at a million customers most names are held by a few people, as in a shop.
const SURNAMES = [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'];
const GIVEN = [...'伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂子涵浩然欣怡梓萱宇轩雨桐思远建国华文玉红海燕波辉鹏飞云婷雪梅琳晨阳志鑫宏佳俊凯颖倩丹亮斌琴宁春晓东峰'];

/** The terms timed: what operators type into the search box. */
const TERMS: readonly { kind: string; q: string }[] = [
  { kind: 'surname', q: '王' },
  { kind: 'full name', q: '王建国' },
  { kind: 'given name', q: '桂兰' },
  { kind: 'pinyin initials', q: 'wjg' },
  { kind: 'full pinyin', q: 'wangjianguo' },
  { kind: 'phone (whole)', q: phoneOf(12_346) },
  { kind: 'phone tail', q: phoneOf(12_346).slice(-4) },
  { kind: 'merchant id (whole)', q: externalIdOf(12_345) },
  { kind: 'merchant id prefix', q: externalIdOf(12_345).slice(0, 6) },
  { kind: 'member card', q: `VIP${String(12_340).padStart(8, '0')}` },
  { kind: 'nothing', q: '不存在的人' },
];

function externalIdOf(index: number): string {
  return `C${String(index).padStart(8, '0')}`;
}

function phoneOf(index: number): string {
  return `13${String((index * 7_919) % 1_000_000_000).padStart(9, '0')}`;
}

const CUSTOMER_COLUMNS: TableSpec = {
  table: 'customers',
  columns: [['id', 'int8'], ['workspace_id', 'int8'], ['external_id', 'text'], ['name', 'text'], ['name_search', 'text'], ['custom', 'text'], ['created_at', 'int8'], ['updated_at', 'int8']],
};

/** Writes the workspace's customers and identities straight into the store, 10,000 a transaction. */
async function generate(store: Store): Promise<number> {
  const started = performance.now();
  const workspaceId = await ensureWorkspace(store, WORKSPACE, WORKSPACE, () => new Date(DEFAULT_NOW));
  const max = await store.db.selectFrom('customers').select((eb) => eb.fn.max('id').as('max')).executeTakeFirst();
  const firstId = Number(max?.max ?? 0) + 1;
  const random = new Random(Number(values.seed));
  const keys = new Map<string, string | null>();
  for (let start = 0; start < customers; start += 10_000) {
    const rows: unknown[][] = [];
    const identities: unknown[][] = [];
    for (let index = start; index < Math.min(customers, start + 10_000); index++) {
      const id = firstId + index;
      const given = random.next() < 0.3 ? random.pick(GIVEN) : random.pick(GIVEN) + random.pick(GIVEN);
      const name = index === 12_345 ? '王建国' : random.pick(SURNAMES) + given;
      let key = keys.get(name);
      if (key === undefined) keys.set(name, (key = nameSearchKey(name)));
      rows.push([id, workspaceId, externalIdOf(index), name, key, '{}', DEFAULT_NOW, DEFAULT_NOW]);
      if (index % 5 !== 0) identities.push([workspaceId, 'phone', phoneOf(index), id]);
      if (index % 10 === 0) identities.push([workspaceId, 'member_card', `VIP${String(index).padStart(8, '0')}`, id]);
    }
    await store.db.transaction().execute(async (trx) => {
      await insertRows(trx, store.dialect, CUSTOMER_COLUMNS, rows);
      await insertRows(trx, store.dialect, IDENTITIES, identities);
    });
    if ((start + 10_000) % 200_000 === 0) log(`  ${store.dialect}: ${(start + 10_000).toLocaleString('en')} customers (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  }
  if (store.dialect === 'postgres') await sqlRaw(store, `select setval(pg_get_serial_sequence('customers', 'id'), (select max(id) from customers))`);
  await sqlRaw(store, 'analyze');
  log(`  ${store.dialect}: ${customers.toLocaleString('en')} customers, ${keys.size.toLocaleString('en')} distinct names in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return workspaceId;
}

async function sqlRaw(store: Store, text: string): Promise<void> {
  const { CompiledQuery } = await import('kysely');
  await store.db.executeQuery(CompiledQuery.raw(text, []));
}

interface Timing {
  firstMs: number;
  p50Ms: number;
  p99Ms: number;
}

interface TermResult {
  kind: string;
  q: string;
  matches: number;
  /** Names matched in the server's index, ids and identities looked up in the store: what the API does. */
  index: Timing;
  /** The whole search in the store (a scan of every customer's key): without an index, and before. */
  store: Timing;
}

/** `runs` + 1 calls of `search`, the first apart (it may build what later ones reuse). */
async function timed(search: () => Promise<unknown>): Promise<Timing> {
  const times: number[] = [];
  for (let run = 0; run <= runs; run++) {
    const started = performance.now();
    await search();
    times.push(performance.now() - started);
  }
  const [firstMs = 0, ...rest] = times;
  return { firstMs, p50Ms: percentile(rest, 50), p99Ms: percentile(rest, 99) };
}

interface SnapshotStart {
  bytes: number;
  /** A new registry's first `get`: the snapshot read from the store and decoded. */
  loadMs: number;
  /** Its first search after that. */
  firstSearchMs: number;
}

/** The first search of an index: the whole request, as the check before the timings makes it. */
async function timeFirstSearch(context: WorkspaceContext, audience: Audience): Promise<number> {
  const started = performance.now();
  await listCustomers(context, { q: TERMS[0]?.q ?? '', limit: 50, offset: 0 }, audience);
  return performance.now() - started;
}

/** Saves the index's snapshot, then times what a process started after it does: load it, then search. */
async function timeSnapshotStart(store: Store, workspaceId: number, registry: IndexRegistry): Promise<SnapshotStart> {
  const saved = await registry.saveSnapshot({ store, workspaceId });
  const fresh = new IndexRegistry(store, { snapshots: true });
  const context = contextFor(store, workspaceId, WORKSPACE, () => new Date(DEFAULT_NOW), fresh);
  const started = performance.now();
  await fresh.get(context);
  const loadMs = performance.now() - started;
  if ((await fresh.get(context)).origin !== 'snapshot') throw new Error('the snapshot was not used');
  return { bytes: saved?.bytes ?? 0, loadMs, firstSearchMs: await timeFirstSearch(context, indexAudience(fresh)) };
}

const ms = (value: number) => (value >= 100 ? value.toFixed(0) : value.toFixed(2)).padStart(8);

/**
 * Times each term through `listCustomers` with the server's audience and with the store alone,
 * and checks that both find the same customers in the same order.
 */
async function timeTerms(store: Store, workspaceId: number): Promise<{ indexBuildMs: number; firstSearchMs: number; snapshot: SnapshotStart; indexBytesPerCustomer: number; terms: TermResult[] }> {
  const registry = new IndexRegistry(store, { snapshots: true });
  const context = contextFor(store, workspaceId, WORKSPACE, () => new Date(DEFAULT_NOW), registry);
  const audience = indexAudience(registry);
  const storeOnly = { livePage: audience.livePage };
  const built = performance.now();
  await registry.get(context);
  const indexBuildMs = performance.now() - built;
  const firstSearchMs = await timeFirstSearch(context, audience);
  log(`  ${store.dialect}: index built in ${indexBuildMs.toFixed(0)} ms, its first search (${TERMS[0]?.q}) in ${firstSearchMs.toFixed(0)} ms`);
  const snapshot = await timeSnapshotStart(store, workspaceId, registry);
  log(`  ${store.dialect}: snapshot of ${(snapshot.bytes / 1_048_576).toFixed(1)} MiB loaded by a new process in ${snapshot.loadMs.toFixed(0)} ms, its first search in ${snapshot.firstSearchMs.toFixed(0)} ms`);
  const terms: TermResult[] = [];
  log(`  ${store.dialect}: ${runs} runs a term after the first`);
  log(`  ${'term'.padEnd(20)} ${'q'.padEnd(14)} ${'matches'.padStart(8)}   index first / p50 / p99 ms     store first / p50 / p99 ms`);
  for (const { kind, q } of TERMS) {
    const options = { q, limit: 50, offset: 0 };
    const byIndex = await listCustomers(context, options, audience);
    const byStore = await listCustomers(context, options, storeOnly);
    if (byIndex.total !== byStore.total || byIndex.items.map((item) => item.id).join() !== byStore.items.map((item) => item.id).join()) {
      throw new Error(`"${q}": the index found ${byIndex.total}, the store ${byStore.total}, or another page`);
    }
    const index = await timed(() => listCustomers(context, options, audience));
    const alone = await timed(() => listCustomers(context, options, storeOnly));
    terms.push({ kind, q, matches: byIndex.total, index, store: alone });
    log(`  ${kind.padEnd(20)} ${q.padEnd(14)} ${String(byIndex.total).padStart(8)}   ${ms(index.firstMs)} ${ms(index.p50Ms)} ${ms(index.p99Ms)}   ${ms(alone.firstMs)} ${ms(alone.p50Ms)} ${ms(alone.p99Ms)}`);
  }
  const indexBytes = registry.stats().reduce((sum, stats) => sum + stats.bytes, 0);
  log(`  ${store.dialect}: index ${(indexBytes / customers).toFixed(0)} B/customer after the searches`);
  return { indexBuildMs, firstSearchMs, snapshot, indexBytesPerCustomer: indexBytes / customers, terms };
}

const results: Record<string, unknown> = {};
const targets: { name: string; url: string; pgSchema?: string }[] = [];
if (!values['no-sqlite']) {
  if (!values.reuse) for (const suffix of ['', '-wal', '-shm']) rmSync(`${values.database}${suffix}`, { force: true });
  targets.push({ name: 'sqlite', url: values.database });
}
if (values.pg) targets.push({ name: 'postgres', url: values.pg, pgSchema: `tagbase_bench_${randomBytes(4).toString('hex')}` });
for (const target of targets) {
  const store = await openStore(target.url, { pgSchema: target.pgSchema, poolSize: 4 });
  try {
    await store.migrate();
    if (!values.reuse) log(`generating ${customers.toLocaleString('en')} customers into ${store.dialect}`);
    const generatedAt = performance.now();
    const kept = target.pgSchema === undefined && values.reuse ? await findWorkspaceId(store, WORKSPACE) : undefined;
    const workspaceId = kept ?? (await generate(store));
    const generateMs = kept === undefined ? performance.now() - generatedAt : 0;
    results[target.name] = { generateMs, ...(await timeTerms(store, workspaceId)) };
  } finally {
    if (target.pgSchema !== undefined) await store.db.schema.dropSchema(target.pgSchema).ifExists().cascade().execute();
    await store.close();
  }
}
const date = new Date().toISOString();
const file = join(values.out, `${date.slice(0, 10)}-${customers}-search.json`);
mkdirSync(values.out, { recursive: true });
writeFileSync(file, `${JSON.stringify({ meta: { date, customers, seed: Number(values.seed), runs, ...machineInfo() }, ...results }, null, 2)}\n`);
process.stdout.write(`written to ${file}\n`);
