// The console checked for accessibility and language in a real browser: every page, and the
// editors and drawers it opens, in Chinese and in English, run through axe-core, and read for
// words of the other language. A serious or critical violation fails the test, listed by rule, the
// elements it found and the page, so that a screen reader's or a keyboard user's console does not
// fall behind the one others see; so does a word of Chinese on a page in English, or of English on
// a page in Chinese, that is not the shop's own. One walk per language does both: each page costs
// the browser most of its work in loading and drawing.
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

/** Every text of the page a reader sees or hears that holds Chinese, with where it stands. */
const CHINESE_ON_PAGE = `(() => {
  const cjk = /[\\u3000-\\u303f\\u3400-\\u9fff\\uff00-\\uffef]/;
  // Each language named in its own words, and a model's value under the name its tag stores (what expressions name it by).
  const OWN_WORDS = '[data-testid="language-switch"], [data-testid="model-value-stored-name"]';
  const found = [];
  const where = (element) => {
    const parts = [];
    for (let at = element; at && at !== document.body && parts.length < 4; at = at.parentElement) {
      parts.unshift(at.getAttribute('data-testid') ?? at.tagName.toLowerCase() + (typeof at.className === 'string' && at.className ? '.' + at.className.split(' ')[0] : ''));
    }
    return parts.join(' > ');
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest('script, style, ' + OWN_WORDS)) continue;
    // A template's example expression names a value as its tag stores it, quoted as typed.
    const text = parent.closest('[data-testid^="template-description-"]') ? (node.textContent ?? '').replace(/"[^"]*"/g, '""') : (node.textContent ?? '');
    if (cjk.test(text)) found.push(where(parent) + ': ' + text.trim());
  }
  for (const element of document.body.querySelectorAll('[aria-label], [placeholder], [title], [alt]')) {
    if (element.closest(OWN_WORDS)) continue;
    for (const attribute of ['aria-label', 'placeholder', 'title', 'alt']) {
      const value = element.getAttribute(attribute);
      if (value && cjk.test(value)) found.push(where(element) + ' @' + attribute + ': ' + value);
    }
  }
  return found;
})()`;

/** Texts of the page in English words (three letters or more, twice) without any Chinese, outside code and the shop's data. */
const ENGLISH_ON_PAGE = `(() => {
  const cjk = /[\\u3400-\\u9fff]/;
  const words = /[A-Za-z]{3,}[\\s,.:;]+[A-Za-z]{3,}/;
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    const text = (node.textContent ?? '').trim();
    if (!parent || parent.closest('script, style, code')) continue;
    if (words.test(text) && !cjk.test(text)) found.push((parent.closest('[data-testid]')?.getAttribute('data-testid') ?? parent.tagName) + ': ' + text);
  }
  for (const element of document.body.querySelectorAll('[aria-label], [placeholder], [title]')) {
    for (const attribute of ['aria-label', 'placeholder', 'title']) {
      const value = element.getAttribute(attribute);
      if (value && words.test(value) && !cjk.test(value)) found.push((element.getAttribute('data-testid') ?? element.tagName) + ' @' + attribute + ': ' + value);
    }
  }
  return found;
})()`;

