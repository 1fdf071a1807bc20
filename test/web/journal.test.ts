// Event batches accepted with `Prefer: respond-async`, as the console's overview shows them in a
// real browser (Debian's Chromium through playwright-core): batches waiting to be applied, and
// batches that failed, each with its error and a retry that applies it, and a retry of them all.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/connect.js';
import { consoleRunnable, screenshotFailure, startConsole, stopConsole, type ConsoleSession } from '../support/console.js';

const runnable = consoleRunnable("the overview's accepted events");

describe.runIf(runnable)('accepted events on the overview', { timeout: 120_000 }, () => {
  let session: ConsoleSession | undefined;
  let store: Store;
  let page: Page;
  let base = '';
  let workspaceId = 0;

  beforeAll(async () => {
    session = await startConsole({ name: 'web-journal', demo: { customers: 40, eventsPerCustomer: 2, seed: 5 } });
    ({ store, page, base } = session);
    workspaceId = (await store.db.selectFrom('workspaces').select('id').where('key', '=', 'demo').executeTakeFirstOrThrow()).id;
  }, 120_000);

  afterAll(() => stopConsole(session ?? {}));

  afterEach((context) => screenshotFailure(page, 'journal', context.task));

  /** A batch as `POST /events` with `Prefer: respond-async` stores it, in the given state. */
  const journaled = async (status: 'pending' | 'failed', key: string, extra: { attempts?: number; error?: string } = {}) => {
    const events = JSON.stringify({ duplicates: 0, events: [[key, 'JOURNAL-1', 'cart_added', Date.now() - 60_000, '{"sku":"SKU-9"}']] });
    const row = await store.db
      .insertInto('event_journal')
      .values({ workspace_id: workspaceId, actor: null, received_at: Date.now() - 30_000, received: 1, event_count: 1, events, status, attempts: extra.attempts ?? 0, error: extra.error ?? null })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  };
  const stored = async (key: string) => (await store.db.selectFrom('events').select('id').where('event_key', '=', key).execute()).length;

  it('shows nothing while no batch waits or failed', async () => {
    await page.goto(base);
    await page.getByTestId('overview-care-due').waitFor();
    expect(await page.getByTestId('journal-notice').count()).toBe(0);
  });

  it('says how many accepted events wait, and stops once they are applied', async () => {
    await journaled('pending', 'J-PENDING');
    await page.reload();
    const pending = page.getByTestId('journal-pending');
    await pending.waitFor();
    expect(await pending.textContent()).toMatch(/正在应用已接收的事件：1 批，共 1 条，最早的接收于 /);
    // A batch sent now makes the server apply every pending one.
    const sent = await fetch(`${base}/api/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-tagbase-workspace': 'demo', prefer: 'respond-async' },
      body: JSON.stringify({ events: [{ id: 'J-SENT', customer_id: 'JOURNAL-1', type: 'cart_added', occurred_at: new Date().toISOString(), properties: { sku: 'SKU-1' } }] }),
    });
    expect(sent.status).toBe(202);
    await pending.waitFor({ state: 'detached' });
    expect([await stored('J-PENDING'), await stored('J-SENT')]).toEqual([1, 1]);
  });

  it('lists a failed batch with its error, and applies it on 重试', async () => {
    const batch = await journaled('failed', 'J-FAILED', { attempts: 8, error: 'SQLITE_FULL: database or disk is full' });
    await page.reload();
    const failed = page.getByTestId(`journal-failed-${batch}`);
    await failed.waitFor();
    expect(await page.getByTestId('journal-failed').textContent()).toContain('1 批已接收的事件多次应用失败，已暂停');
    expect(await failed.textContent()).toMatch(new RegExp(`批次 #${batch} · 1 条事件 · 接收于 .+ · 已尝试 8 次SQLITE_FULL: database or disk is full`));
    await page.getByTestId(`journal-retry-${batch}`).click();
    await page.getByText(`批次 #${batch} 已应用`).waitFor();
    await page.getByTestId('journal-notice').waitFor({ state: 'detached' });
    expect(await stored('J-FAILED')).toBe(1);
  });

  it('retries every failed batch at once with 全部重试, offered once more than one failed', async () => {
    const first = await journaled('failed', 'J-ALL-1', { attempts: 8, error: 'SQLITE_FULL: database or disk is full' });
    await page.reload();
    await page.getByTestId(`journal-failed-${first}`).waitFor();
    expect(await page.getByTestId('journal-retry-all').count()).toBe(0);
    await journaled('failed', 'J-ALL-2', { attempts: 8, error: 'SQLITE_FULL: database or disk is full' });
    await page.reload();
    const all = page.getByTestId('journal-retry-all');
    await all.waitFor();
    expect(await all.textContent()).toBe('全部重试（2 批）');
    await all.click();
    await page.getByText('已重试 2 批，全部应用成功').waitFor();
    await page.getByTestId('journal-notice').waitFor({ state: 'detached' });
    expect([await stored('J-ALL-1'), await stored('J-ALL-2')]).toEqual([1, 1]);
  });
});
