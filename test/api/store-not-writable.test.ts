// A store that can be read but not written (a SQLite file or folder the server's user may not
// write, a full disk, a PostgreSQL standby) is said to be so: a change is answered 503
// STORE_NOT_WRITABLE and logged with the store and what to check, a command names the store and
// what to check, and the server does not start on it, where it started, answered its health
// check and every read, and failed every change with a bare 500 ("attempt to write a readonly
// database" in its log only).
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/api/server.js';
import { formatCliError } from '../../src/cli/errors.js';
import { noteOpenedStore } from '../../src/cli/store-options.js';
import { assertWritable } from '../../src/store/unavailable.js';
import { openStore, type Store } from '../../src/store/connect.js';
import { ensureWorkspace } from '../../src/engine/workspaces.js';
import { storeKinds } from '../support/stores.js';
import { logInto } from './support.js';

for (const kind of storeKinds()) {
  describe(`a store that refuses writes [${kind}]`, () => {
    let store: Store | undefined;
    let app: FastifyInstance | undefined;
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const log: string[] = [];
    beforeAll(async () => {
      // One connection, made read-only as a read-only file or a standby makes every one.
      store = kind === 'sqlite' ? await openStore(':memory:') : await openStore(process.env.TAGBASE_TEST_PG_URL ?? '', { pgSchema: schema, poolSize: 1 });
      await store.migrate();
      await ensureWorkspace(store, 'default', 'Default', () => new Date('2026-06-15T10:00:00Z'));
      await (kind === 'sqlite' ? sql`pragma query_only = 1` : sql`set default_transaction_read_only = on`).execute(store.db);
      const stream = logInto(log);
      app = await buildServer({ store, now: () => new Date('2026-06-15T10:00:00Z'), consoleDir: false, logger: { level: 'error', stream } });
    });
    afterAll(async () => {
      await app?.close();
      if (kind === 'postgres' && store) {
        await sql`set default_transaction_read_only = off`.execute(store.db);
        await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(store.db);
      }
      await store?.close();
    });

    it('answers a change 503 STORE_NOT_WRITABLE, and logs the store and what to check', async () => {
      const reply = await app?.inject({ method: 'POST', url: '/api/v1/customers', headers: { 'accept-language': 'zh-CN', 'content-type': 'application/json' }, payload: { customers: [{ id: 'C1' }] } });
      expect(reply?.statusCode).toBe(503);
      expect(reply?.headers['content-type']).toContain('application/problem+json');
      expect(reply?.json()).toMatchObject({ code: 'STORE_NOT_WRITABLE', title: '数据库无法写入', detail: '数据库无法写入：未做任何更改；原因见服务器日志（文件或数据库只读，或磁盘已满）' });
      const line = log.find((entry) => entry.includes('the store cannot be written'));
      expect(line).toContain(kind === 'sqlite' ? 'check that the file and its folder may be written' : 'rather than a read-only standby');
      // Reads go on.
      expect((await app?.inject({ method: 'GET', url: '/api/v1/tags' }))?.statusCode).toBe(200);
    });

    it('says so in the health check once a change was refused, until the store takes writes again', async () => {
      const health = await app?.inject({ method: 'GET', url: '/healthz' });
      expect(health?.statusCode).toBe(503);
      expect(health?.json()).toMatchObject({ status: 'degraded', store: kind, problem: expect.stringMatching(/^the store cannot be written since 2026-06-15T10:00:00\.000Z: check that /) });
      await (kind === 'sqlite' ? sql`pragma query_only = 0` : sql`set default_transaction_read_only = off`).execute((store as Store).db);
      try {
        expect((await app?.inject({ method: 'GET', url: '/healthz' }))?.json()).toMatchObject({ status: 'ok' });
        // Once well, the health check only reads again: a store made read-only since is seen at the next change.
        await (kind === 'sqlite' ? sql`pragma query_only = 1` : sql`set default_transaction_read_only = on`).execute((store as Store).db);
        expect((await app?.inject({ method: 'GET', url: '/healthz' }))?.statusCode).toBe(200);
        expect((await app?.inject({ method: 'POST', url: '/api/v1/customers', headers: { 'content-type': 'application/json' }, payload: { customers: [{ id: 'C1' }] } }))?.statusCode).toBe(503);
        expect((await app?.inject({ method: 'GET', url: '/healthz' }))?.statusCode).toBe(503);
      } finally {
        await (kind === 'sqlite' ? sql`pragma query_only = 1` : sql`set default_transaction_read_only = on`).execute((store as Store).db);
      }
    });

    it('is found before a server starts on it, and named by a command with what to check', async () => {
      const refusal = await assertWritable(store as Store).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refusal).toBeInstanceOf(Error);
      noteOpenedStore(kind === 'sqlite' ? '/srv/tagbase/tagbase.db' : 'postgres://tagbase:secret@db.example.com/tagbase');
      const where = kind === 'sqlite' ? '/srv/tagbase/tagbase.db' : 'postgres://tagbase:***@db.example.com/tagbase';
      const hint =
        kind === 'sqlite'
          ? 'check that the file and its folder may be written by the user this runs as, and that the disk has room; nothing was changed'
          : 'check that the URL names the primary server rather than a read-only standby, and that its disk has room; nothing was changed';
      expect(formatCliError(refusal, 'en')).toMatch(new RegExp(`^error STORE_NOT_WRITABLE: The store cannot be written: ${where.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: .+: ${hint}$`));
      expect(formatCliError(refusal, 'zh-CN')).toMatch(/^错误 STORE_NOT_WRITABLE：数据库无法写入：.+：请检查/);
    });
  });
}

