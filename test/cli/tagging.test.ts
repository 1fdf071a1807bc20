// `tagbase tag assign|unassign|undo`: tagging by hand from the terminal, as bulk tagging does.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { formatCliError } from '../../src/cli/errors.js';
import { cliMessages } from '../../src/cli/messages.js';
import { assignedText, customersToTag, undoneSummary, unassignedText } from '../../src/cli/tagging.js';
import { upsertCustomers } from '../../src/engine/customers.js';
import { getPortrait } from '../../src/engine/portrait.js';
import { undoTaggingOperation } from '../../src/engine/tagging-operations.js';
import { defineTag, interests, stage } from '../engine/support.js';

const en = cliMessages('en');
const zh = cliMessages('zh-CN');
const folder = mkdtempSync(join(tmpdir(), 'tagbase-tagging-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** The labels a customer holds, with who gave them and how. */
async function held(context: Parameters<typeof getPortrait>[0], id: string) {
  return (await getPortrait(context, id)).tags.map((tag) => `${tag.label} ${tag.source} ${tag.actor}${tag.expires_at === null ? '' : ` until ${tag.expires_at}`}`);
}

it('reads the customers from the arguments and a file or standard input, each once, blank lines skipped', async () => {
  const file = join(folder, '名单.txt');
  writeFileSync(file, 'C2\r\n  C3  \n\nC1\n');
  expect(await customersToTag(['C1', 'C2'], file)).toEqual(['C1', 'C2', 'C3']);
  expect(await customersToTag([], '-', () => Promise.resolve('C9\nC8\n'))).toEqual(['C9', 'C8']);
  await expect(customersToTag([], undefined)).rejects.toThrow('name the customers: their ids after the value, or a file of ids with --file');
  // Left to the command's error line, which words it in the reader's language.
  await expect(customersToTag([], join(folder, 'missing.txt'))).rejects.toMatchObject({ code: 'ENOENT' });
  await expect(customersToTag(['  '], '-', () => Promise.resolve('\n\n'))).rejects.toThrow('name the customers');
});

it('reads a list saved on Windows as imports read their files: a byte-order mark dropped, GB18030 told from UTF-8', async () => {
  const marked = join(folder, 'marked.txt');
  writeFileSync(marked, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('C1\r\nC2\r\n')]));
  expect(await customersToTag([], marked)).toEqual(['C1', 'C2']);
  const gb = join(folder, 'gb18030.txt');
  // 王芳 in GB18030.
  writeFileSync(gb, Buffer.from([0xcd, 0xf5, 0xb7, 0xbc, 0x0a]));
  expect(await customersToTag([], gb)).toEqual(['王芳']);
  const binary = join(folder, 'binary.txt');
  writeFileSync(binary, Buffer.from([0xff, 0x00, 0x81, 0x20, 0xfe]));
  await expect(customersToTag([], binary)).rejects.toThrow(`${binary} is neither UTF-8 nor GB18030 text`);
});

