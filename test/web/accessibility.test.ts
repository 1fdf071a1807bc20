// The console checked for accessibility in a real browser: every page, and the editors and drawers
// it opens, in Chinese and in English, run through axe-core. A serious or critical violation fails
// the test, listed by rule, the elements it found and the page, so that a screen reader's or a
// keyboard user's console does not fall behind the one others see.
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { consoleRunnable, screenshotFailure, startSignedInConsole, stopConsole, type ConsoleSession, type SignedInConsole } from '../support/console.js';

const runnable = consoleRunnable('the accessibility check');
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** What axe says of one rule broken on a page, as the page's script hands it back. */
interface Violation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * What the console cannot change here, each left out by its rule and the elements it names, with
 * why: antd's own markup. Everything else a serious or critical rule finds is ours to fix.
 */
const EXCLUDED: { rule: string; target: RegExp; why: string }[] = [
  {
    rule: 'aria-hidden-focus',
    target: /^\.ant-table-measure-row( |$)/,
    why: "rc-table measures a scrolling table's columns in a hidden row (aria-hidden) that repeats each column's title, so a selectable table's select-all box is there a second time; the one a reader uses is in the header",
  },
];

/** Runs axe over the page as it stands: the serious and critical violations only. */
const AXE_RUN = `(async () => {
  const result = await axe.run(document, { resultTypes: ['violations'] });
  return result.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      // Each element by its selector; a contrast too low with its colours and ratio, to tell whose style it is.
      targets: violation.nodes.map((node) => {
        const selector = node.target.join(' ');
        const contrast = violation.id === 'color-contrast' ? node.any.find((check) => check.data && check.data.contrastRatio)?.data : undefined;
        if (contrast) return selector + ' (' + contrast.fgColor + ' on ' + contrast.bgColor + ', ' + contrast.contrastRatio + ':1)';
        // A name that does not hold the words shown: both, to see which to reword.
        const element = violation.id === 'label-content-name-mismatch' ? document.querySelector(selector) : null;
        if (element) return selector + ' (shows "' + element.textContent.trim() + '", named "' + element.getAttribute('aria-label') + '")';
        // Otherwise what axe says is wrong with it (the attribute not allowed, the name missing).
        const wrong = (node.failureSummary ?? '').split('\\n').slice(1).map((line) => line.trim()).filter(Boolean).join('; ');
        return selector + (wrong ? ' (' + wrong + ')' : '');
      }),
    }));
})()`;

