// The customer list and a segment's members on a salesperson's phone (390 × 844), in a real browser:
// each customer a card the screen's width, the name linking to the portrait, city, level, phone and
// tags under it and the box that selects the customer at the bottom, where a table put the phone and
// the tags a sideways scroll away; paged as the table is; the table kept on a wide screen.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { consoleRunnable, fitsWidth, phonePage, screenshotFailure, seriousAxeViolations, signInAs, startSignedInConsole, stopConsole, unnamedControls, type ConsoleSession, type SignedInConsole } from '../support/console.js';

const runnable = consoleRunnable('the customer list on a phone');
/** A company's name as long as real ones are, which a table cut short on a phone. */
const LONG_NAME = '郑州远景医疗器械有限公司第二分公司';

describe.runIf(runnable)('the customer list on a phone', { timeout: 180_000 }, () => {
  let session: ConsoleSession | undefined;
  let context: BrowserContext | undefined;
  let phone: Page;
  let base = '';
  let admin = '';
  let call: SignedInConsole['call'];
  const cards = (page: Page) => page.getByTestId('customer-cards').locator('.tb-customer-card');

  /** Opens the console on `page` as the administrator, in the default workspace and `lang`. */
  const signIn = (page: Page, lang: 'zh-CN' | 'en-US') => signInAs(page, base, admin, lang);

  beforeAll(async () => {
    ({ session, admin, call } = await startSignedInConsole('web-customers-phone'));
    base = session.base;
    // 25 customers, a page and a bit: every fifth in 郑州, the first a company with a long name, the last without one.
    const ids = Array.from({ length: 25 }, (_, n) => `C${String(n + 1).padStart(2, '0')}`);
    await call('POST', '/customers', {
      customers: ids.map((id, n) => ({
        id,
        ...(id === 'C25' ? {} : { name: id === 'C01' ? LONG_NAME : `客户${id}` }),
        city: n % 5 === 0 ? '郑州' : '上海',
        member_level: '金卡',
        identities: [{ kind: 'phone', value: `138000000${String(n + 10)}` }],
      })),
    });
    await call('POST', '/tags', { key: 'stage', name: '服务阶段', cardinality: 'single', kind: 'manual', values: [{ key: 'pre', name: '售前' }, { key: 'post', name: '售后跟进中的重点客户' }] });
    await call('POST', '/tags/stage/assign', { value: 'post', customers: ['C01', 'C06'] });
    await call('POST', '/segments', { key: 'zhengzhou', name: '郑州客户', expression: 'city = "郑州"' });
    ({ context, phone } = await phonePage(session.browser));
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await stopConsole(session ?? {});
  });

  afterEach(async (test) => {
    await screenshotFailure(phone, 'customers-phone', test.task);
    await screenshotFailure(session?.page, 'customers-phone-desktop', test.task);
  });

  it('shows each customer as a card the screen’s width: the name linking to the portrait, the phone and tags in sight', async () => {
    await signIn(phone, 'zh-CN');
    await phone.goto(`${base}/customers`);
    const first = phone.getByTestId('customer-card-C01');
    await first.waitFor();
    // Cards, not a table scrolled sideways.
    expect(await phone.locator('table').count()).toBe(0);
    expect(await cards(phone).count()).toBe(20);
    expect(await fitsWidth(phone)).toBe(true);
    // The name in full, linking to the portrait, the id beside it.
    const link = first.getByRole('link', { name: LONG_NAME, exact: true });
    expect(await link.getAttribute('href')).toBe('/customers/C01');
    expect(await first.textContent()).toContain('C01');
    // Each column under its heading, the phone masked as the table masks it, the tag in full.
    const fields = await first.locator('dt').allTextContents();
    expect(fields).toEqual(['城市', '会员等级', '手机', '标签']);
    expect(await first.locator('dd').allTextContents()).toEqual(['郑州', '金卡', '138****0010', '服务阶段: 售后跟进中的重点客户']);
    // Every card within the screen.
    const boxes = await cards(phone).evaluateAll((elements) => elements.map((element) => element.getBoundingClientRect()).map((box) => box.x >= 0 && box.right <= 390));
    expect(boxes.every(Boolean)).toBe(true);
    // A customer without a name goes by the id, linking to the portrait all the same.
    await phone.getByTestId('customer-search').fill('C25');
    await phone.getByTestId('customer-search').press('Enter');
    await expect.poll(() => cards(phone).count()).toBe(1);
    expect(await phone.getByTestId('customer-card-C25').getByRole('link', { name: 'C25', exact: true }).getAttribute('href')).toBe('/customers/C25');
    // For a screen reader as for the eye: every control named, no serious rule broken.
    expect(await unnamedControls(phone, '[data-testid="customer-cards"]')).toEqual([]);
    expect(await seriousAxeViolations(phone, 'customer-cards')).toEqual([]);
  });

  it('pages through the cards, and selects customers for bulk tagging from them, a page at once too', async () => {
    await phone.goto(`${base}/customers`);
    await phone.getByTestId('customer-card-C01').waitFor();
    expect(await phone.locator('.ant-pagination-total-text').textContent()).toContain('25');
    await phone.getByRole('button', { name: '下一页', exact: true }).tap();
    await phone.waitForURL((url) => url.searchParams.get('page') === '2');
    await expect.poll(() => cards(phone).count()).toBe(5);
    expect(await fitsWidth(phone)).toBe(true);
    // The box at a card's foot, named by whom it selects, a finger's 40 px high.
    const box = phone.getByTestId('customer-card-C21').getByRole('checkbox', { name: '选择客户C21 (C21)', exact: true });
    await box.tap();
    await expect.poll(() => phone.getByTestId('selection-status').textContent()).toBe('已选 1 位');
    const wrapper = await phone.getByTestId('customer-card-C21').locator('.ant-checkbox-wrapper').boundingBox();
    expect(wrapper?.height).toBeGreaterThanOrEqual(39.5);
    // The page's box above the cards selects the rest of the page, and keeps the one chosen.
    await phone.getByTestId('customer-cards').getByRole('checkbox', { name: '选择本页全部客户', exact: true }).tap();
    await expect.poll(() => phone.getByTestId('selection-status').textContent()).toBe('已选 5 位');
    expect(await phone.getByTestId('bulk-tag-button').isEnabled()).toBe(true);
  });

  it('lists a segment’s members as cards, each leading to the portrait', async () => {
    await phone.goto(`${base}/segments`);
    await phone.getByTestId('segment-members-zhengzhou').tap();
    await phone.waitForURL((url) => url.pathname === '/customers' && url.searchParams.get('filter') === 'segment("zhengzhou")');
    await expect.poll(() => cards(phone).count()).toBe(5);
    expect(await phone.locator('table').count()).toBe(0);
    expect(await fitsWidth(phone)).toBe(true);
    expect(await cards(phone).locator('dd').filter({ hasText: '上海' }).count()).toBe(0);
    await phone.getByTestId('customer-card-C06').getByRole('link', { name: '客户C06', exact: true }).tap();
    await phone.waitForURL(`${base}/customers/C06`);
    await phone.getByTestId('portrait-tags').waitFor();
  });

  it('names the lines and the boxes in English', async () => {
    await signIn(phone, 'en-US');
    await phone.goto(`${base}/customers`);
    const first = phone.getByTestId('customer-card-C01');
    await first.waitFor();
    expect(await first.locator('dt').allTextContents()).toEqual(['City', 'Member level', 'Phone', 'Tags']);
    expect(await first.getByRole('checkbox', { name: `Select ${LONG_NAME} (C01)`, exact: true }).count()).toBe(1);
    expect(await phone.getByTestId('customer-cards').getByRole('checkbox', { name: 'Select every customer on this page', exact: true }).count()).toBe(1);
    expect(await fitsWidth(phone)).toBe(true);
  });

  it('keeps the table on a wide screen', async () => {
    const desktop = session?.page;
    if (!desktop) throw new Error('no desktop page');
    await desktop.setViewportSize({ width: 1440, height: 900 });
    await signIn(desktop, 'zh-CN');
    await desktop.goto(`${base}/customers`);
    const table = desktop.getByTestId('customer-table');
    await table.locator('tbody tr.ant-table-row').first().waitFor();
    expect(await desktop.getByTestId('customer-cards').count()).toBe(0);
    expect((await table.locator('thead th').allTextContents()).filter(Boolean)).toEqual(['编号', '姓名', '城市', '会员等级', '手机', '标签']);
    expect(await fitsWidth(desktop)).toBe(true);
  });
});
