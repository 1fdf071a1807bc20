// A large export in the console shows how far its file has come against the members the server
// said would come (X-Tagbase-Members), and can be cancelled, saving nothing: a segment of 300,000
// customers showed a spinner for a minute, with no way out. Between the browser and the server
// stands a pass-through that holds an export's rows after the first part until the test lets
// them go, so the bar is seen midway whatever the machine's speed.
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { consoleRunnable, screenshotFailure, startConsole, stopConsole, type ConsoleSession } from '../support/console.js';

const runnable = consoleRunnable('export progress');

const PROXY_PORT = 8461;
const CUSTOMERS = 3000;

describe.runIf(runnable)('export progress', { timeout: 180_000 }, () => {
  let session: ConsoleSession | undefined;
  let page: Page;
  let base = '';
  let proxy: Server | undefined;
  /** Lets the held export's remaining rows through. */
  let release: (() => void) | undefined;
  let held: Promise<void> = Promise.resolve();
  let heldNow: () => void = () => undefined;

  /** Passes every request through; an export's answer stops after its first part until `release`. */
  const pass = (target: URL) => (incoming: IncomingMessage, outgoing: ServerResponse) => {
    const upstream = request(new URL(incoming.url ?? '/', target), { method: incoming.method, headers: incoming.headers }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      if (!/\/export(\?|$)/.test(incoming.url ?? '')) {
        answer.pipe(outgoing);
        return;
      }
      let first = true;
      const gate = new Promise<void>((resolve) => (release = resolve));
      answer.on('data', (chunk: Buffer) => {
        outgoing.write(chunk);
        if (!first) return;
        first = false;
        answer.pause();
        heldNow();
        void gate.then(() => answer.resume());
      });
      answer.on('end', () => outgoing.end());
    });
    // The browser gone (a cancelled download): the server's answer goes too.
    outgoing.on('close', () => upstream.destroy());
    incoming.pipe(upstream);
  };

  const hold = () => {
    held = new Promise<void>((resolve) => (heldNow = resolve));
  };

  beforeAll(async () => {
    session = await startConsole({ name: 'web-export-progress', demo: { customers: 20, eventsPerCustomer: 2, seed: 5 } });
    page = session.page;
    const headers = { 'content-type': 'application/json', 'x-tagbase-workspace': 'demo' };
    for (let start = 0; start < CUSTOMERS; start += 1000) {
      const customers = Array.from({ length: 1000 }, (_, i) => ({ id: `BIG-${String(start + i).padStart(5, '0')}`, city: '鄂尔多斯', name: `客户${String(start + i)}` }));
      expect((await fetch(`${session.base}/api/v1/customers`, { method: 'POST', headers, body: JSON.stringify({ customers }) })).status).toBe(200);
    }
    expect((await fetch(`${session.base}/api/v1/segments`, { method: 'POST', headers, body: JSON.stringify({ key: 'ordos', name: '鄂尔多斯客户', expression: 'city = "鄂尔多斯"' }) })).status).toBe(201);
    proxy = createServer(pass(new URL(session.base)));
    await new Promise<void>((resolve) => proxy?.listen(PROXY_PORT, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${String(PROXY_PORT)}`;
  }, 120_000);

  afterAll(async () => {
    release?.();
    await new Promise<void>((resolve) => (proxy ? proxy.close(() => resolve()) : resolve()));
    await stopConsole(session ?? {});
  });

  afterEach(async (context) => {
    await screenshotFailure(page, 'export-progress', context.task);
  });

  it('shows the rows received against the members while the file downloads, then saves it whole', async () => {
    await page.goto(`${base}/segments`);
    hold();
    const file = page.waitForEvent('download');
    await page.getByTestId('segment-export-ordos').click();
    await held;
    const bar = page.getByTestId('export-progress');
    await expect.poll(() => page.getByTestId('export-progress-text').textContent()).toMatch(/^已接收 [\d,]+ \/ 3,000 位客户（[\d.,]+ KB）$/);
    const shown = Number(await bar.locator('.ant-progress-text').textContent().then((text) => (text ?? '').replace('%', '')));
    expect(shown).toBeGreaterThanOrEqual(0);
    expect(shown).toBeLessThan(100);
    expect(await page.getByTestId('export-cancel').textContent()).toBe('取消导出');
    release?.();
    const saved = await file;
    expect(saved.suggestedFilename()).toBe('鄂尔多斯客户.csv');
    expect(readFileSync(await saved.path(), 'utf8').trim().split('\n')).toHaveLength(CUSTOMERS + 1);
    await expect.poll(() => bar.count()).toBe(0);
  });

  it('cancels the download, saving nothing, and says so in English too', async () => {
    let downloads = 0;
    const count = () => (downloads += 1);
    page.on('download', count);
    for (const [lang, cancel, cancelled] of [
      ['zh-CN', '取消导出', '已取消导出，未保存文件'],
      ['en-US', 'Cancel export', 'Export cancelled; no file was saved'],
    ] as const) {
      await page.goto(`${base}/segments`);
      await page.evaluate(`localStorage.setItem('tagbase.lang', ${JSON.stringify(lang)})`);
      await page.reload();
      hold();
      await page.getByTestId('segment-export-ordos').click();
      await held;
      await expect.poll(() => page.getByTestId('export-progress-text').textContent()).toMatch(/3,000/);
      await page.getByTestId('export-cancel').filter({ hasText: cancel }).click();
      await expect.poll(() => page.locator('.ant-message').textContent()).toContain(cancelled);
      await expect.poll(() => page.getByTestId('export-progress').count()).toBe(0);
      // The held rows let go now reach no one: nothing is saved.
      release?.();
    }
    // A download after them is the first saved: neither cancelled one came in before it.
    hold();
    const file = page.waitForEvent('download');
    await page.getByTestId('segment-export-ordos').click();
    await held;
    release?.();
    expect((await file).suggestedFilename()).toBe('鄂尔多斯客户.csv');
    page.off('download', count);
    expect(downloads).toBe(1);
  });
});
