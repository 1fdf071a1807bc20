// The console in English for an operator whose browser keeps another clock than the shop's, in a
// real browser (Debian's Chromium through playwright-core): times in the workspace's zone, what
// a key may be, and the overview saying what it could not read rather than waiting for it.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/time.js';
import { createAccessToken } from '../../src/engine/access-tokens.js';
import { consoleRunnable, screenshotFailure, startConsole, stopConsole, type ConsoleSession } from '../support/console.js';

const runnable = consoleRunnable('the console in English');

describe.runIf(runnable)('the console in English, in a browser set to New York time', { timeout: 180_000 }, () => {
  let session: ConsoleSession | undefined;
  let context: BrowserContext;
  let page: Page;
  let base = '';
  let admin = '';

  beforeAll(async () => {
    session = await startConsole({
      name: 'web-english',
      demo: { customers: 200, eventsPerCustomer: 4, seed: 5 },
      prepare: async (demo) => {
        admin = (await createAccessToken(demo, { name: 'Alice', role: 'admin' }, systemClock())).token;
        await createAccessToken(demo, { name: 'temp-bob', role: 'viewer', expiresInDays: 1 }, systemClock());
        // Ran out at 10:00 in Shanghai, the demo workspace's zone: 21:00 the evening before in New York.
        await demo.db.updateTable('access_tokens').set({ expires_at: Date.parse('2026-11-30T02:00:00Z') }).where('name', '=', 'temp-bob').execute();
      },
    });
    ({ base } = session);
    context = await session.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US', timezoneId: 'America/New_York' });
    page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await page.goto(base);
    await page.evaluate(`localStorage.setItem('tagbase.token', ${JSON.stringify(admin)}); localStorage.setItem('tagbase.workspace', 'demo'); localStorage.setItem('tagbase.lang', 'en-US')`);
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await stopConsole(session ?? {});
  });

  afterEach((test) => screenshotFailure(page, 'english', test.task));

  it("shows a token's expiry in the workspace's time zone, not the browser's", async () => {
    await page.goto(`${base}/tokens`);
    const row = page.getByTestId('token-table').locator('tbody tr.ant-table-row').filter({ hasText: 'temp-bob' });
    await expect.poll(() => row.textContent()).toContain('Expired');
    expect(await row.textContent()).toContain('2026-11-30 10:00');
    expect(await row.textContent()).not.toContain('2026-11-29 21:00');
  });

});
