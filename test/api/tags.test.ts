import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { useServer } from './support.js';

const interests = {
  key: 'interests',
  name: '兴趣爱好',
  cardinality: 'multi',
  color: '#13c2c2',
  values: [
    { key: 'golf', name: '高尔夫' },
    { key: 'fishing', name: '钓鱼' },
  ],
};

forEachStore('API: tag library and tagging', (h) => {
  const api = useServer(h);

  it('creates groups and tags, and lists them with counts', async () => {
    expect((await api.post('/api/v1/tag-groups', { key: 'hobby', name: '兴趣' })).status).toBe(201);
    // A group is found by key, then by name: each answers to one group.
    expect((await api.post('/api/v1/tag-groups', { key: 'hobby2', name: '兴趣' })).body).toMatchObject({ status: 409, code: 'TAG_GROUP_NAME_TAKEN' });
    expect((await api.post('/api/v1/tag-groups', { key: '兴趣', name: '另一个' })).body.code).toBe('TAG_GROUP_NAME_TAKEN');
    expect((await api.post('/api/v1/tag-groups', { key: 'hobby3', name: 'hobby' })).body.code).toBe('TAG_GROUP_NAME_TAKEN');
    // So does a name written in other letter case or full-width: the problem names the group's text as it is written.
    expect((await api.post('/api/v1/tag-groups', { key: 'hobby4', name: 'ＨＯＢＢＹ' }, { 'accept-language': 'en' })).body).toMatchObject({
      status: 409,
      code: 'TAG_GROUP_NAME_TAKEN',
      detail: expect.stringMatching(/^Tag group "hobby" already answers to "hobby" \(as its name or key\) \(names that differ only in letter case or full-width\/half-width form are one name\);/),
    });
    const created = await api.post('/api/v1/tags', { ...interests, group: 'hobby' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ key: 'interests', group: 'hobby', cardinality: 'multi', customers: 0 });
    expect((await api.post('/api/v1/tags', interests, { 'accept-language': 'zh-CN' })).body).toMatchObject({ status: 409, code: 'TAG_EXISTS', detail: '标签「兴趣爱好」（interests）已存在。' });
    expect((await api.post('/api/v1/tags', { ...interests, key: 'hobbies' }, { 'accept-language': 'en' })).body).toMatchObject({ status: 409, code: 'TAG_NAME_TAKEN', detail: expect.stringMatching(/^Tag "兴趣爱好" \(interests\) already has the name "兴趣爱好";/) });
    // A name written in other letter case or full-width is the same name to whoever reads it.
    expect((await api.post('/api/v1/tags', { ...interests, key: 'hobbies', name: '兴趣爱好ａｂｃ' })).status).toBe(201);
    const alike = await api.post('/api/v1/tags', { ...interests, key: 'hobbies2', name: '兴趣爱好ABC' }, { 'accept-language': 'en' });
    expect(alike.body).toMatchObject({ status: 409, code: 'TAG_NAME_TAKEN', detail: expect.stringMatching(/^Tag "兴趣爱好ａｂｃ" \(hobbies\) already has the name "兴趣爱好ａｂｃ" \(names that differ only in letter case or full-width\/half-width form are one name\);/) });
    expect((await api.patch('/api/v1/tags/hobbies', { status: 'archived' })).status).toBe(200);
    const list = await api.get('/api/v1/tags');
    expect((list.body.items as unknown[]).length).toBe(1);
    expect((await api.get(`/api/v1/tags/${encodeURIComponent('兴趣爱好')}`)).body).toMatchObject({ key: 'interests' });
  });

  it('refuses a change of a tag, a value or a group that names nothing to change, as a workspace\'s, rather than answering it done and recording it in the audit trail', async () => {
    await api.post('/api/v1/tag-groups', { key: 'hobby', name: '兴趣', description: '爱好' });
    await api.post('/api/v1/tags', interests);
    const tag = await api.patch('/api/v1/tags/interests', {}, { 'accept-language': 'en' });
    expect(tag.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', detail: 'The request is not valid: nothing to change: give key, name, description, color, group, cardinality, ordered, default_expiry_days, status, kind or scope' });
    const value = await api.patch('/api/v1/tags/interests/values/golf', {}, { 'accept-language': 'zh-CN' });
    expect(value.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', detail: '请求无效：没有要修改的内容：请给出 key、name、color、description、condition 或 position' });
    const group = await api.patch('/api/v1/tag-groups/hobby', {}, { 'accept-language': 'en' });
    expect(group.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', detail: 'The request is not valid: nothing to change: give key, name, description or sort_order' });
    expect((await api.get('/api/v1/tag-groups/hobby')).body).toMatchObject({ key: 'hobby', name: '兴趣', description: '爱好' });
    const trail = (await api.get('/api/v1/audit?limit=500')).body.items as { action: string }[];
    expect(trail.map((entry) => entry.action).filter((action) => action.startsWith('PATCH'))).toEqual([]);
    // A change naming something is answered as before.
    expect((await api.patch('/api/v1/tag-groups/hobby', { sort_order: 3 })).body).toMatchObject({ key: 'hobby', sort_order: 3 });
  });

  it('counts a multi-valued tag’s customers once each, however many of its values they hold', async () => {
    await api.post('/api/v1/customers', { customers: [{ id: 'C1' }, { id: 'C2' }, { id: 'C3' }] });
    await api.post('/api/v1/tags', interests);
    await api.post('/api/v1/tags/interests/assign', { value: 'golf', customers: ['C1', 'C2'] });
    await api.post('/api/v1/tags/interests/assign', { value: 'fishing', customers: ['C1'] });
    const tag = (await api.get('/api/v1/tags/interests')).body;
    expect(tag).toMatchObject({ customers: 2, values: [{ key: 'golf', customers: 2 }, { key: 'fishing', customers: 1 }] });
    expect((await api.get('/api/v1/tags')).body.items).toMatchObject([{ key: 'interests', customers: 2 }]);
  });

  it('rejects bad tag definitions', async () => {
    const duplicateValues = await api.post('/api/v1/tags', { key: 't', name: 'T', values: [{ key: 'a', name: 'A' }, { key: 'a', name: 'B' }] });
    expect(duplicateValues.body.code).toBe('VALIDATION_FAILED');
    const badKey = await api.post('/api/v1/tags', { key: '1bad key', name: 'T', values: [{ key: 'a', name: 'A' }] });
    expect(badKey.body.code).toBe('VALIDATION_FAILED');
    const noValues = await api.post('/api/v1/tags', { key: 't', name: 'T', values: [] });
    expect(noValues.body.code).toBe('VALIDATION_FAILED');
    expect(noValues.body.errors?.[0]).toMatchObject({ path: 'values', message: 'at least 1 item' });
    const badColor = await api.post('/api/v1/tags', { key: 't', name: 'T', color: 'red', values: [{ key: 'a', name: 'A' }] });
    expect(badColor.body.code).toBe('VALIDATION_FAILED');
    const unknownField = await api.post('/api/v1/tags', { key: 't', name: 'T', colour: '#ffffff', values: [{ key: 'a', name: 'A' }] });
    expect(unknownField.body.code).toBe('VALIDATION_FAILED');
    // A model's tag made by hand would have no model to set it, and could not be given by hand either.
    const modelKind = await api.post('/api/v1/tags', { key: 't', name: 'T', kind: 'model', values: [{ key: 'a', name: 'A' }] });
    expect(modelKind.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect(String(modelKind.body.detail)).toContain('kind: a model tag is made by enabling its model (PUT /api/v1/models/{model}); use kind "manual" or "rule"');
    expect((await api.get('/api/v1/tags/t')).body.code).toBe('TAG_NOT_FOUND');
  });

  it('tags one customer and many, and reports the changes', async () => {
    await api.post('/api/v1/customers', { customers: [{ id: 'C1' }, { id: 'C2' }, { id: 'C3' }] });
    await api.post('/api/v1/tags', interests);
    const actor = { 'x-tagbase-actor': encodeURIComponent('导购-王芳') };
    const one = await api.post('/api/v1/customers/C1/tags', { tag: 'interests', value: '高尔夫' }, actor);
    expect(one.body).toMatchObject({ matched: 1, added: 1, changed: 1 });
    const many = await api.post('/api/v1/tags/interests/assign', { value: 'golf', customers: ['C1', 'C2', 'C3'] }, actor);
    expect(many.body).toMatchObject({ matched: 3, added: 2, unchanged: 1, changed: 2 });
    const portrait = await api.get('/api/v1/customers/C2');
    expect(portrait.body.tags).toEqual([expect.objectContaining({ label: '兴趣爱好: 高尔夫', source: 'manual', actor: '导购-王芳' })]);
    const removed = await api.del('/api/v1/customers/C2/tags/interests?value=golf', actor);
    expect(removed.body).toMatchObject({ removed: 1 });
    const history = await api.get('/api/v1/customers/C2/history');
    expect((history.body.items as { action: string }[]).map((e) => e.action)).toEqual(['remove', 'add']);
    const bulkRemove = await api.post('/api/v1/tags/interests/unassign', { customers: ['C1', 'C3'] });
    expect(bulkRemove.body).toMatchObject({ removed: 2 });
    // Unnamed, tagging is an integration's; from the console it is by hand all the same.
    await api.post('/api/v1/customers/C1/tags', { tag: 'interests', value: '高尔夫' });
    await api.post('/api/v1/tags/interests/assign', { value: 'golf', customers: ['C3'] }, { 'x-tagbase-client': 'console' });
    const sources = async (id: string) => ((await api.get(`/api/v1/customers/${id}`)).body.tags as { source: string; actor: string | null }[]).map(({ source, actor }) => ({ source, actor }));
    expect(await sources('C1')).toEqual([{ source: 'api', actor: 'api' }]);
    expect(await sources('C3')).toEqual([{ source: 'manual', actor: 'console' }]);
  });

  it('reads an expiry given as a day alone as the whole of that day on the workspace\'s clock, and a history bound as its start', async () => {
    expect((await api.patch('/api/v1/workspace', { utc_offset_minutes: 480 })).status).toBe(200);
    await api.post('/api/v1/customers', { customers: [{ id: 'C1' }, { id: 'C2' }, { id: 'C3' }, { id: 'C4' }] });
    await api.post('/api/v1/tags', interests);
    await api.post('/api/v1/customers/C1/tags', { tag: 'interests', value: 'golf', expires_at: '2027-12-05' });
    await api.post('/api/v1/tags/interests/assign', { value: 'golf', customers: ['C2'], expires_at: '2027-12-05' });
    await api.post('/api/v1/segments/tag', { expression: 'id = "C3"', tag: 'interests', value: 'golf', expires_at: '2027-12-05' });
    // A time with its offset, or in UTC, is read as written.
    await api.post('/api/v1/tags/interests/assign', { value: 'golf', customers: ['C4'], expires_at: '2027-12-05T00:00:00Z' });
    const expiry = async (id: string) => ((await api.get(`/api/v1/customers/${id}`)).body.tags as { expires_at: string }[])[0]?.expires_at;
    // Held through 2027-12-05 there: it expires at the start of the 6th, 16:00 UTC on the 5th.
    expect(await Promise.all(['C1', 'C2', 'C3', 'C4'].map(expiry))).toEqual(['2027-12-05T16:00:00.000Z', '2027-12-05T16:00:00.000Z', '2027-12-05T16:00:00.000Z', '2027-12-05T00:00:00.000Z']);
    // Today is 2026-06-15 in China since 16:00 UTC the day before: today as an expiry is the rest of it, yesterday has passed.
    expect((await api.post('/api/v1/customers/C1/tags', { tag: 'interests', value: 'fishing', expires_at: '2026-06-14' })).body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ path: 'expires_at' })] });
    // The history before a day: changes before its first moment there (16:00 UTC the day before).
    // Fishing is given at 02:00 on 06-17 in China, 18:00 on 06-16 in UTC.
    h.clock.set('2026-06-16T18:00:00Z');
    await api.post('/api/v1/customers/C1/tags', { tag: 'interests', value: 'fishing' });
    h.clock.set('2026-06-16T19:00:00Z');
    const before = async (day: string) => ((await api.get(`/api/v1/customers/C1/history?before=${day}`)).body.items as { label: string }[]).map((item) => item.label);
    expect(await before('2026-06-18')).toEqual(['兴趣爱好: 钓鱼', '兴趣爱好: 高尔夫']);
    expect(await before('2026-06-17')).toEqual(['兴趣爱好: 高尔夫']);
  });

  it('undoes bulk tagging on request, once, putting back what each customer held', async () => {
    await api.post('/api/v1/customers', { customers: [{ id: 'C1' }, { id: 'C2' }] });
    await api.post('/api/v1/tags', interests);
    await api.post('/api/v1/customers/C1/tags', { tag: 'interests', value: 'fishing' });
    const removed = await api.post('/api/v1/tags/interests/unassign', { customers: ['C1', 'C2'] }, { 'x-tagbase-actor': encodeURIComponent('运营-小张') });
    expect(removed.body).toMatchObject({ removed: 1, operation: expect.any(Number) });
    const assigned = await api.post('/api/v1/segments/tag', { expression: 'not id missing', tag: 'interests', value: 'golf' });
    expect(assigned.body).toMatchObject({ changed: 2, operation: expect.any(Number) });
    const listed = await api.get('/api/v1/tagging/operations');
    expect(listed.body.items).toMatchObject([
      { id: assigned.body.operation, action: 'assign', tag: 'interests', value: 'golf', customers: 2, undone_at: null },
      { id: removed.body.operation, action: 'remove', tag: 'interests', value: null, actor: '运营-小张', customers: 1 },
    ]);
    const undone = await api.post(`/api/v1/tagging/operations/${String(assigned.body.operation)}/undo`, {});
    // Undone by an integration, named by nobody: recorded as the API's, as any change it makes.
    expect(undone.body).toMatchObject({ undone: 2, skipped: 0, operation: { undone_customers: 2, undone_by: 'api' } });
    expect((await api.post(`/api/v1/tagging/operations/${String(removed.body.operation)}/undo`, {}, { 'x-tagbase-client': 'console' })).body).toMatchObject({ undone: 1, operation: { undone_by: 'console' } });
    expect(((await api.get('/api/v1/customers/C1')).body.tags as { value: string }[]).map((tag) => tag.value)).toEqual(['fishing']);
    expect((await api.get('/api/v1/customers/C2')).body.tags).toEqual([]);
    const again = await api.post(`/api/v1/tagging/operations/${String(assigned.body.operation)}/undo`, {}, { 'accept-language': 'zh-CN' });
    expect(again.body).toMatchObject({ status: 409, code: 'TAGGING_OPERATION_UNDONE', detail: expect.stringContaining('已由') });
    expect((await api.post('/api/v1/tagging/operations/424242/undo', {})).body).toMatchObject({ status: 404, code: 'TAGGING_OPERATION_NOT_FOUND' });
  });

  it('pages a customer\'s tag history by cursor, splitting no instant and skipping tags the reader may not see', async () => {
    await api.post('/api/v1/customers', { customers: [{ id: 'HP1' }] });
    await api.post('/api/v1/tags', { key: 'hp_multi', name: '翻页', cardinality: 'multi', values: ['a', 'b', 'c'].map((key) => ({ key, name: key.toUpperCase() })) });
    const alice = { 'x-tagbase-actor': 'alice' };
    await api.post('/api/v1/tags', { key: 'hp_mine', name: '我的翻页', scope: 'personal', values: [{ key: 'y', name: '是' }] }, alice);
    // The clock stands still: every change below is of one instant.
    for (const value of ['a', 'b', 'c']) await api.post('/api/v1/customers/HP1/tags', { tag: 'hp_multi', value });
    await api.post('/api/v1/customers/HP1/tags', { tag: 'hp_mine', value: 'y' }, alice);
    await api.del('/api/v1/customers/HP1/tags/hp_multi');
    const everything = (await api.get('/api/v1/customers/HP1/history')).body;
    expect(everything.next_cursor).toBeNull();
    const all = (everything.items as { action: string; value: string }[]).map((e) => `${e.action} ${e.value}`);
    expect(all.sort()).toEqual(['add a', 'add b', 'add c', 'remove a', 'remove b', 'remove c']);
    const paged: string[] = [];
    let url = '/api/v1/customers/HP1/history?limit=2';
    for (let page = 0; page < 10; page++) {
      const reply = await api.get(url);
      expect(reply.status).toBe(200);
      paged.push(...(reply.body.items as { action: string; value: string }[]).map((e) => `${e.action} ${e.value}`));
      if (reply.body.next_cursor === null) break;
      url = `/api/v1/customers/HP1/history?limit=2&cursor=${String(reply.body.next_cursor)}`;
    }
    expect(paged).toEqual((everything.items as { action: string; value: string }[]).map((e) => `${e.action} ${e.value}`));
    // Alice sees her personal tag too, on its page.
    const hers = (await api.get('/api/v1/customers/HP1/history?limit=10', alice)).body.items as { tag: string }[];
    expect(hers.filter((e) => e.tag === 'hp_mine')).toHaveLength(1);
    expect((await api.get('/api/v1/customers/HP1/history?cursor=nonsense')).body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
  });

  it('pins a rule tag when the value the rule gave is given by hand, as any value given by hand pins it', async () => {
    await api.post('/api/v1/tags', { key: 'pin_tier', name: '钉住分层', kind: 'rule', values: [{ key: 'high', name: '高', condition: 'spend_365d >= 1000 and refunds_total = 0' }, { key: 'low', name: '低', condition: 'orders_total >= 1' }] });
    const order = (id: string, amount: number) => ({ id, customer_id: 'PIN1', type: 'order_paid', occurred_at: '2026-06-01T08:00:00Z', properties: { order_id: id, amount } });
    await api.post('/api/v1/events', { events: [order('PIN-O1', 1200)] });
    const tier = async () => ((await api.get('/api/v1/customers/PIN1')).body.tags as { tag: string; value: string; source: string }[]).find((t) => t.tag === 'pin_tier');
    expect(await tier()).toMatchObject({ value: 'high', source: 'rule' });
    const given = await api.post('/api/v1/customers/PIN1/tags', { tag: 'pin_tier', value: 'high' }, { 'x-tagbase-actor': 'alice' });
    expect(given.body).toMatchObject({ matched: 1, unchanged: 1, changed: 0 });
    expect(await tier()).toMatchObject({ value: 'high', source: 'manual' });
    // A refund takes the customer out of the rule's high value: the pinned value stays.
    await api.post('/api/v1/events', { events: [{ id: 'PIN-R1', customer_id: 'PIN1', type: 'order_refunded', occurred_at: '2026-06-02T08:00:00Z', properties: { order_id: 'PIN-O1', amount: 1200 } }] });
    expect(await tier()).toMatchObject({ value: 'high', source: 'manual' });
    // Removed by hand, the rule takes the customer back.
    await api.del('/api/v1/customers/PIN1/tags/pin_tier');
    expect(await tier()).toMatchObject({ value: 'low', source: 'rule' });
  });

  it('fails bulk tagging with unknown customers, tags or values and changes nothing', async () => {
    await api.post('/api/v1/customers', { customers: [{ id: 'C1' }] });
    await api.post('/api/v1/tags', interests);
    expect((await api.post('/api/v1/tags/interests/assign', { value: 'golf', customers: ['C1', 'ghost'] })).body.code).toBe('CUSTOMER_NOT_FOUND');
    // Every unknown id is named with its place in `customers`, in the caller's language.
    const ghosts = await api.post('/api/v1/tags/interests/unassign', { customers: ['g1', 'C1', 'g2', 'g3', 'g4', 'g5', 'g6'] }, { 'accept-language': 'zh-CN' });
    expect(ghosts.body).toMatchObject({ status: 404, code: 'CUSTOMERS_NOT_FOUND' });
    expect(ghosts.body.errors?.map((item) => [item.index, item.code, item.path])).toEqual([0, 2, 3, 4, 5, 6].map((index) => [index, 'CUSTOMER_NOT_FOUND', 'customers']));
    expect(ghosts.body.errors?.[5]?.message).toBe('客户「g6」不存在。');
    expect(ghosts.body.detail).toBe('有 6 个客户编号不存在，例如「g1」、「g2」、「g3」、「g4」、「g5」。');
    // In English the count agrees with its words; the code and the items stay as they are.
    const inEnglish = await api.post('/api/v1/tags/interests/unassign', { customers: ['g1', 'C1', 'g2'] });
    expect(inEnglish.body).toMatchObject({ status: 404, code: 'CUSTOMERS_NOT_FOUND', detail: '2 customer ids do not exist, e.g. "g1", "g2".' });
    expect(inEnglish.body.errors?.map((item) => [item.index, item.code, item.path, item.message])).toEqual([
      [0, 'CUSTOMER_NOT_FOUND', 'customers', 'Customer "g1" does not exist.'],
      [2, 'CUSTOMER_NOT_FOUND', 'customers', 'Customer "g2" does not exist.'],
    ]);
    expect((await api.post('/api/v1/tags/interest/assign', { value: 'golf', customers: ['C1'] })).body).toMatchObject({ code: 'TAG_NOT_FOUND', status: 404 });
    expect((await api.post('/api/v1/tags/interests/assign', { value: 'tennis', customers: ['C1'] })).body.code).toBe('TAG_VALUE_NOT_FOUND');
    expect((await api.post('/api/v1/tags/interests/assign', { value: 'golf', customers: [] })).body.code).toBe('VALIDATION_FAILED');
    expect((await api.post('/api/v1/tags/interests/assign', { value: 'golf', customers: ['C1'], expires_at: 'tomorrow' })).body.code).toBe('VALIDATION_FAILED');
    // A time that has passed is placed in errors[] at its field, as a time that is none is.
    const passed = '2020-01-01T00:00:00Z';
    for (const [path, body] of [
      ['/api/v1/tags/interests/assign', { value: 'golf', customers: ['C1'], expires_at: passed }],
      ['/api/v1/customers/C1/tags', { tag: 'interests', value: 'golf', expires_at: passed }],
    ] as const) {
      expect((await api.post(path, body)).body, path).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', errors: [{ index: -1, code: 'VALIDATION_FAILED', path: 'expires_at', message: 'expires_at must be in the future' }] });
    }
    expect((await api.get('/api/v1/customers/C1')).body.tags).toEqual([]);
  });

  it('places a malformed entry of a bulk tagging list as it places an unknown id there: its index, the list as its path, and its pointer', async () => {
    await api.post('/api/v1/customers', { customers: [{ id: 'C1' }] });
    await api.post('/api/v1/tags', interests);
    const unknown = await api.post('/api/v1/tags/interests/assign', { value: 'golf', customers: ['C1', 'ghost'] });
    expect(unknown.body.errors).toEqual([expect.objectContaining({ index: 1, code: 'CUSTOMER_NOT_FOUND', path: 'customers', pointer: '#/customers/1' })]);
    for (const route of ['assign', 'unassign']) {
      const number = await api.post(`/api/v1/tags/interests/${route}`, { value: 'golf', customers: ['C1', 1] }, { 'accept-language': 'en' });
      expect(number.body, route).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', detail: 'The request is not valid: body item 1 customers: expected text, got a number' });
      expect(number.body.errors, route).toEqual([{ index: 1, code: 'VALIDATION_FAILED', path: 'customers', pointer: '#/customers/1', message: 'expected text, got a number' }]);
    }
    const empty = await api.post('/api/v1/tags/interests/assign', { value: 'golf', customers: [''] }, { 'accept-language': 'zh-CN' });
    expect(empty.body.errors).toEqual([expect.objectContaining({ index: 0, code: 'VALIDATION_FAILED', path: 'customers', pointer: '#/customers/0' })]);
    const unstorable = await api.post('/api/v1/tags/interests/assign', { value: 'golf', customers: ['C1', 'C\u0000'] });
    expect(unstorable.body.errors).toEqual([expect.objectContaining({ index: 1, code: 'VALIDATION_FAILED', path: 'customers', pointer: '#/customers/1' })]);
    expect((await api.get('/api/v1/customers/C1')).body.tags).toEqual([]);
  });

  it('asks before removing a value in use, then moves the assignments', async () => {
    await api.post('/api/v1/customers', { customers: [{ id: 'C1' }] });
    await api.post('/api/v1/tags', interests);
    await api.post('/api/v1/tags/interests/assign', { value: 'golf', customers: ['C1'] });
    const refused = await api.del('/api/v1/tags/interests/values/golf');
    expect(refused).toMatchObject({ status: 409, body: { code: 'TAG_VALUE_IN_USE' } });
    // The value is said as the console shows it, its keys after it, and one customer is one.
    expect(refused.body.detail).toBe('The value "兴趣爱好: 高尔夫" (interests.golf) is assigned to 1 customer; say on_assigned=remove, or on_assigned=move with move_to.');
    const nowhere = await api.del('/api/v1/tags/interests/values/golf?on_assigned=move');
    expect(nowhere.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', detail: expect.stringContaining('on_assigned=move needs move_to') });
    const moved = await api.del('/api/v1/tags/interests/values/golf?on_assigned=move&move_to=fishing');
    expect(moved.body).toMatchObject({ moved_assignments: 1 });
    expect((await api.get('/api/v1/customers/C1')).body.tags).toEqual([expect.objectContaining({ value: 'fishing' })]);
  });

  it('still reads onAssigned and moveTo, the spellings of before, and refuses the two spellings saying different things', async () => {
    await api.post('/api/v1/customers', { customers: [{ id: 'C1' }] });
    await api.post('/api/v1/tags', interests);
    await api.post('/api/v1/tags/interests/assign', { value: 'golf', customers: ['C1'] });
    const split = await api.del('/api/v1/tags/interests/values/golf?on_assigned=move&onAssigned=remove&move_to=fishing');
    expect(split.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', detail: expect.stringContaining('on_assigned and onAssigned say different things') });
    const elsewhere = await api.del('/api/v1/tags/interests/values/golf?on_assigned=move&move_to=golf&moveTo=fishing', { 'accept-language': 'zh-CN' });
    expect(elsewhere.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', detail: expect.stringContaining('move_to 和 moveTo 的取值不一致；请只传 move_to') });
    expect((await api.get('/api/v1/customers/C1')).body.tags).toEqual([expect.objectContaining({ value: 'golf' })]);
    const before = await api.del('/api/v1/tags/interests/values/golf?onAssigned=move&moveTo=fishing');
    expect(before.body).toMatchObject({ moved_assignments: 1 });
    expect((await api.get('/api/v1/customers/C1')).body.tags).toEqual([expect.objectContaining({ value: 'fishing' })]);
  });

  it('merges a value into another: a customer holding both keeps one, and the counts answered are the new ones', async () => {
    await api.post('/api/v1/customers', { customers: [{ id: 'C1' }, { id: 'C2' }, { id: 'C3' }] });
    await api.post('/api/v1/tags', interests);
    await api.post('/api/v1/tags/interests/assign', { value: 'golf', customers: ['C1', 'C2'] });
    await api.post('/api/v1/tags/interests/assign', { value: 'fishing', customers: ['C1', 'C3'] });
    const merged = await api.del('/api/v1/tags/interests/values/golf?on_assigned=move&move_to=fishing');
    expect(merged.status).toBe(200);
    expect(merged.body).toMatchObject({ moved_assignments: 1, removed_assignments: 1, tag: { customers: 3, values: [{ key: 'fishing', customers: 3 }] } });
    const listed = (await api.get('/api/v1/tags')).body.items as { key: string; customers: number; values: { key: string; customers: number }[] }[];
    expect(listed.find((tag) => tag.key === 'interests')).toMatchObject({ customers: 3, values: [{ key: 'fishing', customers: 3 }] });
    // Removing with the assignments: the value goes from everyone holding it, and from the counts.
    await api.post('/api/v1/tags/interests/values', { key: 'yoga', name: '瑜伽' });
    await api.post('/api/v1/tags/interests/assign', { value: 'yoga', customers: ['C2'] });
    const removed = await api.del('/api/v1/tags/interests/values/fishing?onAssigned=remove');
    expect(removed.body).toMatchObject({ removed_assignments: 3, moved_assignments: 0, tag: { customers: 1, values: [{ key: 'yoga', customers: 1 }] } });
    // A tag keeps one value.
    const last = await api.del('/api/v1/tags/interests/values/yoga?onAssigned=remove');
    expect(last).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
  });

  it('keeps a model’s tag in the shape its model gives it, names, colours and descriptions aside', async () => {
    expect((await api.call('PUT', '/api/v1/models/value_tier', { params: {} })).status).toBe(200);
    const refusals = [
      await api.post('/api/v1/tags/value_tier/values', { key: 'vvip', name: '超高价值', condition: 'spend_365d >= 100000' }),
      await api.del('/api/v1/tags/value_tier/values/low?onAssigned=remove'),
      await api.patch('/api/v1/tags/value_tier/values/high', { condition: 'spend_365d >= 1' }),
      await api.patch('/api/v1/tags/value_tier/values/high', { position: 0 }),
      await api.patch('/api/v1/tags/value_tier/values/high', { key: 'top' }),
      await api.patch('/api/v1/tags/value_tier', { cardinality: 'multi' }),
      await api.patch('/api/v1/tags/value_tier', { key: 'tier' }),
    ];
    for (const refused of refusals) expect(refused, JSON.stringify(refused.body)).toMatchObject({ status: 409, body: { code: 'TAG_SET_BY_MODEL' } });
    // Only the model itself takes out a value it no longer gives: no caller can say it is the model.
    expect(await api.del('/api/v1/tags/value_tier/values/low?onAssigned=remove&byModel=true')).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    // Each refusal says what can be done instead, and only that: values and conditions follow the
    // model's parameters; the key, chosen when the model was first enabled, stays; the rest is the model's own.
    expect(refusals[1]?.body.detail).toBe(
      'Tag "价值分层" (value_tier) belongs to the model value_tier, which gives it its values, their keys, conditions and order, and whether it is single-valued or ordered, so removing a value is refused here. Its values and their conditions come from the model\'s parameters: change those (PUT /api/v1/models/value_tier) and the model rewrites them. Names, colours and descriptions can be changed here.',
    );
    expect(refusals[6]?.body.detail).toBe(
      'Tag "价值分层" (value_tier) belongs to the model value_tier, which gives it its values, their keys, conditions and order, and whether it is single-valued or ordered, so a new key is refused here. Its key was chosen when the model was first enabled (tag_key) and stays, even when the model is disabled and enabled again. Names, colours and descriptions can be changed here.',
    );
    expect(refusals[5]?.body.detail).toContain('a change between one value and several is refused here. That is the model\'s own and stays, whatever its parameters.');
    expect(refusals[5]?.body.detail).not.toContain('PUT /api/v1/models');
    const inChinese = await api.call('POST', '/api/v1/tags/value_tier/values', { key: 'vvip', name: '超高价值', condition: 'spend_365d >= 100000' }, { 'accept-language': 'zh-CN' });
    expect(inChinese.body.detail).toBe(
      '标签「价值分层」（value_tier）属于模型 value_tier，它的值、值标识、条件和顺序，以及单选多选、是否有序都由模型决定，这里不能添加值。它的值和条件来自模型参数：请调整模型参数（PUT /api/v1/models/value_tier），由模型改写。这里可以改名称、颜色和说明。',
    );
    const keyInChinese = await api.call('PATCH', '/api/v1/tags/value_tier', { key: 'tier' }, { 'accept-language': 'zh-CN' });
    expect(keyInChinese.body.detail).toBe(
      '标签「价值分层」（value_tier）属于模型 value_tier，它的值、值标识、条件和顺序，以及单选多选、是否有序都由模型决定，这里不能改标识。它的标识在首次启用模型时选定（tag_key），之后不再改变，停用后再启用也一样。这里可以改名称、颜色和说明。',
    );
    const tier = (await api.get('/api/v1/tags/value_tier')).body as { values: { key: string }[] };
    expect(tier.values.map((value) => value.key)).toEqual(['low', 'middle', 'high']);
    // What the model keeps as the operators left it: names and colours, and the same position or condition said again.
    expect((await api.patch('/api/v1/tags/value_tier/values/high', { name: '高价值客户', color: '#cf1322', position: 2 })).status).toBe(200);
    expect((await api.patch('/api/v1/tags/value_tier', { name: '客户价值', color: '#1677ff' })).status).toBe(200);
    // And what the tag and its values mean, which the console's tag editor writes of a model's tag.
    expect((await api.patch('/api/v1/tags/value_tier', { description: '一年消费的分层' })).status).toBe(200);
    expect((await api.patch('/api/v1/tags/value_tier/values/middle', { description: '值得多联系' })).status).toBe(200);
    // The model's own new parameters still reshape it.
    expect((await api.call('PUT', '/api/v1/models/value_tier', { params: { high: 8000, middle: 2000 } })).status).toBe(200);
    const reshaped = (await api.get('/api/v1/tags/value_tier')).body as { description: string | null; values: { name: string; description: string | null }[] };
    expect(reshaped.values.map((value) => value.name)).toEqual(['低价值', '中价值', '高价值客户']);
    expect([reshaped.description, reshaped.values[1]?.description]).toEqual(['一年消费的分层', '值得多联系']);
  });

  it('refuses to make a tag single-valued while customers hold several values, saying what to do', async () => {
    await api.post('/api/v1/customers', { customers: [{ id: 'C1' }] });
    await api.post('/api/v1/tags', interests);
    await api.post('/api/v1/tags/interests/assign', { value: 'golf', customers: ['C1'] });
    await api.post('/api/v1/tags/interests/assign', { value: 'fishing', customers: ['C1'] });
    const refused = await api.patch('/api/v1/tags/interests', { cardinality: 'single' });
    expect(refused).toMatchObject({ status: 409, body: { code: 'TAG_CARDINALITY_CONFLICT', detail: 'Tag "兴趣爱好" (interests) cannot become single-valued: 1 customer holds several of its values; take the extra values off them first, or keep it multi-valued.' } });
    const inChinese = await api.call('PATCH', '/api/v1/tags/interests', { cardinality: 'single' }, { 'accept-language': 'zh-CN' });
    expect(inChinese.body.detail).toBe('标签「兴趣爱好」（interests）不能改为单值：有 1 位客户持有它的多个值；请先去掉他们多余的值，或保持多值。');
    await api.post('/api/v1/tags/interests/unassign', { value: 'fishing', customers: ['C1'] });
    expect((await api.patch('/api/v1/tags/interests', { cardinality: 'single' })).body).toMatchObject({ cardinality: 'single' });
  });

  it('renames, reorders, archives and restores', async () => {
    await api.post('/api/v1/tags', interests);
    expect((await api.patch('/api/v1/tags/interests', { name: '爱好' })).body).toMatchObject({ name: '爱好' });
    const reordered = await api.patch('/api/v1/tags/interests/values/fishing', { position: 0 });
    expect((reordered.body.values as { key: string }[]).map((v) => v.key)).toEqual(['fishing', 'golf']);
    expect((await api.post('/api/v1/tags/interests/values', { key: 'yoga', name: '瑜伽' })).status).toBe(201);
    expect((await api.patch('/api/v1/tags/interests', { status: 'archived' })).body).toMatchObject({ status: 'archived' });
    expect((await api.get('/api/v1/tags')).body.items).toEqual([]);
    expect(((await api.get('/api/v1/tags?archived=true')).body.items as unknown[]).length).toBe(1);
  });

  it('stores an empty description, or one of spaces alone, as none, on creating and on changing a tag, a value or a group', async () => {
    const described = (body: Record<string, unknown>) => ({ tag: body.description, values: (body.values as { key: string; description: unknown }[]).map((value) => [value.key, value.description]) });
    const created = await api.post('/api/v1/tags', { ...interests, description: '', values: [{ key: 'golf', name: '高尔夫', description: ' \u3000' }, { key: 'fishing', name: '钓鱼', description: '湖钓' }] });
    expect(described(created.body)).toEqual({ tag: null, values: [['golf', null], ['fishing', '湖钓']] });
    expect((await api.patch('/api/v1/tags/interests', { description: '爱好' })).body.description).toBe('爱好');
    expect((await api.patch('/api/v1/tags/interests', { description: '  ' })).body.description).toBeNull();
    expect(described((await api.patch('/api/v1/tags/interests/values/fishing', { description: '' })).body).values).toEqual([['golf', null], ['fishing', null]]);
    expect(described((await api.post('/api/v1/tags/interests/values', { key: 'yoga', name: '瑜伽', description: '' })).body).values).toContainEqual(['yoga', null]);
    expect(described((await api.get('/api/v1/tags/interests')).body)).toEqual({ tag: null, values: [['golf', null], ['fishing', null], ['yoga', null]] });
    expect((await api.post('/api/v1/tag-groups', { key: 'hobby', name: '兴趣', description: '' })).body.description).toBeNull();
    expect((await api.patch('/api/v1/tag-groups/hobby', { description: '线下' })).body.description).toBe('线下');
    expect((await api.patch('/api/v1/tag-groups/hobby', { description: '\t' })).body.description).toBeNull();
  });

  it('refuses a rename or a removed value that another staff member\'s personal rule tag reads, saying so without its name', async () => {
    const en = { 'accept-language': 'en' };
    await api.post('/api/v1/tags', { key: 'channel', name: '渠道', values: [{ key: 'shop', name: '门店' }, { key: 'online', name: '线上' }] });
    const wang = { 'x-tagbase-actor': 'wang' };
    const li = { ...en, 'x-tagbase-actor': 'li' };
    expect((await api.post('/api/v1/tags', { key: 'my_shoppers', name: '我的门店客', scope: 'personal', kind: 'rule', values: [{ key: 'y', name: '是', condition: '渠道 = "门店"' }] }, wang)).status).toBe(201);
    for (const [method, url, body] of [
      ['DELETE', '/api/v1/tags/channel/values/shop?onAssigned=remove', undefined],
      ['PATCH', '/api/v1/tags/channel/values/shop', { name: '实体店' }],
      ['PATCH', '/api/v1/tags/channel', { name: '销售渠道' }],
    ] as const) {
      const refused = await api.call(method, url, body, li);
      expect(refused.body, `${method} ${url}`).toMatchObject({ status: 409, code: 'TAG_IN_USE' });
      expect(refused.body.detail).toContain("another staff member's personal rule tag");
      expect(refused.text).not.toMatch(/my_shoppers|我的门店客|wang/);
    }
    expect((await api.get('/api/v1/tags/channel')).body).toMatchObject({ key: 'channel', name: '渠道', values: [{ key: 'shop', name: '门店' }, { key: 'online', name: '线上' }] });
    expect((await api.get('/api/v1/tags/my_shoppers', wang)).body.values).toEqual([expect.objectContaining({ condition: '渠道 = "门店"' })]);
    // A value no rule reads goes as before.
    expect((await api.call('DELETE', '/api/v1/tags/channel/values/online?onAssigned=remove', undefined, li)).status).toBe(200);
  });

  it('refuses a rename, a new key or a removed value that a saved segment or a care plan reads, naming them', async () => {
    await api.post('/api/v1/tags', { key: 'stage', name: '服务阶段', values: [{ key: 'pre', name: '售前' }, { key: 'post', name: '售后' }] });
    expect((await api.post('/api/v1/segments', { key: 'presale', name: '售前客户', expression: '服务阶段 = "售前"' })).status).toBe(201);
    await api.post('/api/v1/care/plans', { key: 'follow_up', name: '回访', trigger: { kind: 'tag_added', tag: 'stage' }, condition: 'stage = "售后"', steps: [{ after: '1d', message: '{name}' }] });
    const renamed = await api.call('PATCH', '/api/v1/tags/stage', { name: '阶段' }, { 'accept-language': 'zh-CN' });
    expect(renamed.body).toMatchObject({ status: 409, code: 'TAG_IN_USE' });
    expect(renamed.body.detail).toContain('会使人群「售前客户」（presale）无法读取（');
    expect((await api.get('/api/v1/tags/stage')).body).toMatchObject({ name: '服务阶段' });
    // The plan reads the tag by key and the value by name.
    const rekeyed = await api.patch('/api/v1/tags/stage', { key: 'phase' });
    expect(rekeyed.body).toMatchObject({ code: 'TAG_IN_USE' });
    expect(rekeyed.body.detail).toContain('care plan "回访" (follow_up)');
    expect((await api.patch('/api/v1/tags/stage/values/pre', { name: '售前阶段' })).body).toMatchObject({ code: 'TAG_IN_USE' });
    expect((await api.call('DELETE', '/api/v1/tags/stage/values/post?onAssigned=remove')).body).toMatchObject({ code: 'TAG_IN_USE' });
    await api.post('/api/v1/tags', { key: 'stage_rule', name: '阶段规则', kind: 'rule', values: [{ key: 'x', name: 'X', condition: 'tagged("stage")' }] });
    // Archiving is not refused; what it would stop can be asked first.
    expect((await api.get('/api/v1/tags/服务阶段/readers')).body).toEqual({
      segments: [{ key: 'presale', name: '售前客户' }],
      care_plans: [{ key: 'follow_up', name: '回访', reads: ['conditions', 'trigger'] }],
      rule_tags: [{ key: 'stage_rule', name: '阶段规则' }],
      others_personal_rule_tags: 0, webhooks: [], pending_webhook_posts: [], rule_pass_running: false,
    });
    expect((await api.get('/api/v1/tags/stage_rule/readers')).body).toEqual({ segments: [], care_plans: [], rule_tags: [], others_personal_rule_tags: 0, webhooks: [], pending_webhook_posts: [], rule_pass_running: false });
    // A plan triggered by the tag, with no condition reading it, stops with it as well.
    await api.post('/api/v1/care/plans', { key: 'left_rule', name: '离开规则', trigger: { kind: 'tag_removed', tag: '阶段规则' }, steps: [{ after: '0', message: '{name}' }] });
    expect((await api.get('/api/v1/tags/stage_rule/readers')).body).toEqual({
      segments: [],
      care_plans: [{ key: 'left_rule', name: '离开规则', reads: ['trigger'] }],
      rule_tags: [],
      others_personal_rule_tags: 0, webhooks: [], pending_webhook_posts: [], rule_pass_running: false,
    });
    expect((await api.get('/api/v1/tags/nope/readers')).body).toMatchObject({ status: 404, code: 'TAG_NOT_FOUND' });
    // Archived, the tag is still read by them: they are what stopped, and what bringing it back restarts.
    expect((await api.patch('/api/v1/tags/stage', { status: 'archived' })).status).toBe(200);
    expect((await api.get('/api/v1/tags/服务阶段/readers')).body).toEqual({
      segments: [{ key: 'presale', name: '售前客户' }],
      care_plans: [{ key: 'follow_up', name: '回访', reads: ['conditions', 'trigger'] }],
      rule_tags: [{ key: 'stage_rule', name: '阶段规则' }],
      others_personal_rule_tags: 0, webhooks: [], pending_webhook_posts: [], rule_pass_running: false,
    });
    expect((await api.patch('/api/v1/tags/stage', { status: 'active' })).status).toBe(200);
    expect((await api.patch('/api/v1/tags/stage_rule', { status: 'archived' })).status).toBe(200);
    // What no saved expression reads can change.
    expect((await api.patch('/api/v1/tags/stage/values/pre', { color: '#1677ff' })).status).toBe(200);
    await api.patch('/api/v1/segments/presale', { expression: 'stage = "pre"' });
    expect((await api.patch('/api/v1/tags/stage', { name: '阶段' })).body).toMatchObject({ name: '阶段' });
    expect((await api.post('/api/v1/segments/count', { expression: 'segment("presale")' })).status).toBe(200);
  });

  it('keeps each key and name meaning one thing in expressions, across tags, fields and metrics', async () => {
    await api.post('/api/v1/tags', { key: 'stage', name: '服务阶段', values: [{ key: 'pre', name: '售前' }] });
    const cases: [string, unknown, string][] = [
      ['/api/v1/fields', { key: 'spend_365d', name: '手填消费', type: 'number' }, 'metric "spend_365d"'],
      ['/api/v1/fields', { key: 'hand_stage', name: '服务阶段', type: 'string' }, 'tag "stage"'],
      ['/api/v1/tags', { key: '服务阶段', name: '另一个阶段', values: [{ key: 'a', name: 'A' }] }, 'tag "stage"'],
      ['/api/v1/tags', { key: 'city', name: '所在城市', values: [{ key: 'a', name: 'A' }] }, 'field "city"'],
      ['/api/v1/tags', { key: 'home_city', name: '城市', values: [{ key: 'a', name: 'A' }] }, 'field "city"'],
      ['/api/v1/metrics', { key: 'stage', name: '阶段次数', aggregation: 'count', event_type: 'order_paid' }, 'tag "stage"'],
    ];
    for (const [path, body, holder] of cases) {
      const refused = await api.post(path, body);
      expect(refused.body, path).toMatchObject({ status: 409, code: 'NAME_IN_USE' });
      expect(refused.body.detail).toContain(holder);
    }
    expect((await api.patch('/api/v1/tags/stage', { key: 'spend_30d' })).body.code).toBe('NAME_IN_USE');
    expect((await api.post('/api/v1/segments/count', { expression: 'spend_365d >= 0' })).status).toBe(200);
    expect((await api.get('/api/v1/fields')).body.items).toEqual(expect.not.arrayContaining([expect.objectContaining({ key: 'spend_365d' })]));
  });

  it('keeps personal tags to their owner', async () => {
    await api.post('/api/v1/customers', { customers: [{ id: 'C1' }] });
    const alice = { 'x-tagbase-actor': 'alice' };
    expect((await api.post('/api/v1/tags', { key: 'mine', name: '我的', scope: 'personal', values: [{ key: 'y', name: '是' }] }, alice)).status).toBe(201);
    const ownerless = await api.post('/api/v1/tags', { key: 'x', name: 'x', scope: 'personal', values: [{ key: 'y', name: '是' }] }, { 'accept-language': 'zh-CN' });
    expect(ownerless.body.code).toBe('PERSONAL_TAG_OWNER_REQUIRED');
    // The header it needs is placed in `errors[]` by its name, as a query parameter is.
    expect(ownerless.body.errors).toEqual([{ index: -1, code: 'PERSONAL_TAG_OWNER_REQUIRED', path: 'x-tagbase-actor', message: '个人标签需要指明操作人：请发送 X-Tagbase-Actor 请求头。' }]);
    for (const [actor, says] of [
      ['a'.repeat(65), 'the actor name is at most 64 characters'],
      ['%E7%8E', 'header x-tagbase-actor is not valid percent-encoding'],
      ['a%00b', 'header x-tagbase-actor holds the NUL character (%00)'],
      ['\u00e9t\u00e9', 'header x-tagbase-actor holds bytes that are not UTF-8; percent-encode names that are not ASCII'],
    ] as const) {
      const refused = await api.post('/api/v1/tags', { key: 'x', name: 'x', scope: 'personal', values: [{ key: 'y', name: '是' }] }, { 'x-tagbase-actor': actor });
      expect(refused.body, actor).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', detail: `The request is not valid: ${says}` });
      expect(refused.body.errors, actor).toEqual([{ index: -1, code: 'VALIDATION_FAILED', path: 'x-tagbase-actor', message: says }]);
    }
    await api.post('/api/v1/customers/C1/tags', { tag: 'mine', value: 'y' }, alice);
    expect(((await api.get('/api/v1/customers/C1', alice)).body.tags as unknown[]).length).toBe(1);
    expect((await api.get('/api/v1/customers/C1', { 'x-tagbase-actor': 'bob' })).body.tags).toEqual([]);
    expect((await api.get('/api/v1/tags/mine', { 'x-tagbase-actor': 'bob' })).body.code).toBe('TAG_NOT_FOUND');
  });

  it("refuses a shared tag another's personal tag would shadow without naming that tag or its owner", async () => {
    const wang = { 'x-tagbase-actor': 'wang' };
    const li = (language: string) => ({ 'x-tagbase-actor': 'li', 'accept-language': language });
    const values = [{ key: 'y', name: '是' }];
    expect((await api.post('/api/v1/tags', { key: 'mine', name: '我的', scope: 'personal', values }, wang)).status).toBe(201);
    // Keyed like it: the key is taken, said without wang's tag's name.
    const keyed = await api.post('/api/v1/tags', { key: 'mine', name: '共享', values }, li('en'));
    expect(keyed.body).toMatchObject({ status: 409, code: 'TAG_EXISTS', detail: 'A tag keyed "mine" already exists. It is another staff member\'s personal tag, which only they see; choose another key.' });
    expect((await api.post('/api/v1/tags', { key: 'mine', name: '共享', values }, li('zh-CN'))).body.detail).toBe('标识为「mine」的标签已存在。它是其他员工的个人标签，只有本人可见；请换一个标识。');
    // Named like it: the name is taken, said without wang's tag's key.
    const named = await api.post('/api/v1/tags', { key: 'ours', name: '我的', values }, li('en'));
    expect(named.body).toMatchObject({ status: 409, code: 'TAG_NAME_TAKEN', detail: 'Another staff member\'s personal tag already has the name "我的"; choose another name, so that expressions and pickers find one tag by it.' });
    expect((await api.post('/api/v1/tags', { key: 'ours', name: '我的', values }, li('zh-CN'))).body.detail).toBe('其他员工的个人标签已使用名称「我的」，请换一个名称，以免表达式和选择框按名称找到两个标签。');
    for (const refused of [keyed, named]) expect(JSON.stringify(refused.body)).not.toMatch(/wang|我的\W+mine|mine\W+我的/);
    // Renaming a shared tag onto it is refused the same way.
    expect((await api.post('/api/v1/tags', { key: 'ours', name: '共享', values }, li('en'))).status).toBe(201);
    expect((await api.patch('/api/v1/tags/ours', { name: '我的' }, li('en'))).body.detail).toMatch(/^Another staff member's personal tag already has the name "我的";/);
    expect((await api.patch('/api/v1/tags/ours', { key: 'mine' }, li('en'))).body.detail).toMatch(/^A tag keyed "mine" already exists\. It is another staff member's personal tag/);
    // li's own personal tag may share both with wang's; wang still hears his own tag named.
    expect((await api.post('/api/v1/tags', { key: 'mine', name: '我的', scope: 'personal', values }, li('en'))).status).toBe(201);
    expect((await api.post('/api/v1/tags', { key: 'mine', name: '我的', scope: 'personal', values }, wang)).body.detail).toBe('Tag "我的" (mine) already exists.');
  });
});

forEachStore('API: a rule tag saved over many customers', (h) => {
  const api = useServer(h, { rulePassBatch: 2 });
  const order = (customer: string, amount: number) => ({ id: `order-${customer}`, customer_id: customer, type: 'order_paid', occurred_at: '2026-06-01T00:00:00Z', properties: { order_id: customer, amount } });
  const buyers = {
    key: 'buyers',
    name: '买家',
    kind: 'rule',
    values: [
      { key: 'big', name: '大客户', condition: 'spend_total >= 1000' },
      { key: 'small', name: '小客户', condition: 'orders_total >= 1' },
    ],
  };

  it('answers after the first batch, shows the pass going on, and counts everyone once it is done', async () => {
    expect((await api.post('/api/v1/events', { events: ['A', 'B', 'C', 'D', 'E', 'F'].map((customer, k) => order(customer, k < 2 ? 1500 : 50)) })).status).toBe(200);
    const created = await api.post('/api/v1/tags', buyers);
    expect(created.status).toBe(201);
    // The rest may already have gone on in the background; the first batch is in the answer.
    const pass = created.body.rule_pass as { done: number; total: number; started_at: string } | null;
    if (pass !== null) expect(pass).toMatchObject({ total: 6, started_at: h.clock.now().toISOString() });
    if (pass !== null) expect(pass.done).toBeGreaterThanOrEqual(2);
    await expect.poll(async () => (await api.get('/api/v1/tags/buyers')).body.rule_pass, { timeout: 20_000 }).toBeNull();
    const done = await api.get('/api/v1/tags/buyers');
    expect(done.body).toMatchObject({ customers: 6, values: [{ key: 'big', customers: 2 }, { key: 'small', customers: 4 }] });
    expect((await api.get('/api/v1/tags')).body.items).toMatchObject([{ key: 'buyers', rule_pass: null }]);
  });

  it("shows each staff member's personal rule tag of one key its own pass, and a shared tag's as before", async () => {
    const [wang, li] = [{ 'x-tagbase-actor': 'wang' }, { 'x-tagbase-actor': 'li' }];
    expect((await api.post('/api/v1/events', { events: ['A', 'B', 'C'].map((customer) => order(customer, 1500)) })).status).toBe(200);
    const mine = { key: 'mine', name: '我的', kind: 'rule', scope: 'personal', values: [{ key: 'yes', name: '是', condition: 'orders_total >= 1' }] };
    expect((await api.post('/api/v1/tags', mine, wang)).status).toBe(201);
    expect((await api.post('/api/v1/tags', mine, li)).status).toBe(201);
    expect((await api.post('/api/v1/tags', buyers)).status).toBe(201);
    const settled = async () => [(await api.get('/api/v1/tags/mine', wang)).body.rule_pass, (await api.get('/api/v1/tags/mine', li)).body.rule_pass, (await api.get('/api/v1/tags/buyers')).body.rule_pass];
    await expect.poll(settled, { timeout: 20_000 }).toEqual([null, null, null]);
    // Passes another server runs over this store, of wang's tag and of the shared one: li's tag of wang's key shows none.
    const tags = await h.store().db.selectFrom('tags').select(['id', 'workspace_id', 'key', 'owner']).where('key', 'in', ['mine', 'buyers']).execute();
    const at = h.clock.now().getTime();
    for (const tag of tags.filter((each) => each.owner !== 'li')) {
      await h.store().db.insertInto('rule_passes').values({ workspace_id: tag.workspace_id, tag_id: tag.id, tag_key: tag.key, token: 'elsewhere', after_id: 0, updated_at: at, done: 1, total: 3, started_at: at }).execute();
    }
    const pass = { done: 1, total: 3, started_at: h.clock.now().toISOString() };
    expect(await settled()).toEqual([expect.objectContaining(pass), null, expect.objectContaining(pass)]);
    expect(((await api.get('/api/v1/tags', li)).body.items as { key: string; rule_pass: unknown }[]).map((tag) => [tag.key, tag.rule_pass === null])).toEqual(expect.arrayContaining([['mine', true], ['buyers', false]]));
  });
});
