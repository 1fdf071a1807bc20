// A large export in the console shows how far its file has come against the members the server
// said would come (X-Tagbase-Members), and can be cancelled, saving nothing: a segment of 300,000
// customers showed a spinner for a minute, with no way out. Between the browser and the server
// stands a pass-through that holds an export's rows after the first part until the test lets
// them go, so the dialog is seen midway whatever the machine's speed. Once it goes, the focus is
// back where the export was made: Esc closes a snapshot's drawer after an export from it, which
// stayed open when the dialog left the focus on the page. Beside each export, the metrics and
// fields its file adds are chosen, kept for the workspace, and named in the export log.
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PHONE, callApi, choose, consoleRunnable, dialogFocused, fitsWidth, focusedControl, openInLanguage, pick, screenshotFailure, seriousAxeViolations, startConsole, stopConsole, type ConsoleSession } from '../support/console.js';

const runnable = consoleRunnable('export progress');

const PROXY_PORT = 8637;
// Enough that the server is still writing when a download is cancelled (it reads ahead of a slow
// reader, and the sockets between hold more: a paused reader's few hundred kilobytes, the writer's
// send buffer up to 4 MB), so its export log says the export stopped: ~9 MB with the long names.
const CUSTOMERS = 60_000;
/** Before each customer's number: a name of ~90 bytes, so that the file outgrows what the sockets hold. */
const LONG_NAME = '鄂尔多斯市东胜区铁西街道办事处天骄路社区会员俱乐部金卡客户';
/** The customers of 阿尔山, a segment exported at once. */
const FEW = 3;
const ORDOS = (CUSTOMERS - FEW).toLocaleString('en');