forEachStore('tagbase tag assign, unassign and undo', (h) => {
  async function shop() {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'C1' }, { id: 'C2' }, { id: 'C3' }]);
    await defineTag(ctx, interests);
    await defineTag(ctx, stage);
    return ctx;
  }

  it('gives a value by hand to the customers named, by key or name, and says what changed and how to undo it', async () => {
    const ctx = await shop();
    const first = await assignedText(ctx, en, { tag: '兴趣爱好', value: 'golf', customers: ['C1', 'C2'] });
    expect(first).toMatch(/^assigned 兴趣爱好: 高尔夫 to 2 customers: 2 added\nto undo it within 7 days: tagbase tag undo \d+$/);
    expect(await held(ctx, 'C1')).toEqual(['兴趣爱好: 高尔夫 manual tester']);
    // A single-valued tag: one value takes another's place.
    await assignedText(ctx, en, { tag: 'stage', value: 'pre', customers: ['C1'] });
    expect(await assignedText(ctx, zh, { tag: 'stage', value: '售中', customers: ['C1', 'C2'] })).toMatch(/^已为 2 位客户打上「服务阶段: 售中」：新增 1 位，1 位替换了原来的值\n7 天内可撤销：tagbase tag undo \d+$/);
    expect(await held(ctx, 'C1')).toContain('服务阶段: 售中 manual tester');
    // Nothing changed: nothing to undo.
    expect(await assignedText(ctx, en, { tag: 'interests', value: 'golf', customers: ['C1'] })).toBe('assigned 兴趣爱好: 高尔夫 to 1 customer: 1 held it already');
  });

  it('sets the expiry when asked, and renews it for those who held the value already', async () => {
    const ctx = await shop();
    await assignedText(ctx, en, { tag: 'interests', value: 'golf', customers: ['C1'] });
    const text = await assignedText(ctx, en, { tag: 'interests', value: 'golf', customers: ['C1', 'C2'], expiresInDays: 30 });
    expect(text.split('\n')[0]).toBe('assigned 兴趣爱好: 高尔夫 to 2 customers: 1 added, 1 held it already, 1 of them with a new expiry');
    expect(await held(ctx, 'C1')).toEqual(['兴趣爱好: 高尔夫 manual tester until 2026-07-15T10:00:00.000Z']);
  });

  it('refuses customers, values and tags that do not exist, changing nothing', async () => {
    const ctx = await shop();
    await expect(assignedText(ctx, en, { tag: 'interests', value: 'golf', customers: ['C1', 'nobody'] })).rejects.toThrow('Customer "nobody" does not exist.');
    expect(await held(ctx, 'C1')).toEqual([]);
    await expect(assignedText(ctx, en, { tag: 'interests', value: '滑雪', customers: ['C1'] })).rejects.toThrow('has no value "滑雪"');
    await expect(assignedText(ctx, en, { tag: 'hobbies', value: 'golf', customers: ['C1'] })).rejects.toThrow('hobbies');
  });

  it('names the customers not found as the command was given them, not as items of an API body ("item 1 customers")', async () => {
    const ctx = await shop();
    const one: unknown = await assignedText(ctx, en, { tag: 'interests', value: 'golf', customers: ['C1', 'nobody'] }).catch((error: unknown) => error);
    expect(formatCliError(one, 'en')).toBe('error CUSTOMER_NOT_FOUND: Customer "nobody" does not exist.');
    const two: unknown = await unassignedText(ctx, zh, { tag: 'interests', customers: ['甲', 'C1', '乙'] }).catch((error: unknown) => error);
    expect(formatCliError(two, 'zh-CN')).toBe('错误 CUSTOMERS_NOT_FOUND：有 2 个客户编号不存在，例如「甲」、「乙」。\n  客户「甲」不存在。\n  客户「乙」不存在。');
    expect(two).toMatchObject({ code: 'CUSTOMERS_NOT_FOUND', params: { count: 2 } });
  });

  it('takes one value or the whole tag away, and undoes either, leaving customers changed since alone', async () => {
    const ctx = await shop();
    await assignedText(ctx, en, { tag: 'interests', value: 'golf', customers: ['C1', 'C2'] });
    await assignedText(ctx, en, { tag: 'interests', value: 'yoga', customers: ['C1'] });
    const removal = await unassignedText(ctx, en, { tag: 'interests', value: '高尔夫', customers: ['C1', 'C2', 'C3'] });
    expect(removal).toMatch(/^removed 兴趣爱好: 高尔夫 from the 3 customers named: 2 values taken away\nto undo it within 7 days: tagbase tag undo (\d+)$/);
    expect(await held(ctx, 'C1')).toEqual(['兴趣爱好: 瑜伽 manual tester']);
    const operation = Number(/undo (\d+)$/.exec(removal)?.[1]);
    // C2 is given golf again by someone else before the undo: left as it is.
    await assignedText(ctx, en, { tag: 'interests', value: 'golf', customers: ['C2'] });
    expect(undoneSummary(en, await undoTaggingOperation(ctx, operation))).toBe(
      'undone: 兴趣爱好: 高尔夫 given back to 1 customer, as they were before\n1 customer holds something else of the tag since: left as it is',
    );
    expect(await held(ctx, 'C1')).toEqual(['兴趣爱好: 高尔夫 manual tester', '兴趣爱好: 瑜伽 manual tester']);
    const whole = await unassignedText(ctx, zh, { tag: 'interests', customers: ['C1'] });
    expect(whole).toMatch(/^已移除所列 1 位客户的「兴趣爱好」：共移除 2 个标签值\n/);
    expect(await held(ctx, 'C1')).toEqual([]);
  });
});
