// What a command loads before it runs: a run that draws no progress bar (a command without one,
// or any run whose output is not a terminal) does not load cli-progress, ~20 ms of a start-up, and
// one that writes no name does not load pinyin-pro, ~0.1 s.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compiledEntry } from '../../bin/compiled.js';

/** Runs the compiled command in-process with `args`, and prints the CommonJS modules it loaded. */
function loadedBy(args: string[], env: Record<string, string>): { code: number | null; modules: string[] } {
  const entry = compiledEntry();
  if (entry === undefined) throw new Error('dist/ is not current: the test set-up compiles it');
  const script = `
    import { createRequire } from 'node:module';
    const { cache } = createRequire(import.meta.url);
    process.on('exit', () => process.stderr.write('\\nLOADED ' + JSON.stringify(Object.keys(cache)) + '\\n'));
    const { main } = await import(${JSON.stringify(entry)});
    await main(['node', 'tagbase', ...${JSON.stringify(args)}]);`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000, cwd: tmpdir(), env: { ...process.env, ...env } });
  const line = run.stderr.split('\n').find((text) => text.startsWith('LOADED '));
  if (line === undefined) throw new Error(`no list of loaded modules: ${run.stderr}`);
  return { code: run.status, modules: JSON.parse(line.slice('LOADED '.length)) as string[] };
}

describe('the command at start-up', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tagbase-start-up-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads no progress bars for a command that draws none', () => {
    const database = join(dir, 'store.db');
    expect(loadedBy(['migrate', '--database', database], {}).code).toBe(0);
    for (const args of [['--help'], ['tag', 'list'], ['recompute']]) {
      const { code, modules } = loadedBy([...args, '--database', database], {});
      expect(code).toBe(0);
      // Loaded at all: the store's driver is CommonJS too, so the list is the real one.
      expect(modules.some((file) => file.includes(`${join('node_modules', 'better-sqlite3')}`))).toBe(true);
      expect(modules.filter((file) => file.includes('cli-progress'))).toEqual([]);
    }
  });

  it('reads names in pinyin only in a command that writes a name', () => {
    const database = join(dir, 'names.db');
    expect(loadedBy(['migrate', '--database', database], {}).code).toBe(0);
    const pinyinPro = (modules: string[]) => modules.filter((file) => file.includes(join('node_modules', 'pinyin-pro')));
    for (const args of [['tag', 'list'], ['segment', 'list'], ['customer', 'find', 'wgl']]) {
      const { code, modules } = loadedBy([...args, '--database', database], {});
      expect(code).toBe(0);
      expect(pinyinPro(modules)).toEqual([]);
    }
    const csv = join(dir, 'names.csv');
    writeFileSync(csv, 'id,name\nN1,魏桂兰\n');
    const imported = loadedBy(['import', 'customers', csv, '--database', database], {});
    expect(imported.code).toBe(0);
    expect(pinyinPro(imported.modules)).not.toEqual([]);
  });
});
