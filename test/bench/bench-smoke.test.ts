// Runs the benchmark's generator and every measured code path at a small size, asserting
// only that they are correct (every back end counts the same customers, every section is
// filled in); how fast they are is the benchmark's business, not a test's.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { BENCH_EXPRESSIONS } from '../../bench/library.js';
import { runBenchmark, type BenchResults } from '../../bench/suite.js';
import { storeKinds } from '../support/stores.js';

const directory = mkdtempSync(join(tmpdir(), 'tagbase-bench-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('benchmark smoke run', () => {
  const withPostgres = storeKinds().includes('postgres');
  let results: BenchResults | undefined;

  it('generates 4,000 customers and runs every section', { timeout: 120_000 }, async () => {
    results = await runBenchmark({
      customers: 4_000,
      eventCustomers: 300,
      eventsPerCustomer: 5,
      seed: 7,
      sqlitePath: join(directory, 'bench.db'),
      pgUrl: withPostgres ? process.env.TAGBASE_TEST_PG_URL : undefined,
      indexRuns: 3,
      sqlRuns: 1,
      ingestBatches: 1,
      latencySamples: 5,
      loadSeconds: 0.25,
      loadConnections: 2,
      log: () => undefined,
    });
    expect(results.generate.sqlite.customers).toBe(4_000);
    expect(results.generate.sqlite.ruleAssignments).toBeGreaterThan(0);
    // Most customers hold a phone, many a WeChat id: what a portrait shows and the index reads for has_phone.
    expect(results.generate.sqlite.identities).toBeGreaterThan(4_000);
    expect(results.coldStart.customers).toBe(4_000);
    expect(results.coldStart.indexBytes).toBeGreaterThan(0);
    expect(Object.keys(results).sort()).toEqual(['care', 'coldStart', 'generate', 'ingest', 'meta', 'portrait', 'profile', 'recompute', 'rules', 'segmentWatch', 'segments', 'transitions']);
  });

  it('counts the same customers with the index and with SQL for every expression', () => {
    if (!results) throw new Error('the benchmark did not run');
    expect(results.segments.map((segment) => segment.expression)).toEqual(BENCH_EXPRESSIONS.map((expression) => expression.source));
    for (const segment of results.segments) {
      expect({ expression: segment.expression, sqlite: segment.sqlite.matches }).toEqual({ expression: segment.expression, sqlite: segment.matches });
      if (withPostgres) expect({ expression: segment.expression, postgres: segment.postgres?.matches }).toEqual({ expression: segment.expression, postgres: segment.matches });
    }
    // The suite is meant to span the whole range, from nobody-in-particular to nearly everyone.
    const shares = results.segments.map((segment) => segment.share);
    expect(Math.min(...shares)).toBeLessThan(0.01);
    expect(Math.max(...shares)).toBeGreaterThan(0.6);
  });

  it('re-evaluates every rule tag, narrowed by the index, and over everyone for comparison', () => {
    if (!results) throw new Error('the benchmark did not run');
    const { rules } = results;
    expect(rules.ruleTags).toBeGreaterThan(0);
    expect(rules.conditions).toBeGreaterThanOrEqual(rules.ruleTags);
    expect(rules.candidates).toBeLessThan(4_000);
    expect(rules.changed).toBeLessThanOrEqual(rules.candidates);
    expect(rules.everyoneMs).toBeDefined();
  });

  it('looks at the segments a webhook watches: the first look starts each one, the next find nobody moved', () => {
    if (!results) throw new Error('the benchmark did not run');
    const watch = results.segmentWatch;
    expect(watch.segments).toBe(results.segments.length);
    expect(watch.started).toBe(watch.segments);
    expect(watch.logged).toBe(0);
    expect(watch.members).toBe(results.segments.reduce((sum, segment) => sum + segment.matches, 0));
    expect(watch.memberBytes).toBeGreaterThan(0);
  });

  it('profiles a tag from the index with the same sums as SQL over the stored metrics', () => {
    if (!results) throw new Error('the benchmark did not run');
    const { profile } = results;
    expect(profile.values).toBeGreaterThan(1);
    expect(profile.holders).toBeGreaterThan(0);
    expect(profile.check.index.customers).toBeGreaterThan(0);
    expect(profile.check.index.customers).toBe(profile.check.sql.customers);
    expect(profile.check.index.sum).toBeCloseTo(profile.check.sql.sum, 2);
  });

  it('reads back from the tag history written for it every move it wrote', () => {
    if (!results) throw new Error('the benchmark did not run');
    // Every order ingested, through the engine, over HTTP and by the latency probe, made its three reminders, the first due at once.
    const { care } = results;
    expect(care.orders).toBeGreaterThan(0);
    expect(care.scheduled).toBe(care.orders * care.steps);
    expect(care.due).toBe(care.orders);
    const { transitions } = results;
    expect(transitions.writtenMoves).toBeGreaterThan(0);
    expect(transitions.moved).toBe(transitions.writtenMoves);
    expect(transitions.historyRows).toBe(transitions.holders + transitions.writtenMoves);
  });

  it('ingests, flips rule tags, recomputes and serves portraits', () => {
    if (!results) throw new Error('the benchmark did not run');
    const { ingest, recompute, portrait } = results;
    expect(ingest.engine.events).toBe(1000);
    expect(ingest.http.events).toBe(1000);
    // One event per request: every request answered 2xx stored its event, once.
    expect(ingest.httpSingle.requests).toBeGreaterThan(0);
    expect([ingest.httpSingle.errors, ingest.httpSingle.non2xx]).toEqual([0, 0]);
    expect(ingest.httpSingle.stored).toBe(ingest.httpSingle.requests);
    // One customer per request: every request answered 2xx stored its customer.
    expect(ingest.customersSingle.requests).toBeGreaterThan(0);
    expect([ingest.customersSingle.errors, ingest.customersSingle.non2xx]).toEqual([0, 0]);
    expect(ingest.customersSingle.stored).toBe(ingest.customersSingle.requests);
    // Accepted at once: every batch answered 202 was applied, every event of it stored, once.
    expect(ingest.httpAccepted.accept.requests).toBeGreaterThan(0);
    expect([ingest.httpAccepted.accept.errors, ingest.httpAccepted.accept.non2xx]).toEqual([0, 0]);
    expect(ingest.httpAccepted.stored).toBe(ingest.httpAccepted.acceptedEvents);
    expect(ingest.httpAccepted.acceptedEvents).toBe(ingest.httpAccepted.accept.requests * ingest.httpAccepted.batchSize);
    expect(ingest.tagLatency.samples).toBeGreaterThan(0);
    expect(ingest.tagLatency.flipped).toBe(ingest.tagLatency.samples);
    expect(recompute.customers).toBe(300);
    expect(recompute.events).toBeGreaterThan(0);
    expect(recompute.model).toBe('rfm');
    expect(recompute.modelTagged).toBeGreaterThan(0);
    expect(portrait.requests).toBeGreaterThan(0);
    expect(portrait.errors + portrait.non2xx).toBe(0);
  });

  it('counts, with the SQL-only run, the same customers on the same generated data', { timeout: 120_000 }, async () => {
    if (!results) throw new Error('the benchmark did not run');
    const out = join(directory, 'sql-only');
    const script = join(import.meta.dirname, '../../bench/sql-counts.ts');
    await promisify(execFile)(process.execPath, ['--import', 'tsx', script, '--customers', '4000', '--seed', '7', '--database', join(directory, 'sql-only.db'), '--out', out], { cwd: join(import.meta.dirname, '../..') });
    const [file] = readdirSync(out);
    const written = JSON.parse(readFileSync(join(out, file ?? ''), 'utf8')) as { meta: { dialect: string }; segments: { expression: string; matches: number }[] };
    expect(written.meta.dialect).toBe('sqlite');
    expect(written.segments.map((segment) => [segment.expression, segment.matches])).toEqual(results.segments.map((segment) => [segment.expression, segment.matches]));
  });

  it('measures the store alone and the engine on the same batches, every variant storing every event', { timeout: 120_000 }, async () => {
    const script = join(import.meta.dirname, '../../bench/ingest-floor.ts');
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script, '--customers', '300', '--batches', '2', '--batch', '100'], { cwd: join(import.meta.dirname, '../..') });
    const rates = stdout
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => Number(/([\d,]+) events\/s$/.exec(line)?.[1]?.replaceAll(',', '')));
    expect(rates).toHaveLength(7);
    for (const rate of rates) expect(rate).toBeGreaterThan(0);
  });
});
