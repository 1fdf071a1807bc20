// A full build on a SQLite file reads its pages on a second thread: the index must be the one
// the store's own connection gives, pages it cannot read as documents read here, its errors
// the build's, and no thread may outlive a build, finished, failed or abandoned.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as WorkerThreads from 'node:worker_threads';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WorkspaceContext } from '../../src/engine/context.js';
import { upsertCustomers } from '../../src/engine/customers.js';
import { createCustomField } from '../../src/engine/fields.js';
import { ingestEvents } from '../../src/engine/ingest.js';
import { mergeCustomers } from '../../src/engine/merge.js';
import { assignTag } from '../../src/engine/tagging.js';
import { ensureWorkspace } from '../../src/engine/workspaces.js';
import { buildSettings, loadWorkspacePages } from '../../src/index/build.js';
import { checksumOf } from '../../src/index/snapshot.js';
import { SnapshotWriter } from '../../src/index/snapshot-format.js';
import { WorkspaceIndex } from '../../src/index/workspace-index.js';
import { openStore, type Store } from '../../src/store/connect.js';
import { defineTag, interests, stage } from '../engine/support.js';
import { TestClock, forEachStore, it as storeIt } from '../support/stores.js';

/** What each page reader thread the tests start said and whether it ended. */
interface Started {
  said: string[];
  exited: boolean;
}

const threads = vi.hoisted(() => ({ started: [] as Started[], file: undefined as string | undefined }));

vi.mock('node:worker_threads', async (importOriginal) => {
  const original = await importOriginal<typeof WorkerThreads>();
  class TrackedWorker extends original.Worker {
    constructor(url: string | URL, options: WorkerThreads.WorkerOptions = {}) {
      // `threads.file` stands in for the store's file: one the thread cannot open.
      const data = options.workerData as Record<string, unknown>;
      super(url, threads.file === undefined ? options : { ...options, workerData: { ...data, file: threads.file } });
      const started: Started = { said: [], exited: false };
      threads.started.push(started);
      this.on('message', (message: { kind: string }) => started.said.push(message.kind));
      this.on('exit', () => (started.exited = true));
    }
  }
  return { ...original, Worker: TrackedWorker };
});

function snapshotOf(index: WorkspaceIndex): string {
  const out = new SnapshotWriter();
  index.writeSnapshot(out);
  return checksumOf(out.finish());
}

/** The index as the store's own connection reads it, and as read ahead. */
async function bothWays(store: Store, workspaceId: number): Promise<{ here: string; ahead: string }> {
  buildSettings.readAhead = 0;
  const here = snapshotOf(await WorkspaceIndex.build(store, workspaceId));
  buildSettings.readAhead = saved.readAhead;
  const ahead = snapshotOf(await WorkspaceIndex.build(store, workspaceId));
  return { here, ahead };
}

