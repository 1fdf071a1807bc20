// A metric's `property` names with `@` the product's own attributes of an event (`@time`,
// `@hour_band`, `items[].@days_after_launch` …). Any other `@` name would read a property of that
// very name, which nothing sends, and leave the metric empty: it is refused when declared, while
// a store already holding such a metric still reads it.
import { expect } from 'vitest';
import { defineMetric } from '../../src/engine/metrics.js';
import { forEachStore, it } from '../support/stores.js';
import { useServer } from './support.js';

forEachStore('API: metric properties named with @', (h) => {
  const api = useServer(h);
  const metric = (key: string, aggregation: string, property: string, eventType = 'order_paid') => ({ key, name: `探针${key}`, aggregation, event_type: eventType, property });

  it('refuses an @ name that is none of the product’s attributes, listing them, in either language', async () => {
    const refused = await api.post('/api/v1/metrics', metric('zz', 'max', '@nope'), { 'accept-language': 'en' });
    expect(refused.body).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      detail: "The request is not valid: body property: @nope is none of the product's own attributes (@time, @one, @hour_band, @paid_order_id, and of a list's items LIST[].@days_after_launch); an event's own property is named without @",
      errors: [expect.objectContaining({ path: 'property', pointer: '#/property' })],
    });
    const zh = await api.post('/api/v1/metrics', metric('zz', 'max', '@nope'), { 'accept-language': 'zh-CN' });
    expect(zh.body.detail).toBe('请求无效：请求体 property：@nope 不是系统内置的属性（内置属性有 @time、@one、@hour_band、@paid_order_id，以及列表中每一项的 LIST[].@days_after_launch）；事件自带的属性请直接写名称，不加 @');
    // Of a list's items, only theirs; and a list is a property of the event, named without @.
    for (const [property, named] of [['items[].@time', '@time'], ['items[].@nope', '@nope'], ['@days_after_launch', '@days_after_launch'], ['@items[].price', '@items']] as const) {
      const body = (await api.post('/api/v1/metrics', metric('zz', 'max', property), { 'accept-language': 'en' })).body;
      expect(body, property).toMatchObject({ code: 'VALIDATION_FAILED', detail: expect.stringContaining(`body property: ${named} is none of the product's own attributes`) });
    }
    const keys = ((await api.get('/api/v1/metrics')).body as { items: { key: string }[] }).items.map((each) => each.key);
    expect(keys).not.toContain('zz');
  });

  it('takes the product’s attributes, and a name without @ as the property of that name', async () => {
    expect((await api.post('/api/v1/metrics', metric('last_time', 'max', '@time'))).status).toBe(201);
    expect((await api.post('/api/v1/metrics', metric('ordered', 'max', '@one'))).status).toBe(201);
    expect((await api.post('/api/v1/metrics', metric('band', 'most_frequent', '@hour_band'))).status).toBe(201);
    expect((await api.post('/api/v1/metrics', metric('launched', 'min', 'items[].@days_after_launch'))).status).toBe(201);
    expect((await api.post('/api/v1/metrics', metric('refunded_paid', 'distinct_count', '@paid_order_id', 'order_refunded'))).status).toBe(201);
    expect((await api.post('/api/v1/metrics', metric('tip_max', 'max', 'nope'))).status).toBe(201);
  });

  it('still reads a stored metric of such a name, declared before names were checked', async () => {
    await defineMetric(h.context(), { key: 'old_probe', name: '旧探针', formula: { kind: 'aggregate', aggregation: 'max', eventType: 'order_paid', property: '@nope', window: { kind: 'all' } } });
    await api.post('/api/v1/customers', { customers: [{ id: 'C1' }] });
    expect((await api.post('/api/v1/events', { events: [{ customer_id: 'C1', type: 'order_paid', occurred_at: h.clock.now().toISOString(), properties: { order_id: 'O1', amount: 10 } }] })).status).toBe(200);
    const listed = ((await api.get('/api/v1/metrics')).body as { items: { key: string; formula: { property?: string } }[] }).items.find((each) => each.key === 'old_probe');
    expect(listed?.formula.property).toBe('@nope');
    expect((await api.post('/api/v1/segments/count', { expression: 'old_probe exists' })).body).toMatchObject({ count: 0 });
    expect((await api.get('/api/v1/customers/C1')).status).toBe(200);
  });
});
