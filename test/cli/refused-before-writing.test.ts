// A command that changes what the store holds (tag assign, recompute, workspace create, segment
// delete) checks that it may write before it does anything, as `serve`, `demo` and `import` do: on
// a read-only SQLite file, or as a PostgreSQL role that may read but not write (one made for
// reports), it stops at once with the line that says so and what to put right, rather than at its
// first write, after its work (a recompute's), or with another complaint found on the way (a tag or
// workspace not there). Commands that only read go on. The same body on both stores.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { asAdmin } from '../support/pg-admin.js';
import { storeKinds, type StoreKind } from '../support/stores.js';
import { ownStore, type OwnStore } from './own-store.js';
import { BIN, ENGLISH, tagbaseHere, type CommandResult } from './run-tagbase.js';

vi.setConfig({ testTimeout: 120_000 });

/** Root writes any file whatever its mode: the read-only file is then opened as `nobody`. */
const asOther = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** A store that may be read but not written, and how to run a command on it. */
interface ReadOnlyStore {
  /** `tagbase ARGS -d URL` as the one that may only read. */
  run(args: string[]): Promise<CommandResult>;
  /** The line such a command is refused with, before it does anything. */
  refusal: RegExp;
  /** Puts things back as they were. */
  dispose(): Promise<void>;
}

/** The SQLite file made read-only for the user a command runs as, in a folder it may write (for the -wal and -shm files). */
function readOnlyFile(dir: string, file: string): ReadOnlyStore {
  chmodSync(dir, 0o777);
  chmodSync(file, 0o444);
  return {
    run: async (args) => {
      const ran = spawnSync(process.execPath, [BIN, ...args, '-d', file], { encoding: 'utf8', env: { ...process.env, ...ENGLISH, TAGBASE_DATABASE_URL: '' }, timeout: 60_000, cwd: dir, ...asOther });
      return { code: ran.status, stdout: ran.stdout, stderr: ran.stderr };
    },
    refusal: new RegExp(`^error STORE_NOT_WRITABLE: The store cannot be written: ${escaped(file)}: attempt to write a readonly database: check that the file and its folder may be written by the user this runs as, and that the disk has room; nothing was changed\n$`),
    dispose: async () => chmodSync(file, 0o644),
  };
}

/** A role granted `select` alone on the store's schema: one made for reports. */
async function reportingRole(url: string): Promise<ReadOnlyStore> {
  const named = new URL(url);
  const schema = /search_path=(\w+)/.exec(decodeURIComponent(named.search))?.[1] ?? 'public';
  const role = `t_report_${randomBytes(4).toString('hex')}`;
  await asAdmin((admin) => admin.query(`create role ${role} login; grant usage on schema ${schema} to ${role}; grant select on all tables in schema ${schema} to ${role}`));
  named.username = role;
  const asRole = named.toString();
  const grants = `grant usage on schema ${schema} to ${role}; grant select, insert, update, delete on all tables in schema ${schema} to ${role}; grant usage on all sequences in schema ${schema} to ${role}`;
  return {
    run: (args) => tagbaseHere([...args, '-d', asRole], { ...ENGLISH, TAGBASE_DATABASE_URL: '' }),
    refusal: new RegExp(
      `^error STORE_PERMISSION_DENIED: The database role lacks rights the store needs: ${escaped(asRole)}: the role ${role} may read the store but not write it: it lacks insert, update, delete on \\d+ tables \\([^)]*\\) and usage on \\d+ sequences \\([^)]*\\), and tagbase writes to every table of the store: as the schema's owner \\w+, run \`${escaped(grants)}\`; or connect as \\w+\n$`,
    ),
    dispose: () =>
      asAdmin(async (admin) => {
        await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where usename = $1', [role]);
        await admin.query(`drop owned by ${role}; drop role ${role}`);
      }),
  };
}

for (const kind of storeKinds() as StoreKind[]) {
  describe(`a command that changes the store, on one it may read but not write [${kind}]`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'tagbase-cli-refused-before-writing-'));
    let store: OwnStore | undefined;
    let readOnly: ReadOnlyStore | undefined;
    /** `tagbase ARGS -d URL` as the store's owner, who may write it. */
    const asOwner = (args: string[]) => tagbaseHere([...args, '-d', store?.url ?? ''], { ...ENGLISH, TAGBASE_DATABASE_URL: '' });
    const owned = async (args: string[]) => {
      const ran = await asOwner(args);
      expect([args, ran.code, ran.stderr]).toEqual([args, 0, '']);
      return ran.stdout;
    };
    const sqliteBytes = () => (kind === 'sqlite' ? readFileSync(store?.url ?? '') : undefined);
    let before: Buffer | undefined;

    beforeAll(async () => {
      store = await ownStore(kind, dir, 't_cli_refused');
      const customers = join(dir, 'customers.csv');
      writeFileSync(customers, 'id,name\nC1,何军\nC2,梁静\n');
      await owned(['import', 'customers', customers]);
      await owned(['tag', 'create', '渠道', '--values', '线上,线下']);
      await owned(['tag', 'assign', '渠道', '线上', 'C1']);
      await owned(['segment', 'save', 'everyone', 'spend_365d >= 0']);
      readOnly = kind === 'sqlite' ? readOnlyFile(dir, store.url) : await reportingRole(store.url);
      before = sqliteBytes();
    });

    afterAll(async () => {
      await readOnly?.dispose();
      await store?.dispose();
      rmSync(dir, { recursive: true, force: true });
    });

    it.each([
      ['tag assign', ['tag', 'assign', '渠道', '线下', 'C2']],
      ['tag assign, of a tag not there', ['tag', 'assign', '不存在', '是', 'C2']],
      ['recompute', ['recompute']],
      ['recompute, of a workspace not there', ['recompute', '-w', 'nowhere']],
      ['workspace create', ['workspace', 'create', 'shop2', '-n', '二号店']],
      ['segment delete', ['segment', 'delete', 'everyone', '--yes']],
    ])('%s is refused at once, naming what to put right', async (_name, args) => {
      const ran = await readOnly?.run(args);
      expect([ran?.code, ran?.stdout]).toEqual([1, '']);
      expect(ran?.stderr).toMatch(readOnly?.refusal ?? /never/);
    });

    it('tag list and customer show still read it', async () => {
      const listed = await readOnly?.run(['tag', 'list']);
      expect([listed?.code, listed?.stderr]).toEqual([0, '']);
      expect(listed?.stdout).toContain('渠道');
      const shown = await readOnly?.run(['customer', 'show', 'C1']);
      expect([shown?.code, shown?.stderr]).toEqual([0, '']);
      expect(shown?.stdout).toContain('线上');
    });
    it('wrote nothing', async () => {
      if (kind === 'sqlite') {
        expect(sqliteBytes()?.equals(before ?? Buffer.alloc(0))).toBe(true);
        const wal = `${store?.url ?? ''}-wal`;
        expect(statSync(wal, { throwIfNoEntry: false })?.size ?? 0).toBe(0);
      }
      expect(await owned(['workspace', 'list'])).not.toContain('shop2');
      expect(await owned(['segment', 'list'])).toContain('everyone');
      const shown = await owned(['customer', 'show', 'C2']);
      expect(shown).not.toContain('线下');
    });

  });
}
