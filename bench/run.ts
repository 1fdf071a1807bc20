// `npm run bench -- --customers 1000000 [--pg postgres://…] [--no-pg]`: runs the whole
// benchmark, prints a table and writes bench/results/<date>-<customers>.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runBenchmark, type BenchResults } from './suite.js';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    customers: { type: 'string', default: '200000' },
    'event-customers': { type: 'string' },
    'events-per-customer': { type: 'string', default: '20' },
    seed: { type: 'string', default: '1' },
    pg: { type: 'string' },
    'no-pg': { type: 'boolean', default: false },
    database: { type: 'string', default: join(here, 'data', 'bench.db') },
    'index-runs': { type: 'string', default: '200' },
    'sql-runs': { type: 'string' },
    'ingest-batches': { type: 'string', default: '20' },
    'latency-samples': { type: 'string', default: '200' },
    'load-seconds': { type: 'string', default: '10' },
    connections: { type: 'string', default: '16' },
    out: { type: 'string', default: join(here, 'results') },
  },
});

const customers = Number(values.customers);
const pgUrl = values['no-pg'] ? undefined : (values.pg ?? process.env.TAGBASE_TEST_PG_URL);
const results = await runBenchmark({
  customers,
  eventCustomers: Number(values['event-customers'] ?? Math.min(20_000, Math.max(1000, Math.floor(customers / 10)))),
  eventsPerCustomer: Number(values['events-per-customer']),
  seed: Number(values.seed),
  sqlitePath: values.database,
  pgUrl,
  indexRuns: Number(values['index-runs']),
  // SQL takes seconds per count at a million customers: a few runs say enough.
  sqlRuns: Number(values['sql-runs'] ?? (customers >= 500_000 ? 3 : 5)),
  ingestBatches: Number(values['ingest-batches']),
  latencySamples: Number(values['latency-samples']),
  loadSeconds: Number(values['load-seconds']),
  loadConnections: Number(values.connections),
  log: (line) => process.stderr.write(`${line}\n`),
});

const file = join(values.out, `${results.meta.date.slice(0, 10)}-${customers}.json`);
mkdirSync(values.out, { recursive: true });
writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write(`${formatResults(results)}\nwritten to ${file}\n`);

function ms(value: number): string {
  return value >= 100 ? value.toFixed(0) : value >= 1 ? value.toFixed(1) : value.toFixed(3);
}

function ratio(value: number | undefined): string {
  return value === undefined ? '—' : `${value >= 100 ? value.toFixed(0) : value.toFixed(1)}×`;
}

