// `tagbase customer show` and `tagbase tag list`: what a terminal shows of one customer and of
// the tag library, in both languages, and the JSON that scripts read — on every store. And what
// `tagbase customer merge` says before and after it merges.
import { afterEach, expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { customerPortraitText, foundCustomersText, mergeAnswer } from '../../src/cli/customer.js';
import { formatCliError } from '../../src/cli/errors.js';
import { cliMessages } from '../../src/cli/messages.js';
import { tagLibraryText } from '../../src/cli/tag-list.js';
import { listAudit } from '../../src/engine/audit.js';
import { upsertCustomers } from '../../src/engine/customers.js';
import { createCustomField } from '../../src/engine/fields.js';
import { ingestEvents } from '../../src/engine/ingest.js';
import { createTagGroup, updateTag } from '../../src/engine/library.js';
import { assignTag } from '../../src/engine/tagging.js';
import { mergeCustomers } from '../../src/engine/merge.js';
import { getPortrait } from '../../src/engine/portrait.js';
import { TagbaseError } from '../../src/core/errors.js';
import { defineTag, interests, stage } from '../engine/support.js';

const en = cliMessages('en');
const zh = cliMessages('zh-CN');

afterEach(() => {
  delete process.env.TAGBASE_AUDIT_READS;
});

forEachStore('tagbase customer show', (h) => {
  async function customerWithHistory() {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'C1', name: '张伟', gender: 'male', city: '杭州', member_level: '金卡', identities: [{ kind: 'phone', value: '13800138000' }] }]);
    await defineTag(ctx, interests);
    await defineTag(ctx, stage);
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['C1'], source: 'manual' });
    await assignTag(ctx, { tag: 'stage', value: 'pre', customers: ['C1'], source: 'api', expiresAt: Date.parse('2026-07-01T00:00:00Z') });
    await ingestEvents(ctx, [
      { id: 'E1', customer_id: 'C1', type: 'order_paid', occurred_at: '2026-06-01T08:00:00Z', properties: { order_id: 'O1', amount: 1299, channel: 'online' } },
      { id: 'E2', customer_id: 'C1', type: 'product_viewed', occurred_at: '2026-06-02T01:30:00Z', properties: { sku: 'S1', category: '美妆', dwell_seconds: 42, note: 'x'.repeat(200) } },
    ]);
    return ctx;
  }

  it('reads the fields, identities, tags, metrics, events and tag changes, times in the workspace zone', async () => {
    const ctx = await customerWithHistory();
    const text = await customerPortraitText(ctx, 'C1', en, { locale: 'en' });
    const lines = text.split('\n');
    expect(lines[0]).toBe('C1  张伟  (times in UTC+08:00)');
    expect(lines).toContain('  gender           Male');
    expect(lines).toContain('  member level     金卡');
    expect(lines).toContain('  phone            13800138000');
    // Computed from the customer, and always there; then whether each channel reaches the customer, from their identities.
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}random bucket {4}\d{1,2}$/));
    const bucketAt = lines.findIndex((line) => line.startsWith('  random bucket'));
    expect(lines.slice(bucketAt + 1, bucketAt + 5)).toEqual(['  has phone        yes', '  has e-mail       no', '  has WeChat       no', '  has member card  no']);
    expect(text).toContain('Tags (2)');
    // The clock of the test stands at 2026-06-15 10:00 UTC: 18:00 in the workspace's zone.
    expect(lines).toContain('  兴趣爱好: 高尔夫  by hand  tester  2026-06-15 18:00');
    expect(lines).toContain('  服务阶段: 售前    API      tester  2026-06-15 18:00  expires 2026-07-01 08:00');
    expect(text).toMatch(/\n {2}Orders, all time +1 +orders_total\n/);
    expect(text).toMatch(/\n {2}Spend, all time, net of refunds +1,299 +spend_total\n/);
    expect(text).toContain('Latest events (2)');
    expect(lines).toContain('  2026-06-01 16:00  order_paid      order_id=O1 amount=1299 channel=online');
    // A long property list is cut at the terminal's width rather than running on.
    const viewed = lines.find((line) => line.includes('product_viewed')) ?? '';
    expect(viewed.endsWith('…')).toBe(true);
    expect(viewed.length).toBeLessThan(140);
    expect(text).toContain('Latest tag changes (2)');
    expect(lines).toContain('  2026-06-15 18:00  added  服务阶段: 售前    API      tester');
  });

  it('speaks Chinese, with the built-in words in Chinese', async () => {
    const ctx = await customerWithHistory();
    const text = await customerPortraitText(ctx, 'C1', zh, { locale: 'zh-CN' });
    expect(text.split('\n')[0]).toBe('C1  张伟  （时间为 UTC+08:00）');
    expect(text).toContain('  性别          男\n');
    expect(text).toContain('  手机          13800138000');
    expect(text).toContain('  服务阶段: 售前    接口  tester  2026-06-15 18:00  2026-07-01 08:00 到期');
    expect(text).toContain('标签（2）');
    expect(text).toContain('  兴趣爱好: 高尔夫  手动  tester  2026-06-15 18:00');
    expect(text).toMatch(/\n {2}累计消费额 +1,299 +spend_total\n/);
    expect(text).toContain('最近的标签变化（2）');
  });

  it('says a customer\'s type and gender in the reader\'s language, as the console does, and by their keys in JSON', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'T1', name: '孙丽', type: 'company', gender: 'female' }]);
    const english = (await customerPortraitText(ctx, 'T1', en, { locale: 'en' })).split('\n');
    expect(english).toContain('  type             Company');
    expect(english).toContain('  gender           Female');
    const chinese = await customerPortraitText(ctx, 'T1', zh, { locale: 'zh-CN' });
    expect(chinese).toMatch(/\n {2}客户类型 +企业\n/);
    expect(chinese).toMatch(/\n {2}性别 +女\n/);
    expect(JSON.parse(await customerPortraitText(ctx, 'T1', en, { locale: 'en', json: true }))).toMatchObject({ type: 'company', gender: 'female' });
  });

  it('says the copy of a value a merge dropped came from the merged record, in the reader\'s language', async () => {
    const ctx = await customerWithHistory();
    await upsertCustomers(ctx, [{ id: 'C2' }]);
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['C2'], source: 'manual' });
    await mergeCustomers(ctx, 'C1', 'C2');
    const english = (await customerPortraitText(ctx, 'C1', en, { locale: 'en' })).split('\n');
    expect(english.find((line) => line.includes('removed'))).toMatch(/^ {2}2026-06-15 18:00 {2}removed {2}兴趣爱好: 高尔夫 \(merged from "C2"\) {2}by hand {2}tester$/);
    const chinese = (await customerPortraitText(ctx, 'C1', zh, { locale: 'zh-CN' })).split('\n');
    expect(chinese.find((line) => line.includes('移除'))).toMatch(/兴趣爱好: 高尔夫（合并自「C2」） {2}手动/);
  });

  it('names a custom field as it was declared, in either language', async () => {
    const ctx = h.context();
    await createCustomField(ctx, { key: 'shoe_size', name: '鞋码', type: 'number' });
    await createCustomField(ctx, { key: 'points', name: '积分', type: 'number' });
    await upsertCustomers(ctx, [{ id: 'Shod', custom: { shoe_size: 42, points: 12345.678 } }]);
    expect(await customerPortraitText(ctx, 'Shod', en, { locale: 'en' })).toMatch(/\n {2}鞋码 +42\n/);
    expect(await customerPortraitText(ctx, 'Shod', zh, { locale: 'zh-CN' })).toMatch(/\n {2}鞋码 +42\n/);
    // Grouped to two decimals, as the metrics and the console's portrait write numbers.
    expect(await customerPortraitText(ctx, 'Shod', zh, { locale: 'zh-CN' })).toMatch(/\n {2}积分 +12,345\.68\n/);
  });

  it('says a yes-or-no custom field as yes or no in the reader\'s language, as it says whether a channel reaches the customer', async () => {
    const ctx = h.context();
    await createCustomField(ctx, { key: 'old_member', name: '老会员', type: 'boolean' });
    await createCustomField(ctx, { key: 'opted_out', name: '拒收营销', type: 'boolean' });
    await upsertCustomers(ctx, [{ id: 'Kept', custom: { old_member: true, opted_out: false } }]);
    const english = await customerPortraitText(ctx, 'Kept', en, { locale: 'en' });
    expect(english).toMatch(/\n {2}老会员 +yes\n/);
    expect(english).toMatch(/\n {2}拒收营销 +no\n/);
    const chinese = await customerPortraitText(ctx, 'Kept', zh, { locale: 'zh-CN' });
    expect(chinese).toMatch(/\n {2}老会员 +是\n/);
    expect(chinese).toMatch(/\n {2}拒收营销 +否\n/);
    // Scripts read the values as stored.
    expect((JSON.parse(await customerPortraitText(ctx, 'Kept', zh, { json: true })) as { custom: unknown }).custom).toEqual({ old_member: true, opted_out: false });
  });

  it('says so where a customer has nothing yet, and the JSON is the API portrait', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'Bare' }]);
    const text = await customerPortraitText(ctx, 'Bare', en, { locale: 'en' });
    expect(text).toContain('Tags (0)\n  no tags\n');
    expect(text).toContain('Latest events (0)\n  no events\n');
    expect(text.endsWith('Latest tag changes (0)\n  no tag changes')).toBe(true);
    const json = JSON.parse(await customerPortraitText(ctx, 'Bare', en, { json: true })) as unknown;
    expect(json).toEqual(await getPortrait(ctx, 'Bare'));
  });

  it('limits the events and changes shown, and refuses an unknown customer', async () => {
    const ctx = await customerWithHistory();
    const text = await customerPortraitText(ctx, 'C1', en, { locale: 'en', recent: 1 });
    expect(text).toContain('Latest events (1)');
    expect(text).toContain('Latest tag changes (1)');
    await expect(customerPortraitText(ctx, 'nobody', en)).rejects.toThrow(TagbaseError);
  });

  it('finds the customer by an identity, written as people write it', async () => {
    const ctx = await customerWithHistory();
    expect((await customerPortraitText(ctx, '138 0013 8000', en, { by: 'phone' })).split('\n')[0]).toBe('C1  张伟  (times in UTC+08:00)');
    await expect(customerPortraitText(ctx, '13900000000', en, { by: 'phone' })).rejects.toThrow('Customer "phone:13900000000" does not exist.');
  });

  it('says, of an id not found that reads as a phone number or an e-mail address, to look it up by --by or customer find', async () => {
    const ctx = await customerWithHistory();
    const refusal = async (id: string, locale: 'en' | 'zh-CN') => formatCliError(await customerPortraitText(ctx, id, locale === 'en' ? en : zh).catch((error: unknown) => error), locale);
    expect(await refusal('13800138000', 'en')).toBe(
      'error CUSTOMER_NOT_FOUND: Customer "13800138000" does not exist. If it is a phone number, add --by phone, or look it up with tagbase customer find.',
    );
    expect(await refusal('138 0013 8000', 'zh-CN')).toBe('错误 CUSTOMER_NOT_FOUND：客户「138 0013 8000」不存在。如果这是手机号，请加上 --by phone，或用 tagbase customer find 查找。');
    expect(await refusal('Zhang.Wei@Example.cn', 'en')).toBe(
      'error CUSTOMER_NOT_FOUND: Customer "Zhang.Wei@Example.cn" does not exist. If it is an e-mail address, add --by email, or look it up with tagbase customer find.',
    );
    expect(await refusal('zw@example.cn', 'zh-CN')).toBe('错误 CUSTOMER_NOT_FOUND：客户「zw@example.cn」不存在。如果这是电子邮箱，请加上 --by email，或用 tagbase customer find 查找。');
    // Neither a phone number nor an e-mail address: the line alone.
    expect(await refusal('nobody', 'en')).toBe('error CUSTOMER_NOT_FOUND: Customer "nobody" does not exist.');
    // Named --by already, the line names the kind, and no hint.
    expect(formatCliError(await customerPortraitText(ctx, '13900000000', en, { by: 'phone' }).catch((error: unknown) => error), 'en')).toBe('error CUSTOMER_NOT_FOUND: Customer "phone:13900000000" does not exist.');
  });

  it('is recorded as a read of personal data when the server records those', async () => {
    const ctx = await customerWithHistory();
    await customerPortraitText(ctx, 'C1', en);
    expect((await listAudit(ctx.store, { workspaceId: ctx.workspaceId, limit: 10 }, 'en')).items).toEqual([]);
    process.env.TAGBASE_AUDIT_READS = 'on';
    await customerPortraitText(ctx, 'C1', en);
    const { items } = await listAudit(ctx.store, { workspaceId: ctx.workspaceId, limit: 10 }, 'en');
    expect(items).toMatchObject([{ actor: 'tester', source: 'cli', action: 'customer show', target: '/customers/C1', summary: "read a customer's portrait" }]);
  });
});

