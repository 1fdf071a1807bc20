// A store a copy did not finish (`tagbase_copy_unfinished` in it, as a copy killed outright leaves
// it) is refused by every command that writes (a server above all, and a read the audit trail
// records), before they write anything: the next copy into it would empty it, and what they wrote
// with it. Commands that only read open it,
// making nothing in it (no default workspace), and say a workspace it lacks is missing for that.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openStore } from '../../src/store/connect.js';
import { COPIED_TABLES } from '../../src/store/copy.js';
import { storeKinds, type StoreKind } from '../support/stores.js';
import { ownStore, type OwnStore } from './own-store.js';
import { ENGLISH, tagbase, tagbaseHere } from './run-tagbase.js';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

/** The mark as a copy leaves it when killed: made as it begins to write, naming its source, dropped as its last step. */
async function markUnfinished(url: string, source: string, startedAt: number): Promise<void> {
  const store = await openStore(url);
  try {
    await sql`create table tagbase_copy_unfinished (source text not null, started_at bigint not null)`.execute(store.db);
    await sql`insert into tagbase_copy_unfinished (source, started_at) values (${source}, ${startedAt})`.execute(store.db);
  } finally {
    await store.close();
  }
}

/** How many rows every table of the store holds, the migrator's own and the mark included. */
async function rowCounts(url: string): Promise<Record<string, number>> {
  const store = await openStore(url);
  try {
    const counts: Record<string, number> = {};
    for (const table of [...COPIED_TABLES.map(({ table }) => table), 'kysely_migration', 'tagbase_copy_unfinished']) {
      const { rows } = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)}`.execute(store.db);
      counts[table] = Number(rows[0]?.n ?? 0);
    }
    return counts;
  } finally {
    await store.close();
  }
}

describe('a store holding an unfinished copy', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tagbase-copy-unfinished-start-'));
  const source = join(dir, 'source.db');
  const customers = join(dir, 'customers.csv');
  const owned: OwnStore[] = [];

  beforeAll(async () => {
    for (const args of [['migrate'], ['workspace', 'create', 'shop']]) {
      const result = await tagbaseHere([...args, '--database', source], ENGLISH);
      expect(result.code, result.stderr).toBe(0);
    }
    writeFileSync(customers, 'id,name\nU-1,王芳\n');
  });

  afterAll(async () => {
    for (const store of owned) await store.dispose();
  });

  /**
   * A copy of `from` into a store of its own, left as a copy killed outright leaves it: the mark
   * there and, as one killed just after it began to write, the workspaces `removed` gone. With the
   * rows it holds then, and the line a command refused on it prints.
   */
  async function copyLeftUnfinished(kind: StoreKind, from: string, removed: 'none' | 'default' | 'all') {
    const target = await ownStore(kind, mkdtempSync(join(dir, `${kind}-`)), 'copy_unfinished');
    owned.push(target);
    const copied = await tagbaseHere(['store', 'copy', '--database', from, '--to', target.url], ENGLISH);
    expect(copied.code, copied.stderr).toBe(0);
    if (removed !== 'none') {
      const store = await openStore(target.url);
      try {
        await (removed === 'all' ? sql`delete from workspaces` : sql`delete from workspaces where key = 'default'`).execute(store.db);
      } finally {
        await store.close();
      }
    }
    await markUnfinished(target.url, from, Date.parse('2026-06-15T10:00:00Z'));
    const shown = kind === 'sqlite' ? target.url : target.url.replace(/^(postgres(?:ql)?:\/\/[^:@/]+):[^@]*@/, '$1@');
    const refusal = `error STORE_COPY_UNFINISHED: ${shown} holds an unfinished copy of ${from}, begun 2026-06-15T10:00:00.000Z: a copy into it did not finish, and the next copy into it empties it first, whatever was written since. Run the copy again (\`tagbase store copy --database ${from} --to ${shown}\`), or, to keep what it holds as it is, drop the mark of the unfinished copy in it: \`drop table tagbase_copy_unfinished\`\n`;
    return { target, refusal, before: await rowCounts(target.url) };
  }

  for (const kind of storeKinds()) {
    it(`stops serve and import with one line naming the copy to run again and the mark to drop, writing nothing; reads go on [${kind}]`, async () => {
      const { target, refusal, before } = await copyLeftUnfinished(kind, source, 'none');

      // The server as a user starts it, from the build.
      const served = tagbase(['serve', '--database', target.url, '--port', '8322'], ENGLISH);
      expect(served.code, served.stderr).toBe(1);
      expect(served.stdout).toBe('');
      expect(served.stderr).toBe(refusal);
      const inChinese = await tagbaseHere(['import', 'customers', customers, '--database', target.url], { LANG: 'zh_CN.UTF-8', LC_ALL: '', LC_MESSAGES: '' });
      expect(inChinese.code).toBe(1);
      expect(inChinese.stderr).toMatch(/^错误 STORE_COPY_UNFINISHED：.* 中有一次从 .* 开始于 2026-06-15T10:00:00\.000Z 的复制没有完成：.*`drop table tagbase_copy_unfinished`\n$/);
      expect(await rowCounts(target.url)).toEqual(before);

      // A command that only reads opens it as it is.
      const listed = await tagbaseHere(['workspace', 'list', '--database', target.url], ENGLISH);
      expect(listed.code, listed.stderr).toBe(0);
      expect(listed.stdout).toMatch(/^shop /m);

      // The mark dropped as the line says, the data is kept and written to.
      const store = await openStore(target.url);
      try {
        await sql`drop table tagbase_copy_unfinished`.execute(store.db);
      } finally {
        await store.close();
      }
      const imported = await tagbaseHere(['import', 'customers', customers, '--workspace', 'shop', '--database', target.url], ENGLISH);
      expect(imported.code, imported.stderr).toBe(0);
    });

    it(`reads without making anything in it, and says a workspace it lacks is missing because the copy did not finish [${kind}]`, async () => {
      const { target, refusal, before } = await copyLeftUnfinished(kind, source, 'all');

      // No default workspace is made for them, and each says why there is nothing to read.
      for (const args of [['workspace', 'list'], ['tag', 'list'], ['segment', 'list'], ['customer', 'find', '王'], ['customer', 'erasures', 'U-1'], ['tag', 'transitions', 'rfm', '-w', 'shop']]) {
        const read = await tagbaseHere([...args, '--database', target.url], ENGLISH);
        expect([args.join(' '), read.code, read.stdout, read.stderr]).toEqual([args.join(' '), 1, '', refusal]);
      }
      expect(await rowCounts(target.url)).toEqual(before);
    });

    it(`refuses every command that writes, writing nothing, and a read recorded in the audit trail; reads go on [${kind}]`, async () => {
      // A source with something to change in it: a customer, a tag and a saved segment in `shop`.
      const full = join(mkdtempSync(join(dir, `full-${kind}-`)), 'source.db');
      for (const args of [
        ['migrate'],
        ['workspace', 'create', 'shop'],
        ['import', 'customers', customers, '-w', 'shop'],
        ['tag', 'create', '兴趣爱好', '-v', '高尔夫,瑜伽', '-w', 'shop'],
        ['segment', 'save', 'big', 'spend_365d >= 5000', '-w', 'shop'],
      ]) {
        const result = await tagbaseHere([...args, '--database', full], ENGLISH);
        expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
      }
      const { target, refusal, before } = await copyLeftUnfinished(kind, full, 'default');

      const writes = [
        ['tag', 'assign', '兴趣爱好', '高尔夫', 'U-1', '-w', 'shop'],
        ['tag', 'update', '兴趣爱好', '--add-value', '跑步', '-w', 'shop'],
        ['workspace', 'create', 'north'],
        ['recompute', '-w', 'shop'],
        ['segment', 'delete', 'big', '--yes', '-w', 'shop'],
        ['segment', 'snapshot', 'big', '-w', 'shop'],
        ['tick'],
        ['migrate'],
        ['token', 'create', '导购-王芳', '--role', 'operator'],
        ['care', 'run', '-w', 'shop'],
        ['webhook', 'add', 'https://crm.example.com/hooks/tagbase', '-w', 'shop'],
      ];
      for (const args of writes) {
        const refused = await tagbaseHere([...args, '--database', target.url], ENGLISH);
        expect([args.join(' '), refused.code, refused.stdout, refused.stderr]).toEqual([args.join(' '), 1, '', refusal]);
      }
      // A read recorded in the audit trail is a write into the store.
      for (const args of [['customer', 'show', 'U-1', '-w', 'shop'], ['customer', 'find', '王', '-w', 'shop'], ['care', 'reminders', '-w', 'shop']]) {
        const refused = await tagbaseHere([...args, '--database', target.url], { ...ENGLISH, TAGBASE_AUDIT_READS: 'on' });
        expect([args.join(' '), refused.code, refused.stdout, refused.stderr]).toEqual([args.join(' '), 1, '', refusal]);
      }
      expect(await rowCounts(target.url)).toEqual(before);

      // Reads, unrecorded, go on, and write nothing either.
      for (const args of [['customer', 'show', 'U-1', '-w', 'shop'], ['tag', 'list', '-w', 'shop'], ['segment', 'list', '-w', 'shop'], ['doctor', '-w', 'shop']]) {
        const read = await tagbaseHere([...args, '--database', target.url], ENGLISH);
        expect([args.join(' '), read.stderr]).toEqual([args.join(' '), '']);
        expect(read.code === 0 || args[0] === 'doctor', `${args.join(' ')}: ${read.code}`).toBe(true);
      }
      expect((await tagbaseHere(['customer', 'show', 'U-1', '-w', 'shop', '--database', target.url], ENGLISH)).stdout).toContain('王芳');
      expect(await rowCounts(target.url)).toEqual(before);
    });

    it(`reads a workspace the copy brought, and says one it did not bring is missing because the copy did not finish [${kind}]`, async () => {
      const { target, before } = await copyLeftUnfinished(kind, source, 'default');
      expect(await tagbaseHere(['tag', 'list', '-w', 'shop', '--database', target.url], ENGLISH)).toMatchObject({ code: 0, stderr: '' });
      const missing = await tagbaseHere(['tag', 'list', '--database', target.url], { LANG: 'zh_CN.UTF-8', LC_ALL: '', LC_MESSAGES: '' });
      expect([missing.code, missing.stdout]).toEqual([1, '']);
      expect(missing.stderr).toMatch(/^错误 STORE_COPY_UNFINISHED：.* 中有一次从 .* 开始于 2026-06-15T10:00:00\.000Z 的复制没有完成：.*`drop table tagbase_copy_unfinished`\n$/);
      expect(await rowCounts(target.url)).toEqual(before);
      // The next command, in the same process, on a store no copy left unfinished, says only what it finds there.
      const elsewhere = await tagbaseHere(['tag', 'list', '-w', 'nosuch', '--database', source], ENGLISH);
      expect([elsewhere.code, elsewhere.stderr]).toEqual([1, expect.stringMatching(/^error WORKSPACE_NOT_FOUND/)]);
    });
  }
});
