// PostgreSQL only: what the store does when the server ends its connections or cannot be reached.
import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import pg from 'pg';
import { openStore, type Store } from '../../src/store/connect.js';

const url = process.env.TAGBASE_TEST_PG_URL;

describe.skipIf(!url)('PostgreSQL connections', () => {
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

  async function terminate(pid: number): Promise<void> {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query('select pg_terminate_backend($1)', [pid]);
    } finally {
      await admin.end();
    }
  }

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

});
