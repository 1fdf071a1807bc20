// SQLite's durability setting: full unless the operator trades it for speed, and a clear error
// for a setting that is neither.
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