forEachStore('tagbase customer merge', (h) => {
  it('says what a merge would do and changes nothing without --yes, then merges, says what moved and what stayed the survivor\'s, and is recorded', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'C1', name: '张伟' }, { id: 'C2', city: '杭州', identities: [{ kind: 'phone', value: '13800138000' }] }]);
    await defineTag(ctx, interests);
    await defineTag(ctx, stage);
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['C1', 'C2'], source: 'manual' });
    await assignTag(ctx, { tag: 'stage', value: 'pre', customers: ['C2'], source: 'manual' });
    expect(await mergeAnswer(ctx, 'C2', { into: 'C1', yes: false }, zh)).toEqual({
      done: false,
      text: '将客户「C2」合并到「C1」后无法撤销：保留「C1」，「C2」的身份标识、事件、标签和历史都并入它，此后「C2」指向它；确认要合并请加上 --yes 再运行',
    });
    expect((await getPortrait(ctx, 'C2')).id).toBe('C2');
    expect(await mergeAnswer(ctx, 'C2', { into: 'C1', yes: true }, en)).toEqual({
      done: true,
      // C1 held 高尔夫 already: C2's copy is left out.
      text: 'merged customer "C2" into "C1": 1 identity, 0 events, 1 tag and 2 history rows moved; 1 tag left out, as "C1" held that tag already',
    });
    expect((await getPortrait(ctx, 'C2')).id).toBe('C1');
    const { items } = await listAudit(ctx.store, { workspaceId: ctx.workspaceId, limit: 10 }, 'en');
    // The path the same merge has in the API (POST /customers/C1/merge), as every command's target is.
    expect(items).toMatchObject([{ actor: 'tester', source: 'cli', action: 'customer merge', target: '/customers/C1/merge', summary: 'merged two customer records' }]);
  });

  it('refuses, before asking for --yes, a merge that cannot be: an unknown id, one record twice, two ids merged before', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'C1' }, { id: 'C2' }]);
    await expect(mergeAnswer(ctx, 'nobody', { into: 'C1', yes: false }, en)).rejects.toMatchObject({ code: 'CUSTOMER_NOT_FOUND' });
    await expect(mergeAnswer(ctx, 'C1', { into: 'C1', yes: false }, en)).rejects.toMatchObject({ code: 'MERGE_SELF' });
    await mergeAnswer(ctx, 'C2', { into: 'C1', yes: true }, en);
    await expect(mergeAnswer(ctx, 'C1', { into: 'C2', yes: false }, en)).rejects.toMatchObject({ code: 'MERGE_ALREADY' });
  });
});

