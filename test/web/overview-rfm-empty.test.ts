// The overview's RFM card before it has levels to draw, in a real browser (Debian's Chromium
// through playwright-core), in Chinese and in English: with the model off it says what the card
// will show once RFM is enabled, leading whoever may enable it to the Models page and telling a
// viewer, who may not, only who can; with the model on but nobody graded yet it says that, rather
// than antd's bare 暂无数据.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/time.js';
import { createAccessToken } from '../../src/engine/access-tokens.js';
import { ensureDefaultWorkspace } from '../../src/engine/workspaces.js';
import { callApi, consoleRunnable, screenshotFailure, signInAs, startConsole, stopConsole, type ConsoleSession } from '../support/console.js';

const runnable = consoleRunnable('the RFM card before it has levels');

const WORDS = {
  'zh-CN': {
    missing: '本工作空间尚未启用 RFM 模型：启用后，这里显示各等级的客户数',
    missingReadOnly: '本工作空间尚未启用 RFM 模型：管理员或运营在「模型」页启用后，这里显示各等级的客户数',
    enable: '去「模型」页启用',
    ungraded: 'RFM 模型已启用，还没有客户分到等级：客户在统计期内付款下单后，按最近消费、消费频次和消费金额分级，各等级的客户数显示在这里',
  },
  'en-US': {
    missing: 'RFM is not enabled in this workspace: once it is, this shows how many customers each level holds',
    missingReadOnly: 'RFM is not enabled in this workspace: once an administrator or operator enables it on the Models page, this shows how many customers each level holds',
    enable: 'Enable it on the Models page',
    ungraded: 'RFM is enabled, but no customer has a level yet: customers are graded by recency, frequency and spend once they pay for an order within its window, and each level’s count shows here',
  },
} as const;

describe.runIf(runnable)('the overview’s RFM card before it has levels', { timeout: 180_000 }, () => {
  let session: ConsoleSession | undefined;
  let page: Page;
  let base = '';
  let admin = '';
  let operator = '';
  let viewer = '';
  const call = (method: string, path: string, body?: unknown) => callApi(base, method, path, body, { 'x-tagbase-workspace': 'default', authorization: `Bearer ${admin}` });

  /** Opens the overview as the holder of `token`, in the default workspace and `lang`, once the RFM card has read the models. */
  const open = async (token: string, lang: 'zh-CN' | 'en-US') => {
    await signInAs(page, base, token, lang);
    await page.reload();
    await page.locator('[data-testid="rfm-missing"], [data-testid="rfm-ungraded"], [data-testid="rfm-chart"]').first().waitFor();
  };

  beforeAll(async () => {
    session = await startConsole({
      name: 'web-overview-rfm-empty',
      demo: null,
      prepare: async (store) => {
        await ensureDefaultWorkspace(store, systemClock);
        admin = (await createAccessToken(store, { name: 'Alice', role: 'admin' }, systemClock())).token;
        operator = (await createAccessToken(store, { name: '王芳', role: 'operator' }, systemClock())).token;
        viewer = (await createAccessToken(store, { name: '李雷', role: 'viewer' }, systemClock())).token;
      },
    });
    ({ page, base } = session);
    // Customers who have bought nothing: RFM, once enabled, has no one to grade.
    await call('POST', '/customers', { customers: [{ id: 'N1', name: '林小雨' }, { id: 'N2', name: '周明' }] });
  }, 120_000);

  afterAll(() => stopConsole(session ?? {}));

  afterEach(async (context) => {
    await screenshotFailure(page, 'overview-rfm-empty', context.task);
  });

  for (const lang of ['zh-CN', 'en-US'] as const) {
    it(`tells whoever may enable RFM what the card shows once it is enabled, and leads them to the Models page (${lang})`, async () => {
      for (const token of [admin, operator]) {
        await open(token, lang);
        const missing = page.getByTestId('rfm-missing');
        expect(await missing.locator('.ant-alert-message').textContent()).toBe(WORDS[lang].missing);
        const enable = page.getByTestId('rfm-enable');
        expect(await enable.textContent()).toBe(WORDS[lang].enable);
        expect(await enable.getAttribute('href')).toBe('/models?model=rfm');
      }
      await page.getByTestId('rfm-enable').click();
      await page.getByTestId('model-detail-rfm').waitFor();
      expect(new URL(page.url()).search).toBe('?model=rfm');
    });

    it(`tells a viewer, who enables no models, who can, without a link to a page where they could do nothing (${lang})`, async () => {
      await open(viewer, lang);
      expect(await page.getByTestId('rfm-missing').locator('.ant-alert-message').textContent()).toBe(WORDS[lang].missingReadOnly);
      expect(await page.getByTestId('rfm-enable').count()).toBe(0);
      // The lifecycle card's notice is the same component: no link for a viewer there either.
      await page.getByTestId('lifecycle-missing').waitFor();
      expect(await page.getByTestId('lifecycle-enable').count()).toBe(0);
    });
  }

  it('says, once RFM is enabled, that no customer has a level yet, to every role, rather than 暂无数据', async () => {
    await call('PUT', '/models/rfm', { params: {} });
    for (const lang of ['zh-CN', 'en-US'] as const) {
      for (const token of [admin, viewer]) {
        await open(token, lang);
        const ungraded = page.getByTestId('rfm-ungraded');
        await ungraded.waitFor();
        expect(await ungraded.locator('.ant-empty-description').textContent()).toBe(WORDS[lang].ungraded);
        expect(await page.getByTestId('rfm-missing').count()).toBe(0);
        expect(await page.getByTestId('rfm-chart').count()).toBe(0);
      }
    }
  });
});
