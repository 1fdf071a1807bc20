// PostgreSQL only: a role the server lets in but that lacks rights on the store's schema or tables
// (one made for reporting, which may read but not write; one that may only connect) is told so
// with the role, the right, the table or schema and the GRANT that gives it, by the command line,
// by a server starting and by the API, rather than as VALIDATION_FAILED or the driver's words.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/api/server.js';
import { formatCliError } from '../../src/cli/errors.js';
import { openMigratedStore } from '../../src/cli/store-options.js';
import { JOURNAL_MAX_ATTEMPTS, applyJournal, journalBatch, journalEvents } from '../../src/engine/event-journal.js';
import { ensureDefaultWorkspace } from '../../src/engine/workspaces.js';
import { openStore, type Store } from '../../src/store/connect.js';
import { storeKinds } from '../support/stores.js';
import { asAdmin } from '../support/pg-admin.js';

const url = process.env.TAGBASE_TEST_PG_URL ?? '';
const BIN = join(import.meta.dirname, '../../bin/tagbase.js');
const suffix = randomBytes(5).toString('hex');
/** A store migrated by the database's own user, and roles of every kind of want on it. */
const schema = `t_rights_${suffix}`;
/** An empty schema the roles may use but not create tables in: the store's migrations cannot run there. */
const emptySchema = `t_rights_empty_${suffix}`;
const readOnly = `t_ro_${suffix}`;
const connectOnly = `t_none_${suffix}`;
const writer = `t_rw_${suffix}`;

/** The test database's URL as `role`, its search_path on `inSchema`. */
function urlAs(role: string, inSchema = schema): string {
  const named = new URL(url);
  named.username = role;
  named.searchParams.set('options', `-c search_path=${inSchema}`);
  return named.toString();
}

/** What `work` failed with; undefined when it did not. */
const failure = (work: Promise<unknown>): Promise<unknown> =>
  work.then(
    () => undefined,
    (error: unknown) => error,
  );

function run(args: string[], database: string, lang = 'en_US.UTF-8'): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args, '--database', database], { timeout: 60_000, env: { ...process.env, TAGBASE_DATABASE_URL: '', LANG: lang, LC_ALL: '', LC_MESSAGES: '' } }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr });
    });
  });
}

const grantsFor = (role: string) => `grant usage on schema ${schema} to ${role}; grant select, insert, update, delete on all tables in schema ${schema} to ${role}; grant usage on all sequences in schema ${schema} to ${role}`;