/** Customers with fields, tags, metrics and a merge; `odd` adds what SQLite's JSON cannot give back as stored. */
async function seed(ctx: WorkspaceContext, customers: number, odd: boolean): Promise<void> {
  await createCustomField(ctx, { key: 'score', name: '评分', type: 'number' });
  await createCustomField(ctx, { key: 'note', name: '备注', type: 'string' });
  await defineTag(ctx, interests);
  await defineTag(ctx, stage);
  const cities = ['广州', '深圳', '上海', null];
  await upsertCustomers(
    ctx,
    Array.from({ length: customers }, (_, i) => ({
      id: `C${i}`,
      name: i % 5 === 0 ? `O"Brien ${i}` : `客户${i}`,
      city: cities[i % 4] ?? undefined,
      gender: i % 2 ? 'female' : 'male',
      birthday: `19${80 + (i % 20)}-0${1 + (i % 9)}-1${i % 10}`,
      custom: { score: i % 3 === 0 ? i * 1.5 : i, ...(i % 4 === 0 ? { note: i % 8 === 0 ? 'say "hi" 🎉' : '￥' } : {}) },
      // The reachability fields: phones for some (two for a few), WeChat and member cards for others.
      identities: [
        ...(i % 3 === 0 ? [{ kind: 'phone', value: `1380000${String(i).padStart(4, '0')}` }] : []),
        ...(i % 6 === 0 ? [{ kind: 'phone', value: `1390000${String(i).padStart(4, '0')}` }] : []),
        ...(i % 4 === 1 ? [{ kind: 'wechat_openid', value: `o-${i}` }] : []),
        ...(i % 5 === 2 ? [{ kind: 'member_card', value: `M${i}` }] : []),
      ],
    })),
  );
  const at = (i: number) => new Date(Date.parse('2026-06-01T00:00:00Z') - i * 86_400_000).toISOString();
  await ingestEvents(
    ctx,
    Array.from({ length: 2 * customers }, (_, i) => ({ id: `O${i}`, customer_id: `C${(i * 7) % customers}`, type: 'order_paid', occurred_at: at(i), properties: { order_id: `O${i}`, amount: 10.25 * (i + 1), channel: i % 2 ? 'online' : 'offline' } })),
  );
  const some = (step: number, from: number) => Array.from({ length: customers }, (_, i) => `C${i}`).filter((_, i) => i % step === from);
  await assignTag(ctx, { tag: 'interests', value: 'golf', customers: some(3, 1), source: 'manual' });
  await assignTag(ctx, { tag: 'interests', value: 'yoga', customers: some(4, 2), source: 'manual' });
  await assignTag(ctx, { tag: 'stage', value: 'pre', customers: some(5, 3), source: 'manual' });
  await mergeCustomers(ctx, 'C4', 'C5');
  if (!odd) return;
  const idOf = async (externalId: string) => (await ctx.store.db.selectFrom('customers').select('id').where('workspace_id', '=', ctx.workspaceId).where('external_id', '=', externalId).executeTakeFirstOrThrow()).id;
  // A text the build's own readers leave to JSON.parse: spaces, an escape, a nested value.
  await ctx.store.db.updateTable('customer_metrics').set({ metric_values: '{ "orders_total" : 2, "preferred_channel": "on\\u006cine", "list": [1] }' }).where('customer_id', '=', await idOf('C7')).execute();
  // A blob in a text column, a float in an integer one: their pages are read as rows.
  await ctx.store.db.updateTable('customers').set({ name: Buffer.from('客户9') as unknown as string }).where('id', '=', await idOf('C9')).execute();
  await ctx.store.db.updateTable('customers').set({ first_seen_at: 1781234567890.5 }).where('id', '=', await idOf('C10')).execute();
}

const saved = { ...buildSettings };
let directory = '';
let store: Store;
let ctx: WorkspaceContext;

beforeEach(async () => {
  threads.started.length = 0;
  threads.file = undefined;
  directory = mkdtempSync(join(tmpdir(), 'tagbase-read-ahead-'));
  store = await openStore(join(directory, 'store.db'));
  await store.migrate();
  const clock = new TestClock();
  ctx = { store, workspaceId: await ensureWorkspace(store, 'w', 'w', clock.now), workspaceKey: 'w', actor: 'tester', now: clock.now };
});

afterEach(async () => {
  Object.assign(buildSettings, saved);
  await store.close();
  rmSync(directory, { recursive: true, force: true });
});

function allStopped(): boolean {
  return threads.started.every((started) => started.exited);
}

