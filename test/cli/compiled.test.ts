// The `tagbase` binary runs the sources compiled into dist/ only while that build matches them,
// and loads the TypeScript sources through tsx otherwise: tried on a copy of the project.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile, compiledEntry } from '../../bin/compiled.js';

const PROJECT = join(import.meta.dirname, '../..');

describe('the compiled command', { timeout: 120_000 }, () => {
  let copy = '';

  beforeAll(() => {
    copy = mkdtempSync(join(tmpdir(), 'tagbase-compiled-'));
    cpSync(join(PROJECT, 'src'), join(copy, 'src'), { recursive: true });
    cpSync(join(PROJECT, 'bin'), join(copy, 'bin'), { recursive: true });
    cpSync(join(PROJECT, 'package.json'), join(copy, 'package.json'));
    symlinkSync(join(PROJECT, 'node_modules'), join(copy, 'node_modules'));
  });

  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  const version = () => spawnSync(process.execPath, [join(copy, 'bin', 'tagbase.js'), '--version'], { encoding: 'utf8', timeout: 60_000 });
  const expected = (JSON.parse(readFileSync(join(PROJECT, 'package.json'), 'utf8')) as { version: string }).version;

  it('runs from the TypeScript sources before any build', () => {
    expect(compiledEntry(copy)).toBeUndefined();
    const run = version();
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe(expected);
  });

  it('runs the build once compiled, and sets it aside when a source is edited, added or removed', async () => {
    expect(await compile(copy)).toBeGreaterThan(100);
    expect(compiledEntry(copy)).toBe(`file://${join(copy, 'dist', 'cli', 'main.js')}`);
    expect(version().stdout.trim()).toBe(expected);
    // Which of the two ran: the build's entry point, marked, answers differently from the sources.
    writeFileSync(join(copy, 'dist', 'cli', 'main.js'), "export async function main() { console.log('from dist'); }\n");
    expect(version().stdout.trim()).toBe('from dist');

    const source = join(copy, 'src', 'core', 'errors.ts');
    const later = new Date(Date.now() + 60_000);
    utimesSync(source, later, later);
    expect(compiledEntry(copy)).toBeUndefined();
    expect(version().stdout.trim()).toBe(expected);
    await compile(copy);
    expect(compiledEntry(copy)).toBeDefined();

    const added = join(copy, 'src', 'core', 'added.ts');
    writeFileSync(added, 'export const added = 1;\n');
    expect(compiledEntry(copy)).toBeUndefined();
    await compile(copy);
    expect(compiledEntry(copy)).toBeDefined();
    rmSync(added);
    expect(compiledEntry(copy)).toBeUndefined();
  });

  it('compiles the worker threads’ modules beside the modules that start them', async () => {
    await compile(copy);
    const dist = join(copy, 'dist');
    for (const file of ['engine/worker-bootstrap.mjs', 'engine/recompute-worker.js', 'index/page-reader-worker.mjs', 'api/static.js']) {
      expect(() => readFileSync(join(dist, file))).not.toThrow();
    }
  });
});
