// `tagbase store copy --to URL`: a whole store, every workspace and table, into an empty store of
// either kind, ids and id counters kept, read as of one moment while another connection writes;
// refused into a store that holds data and from one a migration is missing from.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sql } from 'kysely';
import { openStore, type Store } from '../../src/store/connect.js';
import { COPIED_TABLES, SKIPPED_TABLES } from '../../src/store/copy.js';
import { storeKinds } from '../support/stores.js';
import { ownStore, type OwnStore } from './own-store.js';
import { tagbaseHere } from './run-tagbase.js';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const EN = { LANG: 'en_US.UTF-8', LC_ALL: '', LC_MESSAGES: '' };

function run(args: string[]) {
  return tagbaseHere(args, EN);
}

/** Every row of every copied table, each table's rows in the order of their key, as the store gives them. */
async function tablesOf(url: string): Promise<Record<string, Record<string, unknown>[]>> {
  const store = await openStore(url);
  try {
    const tables: Record<string, Record<string, unknown>[]> = {};
    for (const { table, key } of COPIED_TABLES) {
      const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(store.db)).rows;
      // Sorted here: the two stores order text by different collations.
      const keyOf = (row: Record<string, unknown>) => JSON.stringify(key.map((column) => row[column]));
      tables[table] = rows.map((row) => Object.fromEntries(Object.keys(row).sort().map((column) => [column, row[column]]))).sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
    }
    return tables;
  } finally {
    await store.close();
  }
}

