// A SQLite store named by TAGBASE_DATABASE_URL, set once and out of sight: a mistyped path is
// said rather than answered from a new, empty store, and a store the server makes is said once.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, tagbase, tagbaseHere } from './run-tagbase.js';

const ENGLISH = { LC_ALL: '', LC_MESSAGES: '', LANG: 'en_US.UTF-8' };
const CHINESE = { LC_ALL: '', LC_MESSAGES: '', LANG: 'zh_CN.UTF-8' };

/** `tagbase serve` on a free port until its startup lines are out, then stopped: its exit code and what it wrote to stderr. */
function serveOnce(env: Record<string, string>, cwd?: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--quiet'], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env }, ...(cwd === undefined ? {} : { cwd }) });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes('/api/v1/docs\n')) child.kill('SIGTERM');
    });
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('TAGBASE_DATABASE_URL naming a SQLite file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tagbase-database-variable-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a path in a folder that does not exist, naming the variable, and makes no folder', async () => {
    const store = join(dir, 'nowhere', 'shop', 'tagbase.db');
    const served = await serveOnce({ ...ENGLISH, TAGBASE_DATABASE_URL: store });
    expect(served).toEqual({
      code: 1,
      stderr: `error VALIDATION_FAILED: TAGBASE_DATABASE_URL names ${store}, in a folder that does not exist (${join(dir, 'nowhere', 'shop')}): check the variable, or make the folder first\n`,
    });
    const listed = tagbase(['tag', 'list'], { ...CHINESE, TAGBASE_DATABASE_URL: `sqlite:${store}` });
    expect([listed.code, listed.stderr]).toEqual([1, `错误 VALIDATION_FAILED：TAGBASE_DATABASE_URL 指向 ${store}，但所在目录 ${join(dir, 'nowhere', 'shop')} 不存在：请检查该变量，或先创建该目录\n`]);
    expect(existsSync(join(dir, 'nowhere'))).toBe(false);
    // On the command line, before the user's eyes, the folder is made as before.
    expect(tagbase(['migrate', '--database', store], ENGLISH).code).toBe(0);
    expect(existsSync(store)).toBe(true);
  });

  it('says a file that is no database as it says one named with --database', async () => {
    const notAStore = join(dir, 'customers.csv');
    writeFileSync(notAStore, 'id,name\nC1,张伟\n'.repeat(200));
    const said = `error VALIDATION_FAILED: ${notAStore}: not a SQLite database (file is not a database): check --database or TAGBASE_DATABASE_URL, which name a SQLite file or a postgres:// URL\n`;
    expect(await serveOnce({ ...ENGLISH, TAGBASE_DATABASE_URL: notAStore })).toEqual({ code: 1, stderr: said });
    const optioned = tagbase(['serve', '--port', '0', '--database', notAStore], ENGLISH);
    expect([optioned.code, optioned.stderr]).toEqual([1, said]);
  });

  it('answers no command that reads from a file that is not there, as with --database', () => {
    const typo = join(dir, 'stroe.db');
    const listed = tagbase(['tag', 'list'], { ...ENGLISH, TAGBASE_DATABASE_URL: typo });
    expect([listed.code, listed.stdout, listed.stderr]).toEqual([1, '', `error STORE_NOT_FOUND: There is no store at "${typo}" (TAGBASE_DATABASE_URL): check the path, or create one there with \`tagbase migrate --database ${typo}\`.\n`]);
    const chinese = tagbase(['segment', 'count', 'city = "上海"'], { ...CHINESE, TAGBASE_DATABASE_URL: typo });
    expect(chinese.stderr).toBe(`错误 STORE_NOT_FOUND：「${typo}」处没有数据库（TAGBASE_DATABASE_URL）：请检查路径，或用 \`tagbase migrate --database ${typo}\` 在那里新建一个。\n`);
    expect(existsSync(typo)).toBe(false);
    // Commands that make a store still make it there.
    expect(tagbase(['migrate'], { ...ENGLISH, TAGBASE_DATABASE_URL: typo }).code).toBe(0);
    expect(tagbase(['tag', 'list'], { ...ENGLISH, TAGBASE_DATABASE_URL: typo }).code).toBe(0);
  });

  it('answers no command that reads from an empty file, and leaves it empty, as a file not there', async () => {
    const empty = join(dir, 'empty.db');
    writeFileSync(empty, '');
    const listed = await tagbaseHere(['tag', 'list'], { ...ENGLISH, TAGBASE_DATABASE_URL: empty });
    expect([listed.code, listed.stdout, listed.stderr]).toEqual([1, '', `error STORE_NOT_FOUND: There is no store at "${empty}" (TAGBASE_DATABASE_URL): check the path, or create one there with \`tagbase migrate --database ${empty}\`.\n`]);
    const counted = await tagbaseHere(['segment', 'count', 'city = "上海"', '--database', empty], CHINESE);
    expect([counted.code, counted.stderr]).toEqual([1, `错误 STORE_NOT_FOUND：「${empty}」处没有数据库：请检查路径，或用 \`tagbase migrate --database ${empty}\` 在那里新建一个。\n`]);
    expect(statSync(empty).size).toBe(0);
    // A command that makes a store still makes it there.
    expect((await tagbaseHere(['migrate'], { ...ENGLISH, TAGBASE_DATABASE_URL: empty })).code).toBe(0);
    expect((await tagbaseHere(['tag', 'list'], { ...ENGLISH, TAGBASE_DATABASE_URL: empty })).code).toBe(0);
  });

  it('serves a new store the first time, saying once that it made it, in the terminal’s language', async () => {
    const store = join(dir, 'first-run.db');
    const first = await serveOnce({ ...ENGLISH, TAGBASE_DATABASE_URL: store });
    expect(first.code).toBe(0);
    const made = `  created a new, empty database at ${store}, which TAGBASE_DATABASE_URL names: if your data was meant to be there, stop the server and check the variable\n`;
    expect(first.stderr.split(made)).toHaveLength(2);
    expect(first.stderr).toMatch(new RegExp(`^tagbase is listening on http://\\S+ \\(store: sqlite ${store}\\)\\n${made.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    expect(existsSync(store)).toBe(true);
    const again = await serveOnce({ ...ENGLISH, TAGBASE_DATABASE_URL: store });
    expect(again.code).toBe(0);
    expect(again.stderr).not.toContain('created');
    const chinese = await serveOnce({ ...CHINESE, TAGBASE_DATABASE_URL: join(dir, '新店.db') });
    expect(chinese.stderr).toContain(`  已在 TAGBASE_DATABASE_URL 指向的 ${join(dir, '新店.db')} 新建了一个空数据库：如果数据本应在那里，请停止服务器并检查该变量\n`);
  });

  it('serves the default store on a fresh clone, saying where it made it; an empty variable names none', async () => {
    const clone = mkdtempSync(join(dir, 'clone-'));
    const first = await serveOnce({ ...ENGLISH, TAGBASE_DATABASE_URL: '' }, clone);
    expect(first.code).toBe(0);
    expect(first.stderr).toContain('(store: sqlite ./data/tagbase.db)\n');
    expect(first.stderr).toContain(`  created a new, empty database at ${join(clone, 'data', 'tagbase.db')}\n`);
    expect(existsSync(join(clone, 'data', 'tagbase.db'))).toBe(true);
  });
});

describe('--database given empty', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tagbase-database-empty-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const refusal = 'error VALIDATION_FAILED: --database is empty: name a SQLite file or a postgres:// URL (is it a variable that is not set?), or leave the option out for TAGBASE_DATABASE_URL or ./data/tagbase.db\n';

  it('is refused, as a variable that is not set would leave it, rather than read as SQLite\'s temporary store that an import went into and was lost with', async () => {
    const csv = join(dir, 'customers.csv');
    writeFileSync(csv, 'id,name\nE1,张伟\n');
    // It said "1 row, 1 imported" and exited 0: the rows went into a store dropped as the command ended.
    const imported = await tagbaseHere(['import', 'customers', csv, '--database', ''], ENGLISH);
    expect([imported.code, imported.stdout, imported.stderr]).toEqual([1, '', refusal]);
    for (const empty of ['', ' ', 'sqlite:']) {
      const migrated = await tagbaseHere(['migrate', '-d', empty], ENGLISH);
      expect([migrated.code, migrated.stdout, migrated.stderr], JSON.stringify(empty)).toEqual([1, '', refusal]);
    }
    const chinese = await tagbaseHere(['tag', 'assign', '兴趣爱好', '高尔夫', 'E1', '-d', ''], CHINESE);
    expect([chinese.code, chinese.stderr]).toEqual([
      1,
      '错误 VALIDATION_FAILED：--database 为空：请指定 SQLite 数据库文件或 postgres:// URL（是否引用了未设置的变量？），或不写该选项，以使用 TAGBASE_DATABASE_URL 或 ./data/tagbase.db\n',
    ]);
    expect(existsSync(`${csv}.rejected.csv`)).toBe(false);
  });
});
