// `tagbase doctor` checks the store before the tag library: that it answers, that its schema is
// the one this version writes (no migration pending, none from a newer version), and that its
// SQLite file is whole or its PostgreSQL server new enough; a check that fails is said in a line,
// in `--json` under `store`, and by exit status 6, and the library is not reviewed then.
import { closeSync, copyFileSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { formatStoreChecks } from '../../src/cli/doctor-store.js';
import { serverVersionCheck } from '../../src/store/checks.js';
import { openStore } from '../../src/store/connect.js';
import { migrationNames } from '../../src/store/migrations.js';
import { storeKinds } from '../support/stores.js';
import { ownStore, type OwnStore } from './own-store.js';
import { tagbaseHere } from './run-tagbase.js';

vi.setConfig({ testTimeout: 120_000 });

const ENGLISH = { LC_ALL: '', LC_MESSAGES: '', LANG: 'en_US.UTF-8' };
const CHINESE = { LC_ALL: '', LC_MESSAGES: '', LANG: 'zh_CN.UTF-8' };
const LAST = migrationNames().at(-1) ?? '';

const dir = mkdtempSync(join(tmpdir(), 'tagbase-doctor-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Check {
  check: string;
  ok: boolean;
  message: string;
  [fact: string]: unknown;
}

for (const kind of storeKinds()) {
  describe(`tagbase doctor's checks of the store [${kind}]`, () => {
    let own: OwnStore;
    let counter = 0;
    beforeEach(async () => {
      counter += 1;
      own = await ownStore(kind, mkdtempSync(join(dir, `${kind}-${counter}-`)), 'doctor_store');
      expect((await tagbaseHere(['migrate', '-d', own.url], ENGLISH)).code).toBe(0);
    });
    afterEach(() => own.dispose());

    /** Runs a statement on the store as it is, as an operator would in sqlite3 or psql. */
    async function onStore(statement: ReturnType<typeof sql>): Promise<void> {
      const store = await openStore(own.url);
      try {
        await statement.execute(store.db);
      } finally {
        await store.close();
      }
    }

    const shown = (url: string) => url.replace(/^sqlite:/, '');
    const storeName = () => `${kind === 'sqlite' ? 'SQLite' : 'PostgreSQL'} ${shown(own.url)}`;

    it('says each check of a sound store in a line before the library’s review, in English and Chinese, and exits as before', async () => {
      const doctor = await tagbaseHere(['doctor', '-d', own.url], ENGLISH);
      expect([doctor.code, doctor.stderr]).toEqual([0, '']);
      const lines = doctor.stdout.split('\n');
      expect(lines.slice(0, 2)).toEqual([`store: reachable (${storeName()})`, `store: schema up to date (${migrationNames().length} migrations applied)`]);
      expect(lines[2]).toMatch(kind === 'sqlite' ? /^store: the file is whole \(PRAGMA quick_check: ok\)$/ : /^store: PostgreSQL [0-9.]+ \(12 or later needed\)$/);
      expect(doctor.stdout).toContain('workspace default: nothing to fix in the tag library or the customers');
      const chinese = await tagbaseHere(['doctor', '-d', own.url], CHINESE);
      expect(chinese.stdout.split('\n').slice(0, 3)).toEqual([
        `数据库：可以连接（${storeName()}）`,
        `数据库：结构是最新的（已应用 ${migrationNames().length} 个迁移）`,
        expect.stringMatching(kind === 'sqlite' ? /^数据库：文件完好（PRAGMA quick_check：ok）$/ : /^数据库：PostgreSQL [0-9.]+（需要 12 或更高版本）$/) as unknown,
      ]);
      // JSON: the report's keys as before, and the checks under `store`.
      const json = await tagbaseHere(['doctor', '--json', '-d', own.url], ENGLISH);
      expect([json.code, json.stderr]).toEqual([0, '']);
      const report = JSON.parse(json.stdout) as { store: { ok: boolean; checks: Check[] }; findings: number; customers: number };
      expect(report).toMatchObject({ findings: 0, customers: 0 });
      expect(report.store.ok).toBe(true);
      expect(report.store.checks.map((check) => [check.check, check.ok])).toEqual([
        ['reachable', true],
        ['migrations', true],
        [kind === 'sqlite' ? 'integrity' : 'server_version', true],
      ]);
      expect(report.store.checks[1]).toEqual({ check: 'migrations', ok: true, applied: migrationNames().length, pending: [], unknown: [], message: lines[1] });
      if (kind === 'postgres') expect(report.store.checks[2]).toMatchObject({ major: expect.any(Number) as unknown, version: expect.stringMatching(/^[0-9]/) as unknown });
    });

    it('says a migration this version has that the store lacks, exits 6, and does not apply it or review the library', async () => {
      await onStore(sql`delete from kysely_migration where name = ${LAST}`);
      const doctor = await tagbaseHere(['doctor', '-d', own.url], ENGLISH);
      expect([doctor.code, doctor.stderr]).toEqual([6, '']);
      expect(doctor.stdout.split('\n').slice(1)).toEqual([
        `store problem: 1 migration of this version not applied yet (${LAST}): run tagbase migrate, or start the server, which applies them`,
        expect.stringMatching(/^store: /) as unknown,
        'the tag library was not reviewed: a check of the store above failed',
        '',
      ]);
      expect((await tagbaseHere(['doctor', '-d', own.url], CHINESE)).stdout).toContain(`数据库问题：本版本有 1 个迁移尚未应用（${LAST}）：请运行 tagbase migrate，或启动服务器（它会应用这些迁移）\n`);
      // Only the store's checks: the report's keys are left out, as nothing was reviewed.
      const json = await tagbaseHere(['doctor', '--json', '-d', own.url], ENGLISH);
      expect([json.code, json.stderr]).toEqual([6, '']);
      const report = JSON.parse(json.stdout) as { store: { ok: boolean; checks: Check[] } };
      expect(Object.keys(report)).toEqual(['store']);
      expect(report.store.ok).toBe(false);
      expect(report.store.checks[1]).toMatchObject({ check: 'migrations', ok: false, pending: [LAST], unknown: [] });
      // Nothing was migrated: it is still pending.
      expect((await tagbaseHere(['doctor', '-d', own.url], ENGLISH)).code).toBe(6);
    });

    it('says a store a newer version brought up, exits 6', async () => {
      await onStore(sql`insert into kysely_migration (name, timestamp) values ('9999_from_a_newer_version', '2027-01-01T00:00:00.000Z')`);
      const doctor = await tagbaseHere(['doctor', '-d', own.url], ENGLISH);
      expect([doctor.code, doctor.stderr]).toEqual([6, '']);
      expect(doctor.stdout).toContain('store problem: brought up to date by a newer version of tagbase (1 migration not in this one: 9999_from_a_newer_version): run that version or a later one\n');
      expect((await tagbaseHere(['doctor', '-d', own.url], CHINESE)).stdout).toContain('数据库问题：已由更新版本的 tagbase 升级（本版本没有其中 1 个迁移：9999_from_a_newer_version）：请运行该版本或更新的版本\n');
    });
  });
}

describe('tagbase doctor on a damaged SQLite file', () => {
  const whole = join(dir, 'whole.db');
  beforeAll(async () => {
    expect((await tagbaseHere(['migrate', '-d', whole], ENGLISH)).code).toBe(0);
  });

  /** A store with a table of many pages at the end of the file, whose last page is then overwritten: damage the opening's check of the first pages does not read. */
  function damagedDeep(): string {
    const database = new Database(whole);
    database.exec("create table filler (text text); insert into filler (text) select printf('%.500c', 'x') from (with recursive n(i) as (select 1 union all select i + 1 from n where i < 2000) select i from n)");
    database.close();
    const copy = join(dir, 'damaged-deep.db');
    copyFileSync(whole, copy);
    const pageSize = 4096;
    const fd = openSync(copy, 'r+');
    writeSync(fd, Buffer.alloc(pageSize, 0xde), 0, pageSize, statSync(copy).size - pageSize);
    closeSync(fd);
    return copy;
  }

  it('fails PRAGMA quick_check, said in a line with SQLite’s words, and exits 6', async () => {
    const store = damagedDeep();
    const doctor = await tagbaseHere(['doctor', '-d', store], ENGLISH);
    expect([doctor.code, doctor.stderr]).toEqual([6, '']);
    const lines = doctor.stdout.split('\n');
    expect(lines.slice(0, 2)).toEqual([`store: reachable (SQLite ${store})`, expect.stringMatching(/^store: schema up to date/) as unknown]);
    expect(lines[2]).toMatch(/^store problem: the file is damaged \(PRAGMA quick_check: .+\): restore it from a backup \(tagbase backup makes one\)$/);
    expect(lines[3]).toBe('the tag library was not reviewed: a check of the store above failed');
    expect((await tagbaseHere(['doctor', '-d', store], CHINESE)).stdout).toMatch(/\n数据库问题：文件已损坏（PRAGMA quick_check：.+）：请从备份恢复（tagbase backup 可做备份）\n/);
    const report = JSON.parse((await tagbaseHere(['doctor', '--json', '-d', store], ENGLISH)).stdout) as { store: { checks: Check[] } };
    expect(report.store.checks[2]).toMatchObject({ check: 'integrity', ok: false, problems: [expect.any(String)] });
  });

  it('says a file the opening refuses as a failed check, with the error any command gives, and exits 6', async () => {
    const database = new Database(whole, { readonly: true });
    const { rootpage } = database.prepare("select rootpage from sqlite_master where name = 'tags'").get() as { rootpage: number };
    database.close();
    const store = join(dir, 'tags-overwritten.db');
    copyFileSync(whole, store);
    const fd = openSync(store, 'r+');
    writeSync(fd, Buffer.alloc(64, 0xde), 0, 64, (rootpage - 1) * 4096);
    closeSync(fd);
    const doctor = await tagbaseHere(['doctor', '-d', store], ENGLISH);
    expect([doctor.code, doctor.stderr]).toEqual([6, '']);
    expect(doctor.stdout).toBe(
      `store problem: SQLite ${store} cannot be opened or reached: error STORE_CORRUPT: The store at "${store}" is damaged and cannot be read (database disk image is malformed, in tags): restore it from a backup (\`tagbase backup\` makes one), or name another store with --database or TAGBASE_DATABASE_URL.\nthe tag library was not reviewed: a check of the store above failed\n`,
    );
  });
});

describe('tagbase doctor on a PostgreSQL store out of reach', () => {
  it('says it cannot be reached, the password hidden, and exits 6', async () => {
    // Nothing listens on this port.
    const doctor = await tagbaseHere(['doctor', '-d', 'postgres://tagbase:secret@127.0.0.1:8639/shop'], ENGLISH);
    expect([doctor.code, doctor.stderr]).toEqual([6, '']);
    expect(doctor.stdout).toMatch(/^store problem: PostgreSQL postgres:\/\/tagbase:\*\*\*@127\.0\.0\.1:8639\/shop cannot be opened or reached: error STORE_UNAVAILABLE: .*ECONNREFUSED.*\nthe tag library was not reviewed: a check of the store above failed\n$/);
    expect(doctor.stdout).not.toContain('secret');
  });
});

describe('the PostgreSQL server version check', () => {
  it('passes from 12 on and says an older server is to be upgraded, in English and Chinese', () => {
    expect(serverVersionCheck('12.0', '120000')).toEqual({ check: 'server_version', ok: true, version: '12.0', major: 12 });
    const old = serverVersionCheck('11.22 (Debian 11.22-1.pgdg120+1)', '110022');
    expect(old).toEqual({ check: 'server_version', ok: false, version: '11.22', major: 11 });
    expect(formatStoreChecks([old], 'en')).toEqual(['store problem: PostgreSQL 11.22 is older than 12, which tagbase needs: upgrade the server']);
    expect(formatStoreChecks([old], 'zh-CN')).toEqual(['数据库问题：PostgreSQL 11.22 低于 tagbase 需要的 12：请升级服务器']);
  });
});
