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
    const created = await api.post('/api/v1/tags', { ...interests, group: 'hobby' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ key: 'interests', group: 'hobby', cardinality: 'multi', customers: 0 });
    expect((await api.post('/api/v1/tags', interests)).body.code).toBe('TAG_EXISTS');
    const list = await api.get('/api/v1/tags');
    expect((list.body.items as unknown[]).length).toBe(1);
    expect((await api.get(`/api/v1/tags/${encodeURIComponent('兴趣爱好')}`)).body).toMatchObject({ key: 'interests' });
  });

  it('rejects bad tag definitions', async () => {
    const duplicateValues = await api.post('/api/v1/tags', { key: 't', name: 'T', values: [{ key: 'a', name: 'A' }, { key: 'a', name: 'B' }] });
    expect(duplicateValues.body.code).toBe('VALIDATION_FAILED');
    const badKey = await api.post('/api/v1/tags', { key: '1bad key', name: 'T', values: [{ key: 'a', name: 'A' }] });
    expect(badKey.body.code).toBe('VALIDATION_FAILED');
    const noValues = await api.post('/api/v1/tags', { key: 't', name: 'T', values: [] });
    expect(noValues.body.code).toBe('VALIDATION_FAILED');
    const badColor = await api.post('/api/v1/tags', { key: 't', name: 'T', color: 'red', values: [{ key: 'a', name: 'A' }] });
    expect(badColor.body.code).toBe('VALIDATION_FAILED');
    const unknownField = await api.post('/api/v1/tags', { key: 't', name: 'T', colour: '#ffffff', values: [{ key: 'a', name: 'A' }] });
    expect(unknownField.body.code).toBe('VALIDATION_FAILED');
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
  });

  it('fails bulk tagging with unknown customers, tags or values and changes nothing', async () => {
    await api.post('/api/v1/customers', { customers: [{ id: 'C1' }] });
    await api.post('/api/v1/tags', interests);
    expect((await api.post('/api/v1/tags/interests/assign', { value: 'golf', customers: ['C1', 'ghost'] })).body.code).toBe('CUSTOMER_NOT_FOUND');
    expect((await api.post('/api/v1/tags/interest/assign', { value: 'golf', customers: ['C1'] })).body).toMatchObject({ code: 'TAG_NOT_FOUND', status: 404 });
    expect((await api.post('/api/v1/tags/interests/assign', { value: 'tennis', customers: ['C1'] })).body.code).toBe('TAG_VALUE_NOT_FOUND');
    expect((await api.post('/api/v1/tags/interests/assign', { value: 'golf', customers: [] })).body.code).toBe('VALIDATION_FAILED');
    expect((await api.post('/api/v1/tags/interests/assign', { value: 'golf', customers: ['C1'], expires_at: 'tomorrow' })).body.code).toBe('VALIDATION_FAILED');
    expect((await api.get('/api/v1/customers/C1')).body.tags).toEqual([]);
  });

  it('asks before removing a value in use, then moves the assignments', async () => {
    await api.post('/api/v1/customers', { customers: [{ id: 'C1' }] });
    await api.post('/api/v1/tags', interests);
    await api.post('/api/v1/tags/interests/assign', { value: 'golf', customers: ['C1'] });
    const refused = await api.del('/api/v1/tags/interests/values/golf');
    expect(refused).toMatchObject({ status: 409, body: { code: 'TAG_VALUE_IN_USE' } });
    const moved = await api.del('/api/v1/tags/interests/values/golf?onAssigned=move&moveTo=fishing');
    expect(moved.body).toMatchObject({ moved_assignments: 1 });
    expect((await api.get('/api/v1/customers/C1')).body.tags).toEqual([expect.objectContaining({ value: 'fishing' })]);
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

  it('keeps personal tags to their owner', async () => {
    await api.post('/api/v1/customers', { customers: [{ id: 'C1' }] });
    const alice = { 'x-tagbase-actor': 'alice' };
    expect((await api.post('/api/v1/tags', { key: 'mine', name: '我的', scope: 'personal', values: [{ key: 'y', name: '是' }] }, alice)).status).toBe(201);
    expect((await api.post('/api/v1/tags', { key: 'x', name: 'x', scope: 'personal', values: [{ key: 'y', name: '是' }] })).body.code).toBe('PERSONAL_TAG_OWNER_REQUIRED');
    await api.post('/api/v1/customers/C1/tags', { tag: 'mine', value: 'y' }, alice);
    expect(((await api.get('/api/v1/customers/C1', alice)).body.tags as unknown[]).length).toBe(1);
    expect((await api.get('/api/v1/customers/C1', { 'x-tagbase-actor': 'bob' })).body.tags).toEqual([]);
    expect((await api.get('/api/v1/tags/mine', { 'x-tagbase-actor': 'bob' })).body.code).toBe('TAG_NOT_FOUND');
  });
});