forEachStore('tagbase customer find', (h) => {
  async function shop() {
    const ctx = h.context();
    await upsertCustomers(ctx, [
      { id: 'C1', name: '王芳', city: '上海', member_level: '金卡', identities: [{ kind: 'phone', value: '13800138000' }] },
      { id: 'C2', name: '李王明', city: '杭州' },
      { id: 'C3', name: '张伟', identities: [{ kind: 'email', value: 'zw@example.cn' }] },
      { id: 'C4', name: '王小二' },
    ]);
    await defineTag(ctx, interests);
    await defineTag(ctx, stage);
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['C1'], source: 'manual' });
    await assignTag(ctx, { tag: 'stage', value: 'pre', customers: ['C1'], source: 'manual' });
    return ctx;
  }
  const page = { limit: 20, offset: 0 };

  it('lists the customers part of a name finds, in the order they came, each with its tags', async () => {
    const ctx = await shop();
    const lines = (await foundCustomersText(ctx, '王', en, { ...page, locale: 'en' })).split('\n');
    expect(lines[0]).toBe('3 customers match "王"');
    expect(lines[1]).toMatch(/^ {2}id +name +city +member level +phone +tags$/);
    expect(lines.slice(2).map((line) => line.trim().split(/ +/)[0])).toEqual(['C1', 'C2', 'C4']);
    expect(lines[2]).toMatch(/^ {2}C1 +王芳 +上海 +金卡 +13800138000 +兴趣爱好: 高尔夫, 服务阶段: 售前$/);
    expect(lines).toHaveLength(5);
  });

  it('finds by customer id, phone number as people write it and email, and speaks Chinese', async () => {
    const ctx = await shop();
    expect(await foundCustomersText(ctx, 'C3', en, { ...page, locale: 'en' })).toMatch(/^1 customer matches "C3"\n.*\n {2}C3 +张伟/);
    expect(await foundCustomersText(ctx, '138 0013 8000', en, { ...page, locale: 'en' })).toMatch(/\n {2}C1 +王芳/);
    expect(await foundCustomersText(ctx, 'zw@example.cn', en, { ...page, locale: 'en' })).toMatch(/\n {2}C3 +张伟/);
    expect(await foundCustomersText(ctx, 'wangf', en, { ...page, locale: 'en' })).toMatch(/^1 customer matches "wangf"\n.*\n {2}C1 +王芳/);
    const chinese = (await foundCustomersText(ctx, '王芳', zh, { ...page, locale: 'zh-CN' })).split('\n');
    expect(chinese[0]).toBe('找到 1 位与「王芳」匹配的客户');
    expect(chinese[1]).toMatch(/^ {2}编号 +姓名 +城市 +会员等级 +手机 +标签$/);
    expect(chinese[2]).toMatch(/兴趣爱好: 高尔夫、服务阶段: 售前$/);
  });

  it('pages with --limit and --offset, says which it shows, and says when nothing or nothing more is found', async () => {
    const ctx = await shop();
    const second = (await foundCustomersText(ctx, '王', en, { limit: 1, offset: 1, locale: 'en' })).split('\n');
    expect(second[2]).toMatch(/^ {2}C2 /);
    expect(second.at(-1)).toBe('showing 2–2 of 3; --limit and --offset show others');
    expect(await foundCustomersText(ctx, '王', en, { limit: 5, offset: 3, locale: 'en' })).toBe('3 customers match "王"\nnone past the first 3: give a smaller --offset');
    expect(await foundCustomersText(ctx, '赵', en, { ...page, locale: 'en' })).toBe('no customer matches "赵" (by part of a name or its pinyin, a customer id, a phone number or another identity)');
    await expect(foundCustomersText(ctx, '  ', en, page)).rejects.toThrow('say what to look for');
  });

  it('refuses text longer than any name, id or identity, as the API refuses such a q, rather than failing in the store', async () => {
    const ctx = await shop();
    // 60,000 characters passed SQLite's limit on a LIKE pattern, which answered with its own words.
    for (const text of ['a'.repeat(60_000), '王'.repeat(257)]) {
      const refusal = await foundCustomersText(ctx, text, en, page).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refusal).toBeInstanceOf(TagbaseError);
      expect(refusal).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect((refusal as TagbaseError).message).toContain('at most 256 characters');
    }
    expect(await foundCustomersText(ctx, `  ${'王'.repeat(256)}  `, en, { ...page, locale: 'en' })).toMatch(/^no customer matches/);
  });

  it('cuts a long list of tags to one line, saying how many more', async () => {
    const ctx = await shop();
    await assignTag(ctx, { tag: 'interests', value: 'fishing', customers: ['C1'], source: 'manual' });
    await assignTag(ctx, { tag: 'interests', value: 'yoga', customers: ['C1'], source: 'manual' });
    // Four labels of 16 columns each, with their separators: past the 60 a row gives them.
    const row = (await foundCustomersText(ctx, 'C1', en, { ...page, locale: 'en' })).split('\n')[2] ?? '';
    expect(row).toMatch(/ +兴趣爱好: 高尔夫, 兴趣爱好: 钓鱼, 兴趣爱好: 瑜伽 … \+1$/);
    const json = JSON.parse(await foundCustomersText(ctx, 'C1', en, { ...page, json: true })) as { items: { tags: string[] }[] };
    expect(json.items[0]?.tags).toHaveLength(4);
  });

  it('gives scripts { total, offset, limit, items } as JSON', async () => {
    const ctx = await shop();
    const json = JSON.parse(await foundCustomersText(ctx, '王', en, { limit: 2, offset: 0, json: true })) as unknown;
    expect(json).toEqual({
      total: 3,
      offset: 0,
      limit: 2,
      items: [
        { id: 'C1', name: '王芳', type: null, gender: null, city: '上海', member_level: '金卡', phone: '13800138000', tags: ['兴趣爱好: 高尔夫', '服务阶段: 售前'], random_bucket: expect.any(Number), has_phone: true, has_email: false, has_wechat: false, has_member_card: false },
        { id: 'C2', name: '李王明', type: null, gender: null, city: '杭州', member_level: null, phone: null, tags: [], random_bucket: expect.any(Number), has_phone: false, has_email: false, has_wechat: false, has_member_card: false },
      ],
    });
  });

  it('is recorded as a read of personal data when the server records those', async () => {
    const ctx = await shop();
    process.env.TAGBASE_AUDIT_READS = 'on';
    await foundCustomersText(ctx, '王', en, page);
    const { items } = await listAudit(ctx.store, { workspaceId: ctx.workspaceId, limit: 10 }, 'en');
    expect(items).toMatchObject([{ actor: 'tester', source: 'cli', action: 'customer find', target: '/customers', summary: 'searched customers' }]);
  });
});

