// The `tagbase` binary runs the sources compiled into dist/ only while that build matches them,
// and loads the TypeScript sources through tsx otherwise: tried on a copy of the project.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, symlinkSync, utimesSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile, compiledEntry } from '../../bin/compiled.js';
import { storeKinds } from '../support/stores.js';

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

  it('leaves dist/ as it was and nothing beside it when a source does not compile', async () => {
    await compile(copy);
    const broken = join(copy, 'src', 'core', 'broken.ts');
    writeFileSync(broken, 'export const = ;\n');
    try {
      await expect(compile(copy)).rejects.toThrow();
      expect(readdirSync(copy).filter((name) => name.startsWith('dist'))).toEqual(['dist']);
      expect(() => readFileSync(join(copy, 'dist', 'cli', 'main.js'))).not.toThrow();
    } finally {
      rmSync(broken);
    }
  });

  it('compiles the worker threads’ modules beside the modules that start them', async () => {
    // A build the tests before left current is the one these sources compile to.
    if (compiledEntry(copy) === undefined) await compile(copy);
    const dist = join(copy, 'dist');
    for (const file of ['engine/worker-bootstrap.mjs', 'engine/recompute-worker.js', 'index/page-reader-worker.mjs', 'api/static.js']) {
      expect(() => readFileSync(join(dist, file))).not.toThrow();
    }
  });
});

// Kysely is bundled into dist/vendor/ at build time (its ~260 files were a third of every
// command's start-up): the compiled command must need none of Kysely's own files, and a build
// made with another Kysely than the one installed is not current.
describe('the compiled command with Kysely bundled', { timeout: 180_000 }, () => {
  let copy = '';
  const kysely = () => join(copy, 'node_modules', 'kysely');

  beforeAll(() => {
    copy = mkdtempSync(join(tmpdir(), 'tagbase-vendored-'));
    cpSync(join(PROJECT, 'src'), join(copy, 'src'), { recursive: true });
    cpSync(join(PROJECT, 'bin'), join(copy, 'bin'), { recursive: true });
    cpSync(join(PROJECT, 'package.json'), join(copy, 'package.json'));
    // Every package as installed, but a copy of Kysely of the copy's own, to take apart.
    mkdirSync(join(copy, 'node_modules'));
    for (const name of readdirSync(join(PROJECT, 'node_modules'))) {
      if (name !== 'kysely') symlinkSync(join(PROJECT, 'node_modules', name), join(copy, 'node_modules', name));
    }
    cpSync(join(PROJECT, 'node_modules', 'kysely'), kysely(), { recursive: true });
  });

  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  const run = (args: string[], database: string) =>
    spawnSync(process.execPath, [join(copy, 'bin', 'tagbase.js'), ...args, '--database', database], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, LANG: 'en_US.UTF-8' } });

  it('is compiled again when another version of Kysely is installed', async () => {
    await compile(copy);
    expect(compiledEntry(copy)).toBeDefined();
    const manifest = join(kysely(), 'package.json');
    const installed = readFileSync(manifest, 'utf8');
    writeFileSync(manifest, installed.replace(/"version": "[^"]+"/, '"version": "0.0.1-other"'));
    try {
      expect(compiledEntry(copy)).toBeUndefined();
    } finally {
      writeFileSync(manifest, installed);
    }
    expect(compiledEntry(copy)).toBeDefined();
  });

  for (const kind of storeKinds()) {
    it(`reads and writes a store without Kysely's own files [${kind}]`, async () => {
      if (compiledEntry(copy) === undefined) await compile(copy);
      const database = kind === 'sqlite' ? join(copy, 'store.db') : undefined;
      const schema = `t_vendored_${process.pid}`;
      const admin = kind === 'postgres' ? new pg.Client({ connectionString: process.env.TAGBASE_TEST_PG_URL }) : undefined;
      await admin?.connect();
      await admin?.query(`create schema ${schema}`);
      const url = database ?? `${process.env.TAGBASE_TEST_PG_URL}?options=-c%20search_path%3D${schema}`;
      // Kysely's modules out of reach: only the bundle in dist/vendor/ can answer.
      renameSync(join(kysely(), 'dist'), join(kysely(), 'dist-away'));
      try {
        expect(compiledEntry(copy)).toBeDefined();
        expect(run(['migrate'], url).status).toBe(0);
        const csv = join(copy, `customers-${kind}.csv`);
        writeFileSync(csv, 'id,name,city\nC1,张伟,杭州\nC2,李娜,上海\n');
        const imported = run(['import', 'customers', csv], url);
        expect(imported.stderr).toBe('');
        expect(imported.stdout).toContain('2 rows, 2 imported, 0 rejected');
        // A portrait reads its tags and events through Kysely's JSON helpers, each dialect's own.
        const shown = run(['customer', 'show', 'C1'], url);
        expect(shown.stderr).toBe('');
        expect(shown.stdout).toContain('张伟');
        const counted = run(['segment', 'count', 'city = "杭州"'], url);
        expect(counted.stderr).toBe('');
        expect(counted.stdout).toMatch(/^1 of 2 customers/);
      } finally {
        renameSync(join(kysely(), 'dist-away'), join(kysely(), 'dist'));
        await admin?.query(`drop schema if exists ${schema} cascade`);
        await admin?.end();
      }
    });
  }
});
