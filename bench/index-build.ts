// Builds one workspace's bitmap index from a database and times it and three typical counts.
//   npx tsx bench/index-build.ts [--database ./data/tagbase.db] [--workspace demo]
import { parseArgs } from 'node:util';
import { compileExpression } from '../src/core/expression/index.js';
import { systemClock } from '../src/core/time.js';
import { loadWorkspaceCatalog } from '../src/engine/catalog.js';
import { segmentScope } from '../src/engine/segments.js';
import { findWorkspaceId } from '../src/engine/workspaces.js';
import { WorkspaceIndex } from '../src/index/workspace-index.js';
import { DEFAULT_DATABASE_PATH, openStore } from '../src/store/connect.js';

const COUNTS = [
  'orders_total >= 2 and spend_365d >= 500',
  'gender = "female" and birthday within 30 days',
  'last_order_at before 90 days ago and not city in ("上海", "北京")',
];
const RUNS = 50;

const { values } = parseArgs({ options: { database: { type: 'string', default: DEFAULT_DATABASE_PATH }, workspace: { type: 'string', default: 'demo' } } });
const store = await openStore(values.database);
try {
  const workspaceId = await findWorkspaceId(store, values.workspace);
  if (workspaceId === undefined) throw new Error(`no workspace "${values.workspace}" in ${store.location}`);
  const context = { store, workspaceId, workspaceKey: values.workspace, actor: null, now: systemClock };
  const index = await WorkspaceIndex.build(store, workspaceId);
  const stats = index.stats();
  console.log(`build       ${stats.buildMs.toFixed(0)} ms`);
  console.log(`customers   ${stats.customers}`);
  console.log(`bitmaps     ${stats.bitmaps}`);
  console.log(`memory      ${stats.bytes} bytes (${(stats.bytes / 1024 / 1024).toFixed(1)} MiB)`);
  const catalog = await loadWorkspaceCatalog(context);
  const scope = segmentScope(catalog);
  const options = { now: Date.now(), utcOffsetMinutes: catalog.utcOffsetMinutes, tagIds: catalog.tagIds, segment: scope.resolve };
  for (const source of COUNTS) {
    const compiled = compileExpression(source, catalog.catalog);
    if (!compiled.bound) {
      console.log(`skipped     ${source} (${compiled.diagnostics[0]?.message ?? 'does not compile'})`);
      continue;
    }
    const times: number[] = [];
    let count = 0;
    for (let run = 0; run < RUNS; run++) {
      const started = process.hrtime.bigint();
      count = index.count(compiled.bound, options);
      times.push(Number(process.hrtime.bigint() - started) / 1000);
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)] ?? 0;
    console.log(`count       ${median.toFixed(0).padStart(7)} µs  ${String(count).padStart(8)}  ${source}`);
  }
} finally {
  await store.close();
}