forEachStore('tagbase tag list', (h) => {
  it('lists each group\'s tags with their key, kind and values, and how many customers hold each', async () => {
    const ctx = h.context();
    await createTagGroup(ctx, { key: 'service', name: '服务' });
    await defineTag(ctx, { ...stage, group: 'service' });
    await defineTag(ctx, interests);
    await upsertCustomers(ctx, [{ id: 'A' }, { id: 'B' }]);
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['A', 'B'], source: 'manual' });
    await assignTag(ctx, { tag: 'stage', value: 'pre', customers: ['A'], source: 'manual' });
    const text = await tagLibraryText(ctx, en);
    const lines = text.split('\n');
    expect(lines[0]).toBe(`2 tags in the workspace "${h.workspaceKey()}" (values: name, key, customers)`);
    expect(lines.slice(1, 7)).toEqual(['', '服务', '  服务阶段  stage  (manual, single value, ordered)', '    售前  pre     1', '    售中  during  0', '    售后  after   0']);
    expect(lines.slice(7)).toEqual(['', 'Not in a group', '  兴趣爱好  interests  (manual, several values)', '    高尔夫  golf     2', '    钓鱼    fishing  0', '    瑜伽    yoga     0']);
    expect(await tagLibraryText(ctx, zh)).toContain('  兴趣爱好  interests  （手动，多值）');
  });

  it('gives scripts the keys as JSON, leaves archived tags out unless asked, and says when there are none', async () => {
    const ctx = h.context();
    expect(await tagLibraryText(ctx, en)).toBe(`the workspace "${h.workspaceKey()}" has no tags yet; apply a template with tagbase template apply`);
    await defineTag(ctx, interests);
    await upsertCustomers(ctx, [{ id: 'A' }]);
    await assignTag(ctx, { tag: 'interests', value: 'yoga', customers: ['A'], source: 'manual' });
    const listed = JSON.parse(await tagLibraryText(ctx, en, { json: true })) as unknown;
    expect(listed).toEqual([
      {
        key: 'interests',
        name: '兴趣爱好',
        group: null,
        kind: 'manual',
        cardinality: 'multi',
        ordered: false,
        scope: 'enterprise',
        owner: null,
        status: 'active',
        values: [
          { key: 'golf', name: '高尔夫', customers: 0 },
          { key: 'fishing', name: '钓鱼', customers: 0 },
          { key: 'yoga', name: '瑜伽', customers: 1 },
        ],
      },
    ]);
    await updateTag(ctx, 'interests', { status: 'archived' });
    expect(await tagLibraryText(ctx, en)).toContain('has no tags yet');
    expect(await tagLibraryText(ctx, en, { archived: true })).toContain('  兴趣爱好  interests  (manual, several values, archived)');
  });
});
