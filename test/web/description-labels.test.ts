// The customer portrait's labels (its metrics' names, its fields') in a real browser (Debian's
// Chromium through playwright-core), in Chinese and in English, on a laptop and a phone: a long
// label wraps as text with its colon after its last word, not with the colon standing apart beside
// the wrapped lines (最近一次消费 ： / 时间, "Spend, all time, net of : / refunds"), and a full-width
// bracket before the colon is set tight (RFM·F 分（1–5）：, not RFM·F 分（1–5） :). And the
// workspace's custom fields among the fields, by their names, their values as the console writes them.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { consoleRunnable, screenshotFailure, startConsole, stopConsole, type ConsoleSession } from '../support/console.js';

const runnable = consoleRunnable('the portrait’s labels');

interface Quad {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

const CUSTOM_FIELDS = [
  { key: 'shoe_size', name: '鞋码', type: 'number' },
  { key: 'points', name: '会员积分', type: 'number' },
  { key: 'member_note', name: '会员备注', type: 'string' },
  { key: 'old_member', name: '老会员', type: 'boolean' },
  { key: 'new_member', name: '新会员', type: 'boolean' },
  { key: 'joined_on', name: '入会日期', type: 'date' },
  { key: 'favourite_store', name: '常去门店', type: 'enum', options: ['西湖店', '滨江店'] },
  { key: 'not_held', name: '未填字段', type: 'string' },
];

// A note long enough, without a space, to run past a phone's width if it did not wrap.
const LONG_NOTE = '喜欢深色系，尺码偏大半码，生日前一周联系，不接受电话推销只加微信沟通'.repeat(2) + 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'.repeat(3);

const CUSTOM_VALUES = { shoe_size: 42.5, points: 123456, member_note: LONG_NOTE, old_member: true, new_member: false, joined_on: '2021-03-08', favourite_store: '滨江店', not_held: null };

describe.runIf(runnable)('the portrait’s labels', { timeout: 180_000 }, () => {
  let session: ConsoleSession | undefined;
  let page: Page;
  let base = '';
  let customer = '';

  beforeAll(async () => {
    session = await startConsole({ name: 'web-description-labels', demo: { customers: 300, eventsPerCustomer: 5, seed: 7 } });
    ({ page, base } = session);
    // A customer with the RFM model's scores, whose Chinese names end in a full-width bracket.
    const listed = (await (await fetch(`${base}/api/v1/customers?limit=100`, { headers: { 'x-tagbase-workspace': 'demo' } })).json()) as { items: { id: string }[] };
    for (const { id } of listed.items) {
      const portrait = (await (await fetch(`${base}/api/v1/customers/${encodeURIComponent(id)}`, { headers: { 'x-tagbase-workspace': 'demo' } })).json()) as { metrics: { name?: string; value: unknown }[] };
      if (portrait.metrics.some((metric) => metric.value !== null && metric.name?.endsWith('）'))) {
        customer = id;
        break;
      }
    }
    // The workspace's own fields, one of each type, and one the customer does not hold.
    const headers = { 'content-type': 'application/json', 'x-tagbase-workspace': 'demo' };
    for (const field of CUSTOM_FIELDS) {
      const declared = await fetch(`${base}/api/v1/fields`, { method: 'POST', headers, body: JSON.stringify(field) });
      expect(declared.status).toBe(201);
    }
    const held = await fetch(`${base}/api/v1/customers`, { method: 'POST', headers, body: JSON.stringify({ customers: [{ id: customer, custom: CUSTOM_VALUES }] }) });
    expect(held.ok).toBe(true);
  }, 150_000);

  afterAll(() => stopConsole(session ?? {}));

  afterEach(async (context) => {
    await screenshotFailure(page, 'description-labels', context.task);
  });

  /** Where each label's colon (antd's ::after) is drawn, read through the browser's own protocol: a pseudo-element is in no range or box the page can measure. */
  const colons = async (selector: string): Promise<Quad[]> => {
    const cdp = await page.context().newCDPSession(page);
    try {
      const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
      const { nodeIds } = await cdp.send('DOM.querySelectorAll', { nodeId: root.nodeId, selector });
      const quads: Quad[] = [];
      for (const nodeId of nodeIds) {
        const { node } = await cdp.send('DOM.describeNode', { nodeId, depth: 1 });
        const after = node.pseudoElements?.find((pseudo) => pseudo.pseudoType === 'after');
        const { quads: found } = after ? await cdp.send('DOM.getContentQuads', { backendNodeId: after.backendNodeId }) : { quads: [] };
        const quad = found[0] ?? [];
        const xs = [quad[0], quad[2], quad[4], quad[6]].map(Number);
        const ys = [quad[1], quad[3], quad[5], quad[7]].map(Number);
        quads.push({ left: Math.min(...xs), right: Math.max(...xs), top: Math.min(...ys), bottom: Math.max(...ys) });
      }
      return quads;
    } finally {
      await cdp.detach();
    }
  };

  for (const [width, height] of [
    [1280, 800],
    [390, 844],
  ] as const) {
    for (const lang of ['zh-CN', 'en-US'] as const) {
      it(`sets each label's colon right after its last word, a full-width bracket tight against it, ${width} px wide (${lang})`, async () => {
        expect(customer).not.toBe('');
        await page.setViewportSize({ width, height });
        await page.goto(base);
        await page.evaluate(`localStorage.setItem('tagbase.workspace', 'demo'); localStorage.setItem('tagbase.lang', '${lang}')`);
        await page.goto(`${base}/customers/${encodeURIComponent(customer)}`);
        const selector = '[data-testid="portrait-metrics"] dt, [data-testid="portrait-fields"] .ant-descriptions-item-label';
        await page.getByTestId('portrait-metrics').locator('dt').first().waitFor();
        await page.waitForLoadState('networkidle');
        const drawn = await colons(selector);
        const labels = await page.locator(selector).evaluateAll((found) =>
          found.map((label) => {
            const range = label.ownerDocument.createRange();
            range.selectNodeContents(label);
            const lines = [...range.getClientRects()].filter((rect) => rect.width > 0);
            const last = lines.reduce((lowest, rect) => (rect.top > lowest.top + 1 || (Math.abs(rect.top - lowest.top) <= 1 && rect.right > lowest.right) ? rect : lowest));
            const text = label.textContent ?? '';
            // The width of a closing full-width bracket ending the label: its empty half trimmed, half an em.
            let bracket: number | null = null;
            const node = [...label.childNodes].reverse().find((child) => child.nodeType === 3 /* a text node */ && (child.textContent ?? '').trim() !== '');
            if (node && /[）」』】〕]$/.test(text.trim())) {
              const end = (node.textContent ?? '').trimEnd().length;
              const char = label.ownerDocument.createRange();
              char.setStart(node, end - 1);
              char.setEnd(node, end);
              bracket = char.getBoundingClientRect().width / parseFloat(label.ownerDocument.defaultView?.getComputedStyle(label).fontSize ?? '14');
            }
            return { text, lines: new Set(lines.map((rect) => Math.round(rect.top))).size, last: { left: last.left, right: last.right, top: last.top, bottom: last.bottom }, bracket };
          }),
        );
        expect(labels.length).toBeGreaterThan(20);
        expect(drawn).toHaveLength(labels.length);
        const misplaced = labels.flatMap((label, index) => {
          const colon = drawn[index];
          if (!colon) return [label.text];
          const middle = (colon.top + colon.bottom) / 2;
          const onLastLine = middle >= label.last.top && middle <= label.last.bottom;
          const afterLastWord = colon.left >= label.last.right - 0.5 && colon.left <= label.last.right + 3;
          return onLastLine && afterLastWord ? [] : [label.text];
        });
        expect(misplaced).toEqual([]);
        if (lang === 'zh-CN') {
          const brackets = labels.filter((label) => label.bracket !== null);
          expect(brackets.length).toBeGreaterThan(0);
          expect(brackets.filter((label) => (label.bracket ?? 1) > 0.6).map((label) => label.text)).toEqual([]);
        }
        // On a laptop the English names are long enough that some wrap: those are the ones this is about.
        if (width === 1280 && lang === 'en-US') expect(labels.some((label) => label.lines > 1)).toBe(true);
      });
    }
  }
  for (const lang of ['zh-CN', 'en-US'] as const) {
    it(`shows the custom fields the customer holds after the built-in ones, by their names, formatted by their types, within a phone's width (${lang})`, async () => {
      expect(customer).not.toBe('');
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(base);
      await page.evaluate(`localStorage.setItem('tagbase.workspace', 'demo'); localStorage.setItem('tagbase.lang', '${lang}')`);
      await page.goto(`${base}/customers/${encodeURIComponent(customer)}`);
      const card = page.getByTestId('portrait-fields');
      await card.getByTestId('portrait-custom-shoe_size').waitFor();
      const items = await card
        .locator('.ant-descriptions')
        .first()
        .locator('.ant-descriptions-item')
        .evaluateAll((found) => found.map((item) => [item.querySelector('.ant-descriptions-item-label')?.textContent ?? '', item.querySelector('.ant-descriptions-item-content')?.textContent ?? '']));
      const yes = lang === 'zh-CN' ? '是' : 'Yes';
      const no = lang === 'zh-CN' ? '否' : 'No';
      const custom = [
        ['鞋码', '42.5'],
        ['会员积分', '123,456'],
        ['会员备注', LONG_NOTE],
        ['老会员', yes],
        ['新会员', no],
        ['入会日期', '2021-03-08'],
        ['常去门店', '滨江店'],
      ];
      // After every built-in field, in the order the workspace declared them; a field not held is left out.
      expect(items.slice(-custom.length)).toEqual(custom);
      expect(items.map(([label]) => label)).not.toContain('未填字段');
      expect(items.length).toBeGreaterThan(custom.length + 8);
      // The long note wraps inside the card: nothing runs past the phone's edge.
      const note = await card.getByTestId('portrait-custom-member_note').boundingBox();
      expect(note).not.toBeNull();
      expect((note?.x ?? 0) + (note?.width ?? 0)).toBeLessThanOrEqual(390);
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    });
  }
});
