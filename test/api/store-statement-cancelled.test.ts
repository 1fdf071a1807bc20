// PostgreSQL only: a statement the database cancels (its lock_timeout or statement_timeout run
// out while a table is locked, or an administrator cancels it) is answered as SQLite's "database
// is locked" is, 503 STORE_UNAVAILABLE with Retry-After and a line saying so, where it was a
// bare 500 INTERNAL.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { buildServer } from '../../src/api/server.js';
import { formatCliError } from '../../src/cli/errors.js';
import { ensureWorkspace } from '../../src/engine/workspaces.js';
import { openStore, type Store } from '../../src/store/connect.js';
import { isStoreUnavailable } from '../../src/store/unavailable.js';
import { storeKinds } from '../support/stores.js';

const url = process.env.TAGBASE_TEST_PG_URL ?? '';
const now = (): Date => new Date('2026-06-15T10:00:00Z');

// Skipped only where no server is named, which CI refuses (storeKinds throws there).
describe.runIf(storeKinds().includes('postgres'))('a statement PostgreSQL cancels', () => {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  const stores: Store[] = [];
  const apps: FastifyInstance[] = [];

  /** A server on the test's schema whose connections run with `setting` (`lock_timeout=200ms`). */
  async function serverWith(setting: string): Promise<FastifyInstance> {
    const withSetting = new URL(url);
    withSetting.searchParams.set('options', `-c search_path=${schema} -c ${setting}`);
    const store = await openStore(withSetting.toString(), { poolSize: 2 });
    stores.push(store);
    const app = await buildServer({ store, now, consoleDir: false, logger: false });
    apps.push(app);
    return app;
  }

  beforeAll(async () => {
    await admin.connect();
    // Made without the settings, which a migration on a busy machine could run out of.
    const store = await openStore(url, { pgSchema: schema, poolSize: 1 });
    stores.push(store);
    await store.migrate();
    await ensureWorkspace(store, 'default', 'default', now);
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    for (const store of stores) await store.close();
    await admin.query(`drop schema if exists ${schema} cascade`);
    await admin.end();
  });

  it('is 503 STORE_UNAVAILABLE with Retry-After when a lock wait or a statement runs out of time, and a command says so in words', async () => {
    const servers = [await serverWith('lock_timeout=200ms'), await serverWith('statement_timeout=200ms')];
    await admin.query('begin');
    try {
      await admin.query(`lock table ${schema}.customers in access exclusive mode`);
      for (const app of servers) {
        const reply = await app.inject({ method: 'GET', url: '/api/v1/customers?limit=1', headers: { 'accept-language': 'en' } });
        expect(reply.statusCode, reply.body).toBe(503);
        expect(reply.headers['retry-after']).toBe('5');
        const problem = reply.json() as { code: string; detail: string };
        expect(problem.code).toBe('STORE_UNAVAILABLE');
        expect(problem.detail).toContain('cancelled the statement');
        expect(problem.detail).toContain('nothing was changed');
      }
      const cancelled = await stores[1]?.db.selectFrom('customers').select('id').execute().catch((error: unknown) => error);
      expect(cancelled).toMatchObject({ code: '55P03' });
      expect(isStoreUnavailable(cancelled)).toBe(true);
      expect(formatCliError(cancelled, 'en')).toMatch(/^error STORE_UNAVAILABLE: .*cancelled the statement/);
      expect(formatCliError(cancelled, 'zh-CN')).toMatch(/^错误 STORE_UNAVAILABLE：.*取消了该语句/);
    } finally {
      await admin.query('rollback');
    }
    // Once the lock is let go, the same call goes through.
    for (const app of servers) expect((await app.inject({ method: 'GET', url: '/api/v1/customers?limit=1' })).statusCode).toBe(200);
  });
});
