import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect } from 'vitest';
import { sql } from 'kysely';
import Database from 'better-sqlite3';
import { forEachStore, it, openTestStore } from '../support/stores.js';
import { ingestEvents } from '../../src/engine/ingest.js';
import { JOURNAL_MAX_ATTEMPTS, applyJournal, journalBatch, journalEvents, journalSummary, purgeJournal, retryFailedJournalBatches, retryJournalBatch, stopJournal } from '../../src/engine/event-journal.js';
import { startScheduler } from '../../src/engine/scheduler.js';
import { getPortrait } from '../../src/engine/portrait.js';
import { ensureWorkspace } from '../../src/engine/workspaces.js';
import { deleteWorkspace } from '../../src/engine/workspace-deletion.js';
import { eraseCustomer } from '../../src/engine/erasure.js';
import { openStore, type Store } from '../../src/store/connect.js';
import type { WorkspaceContext } from '../../src/engine/context.js';
import { defineTag, refuseInserts, rejected } from './support.js';

const order = (id: string, customer: string, at: string, amount = 199) => ({
  id,
  customer_id: customer,
  type: 'order_paid',
  occurred_at: at,
  properties: { order_id: `O-${id}`, amount, channel: 'online', items: [{ sku: 'SKU1', category: '服装', price: amount, quantity: 1 }] },
});

const BIN = join(import.meta.dirname, '../../bin/tagbase.js');

const buyer = { key: 'buyer', name: '买家', kind: 'rule' as const, values: [{ key: 'yes', name: '是', condition: 'orders_total >= 1' }] };

