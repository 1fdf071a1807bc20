// The benchmark scripts that run on their own (`npm run bench:insight`, `npm run bench:search`),
// on a few thousand customers: each still runs to its end and checks what it measures — the
// insight's SQL path answers as the index does, and every search term finds the same customers
// from the index as from the store.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';

const run = promisify(execFile);
const directory = mkdtempSync(join(tmpdir(), 'tagbase-bench-scripts-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** Runs `script` with a small workspace and returns the results file it wrote. */
async function benchResults(script: string, name: string, extra: string[] = []): Promise<Record<string, unknown>> {
  const out = join(directory, name);
  await run(process.execPath, ['--max-semi-space-size=64', '--import', 'tsx', script, '--customers', '3000', '--runs', '2', '--database', join(directory, `${name}.db`), '--out', out, ...extra], { cwd: process.cwd() });
  const [file] = readdirSync(out);
  if (!file) throw new Error(`${script} wrote no results`);
  return JSON.parse(readFileSync(join(out, file), 'utf8')) as Record<string, unknown>;
}

it('runs the insight benchmark, whose SQL path gives the index’s answer', { timeout: 120_000 }, async () => {
  const results = (await benchResults('bench/insight.ts', 'insight', ['--sql'])) as { insights: { members: number; timing: { p50Ms: number } }[]; sql: { same: boolean } };
  expect(results.insights).toHaveLength(3);
  for (const insight of results.insights) expect(insight.members).toBeGreaterThan(0);
  expect(results.sql.same).toBe(true);
});

it('runs the search benchmark, every term answered by the index and the store', { timeout: 120_000 }, async () => {
  const results = (await benchResults('bench/customer-search.ts', 'search')) as { sqlite: { terms: { kind: string; matches: number }[] } };
  expect(results.sqlite.terms.length).toBeGreaterThan(5);
  expect(results.sqlite.terms.some((term) => term.matches > 0)).toBe(true);
  expect(results.sqlite.terms.find((term) => term.kind === 'nothing')?.matches).toBe(0);
});