describe.runIf(runnable)('export progress', { timeout: 180_000 }, () => {
  let session: ConsoleSession | undefined;
  let page: Page;
  let base = '';
  let proxy: Server | undefined;
  /** Whether exports are held after their first part; otherwise they pass at once. */
  let holding = false;
  /** Lets the held export's remaining rows through. */
  let release: (() => void) | undefined;
  let held: Promise<void> = Promise.resolve();
  let heldNow: () => void = () => undefined;

  /** Passes every request through; an export's answer stops after its first part until `release`. */
  const pass = (target: URL) => (incoming: IncomingMessage, outgoing: ServerResponse) => {
    const upstream = request(new URL(incoming.url ?? '/', target), { method: incoming.method, headers: incoming.headers }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      if (!holding || !/\/export(\?|$)/.test(incoming.url ?? '')) {
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
    // The browser gone (a cancelled download): the server's answer goes too, and logs the export stopped.
    outgoing.on('close', () => upstream.destroy());
    upstream.on('error', () => outgoing.destroy());
    incoming.pipe(upstream);
  };

  const hold = () => {
    holding = true;
    held = new Promise<void>((resolve) => (heldNow = resolve));
  };

  beforeAll(async () => {
    session = await startConsole({ name: 'web-export-progress', demo: { customers: 20, eventsPerCustomer: 2, seed: 5 } });
    page = session.page;
    const headers = { 'content-type': 'application/json', 'x-tagbase-workspace': 'demo' };
    for (let start = 0; start < CUSTOMERS; start += 10_000) {
      const customers = Array.from({ length: 10_000 }, (_, i) => ({ id: `BIG-${String(start + i).padStart(5, '0')}`, city: start + i < FEW ? '阿尔山' : '鄂尔多斯', name: `${LONG_NAME}${String(start + i)}` }));
      expect((await fetch(`${session.base}/api/v1/customers`, { method: 'POST', headers, body: JSON.stringify({ customers }) })).status).toBe(200);
    }
    expect((await fetch(`${session.base}/api/v1/segments`, { method: 'POST', headers, body: JSON.stringify({ key: 'ordos', name: '鄂尔多斯客户', expression: 'city = "鄂尔多斯"' }) })).status).toBe(201);
    expect((await fetch(`${session.base}/api/v1/segments`, { method: 'POST', headers, body: JSON.stringify({ key: 'arxan', name: '阿尔山客户', expression: 'city = "阿尔山"' }) })).status).toBe(201);
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
    holding = false;
    release?.();
    await screenshotFailure(page, 'export-progress', context.task);
  });

  it('shows the rows received against the members while the file downloads, then saves it whole', async () => {
    await page.goto(`${base}/segments`);
    hold();
    const file = page.waitForEvent('download');
    await page.getByTestId('segment-export-ordos').click();
    await held;
    const bar = page.getByTestId('export-progress');
    await expect.poll(() => page.getByTestId('export-progress-text').textContent()).toMatch(new RegExp(`^已接收 [\\d,]+ / ${ORDOS} 位客户（[\\d.,]+ [KM]B）$`));
    const shown = Number(await bar.locator('.ant-progress-text').textContent().then((text) => (text ?? '').replace('%', '')));
    expect(shown).toBeGreaterThanOrEqual(0);
    expect(shown).toBeLessThan(100);
    expect(await page.getByTestId('export-cancel').textContent()).toBe('取消导出');
    release?.();
    const saved = await file;
    expect(saved.suggestedFilename()).toBe('鄂尔多斯客户.csv');
    expect(readFileSync(await saved.path(), 'utf8').trim().split('\n')).toHaveLength(CUSTOMERS - FEW + 1);
    await expect.poll(() => bar.count()).toBe(0);
    // The focus is back on the button that made the export, not on the page.
    expect(await focusedControl(page)).toBe('segment-export-ordos');
  });

  it('flashes no dialog for an export that is done at once', async () => {
    await page.goto(`${base}/segments`);
    // Whether the dialog ever appears, however briefly.
    await page.evaluate(`(() => {
      window.exportDialogSeen = false;
      new MutationObserver(() => {
        if (document.querySelector('[data-testid="export-progress"]')) window.exportDialogSeen = true;
      }).observe(document.body, { childList: true, subtree: true });
    })()`);
    const file = page.waitForEvent('download');
    await page.getByTestId('segment-export-arxan').click();
    expect((await file).suggestedFilename()).toBe('阿尔山客户.csv');
    await expect.poll(() => page.getByTestId('segment-export-arxan').getAttribute('class')).not.toContain('ant-btn-loading');
    await page.waitForTimeout(600);
    expect(await page.evaluate<boolean>('window.exportDialogSeen')).toBe(false);
  });

  it('cancels the download, saving nothing, logs it stopped, and says so in English too', async () => {
    let downloads = 0;
    const count = () => (downloads += 1);
    page.on('download', count);
    for (const [lang, cancel, cancelled, stopped] of [
      ['zh-CN', '取消导出', '已取消导出，未保存文件', '已中止'],
      ['en-US', 'Cancel export', 'Export cancelled; no file was saved', 'Stopped'],
    ] as const) {
      await openInLanguage(page, `${base}/segments`, lang);
      hold();
      await page.getByTestId('segment-export-ordos').click();
      await held;
      await expect.poll(() => page.getByTestId('export-progress-text').textContent()).toContain(ORDOS);
      // Esc does not end it: only the button does.
      await dialogFocused(page);
      await page.keyboard.press('Escape');
      await page.getByTestId('export-cancel').filter({ hasText: cancel }).click();
      await expect.poll(() => page.locator('.ant-message').textContent()).toContain(cancelled);
      await expect.poll(() => page.getByTestId('export-progress').count()).toBe(0);
      expect(await focusedControl(page)).toBe('segment-export-ordos');
      // The export log is read again, and says the export stopped.
      const newest = page.getByTestId('export-log').locator('tbody tr.ant-table-row').first();
      await expect.poll(() => newest.getByTestId('export-log-status').textContent()).toBe(stopped);
      // The held rows let go now reach no one: nothing is saved.
      release?.();
    }
    const log = (await (await fetch(`${session?.base ?? ''}/api/v1/exports?limit=2`, { headers: { 'x-tagbase-workspace': 'demo' } })).json()) as { items: { status: string; target: string }[] };
    expect(log.items.map((item) => [item.target, item.status])).toEqual([
      ['ordos', 'stopped'],
      ['ordos', 'stopped'],
    ]);
    // A download after them is the first saved: neither cancelled one came in before it.
    hold();
    const file = page.waitForEvent('download');
    await page.getByTestId('segment-export-ordos').click();
    await held;
    release?.();
    expect((await file).suggestedFilename()).toBe('鄂尔多斯客户.csv');
    page.off('download', count);
    expect(downloads).toBe(1);
    await page.evaluate(`localStorage.setItem('tagbase.lang', 'zh-CN')`);
  });

  it("gives the focus back inside a snapshot's drawer once the dialog goes, so Esc closes the drawer", async () => {
    await page.goto(`${base}/segments`);
    await page.getByTestId('segment-snapshots-ordos').click();
    const drawer = page.getByTestId('segment-snapshots');
    await drawer.waitFor();
    await page.getByTestId('segment-snapshot-take').click();
    const frozen = page.getByTestId('segment-snapshot-list').locator('tbody tr.ant-table-row');
    await expect.poll(() => frozen.count()).toBe(1);
    hold();
    const file = page.waitForEvent('download');
    await frozen.locator('[data-testid^="segment-snapshot-export-"]').first().click();
    await held;
    await page.getByTestId('export-progress').waitFor();
    await dialogFocused(page);
    // Esc while it downloads leaves the drawer as it is.
    await page.keyboard.press('Escape');
    expect(await drawer.isVisible()).toBe(true);
    release?.();
    expect((await file).suggestedFilename()).toMatch(/^鄂尔多斯客户-\d+\.csv$/);
    // At once, as one does who sees the file saved: the focus is back in the drawer before the dialog goes.
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
    await expect.poll(() => page.getByTestId('export-progress').count()).toBe(0);
  });

  it('adds the metrics and fields chosen above the saved segments to every segment’s file, keeps the choice, and names them in the export log', async () => {
    const api = session?.base ?? '';
    await callApi(api, 'POST', '/fields', { key: 'shoe_size', name: '鞋码', type: 'string' });
    await page.goto(`${base}/segments`);
    // One choice above the list, for every segment's export: beside each, a row outgrew a tablet's width.
    const opener = page.getByTestId('segment-export-columns');
    // None chosen: the file has its fixed columns, as before.
    expect(await opener.textContent()).toBe('列');
    await page.getByTestId('segment-export-arxan').waitFor();
    expect(await page.getByTestId('segment-export-arxan-columns').count()).toBe(0);
    // Opened from the keyboard, its two lists labelled.
    await opener.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByTestId('export-columns');
    await dialog.waitFor();
    await dialogFocused(page);
    expect(await seriousAxeViolations(page, 'export-columns')).toEqual([]);
    expect(await page.getByLabel('指标', { exact: true }).count()).toBe(1);
    expect(await page.getByLabel('其他字段', { exact: true }).count()).toBe(1);
    // A list left open covers what is under it: a click on the dialog's title closes it.
    const closeList = () => page.locator('.ant-modal-title').click();
    await choose(page, 'export-columns-metrics', '近365', '近365天消费额');
    await closeList();
    await pick(page, 'export-columns-fields', '生日');
    await closeList();
    await choose(page, 'export-columns-fields', '鞋', '鞋码');
    await closeList();
    await page.getByTestId('segment-export-columns-save').click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await opener.textContent()).toBe('列 +3');
    // One choice for the workspace's exports: the customers page's export carries it too.
    await page.goto(`${base}/customers`);
    expect(await page.getByTestId('customers-export-columns').textContent()).toBe('列 +3');
    await page.goto(`${base}/segments`);

    const file = page.waitForEvent('download');
    await page.getByTestId('segment-export-arxan').click();
    const lines = readFileSync(await (await file).path(), 'utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    expect(lines).toHaveLength(FEW + 1);
    expect(lines[0]?.split(',').slice(-4)).toEqual(['有会员卡号', '近365天消费额', '生日', '鞋码']);
    const newest = page.getByTestId('export-log').locator('tbody tr.ant-table-row').first();
    await expect.poll(() => newest.getByTestId('export-log-metrics').textContent()).toBe('指标：近365天消费额');
    expect(await newest.getByTestId('export-log-fields').textContent()).toBe('字段：生日、鞋码');
    const log = (await callApi(api, 'GET', '/exports?limit=1')) as { items: { metrics: string[]; fields: string[] }[] };
    expect(log.items[0]).toMatchObject({ metrics: ['spend_365d'], fields: ['birthday', 'shoe_size'] });

    // Kept for the next visit, and said in English too.
    await page.evaluate(`localStorage.setItem('tagbase.lang', 'en-US')`);
    await page.reload();
    await expect.poll(() => page.getByTestId('segment-export-columns').textContent()).toBe('Columns +3');
    const english = page.getByTestId('export-log').locator('tbody tr.ant-table-row').first();
    await expect.poll(() => english.getByTestId('export-log-metrics').textContent()).toBe('Metrics: Spend, last 365 days, net of refunds');
    expect(await english.getByTestId('export-log-fields').textContent()).toBe('Fields: Birthday, 鞋码');
    await page.evaluate(`localStorage.setItem('tagbase.lang', 'zh-CN')`);

    // On a phone the choice fits the screen; emptied, the file is the fixed columns again.
    await page.setViewportSize(PHONE);
    try {
      await page.goto(`${base}/customers`);
      await page.getByTestId('customers-export-columns').click();
      await dialog.waitFor();
      expect(await fitsWidth(page)).toBe(true);
      const box = await dialog.boundingBox();
      expect((box?.x ?? -1) >= 0 && (box?.x ?? 0) + (box?.width ?? PHONE.width) <= PHONE.width).toBe(true);
      for (const list of ['export-columns-metrics', 'export-columns-fields']) {
        await page.getByTestId(list).locator('.ant-select-clear').click({ force: true });
      }
      await page.getByTestId('customers-export-columns-save').click();
      await dialog.waitFor({ state: 'hidden' });
      expect(await page.getByTestId('customers-export-columns').textContent()).toBe('列');
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
    expect(await page.evaluate<string | null>(`localStorage.getItem('tagbase.exportColumns.demo')`)).toBe('{"metrics":[],"fields":[]}');
  });
});
