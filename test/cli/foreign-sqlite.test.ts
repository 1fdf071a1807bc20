// A SQLite file holding another program's tables is not turned into a store: every command, and
// the server, refuses it in one line before writing anything to it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { openStore } from '../../src/store/connect.js';
import { tagbaseHere } from './run-tagbase.js';

vi.setConfig({ testTimeout: 120_000 });

const ENGLISH = { LC_ALL: '', LC_MESSAGES: '', LANG: 'en_US.UTF-8' };
const CHINESE = { LC_ALL: '', LC_MESSAGES: '', LANG: 'zh_CN.UTF-8' };

describe("another program's SQLite database", () => {
  const dir = mkdtempSync(join(tmpdir(), 'tagbase-foreign-sqlite-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A database of `tables` tables, each with a row, as another application keeps it. */
  function foreign(name: string, tables: number): string {
    const file = join(dir, name);
    const database = new Database(file);
    for (let n = 1; n <= tables; n += 1) database.exec(`create table orders_${n} (id integer primary key, note text); insert into orders_${n} (note) values ('kept')`);
    database.close();
    return file;
  }

  function tablesOf(file: string): string[] {
    const database = new Database(file, { readonly: true });
    const names = database.prepare("select name from sqlite_master where type = 'table' order by name").pluck().all() as string[];
    database.close();
    return names;
  }

  it('is refused by a command that reads and by the server, naming its tables, and keeps only its own tables', async () => {
    const file = foreign('orders.db', 2);
    const line = `error STORE_FOREIGN: The SQLite file "${file}" holds another database (orders_1, orders_2) and no tagbase store, so nothing was written to it: name a tagbase store, or a new file, with --database or TAGBASE_DATABASE_URL.\n`;
    expect(await tagbaseHere(['tag', 'list', '--database', file], ENGLISH)).toMatchObject({ code: 1, stderr: line });
    expect(await tagbaseHere(['serve', '--database', file, '--port', '0'], ENGLISH)).toMatchObject({ code: 1, stderr: expect.stringContaining(line.trimEnd()) });
    expect(tablesOf(file)).toEqual(['orders_1', 'orders_2']);
  });

  it('is said in Chinese, the first five of many tables named, by migrate too', async () => {
    const file = foreign('many.db', 7);
    const refused = await tagbaseHere(['migrate', '--database', file], CHINESE);
    expect(refused).toMatchObject({
      code: 1,
      stderr: `错误 STORE_FOREIGN：SQLite 文件「${file}」是另一个数据库（orders_1, orders_2, orders_3, orders_4, orders_5 等 7 张表），其中没有 tagbase 的数据，因此未写入任何内容：请用 --database 或 TAGBASE_DATABASE_URL 指定 tagbase 数据库或一个新文件。\n`,
    });
    expect(tablesOf(file)).toHaveLength(7);
  });

  it('is refused in the store layer, while a new file and a store migrate and open as before', async () => {
    const file = foreign('layer.db', 1);
    const store = await openStore(file);
    await expect(store.migrate()).rejects.toMatchObject({ code: 'STORE_FOREIGN', params: { path: file } });
    await store.close();
    const fresh = join(dir, 'fresh.db');
    expect((await tagbaseHere(['migrate', '--database', fresh], ENGLISH)).code).toBe(0);
    expect(await tagbaseHere(['tag', 'list', '--database', fresh], ENGLISH)).toMatchObject({ code: 0 });
  });
});