// Skipped only where no server is named, which CI refuses (storeKinds throws there).
describe.runIf(storeKinds().includes('postgres'))('a PostgreSQL role without the rights the store needs', () => {
  const opened: Store[] = [];

  beforeAll(async () => {
    const owner = await openStore(url, { pgSchema: schema, poolSize: 1 });
    opened.push(owner);
    await owner.migrate();
    await ensureDefaultWorkspace(owner, () => new Date('2026-06-15T10:00:00Z'));
    await asAdmin(async (admin) => {
      for (const role of [readOnly, connectOnly, writer]) await admin.query(`create role ${role} login`);
      await admin.query(`create schema ${emptySchema}`);
      await admin.query(`grant usage on schema ${schema} to ${readOnly}; grant select on all tables in schema ${schema} to ${readOnly}`);
      await admin.query(grantsFor(writer));
      await admin.query(`grant usage on schema ${emptySchema} to ${writer}`);
    });
  });

  afterAll(async () => {
    for (const store of opened) await store.close();
    await asAdmin(async (admin) => {
      for (const role of [readOnly, connectOnly, writer]) await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where usename = $1', [role]);
      await admin.query(`drop schema if exists ${schema} cascade`);
      await admin.query(`drop schema if exists ${emptySchema} cascade`);
      for (const role of [readOnly, connectOnly, writer]) await admin.query(`drop role if exists ${role}`);
    });
  });

  it('one that may only connect is refused by any command, naming the role, the schema and the GRANT, in English and Chinese', async () => {
    const english = await run(['tag', 'list'], urlAs(connectOnly));
    expect([english.code, english.stdout]).toEqual([1, '']);
    expect(english.stderr).toBe(
      `error STORE_PERMISSION_DENIED: The database role lacks rights the store needs: ${urlAs(connectOnly)}: the role ${connectOnly} may not use the schema ${schema} (permission denied for schema ${schema}, SQLSTATE 42501): as the schema's owner postgres, run \`${grantsFor(connectOnly)}\`; or connect as postgres\n`,
    );
    const chinese = await run(['tag', 'list'], urlAs(connectOnly), 'zh_CN.UTF-8');
    expect(chinese.stderr).toBe(
      `错误 STORE_PERMISSION_DENIED：数据库用户缺少所需的权限：${urlAs(connectOnly)}：用户 ${connectOnly} 无权使用模式 ${schema}（permission denied for schema ${schema}, SQLSTATE 42501）：请以模式的所有者 postgres 的身份执行 \`${grantsFor(connectOnly)}\`；或以 postgres 的身份连接\n`,
    );
  }, 120_000);

  it('one that may read but not write is refused when a server starts, rather than at its first change; commands that read go on', async () => {
    const refused = await failure(openMigratedStore(urlAs(readOnly), { mayCreate: true }));
    expect(refused).toMatchObject({ code: 'STORE_PERMISSION_DENIED' });
    const english = formatCliError(refused, 'en');
    expect(english).toContain(`${urlAs(readOnly)}: the role ${readOnly} may read the store but not write it: it lacks insert, update, delete on `);
    expect(english).toContain(`run \`${grantsFor(readOnly)}\``);
    expect(english.split('\n')).toHaveLength(1);
    expect(formatCliError(refused, 'zh-CN')).toContain(`用户 ${readOnly} 可以读取数据库但不能写入`);
    // `tagbase serve` says the same and does not start.
    const served = await run(['serve', '--port', '8351'], urlAs(readOnly));
    expect(served.code).toBe(1);
    expect(served.stderr).toMatch(new RegExp(`^error STORE_PERMISSION_DENIED: .*the role ${readOnly} may read the store but not write it: .*\n$`));
    // A command that reads is what such a role is for.
    const listed = await run(['workspace', 'list'], urlAs(readOnly));
    expect([listed.code, listed.stderr]).toEqual([0, '']);
    expect(listed.stdout).toContain('default');
    // A command that changes something is refused before it starts, in the words a server's start uses.
    const created = await run(['tag', 'create', '渠道', '--values', '线上,线下'], urlAs(readOnly));
    expect(created.code).toBe(1);
    expect(created.stderr).toMatch(new RegExp(`^error STORE_PERMISSION_DENIED: .*: the role ${readOnly} may read the store but not write it: .*: as the schema's owner postgres, run \`${grantsFor(readOnly)}\`; or connect as postgres\n$`));
  }, 180_000);

  it('one that lacks a few rights on a few tables is told which right on which table, not that it may only read', async () => {
    const revoked = `revoke insert on ${schema}.workspaces from ${writer}; revoke update, delete on ${schema}.customers from ${writer}; revoke update, delete on ${schema}.tags from ${writer}`;
    const granted = `grant insert on ${schema}.workspaces to ${writer}; grant update, delete on ${schema}.customers to ${writer}; grant update, delete on ${schema}.tags to ${writer}`;
    await asAdmin((admin) => admin.query(revoked));
    try {
      const refused = await failure(openMigratedStore(urlAs(writer), { mayCreate: true }));
      expect(refused).toMatchObject({ code: 'STORE_PERMISSION_DENIED' });
      expect(formatCliError(refused, 'en')).toBe(
        `error STORE_PERMISSION_DENIED: The database role lacks rights the store needs: ${urlAs(writer)}: the role ${writer} lacks update, delete on 2 tables (customers, tags) and insert on the table workspaces, and tagbase writes to every table of the store: as the schema's owner postgres, run \`${grantsFor(writer)}\`; or connect as postgres`,
      );
      expect(formatCliError(refused, 'zh-CN')).toContain(`用户 ${writer} 缺少对 2 张表（customers, tags）的 update, delete 权限，以及对表 workspaces 的 insert 权限，而 tagbase`);
    } finally {
      await asAdmin((admin) => admin.query(granted));
    }
  });

  it('one granted what the store needs starts', async () => {
    const store = await openMigratedStore(urlAs(writer), { mayCreate: true });
    opened.push(store);
    expect(store.location).toBe(urlAs(writer));
  });

  it('one that may not create the tables of a store not yet migrated is told to run the migrations as the owner', async () => {
    const store = await openStore(urlAs(writer, emptySchema), { poolSize: 1 });
    opened.push(store);
    const refused = await failure(store.migrate());
    expect(refused).toMatchObject({ code: 'STORE_PERMISSION_DENIED' });
    expect(formatCliError(refused, 'en')).toBe(
      `error STORE_PERMISSION_DENIED: The database role lacks rights the store needs: ${urlAs(writer, emptySchema)}: the role ${writer} may not create tables in the schema ${emptySchema}, which the store's migrations do (permission denied for schema ${emptySchema}, SQLSTATE 42501): run \`tagbase migrate\` once with a URL naming postgres, then start again with this one`,
    );
    expect(formatCliError(refused, 'zh-CN')).toContain(`请用指向 postgres 的地址运行一次 \`tagbase migrate\``);
  });

  it('a batch of events the role may not apply keeps its tries, as while the store is away, and is applied once the right is given back', async () => {
    const store = await openStore(urlAs(writer), { poolSize: 1 });
    opened.push(store);
    let clock = Date.parse('2026-06-15T10:00:00Z');
    const now = () => new Date(clock);
    const { id: workspaceId } = await store.db.selectFrom('workspaces').select('id').where('key', '=', 'default').executeTakeFirstOrThrow();
    const context = { store, workspaceId, workspaceKey: 'default', actor: 'pos', now };
    const accepted = await journalEvents(context, [{ id: 'J1', customer_id: 'J-C1', type: 'order_paid', occurred_at: '2026-06-01T08:00:00Z', properties: { order_id: 'J-O1', amount: 99 } }]);
    // Revoked under a running server: a fault of the setup, which a GRANT puts right, never the batch's own.
    await asAdmin((admin) => admin.query(`revoke insert on ${schema}.events from ${writer}`));
    try {
      for (let attempt = 1; attempt <= JOURNAL_MAX_ATTEMPTS + 1; attempt++) {
        expect(await applyJournal({ store, now })).toEqual({ applied: 0, stored: 0, failed: 1 });
        expect(await journalBatch(context, accepted.batch)).toMatchObject({ status: 'pending', attempts: 0, error: expect.stringContaining('permission denied for table events') });
        clock += 60_000;
      }
    } finally {
      await asAdmin((admin) => admin.query(`grant insert on ${schema}.events to ${writer}`));
    }
    expect(await applyJournal({ store, now })).toEqual({ applied: 1, stored: 1, failed: 0 });
    expect(await journalBatch(context, accepted.batch)).toMatchObject({ status: 'applied', attempts: 1, error: null });
  });

  it('a change the role may not make is answered 503 STORE_PERMISSION_DENIED, its log naming the role and the GRANT; reads are answered', async () => {
    // Opened as the API's tests open a store, without the start's check: as when a grant is revoked under a running server.
    const store = await openStore(urlAs(readOnly), { poolSize: 1 });
    opened.push(store);
    await store.migrate();
    const logged: string[] = [];
    const app = await buildServer({ store, now: () => new Date('2026-06-15T10:00:00Z'), logger: { level: 'error', stream: { write: (line: string) => logged.push(line) } } });
    try {
      expect((await app.inject({ method: 'GET', url: '/api/v1/tags' })).statusCode).toBe(200);
      const reply = await app.inject({ method: 'POST', url: '/api/v1/workspaces', headers: { 'accept-language': 'zh-CN' }, payload: { key: 'shop2', name: '二号店' } });
      expect(reply.statusCode).toBe(503);
      expect(reply.headers['retry-after']).toBeUndefined();
      expect(reply.headers['content-type']).toContain('application/problem+json');
      const problem = reply.json<{ code: string; detail: string }>();
      expect(problem.code).toBe('STORE_PERMISSION_DENIED');
      expect(problem.detail).toBe('数据库用户缺少所需的权限：未做任何更改；原因见服务器日志（其数据库用户缺少的权限）');
      const lines = logged.map((line) => JSON.parse(line) as { msg: string; err?: unknown });
      const said = lines.find((line) => line.msg.includes('SQLSTATE 42501'));
      expect(said?.msg).toMatch(new RegExp(`^The database role lacks rights the store needs: .*: the role ${readOnly} lacks a right tagbase needs on the table \\w+, which it reads and writes`));
      expect(said?.msg).toContain(grantsFor(readOnly));
      expect(said?.err).toBeUndefined();
    } finally {
      await app.close();
    }
  });

  it('/healthz is degraded, naming STORE_PERMISSION_DENIED, the right and the table, from a change refused for a right until it is granted back', async () => {
    const store = await openStore(urlAs(writer), { poolSize: 1 });
    opened.push(store);
    const app = await buildServer({ store, now: () => new Date('2026-06-15T10:00:00Z') });
    const health = async () => {
      const reply = await app.inject({ method: 'GET', url: '/healthz' });
      return { status: reply.statusCode, body: reply.json<{ status: string; problem?: string }>() };
    };
    const create = (key: string) => app.inject({ method: 'POST', url: '/api/v1/workspaces', payload: { key, name: key } });
    const degraded = {
      status: 503,
      body: {
        status: 'degraded',
        version: '0.1.0',
        store: 'postgres',
        problem: `the store cannot be written since 2026-06-15T10:00:00.000Z: STORE_PERMISSION_DENIED: The database role lacks rights the store needs: ${urlAs(writer)}: the role ${writer} lacks insert on the table workspaces, and tagbase writes to every table of the store: as the schema's owner postgres, run \`${grantsFor(writer)}\`; or connect as postgres`,
      },
    };
    const healthy = { status: 200, body: { status: 'ok', version: '0.1.0', store: 'postgres' } };
    const revoke = () => asAdmin((admin) => admin.query(`revoke insert on ${schema}.workspaces from ${writer}`));
    const grant = () => asAdmin((admin) => admin.query(`grant insert on ${schema}.workspaces to ${writer}`));
    try {
      expect(await health()).toEqual(healthy);
      await revoke();
      expect((await create('refused1')).json()).toMatchObject({ code: 'STORE_PERMISSION_DENIED' });
      expect(await health()).toEqual(degraded);
      // A read the role may make answers, and clears nothing.
      expect((await app.inject({ method: 'GET', url: '/api/v1/tags' })).statusCode).toBe(200);
      expect(await health()).toEqual(degraded);

      // Granted back, a change goes through again: healthy.
      await grant();
      expect((await create('granted1')).statusCode).toBe(201);
      expect(await health()).toEqual(healthy);

      // Granted back with no change since (a node a load balancer took out gets none): healthy too.
      await revoke();
      expect((await create('refused2')).statusCode).toBe(503);
      expect(await health()).toEqual(degraded);
      await grant();
      expect(await health()).toEqual(healthy);
    } finally {
      await grant();
      await app.close();
    }
  });
});
