// A SQLite store named in a folder that cannot be made: the command says so of the store and
// ends, where it used to spin for ever under /proc (Node's recursive mkdir goes back and forth).
// A store named as a folder, or by a URL that cannot be read, is said as what it is.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN } from './run-tagbase.js';

/** Killed only if it still runs long after it had nothing left to do. */
function tagbaseWithin(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, LANG: 'en_US.UTF-8', ...env }, timeout: 30_000 });
  return { code: result.status, killed: result.signal !== null, stderr: result.stderr };
}

describe('tagbase --database in a folder that cannot be made', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tagbase-store-folder-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('ends with a line naming the store when its folder would be under /proc', () => {
    const run = tagbaseWithin(['migrate', '--database', '/proc/tagbase-nowhere/b.db']);
    expect(run.killed).toBe(false);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'error STORE_NOT_WRITABLE: The store cannot be written: /proc/tagbase-nowhere/b.db: the folder /proc/tagbase-nowhere cannot be made (no such file or directory); give a path in a folder this user may write\n',
    );
  });

  it('says it in Chinese, for a folder under a file, from a command that makes its store', () => {
    const file = join(dir, 'not-a-folder');
    writeFileSync(file, '');
    const run = tagbaseWithin(['import', 'customers', join(dir, 'none.csv'), '--database', join(file, 'shop', 'b.db')], { LANG: 'zh_CN.UTF-8' });
    expect(run.killed).toBe(false);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`错误 STORE_NOT_WRITABLE：数据库无法写入：${join(file, 'shop', 'b.db')}：无法创建目录 ${join(file, 'shop')}（路径中有一段不是目录）；请给出运行它的用户可以写入的目录中的路径\n`);
  });

  it('names a folder given as the store, and the file in it to name instead, making nothing there', () => {
    const data = join(dir, 'data');
    mkdirSync(data);
    const said = `error VALIDATION_FAILED: ${data} is a folder, not a SQLite file: name the store's file in it, such as ${join(data, 'tagbase.db')}, with --database or TAGBASE_DATABASE_URL\n`;
    // Read as a store that may not be written ("unable to open database file"), it was told to check permissions.
    for (const args of [['migrate', '--database', data], ['serve', '--port', '0', '--database', data], ['import', 'customers', join(dir, 'none.csv'), '--database', data], ['tag', 'list', '--database', data], ['backup', join(dir, 'copy.db'), '--database', data]]) {
      expect(tagbaseWithin(args)).toEqual({ code: 1, killed: false, stderr: said });
    }
    const chinese = tagbaseWithin(['segment', 'list'], { LANG: 'zh_CN.UTF-8', TAGBASE_DATABASE_URL: `sqlite:${data}` });
    expect(chinese).toEqual({ code: 1, killed: false, stderr: `错误 VALIDATION_FAILED：${data} 是目录，不是 SQLite 数据库文件：请用 --database 或 TAGBASE_DATABASE_URL 指定其中的数据库文件，如 ${join(data, 'tagbase.db')}\n` });
    expect(existsSync(join(data, 'tagbase.db'))).toBe(false);
    expect(existsSync(join(dir, 'copy.db'))).toBe(false);
  });

  it('says a postgres:// URL that cannot be read with the URL, its password hidden, rather than a bare "Invalid URL"', () => {
    expect(tagbaseWithin(['tag', 'list', '--database', 'postgres://shop:s3cret@[::1/tagbase'])).toEqual({
      code: 1,
      killed: false,
      stderr:
        'error VALIDATION_FAILED: "postgres://shop:***@[::1/tagbase" is not a URL that can be read: write it as postgres://user:password@host:5432/database, with any @, :, / or % in the user or password percent-encoded (%40, %3A, %2F, %25)\n',
    });
  });
});
