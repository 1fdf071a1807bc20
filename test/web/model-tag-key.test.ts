// The key of a model's tag, asked for on the Models page when a tag of the library holds the
// model's own: the conflict is said in the console's words, not the API's (`{"tag_key": …}`,
// `PATCH /api/v1/tags/…`), and a key the server would refuse is said so in either language and
// not sent, rather than answered with "body tag_key: …". A conflict no other key solves (a tag
// of the model's tag's name) is not answered with a field for one.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { consoleRunnable, screenshotFailure, startConsole, stopConsole, type ConsoleSession } from '../support/console.js';

const runnable = consoleRunnable('the key of a model’s tag');

describe.runIf(runnable)('the key of a model’s tag', { timeout: 120_000 }, () => {
  let session: ConsoleSession | undefined;
  let page: Page;
  let base = '';
  const requests: string[] = [];

  beforeAll(async () => {
    session = await startConsole({ name: 'web-model-tag-key', demo: { customers: 40, eventsPerCustomer: 3, seed: 5 } });
    ({ page, base } = session);
    // The shop's own 活跃度 holds the key of the activity model, and its own VIP the name of the VIP model's tag.
    for (const tag of [
      { key: 'activity', name: '活跃度' },
      { key: 'vip_club', name: 'VIP' },
    ]) {
      const made = await fetch(`${base}/api/v1/tags`, {
        method: 'POST',
        headers: { 'x-tagbase-workspace': 'demo', 'content-type': 'application/json' },
        body: JSON.stringify({ ...tag, kind: 'manual', values: [{ key: 'high', name: '高' }] }),
      });
      expect(made.status, await made.clone().text()).toBe(201);
    }
    page.on('request', (request) => {
      if (request.method() === 'PUT' && request.url().includes('/api/v1/models/activity')) requests.push(request.postData() ?? '');
    });
  }, 120_000);

  afterAll(() => stopConsole(session ?? {}));

  afterEach((context) => screenshotFailure(page, 'model-tag-key', context.task));

  const problem = () => page.getByTestId('model-error').textContent();
  const help = () => page.locator('.ant-form-item:has(#model-tag-key) .ant-form-item-explain').textContent();

  it('says what a key may be before sending it, and enables the model under a key it takes', async () => {
    await page.goto(`${base}/models?model=activity`);
    await page.getByTestId('model-detail-activity').getByTestId('model-save').click();
    await page.getByTestId('model-tag-key').waitFor();
    expect(await page.getByTestId('model-tag-key').inputValue()).toBe('activity_model');
    expect(await problem()).toBe('无法启用：标签库中的标签「活跃度」已使用标识「activity」。请在下面给模型的标签另取一个标识，或先在标签库中给「活跃度」换一个标识。');
    expect(requests).toHaveLength(1);

    await page.getByTestId('model-tag-key').fill('活跃 状态!');
    await expect.poll(help).toBe('标识由汉字、字母、数字、_ 或 - 组成，以汉字、字母或 _ 开头，最多 64 个字符');
    expect(await page.getByTestId('model-save').isDisabled()).toBe(true);
    await page.getByTestId('model-tag-key').fill('');
    await expect.poll(help).toBe('还差标识');
    expect(await page.getByTestId('model-save').isDisabled()).toBe(true);

    await page.getByTestId('language-switch').getByText('EN').click();
    await expect.poll(help).toBe('The key is still missing');
    await page.getByTestId('model-tag-key').fill('1st');
    await expect.poll(help).toBe('A key is letters (Chinese characters too), digits, _ or -, starting with a letter or _, up to 64 characters');
    // Nothing was sent meanwhile: the server's own wording never reached the page.
    expect(requests).toHaveLength(1);
    expect(await page.getByTestId('model-error').textContent()).not.toMatch(/body tag_key|请求体/);

    // A key the library holds too is named with its tag, in English now.
    await page.getByTestId('model-tag-key').fill('rfm');
    await page.getByTestId('model-save').click();
    await expect.poll(problem).toBe('Cannot enable: the tag “RFM等级” of the library already has the key "rfm". Give the model’s tag another key below, or give “RFM等级” another key in the tag library first.');
    expect(requests).toHaveLength(2);
    await page.getByTestId('model-tag-key').fill('activity_status');
    await expect.poll(help).toMatch(/already has the key "activity"/);
    await page.getByTestId('model-save').click();
    await page.getByTestId('model-distribution').waitFor({ timeout: 30_000 });
    expect(JSON.parse(requests.at(-1) ?? '{}')).toMatchObject({ tag_key: 'activity_status' });
    await page.getByTestId('language-switch').getByText('中文').click();
  });

  it('offers no other key where a tag of the same name is in the way, and says so as the server does', async () => {
    await page.getByTestId('model-item-vip').click();
    await page.getByTestId('model-detail-vip').getByTestId('model-save').click();
    await expect.poll(problem).toContain('已叫「VIP」');
    expect(await page.getByTestId('model-tag-key').count()).toBe(0);
  });
});
