// A webhook's deliveries on a phone, in both languages: a post its receiver redirected, or that
// reached no receiver, says why in words (and, redirected, where to), wrapped within the screen,
// as the list beside it does; a redirect is not called a refusal.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { consoleRunnable, screenshotFailure, startConsole, stopConsole, type ConsoleSession } from '../support/console.js';
import { ensureDefaultWorkspace } from '../../src/engine/workspaces.js';
import { systemClock } from '../../src/core/time.js';

const runnable = consoleRunnable('a webhook’s deliveries on a phone');

describe.runIf(runnable)('a webhook’s deliveries on a phone', { timeout: 120_000 }, () => {
  let session: ConsoleSession | undefined;
  let page: Page;
  let base = '';
  let receiver: Server | undefined;
  let webhookId = 0;

  beforeAll(async () => {
    session = await startConsole({ name: 'web-webhook-deliveries-phone', demo: null, prepare: async (store) => void (await ensureDefaultWorkspace(store, systemClock)) });
    ({ page, base } = session);
    await page.setViewportSize({ width: 390, height: 844 });
    // A receiver that moved: every post is sent on to another address, which a webhook does not follow.
    receiver = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        response.statusCode = 301;
        response.setHeader('location', 'https://crm.example.com/hooks/tagbase-moved-here');
        response.end();
      });
    });
    await new Promise<void>((resolve) => receiver?.listen(0, '127.0.0.1', resolve));
    const post = async (path: string, body?: unknown) => (await fetch(`${base}/api/v1${path}`, { method: 'POST', headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })).json() as Promise<{ id: number }>;
    const made = await post('/webhooks', { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks` });
    webhookId = made.id;
    await post(`/webhooks/${String(webhookId)}/test`);
  }, 120_000);

  afterAll(async () => {
    await stopConsole(session ?? {});
    await new Promise<void>((resolve) => receiver?.close(() => resolve()));
  });

  afterEach((context) => screenshotFailure(page, 'webhook-deliveries-phone', context.task));

  const words = {
    'zh-CN': { verdict: '被跳转 · HTTP 301', why: '接收方要求跳转到另一个地址，Webhook 不跟随跳转：请把推送地址改为跳转后的地址 (HTTP 301 → https://crm.example.com/hooks/tagbase-moved-here)', refused: '被拒收' },
    'en-US': { verdict: 'Redirected · HTTP 301', why: 'The receiver redirects the post, and webhooks do not follow redirects: give the webhook the URL it redirects to (HTTP 301 → https://crm.example.com/hooks/tagbase-moved-here)', refused: 'Refused' },
  };

  for (const lang of ['zh-CN', 'en-US'] as const) {
    it(`says a post was redirected, why that fails and where to, within the screen (${lang})`, async () => {
      await page.goto(base);
      await page.evaluate(`localStorage.setItem('tagbase.lang', '${lang}')`);
      await page.goto(`${base}/webhooks`);
      await page.getByTestId(`webhook-deliveries-${String(webhookId)}`).click();
      const row = page.getByTestId('webhook-deliveries-table').locator('tbody tr.ant-table-row').first();
      await row.waitFor();
      const text = (await row.textContent()) ?? '';
      expect(text).toContain(words[lang].verdict);
      expect(text).toContain(words[lang].why);
      expect(text).not.toContain(words[lang].refused);
      // Wrapped: the answer fits the drawer's width rather than a line as long as the sentence.
      const answer = row.getByTestId('webhook-delivery-why');
      const box = await answer.boundingBox();
      expect(box?.width ?? Infinity).toBeLessThanOrEqual(390);
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      await page.getByTestId('webhook-deliveries').locator('.ant-drawer-close').click();
    });
  }
});
