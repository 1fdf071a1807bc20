// The customer portrait's profile fields in a real browser (Debian's Chromium through
// playwright-core), in Chinese and in English: the random bucket, a number for setting up tests
// rather than a fact about the customer, is not among the fields a salesperson reads but waits in a
// closed "technical details" section, while whether each channel reaches the customer stays there.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { consoleRunnable, screenshotFailure, startConsole, stopConsole, type ConsoleSession } from '../support/console.js';

const runnable = consoleRunnable('the portrait’s technical details');

interface PortraitAnswer {
  id: string;
  random_bucket: number;
  metrics: { key: string; name: string; name_en: string | null; value: unknown }[];
}

describe.runIf(runnable)('the portrait’s technical details', { timeout: 180_000 }, () => {
  let session: ConsoleSession | undefined;
  let page: Page;
  let base = '';
  let customer: PortraitAnswer | undefined;

  beforeAll(async () => {
    session = await startConsole({ name: 'web-portrait-technical-details', demo: { customers: 300, eventsPerCustomer: 5, seed: 7 } });
    ({ page, base } = session);
    // The customer with the most metrics shown: a buyer, whose spend and refunds have values.
    const listed = (await (await fetch(`${base}/api/v1/customers?limit=100`, { headers: { 'x-tagbase-workspace': 'demo' } })).json()) as { items: { id: string }[] };
    for (const { id } of listed.items) {
      const portrait = (await (await fetch(`${base}/api/v1/customers/${encodeURIComponent(id)}`, { headers: { 'x-tagbase-workspace': 'demo' } })).json()) as PortraitAnswer;
      const shown = (answer: PortraitAnswer | undefined) => answer?.metrics.filter((metric) => metric.value !== null).length ?? 0;
      if (shown(portrait) > shown(customer)) customer = portrait;
    }
  }, 150_000);

  afterAll(() => stopConsole(session ?? {}));

  afterEach(async (context) => {
    await screenshotFailure(page, 'portrait-technical-details', context.task);
  });

  const open = async (width: number, height: number, lang: 'zh-CN' | 'en-US') => {
    await page.setViewportSize({ width, height });
    await page.goto(base);
    await page.evaluate(`localStorage.setItem('tagbase.workspace', 'demo'); localStorage.setItem('tagbase.lang', '${lang}')`);
    await page.goto(`${base}/customers/${encodeURIComponent(customer?.id ?? '')}`);
    await page.getByTestId('portrait-metrics').locator('[data-testid^="portrait-metric-"]').first().waitFor();
    await page.waitForLoadState('networkidle');
  };

  for (const lang of ['zh-CN', 'en-US'] as const) {
    it(`keeps the random bucket out of the profile fields, in a closed section of technical details (${lang})`, async () => {
      expect(customer).toBeDefined();
      await open(1440, 900, lang);
      const card = page.getByTestId('portrait-fields');
      const profile = card.locator('.ant-descriptions').first();
      await profile.locator('.ant-descriptions-item-label').first().waitFor();
      const labels = await profile.locator('.ant-descriptions-item-label').allTextContents();
      const bucket = lang === 'zh-CN' ? '随机分组号' : 'Random bucket';
      expect(labels).not.toContain(bucket);
      expect(await profile.getByTestId('portrait-random-bucket').count()).toBe(0);
      // Whether each channel reaches the customer is for a salesperson: it stays among the profile fields.
      expect(labels).toEqual(expect.arrayContaining(lang === 'zh-CN' ? ['有手机号', '有邮箱', '有微信', '有会员卡号'] : ['Has phone', 'Has e-mail', 'Has WeChat', 'Has member card']));
      // Closed until asked, then the bucket as the API gives it, with what it is for.
      const technical = card.getByTestId('portrait-technical');
      const header = technical.getByRole('button', { name: lang === 'zh-CN' ? '技术信息' : 'Technical details' });
      expect(await header.getAttribute('aria-expanded')).toBe('false');
      expect(await page.getByTestId('portrait-random-bucket').isVisible()).toBe(false);
      await header.click();
      await expect.poll(() => page.getByTestId('portrait-random-bucket').isVisible()).toBe(true);
      expect(await header.getAttribute('aria-expanded')).toBe('true');
      expect(await page.getByTestId('portrait-random-bucket').textContent()).toBe(String(customer?.random_bucket));
      expect(await technical.textContent()).toContain(`${bucket}${String(customer?.random_bucket)}`);
      expect(await technical.textContent()).toContain(lang === 'zh-CN' ? '随机分组号 < 10 即 10% 的对照组' : 'random_bucket < 10 is a 10 % control group');
    });
  }
});
