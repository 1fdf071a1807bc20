// PostgreSQL only: the schema a database URL names, and what the store does when the server
// ends its connections.
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { buildServer } from '../../src/api/server.js';
import { formatCliError } from '../../src/cli/errors.js';
import { ensureDefaultWorkspace } from '../../src/engine/workspaces.js';
import { openStore, type Store } from '../../src/store/connect.js';
import { withoutJit } from '../../src/store/catalog-look.js';
import { catalogChangedWhileRead } from '../../src/store/migrations.js';
import { assertRoleRights } from '../../src/store/permissions.js';
import { isStoreUnavailable } from '../../src/store/unavailable.js';
import { storeKinds } from '../support/stores.js';
import { asAdmin } from '../support/pg-admin.js';

const url = process.env.TAGBASE_TEST_PG_URL;

// Skipped only where no server is named, which CI refuses (storeKinds throws there).
describe.runIf(storeKinds().includes('postgres'))('PostgreSQL connections', () => {
  const opened: Store[] = [];
  afterAll(async () => {
    for (const store of opened) await store.close();
  });

  async function backendPid(store: Store): Promise<number> {
    const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(store.db);
    const pid = rows[0]?.pid;
    if (pid === undefined) throw new Error('no backend pid');
    return pid;
  }


  /** What `migrate` failed with; undefined when it did not. */
  const migrationFailure = (store: Store): Promise<unknown> =>
    store.migrate().then(
      () => undefined,
      (error: unknown) => error,
    );

  const terminate = (pid: number) => asAdmin((admin) => admin.query('select pg_terminate_backend($1)', [pid]));

  function withSearchPath(schema: string): string {
    const named = new URL(url ?? '');
    named.searchParams.set('options', `-c search_path=${schema}`);
    return named.toString();
  }

  it('a URL whose search_path names a schema keeps the store there, beside another store of the same database', async () => {
    const first = `t_${randomBytes(6).toString('hex')}`;
    const second = `t_${randomBytes(6).toString('hex')}`;
    const other = await openStore(url ?? '', { pgSchema: first, poolSize: 1 });
    opened.push(other);
    await other.migrate();
    await asAdmin((admin) => admin.query(`create schema ${second}`));
    try {
      const store = await openStore(withSearchPath(second), { poolSize: 1 });
      opened.push(store);
      expect((await store.migrate()).applied).toContain('0001_initial_schema');
      expect((await store.migrate()).applied).toEqual([]);
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from information_schema.tables where table_schema = ${second} and table_name in ('customers', 'kysely_migration')`.execute(store.db);
      expect(rows[0]?.n).toBe(2);
    } finally {
      await asAdmin((admin) => admin.query(`drop schema if exists ${first} cascade`));
      await asAdmin((admin) => admin.query(`drop schema if exists ${second} cascade`));
    }
  });

  it('looks at the catalog without the JIT compiler, and leaves the connection as it found it', async () => {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    // One connection: what the look set, the next statement would see.
    const store = await openStore(url ?? '', { pgSchema: schema, poolSize: 1 });
    opened.push(store);
    try {
      const jit = async (db = store.db) => (await sql<{ jit: string }>`show jit`.execute(db)).rows[0]?.jit;
      const asConfigured = await jit();
      expect(await withoutJit(store.db, (connection) => jit(connection))).toBe('off');
      await store.migrate();
      await assertRoleRights(store);
      expect(await jit()).toBe(asConfigured);
    } finally {
      await asAdmin((admin) => admin.query(`drop schema if exists ${schema} cascade`));
    }
  });

  it('a URL whose search_path names no existing schema is refused in words', async () => {
    const store = await openStore(withSearchPath(`t_missing_${randomBytes(6).toString('hex')}`), { poolSize: 1 });
    opened.push(store);
    await expect(store.migrate()).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('create it first') });
  });

  it('a URL whose search_path names a schema made with capitals, without the double quotes that keep them, says how to write it', async () => {
    const made = `T_Cased_${randomBytes(4).toString('hex')}`;
    await asAdmin((admin) => admin.query(`create schema "${made}"`));
    try {
      const store = await openStore(withSearchPath(made), { poolSize: 1 });
      opened.push(store);
      const failure = await migrationFailure(store);
      expect(failure).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(formatCliError(failure, 'en')).toBe(
        `error VALIDATION_FAILED: the search_path "${made}" names the schema "${made.toLowerCase()}", which does not exist; a schema "${made}" does, and PostgreSQL reads a name without double quotes in lower case: write it quoted (?options=-c%20search_path%3D%22${made}%22)`,
      );
      // Written so, the store goes into that schema.
      const quoted = await openStore(withSearchPath(`"${made}"`), { poolSize: 1 });
      opened.push(quoted);
      expect((await quoted.migrate()).applied).toContain('0001_initial_schema');
    } finally {
      await asAdmin((admin) => admin.query(`drop schema if exists "${made}" cascade`));
    }
  });

  it('a URL naming a database that does not exist, or a user the server does not know, is refused in words naming the URL (STORE_REFUSED, not VALIDATION_FAILED)', async () => {
    const missingDatabase = new URL(url ?? '');
    missingDatabase.pathname = `/t_missing_${randomBytes(6).toString('hex')}`;
    const unknownUser = new URL(url ?? '');
    unknownUser.username = `t_nobody_${randomBytes(6).toString('hex')}`;
    for (const [target, advice, zh] of [
      [missingDatabase, 'create the database first', '请先创建该数据库'],
      [unknownUser, 'check the user and password', '请检查地址中的用户名和密码'],
    ] as const) {
      const store = await openStore(target.toString(), { poolSize: 1 });
      opened.push(store);
      const failure = await migrationFailure(store);
      expect(failure).toMatchObject({ code: 'STORE_REFUSED' });
      const english = formatCliError(failure, 'en');
      expect(english).toContain(`error STORE_REFUSED: The database refused the connection: ${target.toString()}: `);
      expect(english).toContain(advice);
      expect(formatCliError(failure, 'zh-CN')).toContain(zh);
    }
  });

  it('a role turned away while the server runs is answered 503 STORE_REFUSED, its log one line naming the URL, not a 500 with a stack trace', async () => {
    const role = `t_refused_${randomBytes(6).toString('hex')}`;
    // A schema of its own, made ready first: the database's default one may hold no store.
    const schema = `t_${randomBytes(6).toString('hex')}`;
    await asAdmin((admin) => admin.query(`create role ${role} login superuser`));
    try {
      const owner = await openStore(url ?? '', { pgSchema: schema, poolSize: 1 });
      opened.push(owner);
      await owner.migrate();
      await ensureDefaultWorkspace(owner, () => new Date('2026-06-15T10:00:00Z'));
      const target = new URL(withSearchPath(schema));
      target.username = role;
      const store = await openStore(target.toString(), { poolSize: 1 });
      opened.push(store);
      const logged: string[] = [];
      const stream = { write: (line: string) => logged.push(line) };
      const app = await buildServer({ store, now: () => new Date('2026-06-15T10:00:00Z'), logger: { level: 'error', stream } });
      try {
        expect((await app.inject({ method: 'GET', url: '/api/v1/tags' })).statusCode).toBe(200);
        // The role may log in no more, and the connection it held is ended: the next call needs a new one.
        await asAdmin(async (admin) => {
          await admin.query(`alter role ${role} nologin`);
          await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where usename = $1', [role]);
        });
        const reply = await app.inject({ method: 'GET', url: '/api/v1/tags', headers: { 'accept-language': 'zh-CN' } });
        expect(reply.statusCode).toBe(503);
        expect(reply.headers['retry-after']).toBeUndefined();
        const problem = reply.json<{ code: string; detail: string }>();
        expect(problem.code).toBe('STORE_REFUSED');
        expect(problem.detail).toBe('数据库拒绝了连接：未做任何更改；原因见服务器日志（数据库地址中的用户名、密码或 SSL 设置）');
        const lines = logged.map((line) => JSON.parse(line) as { msg: string; err?: unknown });
        const said = lines.find((line) => line.msg.includes(`is not permitted to log in`));
        expect(said?.msg).toBe(`The database refused the connection: ${target.toString()}: role "${role}" is not permitted to log in: check the user and password the URL gives`);
        expect(said?.err).toBeUndefined();
      } finally {
        await app.close();
      }
    } finally {
      await asAdmin(async (admin) => {
        await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where usename = $1', [role]);
        await admin.query(`drop role if exists ${role}`);
        await admin.query(`drop schema if exists ${schema} cascade`);
      });
    }
  });

  it('a user without rights on the store is refused in words naming the URL and what to grant (STORE_PERMISSION_DENIED, not VALIDATION_FAILED)', async () => {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const role = `t_norights_${randomBytes(6).toString('hex')}`;
    const owner = await openStore(url ?? '', { pgSchema: schema, poolSize: 1 });
    opened.push(owner);
    await owner.migrate();
    await asAdmin((admin) => admin.query(`create role ${role} login`));
    try {
      const target = new URL(withSearchPath(schema));
      target.username = role;
      const store = await openStore(target.toString(), { poolSize: 1 });
      opened.push(store);
      const failure = await migrationFailure(store);
      expect(failure).toMatchObject({ code: 'STORE_PERMISSION_DENIED' });
      const english = formatCliError(failure, 'en');
      expect(english).toContain(target.toString());
      expect(english).toContain(`permission denied for schema ${schema}, SQLSTATE 42501`);
      expect(english).toContain(`the role ${role} may not use the schema ${schema}`);
      expect(english).toContain(`grant usage on schema ${schema} to ${role}`);
      expect(formatCliError(failure, 'zh-CN')).toContain(`无权使用模式 ${schema}`);
      // Let into the schema, still without rights on its tables.
      await asAdmin((admin) => admin.query(`grant usage on schema ${schema} to ${role}`));
      const tables = await openStore(target.toString(), { poolSize: 1 });
      opened.push(tables);
      const refused = await migrationFailure(tables);
      expect(refused).toMatchObject({ code: 'STORE_PERMISSION_DENIED' });
      expect(formatCliError(refused, 'en')).toContain('permission denied for table');
      expect(formatCliError(refused, 'en')).toContain(`the role ${role} lacks a right tagbase needs on the table`);
      expect(formatCliError(refused, 'en')).toContain(`grant select, insert, update, delete on all tables in schema ${schema} to ${role}`);
      for (const done of opened.splice(-2)) await done.close();
    } finally {
      await asAdmin(async (admin) => {
        await admin.query(`drop schema if exists ${schema} cascade`);
        await admin.query(`drop role if exists ${role}`);
      });
    }
  });

  it('sslmode=prefer and allow connect in the clear to a server without SSL, as psql does', async () => {
    const { rows } = await asAdmin((admin) => admin.query<{ ssl: string }>('show ssl'));
    for (const mode of ['prefer', 'allow']) {
      const preferred = new URL(url ?? '');
      preferred.searchParams.set('sslmode', mode);
      const store = await openStore(preferred.toString(), { poolSize: 1 });
      opened.push(store);
      const { rows: used } = await sql<{ ssl: boolean }>`select coalesce((select ssl from pg_stat_ssl where pid = pg_backend_pid()), false) as ssl`.execute(store.db);
      // Encrypted where the server offers it, in the clear where it does not.
      expect(used[0]?.ssl, mode).toBe(rows[0]?.ssl === 'on');
    }
  });

  it('a database dropped while the store is open is the database being unavailable, not a failure of the statement', async () => {
    const name = `t_dropped_${randomBytes(6).toString('hex')}`;
    await asAdmin((admin) => admin.query(`create database ${name}`));
    const dropped = new URL(url ?? '');
    dropped.pathname = `/${name}`;
    const store = await openStore(dropped.toString(), { poolSize: 1, onConnectionLost: () => {} });
    opened.push(store);
    await sql`select 1`.execute(store.db);
    await asAdmin((admin) => admin.query(`drop database ${name} with (force)`));
    let failure: unknown;
    // The ended connection may be handed out once more before its end is read; the next one asks for the database again.
    for (let attempt = 0; attempt < 20 && (failure === undefined || !(failure as { code?: unknown }).code); attempt++) failure = await sql`select 1`.execute(store.db).then(() => undefined, (error: unknown) => error);
    expect(failure).toMatchObject({ code: '3D000' });
    expect(isStoreUnavailable(failure)).toBe(true);
  });

  it('a query whose connection the server ends under it fails as the database being unavailable', async () => {
    const store = await openStore(url ?? '', { poolSize: 1, onConnectionLost: () => {} });
    opened.push(store);
    // A statement the server refuses is not the database being out of reach.
    expect(isStoreUnavailable(await sql`select 1/0`.execute(store.db).catch((error: unknown) => error))).toBe(false);
    const pid = await backendPid(store);
    const running = sql`select pg_sleep(60)`.execute(store.db).then(
      () => undefined,
      (error: unknown) => error,
    );
    // Until the statement is seen running, the end could come before it.
    await asAdmin(async (admin) => {
      const running = async () => (await admin.query<{ n: number }>("select count(*)::int as n from pg_stat_activity where pid = $1 and query like '%pg_sleep%' and state = 'active'", [pid])).rows[0]?.n;
      await expect.poll(running, { interval: 20, timeout: 10_000 }).toBe(1);
      await admin.query('select pg_terminate_backend($1)', [pid]);
    });
    const failure = await running;
    expect(failure).toBeInstanceOf(Error);
    expect(isStoreUnavailable(failure)).toBe(true);
  });

  it('tells a schema or column that vanished while a migration looked (tried again) from other failures (not)', async () => {
    // What the server answers Kysely's look at every table when another session has just dropped one's schema.
    const vanished = await asAdmin((admin) => admin.query(`select has_schema_privilege('t_vanished_${randomBytes(4).toString('hex')}', 'USAGE')`).catch((error: unknown) => error));
    expect(catalogChangedWhileRead(vanished)).toBe(true);
    // And its look at a column another session has just dropped (a test bringing a store back to an older layout).
    const dropped = await asAdmin((admin) => admin.query(`select pg_get_serial_sequence('pg_catalog.pg_class', 'dropped_${randomBytes(4).toString('hex')}')`).catch((error: unknown) => error));
    expect(catalogChangedWhileRead(dropped)).toBe(true);
    const other = await asAdmin((admin) => admin.query('select 1/0').catch((error: unknown) => error));
    expect(catalogChangedWhileRead(other)).toBe(false);
    expect(catalogChangedWhileRead(new Error('schema "x" does not exist'))).toBe(false);
  });

  it('a database closed to new connections, as during maintenance, is the database being unavailable', async () => {
    const name = `t_closed_${randomBytes(6).toString('hex')}`;
    await asAdmin(async (admin) => {
      await admin.query(`create database ${name}`);
      await admin.query(`alter database ${name} allow_connections false`);
    });
    try {
      const closed = new URL(url ?? '');
      closed.pathname = `/${name}`;
      const store = await openStore(closed.toString(), { poolSize: 1 });
      opened.push(store);
      const failure = await sql`select 1`.execute(store.db).catch((error: unknown) => error);
      expect(failure).toMatchObject({ code: '55000' });
      expect(isStoreUnavailable(failure)).toBe(true);
    } finally {
      await asAdmin((admin) => admin.query(`drop database ${name}`));
    }
  });

  it('a connection the server ends in the middle of a transaction fails that transaction, and the store carries on', async () => {
    let lost!: (error: Error) => void;
    const told = new Promise<Error>((resolve) => (lost = resolve));
    const store = await openStore(url ?? '', { poolSize: 1, onConnectionLost: (error) => lost(error) });
    opened.push(store);
    const before = await backendPid(store);
    const failure = await store.db
      .transaction()
      .execute(async (trx) => {
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
        await terminate(rows[0]?.pid ?? 0);
        // Between two statements of the transaction the connection is lent out, not idle in the pool.
        await told;
        await sql`select 1`.execute(trx);
      })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(failure).toBeInstanceOf(Error);
    expect(isStoreUnavailable(failure)).toBe(true);
    let after: number | undefined;
    for (let attempt = 0; attempt < 20 && after === undefined; attempt++) after = await backendPid(store).catch(() => undefined);
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
  });

  it('a connection the server ends while idle is dropped, and the next query opens another', async () => {
    let lost!: (error: Error) => void;
    const told = new Promise<Error>((resolve) => (lost = resolve));
    const store = await openStore(url ?? '', { poolSize: 1, onConnectionLost: (error) => lost(error) });
    opened.push(store);
    const before = await backendPid(store);
    await terminate(before);
    expect((await told).message).toMatch(/terminat/);
    const after = await backendPid(store);
    expect(after).not.toBe(before);
  });

  it('a store opened without a listener outlives an ended idle connection too', async () => {
    const store = await openStore(url ?? '', { poolSize: 1 });
    opened.push(store);
    const before = await backendPid(store);
    await terminate(before);
    // The query may still be handed the ended connection before its end is read; then the next one is not.
    let after: number | undefined;
    for (let attempt = 0; attempt < 20 && after === undefined; attempt++) after = await backendPid(store).catch(() => undefined);
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
  });

  it('keeps at most TAGBASE_PG_POOL_SIZE connections (10 unless set), and refuses a setting that is no size in words', async () => {
    const before = process.env.TAGBASE_PG_POOL_SIZE;
    const distinctConnections = async (store: Store) => {
      // Four statements at once, each holding its connection a moment: as many connections as the pool allows.
      const pids = await Promise.all(Array.from({ length: 4 }, async () => (await sql<{ pid: number }>`select pg_backend_pid() as pid, pg_sleep(0.2)`.execute(store.db)).rows[0]?.pid));
      return new Set(pids).size;
    };
    try {
      process.env.TAGBASE_PG_POOL_SIZE = '2';
      const small = await openStore(url ?? '');
      opened.push(small);
      expect(await distinctConnections(small)).toBe(2);
      delete process.env.TAGBASE_PG_POOL_SIZE;
      const usual = await openStore(url ?? '');
      opened.push(usual);
      expect(await distinctConnections(usual)).toBe(4);
      for (const setting of ['0', 'ten', '2.5', '1001']) {
        process.env.TAGBASE_PG_POOL_SIZE = setting;
        const refused: unknown = await openStore(url ?? '').catch((error: unknown) => error);
        expect(formatCliError(refused, 'en')).toBe(`error VALIDATION_FAILED: TAGBASE_PG_POOL_SIZE is a whole number from 1 to 1000, not "${setting}"`);
      }
      expect(formatCliError(await openStore(url ?? '').catch((error: unknown) => error), 'zh-CN')).toBe('错误 VALIDATION_FAILED：TAGBASE_PG_POOL_SIZE 应为 1 到 1000 的整数，而不是「1001」');
    } finally {
      if (before === undefined) delete process.env.TAGBASE_PG_POOL_SIZE;
      else process.env.TAGBASE_PG_POOL_SIZE = before;
    }
  });
});