describe.runIf(runnable)('the console’s accessibility', { timeout: 600_000 }, () => {
  let session: ConsoleSession | undefined;
  let page: Page;
  let base = '';
  let admin = '';

  let call: SignedInConsole['call'];
  let signIn: SignedInConsole['signIn'];

  beforeAll(async () => {
    const signedIn = await startSignedInConsole('web-accessibility');
    ({ session, admin, call, signIn } = signedIn);
    ({ page, base } = session);
    // A small shop with something on every page: tags in a group, customers with orders, a saved
    // segment with a snapshot and an export, a care plan and a webhook.
    await call('POST', '/tag-groups', { key: 'service', name: '服务' });
    await call('POST', '/tags', { key: 'stage', name: '服务阶段', group: 'service', cardinality: 'single', kind: 'manual', values: [{ key: 'pre', name: '售前' }, { key: 'post', name: '售后' }] });
    const customers = ['张伟', '李娜', 'Carol White', 'Dan Brown'].map((name, n) => ({ id: `C${String(n + 1)}`, name, city: '杭州', gender: 'female', type: 'individual', member_level: 'Gold', birthday: '1990-05-0' + String(n + 1) }));
    await call('POST', '/customers', { customers });
    const day = Date.now() - 3 * 86_400_000;
    await call('POST', '/events', {
      events: customers.flatMap((customer, n) => [
        { id: `order-${customer.id}`, customer_id: customer.id, type: 'order_paid', occurred_at: new Date(day - n * 86_400_000).toISOString(), properties: { order_id: `O${customer.id}`, amount: 100 * (n + 1), items: [{ sku: 'SKU-1', name: '茶壶', category: '厨具', price: 100 }] } },
        { id: `view-${customer.id}`, customer_id: customer.id, type: 'product_viewed', occurred_at: new Date(day).toISOString(), properties: { sku: 'SKU-1', name: '茶壶', category: '厨具', dwell_seconds: 40 } },
      ]),
    });
    await call('POST', '/tags/stage/assign', { value: 'post', customers: ['C1', 'C2'] });
    await call('POST', '/segments', { key: 'hz', name: '杭州买家', expression: 'city = "杭州" and spend_365d >= 100' });
    await call('POST', '/segments/hz/snapshots', {});
    const exported = await fetch(`${base}/api/v1/segments/hz/export`, { headers: { 'x-tagbase-workspace': 'default', authorization: `Bearer ${admin}` } });
    expect(exported.status).toBe(200);
    await exported.arrayBuffer();
    await call('POST', '/care/plans', { key: 'thanks', name: '感谢', trigger: { kind: 'event', event_type: 'order_paid' }, steps: [{ after: '1d', message: '谢谢，{name}' }] });
    await call('POST', '/webhooks', { url: 'https://example.com/hook', topics: ['tag_changes'] });
    await signIn();
  }, 180_000);

  afterAll(() => stopConsole(session ?? {}));

  afterEach((context) => screenshotFailure(page, 'accessibility', context.task));

  /** Each page of the console, and what is opened on it before the check (an editor, a drawer, a tab). */
  const PAGES: { name: string; path: string; open?: () => Promise<void> }[] = [
    { name: 'overview', path: '/' },
    { name: 'tags, tag groups and templates', path: '/tags' },
    {
      name: 'tag editor',
      path: '/tags',
      open: async () => {
        await page.getByTestId('tag-edit-stage').click();
        await page.locator('.ant-drawer-open, .ant-modal-wrap:visible').first().waitFor();
      },
    },
    {
      name: 'new tag',
      path: '/tags',
      open: async () => {
        await page.getByTestId('tag-create').click();
        await page.locator('.ant-modal-wrap:visible, .ant-drawer-open').first().waitFor();
      },
    },
    { name: 'customers', path: '/customers' },
    { name: 'customer portrait', path: '/customers/C1' },
    { name: 'segments, builder and export log', path: '/segments' },
    {
      name: 'segment snapshots',
      path: '/segments',
      open: async () => {
        await page.getByTestId('segment-snapshots-hz').click();
        await page.getByTestId('segment-snapshot-list').waitFor();
      },
    },
    { name: 'transitions', path: '/transitions?tag=stage' },
    { name: 'care reminders', path: '/care' },
    {
      name: 'care plans',
      path: '/care',
      open: async () => {
        await page.getByTestId('care-tab-plans').click();
        await page.getByTestId('care-plan-create').waitFor();
      },
    },
    {
      name: 'care plan editor',
      path: '/care',
      open: async () => {
        await page.getByTestId('care-tab-plans').click();
        await page.getByTestId('care-plan-create').click();
        await page.locator('.ant-modal-wrap:visible, .ant-drawer-open').first().waitFor();
      },
    },
    { name: 'webhooks', path: '/webhooks' },
    {
      name: 'new webhook',
      path: '/webhooks',
      open: async () => {
        await page.getByTestId('webhook-create').click();
        await page.locator('.ant-modal-wrap:visible, .ant-drawer-open').first().waitFor();
      },
    },
    { name: 'models', path: '/models' },
    { name: 'model detail', path: '/models?model=lifecycle' },
    { name: 'imports', path: '/imports' },
    { name: 'audit', path: '/audit' },
    { name: 'tokens', path: '/tokens' },
    {
      name: 'new token',
      path: '/tokens',
      open: async () => {
        await page.getByTestId('token-create').click();
        await page.locator('.ant-modal-wrap:visible, .ant-drawer-open').first().waitFor();
      },
    },
  ];

  /** The serious and critical violations of every page in one language, one readable line each. */
  const check = async (lang: 'zh-CN' | 'en-US'): Promise<string[]> => {
    await page.evaluate(`localStorage.setItem('tagbase.lang', ${JSON.stringify(lang)})`);
    const found: string[] = [];
    for (const { name, path, open } of PAGES) {
      await page.goto(`${base}${path}`);
      await page.waitForLoadState('networkidle');
      await open?.();
      await page.waitForLoadState('networkidle');
      await page.waitForTimeout(300);
      // The document says which language it is in, for a screen reader's voice.
      expect(await page.evaluate<string>('document.documentElement.lang'), `${lang} ${name}`).toBe(lang);
      await page.addScriptTag({ path: AXE });
      for (const violation of await page.evaluate<Violation[]>(AXE_RUN)) {
        const targets = violation.targets.filter((target) => !EXCLUDED.some((excluded) => excluded.rule === violation.id && excluded.target.test(target)));
        if (targets.length > 0) found.push(`[${lang}] ${name} (${path}): ${violation.id} (${violation.impact ?? ''}, ${violation.help}) at ${targets.join(' | ')}`);
      }
    }
    return found;
  };

  it('breaks no serious or critical rule on any page in Chinese', async () => {
    expect(await check('zh-CN')).toEqual([]);
  });

  it('breaks no serious or critical rule on any page in English', async () => {
    expect(await check('en-US')).toEqual([]);
  });
});
