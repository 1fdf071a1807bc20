import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import readWorkbook from 'read-excel-file/universal';
import { useServer } from './support.js';
import { searchCustomerIds } from '../../src/engine/customers.js';
import { MAX_NESTING_DEPTH } from '../../src/core/expression/index.js';

const order = (id: string, customer: string, amount: number, at = '2026-06-01T08:00:00Z') => ({ id, customer_id: customer, type: 'order_paid', occurred_at: at, properties: { order_id: id, amount } });

const customers = [
  { id: 'C1', name: '王芳', city: '上海', gender: '女' },
  { id: 'C2', name: '李雷, "小李"', city: '上海', gender: '男' },
  { id: 'C3', name: '=HYPERLINK("x")', city: '广州', gender: '女' },
  { id: 'C4', name: '赵敏 🌸', city: '深圳', gender: '女' },
];

const interests = { key: 'interests', name: '兴趣爱好', cardinality: 'multi', values: [{ key: 'golf', name: '高尔夫' }, { key: 'yoga', name: '瑜伽' }] };

forEachStore('API: segments', (h) => {
  const api = useServer(h);

  /** Each customer's random bucket by merchant id, as the customer's JSON gives it. */
  async function randomBuckets(): Promise<(id: string) => number> {
    const items = (await api.get('/api/v1/customers?limit=100')).body.items as { id: string; random_bucket: number }[];
    const buckets = new Map(items.map((item) => [item.id, item.random_bucket]));
    return (id) => {
      const found = buckets.get(id);
      if (found === undefined) throw new Error(`no customer ${id}`);
      return found;
    };
  }

  async function seed() {
    expect((await api.post('/api/v1/customers', { customers })).status).toBe(200);
    expect((await api.post('/api/v1/events', { events: [order('E1', 'C1', 1500), order('E2', 'C2', 300), order('E3', 'C2', 200), order('E4', 'C3', 80)] })).status).toBe(200);
    expect((await api.post('/api/v1/tags', interests)).status).toBe(201);
    expect((await api.post('/api/v1/tags/interests/assign', { value: 'golf', customers: ['C1', 'C4'] })).status).toBe(200);
  }

  it('counts an expression with the population and the time it took', async () => {
    await seed();
    const reply = await api.post('/api/v1/segments/count', { expression: 'city = "上海" and spend_365d >= 400' });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ count: 2, population: 4 });
    expect(typeof reply.body.took_ms).toBe('number');
    expect((await api.post('/api/v1/segments/count', { expression: '兴趣爱好 has any ("高尔夫") or orders_total missing' })).body.count).toBe(2);
    expect((await api.post('/api/v1/segments/count', { expression: 'not city in ("上海", "广州")' })).body.count).toBe(1);
    // Built-in options read as operators say them: 性别 = "女" is gender = "female".
    expect((await api.post('/api/v1/segments/count', { expression: '性别 = "女" and not 客户类型 = "企业"' })).body.count).toBe(3);
    expect((await api.post('/api/v1/segments/count', { expression: 'gender = "女性"' })).body.errors?.[0]).toMatchObject({ code: 'EXPRESSION_UNKNOWN_NAME', suggestion: '女' });
  });

  it('follows the customers in real time: ingest, tagging and upserts change the next count', async () => {
    await seed();
    const count = async (expression: string) => (await api.post('/api/v1/segments/count', { expression })).body.count;
    expect(await count('spend_365d >= 1000')).toBe(1);
    await api.post('/api/v1/events', { events: [order('E5', 'C4', 2000)] });
    expect(await count('spend_365d >= 1000')).toBe(2);
    await api.post('/api/v1/tags/interests/unassign', { value: 'golf', customers: ['C1'] });
    expect(await count('interests has any ("golf")')).toBe(1);
    await api.post('/api/v1/customers', { customers: [{ id: 'C3', city: '上海' }, { id: 'C5', city: '上海' }] });
    expect(await count('city = "上海"')).toBe(4);
    await api.post('/api/v1/customers/C5/merge', { from: 'C2' });
    expect(await count('city = "上海"')).toBe(3);
  });

  it('answers bad expressions with position, expectation and a suggestion, as problem JSON', async () => {
    await seed();
    const unknown = await api.post('/api/v1/segments/count', { expression: 'cty = "上海"' });
    expect(unknown.status).toBe(400);
    expect(unknown.contentType).toContain('application/problem+json');
    expect(unknown.body.code).toBe('EXPRESSION_UNKNOWN_NAME');
    expect(unknown.body.errors?.[0]).toMatchObject({ line: 1, column: 1, suggestion: 'city' });
    const syntax = await api.post('/api/v1/segments/count', { expression: 'city = "上海" and' });
    expect(syntax.body).toMatchObject({ status: 400, code: 'EXPRESSION_SYNTAX' });
    expect((await api.post('/api/v1/segments/count', { expression: 'spend_365d >= "很多"' })).body.code).toBe('EXPRESSION_TYPE');
    expect((await api.post('/api/v1/segments/count', { expression: '' })).body.code).toBe('VALIDATION_FAILED');
    expect((await api.post('/api/v1/segments/count', '{"expression": ', { 'content-type': 'application/json' })).body.code).toBe('MALFORMED_JSON');
    expect((await api.post('/api/v1/segments/count', { expression: 'city = "x"', extra: 1 })).body.code).toBe('VALIDATION_FAILED');
  });

  it('treats quotes and SQL fragments as plain strings', async () => {
    await seed();
    expect((await api.post('/api/v1/segments/count', { expression: `name = "x' or '1'='1" or city = "'; drop table customers; --"` })).body.count).toBe(0);
    expect((await api.post('/api/v1/segments/count', { expression: 'name = "李雷, \\"小李\\""' })).body.count).toBe(1);
    expect((await api.post('/api/v1/segments/count', { expression: 'name = "赵敏 🌸"' })).body.count).toBe(1);
    expect((await api.get('/api/v1/customers?limit=10')).body.total).toBe(4);
  });

  it('previews members sorted by a metric, paged, with tags and metrics', async () => {
    await seed();
    await api.post('/api/v1/customers', { customers: [{ id: 'C2', identities: [{ kind: 'phone', value: '13900139000' }, { kind: 'member_card', value: 'M-2' }] }] });
    const page = await api.post('/api/v1/segments/preview?sort=-spend_365d&limit=2&metrics=orders_total', { expression: 'gender in ("female", "male")' });
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ total: 4, offset: 0, limit: 2 });
    const items = page.body.items as { id: string; tags: string[]; metrics: Record<string, unknown> }[];
    expect(items.map((item) => item.id)).toEqual(['C1', 'C2']);
    expect(items[0]).toMatchObject({ name: '王芳', city: '上海', tags: ['兴趣爱好: 高尔夫'], metrics: { orders_total: 1, spend_365d: 1500 } });
    // Whether each can be reached on a channel, after the random bucket.
    expect(items[0]).toMatchObject({ has_phone: false, has_email: false, has_wechat: false, has_member_card: false });
    expect(items[1]).toMatchObject({ phone: '13900139000', has_phone: true, has_email: false, has_wechat: false, has_member_card: true });
    expect(Object.keys(items[0] ?? {}).slice(8)).toEqual(['random_bucket', 'has_phone', 'has_email', 'has_wechat', 'has_member_card', 'metrics']);
    const rest = await api.post('/api/v1/segments/preview?sort=spend_365d:desc&limit=2&offset=2', { expression: 'gender in ("female", "male")' });
    // C4 has no orders: missing values sort last.
    expect((rest.body.items as { id: string }[]).map((item) => item.id)).toEqual(['C3', 'C4']);
    const bad = await api.post('/api/v1/segments/preview?sort=spend_356d', { expression: 'city exists' });
    expect(bad.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect(String(bad.body.detail)).toMatch(/cannot sort by "spend_356d"\. Did you mean "spend_3\d+d"\?/);
    // Placed in errors[] by the parameter's name, as a schema's issue is.
    expect(bad.body.errors).toEqual([expect.objectContaining({ code: 'VALIDATION_FAILED', path: 'sort' })]);
    const badMetric = await api.post('/api/v1/segments/preview?metrics=spend_356d', { expression: 'city exists' });
    expect(badMetric.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ path: 'metrics', message: expect.stringContaining('"spend_356d" is not a metric') })] });
    expect((await api.post('/api/v1/segments/preview?sort=interests', { expression: 'city exists' })).body.code).toBe('VALIDATION_FAILED');
    expect((await api.post('/api/v1/segments/preview?limit=0', { expression: 'city exists' })).body.code).toBe('VALIDATION_FAILED');
    // A search narrows the expression's customers, sorted and paged over every match.
    const searched = await api.post(`/api/v1/segments/preview?sort=-spend_365d&limit=1&q=${encodeURIComponent('李')}`, { expression: 'city = "上海"' });
    expect(searched.body).toMatchObject({ total: 1, items: [{ id: 'C2' }] });
    const both = await api.post('/api/v1/segments/preview?sort=-spend_365d&limit=1&offset=1&q=C', { expression: 'id exists' });
    expect(both.body.total).toBe(0);
    const byId = await api.post('/api/v1/segments/preview?q=C3', { expression: 'gender = "女"' });
    expect(byId.body).toMatchObject({ total: 1, items: [{ id: 'C3' }] });
    expect((await api.post('/api/v1/segments/preview?q=nobody', { expression: 'id exists' })).body).toMatchObject({ total: 0, items: [] });
    // A mistake in the expression is still reported where it was written.
    expect((await api.post('/api/v1/segments/preview?q=C3', { expression: 'cty = "上海"' })).body.errors?.[0]).toMatchObject({ line: 1, column: 1 });
    // An expression ending in a comment is searched within as it is counted.
    expect((await api.post(`/api/v1/segments/preview?q=${encodeURIComponent('李')}`, { expression: 'city = "上海" -- 上海的客户' })).body).toMatchObject({ total: 1, items: [{ id: 'C2' }] });
    // An expression nested as deep as the language allows is searched within as it is counted: the search adds no level.
    const deepest = `${'('.repeat(MAX_NESTING_DEPTH)}city = "上海"${')'.repeat(MAX_NESTING_DEPTH)}`;
    expect((await api.post(`/api/v1/segments/preview?q=${encodeURIComponent('李')}`, { expression: deepest })).body).toMatchObject({ total: 1, items: [{ id: 'C2' }] });
    expect((await api.post(`/api/v1/segments/preview?q=${encodeURIComponent('李')}`, { expression: `${'not '.repeat(MAX_NESTING_DEPTH)}city = "上海"` })).body).toMatchObject({ total: 1, items: [{ id: 'C2' }] });
  });

  it("searches the preview's members from the index, finding what the customer list and the store's scan find", async () => {
    await api.post('/api/v1/customers', {
      customers: [
        { id: 'S1', name: '魏桂兰', city: '上海', identities: [{ kind: 'phone', value: '13800138000' }, { kind: 'email', value: 'Lan.Wei@Example.com' }] },
        { id: 'S2', name: 'Alice 王', city: '上海' },
        { id: 's2-b', name: '王桂英', city: '广州' },
        { id: 'S4', name: 'ALICE Chen' },
      ],
    });
    const previewed = async (q: string) => ((await api.post(`/api/v1/segments/preview?limit=50&q=${encodeURIComponent(q)}`, { expression: 'id exists' })).body.items as { id: string }[]).map((item) => item.id);
    const listed = async (q: string) => ((await api.get(`/api/v1/customers?limit=50&q=${encodeURIComponent(q)}`)).body.items as { id: string }[]).map((item) => item.id);
    for (const [q, ids] of [
      ['王', ['S2', 's2-b']],
      ['wgl', ['S1']],
      ['weiguilan', ['S1']],
      ['aLiCe', ['S2', 'S4']],
      ['s2-b', ['s2-b']],
      ['138 0013 8000', ['S1']],
      ['LAN.WEI@example.com', ['S1']],
      ['不存在的人', []],
    ] as const) {
      expect({ q, ids: await previewed(q) }).toEqual({ q, ids });
      expect({ q, ids: await listed(q) }).toEqual({ q, ids });
      expect({ q, ids: await searchCustomerIds(h.context(), q) }).toEqual({ q, ids });
    }
    // Within the expression, as before.
    expect((await api.post(`/api/v1/segments/preview?q=${encodeURIComponent('王')}`, { expression: 'city = "广州"' })).body).toMatchObject({ total: 1, items: [{ id: 's2-b' }] });
    // The names are the index's: a search key changed in the store behind the server's back, which
    // the store's scan reads, is not what the preview (or the customer list) goes by.
    await h.store().db.updateTable('customers').set({ name_search: 'alice chen\u001f\u001ezzz' }).where('workspace_id', '=', h.context().workspaceId).where('external_id', '=', 'S4').execute();
    expect(await searchCustomerIds(h.context(), 'zzz')).toEqual(['S4']);
    expect(await previewed('zzz')).toEqual([]);
    expect(await listed('zzz')).toEqual([]);
  });

  it('saves, reads, renames, counts and deletes segments, and refuses loops and deleting what is in use', async () => {
    await seed();
    const created = await api.post('/api/v1/segments', { key: 'shanghai', name: '上海客户', expression: 'city = "上海"' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ key: 'shanghai', name: '上海客户', count: 2, population: 4 });
    // The refusal says what to do: another key, or the segment that has it.
    expect((await api.post('/api/v1/segments', { key: 'shanghai', name: 'x', expression: 'city exists' })).body).toMatchObject({
      code: 'SEGMENT_EXISTS',
      detail: 'Segment "shanghai" already exists: choose another key, or edit that segment instead.',
    });
    expect((await api.post('/api/v1/segments', { key: 'shanghai', name: 'x', expression: 'city exists' }, { 'accept-language': 'zh-CN' })).body.detail).toBe('人群「shanghai」已存在：请换一个标识，或者直接编辑这个人群。');
    expect((await api.post('/api/v1/segments', { key: 'bad', name: 'x', expression: 'city = ' })).body.code).toBe('EXPRESSION_SYNTAX');
    expect((await api.post('/api/v1/segments', { key: '1bad', name: 'x', expression: 'city exists' })).body.code).toBe('VALIDATION_FAILED');
    const big = await api.post('/api/v1/segments', { key: 'big_spenders', name: '上海高消费', expression: 'segment("上海客户") and spend_365d >= 1000' });
    expect(big.body).toMatchObject({ count: 1 });
    expect((await api.get('/api/v1/segments/' + encodeURIComponent('上海高消费'))).body).toMatchObject({ key: 'big_spenders', count: 1 });
    expect((await api.get('/api/v1/segments')).body.items).toHaveLength(2);
    expect((await api.patch('/api/v1/segments/shanghai', { expression: 'segment("big_spenders")' })).body.code).toBe('VALIDATION_FAILED');
    // The segment that leads back is named, by the names the operator gave, not every segment the expression reads.
    await api.post('/api/v1/segments', { key: 'golfers', name: '高尔夫', expression: 'interests has any ("golf")' });
    const loop = await api.patch('/api/v1/segments/shanghai', { expression: 'segment("golfers") or segment("big_spenders")' });
    expect(loop.body).toMatchObject({ code: 'VALIDATION_FAILED', detail: 'The request is not valid: segment "上海客户" cannot read segment "上海高消费", which reads it in turn: a segment may not read itself' });
    const chinese = await api.patch('/api/v1/segments/shanghai', { expression: 'segment("golfers") or segment("big_spenders")' }, { 'accept-language': 'zh-CN' });
    expect(chinese.body.detail).toBe('请求无效：人群「上海客户」不能引用人群「上海高消费」，因为后者又引用了它；人群不能引用自身');
    expect((await api.patch('/api/v1/segments/shanghai', { expression: 'segment("shanghai")' })).body.detail).toBe('The request is not valid: segment "上海客户" cannot read itself');
    expect((await api.del('/api/v1/segments/golfers')).status).toBe(204);
    expect((await api.del('/api/v1/segments/shanghai')).body.code).toBe('SEGMENT_IN_USE');
    const patched = await api.patch('/api/v1/segments/shanghai', { expression: 'city in ("上海", "深圳")' });
    expect(patched.body).toMatchObject({ expression: 'city in ("上海", "深圳")', count: 3 });
    expect((await api.get('/api/v1/segments/shanghi')).body).toMatchObject({ status: 404, code: 'SEGMENT_NOT_FOUND' });
    expect((await api.del('/api/v1/segments/big_spenders')).status).toBe(204);
    expect((await api.del('/api/v1/segments/shanghai')).status).toBe(204);
    expect((await api.get('/api/v1/segments')).body.items).toEqual([]);
  });

  it('refuses to save a segment reading a personal tag, which everyone else could not read, and counts it for its owner unsaved', async () => {
    await seed();
    const alice = { 'x-tagbase-actor': 'alice' };
    const tag = { key: 'golf_buddy', name: '球友', scope: 'personal', values: [{ key: 'yes', name: '是' }] };
    expect((await api.post('/api/v1/tags', tag, alice)).status).toBe(201);
    expect((await api.post('/api/v1/tags/golf_buddy/assign', { value: 'yes', customers: ['C1'] }, alice)).status).toBe(200);
    expect((await api.post('/api/v1/segments/count', { expression: '球友 = "是"' }, alice)).body.count).toBe(1);
    const refused = await api.post('/api/v1/segments', { key: 'buddies', name: '我的球友', expression: 'city = "上海" and 球友 = "是"' }, alice);
    expect(refused.body).toMatchObject({ status: 400, code: 'SEGMENT_INVALID' });
    expect(refused.body.detail).toContain('personal tag "球友"');
    const chinese = await api.post('/api/v1/segments', { key: 'buddies', name: '我的球友', expression: '球友 = "是"' }, { ...alice, 'accept-language': 'zh-CN' });
    expect(chinese.body.detail).toContain('个人标签「球友」');
    // Nor may a saved segment be given such an expression later.
    expect((await api.post('/api/v1/segments', { key: 'shanghai', name: '上海', expression: 'city = "上海"' }, alice)).status).toBe(201);
    expect((await api.patch('/api/v1/segments/shanghai', { expression: 'city = "上海" and golf_buddy exists' }, alice)).body.code).toBe('SEGMENT_INVALID');
    expect((await api.get('/api/v1/segments/shanghai')).body.expression).toBe('city = "上海"');
    expect((await api.get('/api/v1/segments')).body.items).toEqual([expect.objectContaining({ key: 'shanghai' })]);
  });

  it('keeps a segment another staff member’s personal rule tag reads from being deleted, re-keyed or renamed away from it, without naming their tag', async () => {
    await seed();
    const alice = { 'x-tagbase-actor': 'alice' };
    const bob = { 'x-tagbase-actor': 'bob' };
    expect((await api.post('/api/v1/segments', { key: 'shanghai', name: '上海客户', expression: 'city = "上海"' }, bob)).status).toBe(201);
    const mine = { key: 'my_shanghai', name: '我的上海客户', scope: 'personal', kind: 'rule', values: [{ key: 'yes', name: '是', condition: 'segment("上海客户")' }] };
    expect((await api.post('/api/v1/tags', mine, alice)).status).toBe(201);
    const renamed = await api.patch('/api/v1/segments/shanghai', { name: '沪上客户' }, bob);
    expect(renamed.body).toMatchObject({ status: 409, code: 'SEGMENT_IN_USE', detail: 'Segment "上海客户" is read by another staff member\'s personal rule tag; change those first.' });
    expect((await api.patch('/api/v1/segments/shanghai', { key: 'sh' }, { ...bob, 'accept-language': 'zh-CN' })).body.detail).toBe('人群「上海客户」正被 其他员工的个人规则标签 引用，请先修改它们。');
    expect((await api.del('/api/v1/segments/shanghai', bob)).body.code).toBe('SEGMENT_IN_USE');
    // Its owner is told which, as of any tag of theirs.
    expect((await api.del('/api/v1/segments/shanghai', alice)).body.detail).toContain('the rule of tag "我的上海客户" (my_shanghai)');
    expect((await api.get('/api/v1/segments/shanghai', bob)).body).toMatchObject({ name: '上海客户', count: 2 });
    // Read by its key, the segment may take another name.
    expect((await api.patch('/api/v1/tags/my_shanghai/values/yes', { condition: 'segment("shanghai")' }, alice)).status).toBe(200);
    expect((await api.patch('/api/v1/segments/shanghai', { name: '沪上客户' }, bob)).status).toBe(200);
    expect((await api.del('/api/v1/segments/shanghai', bob)).body.code).toBe('SEGMENT_IN_USE');
  });

  it('applies a rule tag that reads a segment to everyone again when the segment gets a new expression', async () => {
    await seed();
    expect((await api.post('/api/v1/segments', { key: 'shanghai', name: '上海客户', expression: 'city = "上海"' })).status).toBe(201);
    const rule = { key: 'local', name: '本地', kind: 'rule', values: [{ key: 'yes', name: '是', condition: 'segment("上海客户")' }] };
    expect((await api.post('/api/v1/tags', rule)).status).toBe(201);
    const holders = async () => (await api.post('/api/v1/segments/count', { expression: 'local exists' })).body.count;
    expect(await holders()).toBe(2);
    expect((await api.patch('/api/v1/segments/shanghai', { expression: 'city in ("上海", "深圳")' })).status).toBe(200);
    expect(await holders()).toBe(3);
    const tags = (await api.get('/api/v1/customers/C4')).body.tags as { tag: string; value: string }[];
    expect(tags.map((held) => `${held.tag}=${held.value}`).sort()).toEqual(['interests=golf', 'local=yes']);
  });

  it('refuses a new name that a segment reading this one by its name would no longer find, and allows one when it is read by key', async () => {
    await seed();
    expect((await api.post('/api/v1/segments', { key: 'shanghai', name: '上海客户', expression: 'city = "上海"' })).status).toBe(201);
    expect((await api.post('/api/v1/segments', { key: 'big', name: '上海高消费', expression: 'segment("上海客户") and spend_365d >= 1000' })).status).toBe(201);
    const refused = await api.patch('/api/v1/segments/shanghai', { name: '沪上客户' });
    expect(refused.body).toMatchObject({ status: 409, code: 'SEGMENT_IN_USE' });
    // Named as the operator knows them, with the key beside: Segment "上海客户" is read by segment "上海高消费" (big).
    expect(refused.body.detail).toBe('Segment "上海客户" is read by segment "上海高消费" (big); change those first.');
    expect((await api.patch('/api/v1/segments/shanghai', { name: '沪上客户' }, { 'accept-language': 'zh-CN' })).body.detail).toBe('人群「上海客户」正被 人群「上海高消费」（big） 引用，请先修改它们。');
    expect((await api.get('/api/v1/segments/big')).body).toMatchObject({ count: 1 });
    expect((await api.patch('/api/v1/segments/big', { expression: 'segment("shanghai") and spend_365d >= 1000' })).status).toBe(200);
    expect((await api.patch('/api/v1/segments/shanghai', { name: '沪上客户' })).body).toMatchObject({ name: '沪上客户', count: 2 });
    expect((await api.get('/api/v1/segments/big')).body).toMatchObject({ count: 1 });
  });

  it('exports members as CSV for spreadsheets and as JSON Lines', async () => {
    await seed();
    await api.post('/api/v1/segments', { key: 'women', name: '女性客户', expression: 'gender = "female"' });
    // Each customer's random bucket (随机分组号), as the customer's JSON gives it: computed from the store's own id for the customer.
    const bucket = await randomBuckets();
    // C1 can be reached by e-mail and WeChat (an openid), and the others on no channel: the reachability columns after the random bucket.
    expect((await api.post('/api/v1/customers', { customers: [{ id: 'C1', identities: [{ kind: 'email', value: 'c1@example.com' }, { kind: 'wechat_openid', value: 'o-C1' }] }] })).status).toBe(200);
    const csv = await api.get('/api/v1/segments/women/export?metrics=spend_365d');
    expect(csv.status).toBe(200);
    expect(csv.contentType).toContain('text/csv');
    expect(String(csv.headers['content-disposition'])).toContain(`filename*=UTF-8''${encodeURIComponent('女性客户.csv')}`);
    expect(csv.headers['x-tagbase-members']).toBe('3');
    // The random bucket after the tags, so that the columns before it keep their places.
    expect(csv.text.startsWith('\uFEFFid,name,type,gender,city,member_level,phone,tags,random_bucket,has_phone,has_email,has_wechat,has_member_card,spend_365d\r\n')).toBe(true);
    const lines = csv.text.trim().split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toBe(`C1,王芳,,female,上海,,,兴趣爱好: 高尔夫,${bucket('C1')},false,true,true,false,1500`);
    // A cell a spreadsheet would run as a formula is defused, and quotes are doubled.
    expect(lines[2]).toBe(`C3,"'=HYPERLINK(""x"")",,female,广州,,,,${bucket('C3')},false,false,false,false,80`);
    const jsonl = await api.post('/api/v1/segments/export?format=jsonl', { expression: 'city = "上海"' });
    expect(jsonl.contentType).toContain('application/x-ndjson');
    const rows = jsonl.text.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(rows.map((row) => [row.id, row.name, row.random_bucket])).toEqual([
      ['C1', '王芳', bucket('C1')],
      ['C2', '李雷, "小李"', bucket('C2')],
    ]);
    // JSON Lines: the reachability as true and false, after the random bucket.
    expect(Object.entries(rows[0] ?? {}).slice(8, 13)).toEqual([['random_bucket', bucket('C1')], ['has_phone', false], ['has_email', true], ['has_wechat', true], ['has_member_card', false]]);
    expect((await api.get('/api/v1/segments/women/export?format=xls')).body.code).toBe('VALIDATION_FAILED');
    expect((await api.get('/api/v1/segments/women/export?metrics=nope')).body.code).toBe('VALIDATION_FAILED');
    // Each export is logged with who took how many customers out; refused ones are not.
    await api.get('/api/v1/segments/women/export?format=jsonl', { 'x-tagbase-actor': encodeURIComponent('运营-小张') });
    // Asking only for the headers (how many would come) takes no one out, and is not logged.
    const head = await api.call('HEAD', '/api/v1/segments/women/export');
    expect([head.status, head.headers['x-tagbase-members'], head.text]).toEqual([200, '3', '']);
    const log = await api.get('/api/v1/exports');
    expect(log.body.items).toEqual([
      { actor: '运营-小张', at: expect.any(String), source: 'segment', target: 'women', format: 'jsonl', rows: 3, metrics: [], fields: [], status: 'completed', finished_at: expect.any(String) },
      { actor: 'api', at: expect.any(String), source: 'expression', target: 'city = "上海"', format: 'jsonl', rows: 2, metrics: [], fields: [], status: 'completed', finished_at: expect.any(String) },
      { actor: 'api', at: expect.any(String), source: 'segment', target: 'women', format: 'csv', rows: 3, metrics: ['spend_365d'], fields: [], status: 'completed', finished_at: expect.any(String) },
    ]);
    expect((await api.get('/api/v1/exports?limit=1')).body.items).toHaveLength(1);
    expect((await api.get('/api/v1/exports?limit=0')).body.code).toBe('VALIDATION_FAILED');
    // For people, the header names the columns in the reader's language; the Chinese are the names an import reads back.
    const named = await api.get('/api/v1/segments/women/export?metrics=spend_365d&header=names', { 'accept-language': 'zh-CN' });
    // Their values too: a gender is 女, which an import reads back as female.
    expect(named.text.split('\r\n').slice(0, 2)).toEqual(['\uFEFF编号,姓名,类型,性别,城市,会员等级,手机,标签,随机分组号,有手机号,有邮箱,有微信,有会员卡号,近365天消费额', `C1,王芳,,女,上海,,,兴趣爱好: 高尔夫,${bucket('C1')},否,是,是,否,1500`]);
    // The whole file, edited, imports again: its tags, random bucket and metrics columns are left out, saying so.
    const edited = named.text.replace('王芳', '王芳芳');
    expect(await api.post('/api/v1/imports/customers', { text: edited })).toMatchObject({ status: 200, body: { accepted: 3, rejected: 0, created: 0, updated: 1, unchanged: 2, columns_left_out: ['标签', '随机分组号', '有手机号', '有邮箱', '有微信', '有会员卡号', '近365天消费额'] } });
    expect((await api.get('/api/v1/customers/C1')).body).toMatchObject({ name: '王芳芳', gender: 'female', city: '上海', tags: [expect.objectContaining({ label: '兴趣爱好: 高尔夫' })] });
    // A model's tag is labelled in the reader's language too, a tag the workspace named as written.
    expect((await api.call('PUT', '/api/v1/models/value_tier', { params: { high: 1000, middle: 100 } })).status).toBe(200);
    const english = await api.get('/api/v1/segments/women/export?metrics=spend_365d,orders_total&header=names', { 'accept-language': 'en' });
    expect(english.text.split('\r\n').slice(0, 2)).toEqual(['\uFEFFID,Name,Type,Gender,City,Member level,Phone,Tags,Random bucket,Has phone,Has e-mail,Has WeChat,Has member card,"Spend, last 365 days, net of refunds","Orders, all time"', `C1,王芳芳,,Female,上海,,,兴趣爱好: 高尔夫; Value tier: High,${bucket('C1')},no,yes,yes,no,1500,1`]);
    const englishWorkbook = await api.get('/api/v1/segments/women/export?format=xlsx&header=names', { 'accept-language': 'en' });
    const [englishSheet] = await readWorkbook(englishWorkbook.bytes.buffer.slice(englishWorkbook.bytes.byteOffset, englishWorkbook.bytes.byteOffset + englishWorkbook.bytes.byteLength) as ArrayBuffer);
    expect(englishSheet?.data[0]?.slice(7)).toEqual(['Tags', 'Random bucket', 'Has phone', 'Has e-mail', 'Has WeChat', 'Has member card']);
    expect(englishSheet?.data[2]).toEqual(['C3', '=HYPERLINK("x")', null, 'Female', '广州', null, null, 'Value tier: Low', bucket('C3'), 'no', 'no', 'no', 'no']);
    expect((await api.get('/api/v1/segments/women/export?header=names', { 'accept-language': 'zh-CN' })).text.split('\r\n')[1]).toBe(`C1,王芳芳,,女,上海,,,兴趣爱好: 高尔夫; 价值分层: 高价值,${bucket('C1')},否,是,是,否`);
    // Read by scripts, a file headed by keys and JSON Lines keep the stored names in any language.
    expect((await api.get('/api/v1/segments/women/export', { 'accept-language': 'en' })).text.split('\r\n')[1]).toBe(`C1,王芳芳,,female,上海,,,兴趣爱好: 高尔夫; 价值分层: 高价值,${bucket('C1')},false,true,true,false`);
    expect(JSON.parse((await api.get('/api/v1/segments/women/export?format=jsonl&header=names', { 'accept-language': 'en' })).text.split('\n')[0] ?? '')).toMatchObject({ id: 'C1', tags: ['兴趣爱好: 高尔夫', '价值分层: 高价值'] });
    expect(await api.post('/api/v1/imports/customers', { text: english.text })).toMatchObject({ status: 200, body: { accepted: 3, rejected: 0, columns_left_out: ['Tags', 'Random bucket', 'Has phone', 'Has e-mail', 'Has WeChat', 'Has member card', 'Spend, last 365 days, net of refunds', 'Orders, all time'] } });
    expect((await api.get('/api/v1/customers/C1')).body).toMatchObject({ gender: 'female' });
    // By key, as scripts take it.
    const keyed = await api.get('/api/v1/segments/women/export?metrics=spend_365d');
    expect(await api.post('/api/v1/imports/customers', { text: keyed.text })).toMatchObject({ status: 200, body: { accepted: 3, rejected: 0, columns_left_out: ['tags', 'random_bucket', 'has_phone', 'has_email', 'has_wechat', 'has_member_card', 'spend_365d'] } });
    // The import leaves the customer's identities, and so their reachability, as they were.
    expect((await api.get('/api/v1/customers/C1')).body).toMatchObject({ has_phone: false, has_email: true, has_wechat: true, has_member_card: false });
    // A file exported before the random bucket was a column imports as it did.
    const older = keyed.text.replace(',random_bucket,has_phone,has_email,has_wechat,has_member_card,', ',').replace(/^(C\d,[^\r]*?),\d+,(?:true|false),(?:true|false),(?:true|false),(?:true|false),(\d+)\r$/gm, '$1,$2\r');
    expect(older.split('\r\n').slice(0, 2)).toEqual(['\uFEFFid,name,type,gender,city,member_level,phone,tags,spend_365d', 'C1,王芳芳,,female,上海,,,兴趣爱好: 高尔夫; 价值分层: 高价值,1500']);
    expect(await api.post('/api/v1/imports/customers', { text: older })).toMatchObject({ status: 200, body: { accepted: 3, rejected: 0, columns_left_out: ['tags', 'spend_365d'] } });
    expect((await api.get('/api/v1/segments/women/export?header=labels')).body.code).toBe('VALIDATION_FAILED');
  });

  it("writes a customer's type and gender as the console names them in the language of a file headed by names, which an import reads back", async () => {
    await api.post('/api/v1/customers', {
      customers: [
        { id: 'T1', name: '孙丽', type: 'individual', gender: 'female', city: '杭州' },
        { id: 'T2', name: '杭州茶业', type: 'company', gender: 'unknown', city: '杭州' },
        { id: 'T3', name: '西湖区', type: 'government', gender: 'male', city: '杭州' },
      ],
    });
    const typeAndGender = (text: string) => text.split('\r\n').slice(1, -1).map((line) => line.split(',').slice(0, 4));
    const exported = async (header: string, language: string) => (await api.post(`/api/v1/segments/export?header=${header}`, { expression: 'city = "杭州"' }, { 'accept-language': language })).text;
    // In English as the console shows them (Female, Company), in Chinese as it does there (女, 企业).
    const english = await exported('names', 'en');
    expect(typeAndGender(english)).toEqual([
      ['T1', '孙丽', 'Individual', 'Female'],
      ['T2', '杭州茶业', 'Company', 'Unknown'],
      ['T3', '西湖区', 'Government', 'Male'],
    ]);
    expect(typeAndGender(await exported('names', 'zh-CN'))).toEqual([
      ['T1', '孙丽', '个人', '女'],
      ['T2', '杭州茶业', '企业', '未知'],
      ['T3', '西湖区', '政府', '男'],
    ]);
    // Headed by keys, for scripts, the stored keys in any language.
    expect(typeAndGender(await exported('keys', 'en'))).toEqual([
      ['T1', '孙丽', 'individual', 'female'],
      ['T2', '杭州茶业', 'company', 'unknown'],
      ['T3', '西湖区', 'government', 'male'],
    ]);
    // The English file, changed as an operator would, imports again: the words read in any case.
    const edited = english.replace(',Individual,Female,', ',COMPANY,male,').replace(',Company,Unknown,', ',individual,FEMALE,');
    expect(await api.post('/api/v1/imports/customers', { text: edited })).toMatchObject({ status: 200, body: { accepted: 3, rejected: 0, updated: 2, unchanged: 1 } });
    const stored = async (id: string) => ((await api.get(`/api/v1/customers/${id}`)).body as { type: string; gender: string });
    expect([await stored('T1'), await stored('T2'), await stored('T3')]).toEqual([
      expect.objectContaining({ type: 'company', gender: 'male' }),
      expect.objectContaining({ type: 'individual', gender: 'female' }),
      expect.objectContaining({ type: 'government', gender: 'male' }),
    ]);
  });

  it('exports members as an Excel workbook whose phone numbers and ids stay as written, headed in the reader\'s language', async () => {
    await seed();
    await api.post('/api/v1/customers', { customers: [{ id: '000123', name: '钱七', gender: '女', identities: [{ kind: 'phone', value: '13800138000' }] }] });
    await api.post('/api/v1/segments', { key: 'women', name: '女性客户', expression: 'gender = "female"' });
    const workbook = await api.get('/api/v1/segments/women/export?format=xlsx&header=names&metrics=spend_365d', { 'accept-language': 'zh-CN' });
    expect(workbook.status).toBe(200);
    expect(workbook.contentType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(String(workbook.headers['content-disposition'])).toContain(`filename*=UTF-8''${encodeURIComponent('女性客户.xlsx')}`);
    expect(workbook.headers['x-tagbase-members']).toBe('4');
    const [sheet] = await readWorkbook(workbook.bytes.buffer.slice(workbook.bytes.byteOffset, workbook.bytes.byteOffset + workbook.bytes.byteLength) as ArrayBuffer);
    expect(sheet?.sheet).toBe('客户');
    const bucket = await randomBuckets();
    expect(sheet?.data).toEqual([
      ['编号', '姓名', '类型', '性别', '城市', '会员等级', '手机', '标签', '随机分组号', '有手机号', '有邮箱', '有微信', '有会员卡号', '近365天消费额'],
      ['C1', '王芳', null, '女', '上海', null, null, '兴趣爱好: 高尔夫', bucket('C1'), '否', '否', '否', '否', 1500],
      ['C3', '=HYPERLINK("x")', null, '女', '广州', null, null, null, bucket('C3'), '否', '否', '否', '否', 80],
      ['C4', '赵敏 🌸', null, '女', '深圳', null, null, '兴趣爱好: 高尔夫', bucket('C4'), '否', '否', '否', '否', 0],
      ['000123', '钱七', null, '女', null, null, '13800138000', null, bucket('000123'), '是', '否', '否', '否', 0],
    ]);
    // Logged as every export is.
    expect((await api.get('/api/v1/exports')).body.items).toEqual([expect.objectContaining({ source: 'segment', target: 'women', format: 'xlsx', rows: 4, metrics: ['spend_365d'] })]);
  });

  it('keeps snapshots of members as they were', async () => {
    await seed();
    await api.post('/api/v1/segments', { key: 'golfers', name: '高尔夫爱好者', expression: 'interests has any ("golf")' });
    const snapshot = await api.post('/api/v1/segments/golfers/snapshots', {}, { 'x-tagbase-actor': encodeURIComponent('运营-小张') });
    expect(snapshot.status).toBe(201);
    expect(snapshot.body).toMatchObject({ segment: 'golfers', members: 2, actor: '运营-小张', expression: 'interests has any ("golf")' });
    await api.post('/api/v1/tags/interests/assign', { value: 'golf', customers: ['C2', 'C3'] });
    expect((await api.get('/api/v1/segments/golfers')).body.count).toBe(4);
    const list = await api.get('/api/v1/segments/golfers/snapshots');
    expect(list.body.items).toEqual([expect.objectContaining({ id: snapshot.body.id, members: 2 })]);
    const frozen = await api.get(`/api/v1/segments/golfers/snapshots/${String(snapshot.body.id)}/export?format=jsonl`);
    expect(frozen.text.trim().split('\n').map((line) => (JSON.parse(line) as { id: string }).id)).toEqual(['C1', 'C4']);
    expect((await api.get('/api/v1/segments/golfers/snapshots/99999/export')).body.code).toBe('SNAPSHOT_NOT_FOUND');
    expect(((await api.get('/api/v1/exports')).body.items as unknown[])[0]).toMatchObject({ source: 'snapshot', target: `golfers#${String(snapshot.body.id)}`, rows: 2 });
    // Someone at the console who left the name empty is recorded as the console, as their tagging is, not as an integration.
    const console = { 'x-tagbase-client': 'console' };
    expect((await api.post('/api/v1/segments/golfers/snapshots', {}, console)).body).toMatchObject({ actor: 'console' });
    await api.get('/api/v1/segments/golfers/export', console);
    expect(((await api.get('/api/v1/exports')).body.items as unknown[])[0]).toMatchObject({ actor: 'console', source: 'segment', target: 'golfers' });
    expect((await api.post('/api/v1/segments/golfers/snapshots', {})).body).toMatchObject({ actor: 'api' });
  });

  it('keeps with a snapshot the definitions of the segments it read, whatever they become', async () => {
    await seed();
    await api.post('/api/v1/segments', { key: 'women', name: '女性客户', expression: 'gender = "female"' });
    await api.post('/api/v1/segments', { key: 'golf_women', name: '打高尔夫的女性', expression: 'segment("女性客户") and interests has any ("golf")' });
    await api.post('/api/v1/segments', { key: 'campaign', name: '活动人群', expression: 'segment("golf_women") or city = "上海"' });
    const taken = await api.post('/api/v1/segments/campaign/snapshots', {});
    expect(taken.status).toBe(201);
    const then = [
      { key: 'golf_women', name: '打高尔夫的女性', expression: 'segment("女性客户") and interests has any ("golf")' },
      { key: 'women', name: '女性客户', expression: 'gender = "female"' },
    ];
    expect(taken.body).toMatchObject({ expression: 'segment("golf_women") or city = "上海"', segments: then });
    // The segment it read through another changes meaning; the snapshot's record does not.
    expect((await api.patch('/api/v1/segments/women', { expression: 'gender = "female" and city = "上海"' })).status).toBe(200);
    expect((await api.get('/api/v1/segments/campaign/snapshots')).body.items).toEqual([expect.objectContaining({ id: taken.body.id, segments: then })]);
    expect((await api.get(`/api/v1/segments/campaign/snapshots/${String(taken.body.id)}/compare`)).body.snapshot).toMatchObject({ segments: then });
    // A segment that reads no other keeps an empty list.
    expect((await api.post('/api/v1/segments/women/snapshots', {})).body).toMatchObject({ segments: [] });
  });

  it('compares a snapshot with the segment now: who stayed, left and joined, each exported and logged', async () => {
    await seed();
    await api.post('/api/v1/segments', { key: 'golfers', name: '高尔夫爱好者', expression: 'interests has any ("golf")' });
    const snapshot = (await api.post('/api/v1/segments/golfers/snapshots', {})).body.id as number;
    // C1 and C4 were frozen; since, C2 and C3 took up golf and C4 gave it up.
    await api.post('/api/v1/tags/interests/assign', { value: 'golf', customers: ['C2', 'C3'] });
    await api.post('/api/v1/tags/interests/unassign', { value: 'golf', customers: ['C4'] });
    const compared = await api.get(`/api/v1/segments/${encodeURIComponent('高尔夫爱好者')}/snapshots/${String(snapshot)}/compare`);
    expect(compared.status).toBe(200);
    expect(compared.body).toMatchObject({ snapshot: { id: snapshot, segment: 'golfers', members: 2 }, now: 3, stayed: 1, joined: 2, left: 1 });
    const ids = async (part: string) => {
      const file = await api.get(`/api/v1/segments/golfers/snapshots/${String(snapshot)}/export?format=jsonl&part=${part}`);
      expect(file.status).toBe(200);
      return file.text.trim().split('\n').map((line) => (JSON.parse(line) as { id: string }).id);
    };
    expect(await ids('joined')).toEqual(['C2', 'C3']);
    expect(await ids('left')).toEqual(['C4']);
    expect(await ids('stayed')).toEqual(['C1']);
    expect(await ids('members')).toEqual(['C1', 'C4']);
    const joined = await api.get(`/api/v1/segments/golfers/snapshots/${String(snapshot)}/export?part=joined`);
    expect(joined.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('高尔夫爱好者')}-${String(snapshot)}-joined.csv`);
    expect(((await api.get('/api/v1/exports')).body.items as unknown[])[0]).toMatchObject({ source: 'snapshot', target: `golfers#${String(snapshot)} joined`, rows: 2 });
    expect((await api.get(`/api/v1/segments/golfers/snapshots/${String(snapshot)}/export?part=gone`)).body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect((await api.get('/api/v1/segments/golfers/snapshots/99999/compare')).body).toMatchObject({ status: 404, code: 'SNAPSHOT_NOT_FOUND' });
  });

  it('logs a segment\'s exports by its key, and names a snapshot\'s file by the segment\'s name, however the address names the segment', async () => {
    await seed();
    await api.post('/api/v1/segments', { key: 'golfers', name: '高尔夫爱好者', expression: 'interests has any ("golf")' });
    const snapshot = (await api.post('/api/v1/segments/golfers/snapshots', {})).body.id as number;
    const byName = encodeURIComponent('高尔夫爱好者');
    const live = await api.get(`/api/v1/segments/${byName}/export`);
    expect(live.headers['content-disposition']).toContain(`filename*=UTF-8''${byName}.csv`);
    expect(((await api.get('/api/v1/exports')).body.items as unknown[])[0]).toMatchObject({ source: 'segment', target: 'golfers', rows: 2 });
    for (const address of [byName, 'golfers']) {
      const frozen = await api.get(`/api/v1/segments/${address}/snapshots/${String(snapshot)}/export`);
      expect(frozen.status).toBe(200);
      expect(frozen.headers['content-disposition']).toContain(`filename*=UTF-8''${byName}-${String(snapshot)}.csv`);
      expect(((await api.get('/api/v1/exports')).body.items as unknown[])[0]).toMatchObject({ source: 'snapshot', target: `golfers#${String(snapshot)}`, rows: 2 });
    }
    expect((await api.get(`/api/v1/segments/golferz/snapshots/${String(snapshot)}/export`)).body.code).toBe('SEGMENT_NOT_FOUND');
  });

  it('says a segment reads a tag since archived, rather than that the tag is unknown', async () => {
    await seed();
    await api.post('/api/v1/segments', { key: 'golfers', name: '高尔夫爱好者', expression: 'city exists and 兴趣爱好 has any ("高尔夫")' });
    expect((await api.patch('/api/v1/tags/interests', { status: 'archived' })).status).toBe(200);
    // The segment is still read, its definition whole, with why it cannot be counted in place of the count.
    const reply = await api.get('/api/v1/segments/golfers');
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ key: 'golfers', name: '高尔夫爱好者', expression: 'city exists and 兴趣爱好 has any ("高尔夫")', count: null, problem: { status: 400, code: 'EXPRESSION_UNKNOWN_NAME' } });
    expect((reply.body.problem as { errors?: unknown[] }).errors?.[0]).toMatchObject({ reason: 'archived_tag', column: 17, found: '兴趣爱好', message: 'Tag "兴趣爱好" is archived: restore it in the tag library, or take it out of the expression.' });
    expect((await api.get('/api/v1/segments/golfers/members')).body).toMatchObject({ status: 400, code: 'EXPRESSION_UNKNOWN_NAME' });
    expect((await api.get('/api/v1/segments/nobody')).body).toMatchObject({ status: 404 });
    const chinese = await api.post('/api/v1/segments/count', { expression: 'tagged("interests")' }, { 'accept-language': 'zh-CN' });
    expect(chinese.body.errors?.[0]).toMatchObject({ reason: 'archived_tag', message: '标签「兴趣爱好」已归档：请在标签库中恢复它，或从表达式中去掉它。' });
    // A name no tag ever had is still unknown, with its suggestion.
    expect((await api.post('/api/v1/segments/count', { expression: 'ctiy exists' })).body.errors?.[0]).toMatchObject({ reason: 'unknown_name', suggestion: 'city' });
  });

  it('says a segment that reads one a tag’s archiving broke cannot be counted, rather than counting nobody, and a rule reading it keeps its holders', async () => {
    await seed();
    await api.post('/api/v1/segments', { key: 'golfers', name: '高尔夫爱好者', expression: 'interests has any ("golf")' });
    await api.post('/api/v1/segments', { key: 'golfers2', name: '二级', expression: 'segment("golfers")' });
    await api.post('/api/v1/segments', { key: 'nested', name: '嵌套', expression: 'segment("二级") or city = "nowhere"' });
    const rule = { key: 'golf_club', name: '球会', kind: 'rule', values: [{ key: 'yes', name: '是', condition: 'segment("nested")' }] };
    expect((await api.post('/api/v1/tags', rule)).status).toBe(201);
    const holders = async () => (await api.post('/api/v1/segments/count', { expression: 'golf_club = "yes"' })).body.count;
    expect((await api.get('/api/v1/segments/nested')).body.count).toBe(2);
    expect(await holders()).toBe(2);
    // What archiving the tag would stop, named before it is archived: what reads it through segments too.
    expect((await api.get('/api/v1/tags/interests/readers')).body).toEqual({
      segments: [
        { key: 'golfers', name: '高尔夫爱好者' },
        { key: 'golfers2', name: '二级' },
        { key: 'nested', name: '嵌套' },
      ],
      care_plans: [],
      rule_tags: [{ key: 'golf_club', name: '球会' }],
      others_personal_rule_tags: 0, webhooks: [], pending_webhook_posts: [], rule_pass_running: false,
    });

    expect((await api.patch('/api/v1/tags/interests', { status: 'archived' })).status).toBe(200);
    const reply = await api.get('/api/v1/segments/nested');
    expect(reply.body).toMatchObject({ key: 'nested', count: null, problem: { status: 400, code: 'EXPRESSION_UNKNOWN_NAME' } });
    expect((reply.body.problem as { detail: string }).detail).toContain('segment "高尔夫爱好者" (golfers), read through segment "二级" (golfers2), no longer reads, so this cannot be counted until it is mended: line 1, column 1:');
    expect((await api.get('/api/v1/segments/nested/members')).body).toMatchObject({ status: 400, code: 'EXPRESSION_UNKNOWN_NAME' });
    const counted = await api.post('/api/v1/segments/count', { expression: 'segment("嵌套")' }, { 'accept-language': 'zh-CN' });
    expect(counted.body).toMatchObject({ status: 400, code: 'EXPRESSION_UNKNOWN_NAME' });
    expect(counted.body.detail).toContain('人群「高尔夫爱好者」（golfers）（经由人群「嵌套」（nested） → 「二级」（golfers2）读取）已无法读取');
    // The rule reading it stops, its holders kept, rather than taking its value from everyone.
    expect(await holders()).toBe(2);
    await api.post('/api/v1/customers', { customers: [{ id: 'C1', city: '深圳' }] });
    expect(await holders()).toBe(2);

    expect((await api.patch('/api/v1/tags/interests', { status: 'active' })).status).toBe(200);
    expect((await api.get('/api/v1/segments/nested')).body).toMatchObject({ count: 2 });
  });

  it('answers a segment’s size day by day, today counted until it is recorded', async () => {
    await seed();
    await api.post('/api/v1/segments', { key: 'golfers', name: '高尔夫爱好者', expression: 'interests has any ("golf")' });
    const sizes = await api.get('/api/v1/segments/高尔夫爱好者/sizes?days=7');
    expect(sizes.status).toBe(200);
    expect(sizes.body).toEqual({ segment: 'golfers', items: [{ day: '2026-06-15', members: 2, population: 4, recorded: false }] });
    expect((await api.get('/api/v1/segments/golfers/sizes')).body.items).toHaveLength(1);
    const bad = await api.get('/api/v1/segments/golfers/sizes?days=400');
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    expect((await api.get('/api/v1/segments/golferz/sizes')).body.code).toBe('SEGMENT_NOT_FOUND');
  });

  it('refuses the sizes of a segment that no longer reads with the problem its members are refused with, errors[] placed in its expression', async () => {
    await seed();
    await api.post('/api/v1/segments', { key: 'golfers', name: '高尔夫爱好者', expression: 'city exists and interests has any ("golf")' });
    await api.post('/api/v1/segments', { key: 'nested', name: '嵌套', expression: 'segment("golfers")' });
    expect((await api.patch('/api/v1/tags/interests', { status: 'archived' })).status).toBe(200);
    for (const segment of ['golfers', 'nested']) {
      const members = await api.get(`/api/v1/segments/${segment}/members`);
      const sizes = await api.get(`/api/v1/segments/${segment}/sizes`);
      expect(members.status).toBe(400);
      expect(sizes.status).toBe(400);
      expect({ ...sizes.body, instance: undefined }).toEqual({ ...members.body, instance: undefined });
    }
    const sizes = await api.get('/api/v1/segments/golfers/sizes');
    expect(sizes.body.errors).toEqual([expect.objectContaining({ index: 0, code: 'EXPRESSION_UNKNOWN_NAME', line: 1, column: 17, found: 'interests' })]);
  });

  it('measures the overlap of saved segments', async () => {
    await seed();
    await api.post('/api/v1/segments', { key: 'shanghai', name: '上海', expression: 'city = "上海"' });
    await api.post('/api/v1/segments', { key: 'golfers', name: '高尔夫', expression: 'interests has any ("golf")' });
    const overlap = await api.post('/api/v1/segments/overlap', { segments: ['shanghai', '高尔夫'] });
    expect(overlap.body).toMatchObject({ sizes: { shanghai: 2, golfers: 2 }, intersection: 1, union: 3 });
    expect(overlap.body.regions).toEqual([
      { segments: ['shanghai'], customers: 1 },
      { segments: ['golfers'], customers: 1 },
      { segments: ['shanghai', 'golfers'], customers: 1 },
    ]);
    expect((await api.post('/api/v1/segments/overlap', { segments: ['shanghai'] })).body.code).toBe('VALIDATION_FAILED');
    expect((await api.post('/api/v1/segments/overlap', { segments: ['shanghai', 'shanghai'] })).body.code).toBe('VALIDATION_FAILED');
    expect((await api.post('/api/v1/segments/overlap', { segments: ['shanghai', 'nope'] })).body.code).toBe('SEGMENT_NOT_FOUND');
    // Every unknown segment is named in the one problem, not only the first.
    const unknown = await api.post('/api/v1/segments/overlap', { segments: ['nope', 'shanghai', 'nada'] });
    expect([unknown.status, unknown.body.code]).toEqual([404, 'SEGMENT_NOT_FOUND']);
    expect(unknown.body.detail).toBe('Segments "nope" and "nada" do not exist.');
    expect(unknown.body.errors?.map((item) => item.path)).toEqual(['segments.0', 'segments.2']);
    const chinese = await api.post('/api/v1/segments/overlap', { segments: ['nope', 'shanghai', 'nada'] }, { 'accept-language': 'zh-CN' });
    expect(chinese.body.detail).toBe('人群「nope」和「nada」不存在。');
    expect((await api.post('/api/v1/segments/overlap', { segments: ['shanghai', 'nope'] })).body.detail).toBe('Segment "nope" does not exist.');
  });

  it('places one unknown segment to overlap in errors[] as it places several, keeping its "did you mean"', async () => {
    await seed();
    await api.post('/api/v1/segments', { key: 'shanghai', name: '上海', expression: 'city = "上海"' });
    await api.post('/api/v1/segments', { key: 'golfers', name: '高尔夫', expression: 'interests has any ("golf")' });
    const one = await api.post('/api/v1/segments/overlap', { segments: ['shanghai', 'golfer'] });
    expect([one.status, one.body.code]).toEqual([404, 'SEGMENT_NOT_FOUND']);
    expect(one.body.detail).toBe('Segment "golfer" does not exist. Did you mean "golfers"?');
    expect(one.body.errors).toEqual([expect.objectContaining({ code: 'SEGMENT_NOT_FOUND', path: 'segments.1', pointer: '#/segments/1', message: 'Segment "golfer" does not exist. Did you mean "golfers"?' })]);
    const chinese = await api.post('/api/v1/segments/overlap', { segments: ['golfer', 'shanghai'] }, { 'accept-language': 'zh-CN' });
    expect(chinese.body.errors?.map((item) => [item.path, item.message])).toEqual([['segments.0', chinese.body.detail]]);
  });

  it('says which of the segments to overlap no longer reads, and that its line is of that segment’s expression', async () => {
    await seed();
    await api.post('/api/v1/tags', { key: 'old_level', name: '旧等级', values: [{ key: 'a', name: '甲' }] });
    await api.post('/api/v1/segments', { key: 'shanghai', name: '上海', expression: 'city = "上海"' });
    await api.post('/api/v1/segments', { key: 'graded', name: '甲等', expression: 'city exists and\n  旧等级 = "甲"' });
    expect((await api.patch('/api/v1/tags/old_level', { status: 'archived' })).status).toBe(200);
    const english = await api.post('/api/v1/segments/overlap', { segments: ['上海', 'graded'] });
    expect(english.body).toMatchObject({ status: 400, code: 'EXPRESSION_UNKNOWN_NAME' });
    expect(english.body.detail).toBe('The overlap cannot be measured: segment "甲等" (graded), whose expression no longer reads: line 2, column 3: Tag "旧等级" is archived: restore it in the tag library, or take it out of the expression.');
    expect(english.body.errors).toEqual([expect.objectContaining({ index: -1, code: 'EXPRESSION_UNKNOWN_NAME', path: 'segments.1', pointer: '#/segments/1' })]);
    const chinese = await api.post('/api/v1/segments/overlap', { segments: ['甲等', 'shanghai'] }, { 'accept-language': 'zh-CN' });
    expect(chinese.body.detail).toBe('无法计算重叠：人群「甲等」（graded）的表达式已无法读取：第 2 行第 3 列：标签「旧等级」已归档：请在标签库中恢复它，或从表达式中去掉它。');
    expect(chinese.body.errors?.map((item) => item.path)).toEqual(['segments.0']);
  });

  it('tags and untags everyone an expression or a segment matches', async () => {
    await seed();
    const tagged = await api.post('/api/v1/segments/tag', { expression: 'city = "上海"', tag: 'interests', value: 'yoga' }, { 'x-tagbase-actor': 'ops' });
    expect(tagged.body).toMatchObject({ matched: 2, added: 2, changed: 2 });
    expect((await api.post('/api/v1/segments/count', { expression: 'interests has all ("golf", "瑜伽")' })).body.count).toBe(1);
    const portrait = await api.get('/api/v1/customers/C2');
    expect(portrait.body.tags).toEqual([expect.objectContaining({ label: '兴趣爱好: 瑜伽', source: 'manual', actor: 'ops' })]);
    await api.post('/api/v1/segments', { key: 'yogis', name: '瑜伽', expression: 'interests has any ("yoga")' });
    expect((await api.post('/api/v1/segments/tag', { segment: 'yogis', tag: 'interests', value: 'yoga', action: 'remove' })).body).toMatchObject({ matched: 2, removed: 2 });
    // Nobody matching answers as a call that changed nobody does, and a mistyped tag or value, or an expiry past, is refused all the same.
    expect((await api.post('/api/v1/segments/tag', { expression: 'city = "北京"', tag: 'interests', value: 'yoga' })).body).toEqual({ matched: 0, added: 0, replaced: 0, unchanged: 0, renewed: 0, changed: 0 });
    expect((await api.post('/api/v1/segments/tag', { expression: 'city = "北京"', tag: 'interests', value: 'yoga', action: 'remove' })).body).toEqual({ matched: 0, removed: 0 });
    expect((await api.post('/api/v1/segments/tag', { expression: 'city = "北京"', tag: 'intrests', value: 'yoga' })).body.code).toBe('TAG_NOT_FOUND');
    expect((await api.post('/api/v1/segments/tag', { expression: 'city = "北京"', tag: 'interests', value: 'surfing', action: 'remove' })).body.code).toBe('TAG_VALUE_NOT_FOUND');
    const past = await api.post('/api/v1/segments/tag', { expression: 'city = "北京"', tag: 'interests', value: 'yoga', expires_at: '2020-01-01T00:00:00Z' }, { 'accept-language': 'zh-CN' });
    expect(past.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ path: 'expires_at', message: 'expires_at 必须是将来的时间' })] });
    expect((await api.post('/api/v1/segments/tag', { expression: 'city exists', tag: 'interests', value: 'surfing' })).body.code).toBe('TAG_VALUE_NOT_FOUND');
    expect((await api.post('/api/v1/segments/tag', { expression: 'city exists', segment: 'yogis', tag: 'interests', value: 'yoga' })).body.code).toBe('VALIDATION_FAILED');
    expect((await api.post('/api/v1/segments/tag', { expression: 'city exists', tag: 'interests' })).body.code).toBe('VALIDATION_FAILED');
    expect((await api.post('/api/v1/segments/count', { expression: 'interests has any ("yoga")' })).body.count).toBe(0);
  });

  it('refuses a change of a segment that names nothing to change, rather than answering it done and recording it in the audit trail', async () => {
    expect((await api.post('/api/v1/segments', { key: 'shanghai', name: '上海客户', expression: 'city = "上海"' })).status).toBe(201);
    const refused = await api.patch('/api/v1/segments/shanghai', {}, { 'accept-language': 'en' });
    expect(refused.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', detail: 'The request is not valid: nothing to change: give key, name, description or expression' });
    const trail = (await api.get('/api/v1/audit?limit=500')).body.items as { action: string }[];
    expect(trail.filter((entry) => entry.action.startsWith('PATCH'))).toEqual([]);
  });
});
