// `tagbase backup FILE`: a copy of a SQLite store as of one moment, what is still in its
// write-ahead log included, taken while another process (the server) has it open; refused for
// PostgreSQL with the tools to use, and never over a file already there.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it, vi } from 'vitest';

vi.setConfig({ testTimeout: 120_000 });

const BIN = join(import.meta.dirname, '../../bin/tagbase.js');

function tagbase(args: string[], cwd?: string) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, LANG: 'en_US.UTF-8', LC_ALL: '', LC_MESSAGES: '' }, timeout: 60_000, ...(cwd === undefined ? {} : { cwd }) });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('tagbase backup', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tagbase-backup-'));
  const database = join(dir, 'store.db');
  let server: Database.Database | undefined;
  afterAll(() => server?.close());

  it('copies the store with what its write-ahead log still holds, while another process has it open', () => {
    expect(tagbase(['migrate', '--database', database]).code).toBe(0);
    // Standing for the server: a connection that keeps the log from being folded into the file.
    server = new Database(database);
    server.pragma('wal_autocheckpoint = 0');
    // A connection joins the log at its first read.
    server.prepare('select count(*) from workspaces').get();
    expect(tagbase(['workspace', 'create', 'shop-hz', '--name', '杭州店', '--database', database]).code).toBe(0);
    // What a copy of the file alone would have: not the new workspace, still in the log.
    const fileOnly = join(dir, 'file-only.db');
    copyFileSync(database, fileOnly);
    const copied = new Database(fileOnly, { readonly: true });
    expect(copied.prepare("select count(*) as n from workspaces where key = 'shop-hz'").get()).toEqual({ n: 0 });
    copied.close();

    const backup = join(dir, 'backup.db');
    const result = tagbase(['backup', backup, '--database', database]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^backed up ${database.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} to .*backup\\.db \\(\\d+\\.\\d MiB\\)\\n$`));
    // The copy is a store of its own, the workspace in it.
    const listed = tagbase(['workspace', 'list', '--database', backup]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain('shop-hz  杭州店');
  });

  it('never overwrites a file, and says where a copy cannot be written', () => {
    const there = join(dir, 'there.db');
    writeFileSync(there, 'keep me');
    const refused = tagbase(['backup', there, '--database', database]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(`error VALIDATION_FAILED: ${there} already exists; a backup never overwrites a file: name another one\n`);
    expect(readFileSync(there, 'utf8')).toBe('keep me');
    // A folder for the file: the name to give instead, in it.
    const folder = tagbase(['backup', dir, '--database', database]);
    expect(folder.code).toBe(1);
    expect(folder.stderr).toMatch(new RegExp(`^error VALIDATION_FAILED: ${dir.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is a folder: name the file to write in it, such as .*/tagbase-\\d{4}-\\d\\d-\\d\\d\\.db\n$`));
    const nowhere = join(dir, 'no-such-folder', 'backup.db');
    const failed = tagbase(['backup', nowhere, '--database', database]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/^error VALIDATION_FAILED: the backup cannot be written to .*no-such-folder\/backup\.db \(.*\): check that its folder exists/);
    expect(existsSync(nowhere)).toBe(false);
  });

  it('leaves nothing under the name, nor beside it, when the copy cannot be written whole, so that it can be taken again', () => {
    const backup = join(dir, 'cut-short.db');
    // Room for a few pages only: the copy fails partway, as on a full disk.
    const limited = spawnSync('/bin/sh', ['-c', `ulimit -f 8; exec "$0" "$@"`, process.execPath, BIN, 'backup', backup, '--database', database], {
      encoding: 'utf8',
      env: { ...process.env, LANG: 'en_US.UTF-8', LC_ALL: '', LC_MESSAGES: '' },
      timeout: 60_000,
    });
    expect(limited.status).toBe(1);
    expect(limited.stderr).toMatch(/^error VALIDATION_FAILED: the backup cannot be written to .*cut-short\.db \(.*\): check that its folder exists, may be written by the user this runs as, and has room\n$/);
    expect(readdirSync(dir).filter((name) => name.startsWith('cut-short'))).toEqual([]);
    // With room, the same name is taken.
    expect(tagbase(['backup', backup, '--database', database]).code).toBe(0);
    expect(readdirSync(dir).filter((name) => name.startsWith('cut-short'))).toEqual(['cut-short.db']);
    expect(tagbase(['workspace', 'list', '--database', backup]).stdout).toContain('shop-hz  杭州店');
  });

  it('refuses a file name that is empty or only spaces, rather than writing a file named by spaces where it runs', () => {
    const here = mkdtempSync(join(tmpdir(), 'tagbase-backup-here-'));
    for (const name of ['', '  ']) {
      const refused = tagbase(['backup', name, '--database', database], here);
      expect(refused.code, JSON.stringify(name)).toBe(1);
      expect(refused.stderr, JSON.stringify(name)).toBe('error VALIDATION_FAILED: name the file to write the backup to, such as /backups/tagbase-2026-12-01.db\n');
    }
    expect(readdirSync(here)).toEqual([]);
  });

  it('copies a store an older version made as it is, not brought up to date first, and refuses a SQLite file tagbase did not make', () => {
    const older = join(dir, 'older.db');
    expect(tagbase(['migrate', '--database', older]).code).toBe(0);
    // The store as the version before the last migration left it.
    const made = new Database(older);
    made.exec("alter table workspaces drop column loading_until; delete from kysely_migration where name = '0028_workspace_loading'");
    const migrations = (file: string) => {
      const db = new Database(file, { readonly: true });
      const names = (db.prepare('select name from kysely_migration order by name').all() as { name: string }[]).map((row) => row.name);
      db.close();
      return names;
    };
    const before = migrations(older);
    made.close();
    const backup = join(dir, 'older-backup.db');
    expect(tagbase(['backup', backup, '--database', older]).code).toBe(0);
    // Neither the store nor its copy was migrated: the copy opens with the version that made it.
    expect(migrations(older)).toEqual(before);
    expect(migrations(backup)).toEqual(before);
    expect(before).not.toContain('0028_workspace_loading');

    const other = join(dir, 'other.db');
    const foreign = new Database(other);
    foreign.exec('create table notes (body text)');
    foreign.close();
    const refused = tagbase(['backup', join(dir, 'other-backup.db'), '--database', other]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(`error VALIDATION_FAILED: ${other} is a SQLite file but no tagbase store (it has no migrations table): check --database or TAGBASE_DATABASE_URL\n`);
    expect(existsSync(join(dir, 'other-backup.db'))).toBe(false);
    const left = new Database(other, { readonly: true });
    expect((left.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[]).map((row) => row.name)).toEqual(['notes']);
    left.close();
  });

  it('points a PostgreSQL store to pg_dump, without its password', () => {
    const result = tagbase(['backup', join(dir, 'pg.dump'), '--database', 'postgres://tagbase:secret@db.example.com/tagbase']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('postgres://tagbase:***@db.example.com/tagbase is a PostgreSQL store: back it up with');
    expect(result.stderr).toContain('pg_dump --format=custom');
    expect(result.stderr).not.toContain('secret');
  });
});
