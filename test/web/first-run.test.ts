// The console on a new installation, in a real browser: an empty workspace offers the demo
// store, which the server loads while the dialog shows its progress, and which then opens.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/time.js';
import { DEFAULT_WORKSPACE, ensureWorkspace } from '../../src/engine/workspaces.js';
import { callApi, consoleRunnable, screenshotFailure, startConsole, stopConsole, type ConsoleSession } from '../support/console.js';

const runnable = consoleRunnable('the first run');

describe.runIf(runnable)('the console of a new installation', { timeout: 180_000 }, () => {
  let session: ConsoleSession | undefined;
  let page: Page;
  let base = '';

  beforeAll(async () => {
    // As `tagbase serve` leaves a new store: the default workspace, empty.
    session = await startConsole({ name: 'web-first-run', demo: null, prepare: async (store) => void (await ensureWorkspace(store, DEFAULT_WORKSPACE, 'Default', systemClock)) });
    ({ page, base } = session);
  }, 120_000);

  afterAll(() => stopConsole(session ?? {}));

  afterEach(async (context) => {
    await screenshotFailure(page, 'first-run', context.task);
  });

  it('asks a workspace without saved segments to save two before comparing them, rather than to pick them', async () => {
    await page.goto(`${base}/segments`);
    await expect.poll(() => page.getByTestId('compare-hint').locator('.ant-empty-description').textContent()).toBe('保存至少两个人群后，可在这里比较它们的交集');
    // The workspace every installation starts with, named in the console's language.
    expect(await page.getByTestId('workspace-switcher').textContent()).toBe('默认 (default)');
  });

  it('says where tag groups come from before there are any', async () => {
    await page.goto(`${base}/tags`);
    // The library without a tag says how the first comes about, rather than antd's bare 暂无数据.
    await expect.poll(() => page.getByTestId('tag-library-none').textContent()).toBe('还没有在用的标签：点「新建标签」定义一个，或在「标签模板」中安装一套现成的');
    await expect.poll(() => page.getByTestId('tag-groups-none').textContent()).toBe('还没有分组：在下面填写分组名称和标识新建，新建标签时就能选它');
    await page.getByRole('button', { name: '新建标签' }).click();
    await page.getByTestId('tag-group').click();
    await expect.poll(() => page.getByTestId('tag-group-none').textContent()).toBe('还没有分组：关闭编辑器，在标签库的「标签分组」里新建');
    await page.keyboard.press('Escape');
  });

  it('leads from tag transitions without any tag to the tag library', async () => {
    await page.goto(`${base}/transitions`);
    await page.getByTestId('transitions-no-tags').waitFor();
    await page.getByTestId('transitions-to-library').click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/tags');
    await page.getByTestId('tag-groups-none').waitFor();
  });

  it('says an error page a proxy answers with in the console\'s language, not in the proxy\'s English', async () => {
    const tags = (url: URL) => url.pathname === '/api/v1/tags';
    await page.route(tags, (route) => route.fulfill({ status: 502, contentType: 'text/html', body: '<html><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>' }));
    try {
      await page.goto(`${base}/tags`);
      await expect.poll(() => page.getByTestId('tag-library-error').locator('.ant-alert-description').textContent()).toBe('服务器没能处理这个请求（HTTP 502）：请稍后重试；如果一直如此，请管理员查看服务器及其前面代理的日志。');
    } finally {
      await page.unroute(tags);
    }
  });

  it('lists RFM\'s levels before it is enabled without conditions, which come with the thresholds it computes then', async () => {
    // RFM, not yet enabled, has no thresholds: its levels are listed without conditions that would read `F < 0` for each.
    await page.goto(`${base}/models?model=rfm`);
    const rfm = page.getByTestId('model-detail-rfm');
    await rfm.getByTestId('model-conditions-on-enable').waitFor();
    await expect.poll(() => rfm.getByTestId('model-values').locator('tbody tr').count()).toBe(8);
    expect(await rfm.getByTestId('model-values').textContent()).not.toContain('< 0');
    // A model whose conditions stand on its parameters alone shows them before it is enabled.
    await page.goto(`${base}/models?model=lifecycle`);
    const lifecycle = page.getByTestId('model-detail-lifecycle');
    await expect.poll(() => lifecycle.getByTestId('model-values').textContent()).toContain('条件');
    expect(await lifecycle.getByTestId('model-conditions-on-enable').count()).toBe(0);
  });

  it('loads the demo store from the empty overview, showing its progress, and opens it', async () => {
    await page.goto(base);
    await page.evaluate(`localStorage.setItem('tagbase.lang', 'en-US')`);
    await page.reload();
    const notice = page.getByTestId('overview-no-customers');
    await expect.poll(() => notice.locator('.ant-alert-message').textContent()).toBe('This workspace has no customers yet');
    // The production build of the console, also when built by a process with another NODE_ENV
    // (this one's is `test`): antd's development build names its styles css-dev-only-do-not-override.
    expect(await page.locator('[class*="css-dev-only"]').count()).toBe(0);
    expect(await page.locator('[class*="css-"]').count()).toBeGreaterThan(0);
    // Less motion when the reader's system asks for it, as this browser's does, and motion again when it no longer does.
    const transition = () => notice.getByTestId('demo-load').evaluate((button) => button.ownerDocument.defaultView?.getComputedStyle(button).transitionDuration);
    expect(await transition()).toBe('0s');
    await page.emulateMedia({ reducedMotion: 'no-preference' });
    await expect.poll(transition).not.toBe('0s');
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await expect.poll(transition).toBe('0s');
    await notice.getByTestId('demo-load').click();
    // The size offered grouped as the text around it writes numbers: 20,000, not 20000.
    await expect.poll(() => page.getByTestId('demo-customers').inputValue()).toBe('20,000');
    await page.getByTestId('demo-customers').fill('200');
    // The progress is shown while the server writes, which may be over before a test's next look:
    // the page keeps the first progress it shows.
    await page.evaluate(`new MutationObserver(() => {
      window.demoProgress ??= document.querySelector('[data-testid="demo-progress"]')?.textContent ?? undefined;
    }).observe(document.body, { childList: true, subtree: true, characterData: true })`);
    await page.getByTestId('demo-start').click();
    const done = page.getByTestId('demo-done');
    await done.waitFor({ timeout: 120_000 });
    expect(await done.textContent()).toMatch(/^Demo data loaded: 200 customers and [\d,]+ events in \d+ s\.$/);
    expect(await page.evaluate('window.demoProgress')).toMatch(/^Writing (customers|events and tagging as they arrive)… \([\d,]+ of about [\d,]+ done\)/);
    await page.getByTestId('demo-open-loaded').click();
    // The new workspace is chosen although the switcher's list was read before it existed.
    await expect.poll(() => page.getByTestId('workspace-switcher').textContent()).toContain('(demo)');
    await expect.poll(() => page.getByTestId('customer-count').textContent()).toBe('200');
    expect(await page.getByTestId('overview-no-customers').count()).toBe(0);
    await page.reload();
    await expect.poll(() => page.getByTestId('customer-count').textContent()).toBe('200');
  });

  it('offers an empty workspace the demo workspace once there is one, rather than a second demo', async () => {
    const created = await fetch(`${base}/api/v1/workspaces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ key: 'new-shop', name: '新店' }) });
    expect(created.status).toBe(201);
    await page.evaluate(`localStorage.setItem('tagbase.workspace', 'new-shop'); localStorage.setItem('tagbase.lang', 'zh-CN')`);
    await page.reload();
    const notice = page.getByTestId('overview-no-customers');
    await expect.poll(() => notice.locator('.ant-alert-message').textContent()).toBe('这个工作空间还没有客户');
    expect(await notice.getByTestId('demo-load').count()).toBe(0);
    await notice.getByTestId('demo-open').click();
    await expect.poll(() => page.getByTestId('customer-count').textContent()).toBe('200');
  });

  it('says on the portrait of a customer without events where its timeline comes from', async () => {
    await callApi(base, 'POST', '/customers', { customers: [{ id: 'NS1', name: '林小雨' }] }, { 'x-tagbase-workspace': 'new-shop' });
    await page.evaluate(`localStorage.setItem('tagbase.workspace', 'new-shop'); localStorage.setItem('tagbase.lang', 'zh-CN')`);
    await page.goto(`${base}/customers/NS1`);
    const none = page.getByTestId('portrait-events-none').locator('.ant-empty-description');
    await expect.poll(() => none.textContent()).toBe('还没有行为记录：下单、浏览、加购等事件经接口推送或导入后，会按时间列在这里');
    await page.evaluate(`localStorage.setItem('tagbase.lang', 'en-US')`);
    await page.reload();
    await expect.poll(() => none.textContent()).toBe('No behaviour yet: orders, views, cart adds and other events are listed here once an integration sends them or they are imported');
  });
});
