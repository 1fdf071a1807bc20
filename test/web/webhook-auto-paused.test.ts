// A webhook that paused itself after failing for 3 days, in both languages: the list says so
// (not as a pause by hand) with 恢复 beside it, its deliveries say so above the posts with 恢复
// there too, and resuming from there ends it in both.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { callApi, consoleRunnable, screenshotFailure, startConsole, stopConsole, type ConsoleSession } from '../support/console.js';
import { ensureDefaultWorkspace } from '../../src/engine/workspaces.js';
import { deliverWebhooks, WEBHOOK_AUTO_PAUSE_MS } from '../../src/engine/webhooks.js';
import { systemClock } from '../../src/core/time.js';

const runnable = consoleRunnable('a webhook paused after failing for 3 days');

describe.runIf(runnable)('a webhook paused after failing for 3 days', { timeout: 120_000 }, () => {
  let session: ConsoleSession | undefined;
  let page: Page;
  let base = '';
  let webhookId = 0;

  beforeAll(async () => {
    session = await startConsole({ name: 'web-webhook-auto-paused', demo: null, prepare: async (store) => void (await ensureDefaultWorkspace(store, systemClock)) });
    ({ page, base } = session);
    // A port that was just given up: nothing listens on it.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const inDefault = {};
    await callApi(base, 'POST', '/tags', { key: 'stage', name: '服务阶段', values: [{ key: 'pre', name: '售前' }] }, inDefault);
    await callApi(base, 'POST', '/customers', { customers: [{ id: 'C1' }] }, inDefault);
    webhookId = ((await callApi(base, 'POST', '/webhooks', { url: `http://127.0.0.1:${port}/hooks` }, inDefault)) as { id: number }).id;
    await callApi(base, 'POST', '/customers/C1/tags', { tag: 'stage', value: 'pre' }, inDefault);
    // Failing from now, and still failing 3 days on.
    const start = Date.now();
    await deliverWebhooks(session.store, { now: () => start });
    await deliverWebhooks(session.store, { now: () => start + WEBHOOK_AUTO_PAUSE_MS });
  }, 120_000);

  afterAll(() => stopConsole(session ?? {}));

  afterEach((context) => screenshotFailure(page, 'webhook-auto-paused', context.task));

  const words = {
    'zh-CN': { paused: '连续失败 3 天，已自动暂停', kept: '未推送的内容已保留，恢复后补发', resume: '恢复' },
    'en-US': { paused: 'Paused automatically after failing for 3 days', kept: 'what it has not delivered is kept and posted once it is resumed', resume: 'Resume' },
  };

  for (const lang of ['zh-CN', 'en-US'] as const) {
    it(`says in the list and the deliveries that it paused itself, with the resume beside it (${lang})`, async () => {
      await page.goto(base);
      await page.evaluate(`localStorage.setItem('tagbase.lang', '${lang}')`);
      await page.goto(`${base}/webhooks`);
      const status = page.getByTestId(`webhook-status-${String(webhookId)}`);
      await status.waitFor();
      expect(await page.getByTestId(`webhook-auto-paused-${String(webhookId)}`).textContent()).toBe(words[lang].paused);
      expect(await status.textContent()).toContain(words[lang].kept);
      expect(await page.getByTestId(`webhook-resume-${String(webhookId)}`).textContent()).toContain(words[lang].resume);
      await page.getByTestId(`webhook-deliveries-${String(webhookId)}`).click();
      const alert = page.getByTestId('webhook-deliveries-auto-paused');
      await alert.waitFor();
      expect(await alert.textContent()).toContain(words[lang].paused);
      expect(await alert.getByTestId(`webhook-resume-${String(webhookId)}`).textContent()).toContain(words[lang].resume);
      if (lang === 'en-US') {
        await alert.getByTestId(`webhook-resume-${String(webhookId)}`).click();
        await alert.waitFor({ state: 'detached' });
        await page.getByTestId('webhook-deliveries').locator('.ant-drawer-close').click();
        await expect.poll(async () => page.getByTestId(`webhook-auto-paused-${String(webhookId)}`).count()).toBe(0);
        await page.getByTestId(`webhook-pause-${String(webhookId)}`).waitFor();
      } else {
        await page.getByTestId('webhook-deliveries').locator('.ant-drawer-close').click();
      }
    });
  }
});
