import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { useServer } from './support.js';

const potential = { key: 'potential', name: '高潜客户', values: [{ key: 'high', name: '高' }, { key: 'low', name: '低' }] };

forEachStore('API: changing a tag\'s kind and scope', (h) => {
  const api = useServer(h);

  it('makes a hand tag a rule tag and back, with problem JSON for what it refuses', async () => {
    await api.post('/api/v1/customers', { customers: [{ id: 'A', city: '杭州' }, { id: 'B', city: '北京' }] });
    expect((await api.post('/api/v1/tags', potential)).status).toBe(201);
    await api.post('/api/v1/tags/potential/assign', { value: 'low', customers: ['A'] });
    // Conditions come with kind "rule"; a tag never becomes a model's.
    expect((await api.patch('/api/v1/tags/potential', { conditions: { high: 'true' } })).body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', errors: [{ pointer: '#/conditions' }] });
    expect((await api.patch('/api/v1/tags/potential', { kind: 'model' })).body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', errors: [{ pointer: '#/kind' }] });
    // Both worded in Chinese for a Chinese reader, as the same refusals of POST /tags are.
    expect((await api.call('PATCH', '/api/v1/tags/potential', { conditions: { high: 'true' } }, { 'accept-language': 'zh-CN' })).body).toMatchObject({ detail: '请求无效：请求体 conditions：conditions 只能与 kind "rule" 一起给出' });
    expect((await api.call('PATCH', '/api/v1/tags/potential', { kind: 'model' }, { 'accept-language': 'zh-CN' })).body).toMatchObject({ detail: '请求无效：请求体 kind：模型标签随模型启用而创建（PUT /api/v1/models/{model}）；标签只能改为 kind "manual" 或 "rule"' });
    const missing = await api.call('PATCH', '/api/v1/tags/potential', { kind: 'rule', conditions: { high: 'city = "杭州"' } }, { 'accept-language': 'zh-CN' });
    expect(missing.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', detail: '请求无效：规则标签的每个值都需要条件：请在 conditions 中为「low」给出条件', errors: [{ pointer: '#/conditions' }] });
    // Every value without a condition is named in one problem, not one a try.
    expect((await api.patch('/api/v1/tags/potential', { kind: 'rule' })).body).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      detail: 'The request is not valid: every value of a rule tag needs a condition: give one for each of "high" and "low" in conditions',
      errors: [{ pointer: '#/conditions', message: 'every value of a rule tag needs a condition: give one for each of "high" and "low" in conditions' }],
    });
    expect((await api.patch('/api/v1/tags/potential', { kind: 'rule', conditions: { high: 'spend >>', low: 'true' } })).body).toMatchObject({ status: 400, code: 'RULE_INVALID' });
    const rule = await api.patch('/api/v1/tags/potential', { kind: 'rule', conditions: { high: 'city = "杭州"', low: 'city = "北京"' } });
    expect(rule.status).toBe(200);
    // A holds 低 by hand, which pins it; B is given 低 by the rule at once.
    expect(rule.body).toMatchObject({ kind: 'rule', customers: 2, rule_pass: null, values: [{ key: 'high', condition: 'city = "杭州"', customers: 0 }, { key: 'low', condition: 'city = "北京"', customers: 2 }] });
    const tagsOf = async (id: string) => ((await api.get(`/api/v1/customers/${id}`)).body.tags as { label: string; source: string }[]).map((tag) => [tag.label, tag.source]);
    expect(await tagsOf('A')).toEqual([['高潜客户: 低', 'api']]);
    expect(await tagsOf('B')).toEqual([['高潜客户: 低', 'rule']]);
    const manual = await api.patch('/api/v1/tags/potential', { kind: 'manual' });
    expect(manual.body).toMatchObject({ kind: 'manual', customers: 2, values: [{ key: 'high', condition: null }, { key: 'low', condition: null }] });
    await api.post('/api/v1/customers', { customers: [{ id: 'B', city: '杭州' }] });
    expect(await tagsOf('B')).toEqual([['高潜客户: 低', 'rule']]);
  });

  it('changes a tag\'s scope, refusing to make personal a tag that something shared reads', async () => {
    await api.post('/api/v1/tags', potential);
    await api.post('/api/v1/segments', { key: 'hot', name: '高潜', expression: 'potential = "高"' });
    const refused = await api.call('PATCH', '/api/v1/tags/potential', { scope: 'personal' }, { 'x-tagbase-actor': encodeURIComponent('导购-王芳'), 'accept-language': 'zh-CN' });
    expect(refused.body).toMatchObject({ status: 409, code: 'TAG_SCOPE_IN_USE', detail: expect.stringMatching(/^标签「高潜客户」（potential）不能改为个人标签：人群「高潜」（hot）正在读取它。/) });
    await api.call('DELETE', '/api/v1/segments/hot');
    const personal = await api.call('PATCH', '/api/v1/tags/potential', { scope: 'personal' }, { 'x-tagbase-actor': encodeURIComponent('导购-王芳') });
    expect(personal.body).toMatchObject({ scope: 'personal', owner: '导购-王芳' });
    expect((await api.call('GET', '/api/v1/tags/potential', undefined, { 'x-tagbase-actor': encodeURIComponent('导购-李娜') })).status).toBe(404);
    const shared = await api.call('PATCH', '/api/v1/tags/potential', { scope: 'enterprise' }, { 'x-tagbase-actor': encodeURIComponent('导购-王芳') });
    expect(shared.body).toMatchObject({ scope: 'enterprise', owner: null });
  });
});
