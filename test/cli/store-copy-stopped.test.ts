// `tagbase store copy` stopped partway leaves no half-written target behind: a copy stopped by
// SIGINT or SIGTERM empties what it wrote, says so and ends by the signal; one killed outright
// leaves its target marked, and the next copy empties it itself before copying.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openStore } from '../../src/store/connect.js';
import { COPIED_TABLES } from '../../src/store/copy.js';
import { storeKinds } from '../support/stores.js';
import { ownStore, type OwnStore } from './own-store.js';
import { BIN, ENGLISH, tagbaseHere } from './run-tagbase.js';

vi.setConfig({ testTimeout: 180_000, hookTimeout: 120_000 });

/** Rows enough in the audit trail that the copy is still writing them when it is signalled. */
const AUDIT_ROWS = 60_000;
/** The line of the table copied just before the audit trail: once it is out, the trail is being copied. */
const BEFORE_AUDIT = /^access_tokens[:：]/m;

/** How many rows each copied table holds, and whether the mark of an unfinished copy is there. */
async function contents(url: string): Promise<{ rows: Record<string, number>; marked: boolean }> {
  const store = await openStore(url);
  try {
    const rows: Record<string, number> = {};
    for (const { table } of COPIED_TABLES) {
      const { rows: counted } = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)}`.execute(store.db);
      rows[table] = Number(counted[0]?.n ?? 0);
    }
    const there =
      store.dialect === 'sqlite'
        ? await sql<{ n: number }>`select count(*) as n from sqlite_master where name = 'tagbase_copy_unfinished'`.execute(store.db)
        : await sql<{ n: number }>`select count(*)::int as n from information_schema.tables where table_schema = current_schema() and table_name = 'tagbase_copy_unfinished'`.execute(store.db);
    return { rows, marked: Number(there.rows[0]?.n ?? 0) > 0 };
  } finally {
    await store.close();
  }
}

const nothing = Object.fromEntries(COPIED_TABLES.map(({ table }) => [table, 0]));

/** Runs the copy, sends `signal` once the copy has written the tables before the audit trail, and tells how it ended and what it said. */
function copySignalled(args: string[], signal: NodeJS.Signals, env: Record<string, string> = ENGLISH): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let stderr = '';
  let sent = false;
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk;
    if (!sent && BEFORE_AUDIT.test(stderr)) {
      sent = true;
      child.kill(signal);
    }
  });
  return new Promise((resolve) => child.on('close', (code, ended) => resolve({ code, signal: ended, stderr })));
}

describe('tagbase store copy stopped partway', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tagbase-store-copy-stopped-'));
  const source = join(dir, 'source.db');
  const owned: OwnStore[] = [];
  let audited = 0;

  beforeAll(async () => {
    for (const args of [['migrate'], ['workspace', 'create', 'shop']]) {
      const result = await tagbaseHere([...args, '--database', source], ENGLISH);
      expect(result.code, result.stderr).toBe(0);
    }
    const file = new Database(source);
    file
      .prepare(
        `with recursive n(i) as (select 1 union all select i + 1 from n where i < ${AUDIT_ROWS}) insert into audit_log (workspace_id, actor, source, action, target, status, at) select null, 'cli', 'cli', 'bulk', '/n/' || i, null, i from n`,
      )
      .run();
    audited = (file.prepare('select count(*) as n from audit_log').get() as { n: number }).n;
    file.close();
  });

  afterAll(async () => {
    for (const store of owned) await store.dispose();
  });

  for (const kind of storeKinds()) {
    it(`empties what it wrote into a ${kind} store when stopped by SIGINT, says so, ends by the signal, and copies again [${kind}]`, async () => {
      const target = await ownStore(kind, mkdtempSync(join(dir, `sigint-${kind}-`)), 'copy_sigint');
      owned.push(target);
      // A SQLite file the copy did not make (one it makes is removed).
      if (kind === 'sqlite') expect((await tagbaseHere(['migrate', '--database', target.url], ENGLISH)).code).toBe(0);
      const args = ['store', 'copy', '--database', source, '--to', target.url];

      const stopped = await copySignalled(args, 'SIGINT');
      expect(stopped.signal, stopped.stderr).toBe('SIGINT');
      expect(stopped.stderr).toContain('workspaces: 2 / 2 rows copied\n');
      expect(stopped.stderr.endsWith(`stopped: the copy was stopped, and what it had written into ${target.url} was taken out again, leaving it empty; run the same command again to copy\n`)).toBe(true);
      expect(await contents(target.url)).toEqual({ rows: nothing, marked: false });

      const again = await tagbaseHere(args, ENGLISH);
      expect(again.code, again.stderr).toBe(0);
      expect((await contents(target.url)).rows.audit_log).toBe(audited);
      expect((await contents(target.url)).marked).toBe(false);
    });

    it(`empties a ${kind} store left holding a copy killed outright before copying into it, and still refuses one holding data of its own [${kind}]`, async () => {
      const target = await ownStore(kind, mkdtempSync(join(dir, `killed-${kind}-`)), 'copy_killed');
      owned.push(target);
      const args = ['store', 'copy', '--database', source, '--to', target.url];

      const killed = await copySignalled(args, 'SIGKILL');
      expect(killed.signal).toBe('SIGKILL');
      const left = await contents(target.url);
      expect(left.marked).toBe(true);
      expect(left.rows.workspaces).toBe(2);

      const again = await tagbaseHere(args, ENGLISH);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stderr.split('\n')[0]).toBe(
        `${target.url} held an unfinished copy of ${source}, left by a copy that ended partway without emptying it (killed, or its store out of reach): emptied it before copying`,
      );
      const copied = await contents(target.url);
      expect(copied.marked).toBe(false);
      expect(copied.rows.audit_log).toBe(audited);
      expect(copied.rows.workspaces).toBe(2);

      // A finished copy is data of its own: refused as any store holding data is.
      const refused = await tagbaseHere(args, ENGLISH);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(new RegExp(`^error VALIDATION_FAILED: .* already holds data \\(workspaces, audit_log\\)`));
    });
  }

  it('removes a SQLite file it made when stopped by SIGTERM, saying so in Chinese, and ends by the signal', async () => {
    const target = join(mkdtempSync(join(dir, 'sigterm-')), 'new.db');
    const stopped = await copySignalled(['store', 'copy', '--database', source, '--to', target], 'SIGTERM', { LANG: 'zh_CN.UTF-8', LC_ALL: '', LC_MESSAGES: '' });
    expect(stopped.signal, stopped.stderr).toBe('SIGTERM');
    expect(stopped.stderr.endsWith(`已中止：复制已停止，已删除本次新建的 ${target}；再次运行同一命令即可复制\n`)).toBe(true);
    expect(existsSync(target)).toBe(false);
  });
});
