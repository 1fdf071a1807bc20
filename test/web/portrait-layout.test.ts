// The customer portrait's layout in a real browser (Debian's Chromium through playwright-core), in
// Chinese and in English: on a laptop and a phone each metric's value stands level with the first
// line of its name and in line with the values above and below it, however long the name (the
// English "Spend, last 30 days, net of refunds" wraps within its column), each name shown whole;
// and the random bucket, a number for setting up tests rather than a fact about the customer, is
// not among the fields a salesperson reads but waits in a closed "technical details" section,
// while whether each channel reaches the customer stays there, except where an identity listed
// below already says so (有手机号 是 beside the phone number listed).
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { callApi, consoleRunnable, phonePage, screenshotFailure, startConsole, stopConsole, type ConsoleSession } from '../support/console.js';

const runnable = consoleRunnable('the portrait’s layout');

interface Box {
  key: string;
  name: { left: number; right: number; top: number; bottom: number; lines: number } | null;
  value: { left: number; right: number; top: number; height: number; lineHeight: number };
}

interface PortraitAnswer {
  id: string;
  random_bucket: number;
  metrics: { key: string; name: string; name_en: string | null; value: unknown }[];
  identities: { kind: string; value: string }[];
  has_phone: boolean;
  has_email: boolean;
  has_wechat: boolean;
  has_member_card: boolean;
}

const REACHABILITY = ['has_phone', 'has_email', 'has_wechat', 'has_member_card'] as const;
const REACHABILITY_LABELS = {
  'zh-CN': { has_phone: '有手机号', has_email: '有邮箱', has_wechat: '有微信', has_member_card: '有会员卡号' },
  'en-US': { has_phone: 'Has phone', has_email: 'Has e-mail', has_wechat: 'Has WeChat', has_member_card: 'Has member card' },
} as const;
/** The identity kinds that make each reachability field true. */
const REACHABILITY_KINDS = { has_phone: ['phone'], has_email: ['email'], has_wechat: ['wechat_unionid', 'wechat_openid'], has_member_card: ['member_card'] } as const;