async function withStore<T>(url: string, work: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(url);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

/** What the engine answers on a store: a saved segment's count and a customer's portrait. */
async function answers(database: string) {
  const count = await run(['segment', 'count', '--segment', '重要价值客户', '-w', 'demo', '--database', database]);
  const portrait = await run(['customer', 'show', 'C000001', '-w', 'demo', '--json', '--database', database]);
  expect(count.code, count.stderr).toBe(0);
  expect(portrait.code, portrait.stderr).toBe(0);
  return { count: count.stdout.replace(/, counted in .*$/s, ''), portrait: JSON.parse(portrait.stdout) as unknown };
}

describe('tagbase store copy', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tagbase-store-copy-'));
  const source = join(dir, 'source.db');
  const owned: OwnStore[] = [];
  let highestChange = 0;

  beforeAll(async () => {
    // A realistic workspace: the demo's customers, events, tags, models, segments and care plans,
    // and beside them a rule tag, a snapshot, a webhook, a token, an export, a merge and an erasure.
    const steps = [
      ['demo', '-c', '200', '-e', '4'],
      ['tag', 'create', '高潜', '--key', 'potential', '--values', '高,低', '--kind', 'rule', '-c', '高=orders_total >= 3', '-c', '低=orders_total < 3', '-w', 'demo'],
      ['segment', 'snapshot', '重要价值客户', '-w', 'demo'],
      ['webhook', 'add', 'http://127.0.0.1:8517/hooks', '-t', 'customer_changes', '-w', 'demo'],
      ['token', 'create', '管理员-李娜', '--role', 'admin'],
      ['segment', 'export', '--segment', '重要价值客户', '-o', join(dir, 'vip.csv'), '-w', 'demo'],
      ['customer', 'merge', 'C000002', '--into', 'C000001', '--yes', '-w', 'demo'],
      ['customer', 'erase', 'C000003', '--yes', '-w', 'demo'],
      ['workspace', 'create', 'shop-hz', '--name', '杭州店'],
    ];
    for (const args of steps) {
      const result = await run([...args, '--database', source]);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
    }
    const file = new Database(source);
    // Bytes (a watched segment's members) and an index snapshot, which is left out.
    file.prepare("insert into segment_members_seen (segment_id, workspace_id, members, member_count, position, seen_at) select id, workspace_id, x'3a300000010000000000', 1, 5, 1 from segments limit 1").run();
    file.prepare("insert into index_snapshots (workspace_id, version, position, polled_at, fingerprint, checksum, bytes, parts, created_at) values (1, 'v', 1, 1, 'f', 'c', 0, 0, 1)").run();
    // The change log's last entry dropped: its id is given out, and must not be given again.
    highestChange = (file.prepare('select max(id) as id from changes').get() as { id: number }).id;
    file.prepare('delete from changes where id = ?').run(highestChange);
    file.close();
  });

  afterAll(async () => {
    for (const store of owned) await store.dispose();
  });

  for (const kind of storeKinds()) {
    it(`copies every table into an empty ${kind} store and back, ids and counters kept, while another connection writes the source [${kind}]`, async () => {
      const target = await ownStore(kind, join(dir, `to-${kind}`), 'copy');
      owned.push(target);
      // Standing for the server: a write under way in the source, not committed while the copy reads.
      const writer = new Database(source);
      writer.exec("begin immediate; insert into audit_log (workspace_id, actor, source, action, target, status, at) values (null, 'x', 'cli', 'uncommitted', '/', null, 1)");
      const copied = await run(['store', 'copy', '--database', source, '--to', target.url]);
      writer.exec('rollback');
      writer.close();
      expect(copied.code, copied.stderr).toBe(0);
      expect(copied.stderr).toContain('customers: 199 / 199 rows copied\n');
      expect(copied.stderr).toContain('events: ');
      expect(copied.stderr.split('\n').filter((line) => line !== '')).toHaveLength(COPIED_TABLES.length);
      expect(copied.stdout).toMatch(new RegExp(`^copied .*source\\.db to .*: ${COPIED_TABLES.length} tables, [\\d,]+ rows, each table's rows counted alike in both`));

      const original = await tablesOf(source);
      expect(original.audit_log?.some((row) => row.action === 'uncommitted')).toBe(false);
      expect(original.customers?.some((row) => row.merged_into !== null)).toBe(true);
      expect(original.customer_erasures).toHaveLength(1);
      expect(original.segment_snapshot_members?.length).toBeGreaterThan(0);
      expect(await tablesOf(target.url)).toEqual(original);
      // Skipped: the server builds its index again.
      await withStore(target.url, async (store) => {
        for (const table of SKIPPED_TABLES) expect(await store.db.selectFrom(table).selectAll().execute()).toEqual([]);
      });

      // Back into a SQLite file not there yet: the same rows again.
      const back = join(dir, `back-from-${kind}.db`);
      const returned = await run(['store', 'copy', '--database', target.url, '--to', back]);
      expect(returned.code, returned.stderr).toBe(0);
      expect(await tablesOf(back)).toEqual(original);

      // The engine answers the same on the copies.
      const before = await answers(source);
      expect(await answers(target.url)).toEqual(before);
      expect(await answers(back)).toEqual(before);

      // New rows on the copy take ids past the source's, a dropped log entry's included.
      const customers = join(dir, `new-${kind}.csv`);
      writeFileSync(customers, 'id,name\nC900001,新客户\n');
      expect((await run(['import', 'customers', customers, '-w', 'demo', '--database', target.url])).code).toBe(0);
      expect((await run(['tag', 'create', '新标签', '--key', 'fresh', '--values', '是', '-w', 'demo', '--database', target.url])).code).toBe(0);
      const highest = (rows: Record<string, unknown>[] | undefined) => Math.max(...(rows ?? []).map((row) => Number(row.id)));
      await withStore(target.url, async (store) => {
        const customer = await store.db.selectFrom('customers').select('id').where('external_id', '=', 'C900001').executeTakeFirstOrThrow();
        expect(customer.id).toBe(highest(original.customers) + 1);
        const tag = await store.db.selectFrom('tags').select('id').where('key', '=', 'fresh').executeTakeFirstOrThrow();
        expect(tag.id).toBe(highest(original.tags) + 1);
        const change = await store.db.selectFrom('changes').select((eb) => eb.fn.min('id').as('id')).where('id', '>', highest(original.changes)).executeTakeFirstOrThrow();
        expect(Number(change.id)).toBeGreaterThan(highestChange);
      });
    });
  }

  it('refuses a store that holds data, naming what it holds, and leaves it as it was', async () => {
    const target = join(dir, 'holding.db');
    expect((await run(['migrate', '--database', target])).code).toBe(0);
    expect((await run(['workspace', 'create', 'mine', '--database', target])).code).toBe(0);
    const refused = await run(['store', 'copy', '--database', source, '--to', target]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      `error VALIDATION_FAILED: ${target} already holds data (workspaces, audit_log): copy into an empty store, a new PostgreSQL database or schema, or a SQLite file that is not there yet; a copy that stopped partway is dropped first\n`,
    );
    expect((await tablesOf(target)).workspaces?.map((row) => row.key)).toEqual(['default', 'mine']);
    // A store with nothing but the default workspace a migration made is empty.
    const migrated = join(dir, 'migrated.db');
    expect((await run(['migrate', '--database', migrated])).code).toBe(0);
    expect((await run(['store', 'copy', '--database', source, '--to', migrated])).code).toBe(0);
    expect((await tablesOf(migrated)).workspaces).toEqual((await tablesOf(source)).workspaces);
    // Nor is a store copied onto itself.
    const itself = await run(['store', 'copy', '--database', source, '--to', source]);
    expect(itself.code).toBe(1);
    expect(itself.stderr).toMatch(/^error VALIDATION_FAILED: --to names the store copied from/);
  });

  /** A small store of its own: a workspace with two customers, their phones and an event each. */
  async function smallSource(name: string): Promise<string> {
    const file = join(dir, `${name}.db`);
    const customers = join(dir, `${name}-customers.csv`);
    writeFileSync(customers, 'id,name,phone\nC1,王芳,13800138001\nC2,李娜,13800138002\n');
    const events = join(dir, `${name}-events.csv`);
    writeFileSync(events, 'customer_id,type,occurred_at,properties.note\nC1,visit,2026-11-01 10:00:00,A1\nC2,visit,2026-11-02 10:00:00,B2\n');
    for (const args of [['migrate'], ['workspace', 'create', 'shop'], ['import', 'customers', customers, '-w', 'shop'], ['import', 'events', events, '-w', 'shop']]) {
      const result = await run([...args, '--database', file]);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
    }
    return file;
  }

  for (const kind of storeKinds()) {
    it(`leaves the ${kind} store it had begun to write empty when the copy fails partway, and the same command copies once the cause is put right [${kind}]`, async () => {
      const from = await smallSource(`broken-for-${kind}`);
      // Written by another program with foreign keys off: a phone of a customer who is not there, which the target refuses after the customers are copied.
      const file = new Database(from);
      file.pragma('foreign_keys = off');
      file.prepare("insert into identities (workspace_id, kind, value, customer_id) select workspace_id, 'phone', '13900000000', 999999 from customers limit 1").run();
      file.close();
      const target = await ownStore(kind, mkdtempSync(join(dir, `partway-${kind}-`)), 'copy_partway');
      owned.push(target);
      // A SQLite file the copy did not make (one it makes is removed): migrated, with nothing in it.
      if (kind === 'sqlite') expect((await run(['migrate', '--database', target.url])).code).toBe(0);

      const failed = await run(['store', 'copy', '--database', from, '--to', target.url]);
      expect(failed.code).toBe(1);
      expect(failed.stderr).toContain('customers: 2 / 2 rows copied\n');
      expect(failed.stderr).toContain(`the copy stopped partway: what it had written into ${target.url} was taken out again, leaving it empty; once the cause below is put right, run the same command again\n`);
      expect(failed.stderr).toMatch(/foreign key/i);
      for (const [table, rows] of Object.entries(await tablesOf(target.url))) expect(rows, table).toEqual([]);

      const fixing = new Database(from);
      fixing.prepare('delete from identities where customer_id = 999999').run();
      fixing.close();
      const again = await run(['store', 'copy', '--database', from, '--to', target.url]);
      expect(again.code, again.stderr).toBe(0);
      expect(await tablesOf(target.url)).toEqual(await tablesOf(from));
      // The id counters start again from the source's, not from the rows the failed copy had written.
      expect((await run(['workspace', 'create', 'next', '--database', target.url])).code).toBe(0);
      await withStore(target.url, async (store) => {
        const next = await store.db.selectFrom('workspaces').select('id').where('key', '=', 'next').executeTakeFirstOrThrow();
        expect(next.id).toBe(Math.max(...((await tablesOf(from)).workspaces ?? []).map((row) => Number(row.id))) + 1);
      });
    });
  }

  if (storeKinds().includes('postgres')) {
    it('refuses to copy text holding the NUL character into PostgreSQL before writing anything, naming each column and its first row, with a statement that takes it out', async () => {
      const from = await smallSource('nul');
      const file = new Database(from);
      // As an older version or another program could write it: tagbase refuses it on the way in.
      file.prepare("update customers set name = 'Bo' || char(0) || 'b' where external_id = 'C2'").run();
      file.prepare("update events set properties = replace(properties, 'A1', 'A' || char(0) || char(0) || '1')").run();
      file.prepare("update events set properties = replace(properties, 'B2', 'B' || char(0) || '2')").run();
      const ids = {
        customer: (file.prepare("select id from customers where external_id = 'C2'").get() as { id: number }).id,
        event: (file.prepare("select min(id) as id from events where instr(cast(properties as blob), x'00') > 0").get() as { id: number }).id,
      };
      file.close();
      const target = await ownStore('postgres', dir, 'copy_nul');
      owned.push(target);

      const refused = await run(['store', 'copy', '--database', from, '--to', target.url]);
      expect(refused.code).toBe(1);
      const statement = `update customers set name = cast(substr(cast(name as blob), 1, instr(cast(name as blob), x'00') - 1) || substr(cast(name as blob), instr(cast(name as blob), x'00') + 1) as text) where typeof(name) = 'text' and instr(cast(name as blob), x'00') > 0`;
      expect(refused.stderr).toBe(
        `error VALIDATION_FAILED: ${from} holds text with the NUL character (U+0000), which PostgreSQL cannot store: customers.name in the row id ${ids.customer}; events.properties in 2 rows, the first id ${ids.event}. Nothing was written into ${target.url}. Take the character out of those values in the source (tagbase refuses it on the way in: it came from an older version or another program), then copy again; for example, with the server stopped, \`sqlite3 ${from} "${statement}"\` takes one out of each value of customers.name (run it until it changes no row; likewise for any other column named)\n`,
      );
      const zh = await tagbaseHere(['store', 'copy', '--database', from, '--to', target.url], { LANG: 'zh_CN.UTF-8', LC_ALL: '', LC_MESSAGES: '' });
      expect(zh.stderr).toContain(`错误 VALIDATION_FAILED：${from} 中有含 NUL 字符（U+0000）的文本，PostgreSQL 无法保存：customers.name（id ${ids.customer} 这一行）；events.properties（2 行，第一行 id ${ids.event}）。`);
      // The target was not touched: not even migrated.
      await withStore(target.url, async (store) => {
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from information_schema.tables where table_schema = current_schema()`.execute(store.db);
        expect(rows[0]?.n).toBe(0);
      });

      // The statement the refusal gives, run as it says (until it changes no row) on each column named, puts the source right.
      const fixing = new Database(from);
      for (const [table, column] of [['customers', 'name'], ['events', 'properties']] as const) {
        const own = statement.replaceAll('customers', table).replaceAll('name', column);
        while (fixing.prepare(own).run().changes > 0);
      }
      fixing.close();
      const copied = await run(['store', 'copy', '--database', from, '--to', target.url]);
      expect(copied.code, copied.stderr).toBe(0);
      const tables = await tablesOf(target.url);
      expect(tables.customers?.map((row) => row.name).sort()).toEqual(['Bob', '王芳']);
      expect(tables.events?.map((row) => (JSON.parse(String(row.properties)) as { note: string }).note).sort()).toEqual(['A1', 'B2']);
      expect(tables).toEqual(await tablesOf(from));
    });
  }

  it('refuses to copy text holding a lone surrogate before writing anything, naming each column and its first row, and copies Korean text and U+FFFD as they are', async () => {
    const from = await smallSource('surrogate');
    const file = new Database(from);
    // As an older version wrote 王\ud800: the surrogate's three bytes, which read back as three U+FFFD.
    file.prepare("update customers set name = cast(x'E78E8BEDA080' as text) where external_id = 'C1'").run();
    const id = (file.prepare("select id from customers where external_id = 'C1'").get() as { id: number }).id;
    file.close();
    const target = join(dir, 'from-surrogate.db');

    const refused = await run(['store', 'copy', '--database', from, '--to', target]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      `error VALIDATION_FAILED: ${from} holds text with a lone UTF-16 surrogate (U+D800–U+DFFF without its pair, half of a character), which no store keeps as it is: the copy would hold U+FFFD (�) in its place: customers.name in the row id ${id}. Nothing was written into ${target}. Put those values right in the source (tagbase refuses such text on the way in: it came from an older version or another program), writing them again whole or without the broken character, then copy again\n`,
    );
    expect(existsSync(target)).toBe(false);

    // Korean syllables start with the same byte (ED 80–9F), and a replacement character is text like any other.
    const fixing = new Database(from);
    fixing.prepare("update customers set name = '한국어 \uFFFD' where external_id = 'C1'").run();
    fixing.close();
    const copied = await run(['store', 'copy', '--database', from, '--to', target]);
    expect(copied.code, copied.stderr).toBe(0);
    expect(await tablesOf(target)).toEqual(await tablesOf(from));
  });

  if (storeKinds().includes('postgres')) {
    it('reports the NUL character and lone surrogates together when copying into PostgreSQL, before writing anything', async () => {
      const from = await smallSource('nul-and-surrogate');
      const file = new Database(from);
      file.prepare("update customers set name = 'Bo' || char(0) || 'b' where external_id = 'C2'").run();
      file.prepare("update events set properties = replace(properties, 'A1', 'A' || cast(x'EDB080' as text))").run();
      const ids = {
        customer: (file.prepare("select id from customers where external_id = 'C2'").get() as { id: number }).id,
        event: (file.prepare("select id from events where instr(cast(properties as blob), x'EDB080') > 0").get() as { id: number }).id,
      };
      file.close();
      const target = await ownStore('postgres', dir, 'copy_nul_surrogate');
      owned.push(target);

      const refused = await run(['store', 'copy', '--database', from, '--to', target.url]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`which PostgreSQL cannot store: customers.name in the row id ${ids.customer}. Nothing was written into ${target.url}.`);
      expect(refused.stderr).toContain(
        `(run it until it changes no row; likewise for any other column named). It also holds text with a lone UTF-16 surrogate (U+D800–U+DFFF without its pair, half of a character), which no store keeps as it is: the copy would hold U+FFFD (�) in its place: events.properties in the row id ${ids.event}. Put those values right in the source`,
      );
      const zh = await tagbaseHere(['store', 'copy', '--database', from, '--to', target.url], { LANG: 'zh_CN.UTF-8', LC_ALL: '', LC_MESSAGES: '' });
      expect(zh.stderr).toContain(`。其中还有含落单代理项（U+D800–U+DFFF 未成对，半个字符）的文本，任何数据库都无法原样保存，副本中会变成 U+FFFD（�）：events.properties（id ${ids.event} 这一行）。请先在源数据库中改正这些值`);
      await withStore(target.url, async (store) => {
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from information_schema.tables where table_schema = current_schema()`.execute(store.db);
        expect(rows[0]?.n).toBe(0);
      });
    });
  }

  it('refuses a source a migration is missing from, to be migrated first, and changes neither store', async () => {
    const older = join(dir, 'older.db');
    expect((await run(['migrate', '--database', older])).code).toBe(0);
    const made = new Database(older);
    made.exec("alter table tag_history drop column undone_operation; delete from kysely_migration where name = '0045_history_undone_operation'");
    made.close();
    const target = join(dir, 'from-older.db');
    const refused = await run(['store', 'copy', '--database', older, '--to', target]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      `error VALIDATION_FAILED: ${older} is not up to date with this version (1 migration to apply, from 0045_history_undone_operation): run \`tagbase migrate --database ${older}\` first (or start the server on it once), then copy it; the copy is made in this version's layout\n`,
    );
    const names = new Database(older, { readonly: true });
    expect(names.prepare("select count(*) as n from kysely_migration where name = '0045_history_undone_operation'").get()).toEqual({ n: 0 });
    names.close();
    expect(existsSync(target)).toBe(false);
  });
});
