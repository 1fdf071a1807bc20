// The transitions of a tag archived since (a model turned off, a link kept from before): the
// picker names the tag and says it is archived, in either language, rather than its bare key.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { callApi, consoleRunnable, type ConsoleSession, screenshotFailure, startConsole, stopConsole } from '../support/console.js';

const runnable = consoleRunnable('the transitions of an archived tag');

describe.runIf(runnable)('the transitions of an archived tag', { timeout: 120_000 }, () => {
  let session: ConsoleSession | undefined;
  let page: Page;
  let base = '';

  beforeAll(async () => {
    session = await startConsole({ name: 'web-transitions-archived', demo: { customers: 20, eventsPerCustomer: 2, seed: 9 } });
    ({ page, base } = session);
    const call = (method: string, path: string, body: unknown) => callApi(base, method, path, body);
    await call('POST', '/tags', { key: 'club', name: '会员俱乐部', kind: 'manual', values: [{ key: 'gold', name: '金卡' }] });
    await call('PATCH', '/tags/club', { status: 'archived' });
  }, 120_000);

  afterAll(() => stopConsole(session ?? {}));

  afterEach((context) => screenshotFailure(page, 'transitions-archived-tag', context.task));

  it('names the tag in the picker, marked archived', async () => {
    await page.goto(`${base}/transitions?tag=club`);
    await page.getByTestId('transitions-period').waitFor();
    await expect.poll(() => page.getByTestId('transitions-tag').textContent()).toBe('会员俱乐部 · 已归档');
    await page.getByTestId('language-switch').getByText('EN').click();
    await expect.poll(() => page.getByTestId('transitions-tag').textContent()).toBe('会员俱乐部 · Archived');
    await page.getByTestId('language-switch').getByText('中文').click();
  });
});
