import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { useServer } from './support.js';

const CHINESE = { 'accept-language': 'zh-CN' };

// A request whose body names one tag that does not exist is told so at that field, in errors[],
// as a webhook's list of tags is: the code, status and detail stay as they were.
forEachStore('API: an unknown tag named in a body is placed in errors[]', (h) => {
  const api = useServer(h);

  it('places the tag of bulk tagging by segment, of tagging a flow and of tagging one customer at #/tag', async () => {
    await api.post('/api/v1/customers', { customers: [{ id: 'C1', city: '上海' }] });
    await api.post('/api/v1/tags', { key: 'vip', name: '重要客户', values: [{ key: 'gold', name: '金卡' }] });
    await api.post('/api/v1/tags', { key: 'stage', name: '服务阶段', values: [{ key: 'pre', name: '售前' }, { key: 'after', name: '售后' }] });

    const segment = await api.post('/api/v1/segments/tag', { expression: 'city = "上海"', tag: 'vlp', value: 'gold' });
    expect(segment.body).toMatchObject({ status: 404, code: 'TAG_NOT_FOUND', detail: 'Tag "vlp" does not exist. Did you mean "vip"?' });
    expect(segment.body.errors).toEqual([{ index: -1, code: 'TAG_NOT_FOUND', path: 'tag', pointer: '#/tag', message: 'Tag "vlp" does not exist. Did you mean "vip"?' }]);
    // Nobody matching changes nothing, and the tag is still checked and placed.
    const nobody = await api.post('/api/v1/segments/tag', { expression: 'city = "北京"', tag: 'nope', action: 'remove' }, CHINESE);
    expect(nobody.body).toMatchObject({ status: 404, code: 'TAG_NOT_FOUND', detail: '标签「nope」不存在。' });
    expect(nobody.body.errors).toEqual([{ index: -1, code: 'TAG_NOT_FOUND', path: 'tag', pointer: '#/tag', message: '标签「nope」不存在。' }]);

    const flow = await api.post('/api/v1/tags/stage/transitions/tag', { from_value: 'pre', to_value: 'after', tag: 'nope', value: 'x' });
    expect(flow.body).toMatchObject({ status: 404, code: 'TAG_NOT_FOUND', detail: 'Tag "nope" does not exist.' });
    expect(flow.body.errors).toEqual([{ index: -1, code: 'TAG_NOT_FOUND', path: 'tag', pointer: '#/tag', message: 'Tag "nope" does not exist.' }]);
    // The tag in the address is not a body field: no pointer.
    const address = await api.post('/api/v1/tags/stagee/transitions/tag', { from_value: 'pre', to_value: 'after', tag: 'vip', value: 'gold' });
    expect(address.body).toMatchObject({ status: 404, code: 'TAG_NOT_FOUND' });
    expect(address.body.errors).toBeUndefined();

    const one = await api.post('/api/v1/customers/C1/tags', { tag: 'nope', value: 'gold' });
    expect(one.body).toMatchObject({ status: 404, code: 'TAG_NOT_FOUND', detail: 'Tag "nope" does not exist.' });
    expect(one.body.errors).toEqual([{ index: -1, code: 'TAG_NOT_FOUND', path: 'tag', pointer: '#/tag', message: 'Tag "nope" does not exist.' }]);
    // A known tag with an unknown value is another problem, left as it was.
    expect((await api.post('/api/v1/customers/C1/tags', { tag: 'vip', value: 'silver' })).body.code).toBe('TAG_VALUE_NOT_FOUND');
    expect((await api.get('/api/v1/customers/C1')).body.tags).toEqual([]);
  });

  it('places the tag of a care plan’s trigger at #/trigger/tag', async () => {
    const plan = { key: 'p', name: '计划', trigger: { kind: 'tag_added', tag: 'nope' }, steps: [{ after: '1d', message: 'hi' }] };
    const created = await api.post('/api/v1/care/plans', plan);
    expect(created.body).toMatchObject({ status: 404, code: 'TAG_NOT_FOUND', detail: 'Tag "nope" does not exist.' });
    expect(created.body.errors).toEqual([{ index: -1, code: 'TAG_NOT_FOUND', path: 'trigger.tag', pointer: '#/trigger/tag', message: 'Tag "nope" does not exist.' }]);
    const chinese = await api.post('/api/v1/care/plans', { ...plan, trigger: { kind: 'tag_removed', tag: '售后' } }, CHINESE);
    expect(chinese.body).toMatchObject({ status: 404, code: 'TAG_NOT_FOUND', detail: '标签「售后」不存在。' });
    expect(chinese.body.errors).toEqual([{ index: -1, code: 'TAG_NOT_FOUND', path: 'trigger.tag', pointer: '#/trigger/tag', message: '标签「售后」不存在。' }]);
    // A known tag with a value it does not have: placed at #/trigger/value.
    await api.post('/api/v1/tags', { key: 'stage', name: '服务阶段', values: [{ key: 'pre', name: '售前' }] });
    const value = await api.post('/api/v1/care/plans', { ...plan, trigger: { kind: 'tag_added', tag: 'stage', value: '售后' } }, CHINESE);
    expect(value.body).toMatchObject({ status: 404, code: 'TAG_VALUE_NOT_FOUND' });
    expect(value.body.errors).toEqual([{ index: -1, code: 'TAG_VALUE_NOT_FOUND', path: 'trigger.value', pointer: '#/trigger/value', message: value.body.detail }]);
  });
});