forEachStore('event journal', (h) => {
  const applier = (ctx: WorkspaceContext) => ({ store: ctx.store, now: ctx.now, observer: ctx.observer });

  it('accepts a batch without applying it, then applies it as a direct ingest would', async () => {
    const ctx = h.context();
    await defineTag(ctx, buyer);
    const receipt = await journalEvents(ctx, [order('E1', 'C1', '2026-06-01T08:00:00Z'), order('E2', 'C2', '2026-06-02T08:00:00Z'), order('E1', 'C1', '2026-06-01T08:00:00Z')]);
    expect(receipt).toEqual({ received: 3, batch: expect.any(Number), status: 'pending' });
    // Accepted is not applied: no customer, no event yet, and the batch waits.
    expect(await ctx.store.db.selectFrom('events').select('id').where('workspace_id', '=', ctx.workspaceId).execute()).toEqual([]);
    expect(await journalSummary(ctx)).toEqual({ pending_batches: 1, pending_events: 2, oldest_pending_at: h.clock.now().toISOString(), failed_batches: 0, failed: [] });
    expect(await journalBatch(ctx, receipt.batch)).toMatchObject({ status: 'pending', received: 3, applied_at: null, result: null });

    h.clock.advance(1_000);
    expect(await applyJournal(applier(ctx))).toEqual({ applied: 1, stored: 2, failed: 0 });
    expect(await journalBatch(ctx, receipt.batch)).toEqual({
      batch: receipt.batch,
      status: 'applied',
      received: 3,
      received_at: '2026-06-15T10:00:00.000Z',
      applied_at: '2026-06-15T10:00:01.000Z',
      attempts: 1,
      error: null,
      result: { stored: 2, duplicates: 1, customers_created: 2, tags_changed: 2 },
    });
    expect(await journalSummary(ctx)).toEqual({ pending_batches: 0, pending_events: 0, oldest_pending_at: null, failed_batches: 0, failed: [] });
    const portrait = await getPortrait(ctx, 'C1');
    expect(portrait.tags.map((tag) => tag.label)).toEqual(['买家: 是']);
    expect(portrait.metrics.find((metric) => metric.key === 'orders_total')?.value).toBe(1);
    // The events keep the time they were accepted, not the time they were applied.
    const stored = await ctx.store.db.selectFrom('events').select('received_at').where('workspace_id', '=', ctx.workspaceId).execute();
    expect(stored.map((row) => row.received_at)).toEqual([Date.parse('2026-06-15T10:00:00Z'), Date.parse('2026-06-15T10:00:00Z')]);
    // The applied batch no longer keeps its events.
    const row = await ctx.store.db.selectFrom('event_journal').select('events').where('id', '=', receipt.batch).executeTakeFirstOrThrow();
    expect(row.events).toBeNull();
  });

  it('appends batches that arrive together in order, one failing append not failing the others', async () => {
    const ctx = h.context();
    // The store refuses the batch of three events, as a full disk would.
    const accept = await refuseInserts(h.kind, ctx.store.db, 'event_journal', 'received', 3);
    const sizes = [1, 2, 3, 4, 5];
    const outcomes = await Promise.allSettled(sizes.map((size) => journalEvents(ctx, Array.from({ length: size }, (_, k) => order(`S${size}-${k}`, `C${k}`, '2026-06-01T08:00:00Z')))));
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    const batches = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value.batch] : []));
    expect([...batches].sort((a, b) => a - b)).toEqual(batches);
    expect(await journalSummary(ctx)).toMatchObject({ pending_batches: 4, pending_events: 12 });
    // The store and its journal are the other tests' too.
    await accept();
    await ctx.store.db.deleteFrom('event_journal').where('workspace_id', '=', ctx.workspaceId).execute();
  });

  it('a drain whose batches went with their workspace, deleted after it read them, ends without an error', async () => {
    const ctx = h.context();
    await journalEvents(ctx, [order('E1', 'C1', '2026-06-01T08:00:00Z')]);
    // Deleted between the drain's look at the journal and its applying the batch: the drain
    // waits while the process is accepting, and the deletion is under way until it has committed.
    let deletion: Promise<unknown> | undefined;
    let deleted = false;
    const accepting = () => {
      deletion ??= deleteWorkspace(ctx.store, ctx.workspaceKey, ctx.now, { actor: 'admin', source: 'cli' }).then(() => (deleted = true));
      return !deleted;
    };
    await expect(applyJournal({ ...applier(ctx), accepting })).resolves.toMatchObject({ applied: 0, failed: 0 });
    expect(deleted).toBe(true);
    expect(await ctx.store.db.selectFrom('event_journal').select('id').where('workspace_id', '=', ctx.workspaceId).execute()).toEqual([]);
  });

  it('lets batches being accepted go first: a drain waits while the process is accepting', async () => {
    const ctx = h.context();
    await journalEvents(ctx, [order('E1', 'C1', '2026-06-01T08:00:00Z')]);
    const seen: string[] = [];
    let asked = 0;
    const observer = { customersChanged: () => void seen.push('applied'), catalogChanged: () => undefined };
    // Busy for the first three looks, then quiet.
    const accepting = () => {
      asked++;
      if (asked === 3) seen.push('quiet');
      return asked < 3;
    };
    expect(await applyJournal({ store: ctx.store, now: ctx.now, observer, accepting })).toMatchObject({ applied: 1 });
    expect(seen).toEqual(['quiet', 'applied']);
  });

  it('stops after the group it is writing when the server shuts down, leaving the rest pending for the next start', async () => {
    // A store of its own: once stopped, this process applies nothing more to it.
    const own = await openTestStore(h.kind);
    try {
      const workspaceId = await ensureWorkspace(own.store, 'shop', '门店', h.clock.now);
      const on = (actor: string): WorkspaceContext => ({ store: own.store, workspaceId, workspaceKey: 'shop', actor, now: h.clock.now });
      // Two actors, so two groups, applied one after the other.
      const first = await journalEvents(on('a'), [order('E1', 'C1', '2026-06-01T08:00:00Z')]);
      const second = await journalEvents(on('b'), [order('E2', 'C2', '2026-06-01T08:00:00Z')]);
      let stopping: Promise<void> | undefined;
      // The shutdown comes while the first group is being applied.
      const observer = { customersChanged: () => void (stopping ??= stopJournal(own.store)), catalogChanged: () => undefined };
      const drain = applyJournal({ store: own.store, now: h.clock.now, observer });
      expect(await drain).toEqual({ applied: 1, stored: 1, failed: 0 });
      await stopping;
      expect((await journalBatch(on('a'), first.batch)).status).toBe('applied');
      expect((await journalBatch(on('b'), second.batch)).status).toBe('pending');
      // Nor does anything start a drain any more (a request accepting a batch, a scheduler round).
      expect(await applyJournal({ store: own.store, now: h.clock.now })).toEqual({ applied: 0, stored: 0, failed: 0 });
      expect((await journalBatch(on('b'), second.batch)).status).toBe('pending');
    } finally {
      await own.dispose();
    }
  });

  it('lets a scheduler round under way finish before its stop resolves, so that the store closes under nothing', async () => {
    const own = await openTestStore(h.kind);
    try {
      await ensureWorkspace(own.store, 'shop', '门店', h.clock.now);
      const scheduler = startScheduler(own.store, h.clock.now, { intervalMs: 3_600_000 });
      const round = scheduler.tick();
      await scheduler.stop();
      let settled = false;
      void round.finally(() => {
        settled = true;
      });
      // Settled already: a turn of the event loop lets the flag be set.
      await new Promise((resolve) => setImmediate(resolve));
      expect(settled).toBe(true);
      await round;
      expect(await scheduler.tick()).toEqual([]);
    } finally {
      await own.dispose();
    }
  });

  it('refuses a bad batch whole, as a direct ingest does, and keeps nothing of it', async () => {
    const ctx = h.context();
    const error = await rejected(journalEvents(ctx, [order('E1', 'C1', '2026-06-01T08:00:00Z'), { id: 'E2', customer_id: 'C1', type: 'order_paid', occurred_at: 'yesterday' }]));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.items?.map((item) => [item.index, item.path])).toEqual([
      [1, 'occurred_at'],
      [1, 'properties.order_id'],
      [1, 'properties.amount'],
    ]);
    expect((await rejected(journalEvents(ctx, Array.from({ length: 10_001 }, (_, k) => order(`E${k}`, 'C1', '2026-06-01T08:00:00Z'))))).code).toBe('BATCH_TOO_LARGE');
    expect(await journalSummary(ctx)).toMatchObject({ pending_batches: 0 });
    expect((await rejected(journalBatch(ctx, 999_999))).code).toBe('JOURNAL_BATCH_NOT_FOUND');
  });

  it('applies the batches of one workspace and actor together, each counted on its own, the first copy of an id winning', async () => {
    const writes: number[][] = [];
    const ctx = { ...h.context(), observer: { customersChanged: (_workspace: number, ids: readonly number[]) => void writes.push([...ids]), catalogChanged: () => undefined } };
    await defineTag(ctx, buyer);
    writes.length = 0;
    const first = await journalEvents(ctx, [order('E1', 'C1', '2026-06-01T08:00:00Z')]);
    const second = await journalEvents(ctx, [order('E2', 'C2', '2026-06-01T09:00:00Z'), order('E1', 'C1', '2026-06-01T08:00:00Z'), order('E5', 'C4', '2026-06-02T08:00:00Z')]);
    const third = await journalEvents(ctx, [order('E3', 'C1', '2026-06-03T08:00:00Z'), order('E5', 'C4', '2026-06-04T08:00:00Z', 5)]);
    // Another actor's batch is written on its own, after them.
    const other = await journalEvents({ ...ctx, actor: '导购-王芳' }, [order('E6', 'C5', '2026-06-05T08:00:00Z')]);
    expect(await applyJournal(applier(ctx))).toEqual({ applied: 4, stored: 5, failed: 0 });
    expect(writes.map((ids) => ids.length)).toEqual([3, 1]);
    const results = await Promise.all([first, second, third, other].map(async (receipt) => (await journalBatch(ctx, receipt.batch)).result));
    expect(results).toEqual([
      { stored: 1, duplicates: 0, customers_created: 1, tags_changed: 1 },
      { stored: 2, duplicates: 1, customers_created: 2, tags_changed: 2 },
      { stored: 1, duplicates: 1, customers_created: 0, tags_changed: 1 },
      { stored: 1, duplicates: 0, customers_created: 1, tags_changed: 1 },
    ]);
    const e5 = await ctx.store.db.selectFrom('events').select('occurred_at').where('workspace_id', '=', ctx.workspaceId).where('event_key', '=', 'E5').executeTakeFirstOrThrow();
    expect(e5.occurred_at).toBe(Date.parse('2026-06-02T08:00:00Z'));
    // An id stored by a direct ingest before is a duplicate for an accepted batch too.
    await ingestEvents(ctx, [order('E7', 'C1', '2026-06-07T08:00:00Z')]);
    const again = await journalEvents(ctx, [order('E7', 'C1', '2026-06-07T08:00:00Z')]);
    await applyJournal(applier(ctx));
    expect((await journalBatch(ctx, again.batch)).result).toEqual({ stored: 0, duplicates: 1, customers_created: 0, tags_changed: 0 });
  });

  it('counts a customer made by a group as created by the batch whose stored event made it, not by one whose duplicate named it', async () => {
    const ctx = h.context();
    await defineTag(ctx, buyer);
    await ingestEvents(ctx, [order('E1', 'C1', '2026-06-01T08:00:00Z')]);
    // The same id again naming a new customer: a duplicate, which makes no one.
    const stale = await journalEvents(ctx, [order('E1', 'C9', '2026-06-01T08:00:00Z')]);
    const fresh = await journalEvents(ctx, [order('E2', 'C9', '2026-06-02T08:00:00Z')]);
    expect(await applyJournal(applier(ctx))).toEqual({ applied: 2, stored: 1, failed: 0 });
    expect((await journalBatch(ctx, stale.batch)).result).toEqual({ stored: 0, duplicates: 1, customers_created: 0, tags_changed: 0 });
    expect((await journalBatch(ctx, fresh.batch)).result).toEqual({ stored: 1, duplicates: 0, customers_created: 1, tags_changed: 1 });
  });

  it('tries a failing batch again later without holding up the others, sets it aside after repeated failures, and applies it when retried', async () => {
    const ctx = h.context();
    // The store refuses one event, as a broken constraint would.
    const accept = await refuseInserts(h.kind, ctx.store.db, 'events', 'event_key', 'POISON');
    const good = await journalEvents(ctx, [order('E1', 'C1', '2026-06-01T08:00:00Z')]);
    const poisoned = await journalEvents(ctx, [order('POISON', 'C2', '2026-06-01T09:00:00Z'), order('E2', 'C2', '2026-06-01T09:00:00Z')]);
    const after = await journalEvents(ctx, [order('E3', 'C3', '2026-06-01T10:00:00Z')]);
    expect(await applyJournal(applier(ctx))).toEqual({ applied: 2, stored: 2, failed: 1 });
    expect((await journalBatch(ctx, good.batch)).status).toBe('applied');
    expect((await journalBatch(ctx, after.batch)).status).toBe('applied');
    expect(await journalBatch(ctx, poisoned.batch)).toMatchObject({ status: 'pending', attempts: 1, error: expect.stringContaining('refused') });
    // Not due again at once: a drain now leaves it.
    expect(await applyJournal(applier(ctx))).toEqual({ applied: 0, stored: 0, failed: 0 });
    for (let attempt = 2; attempt <= JOURNAL_MAX_ATTEMPTS; attempt++) {
      h.clock.advance(600_000);
      expect(await applyJournal(applier(ctx))).toMatchObject({ failed: 1 });
    }
    expect(await journalBatch(ctx, poisoned.batch)).toMatchObject({ status: 'failed', attempts: JOURNAL_MAX_ATTEMPTS });
    expect(await journalSummary(ctx)).toMatchObject({ pending_batches: 0, failed_batches: 1, failed: [{ batch: poisoned.batch, status: 'failed', received: 2, attempts: JOURNAL_MAX_ATTEMPTS, error: expect.stringContaining('refused') }] });
    h.clock.advance(600_000);
    expect(await applyJournal(applier(ctx))).toEqual({ applied: 0, stored: 0, failed: 0 });
    // Retried by hand once the store takes it.
    await accept();
    expect(await retryJournalBatch(ctx, poisoned.batch)).toMatchObject({ status: 'pending', attempts: 0 });
    await applyJournal(applier(ctx));
    expect(await journalBatch(ctx, poisoned.batch)).toMatchObject({ status: 'applied', attempts: 1, result: { stored: 2 } });
    const events = await ctx.store.db.selectFrom('events').select('event_key').where('workspace_id', '=', ctx.workspaceId).orderBy('event_key').execute();
    expect(events.map((event) => event.event_key)).toEqual(['E1', 'E2', 'E3', 'POISON']);
  });

  it('spends none of a batch’s tries while the store is away, and applies it once the store is back', async () => {
    // A store of its own: on it every transaction finds the store away for a while.
    const own = await openTestStore(h.kind);
    const directory = mkdtempSync(join(tmpdir(), 'tagbase-journal-outage-'));
    let holder: Database.Database | undefined;
    try {
      const file = join(directory, 'held.db');
      // Before any transaction: a statement prepared before the attach (cached) would not lock it.
      if (h.kind === 'sqlite') await sql`attach database ${file} as held`.execute(own.store.db);
      const workspaceId = await ensureWorkspace(own.store, 'shop', '门店', h.clock.now);
      const ctx: WorkspaceContext = { store: own.store, workspaceId, workspaceKey: 'shop', actor: 'pos', now: h.clock.now };
      const accepted = await journalEvents(ctx, [order('E1', 'C1', '2026-06-01T08:00:00Z')]);
      let back: () => Promise<void>;
      if (h.kind === 'postgres') {
        // The server ends the connection under the batch's transaction, as a restart does; the
        // next connection reaches it again, so the failed try could be (and was) counted.
        await sql`create table outage (since bigint)`.execute(own.store.db);
        await sql`insert into outage values (1)`.execute(own.store.db);
        await sql`create function drop_connection() returns trigger language plpgsql as $$ begin if exists (select 1 from outage) then perform pg_terminate_backend(pg_backend_pid()); end if; return new; end $$`.execute(own.store.db);
        await sql`create trigger drop_connection before insert on events for each row execute function drop_connection()`.execute(own.store.db);
        back = async () => {
          await sql`delete from outage`.execute(own.store.db);
        };
      } else {
        // Another process holds a write lock past the busy timeout ("database is locked"): here on
        // a file attached beside the store, which every transaction's begin locks too, while a
        // lone update of the store (the try's record) goes through, as once the other commits.
        await sql`create table held.t (x integer)`.execute(own.store.db);
        await sql`pragma busy_timeout = 0`.execute(own.store.db);
        holder = new Database(file);
        holder.exec('begin immediate');
        back = async () => {
          holder?.exec('commit');
        };
      }
      for (let attempt = 1; attempt <= JOURNAL_MAX_ATTEMPTS + 2; attempt++) {
        expect(await applyJournal({ store: own.store, now: h.clock.now })).toEqual({ applied: 0, stored: 0, failed: 1 });
        expect(await journalBatch(ctx, accepted.batch)).toMatchObject({ status: 'pending', attempts: 0, error: expect.stringMatching(h.kind === 'postgres' ? /terminat/ : /database is locked/) });
        // Tried again after a pause, not at once.
        expect(await applyJournal({ store: own.store, now: h.clock.now })).toEqual({ applied: 0, stored: 0, failed: 0 });
        h.clock.advance(60_000);
      }
      await back();
      expect(await applyJournal({ store: own.store, now: h.clock.now })).toEqual({ applied: 1, stored: 1, failed: 0 });
      expect(await journalBatch(ctx, accepted.batch)).toMatchObject({ status: 'applied', attempts: 1, error: null, result: { stored: 1, customers_created: 1 } });
    } finally {
      holder?.close();
      await own.dispose();
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('counts a try whose statement the database cancelled for taking too long, so a batch too slow for statement_timeout is set aside rather than tried forever', async () => {
    const own = await openTestStore(h.kind);
    try {
      const workspaceId = await ensureWorkspace(own.store, 'shop', '门店', h.clock.now);
      const ctx: WorkspaceContext = { store: own.store, workspaceId, workspaceKey: 'shop', actor: 'pos', now: h.clock.now };
      const accepted = await journalEvents(ctx, [order('E1', 'C1', '2026-06-01T08:00:00Z')]);
      if (h.kind === 'postgres') {
        // What statement_timeout raises (57014, query_canceled), every time the batch is written.
        await sql`create function too_slow() returns trigger language plpgsql as $$ begin raise exception 'canceling statement due to statement timeout' using errcode = 'query_canceled'; end $$`.execute(own.store.db);
        await sql`create trigger too_slow before insert on events for each row execute function too_slow()`.execute(own.store.db);
      } else {
        // SQLite has no statement timeout: a failure of the batch's own, which counts alike.
        await sql`create trigger too_slow before insert on events begin select raise(abort, 'too slow'); end`.execute(own.store.db);
      }
      for (let attempt = 1; attempt <= JOURNAL_MAX_ATTEMPTS; attempt++) {
        await applyJournal({ store: own.store, now: h.clock.now });
        expect((await journalBatch(ctx, accepted.batch))?.attempts).toBe(attempt);
        h.clock.advance(3_600_000);
      }
      expect(await journalBatch(ctx, accepted.batch)).toMatchObject({ status: 'failed', attempts: JOURNAL_MAX_ATTEMPTS });
    } finally {
      await own.dispose();
    }
  });

  it('puts every failed batch of the workspace back in line at once, and no other batch', async () => {
    const ctx = h.context();
    const otherId = await ensureWorkspace(ctx.store, `${h.workspaceKey()}-other`, '另一家店', h.clock.now);
    const other = await journalEvents({ ...ctx, workspaceId: otherId, workspaceKey: `${h.workspaceKey()}-other` }, [order('X1', 'C9', '2026-06-01T08:00:00Z')]);
    const batches = [];
    for (const id of ['E1', 'E2', 'E3']) batches.push(await journalEvents(ctx, [order(id, 'C1', '2026-06-01T08:00:00Z')]));
    const [first, second, third] = batches;
    if (!first || !second || !third) throw new Error('three batches');
    await ctx.store.db.updateTable('event_journal').set({ status: 'failed', attempts: JOURNAL_MAX_ATTEMPTS, error: 'refused' }).where('id', 'in', [first.batch, second.batch, other.batch]).execute();
    expect(await retryFailedJournalBatches(ctx)).toBe(2);
    expect(await journalSummary(ctx)).toMatchObject({ pending_batches: 3, failed_batches: 0 });
    expect(await journalBatch(ctx, first.batch)).toMatchObject({ status: 'pending', attempts: 0 });
    expect(await applyJournal(applier(ctx))).toEqual({ applied: 3, stored: 3, failed: 0 });
    expect(await retryFailedJournalBatches(ctx)).toBe(0);
    // Another workspace's failure is its own to retry.
    expect(await journalBatch({ ...ctx, workspaceId: otherId }, other.batch)).toMatchObject({ status: 'failed', attempts: JOURNAL_MAX_ATTEMPTS });
  });

  it('takes an erased customer’s events out of batches not applied yet, so that applying them does not bring the customer back', async () => {
    const ctx = h.context();
    await ingestEvents(ctx, [order('E0', 'C1', '2026-05-01T08:00:00Z')]);
    const mixed = await journalEvents(ctx, [order('E1', 'C1', '2026-06-01T08:00:00Z'), order('E2', 'C2', '2026-06-01T09:00:00Z')]);
    const only = await journalEvents(ctx, [order('E3', 'C1', '2026-06-02T08:00:00Z')]);
    const failed = await journalEvents(ctx, [order('E4', 'C1', '2026-06-03T08:00:00Z')]);
    await ctx.store.db.updateTable('event_journal').set({ status: 'failed' }).where('id', '=', failed.batch).execute();
    // One stored event and three waiting.
    expect(await eraseCustomer(ctx, 'C1')).toMatchObject({ records: 1, events: 4 });
    expect(await journalSummary(ctx)).toMatchObject({ pending_batches: 2, pending_events: 1 });
    const payloads = await ctx.store.db.selectFrom('event_journal').select('events').where('workspace_id', '=', ctx.workspaceId).execute();
    expect(payloads.some((row) => row.events?.includes('"C1"'))).toBe(false);
    expect(await applyJournal(applier(ctx))).toEqual({ applied: 2, stored: 1, failed: 0 });
    expect((await journalBatch(ctx, mixed.batch)).result).toEqual({ stored: 1, duplicates: 0, customers_created: 1, tags_changed: 0 });
    expect((await journalBatch(ctx, only.batch)).result).toEqual({ stored: 0, duplicates: 0, customers_created: 0, tags_changed: 0 });
    const customers = await ctx.store.db.selectFrom('customers').select('external_id').where('workspace_id', '=', ctx.workspaceId).execute();
    expect(customers.map((row) => row.external_id)).toEqual(['C2']);
  });

  it('keeps a failed batch 30 days from when it was set aside, not from when it was accepted, and a retry starts afresh', async () => {
    const ctx = h.context();
    const accept = await refuseInserts(h.kind, ctx.store.db, 'events', 'event_key', 'LATE');
    const late = await journalEvents(ctx, [order('LATE', 'C1', '2026-06-01T08:00:00Z')]);
    // It fails from the start, for most of a month: the store refused it every time (here, its last 8 tries).
    h.clock.advance(25 * 86_400_000);
    for (let attempt = 1; attempt <= JOURNAL_MAX_ATTEMPTS; attempt++) {
      await applyJournal(applier(ctx));
      h.clock.advance(600_000);
    }
    expect(await journalBatch(ctx, late.batch)).toMatchObject({ status: 'failed' });
    const setAside = h.clock.now().getTime();
    await purgeJournal(ctx.store, setAside + 29 * 86_400_000);
    expect((await journalBatch(ctx, late.batch)).status).toBe('failed');
    await accept();
    await retryJournalBatch(ctx, late.batch);
    const row = await ctx.store.db.selectFrom('event_journal').select('failed_at').where('id', '=', late.batch).executeTakeFirstOrThrow();
    expect(row.failed_at).toBeNull();
    await applyJournal(applier(ctx));
    expect((await journalBatch(ctx, late.batch)).status).toBe('applied');
  });

  it('forgets applied batches after a day and failed ones after 30 days', async () => {
    const ctx = h.context();
    const applied = await journalEvents(ctx, [order('E1', 'C1', '2026-06-01T08:00:00Z')]);
    await applyJournal(applier(ctx));
    const pending = await journalEvents(ctx, [order('E2', 'C1', '2026-06-01T09:00:00Z')]);
    await ctx.store.db.updateTable('event_journal').set({ status: 'failed' }).where('id', '=', pending.batch).execute();
    await purgeJournal(ctx.store, h.clock.now().getTime() + 86_400_000 - 1);
    expect((await journalBatch(ctx, applied.batch)).status).toBe('applied');
    await purgeJournal(ctx.store, h.clock.now().getTime() + 86_400_000 + 1);
    expect((await rejected(journalBatch(ctx, applied.batch))).code).toBe('JOURNAL_BATCH_NOT_FOUND');
    expect((await journalBatch(ctx, pending.batch)).status).toBe('failed');
    await purgeJournal(ctx.store, h.clock.now().getTime() + 30 * 86_400_000 + 1);
    expect((await rejected(journalBatch(ctx, pending.batch))).code).toBe('JOURNAL_BATCH_NOT_FOUND');
    // A day of one event per request: more batches than one statement forgets.
    const appliedAt = h.clock.now().getTime();
    for (let chunk = 0; chunk < 21; chunk++) {
      const rows = Array.from({ length: 500 }, () => ({ workspace_id: ctx.workspaceId, actor: null, received_at: appliedAt, received: 1, event_count: 1, events: null, status: 'applied' as const, result: '{}', applied_at: appliedAt }));
      await ctx.store.db.insertInto('event_journal').values(rows).execute();
    }
    await purgeJournal(ctx.store, appliedAt + 86_400_000 + 1);
    const left = await ctx.store.db.selectFrom('event_journal').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', ctx.workspaceId).executeTakeFirstOrThrow();
    expect(Number(left.n)).toBe(0);
  });

  it('applies a batch once when two processes drain the journal at the same time', async () => {
    // On PostgreSQL two pools stand for two processes; on SQLite, whose writes block the
    // thread that waits, the second process is a real one: `tagbase tick`, which drains it too.
    const directory = mkdtempSync(join(tmpdir(), 'tagbase-journal-'));
    const file = join(directory, 'shared.db');
    const pgSchema = `t_${randomBytes(6).toString('hex')}`;
    const open = () => (h.kind === 'sqlite' ? openStore(file) : openStore(process.env.TAGBASE_TEST_PG_URL ?? '', { pgSchema, poolSize: 2 }));
    const stores: Store[] = [];
    try {
      const one = await open();
      stores.push(one);
      await one.migrate();
      const workspaceId = await ensureWorkspace(one, 'shop', '门店', h.clock.now);
      // The system clock, as the other process's: its tick forgets batches applied a day before its now.
      const contextOn = (store: Store): WorkspaceContext => ({ store, workspaceId, workspaceKey: 'shop', actor: null, now: () => new Date() });
      const batches = h.kind === 'sqlite' ? 400 : 40;
      const receipts = [];
      // Each batch in a workspace of its own actor, so that every batch is a group of its own.
      for (let k = 0; k < batches; k++) receipts.push(await journalEvents({ ...contextOn(one), actor: `a${k}` }, [order(`E${k}`, `C${k % 7}`, '2026-06-01T08:00:00Z', 100)]));
      if (h.kind === 'sqlite') {
        const child = promisify(execFile)(process.execPath, [BIN, 'tick', '--database', file], { env: { ...process.env, TAGBASE_INDEX_SNAPSHOTS: 'off' } });
        // Start once the other process is applying, so that both drain at once.
        for (let wait = 0; wait < 600; wait++) {
          const row = await one.db.selectFrom('event_journal').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'applied').executeTakeFirstOrThrow();
          if (Number(row.n) > 0) break;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        await applyJournal(applier(contextOn(one)));
        await child;
      } else {
        const two = await open();
        stores.push(two);
        const reports = await Promise.all([applyJournal(applier(contextOn(one))), applyJournal(applier(contextOn(two)))]);
        expect(reports.reduce((sum, report) => sum + report.applied, 0)).toBe(batches);
      }
      for (const receipt of receipts) expect((await journalBatch(contextOn(one), receipt.batch)).result).toMatchObject({ stored: 1 });
      const events = await one.db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', workspaceId).executeTakeFirstOrThrow();
      expect(Number(events.n)).toBe(batches);
      const metrics = await one.db.selectFrom('customer_metrics').select('metric_values').where('workspace_id', '=', workspaceId).execute();
      expect(metrics.reduce((sum, row) => sum + (JSON.parse(row.metric_values) as { orders_total: number }).orders_total, 0)).toBe(batches);
    } finally {
      if (h.kind === 'postgres' && stores[0]) await sql`drop schema if exists ${sql.id(pgSchema)} cascade`.execute(stores[0].db);
      for (const store of stores) await store.close();
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
