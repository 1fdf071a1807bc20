// SQLite's durability setting: full unless the operator trades it for speed, and a clear error
// for a setting that is neither. Transactions beside another process on the same file (a
// command beside the running server).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openStore, sqliteSynchronous } from '../../src/store/connect.js';

const directory = mkdtempSync(join(tmpdir(), 'tagbase-sqlite-settings-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

async function synchronousOf(file: string): Promise<number> {
  const store = await openStore(join(directory, file));
  try {
    const { rows } = await sql<{ synchronous: number }>`pragma synchronous`.execute(store.db);
    return Number(rows[0]?.synchronous);
  } finally {
    await store.close();
  }
}

describe('SQLite durability setting', () => {
  const before = process.env.TAGBASE_SQLITE_SYNCHRONOUS;
  afterEach(() => {
    if (before === undefined) delete process.env.TAGBASE_SQLITE_SYNCHRONOUS;
    else process.env.TAGBASE_SQLITE_SYNCHRONOUS = before;
  });

  it('syncs every commit unless told otherwise', async () => {
    delete process.env.TAGBASE_SQLITE_SYNCHRONOUS;
    expect(await synchronousOf('default.db')).toBe(2); // FULL
    process.env.TAGBASE_SQLITE_SYNCHRONOUS = 'normal';
    expect(await synchronousOf('normal.db')).toBe(1); // NORMAL
    process.env.TAGBASE_SQLITE_SYNCHRONOUS = ' Full ';
    expect(await synchronousOf('full.db')).toBe(2);
  });

  it('refuses a setting that is neither full nor normal, naming it', () => {
    expect(() => sqliteSynchronous('off')).toThrow('TAGBASE_SQLITE_SYNCHRONOUS is "full" or "normal", not "off"');
  });
});

describe('SQLite beside another process writing the same file', () => {
  /** Another process's write, as a command beside the server makes one; it does not wait for a lock. */
  function writeElsewhere(file: string, value: number): string {
    const script = `const db = new (require('better-sqlite3'))(${JSON.stringify(file)}); db.pragma('busy_timeout = 0');
try { db.prepare('insert into t (v) values (?)').run(${value}); process.stdout.write('written'); } catch (error) { process.stdout.write(String(error.code)); }`;
    return spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' }).stdout;
  }

  it('a transaction that reads and then writes holds the file from its start, so a write of another process in between does not fail it', async () => {
    const file = join(directory, 'two-writers.db');
    const store = await openStore(file);
    try {
      await sql`create table t (v integer)`.execute(store.db);
      let meanwhile = '';
      await store.db.transaction().execute(async (trx) => {
        await sql`select count(*) from t`.execute(trx);
        meanwhile = writeElsewhere(file, 1);
        // With a plain "begin" the other write committed and this one failed: SQLITE_BUSY_SNAPSHOT, "database is locked".
        await sql`insert into t (v) values (2)`.execute(trx);
      });
      expect(meanwhile).toBe('SQLITE_BUSY');
      expect(writeElsewhere(file, 3)).toBe('written');
      const { rows } = await sql<{ v: number }>`select v from t order by v`.execute(store.db);
      expect(rows.map((row) => row.v)).toEqual([2, 3]);
    } finally {
      await store.close();
    }
  });

  it('a transaction that only reads takes no lock', async () => {
    const file = join(directory, 'reader.db');
    const store = await openStore(file);
    try {
      await sql`create table t (v integer)`.execute(store.db);
      const meanwhile = await store.db
        .transaction()
        .setAccessMode('read only')
        .execute(async (trx) => {
          await sql`select count(*) from t`.execute(trx);
          return writeElsewhere(file, 1);
        });
      expect(meanwhile).toBe('written');
    } finally {
      await store.close();
    }
  });
});

describe('SQLite ending a transaction itself', () => {
  it("lets the error that ended it through, not Kysely's failed rollback after it", async () => {
    // A full disk or an I/O error can make SQLite roll the whole transaction back itself: the
    // rollback that follows the error then failed with "cannot rollback - no transaction is
    // active", which took the error's place (a full disk answered 500 INTERNAL, not 503
    // STORE_NOT_WRITABLE, and logged without the cause).
    const store = await openStore(join(directory, 'ended.db'));
    try {
      await store.migrate();
      const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
      const failed = await store.db
        .transaction()
        .execute(async (trx) => {
          await trx.insertInto('workspaces').values({ key: 'shop', name: 'Shop', created_at: 0 }).execute();
          // What SQLite does on its own after such an error.
          await sql`rollback`.execute(trx);
          throw full;
        })
        .catch((error: unknown) => error);
      expect(failed).toBe(full);
      expect(await store.db.selectFrom('workspaces').select('key').where('key', '=', 'shop').execute()).toEqual([]);
      // The connection goes on.
      await store.db.transaction().execute((trx) => trx.insertInto('workspaces').values({ key: 'shop', name: 'Shop', created_at: 0 }).execute());
      expect(await store.db.selectFrom('workspaces').select('key').where('key', '=', 'shop').execute()).toEqual([{ key: 'shop' }]);
    } finally {
      await store.close();
    }
  });
});