describe.runIf(runnable)('the portrait’s layout', { timeout: 180_000 }, () => {
  let session: ConsoleSession | undefined;
  let page: Page;
  let base = '';
  let customer: PortraitAnswer | undefined;

  beforeAll(async () => {
    session = await startConsole({ name: 'web-portrait-layout', demo: { customers: 300, eventsPerCustomer: 5, seed: 7 } });
    ({ page, base } = session);
    // The customer with the most metrics shown: a buyer, whose spend and refunds have values.
    const listed = (await (await fetch(`${base}/api/v1/customers?limit=100`, { headers: { 'x-tagbase-workspace': 'demo' } })).json()) as { items: { id: string }[] };
    for (const { id } of listed.items) {
      const portrait = (await (await fetch(`${base}/api/v1/customers/${encodeURIComponent(id)}`, { headers: { 'x-tagbase-workspace': 'demo' } })).json()) as PortraitAnswer;
      const shown = (answer: PortraitAnswer | undefined) => answer?.metrics.filter((metric) => metric.value !== null).length ?? 0;
      if (shown(portrait) > shown(customer)) customer = portrait;
    }
    // A customer reachable by phone, with a WeCom contact, and nothing else; a buyer, so that metrics show.
    await callApi(base, 'POST', '/customers', { customers: [{ id: 'REACH1', name: '触达甲', identities: [{ kind: 'phone', value: '13800138001' }, { kind: 'wecom_external_userid', value: 'wmREACH1' }] }] });
    await callApi(base, 'POST', '/events', { events: [{ id: 'reach1-paid', customer_id: 'REACH1', type: 'order_paid', occurred_at: new Date(Date.now() - 60_000).toISOString(), properties: { order_id: 'O-REACH1', amount: 10 } }] });
  }, 150_000);

  afterAll(() => stopConsole(session ?? {}));

  afterEach(async (context) => {
    await screenshotFailure(page, 'portrait-layout', context.task);
  });

  const open = async (width: number, height: number, lang: 'zh-CN' | 'en-US', id = customer?.id ?? '') => {
    await page.setViewportSize({ width, height });
    await page.goto(base);
    await page.evaluate(`localStorage.setItem('tagbase.workspace', 'demo'); localStorage.setItem('tagbase.lang', '${lang}')`);
    await page.goto(`${base}/customers/${encodeURIComponent(id)}`);
    await page.getByTestId('portrait-metrics').locator('[data-testid^="portrait-metric-"]').first().waitFor();
    await page.waitForLoadState('networkidle');
  };
  /** The labels of the basic information, above the identities. */
  const profileLabels = async () => {
    const profile = page.getByTestId('portrait-fields').locator('.ant-descriptions').first();
    await profile.locator('.ant-descriptions-item-label').first().waitFor();
    return profile.locator('.ant-descriptions-item-label').allTextContents();
  };

  for (const [width, height] of [
    [1440, 900],
    [390, 844],
  ] as const) {
    for (const lang of ['zh-CN', 'en-US'] as const) {
      it(`sets each metric's value level with its name's first line, the values of a column in line, ${String(width)} px wide (${lang})`, async () => {
        expect(customer).toBeDefined();
        await open(width, height, lang);
        // Each name found by its whole text as the API names it: the element showing it, whatever the markup.
        const names = (customer?.metrics ?? []).filter((metric) => metric.value !== null).map((metric) => [metric.key, lang === 'en-US' && metric.name_en ? metric.name_en : metric.name] as const);
        const boxes = await page.getByTestId('portrait-metrics').evaluate((card, pairs: (readonly [string, string])[]) => {
          const all = [...card.querySelectorAll('*')];
          return pairs.map(([key, name]): Box => {
            const valueElement = card.querySelector(`[data-testid="portrait-metric-${key}"]`);
            if (!valueElement) throw new Error(`no value shown for ${key}`);
            const value = valueElement.getBoundingClientRect();
            const lineHeight = parseFloat(card.ownerDocument.defaultView?.getComputedStyle(valueElement).lineHeight ?? '0');
            // The innermost element that reads the name whole (its colon is drawn by CSS, not written).
            const nameElement = all.find((element) => element.textContent?.trim() === name && ![...element.children].some((child) => child.textContent?.trim() === name));
            if (!nameElement) return { key, name: null, value: { left: value.left, right: value.right, top: value.top, height: value.height, lineHeight } };
            const range = card.ownerDocument.createRange();
            range.selectNodeContents(nameElement);
            const lines = [...range.getClientRects()].filter((rect) => rect.width > 0);
            const box = nameElement.getBoundingClientRect();
            return {
              key,
              name: { left: box.left, right: Math.max(...lines.map((line) => line.right)), top: Math.min(...lines.map((line) => line.top)), bottom: box.bottom, lines: new Set(lines.map((line) => Math.round(line.top))).size },
              value: { left: value.left, right: value.right, top: value.top, height: value.height, lineHeight },
            };
          });
        }, names);
        expect(boxes.length).toBeGreaterThan(20);
        // Every name shown whole, as a screen reader reads it.
        expect(boxes.filter((box) => box.name === null).map((box) => box.key)).toEqual([]);
        // A value on the line of its name's first line, after the name, on one line itself.
        expect(boxes.filter((box) => Math.abs(box.value.top - (box.name?.top ?? Infinity)) > 1).map((box) => box.key)).toEqual([]);
        expect(boxes.filter((box) => box.value.left < (box.name?.right ?? Infinity)).map((box) => box.key)).toEqual([]);
        expect(boxes.filter((box) => box.value.height > 1.5 * box.value.lineHeight).map((box) => box.key)).toEqual([]);
        // The names of a column start where the others do: so do their values.
        const columns = new Map<number, Box[]>();
        for (const box of boxes) {
          const left = Math.round(box.name?.left ?? 0);
          const column = [...columns.keys()].find((start) => Math.abs(start - left) <= 1) ?? left;
          columns.set(column, [...(columns.get(column) ?? []), box]);
        }
        expect(columns.size).toBe(width === 390 ? 1 : 2);
        for (const column of columns.values()) {
          const lefts = column.map((box) => box.value.left);
          expect(Math.max(...lefts) - Math.min(...lefts)).toBeLessThanOrEqual(1);
        }
        // Nothing runs past the card, nor the page past the screen.
        const card = await page.getByTestId('portrait-metrics').boundingBox();
        expect(boxes.filter((box) => box.value.right > (card?.x ?? 0) + (card?.width ?? 0)).map((box) => box.key)).toEqual([]);
        expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
        // On a laptop the long English names wrap: those are the ones this is about.
        if (width === 1440 && lang === 'en-US') expect(boxes.some((box) => (box.name?.lines ?? 0) > 1)).toBe(true);
      });
    }
  }

  for (const lang of ['zh-CN', 'en-US'] as const) {
    it(`keeps the random bucket out of the profile fields, in a closed section of technical details (${lang})`, async () => {
      expect(customer).toBeDefined();
      await open(1440, 900, lang);
      const card = page.getByTestId('portrait-fields');
      const profile = card.locator('.ant-descriptions').first();
      const labels = await profileLabels();
      const bucket = lang === 'zh-CN' ? '随机分组号' : 'Random bucket';
      expect(labels).not.toContain(bucket);
      expect(await profile.getByTestId('portrait-random-bucket').count()).toBe(0);
      // Whether each channel reaches the customer is for a salesperson: it stays among the profile
      // fields, but for a 是 an identity listed below already says (this buyer's phone number).
      expect(customer?.has_phone).toBe(true);
      const listed = (field: (typeof REACHABILITY)[number]) => customer?.identities.some((identity) => (REACHABILITY_KINDS[field] as readonly string[]).includes(identity.kind)) ?? false;
      const repeated = REACHABILITY.filter((field) => customer?.[field] === true && listed(field));
      expect(repeated).toContain('has_phone');
      expect(labels.filter((label) => Object.values(REACHABILITY_LABELS[lang]).includes(label as never))).toEqual(REACHABILITY.filter((field) => !repeated.includes(field)).map((field) => REACHABILITY_LABELS[lang][field]));
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

  for (const lang of ['zh-CN', 'en-US'] as const) {
    it(`says among the basic information only the channels no identity listed below says, a WeCom contact being no WeChat (${lang})`, async () => {
      // REACH1 has a phone number and a WeCom contact: the number is listed below, so 有手机号 是
      // would only repeat it; no e-mail, no member card and, WeCom being written to from a staff
      // member's WeCom rather than by the shop's WeChat messages, no WeChat either: said, since no
      // identity row says it.
      await open(1440, 900, lang, 'REACH1');
      const words = REACHABILITY_LABELS[lang];
      const labels = await profileLabels();
      expect(labels).not.toContain(words.has_phone);
      expect(await page.getByTestId('portrait-has_phone').count()).toBe(0);
      expect(labels).toEqual(expect.arrayContaining([words.has_email, words.has_wechat, words.has_member_card]));
      for (const field of ['has_email', 'has_wechat', 'has_member_card'] as const) expect(await page.getByTestId(`portrait-${field}`).textContent()).toBe(lang === 'zh-CN' ? '否' : 'No');
      expect(await page.getByTestId('identity-phone').textContent()).toMatch(/^138\*{4}8001$/);
      expect(await page.getByTestId('identity-wecom_external_userid').count()).toBe(1);
    });
  }

  it('sets each identity level with its label on a phone, where the button that removes it is a finger’s height', async () => {
    if (!session) throw new Error('the console did not start');
    const { context, phone } = await phonePage(session.browser);
    try {
      await phone.goto(base);
      await phone.evaluate(`localStorage.setItem('tagbase.workspace', 'demo'); localStorage.setItem('tagbase.lang', 'zh-CN')`);
      await phone.goto(`${base}/customers/REACH1`);
      await phone.getByTestId('remove-identity-phone').waitFor();
      // How far the middle of each identity's text stands from the middle of its label's text, in px.
      const offsets = await phone.evaluate<number[]>(`[...document.querySelectorAll('[data-testid^="identity-"]')]
        .filter((value) => value.closest('.ant-descriptions-item-container'))
        .map((value) => {
          const middle = (element) => { const range = document.createRange(); range.selectNodeContents(element); const box = range.getBoundingClientRect(); return (box.top + box.bottom) / 2; };
          return Math.abs(middle(value) - middle(value.closest('.ant-descriptions-item-container').querySelector('.ant-descriptions-item-label')));
        })`);
      expect(offsets).toHaveLength(2);
      for (const offset of offsets) expect(offset).toBeLessThanOrEqual(2);
    } finally {
      await context.close();
    }
  });
});
