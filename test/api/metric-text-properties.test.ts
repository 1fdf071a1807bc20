// A sum, mean, minimum or maximum reads numbers. Of a property declared text (a built-in event
// type's, an order's id, or a shop's own that a first or last metric types as text) it is refused
// when it is declared; of any other, the values that are not numbers are passed over.
import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { useServer } from './support.js';

forEachStore('API: sums and extremes of text properties', (h) => {
  const api = useServer(h);

  it('refuses a sum, mean, minimum or maximum of a property the workspace declares text, saying which metric declares it', async () => {
    const declared = await api.post('/api/v1/metrics', { key: 'last_room', name: '最近直播间', aggregation: 'last', event_type: 'live_entered', property: 'room', value_type: 'string' });
    expect(declared.status).toBe(201);
    for (const aggregation of ['sum', 'avg', 'min', 'max']) {
      const refused = await api.post('/api/v1/metrics', { key: `room_${aggregation}`, name: `直播间${aggregation}`, aggregation, event_type: 'live_entered', property: 'room' }, { 'accept-language': 'en' });
      expect(refused.body).toMatchObject({
        status: 400,
        code: 'VALIDATION_FAILED',
        detail: expect.stringContaining(`${aggregation} reads numbers, and room of live_entered is text (metric 最近直播间 (last_room) declares it so)`),
        errors: [expect.objectContaining({ path: 'property', pointer: '#/property' })],
      });
    }
    const zh = await api.post('/api/v1/metrics', { key: 'room_sum', name: '直播间合计', aggregation: 'sum', event_type: 'live_entered', property: 'room' }, { 'accept-language': 'zh-CN' });
    expect(zh.body.detail).toContain('sum 读取的是数值，而 live_entered 的 room 是文本（指标 最近直播间 (last_room) 如此声明）');
    // Another property of the type, and the same property of another type, are numbers as far as anyone said.
    expect((await api.post('/api/v1/metrics', { key: 'seconds_sum', name: '观看秒数', aggregation: 'sum', event_type: 'live_entered', property: 'seconds' })).status).toBe(201);
    expect((await api.post('/api/v1/metrics', { key: 'other_room_max', name: '其他直播间', aggregation: 'max', event_type: 'live_left', property: 'room' })).status).toBe(201);
    // A refund's paid order is an order's id: text, as the built-in types' text properties are.
    const paid = await api.post('/api/v1/metrics', { key: 'paid_ids', name: '已付订单号', aggregation: 'max', event_type: 'order_refunded', property: '@paid_order_id' }, { 'accept-language': 'en' });
    expect(paid.body).toMatchObject({ code: 'VALIDATION_FAILED', detail: expect.stringContaining('max reads numbers, and @paid_order_id of order_refunded is text') });
    expect((await api.post('/api/v1/metrics', { key: 'channel_max', name: '渠道', aggregation: 'max', event_type: 'order_paid', property: 'channel' })).body.code).toBe('VALIDATION_FAILED');
    const keys = ((await api.get('/api/v1/metrics')).body as { items: { key: string }[] }).items.map((metric) => metric.key);
    expect(keys.filter((key) => key.startsWith('room_') || key === 'paid_ids' || key === 'channel_max')).toEqual([]);
  });

  it('passes over the values that are not numbers, text that reads as one included, and gives no mean or extreme to a customer with none', async () => {
    for (const aggregation of ['sum', 'avg', 'min', 'max']) {
      expect((await api.post('/api/v1/metrics', { key: `gift_${aggregation}`, name: `礼物${aggregation}`, aggregation, event_type: 'live_gift', property: 'value' })).status).toBe(201);
      expect((await api.post('/api/v1/metrics', { key: `item_${aggregation}`, name: `礼物件${aggregation}`, aggregation, event_type: 'live_gift', property: 'items[].value' })).status).toBe(201);
    }
    const at = new Date(h.clock.now().getTime() - 3_600_000).toISOString();
    const gift = (id: string, customer: string, value: unknown, items: unknown[] = []) => ({ id, customer_id: customer, type: 'live_gift', occurred_at: at, properties: { value, items } });
    const sent = await api.post('/api/v1/events', {
      events: [
        gift('g1', 'G1', 10, [{ value: 4 }, { value: 'four' }, { value: '6' }]),
        gift('g2', 'G1', 'abc'),
        gift('g3', 'G1', '12.5'),
        gift('g4', 'G1', true),
        gift('g5', 'G1', 5, [{ value: 1.5 }, { value: null }]),
        gift('g6', 'G1', [7]),
        gift('g7', 'G1', { amount: 8 }),
        gift('g8', 'G2', '一朵花', [{ value: 'x' }]),
      ],
    });
    expect(sent.body).toMatchObject({ stored: 8 });
    const metrics = async (id: string) => ((await api.get(`/api/v1/customers/${id}`)).body as { metrics: { key: string; value: unknown }[] }).metrics.filter((metric) => /^(gift|item)_/.test(metric.key));
    const values = (list: { key: string; value: unknown }[]) => Object.fromEntries(list.map((metric) => [metric.key, metric.value]));
    expect(values(await metrics('G1'))).toEqual({ gift_sum: 15, gift_avg: 7.5, gift_min: 5, gift_max: 10, item_sum: 5.5, item_avg: 2.75, item_min: 1.5, item_max: 4 });
    // Nothing but text: a sum of nothing, 0, and no mean, minimum or maximum (never NaN).
    expect(values(await metrics('G2'))).toEqual({ gift_sum: 0, gift_avg: null, gift_min: null, gift_max: null, item_sum: 0, item_avg: null, item_min: null, item_max: null });
  });
});
