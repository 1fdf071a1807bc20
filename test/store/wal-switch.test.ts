// A SQLite file in rollback-journal mode (a backup just restored) is switched to write-ahead
// logging when it opens. Two processes opening it at once (the server and a command right after a
// restore) both switch it: the one that finds the other's switch under way waits for it, as any
// statement waits for a lock, instead of failing at once with "database is locked".
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openStore, useWriteAheadLog } from '../../src/store/connect.js';
import { tagbaseHere } from '../cli/run-tagbase.js';

vi.setConfig({ testTimeout: 120_000 });

const directory = mkdtempSync(join(tmpdir(), 'tagbase-wal-switch-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const ENGLISH = { LANG: 'en_US.UTF-8', LC_ALL: '', LC_MESSAGES: '' };

function journalMode(file: string): string {
  const database = new Database(file, { readonly: true });
  try {
    return String(database.pragma('journal_mode', { simple: true }));
  } finally {
    database.close();
  }
}

/** `tagbase backup`'s copy of a store, in rollback-journal mode, as it is restored. */
const backup = join(directory, 'backup.db');
beforeAll(async () => {
  const store = join(directory, 'store.db');
  expect((await tagbaseHere(['migrate', '--database', store], ENGLISH)).code).toBe(0);
  expect((await tagbaseHere(['backup', backup, '--database', store], ENGLISH)).code).toBe(0);
  expect(journalMode(backup)).toBe('delete');
});

/** The backup put in a store's place. */
function restoredStore(name: string): string {
  const file = join(directory, `${name}.db`);
  copyFileSync(backup, file);
  return file;
}

/** Another process holding the file's write lock (a write under way) for `ms`; resolves once it holds it. */
function holdWriteLock(file: string, ms: number): Promise<ChildProcess> {
  const script = `const db = new (require('better-sqlite3'))(${JSON.stringify(file)}); db.exec('begin immediate'); process.stdout.write('locked');
setTimeout(() => { db.exec('commit'); db.close(); }, ${ms});`;
  const child = spawn(process.execPath, ['-e', script], { cwd: join(import.meta.dirname, '../..') });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.stdout.once('data', () => resolve(child));
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => (child.exitCode === null ? child.on('close', () => resolve()) : resolve()));
}

/**
 * Opens `file` as the store in `count` processes at the same moment: each loads the store's code,
 * says it is ready, and opens the store when told (all of them at once); says what each found.
 */
async function openTogether(file: string, count: number): Promise<string[]> {
  const script = `import(${JSON.stringify(join(import.meta.dirname, '../../dist/store/connect.js'))}).then(({ openStore }) => {
  process.stdout.write('ready\\n');
  process.stdin.once('data', async () => {
    try { const store = await openStore(${JSON.stringify(file)}); await store.close(); process.stdout.write('opened'); }
    catch (error) { process.stdout.write('failed ' + (error.code ?? '') + ' ' + error.message); }
    process.exit(0);
  });
});`;
  const children = Array.from({ length: count }, () => spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'inherit'] }));
  const said = children.map((child) => {
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    return {
      ready: new Promise<void>((resolve) => child.stdout.once('data', () => resolve())),
      done: new Promise<string>((resolve) => child.on('close', () => resolve(stdout.replace(/^ready\n/, '')))),
    };
  });
  await Promise.all(said.map((child) => child.ready));
  for (const child of children) child.stdin.write('go\n');
  return Promise.all(said.map((child) => child.done));
}

describe('a SQLite store in rollback-journal mode opened beside another process', () => {
  it('waits while another process holds the file, then opens it in write-ahead-log mode', async () => {
    const file = restoredStore('held');
    const holder = await holdWriteLock(file, 600);
    try {
      const started = Date.now();
      // Failed at once with SQLITE_BUSY "database is locked", the busy timeout notwithstanding.
      const store = await openStore(file);
      await store.close();
      expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    } finally {
      await exited(holder);
    }
    expect(journalMode(file)).toBe('wal');
  });

  it('is opened by several processes at the same moment, right after a restore', async () => {
    for (let round = 0; round < 3; round += 1) {
      const file = restoredStore(`together-${round}`);
      const opened = await openTogether(file, 4);
      expect(opened).toEqual(['opened', 'opened', 'opened', 'opened']);
      expect(journalMode(file)).toBe('wal');
    }
  });

  it('says truthfully what happened when the other process holds it for longer than the wait', async () => {
    const file = restoredStore('long');
    const holder = await holdWriteLock(file, 2_000);
    const database = new Database(file);
    try {
      let refused: unknown;
      try {
        useWriteAheadLog(database, 300);
      } catch (error) {
        refused = error;
      }
      expect(refused).toMatchObject({ code: 'STORE_UNAVAILABLE' });
      const detail = (refused as { params: { detail: { en: string; 'zh-CN': string } } }).params.detail;
      expect(detail.en).toBe(
        'the store is in rollback-journal mode (a backup just restored, say) and is switched to write-ahead logging when it opens, but another process (the server, or a command beside it) held it locked for the 0.3 s this one waited to switch it (database is locked); nothing was changed, try again shortly',
      );
      expect(detail['zh-CN']).toContain('0.3 秒');
    } finally {
      database.close();
      await exited(holder);
    }
    expect(journalMode(file)).toBe('delete');
  });

  it('leaves a store already in write-ahead-log mode as it was: it opens at once beside a write under way', async () => {
    const file = restoredStore('wal');
    await (await openStore(file)).close();
    expect(journalMode(file)).toBe('wal');
    const holder = await holdWriteLock(file, 3_000);
    try {
      const started = Date.now();
      const store = await openStore(file);
      await store.close();
      expect(Date.now() - started).toBeLessThan(1_000);
    } finally {
      await exited(holder);
    }
  });
});
