// `npm run bench:insight -- [--customers 200000] [--reuse] [--sql]`: how long a segment's insight
// (`GET /api/v1/segments/{segment}/insight`) and a tag profile take from the index, with the RFM
// measures' sums, means, medians and quartiles, on the benchmark's generated workspace (SQLite).
// With --sql, also once through SQL on the store (`storeTotals`), as a caller without the index
// would. Writes bench/results/<date>-<customers>-insight.json; --reuse keeps an earlier run's file.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Audience } from '../src/engine/segments.js';
import { segmentInsight } from '../src/engine/segment-insight.js';
import { tagProfile } from '../src/engine/tag-profile.js';
import { findWorkspaceId } from '../src/engine/workspaces.js';
import { indexAudience } from '../src/index/audience.js';
import { WorkspaceIndex } from '../src/index/workspace-index.js';
import { openStore } from '../src/store/connect.js';
import { DEFAULT_NOW, generateWorkspace } from './generate.js';
import { MAIN, contextFor, machineInfo, percentile } from './suite.js';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    customers: { type: 'string', default: '200000' },
    seed: { type: 'string', default: '1' },
    reuse: { type: 'boolean', default: false },
    sql: { type: 'boolean', default: false },
    database: { type: 'string', default: join(here, 'data', 'insight.db') },
    runs: { type: 'string', default: '50' },
    out: { type: 'string', default: join(here, 'results') },
  },
});
const log = (line: string) => process.stderr.write(`${line}\n`);
const customers = Number(values.customers);
const runs = Number(values.runs);
/** A broad segment, a narrow one, and one by a metric: what operators look into. */
const SEGMENTS = ['city = "上海"', 'rfm_level = "important_value"', 'spend_365d >= 2000'];
const PROFILE_TAG = 'rfm_level';

async function timed(run: () => Promise<unknown>, times: number): Promise<{ p50Ms: number; p99Ms: number; runs: number }> {
  await run();
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  return { runs: times, p50Ms: percentile(samples, 50), p99Ms: percentile(samples, 99) };
}

const reuse = values.reuse && existsSync(values.database);
if (!reuse) for (const suffix of ['', '-wal', '-shm']) rmSync(`${values.database}${suffix}`, { force: true });
mkdirSync(dirname(values.database), { recursive: true });
const store = await openStore(values.database);
try {
  await store.migrate();
  if (!reuse) await generateWorkspace([store], { workspace: MAIN, customers, seed: Number(values.seed), now: DEFAULT_NOW, log });
  const workspaceId = await findWorkspaceId(store, MAIN);
  if (workspaceId === undefined) throw new Error(`no workspace ${MAIN} in ${values.database}`);
  const context = contextFor(store, workspaceId, MAIN, () => new Date(DEFAULT_NOW));
  log('building the index');
  const index = await WorkspaceIndex.build(store, workspaceId);
  const audience = indexAudience({ get: () => Promise.resolve(index) });
  const insights = [];
  for (const expression of SEGMENTS) {
    const first = await segmentInsight(context, audience, { expression });
    insights.push({ expression, members: first.members, metrics: first.metrics, timing: await timed(() => segmentInsight(context, audience, { expression }), runs) });
    log(`insight of ${expression}: ${first.members.toLocaleString('en')} members, p50 ${insights.at(-1)?.timing.p50Ms.toFixed(1) ?? ''} ms`);
  }
  const profile = { tag: PROFILE_TAG, timing: await timed(() => tagProfile(context, audience, PROFILE_TAG), runs) };
  log(`profile of ${PROFILE_TAG}: p50 ${profile.timing.p50Ms.toFixed(1)} ms`);
  let sql: { expression: string; ms: number; same: boolean } | undefined;
  if (values.sql) {
    const { storeTotals } = (await import('../src/engine/store-totals.js')) as { storeTotals: () => Pick<Audience, 'valueShares'> };
    const expression = SEGMENTS[0] ?? '';
    const started = performance.now();
    const bySql = await segmentInsight(context, storeTotals(), { expression });
    const ms = performance.now() - started;
    sql = { expression, ms, same: JSON.stringify(bySql) === JSON.stringify(await segmentInsight(context, audience, { expression })) };
    log(`insight of ${expression} through SQL: ${ms.toFixed(0)} ms, ${sql.same ? 'the same answer' : 'A DIFFERENT ANSWER'}`);
  }
  const results = { meta: { date: new Date().toISOString(), customers: index.all.size, machine: machineInfo() }, insights, profile, sql };
  const file = join(values.out, `${results.meta.date.slice(0, 10)}-${customers}-insight.json`);
  mkdirSync(values.out, { recursive: true });
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`${insights.map((entry) => `insight  ${entry.expression.padEnd(32)} ${String(entry.members).padStart(8)} members  p50 ${entry.timing.p50Ms.toFixed(2)} / p99 ${entry.timing.p99Ms.toFixed(2)} ms`).join('\n')}\nprofile  ${PROFILE_TAG.padEnd(32)}                   p50 ${profile.timing.p50Ms.toFixed(2)} / p99 ${profile.timing.p99Ms.toFixed(2)} ms\nwritten to ${file}\n`);
} finally {
  await store.close();
}