// A full disk is seen by a change, never by the health check's probe, which writes nothing: the
// check stays degraded a minute after the last change refused for lack of room, where it read "ok"
// at once. SQLite's max_page_count refuses to grow the file as a full disk does (SQLITE_FULL);
// PostgreSQL's disk_full cannot be brought about on a shared server, and takes the same path.
describe('a store whose disk is full [sqlite]', () => {
  let store: Store | undefined;
  let app: FastifyInstance | undefined;
  let clock = new Date('2026-06-15T10:00:00Z').getTime();
  const customers = (from: number) => ({ customers: Array.from({ length: 300 }, (_, index) => ({ id: `C${String(from + index)}`, name: `顾客${'长'.repeat(60)}${String(index)}` })) });
  beforeAll(async () => {
    store = await openStore(':memory:');
    await store.migrate();
    await ensureWorkspace(store, 'default', 'Default', () => new Date(clock));
    app = await buildServer({ store, now: () => new Date(clock), consoleDir: false, logger: false });
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
  });

  it('is degraded for a minute after a change refused for lack of room, then probed; a change written clears it', async () => {
    const db = (store as Store).db;
    const [pages] = (await sql<{ page_count: number }>`pragma page_count`.execute(db)).rows;
    await sql.raw(`pragma max_page_count = ${String(pages?.page_count ?? 0)}`).execute(db);
    const post = (from: number) => app?.inject({ method: 'POST', url: '/api/v1/customers', headers: { 'content-type': 'application/json' }, payload: customers(from) });
    const refused = await post(0);
    expect(refused?.statusCode).toBe(503);
    expect(refused?.json()).toMatchObject({ code: 'STORE_NOT_WRITABLE' });
    clock += 30_000;
    const held = await app?.inject({ method: 'GET', url: '/healthz' });
    expect(held?.statusCode).toBe(503);
    expect(held?.json()).toMatchObject({ status: 'degraded', problem: 'the store cannot be written since 2026-06-15T10:00:00.000Z: a change was refused for lack of disk space at 2026-06-15T10:00:00.000Z; free space where the store is kept' });
    // Another refusal starts the minute again.
    expect((await post(0))?.statusCode).toBe(503);
    clock += 59_000;
    expect((await app?.inject({ method: 'GET', url: '/healthz' }))?.json()).toMatchObject({ status: 'degraded', problem: expect.stringContaining('lack of disk space at 2026-06-15T10:00:30.000Z') });
    // A minute on, the probe is tried: it writes nothing, so it passes, and a load balancer tries the node again.
    clock += 2_000;
    expect((await app?.inject({ method: 'GET', url: '/healthz' }))?.statusCode).toBe(200);
    expect((await post(0))?.statusCode).toBe(503);
    expect((await app?.inject({ method: 'GET', url: '/healthz' }))?.statusCode).toBe(503);
    // Room again: the next change is written, and the check is well at once.
    await sql`pragma max_page_count = 1073741823`.execute(db);
    expect((await post(0))?.statusCode).toBe(200);
    expect((await app?.inject({ method: 'GET', url: '/healthz' }))?.json()).toMatchObject({ status: 'ok' });
  });
});
