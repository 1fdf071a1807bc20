// PostgreSQL only: a write the database ends to break a deadlock with another session (40P01),
// or could not serialise beside one (40001), is answered as a statement it cancels is, 503
// STORE_UNAVAILABLE with Retry-After and a line saying so, where it was a bare 500 INTERNAL:
// its transaction was rolled back and the same call a moment later goes through.
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
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Skipped only where no server is named, which CI refuses (storeKinds throws there).
describe.runIf(storeKinds().includes('postgres'))('a write PostgreSQL ends for a deadlock', () => {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const other = new pg.Client({ connectionString: url });
  let store: Store;
  let app: FastifyInstance;

  beforeAll(async () => {
    await other.connect();
    store = await openStore(url, { pgSchema: schema, poolSize: 2 });
    await store.migrate();
    await ensureWorkspace(store, 'default', 'default', now);
    app = await buildServer({ store, now, consoleDir: false, logger: false });
  });
  afterAll(async () => {
    await app.close();
    await store.close();
    await other.query(`drop schema if exists ${schema} cascade`);
    await other.end();
  });

  it('is 503 STORE_UNAVAILABLE with Retry-After, and a command says so in words', async () => {
    const created = await app.inject({ method: 'POST', url: '/api/v1/customers', payload: { customers: [{ id: 'C1' }, { id: 'C2' }] } });
    expect(created.statusCode, created.body).toBe(200);
    // The other session waits longer than the server's before looking for a deadlock, so it is
    // the server's transaction that the database ends.
    await other.query(`set deadlock_timeout = '20s'`);
    await other.query('begin');
    let reply;
    try {
      await other.query(`select id from ${schema}.customers where external_id = 'C2' for update`);
      // The write updates C1, then waits for C2; the other session then waits for C1.
      const writing = app.inject({ method: 'POST', url: '/api/v1/customers', headers: { 'accept-language': 'en' }, payload: { customers: [{ id: 'C1', city: '广州' }, { id: 'C2', city: '广州' }] } });
      await sleep(300);
      const waiting = other.query(`select id from ${schema}.customers where external_id = 'C1' for update`);
      reply = await writing;
      await waiting;
    } finally {
      await other.query('rollback');
    }
    expect(reply.statusCode, reply.body).toBe(503);
    expect(reply.headers['retry-after']).toBe('5');
    const problem = reply.json() as { code: string; detail: string };
    expect(problem.code).toBe('STORE_UNAVAILABLE');
    expect(problem.detail).toContain('deadlock');
    expect(problem.detail).toContain('nothing was changed');
    const conflict = Object.assign(new Error('deadlock detected'), { code: '40P01' });
    const serialization = Object.assign(new Error('could not serialize access due to concurrent update'), { code: '40001' });
    for (const error of [conflict, serialization]) {
      expect(isStoreUnavailable(error)).toBe(true);
      expect(formatCliError(error, 'en')).toMatch(/^error STORE_UNAVAILABLE: .*deadlock/);
      expect(formatCliError(error, 'zh-CN')).toMatch(/^错误 STORE_UNAVAILABLE：.*死锁/);
    }
    // Nothing of the write was kept, and the same call now goes through.
    const kept = await other.query(`select count(*)::int as n from ${schema}.customers where city = '广州'`);
    expect(kept.rows[0]).toEqual({ n: 0 });
    const again = await app.inject({ method: 'POST', url: '/api/v1/customers', payload: { customers: [{ id: 'C1', city: '广州' }, { id: 'C2', city: '广州' }] } });
    expect(again.statusCode, again.body).toBe(200);
  });
});