describe.runIf(runnable)('the console’s accessibility and language', { timeout: 600_000 }, () => {
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
    // A small shop with something on every page, written in English throughout so that any Chinese
    // on an English page is the console's own: tags in a group, customers with orders, a saved
    // segment with a snapshot and an export, a care plan and a webhook.
    await call('POST', '/tag-groups', { key: 'service', name: 'Service' });
    await call('POST', '/tags', { key: 'stage', name: 'Stage', group: 'service', cardinality: 'single', kind: 'manual', values: [{ key: 'pre', name: 'Pre-sale' }, { key: 'post', name: 'After-sale' }] });
    const customers = ['Alice Smith', 'Bob Jones', 'Carol White', 'Dan Brown'].map((name, n) => ({ id: `EN${String(n + 1)}`, name, city: 'Boston', gender: 'female', type: 'individual', member_level: 'Gold', birthday: '1990-05-0' + String(n + 1) }));
    await call('POST', '/customers', { customers });
    const day = Date.now() - 3 * 86_400_000;
    await call('POST', '/events', {
      events: customers.flatMap((customer, n) => [
        { id: `order-${customer.id}`, customer_id: customer.id, type: 'order_paid', occurred_at: new Date(day - n * 86_400_000).toISOString(), properties: { order_id: `O${customer.id}`, amount: 100 * (n + 1), items: [{ sku: 'SKU-1', name: 'Teapot', category: 'Kitchen', price: 100 }] } },
        { id: `view-${customer.id}`, customer_id: customer.id, type: 'product_viewed', occurred_at: new Date(day).toISOString(), properties: { sku: 'SKU-1', name: 'Teapot', category: 'Kitchen', dwell_seconds: 40 } },
      ]),
    });
    await call('POST', '/tags/stage/assign', { value: 'post', customers: ['EN1', 'EN2'] });
    await call('POST', '/segments', { key: 'boston', name: 'Boston buyers', expression: 'city = "Boston" and spend_365d >= 100' });
    await call('POST', '/segments/boston/snapshots', {});
    const exported = await fetch(`${base}/api/v1/segments/boston/export`, { headers: { 'x-tagbase-workspace': 'default', authorization: `Bearer ${admin}` } });
    expect(exported.status).toBe(200);
    await exported.arrayBuffer();
    await call('POST', '/care/plans', { key: 'thanks', name: 'Thank-you note', trigger: { kind: 'event', event_type: 'order_paid' }, steps: [{ after: '1d', message: 'Thank you, {name}' }] });
    await call('POST', '/webhooks', { url: 'https://example.com/hook', topics: ['tag_changes'] });
    await signIn();
  }, 180_000);

  afterAll(() => stopConsole(session ?? {}));

  afterEach((context) => screenshotFailure(page, 'accessibility', context.task));

  const dialogOpened = () => page.locator('.ant-modal-wrap:visible, .ant-drawer-open').first().waitFor();
  const openCarePlans = () => page.getByTestId('care-tab-plans').click();
  const openCarePlanEditor = async () => {
    await openCarePlans();
    await page.getByTestId('care-plan-create').click();
    await dialogOpened();
  };

  /** Each page of the console, and what is opened on it before the check (an editor, a drawer, a tab, the text of an expression). */
  const PAGES: { name: string; path: string; open?: () => Promise<void> }[] = [
    { name: 'overview', path: '/' },
    { name: 'tags, tag groups and templates', path: '/tags' },
    {
      name: 'tag editor',
      path: '/tags',
      open: async () => {
        await page.getByTestId('tag-edit-stage').click();
        await dialogOpened();
      },
    },
    {
      name: 'new tag',
      path: '/tags',
      open: async () => {
        await page.getByTestId('tag-create').click();
        await dialogOpened();
      },
    },
    { name: 'customers', path: '/customers' },
    { name: 'customer portrait', path: '/customers/EN1' },
    { name: 'segments, builder and export log', path: '/segments' },
    // The expression as text, whose box shows an example until one is typed.
    { name: 'segment expression as text', path: '/segments', open: () => page.getByTestId('segment-expression-mode-text').click() },
    {
      name: 'segment snapshots',
      path: '/segments',
      open: async () => {
        await page.getByTestId('segment-snapshots-boston').click();
        await page.getByTestId('segment-snapshot-list').waitFor();
      },
    },
    { name: 'transitions', path: '/transitions?tag=stage' },
    { name: 'care reminders', path: '/care' },
    {
      name: 'care plans',
      path: '/care',
      open: async () => {
        await openCarePlans();
        await page.getByTestId('care-plan-create').waitFor();
      },
    },
    { name: 'care plan editor', path: '/care', open: openCarePlanEditor },
    {
      name: 'care plan editor, condition as text',
      path: '/care',
      open: async () => {
        await openCarePlanEditor();
        await page.getByTestId('care-plan-condition-mode-text').click();
      },
    },
    { name: 'webhooks', path: '/webhooks' },
    {
      name: 'new webhook',
      path: '/webhooks',
      open: async () => {
        await page.getByTestId('webhook-create').click();
        await dialogOpened();
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
        await dialogOpened();
      },
    },
  ];

  /**
   * Every page in one language, walked once: the serious and critical violations axe finds, one
   * readable line each, and the texts `otherLanguage` finds, each with the page it stands on.
   */
  const walk = async (lang: 'zh-CN' | 'en-US', otherLanguage: string): Promise<{ violations: string[]; words: string[] }> => {
    await page.evaluate(`localStorage.setItem('tagbase.lang', ${JSON.stringify(lang)})`);
    const violations: string[] = [];
    const words: string[] = [];
    for (const { name, path, open } of PAGES) {
      await page.goto(`${base}${path}`);
      await page.waitForLoadState('networkidle');
      if (open) {
        await open();
        await page.waitForLoadState('networkidle');
      }
      await page.waitForTimeout(300);
      // The document says which language it is in, for a screen reader's voice.
      expect(await page.evaluate<string>('document.documentElement.lang'), `${lang} ${name}`).toBe(lang);
      words.push(...(await page.evaluate<string[]>(otherLanguage)).map((line) => `${name} (${path}): ${line}`));
      await page.addScriptTag({ path: AXE });
      for (const violation of await page.evaluate<Violation[]>(AXE_RUN)) {
        const targets = violation.targets.filter((target) => !EXCLUDED.some((excluded) => excluded.rule === violation.id && excluded.target.test(target)));
        if (targets.length > 0) violations.push(`[${lang}] ${name} (${path}): ${violation.id} (${violation.impact ?? ''}, ${violation.help}) at ${targets.join(' | ')}`);
      }
    }
    return { violations, words };
  };

  it('breaks no serious or critical rule on any page in Chinese, and says nothing in English there but the shop’s own words', async () => {
    const { violations, words } = await walk('zh-CN', ENGLISH_ON_PAGE);
    expect(violations).toEqual([]);
    // The shop's own words, in English here, and an audit entry's action by its key on hover.
    const data = ['Alice Smith', 'Bob Jones', 'Carol White', 'Dan Brown', 'Boston', 'Stage: After-sale', 'Thank-you note', 'example.com', '@title: token create'];
    expect(words.filter((line) => !data.some((shop) => line.includes(shop)))).toEqual([]);
  });

  it('breaks no serious or critical rule on any page in English, and says nothing in Chinese there but the shop’s own words', async () => {
    const { violations, words } = await walk('en-US', CHINESE_ON_PAGE);
    expect(violations).toEqual([]);
    expect(words).toEqual([]);
  });
});
