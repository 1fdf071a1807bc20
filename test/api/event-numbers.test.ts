// A number no amount reaches is refused at ingest, naming the property and the limit: a custom
// event's amount of 1e308, sent twice, summed past the float range, and the metric read null
// while the tags built on it stood.
import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { useServer } from './support.js';

forEachStore('API: numbers in event properties', (h) => {
  const api = useServer(h);
  const buy = (id: string, amount: number) => ({ id, customer_id: 'C1', type: 'big_buy', occurred_at: '2026-06-01T08:00:00Z', properties: { amount } });
  const summed = async () => ((await api.get('/api/v1/customers/C1')).body.metrics as { key: string; value: unknown }[]).find((metric) => metric.key === 'big_total')?.value;

  it('refuses a number beyond ±Number.MAX_SAFE_INTEGER, and sums the rest to a number', async () => {
    expect((await api.post('/api/v1/metrics', { key: 'big_total', name: '大额合计', aggregation: 'sum', event_type: 'big_buy', property: 'amount' })).status).toBe(201);
    const refused = await api.post('/api/v1/events', { events: [buy('a', 1e308), buy('b', 1e308), buy('c', 5)] });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([0, 1].map((index) => ({ index, code: 'EVENT_PROPERTIES_INVALID', path: 'properties.amount', pointer: `#/events/${index}/properties/amount`, message: expect.stringContaining('beyond ±9007199254740991') })));
    const chinese = await api.post('/api/v1/events', { events: [buy('a', -1e17)] }, { 'accept-language': 'zh-CN' });
    expect(chinese.body.detail).toContain('第 0 项 properties.amount：数值超出 ±9007199254740991');
    expect((await api.get('/api/v1/customers')).body.total).toBe(0);
    // At the limit, twice: past it as a sum, still a number (to float precision), never null.
    expect((await api.post('/api/v1/events', { events: [buy('d', Number.MAX_SAFE_INTEGER), buy('e', Number.MAX_SAFE_INTEGER)] })).status).toBe(200);
    expect(await summed()).toBe(2 * Number.MAX_SAFE_INTEGER);
  });
});
