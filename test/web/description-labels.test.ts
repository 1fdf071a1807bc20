// The customer portrait's labels (its metrics' names, its fields') in a real browser (Debian's
// Chromium through playwright-core), in Chinese and in English, on a laptop and a phone: a long
// label wraps as text with its colon after its last word, not with the colon standing apart beside
// the wrapped lines (最近一次消费 ： / 时间, "Spend, all time, net of : / refunds"), and a full-width
// bracket before the colon is set tight (RFM·F 分（1–5）：, not RFM·F 分（1–5） :).
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
        const selector = '[data-testid="portrait-metrics"] .ant-descriptions-item-label, [data-testid="portrait-fields"] .ant-descriptions-item-label';
        await page.getByTestId('portrait-metrics').locator('.ant-descriptions-item-label').first().waitFor();
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
});
