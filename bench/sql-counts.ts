// `npm run bench:sql -- --customers 10000000 [--pg postgres://…]`: the suite's ten counts on the
// SQL back end alone. For a store too large to load in the same run as the index (PostgreSQL
// at ten million customers takes over an hour to load): the generator and seed are those of
// `npm run bench`, so the data is the same, and each expression's matches must equal the
// index's from that run. Writes bench/results/<date>-<customers>-<dialect>-sql.json.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { compileAudience, loadSegmentScope } from '../src/engine/segments.js';
import { openStore } from '../src/store/connect.js';
import { DEFAULT_NOW, generateWorkspace } from './generate.js';
import { BENCH_EXPRESSIONS } from './library.js';
import { MAIN, contextFor, machineInfo, timeSql } from './suite.js';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    customers: { type: 'string', default: '200000' },
    seed: { type: 'string', default: '1' },
    pg: { type: 'string' },
    database: { type: 'string' },
    runs: { type: 'string', default: '1' },
    out: { type: 'string', default: join(here, 'results') },
  },
});
const log = (line: string) => process.stderr.write(`${line}\n`);
const customers = Number(values.customers);
const url = values.pg ?? values.database ?? process.env.TAGBASE_TEST_PG_URL;
if (!url) {
  console.error('bench:sql: name the store: --pg postgres://… or --database FILE (or set TAGBASE_TEST_PG_URL)');
  process.exit(2);
}
const pgSchema = `tagbase_bench_${randomBytes(4).toString('hex')}`;
const store = await openStore(url, { pgSchema, poolSize: 4 });
try {
  await store.migrate();
  log(`generating ${customers.toLocaleString('en')} customers into ${store.dialect}`);
  const generated = await generateWorkspace([store], { workspace: MAIN, customers, seed: Number(values.seed), now: DEFAULT_NOW, log });
  const context = contextFor(store, generated.workspaceIds[0] ?? 0, MAIN, () => new Date(DEFAULT_NOW));
  const scope = await loadSegmentScope(context);
  const segments = [];
  for (const expression of BENCH_EXPRESSIONS) {
    log(`counting: ${expression.name}`);
    const { bound } = compileAudience(scope, expression.source);
    segments.push({ name: expression.name, expression: expression.source, ...(await timeSql(store, context.workspaceId, bound, scope, DEFAULT_NOW, Number(values.runs))) });
  }
  const date = new Date().toISOString();
  const results = { meta: { date, customers, seed: Number(values.seed), dialect: store.dialect, ...machineInfo() }, generate: generated, segments };
  const file = join(values.out, `${date.slice(0, 10)}-${customers}-${store.dialect}-sql.json`);
  mkdirSync(values.out, { recursive: true });
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  for (const segment of segments) process.stdout.write(`${segment.name.padEnd(28)} ${segment.matches.toLocaleString('en').padStart(12)} matches  p50 ${segment.p50Ms.toFixed(0)} ms\n`);
  process.stdout.write(`written to ${file}\n`);
} finally {
  if (store.dialect === 'postgres') await store.db.schema.dropSchema(pgSchema).ifExists().cascade().execute();
  await store.close();
}
