// A SQLite file that is no whole database (garbage, a page overwritten, cut short) is refused when
// the store opens, in one line naming it, by the commands and by `tagbase serve`, which does not start on it.
import { copyFileSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { formatCliError } from '../../src/cli/errors.js';
import { noteOpenedStore } from '../../src/cli/store-options.js';
import { openStore } from '../../src/store/connect.js';
import { tagbase, tagbaseHere } from './run-tagbase.js';

vi.setConfig({ testTimeout: 300_000 });

const ENGLISH = { LC_ALL: '', LC_MESSAGES: '', LANG: 'en_US.UTF-8' };
const CHINESE = { LC_ALL: '', LC_MESSAGES: '', LANG: 'zh_CN.UTF-8' };

/** The line every command, and the server, says of a damaged store at `path`, SQLite's words in `detail`. */
function damaged(path: string, detail: string): string {
  return `error STORE_CORRUPT: The store at "${path}" is damaged and cannot be read (${detail}): restore it from a backup (\`tagbase backup\` makes one), or name another store with --database or TAGBASE_DATABASE_URL.\n`;
}

describe('a damaged SQLite store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tagbase-damaged-store-'));
  const whole = join(dir, 'whole.db');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  beforeAll(async () => {
    expect((await tagbaseHere(['migrate', '--database', whole], ENGLISH)).code).toBe(0);
  });

  /** A copy of the whole store with the start of the root page of `tree` (a table or an index) overwritten. */
  function overwritten(name: string, tree: string): string {
    const database = new Database(whole, { readonly: true });
    const { rootpage, pageSize } = database.prepare('select rootpage, (select page_size from pragma_page_size) as pageSize from sqlite_master where name = ?').get(tree) as { rootpage: number; pageSize: number };
    database.close();
    const copy = join(dir, name);
    copyFileSync(whole, copy);
    const fd = openSync(copy, 'r+');
    writeSync(fd, Buffer.alloc(64, 0xde), 0, 64, (rootpage - 1) * pageSize);
    closeSync(fd);
    return copy;
  }

  it('is said with its path, in both languages, when a table it reads first is damaged', async () => {
    const store = overwritten('tags-overwritten.db', 'tags');
    const listed = await tagbaseHere(['tag', 'list', '--database', store], ENGLISH);
    expect([listed.code, listed.stdout, listed.stderr]).toEqual([1, '', damaged(store, 'database disk image is malformed, in tags')]);
    expect((await tagbaseHere(['tag', 'list', '--database', store], CHINESE)).stderr).toBe(
      `错误 STORE_CORRUPT：「${store}」处的数据库已损坏，无法读取（database disk image is malformed，位于 tags）：请从备份恢复（\`tagbase backup\` 可做备份），或用 --database 或 TAGBASE_DATABASE_URL 指定其他数据库。\n`,
    );
  });

  it('stops the server before it starts, in one line, where the damage is in a table nothing at startup reads', async () => {
    // The care plans are read by the scheduler's first round, seconds after the server listens.
    const store = overwritten('care-plans-overwritten.db', 'care_plans');
    const served = tagbase(['serve', '--port', '0', '--quiet', '--database', store], ENGLISH);
    expect(served).toEqual({ code: 1, stdout: '', stderr: damaged(store, 'database disk image is malformed, in care_plans') });
    // A command that does not read that table is refused as well: the check is the same at every opening.
    expect((await tagbaseHere(['workspace', 'list', '--database', store], ENGLISH)).stderr).toBe(damaged(store, 'database disk image is malformed, in care_plans'));
  });

  it('is said of a file cut short', async () => {
    const store = join(dir, 'cut-short.db');
    copyFileSync(whole, store);
    truncateSync(store, Math.floor(statSync(whole).size / 2 / 4096) * 4096);
    expect(await tagbaseHere(['segment', 'list', '--database', store], ENGLISH)).toMatchObject({ code: 1, stderr: damaged(store, 'database disk image is malformed') });
    expect(tagbase(['serve', '--port', '0', '--quiet', '--database', store], ENGLISH)).toMatchObject({ code: 1, stderr: damaged(store, 'database disk image is malformed') });
  });

  it('is said of a file of garbage as a file that is no database, and the server does not start on it', async () => {
    const store = join(dir, 'garbage.db');
    writeFileSync(store, Buffer.from(Array.from({ length: 64 * 1024 }, (_, at) => (at * 7919 + 13) % 251)));
    const said = `error VALIDATION_FAILED: ${store}: not a SQLite database (file is not a database): check --database or TAGBASE_DATABASE_URL, which name a SQLite file or a postgres:// URL\n`;
    expect(await tagbaseHere(['tag', 'list', '--database', store], ENGLISH)).toMatchObject({ code: 1, stderr: said });
    expect(tagbase(['serve', '--port', '0', '--quiet', '--database', store], ENGLISH)).toMatchObject({ code: 1, stderr: said });
  });

  it('leaves a backup put in place of a store unwritten while that store\'s -wal is still beside it, naming the files to move aside', async () => {
    const live = join(dir, 'live.db');
    expect((await tagbaseHere(['migrate', '--database', live], ENGLISH)).code).toBe(0);
    const backup = join(dir, 'live-backup.db');
    expect((await tagbaseHere(['backup', backup, '--database', live], ENGLISH)).code).toBe(0);
    // Standing for a server killed before its log was folded into the file: what was written
    // after the backup is in live.db-wal.
    const server = new Database(live);
    server.pragma('wal_autocheckpoint = 0');
    server.prepare('select count(*) from workspaces').get();
    const customers = join(dir, 'customers.csv');
    writeFileSync(customers, ['id,name,city', ...Array.from({ length: 3000 }, (_, n) => `C${n},客户${n},上海`)].join('\n'));
    expect((await tagbaseHere(['import', 'customers', customers, '--database', live], ENGLISH)).code).toBe(0);
    const restored = join(dir, 'restored');
    mkdirSync(restored);
    const store = join(restored, 'live.db');
    copyFileSync(`${live}-wal`, `${store}-wal`);
    copyFileSync(`${live}-shm`, `${store}-shm`);
    server.close();
    // The backup put in the store's place, the -wal and -shm left where they were.
    copyFileSync(backup, store);
    const listed = await tagbaseHere(['tag', 'list', '--database', store], ENGLISH);
    expect(listed.code).toBe(1);
    expect(listed.stderr).toContain(
      'live.db-wal beside it is read with it: if the file was just put in place of another store (a backup restored), move live.db-wal and live.db-shm aside; the file was not written): restore it from a backup',
    );
    expect(readFileSync(store).equals(readFileSync(backup))).toBe(true);
    // Moved aside, the copy opens as the store it was.
    rmSync(`${store}-wal`);
    rmSync(`${store}-shm`);
    expect(await tagbaseHere(['customer', 'find', 'C1', '--database', store], ENGLISH)).toMatchObject({ code: 0, stdout: expect.not.stringContaining('客户1') });
  });

  it('refuses to open in the store layer, so that any caller hears STORE_CORRUPT', async () => {
    const store = overwritten('workspaces-overwritten.db', 'workspaces');
    await expect(openStore(store)).rejects.toMatchObject({ code: 'STORE_CORRUPT', params: { path: store } });
    // A whole store opens as before.
    await (await openStore(whole)).close();
  });

  it('is said with the store the command opened when a read meets damage after the opening', async () => {
    noteOpenedStore('shop.db');
    const error = Object.assign(new Error('database disk image is malformed'), { code: 'SQLITE_CORRUPT' });
    expect(`${formatCliError(error, 'en')}\n`).toBe(damaged('shop.db', 'database disk image is malformed'));
  });
});
