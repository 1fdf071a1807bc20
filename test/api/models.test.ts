import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { useServer } from './support.js';

const order = (id: string, customer: string, at: string, amount: number) => ({ id, customer_id: customer, type: 'order_paid', occurred_at: at, properties: { order_id: id, amount } });

forEachStore('API: models', (h) => {
  const api = useServer(h);

  it('lists the models, enables RFM with parameters, explains levels and refreshes thresholds', async () => {
    h.clock.set('2026-06-15T10:00:00Z');
    await api.post('/api/v1/events', {
      events: [order('E1', 'A', '2026-06-14T10:00:00Z', 3000), order('E2', 'A', '2026-06-10T10:00:00Z', 1000), order('E3', 'B', '2026-01-15T10:00:00Z', 100)],
    });
    const list = await api.get('/api/v1/models');
    expect((list.body.items as { key: string; enabled: boolean }[]).map((m) => [m.key, m.enabled])).toEqual(expect.arrayContaining([['rfm', false], ['lifecycle', false], ['personas', false]]));
    const enabled = await api.call('PUT', '/api/v1/models/rfm', { params: { monetary: 'median' } });
    expect(enabled.status).toBe(200);
    expect(enabled.body).toMatchObject({ key: 'rfm', enabled: true, params: { window_days: 365, monetary: 'median' }, thresholds: { recency: 76, frequency: 1.5, monetary: 2050, customers: 2 } });
    const portrait = await api.get('/api/v1/customers/A');
    expect(portrait.body.tags).toEqual([expect.objectContaining({ label: 'RFM等级: 重要价值客户', kind: 'model', explanation: 'R 1 天 ≤ 76 · F 2 ≥ 1.5 · M 4,000 ≥ 2,050', explanation_en: 'R 1 day ≤ 76 · F 2 ≥ 1.5 · M 4,000 ≥ 2,050' })]);
    expect((await api.post('/api/v1/segments/count', { expression: 'rfm >= "重要挽留客户"' })).body.count).toBe(1);
    expect((await api.post('/api/v1/models/rfm/refresh', {})).body).toMatchObject({ thresholds: { customers: 2, computed_at: '2026-06-15T10:00:00.000Z' }, no_buyers_at: null, refreshed: true, not_refreshed: null });
    expect((await api.get('/api/v1/models/RFM等级')).body).toMatchObject({ key: 'rfm', enabled: true });
    expect((await api.del('/api/v1/models/rfm')).status).toBe(204);
    expect((await api.get('/api/v1/tags/rfm')).body).toMatchObject({ status: 'archived' });
    // Its tag comes back with the model, not on its own.
    expect((await api.call('PATCH', '/api/v1/tags/rfm', { status: 'active' })).body).toMatchObject({ status: 409, code: 'MODEL_NOT_ENABLED' });
    expect((await api.get('/api/v1/tags/rfm')).body).toMatchObject({ status: 'archived' });
    expect((await api.call('PUT', '/api/v1/models/rfm', { params: {} })).status).toBe(200);
    expect((await api.get('/api/v1/tags/rfm')).body).toMatchObject({ status: 'active' });
  });

  it('answers bad model calls with problem JSON', async () => {
    expect((await api.call('PUT', '/api/v1/models/lifecyle', { params: {} })).body).toMatchObject({ status: 404, code: 'MODEL_NOT_FOUND' });
    const invalid = await api.call('PUT', '/api/v1/models/lifecycle', { params: { lost_days: 'soon' } });
    expect(invalid.body).toMatchObject({ status: 400, code: 'MODEL_INVALID' });
    expect(String(invalid.body.detail)).toContain('lost_days');
    // The body field at fault is placed in `errors[]` by its path, as a schema's own issue is.
    expect(invalid.body.errors).toEqual([{ index: -1, code: 'MODEL_INVALID', path: 'params.lost_days', pointer: '#/params/lost_days', message: 'expected a number, got text' }]);
    const misspelt = await api.call('PUT', '/api/v1/models/lifecycle', { params: { lost_dais: 3 } });
    expect(misspelt.body.errors).toEqual([expect.objectContaining({ index: -1, code: 'MODEL_INVALID', path: 'params.lost_dais', message: expect.stringContaining('Did you mean "lost_days"?') })]);
    expect((await api.call('PUT', '/api/v1/models/activity', { params: {} })).status).toBe(200);
    const newTagKey = await api.call('PUT', '/api/v1/models/activity', { params: {}, tag_key: 'activity_state' }, { 'accept-language': 'zh-CN' });
    expect(newTagKey.body).toMatchObject({ code: 'MODEL_INVALID', errors: [{ index: -1, code: 'MODEL_INVALID', path: 'tag_key', message: expect.stringMatching(/^它的标签标识为「activity」/) }] });
    expect((await api.call('PUT', '/api/v1/models/vip', { params: { spend_365d: -1 } })).body.code).toBe('MODEL_INVALID');
    expect((await api.call('PUT', '/api/v1/models/vip', '[1,2]', { 'content-type': 'application/json' })).body.code).toBe('VALIDATION_FAILED');
    expect((await api.post('/api/v1/models/rfm/refresh', {})).body).toMatchObject({ status: 409, code: 'MODEL_NOT_ENABLED' });
    // A model without thresholds: a 200 that says nothing was refreshed, and why.
    const nothing = await api.post('/api/v1/models/activity/refresh', {});
    expect(nothing.status).toBe(200);
    expect(nothing.body).toMatchObject({ key: 'activity', enabled: true, refreshed: false, not_refreshed: { code: 'NO_THRESHOLDS', detail: expect.stringContaining('nothing to refresh'), detail_zh: expect.stringContaining('没有需要刷新的内容') } });
    expect((await api.del('/api/v1/models/rfm')).body.code).toBe('MODEL_NOT_ENABLED');
    await api.post('/api/v1/tags', { key: 'vip', name: '贵宾', values: [{ key: 'yes', name: '是' }] });
    expect((await api.call('PUT', '/api/v1/models/vip', { params: {} })).body).toMatchObject({ status: 409, code: 'MODEL_CONFLICT' });
    expect((await api.call('PUT', '/api/v1/models/vip', { params: {}, tag_key: 'vip level' })).body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect((await api.call('PUT', '/api/v1/models/vip', { params: {}, tagKey: 'vip_model' })).body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
  });

  it('gives a model\'s tag another key where the library has a tag of the model\'s key, and says whose tag it is', async () => {
    h.clock.set('2026-06-15T10:00:00Z');
    await api.post('/api/v1/tags', { key: 'vip', name: '贵宾', values: [{ key: 'yes', name: '是' }] });
    await api.post('/api/v1/events', { events: [order('E1', 'A', '2026-06-14T10:00:00Z', 6000)] });
    const enabled = await api.call('PUT', '/api/v1/models/vip', { params: {}, tag_key: 'vip_model' });
    expect(enabled.body).toMatchObject({ key: 'vip', enabled: true, tag_key: 'vip_model' });
    expect((await api.get('/api/v1/tags/vip_model')).body).toMatchObject({ kind: 'model', model: 'vip', customers: 1 });
    expect((await api.get('/api/v1/tags/vip')).body).toMatchObject({ kind: 'manual', model: null, customers: 0 });
    expect((await api.post('/api/v1/segments/count', { expression: 'vip_model = "VIP客户"' })).body.count).toBe(1);
    expect((await api.get('/api/v1/models/vip')).body).toMatchObject({ tag_key: 'vip_model' });
    // The library's own 贵宾 is held by nobody: governance names it as a manual tag; the model's tag would link to its model.
    const governance = await api.get('/api/v1/governance');
    expect(governance.body.unused_tags).toEqual(expect.arrayContaining([expect.objectContaining({ tag: 'vip', kind: 'manual', model: null })]));
  });
});