describe('full build reading ahead on a SQLite file', () => {
  it('gives the index the store connection gives, pages that must be read as rows included', async () => {
    await seed(ctx, 34, true);
    for (const batch of [2, 3, 11, 33]) {
      buildSettings.batch = batch;
      threads.started.length = 0;
      const { here, ahead } = await bothWays(store, ctx.workspaceId);
      expect(ahead, `pages of ${batch}`).toBe(here);
      expect(threads.started, `pages of ${batch}`).toHaveLength(1);
      expect(allStopped()).toBe(true);
    }
    // Pages of 2 put the blob and the float on pages of their own making.
    buildSettings.batch = 2;
    threads.started.length = 0;
    await WorkspaceIndex.build(store, ctx.workspaceId);
    expect(threads.started[0]?.said).toContain('fallback');
    expect(threads.started[0]?.said).toContain('page');
  });

  it('starts no thread for a workspace of one page', async () => {
    await seed(ctx, 6, false);
    buildSettings.batch = 10;
    const { here, ahead } = await bothWays(store, ctx.workspaceId);
    expect(ahead).toBe(here);
    expect(threads.started).toHaveLength(0);
  });

  it('reads every page itself when the thread cannot open the store', async () => {
    await seed(ctx, 20, true);
    buildSettings.batch = 3;
    threads.file = join(directory, 'missing.db');
    const { here, ahead } = await bothWays(store, ctx.workspaceId);
    expect(ahead).toBe(here);
    expect(threads.started.map((started) => started.said)).toEqual([['unavailable']]);
    expect(allStopped()).toBe(true);
  });

  it('reads a page it could not read as a document over the ids the thread paged, whatever changed since', async () => {
    await seed(ctx, 30, false);
    const ids = async () => (await store.db.selectFrom('customers').select('id').where('workspace_id', '=', ctx.workspaceId).orderBy('id').execute()).map((row) => row.id);
    const [, , , , , , , , , , , , twelfth, thirteenth] = await ids();
    if (twelfth === undefined || thirteenth === undefined) throw new Error('fewer customers than seeded');
    // Pages of 2: the seventh page, of the twelfth and thirteenth customers, is read as rows.
    await store.db.updateTable('customers').set({ first_seen_at: 1781234567890.5 }).where('id', '=', twelfth).execute();
    buildSettings.batch = 2;
    const read: number[] = [];
    for await (const page of loadWorkspacePages(store, ctx.workspaceId)) {
      read.push(...page.customers.map((row) => row[0]));
      if (read.length !== 10) continue;
      // Two pages ahead of the fifth, the thread has paged the seventh; the customer then goes,
      // so reading `batch` customers after the sixth page would take one of the eighth too.
      await vi.waitFor(() => expect(threads.started[0]?.said).toEqual(['page', 'page', 'page', 'page', 'page', 'fallback']));
      await sql`pragma foreign_keys = off`.execute(store.db);
      for (const table of ['identities', 'events', 'assignments', 'customer_metrics', 'customers'] as const) await store.db.deleteFrom(table).where(table === 'customers' ? 'id' : 'customer_id', '=', thirteenth).execute();
      await sql`pragma foreign_keys = on`.execute(store.db);
    }
    expect(read).toEqual(await ids());
  });

  it("fails the build with the thread's error, and stops the thread", async () => {
    await seed(ctx, 30, false);
    Object.assign(buildSettings, { batch: 2, readAhead: 1 });
    const pages = loadWorkspacePages(store, ctx.workspaceId);
    expect((await pages.next()).done).toBe(false);
    expect((await pages.next()).done).toBe(false);
    // The thread reads a page only once the build took the one before: at most one page
    // after this one was read before the table went.
    await store.db.schema.alterTable('customer_metrics').renameTo('customer_metrics_gone').execute();
    const read = (async () => {
      for await (const _page of pages);
    })();
    await expect(read).rejects.toThrow(/no such table: customer_metrics/);
    expect(threads.started[0]?.said).toContain('error');
    expect(allStopped()).toBe(true);
  });

  it('stops the thread when the build is abandoned', async () => {
    await seed(ctx, 30, false);
    buildSettings.batch = 2;
    let taken = 0;
    for await (const _page of loadWorkspacePages(store, ctx.workspaceId)) if (++taken === 3) break;
    expect(threads.started).toHaveLength(1);
    expect(allStopped()).toBe(true);
  });

  it('stops the thread when reading a page into the index fails', async () => {
    await seed(ctx, 30, false);
    buildSettings.batch = 2;
    let taken = 0;
    const build = (async () => {
      for await (const _page of loadWorkspacePages(store, ctx.workspaceId)) if (++taken === 4) throw new Error('index full');
    })();
    await expect(build).rejects.toThrow('index full');
    expect(allStopped()).toBe(true);
  });
});

forEachStore('full build without a file to read ahead from', (h) => {
  storeIt('reads every page on the store connection', async () => {
    const context = h.context();
    await seed(context, 12, h.kind === 'sqlite');
    buildSettings.batch = 2;
    const { here, ahead } = await bothWays(context.store, context.workspaceId);
    expect(ahead).toBe(here);
    expect(threads.started).toHaveLength(0);
  });
});