export function formatResults(r: BenchResults): string {
  const lines: string[] = [];
  const m = r.meta;
  lines.push(`tagbase benchmark — ${m.customers.toLocaleString('en')} customers, ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB.toFixed(0)} GiB, Node ${m.node}`);
  lines.push('');
  lines.push(`generate  ${(r.generate.sqlite.ms / 1000).toFixed(1)} s: ${r.generate.sqlite.customers.toLocaleString('en')} customers, ${r.generate.sqlite.assignments.toLocaleString('en')} assignments (${r.generate.sqlite.ruleAssignments.toLocaleString('en')} by rules) into ${m.postgres ? 'SQLite + PostgreSQL' : 'SQLite'}`);
  lines.push('');
  lines.push('| expression | matches | index p50 / p99 ms | SQLite p50 / p99 ms | PostgreSQL p50 / p99 ms | SQLite ÷ index | PostgreSQL ÷ index |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|');
  for (const s of r.segments) {
    const pg = s.postgres ? `${ms(s.postgres.p50Ms)} / ${ms(s.postgres.p99Ms)}` : '—';
    lines.push(`| ${s.name} | ${s.matches.toLocaleString('en')} (${(s.share * 100).toFixed(1)}%) | ${ms(s.index.p50Ms)} / ${ms(s.index.p99Ms)} | ${ms(s.sqlite.p50Ms)} / ${ms(s.sqlite.p99Ms)} | ${pg} | ${ratio(s.sqliteRatio)} | ${ratio(s.postgresRatio)} |`);
  }
  lines.push('');
  const c = r.coldStart;
  lines.push(`cold start  index build ${(c.buildMs / 1000).toFixed(2)} s; ${c.bitmaps} bitmaps; index ${(c.indexBytes / 1024 / 1024).toFixed(1)} MiB = ${c.bytesPerCustomer.toFixed(0)} B/customer; RSS +${(c.rssDeltaBytes / 1024 / 1024).toFixed(0)} MiB = ${c.rssBytesPerCustomer.toFixed(0)} B/customer`);
  lines.push(`            from a snapshot ${(c.snapshotLoadMs / 1000).toFixed(2)} s (${(c.snapshotBytes / 1024 / 1024).toFixed(1)} MiB, saved in ${(c.snapshotSaveMs / 1000).toFixed(2)} s)`);
  const i = r.ingest;
  lines.push(`ingest      engine ${i.engine.eventsPerSecond.toFixed(0)} events/s, HTTP ${i.http.eventsPerSecond.toFixed(0)} events/s (batches of ${i.engine.batchSize}, workspace of ${i.workspaceCustomers.toLocaleString('en')} customers with history)`);
  lines.push(`            HTTP one event per request: ${i.httpSingle.requestsPerSecond.toFixed(0)} events/s, p50 ${i.httpSingle.p50Ms.toFixed(1)} ms, p99 ${i.httpSingle.p99Ms.toFixed(1)} ms (${i.httpSingle.connections} connections)`);
  lines.push(`            HTTP one customer per request: ${i.customersSingle.requestsPerSecond.toFixed(0)} customers/s, p50 ${i.customersSingle.p50Ms.toFixed(1)} ms, p99 ${i.customersSingle.p99Ms.toFixed(1)} ms (${i.customersSingle.connections} connections)`);
  const a = i.httpAccepted;
  lines.push(`            HTTP accepted at once (Prefer: respond-async): ${a.acceptedPerSecond.toFixed(0)} events/s, p50 ${a.accept.p50Ms.toFixed(1)} ms, p99 ${a.accept.p99Ms.toFixed(1)} ms (batches of ${a.batchSize}, ${a.connections} connections); all applied ${a.drainSeconds.toFixed(1)} s after the load = ${a.appliedPerSecond.toFixed(0)} events/s applied`);
  lines.push(`event→tag   committed p50 ${ms(i.tagLatency.committedP50Ms)} / p99 ${ms(i.tagLatency.committedP99Ms)} ms; visible in the index p50 ${ms(i.tagLatency.indexVisibleP50Ms)} / p99 ${ms(i.tagLatency.indexVisibleP99Ms)} ms (${i.tagLatency.flipped}/${i.tagLatency.samples} flipped)`);
  const ru = r.rules;
  const everyone = ru.everyoneMs === undefined ? '' : `; evaluating everyone one by one ${(ru.everyoneMs / 1000).toFixed(1)} s`;
  lines.push(`rules       ${ru.ruleTags} rule tags (${ru.conditions} conditions) re-evaluated in ${ms(ru.totalMs)} ms: the index found ${ru.candidates.toLocaleString('en')} candidates in ${ms(ru.findMs)} ms, ${ru.changed.toLocaleString('en')} changed${everyone}`);
  const re = r.recompute;
  lines.push(`recompute   ${re.customers.toLocaleString('en')} customers, ${re.events.toLocaleString('en')} events in ${re.seconds.toFixed(1)} s = ${re.customersPerSecond.toFixed(0)} customers/s, ${re.eventsPerSecond.toFixed(0)} events/s; model "${re.model}" refreshed in ${re.modelRefreshSeconds.toFixed(1)} s`);
  const pr = r.profile;
  lines.push(`profile     ${pr.tag}: ${pr.values} values, ${pr.holders.toLocaleString('en')} holders and everyone, ${pr.metrics.length} metric means, p50 ${ms(pr.timing.p50Ms)} / p99 ${ms(pr.timing.p99Ms)} ms`);
  const sw = r.segmentWatch;
  if (sw) lines.push(`watch       ${sw.segments} segments a webhook watches, ${sw.members.toLocaleString('en')} members (${(sw.memberBytes / 1024).toFixed(0)} KiB stored): one look, nobody moved, p50 ${ms(sw.timing.p50Ms)} / p99 ${ms(sw.timing.p99Ms)} ms`);
  const care = r.care;
  lines.push(`care        ${care.orders.toLocaleString('en')} orders ingested → one round: ${care.scheduled.toLocaleString('en')} reminders scheduled, ${care.due.toLocaleString('en')} due with messages written, in ${care.seconds.toFixed(2)} s (${Math.round((care.scheduled + care.due) / care.seconds).toLocaleString('en')} reminders/s)`);
  const tr = r.transitions;
  lines.push(`transitions ${tr.tag} over 30 days: ${tr.holders.toLocaleString('en')} holders, ${tr.moved.toLocaleString('en')} moved, from ${tr.historyRows.toLocaleString('en')} history rows: p50 ${ms(tr.timing.p50Ms)} / p99 ${ms(tr.timing.p99Ms)} ms (without the index ${ms(tr.storeOnly.p50Ms)} / ${ms(tr.storeOnly.p99Ms)} ms)`);
  const p = r.portrait;
  lines.push(`portrait    ${p.requestsPerSecond.toFixed(0)} req/s, p50 ${ms(p.p50Ms)} ms, p99 ${ms(p.p99Ms)} ms (${p.connections} connections, ${p.seconds.toFixed(0)} s, ${p.errors + p.non2xx} failed)`);
  return lines.join('\n');
}
