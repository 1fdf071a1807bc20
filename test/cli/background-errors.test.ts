// What the server's background jobs (webhook delivery every second, the scheduler) log of their
// failures: the database out of reach, or its file damaged, once a minute while it lasts, anything else in full.
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { backgroundErrors, OUTAGE_REPEAT_MS } from '../../src/engine/background-errors.js';
import { openStore } from '../../src/store/connect.js';

/** The error a query gets from a PostgreSQL that cannot be reached: a port just closed again. */
async function unreachable(): Promise<unknown> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  const store = await openStore(`postgres://tagbase@127.0.0.1:${port}/tagbase`, { poolSize: 1 });
  try {
    return await sql`select 1`.execute(store.db).then(
      () => undefined,
      (error: unknown) => error,
    );
  } finally {
    await store.close();
  }
}

describe('background job errors', () => {
  it('say the database out of reach once a minute while it lasts, where every second logged a stack trace', async () => {
    const error = await unreachable();
    expect(error).toBeInstanceOf(Error);
    const lines: { error: unknown; message: string }[] = [];
    let now = 1_000_000;
    const report = backgroundErrors((logged, message) => lines.push({ error: logged, message }), 'delivering webhooks failed', () => now);
    for (let second = 0; second < 60; second++) {
      report(error);
      now += 1000;
    }
    expect(lines).toHaveLength(1);
    expect(lines[0]?.error).toBeUndefined();
    expect(lines[0]?.message).toMatch(/^delivering webhooks failed: the database cannot be reached \(connect ECONNREFUSED 127\.0\.0\.1:\d+\); trying again, said once a minute while it lasts$/);
    now += OUTAGE_REPEAT_MS;
    report(error);
    expect(lines).toHaveLength(2);
    // Any other failure is logged whole, each time.
    const fault = new Error('a receiver URL no longer parses');
    report(fault);
    report(fault);
    expect(lines.slice(2)).toEqual([
      { error: fault, message: 'delivering webhooks failed' },
      { error: fault, message: 'delivering webhooks failed' },
    ]);
  });

  it('say a damaged SQLite store once a minute, where every round logged a stack trace', () => {
    const damage = Object.assign(new Error('database disk image is malformed'), { code: 'SQLITE_CORRUPT' });
    const lines: { error: unknown; message: string }[] = [];
    let now = 1_000_000;
    const report = backgroundErrors((logged, message) => lines.push({ error: logged, message }), 'scheduled job failed', () => now);
    for (let second = 0; second < 60; second++) {
      report(damage);
      now += 1000;
    }
    expect(lines).toEqual([{ error: undefined, message: 'scheduled job failed: the store is damaged (database disk image is malformed): stop the server and restore it from a backup; said once a minute while it lasts' }]);
    now += OUTAGE_REPEAT_MS;
    report(damage);
    expect(lines).toHaveLength(2);
  });
});
