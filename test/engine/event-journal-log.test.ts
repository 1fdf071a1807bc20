// What the server's log says of accepted event batches it cannot apply: a batch failing for its
// own reasons once, by its id, rather than at each of its tries (or not at all); the database
// out of reach once a minute, rather than a stack trace per accepted batch.
import { createServer } from 'node:net';
import { describe, expect, it as plainIt } from 'vitest';
import { backgroundErrors, OUTAGE_REPEAT_MS } from '../../src/engine/background-errors.js';
import { JOURNAL_MAX_ATTEMPTS, applyJournal, journalBatch, journalEvents } from '../../src/engine/event-journal.js';
import { openStore, type Store } from '../../src/store/connect.js';
import { buildServer } from '../../src/api/server.js';
import { logInto } from '../api/support.js';
import { forEachStore, it } from '../support/stores.js';
import { refuseInserts } from './support.js';

const order = (id: string, customer: string) => ({ id, customer_id: customer, type: 'order_paid', occurred_at: '2026-06-01T08:00:00Z', properties: { order_id: `O-${id}`, amount: 99 } });

/** A PostgreSQL store nothing listens for: a port just closed again. */
async function unreachableStore(): Promise<Store> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return openStore(`postgres://tagbase@127.0.0.1:${port}/tagbase`, { poolSize: 1 });
}

forEachStore('the event journal in the server log', (h) => {
  it('logs a batch failing for its own reasons once, with its id, over all its tries', async () => {
    const ctx = h.context();
    await refuseInserts(h.kind, ctx.store.db, 'events', 'event_key', 'POISON');
    const lines: { error: unknown; message: string }[] = [];
    const report = backgroundErrors((error, message) => lines.push({ error, message }), 'applying accepted events failed', () => h.clock.now().getTime());
    const good = await journalEvents(ctx, [order('E1', 'C1')]);
    const poisoned = await journalEvents(ctx, [order('POISON', 'C2')]);
    const applier = { store: ctx.store, now: ctx.now, onError: report };
    for (let attempt = 1; attempt <= JOURNAL_MAX_ATTEMPTS; attempt++) {
      await applyJournal(applier).catch(report);
      h.clock.advance(600_000);
    }
    expect((await journalBatch(ctx, good.batch)).status).toBe('applied');
    expect(await journalBatch(ctx, poisoned.batch)).toMatchObject({ status: 'failed', attempts: JOURNAL_MAX_ATTEMPTS });
    expect(lines).toEqual([{ error: expect.objectContaining({ message: expect.stringContaining('refused') }), message: `applying accepted event batch ${poisoned.batch} failed; it is tried again later, and set aside as failed after ${JOURNAL_MAX_ATTEMPTS} tries` }]);
  });
});

describe('a database out of reach in the server log', () => {
  plainIt('is said once a minute over ten minutes of accepted batches and drains, where each logged a stack trace', async () => {
    const away = await unreachableStore();
    let now = Date.parse('2026-06-15T10:00:00Z');
    const clock = () => new Date(now);
    const logged: string[] = [];
    const app = await buildServer({ store: away, now: clock, consoleDir: false, logger: { level: 'error', stream: logInto(logged) } });
    try {
      const lines: { error: unknown; message: string }[] = [];
      const report = backgroundErrors((error, message) => lines.push({ error, message }), 'applying accepted events failed', () => now);
      const applier = { store: away, now: clock, onError: report };
      for (let second = 0; second < 600; second++) {
        // A client's batch a second, refused 503 while the store is away, and the journal's drain.
        const reply = await app.inject({ method: 'POST', url: '/api/v1/events', headers: { prefer: 'respond-async' }, payload: { events: [order(`E${second}`, 'C1')] } });
        expect(reply.statusCode).toBe(503);
        await applyJournal(applier).catch(report);
        now += 1_000;
      }
      const minutes = 600_000 / OUTAGE_REPEAT_MS;
      expect(lines).toHaveLength(minutes);
      for (const line of lines) {
        expect(line.error).toBeUndefined();
        expect(line.message).toMatch(/^applying accepted events failed: the database cannot be reached \(connect ECONNREFUSED 127\.0\.0\.1:\d+\); trying again, said once a minute while it lasts$/);
      }
      const errors = logged.map((line) => JSON.parse(line) as { msg: string; err?: unknown });
      expect(errors).toHaveLength(minutes);
      for (const entry of errors) {
        expect(entry.err).toBeUndefined();
        expect(entry.msg).toMatch(/^answering requests failed: the database cannot be reached \(.*\); trying again, said once a minute while it lasts$/);
      }
    } finally {
      await app.close();
      await away.close();
    }
  });
});
