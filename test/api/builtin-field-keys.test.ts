import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { useServer } from './support.js';

forEachStore('API: custom fields and the keys of built-in ones', (h) => {
  const api = useServer(h);

  it('lets the built-in field win over a custom one stored under its key before it became built in', async () => {
    const ctx = h.context();
    // As a store from a version without a built-in `city` may hold it: a number field of that key.
    await h
      .store()
      .db.insertInto('field_definitions')
      .values({ workspace_id: ctx.workspaceId, key: 'city', name: '城市编号', type: 'number', options: '[]', created_at: h.clock.now().getTime() })
      .execute();
    expect((await api.post('/api/v1/fields', { key: 'shoe_size', name: '鞋码', type: 'number' })).status).toBe(201);
    expect((await api.get('/api/v1/fields')).body.items).toEqual([{ key: 'shoe_size', name: '鞋码', type: 'number', options: [] }]);
    expect((await api.post('/api/v1/customers', { customers: [{ id: 'C1', city: '上海', custom: { shoe_size: 38 } }, { id: 'C2', city: '北京' }] })).status).toBe(200);
    // The built-in field, text, is the one expressions read, through the index as well.
    expect((await api.post('/api/v1/segments/count', { expression: 'city = "上海"' })).body).toMatchObject({ count: 1, population: 2 });
    expect((await api.post('/api/v1/segments/count', { expression: 'city in ("上海", "北京") and shoe_size = 38' })).body).toMatchObject({ count: 1 });
    expect((await api.post('/api/v1/segments/count', { expression: '城市编号 = 3' })).body).toMatchObject({ status: 400, code: 'EXPRESSION_UNKNOWN_NAME' });
    // A value under `custom` is no longer taken for it, and the answer says where the built-in one goes.
    const refused = await api.post('/api/v1/customers', { customers: [{ id: 'C3', custom: { city: 3 } }] });
    expect(refused.body).toMatchObject({ status: 400, errors: [{ index: 0, code: 'FIELD_NOT_FOUND', path: 'custom.city', message: '"city" is a built-in field, not a custom one: send it beside "id", not under custom.' }] });
    // Its display name is free again, as an unused one is.
    expect((await api.post('/api/v1/fields', { key: 'city_code', name: '城市编号', type: 'number' })).status).toBe(201);
    expect((await api.get('/api/v1/customers/C1')).body).toMatchObject({ city: '上海', custom: { shoe_size: 38 } });
    // A value a customer held under it before stays where it was, through a later update.
    await h.store().db.updateTable('customers').set({ custom: JSON.stringify({ city: 3, shoe_size: 38 }) }).where('workspace_id', '=', ctx.workspaceId).where('external_id', '=', 'C1').execute();
    expect((await api.post('/api/v1/customers', { customers: [{ id: 'C1', custom: { shoe_size: 39 } }] })).status).toBe(200);
    expect((await api.get('/api/v1/customers/C1')).body).toMatchObject({ city: '上海', custom: { city: 3, shoe_size: 39 } });
    expect((await api.post('/api/v1/segments/count', { expression: 'city = "上海" and shoe_size = 39' })).body).toMatchObject({ count: 1 });
  });
});
