// What refreshing changed customers costs the index, phase by phase, against a build: one index
// built from a generated workspace, then refreshes of K of its customers (as another process's
// writes logged them), each timed as its loading, taking out and putting back. The customers
// are unchanged in the store, so after every refresh the index must give what the build gave;
// the script checks that. The workspace is generated once into --database and reused.
//   npx tsx bench/index-refresh.ts [--customers 200000] [--sizes 1000,10000,20000,40000] [--runs 2] [--database /tmp/tagbase-refresh.db]
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { BUILTIN_METRICS } from '../src/core/metric.js';
import { BUILTIN_FIELD_ATTRIBUTES } from '../src/engine/catalog.js';
import { findWorkspaceId } from '../src/engine/workspaces.js';
import { WorkspaceIndex, type RefreshPhases } from '../src/index/workspace-index.js';
import { openStore } from '../src/store/connect.js';
import { Random } from '../src/engine/demo/random.js';
import { DEFAULT_NOW, generateWorkspace } from './generate.js';

const MAIN = 'refresh';
const { values } = parseArgs({
  options: {
    customers: { type: 'string', default: '200000' },
    sizes: { type: 'string', default: '1000,10000,20000,40000' },
    runs: { type: 'string', default: '2' },
    seed: { type: 'string', default: '11' },
    database: { type: 'string', default: join(tmpdir(), 'tagbase-index-refresh.db') },
  },
});
const customers = Number(values.customers);
const sizes = values.sizes.split(',').map(Number);
const runs = Number(values.runs);
if (![customers, runs, ...sizes].every((n) => Number.isInteger(n) && n > 0) || sizes.some((k) => k > customers)) {
  throw new Error('--customers, --runs and each of --sizes are positive integers, no size past --customers');
}
const log = (line: string) => process.stderr.write(`${line}\n`);

const database = `${values.database.replace(/\.db$/, '')}-${customers}.db`;
const reuse = existsSync(database);
mkdirSync(dirname(database), { recursive: true });
const store = await openStore(database);
try {
  await store.migrate();
  if (!reuse) await generateWorkspace([store], { workspace: MAIN, customers, seed: Number(values.seed), now: DEFAULT_NOW, log });
  const workspaceId = await findWorkspaceId(store, MAIN);
  if (workspaceId === undefined) throw new Error(`no workspace ${MAIN} in ${database}`);
  log('building the index');
  const index = await WorkspaceIndex.build(store, workspaceId);
  const built = fingerprint(index);
  const stats = index.stats();
  const buildPerCustomer = (stats.buildMs * 1000) / stats.customers;
  console.log(`build of ${stats.customers.toLocaleString('en')} customers (${stats.bitmaps.toLocaleString('en')} bitmaps): ${stats.buildMs.toFixed(0)} ms, ${buildPerCustomer.toFixed(0)} µs a customer`);
  const ids = index.all.toArray();
  const random = new Random(Number(values.seed));
  for (let run = 0; run < runs; run++) {
    for (const k of sizes) {
      // K distinct customers in random order, as a set of pending ids holds them.
      for (let i = 0; i < k; i++) {
        const j = i + Math.floor(random.next() * (ids.length - i));
        [ids[i], ids[j]] = [ids[j] as number, ids[i] as number];
      }
      const phases: RefreshPhases = { loadMs: 0, columnsMs: 0, bitmapsMs: 0 };
      const started = performance.now();
      await index.refreshCustomers(store, ids.slice(0, k), phases);
      const total = performance.now() - started;
      const perCustomer = (total * 1000) / k;
      const phaseTimes = Object.entries(phases).map(([phase, ms]) => `${phase.replace(/Ms$/, '')} ${ms.toFixed(0)} ms`);
      console.log(`K ${k.toLocaleString('en').padStart(6)}: ${total.toFixed(0).padStart(6)} ms (${phaseTimes.join(', ')}), ${perCustomer.toFixed(0)} µs a customer, ${(perCustomer / buildPerCustomer).toFixed(1)} × a build's`);
      const now = fingerprint(index);
      if (now !== built) throw new Error(`the index after refreshing ${k} customers differs from the build`);
    }
  }
} finally {
  await store.close();
  if (!reuse && process.exitCode) for (const suffix of ['', '-wal', '-shm']) rmSync(`${database}${suffix}`, { force: true });
}

/** What the index answers, in a string: its customers, every value's and tag's holders, and everyone sorted by each built-in field and metric. */
function fingerprint(index: WorkspaceIndex): string {
  const members = index.all.clone();
  const parts: unknown[] = [members.size, [...index.valueCounts()], [...index.tagSizes()]];
  const sorts = [...BUILTIN_FIELD_ATTRIBUTES.map((field) => ({ source: 'field' as const, key: field.key })), ...BUILTIN_METRICS.map((metric) => ({ source: 'metric' as const, key: metric.key }))];
  for (const sort of sorts) parts.push(sort.key, index.sortMembers(members, { ...sort, direction: 'asc' }, 0, members.size).join());
  return JSON.stringify(parts);
}
