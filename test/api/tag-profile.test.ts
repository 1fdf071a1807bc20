import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { useServer } from './support.js';

const stage = { key: 'stage', name: '服务阶段', values: [{ key: 'pre', name: '售前' }, { key: 'during', name: '售中' }, { key: 'after', name: '售后', color: '#52c41a' }] };

forEachStore('API: tag profile', (h) => {
  const api = useServer(h);

  async function customersWithOrders() {
    expect((await api.post('/api/v1/tags', stage)).status).toBe(201);
    await api.post('/api/v1/customers', { customers: ['C1', 'C2', 'C3', 'C4'].map((id) => ({ id, city: id === 'C2' ? '北京' : '上海' })) });
    const order = (customer_id: string, amount: number, n: number) => ({ id: `${customer_id}-${n}`, customer_id, type: 'order_paid', occurred_at: '2026-06-01T10:00:00Z', properties: { order_id: `${customer_id}-${n}`, amount } });
    expect((await api.post('/api/v1/events', { events: [order('C1', 100, 1), order('C1', 300, 2), order('C2', 50, 1), order('C3', 1000, 1)] })).status).toBe(200);
    await api.post('/api/v1/tags/stage/assign', { value: 'pre', customers: ['C1', 'C2'] });
    await api.post('/api/v1/tags/stage/assign', { value: 'after', customers: ['C3'] });
  }

  it('answers per value how many hold it and what their metrics add up to, beside the holders and everyone', async () => {
    await customersWithOrders();
    const reply = await api.get(`/api/v1/tags/${encodeURIComponent('服务阶段')}/profile?metrics=spend_total,${encodeURIComponent('累计订单数')}`);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      tag: { key: 'stage', name: '服务阶段', cardinality: 'single' },
      population: 4,
      metrics: [
        { key: 'spend_total', name: '累计消费额' },
        { key: 'orders_total', name: '累计订单数' },
      ],
    });
    expect(reply.body.values).toEqual([
      { key: 'pre', name: '售前', color: null, customers: 2, share: 0.5, metrics: { spend_total: { sum: 450, mean: 225, median: 225, p25: 137.5, p75: 312.5, customers: 2 }, orders_total: { sum: 3, mean: 1.5, median: 1.5, p25: 1.25, p75: 1.75, customers: 2 } } },
      { key: 'during', name: '售中', color: null, customers: 0, share: 0, metrics: { spend_total: { sum: 0, mean: null, median: null, p25: null, p75: null, customers: 0 }, orders_total: { sum: 0, mean: null, median: null, p25: null, p75: null, customers: 0 } } },
      { key: 'after', name: '售后', color: '#52c41a', customers: 1, share: 0.25, metrics: { spend_total: { sum: 1000, mean: 1000, median: 1000, p25: 1000, p75: 1000, customers: 1 }, orders_total: { sum: 1, mean: 1, median: 1, p25: 1, p75: 1, customers: 1 } } },
    ]);
    // Spend 50, 400 and 1000: the median is the middle one, the quartiles halfway to each side (as QUARTILE.INC); the mean is pulled up by 1000.
    expect(reply.body.holders).toEqual({
      customers: 3,
      share: 0.75,
      metrics: { spend_total: { sum: 1450, mean: 483.33, median: 400, p25: 225, p75: 700, customers: 3 }, orders_total: { sum: 4, mean: 1.33, median: 1, p25: 1, p75: 1.5, customers: 3 } },
    });
    // C4 never ordered: in everyone's count, without a value for the spend metrics.
    expect(reply.body.everyone).toMatchObject({ customers: 4, share: 1, metrics: { spend_total: { sum: 1450 } } });
    // Without metrics named, the RFM measures.
    expect(((await api.get('/api/v1/tags/stage/profile')).body.metrics as { key: string }[]).map((metric) => metric.key)).toEqual(['spend_365d', 'orders_365d', 'avg_order_value', 'days_since_last_order']);
  });

  it('narrows everyone to a saved segment or an expression', async () => {
    await customersWithOrders();
    expect((await api.post('/api/v1/segments', { key: 'sh', name: '上海客户', expression: 'city = "上海"' })).status).toBe(201);
    const bySegment = await api.get(`/api/v1/tags/stage/profile?metrics=spend_total&segment=${encodeURIComponent('上海客户')}`);
    expect(bySegment.body).toMatchObject({ within: { segment: 'sh', name: '上海客户' }, population: 3, everyone: { customers: 3, share: 1, metrics: { spend_total: { sum: 1400 } } }, holders: { customers: 2 } });
    expect((bySegment.body.values as { key: string; customers: number }[]).map((value) => [value.key, value.customers])).toEqual([
      ['pre', 1],
      ['during', 0],
      ['after', 1],
    ]);
    const byExpression = await api.get(`/api/v1/tags/stage/profile?metrics=spend_total&expression=${encodeURIComponent('city = "北京"')}`);
    expect(byExpression.body).toMatchObject({ within: { expression: 'city = "北京"' }, population: 1 });
    expect((byExpression.body.values as unknown[])[0]).toMatchObject({ key: 'pre', customers: 1, share: 1, metrics: { spend_total: { sum: 50, mean: 50 } } });
    expect((await api.get('/api/v1/tags/stage/profile')).body).toMatchObject({ within: null, population: 4 });
    expect((await api.get('/api/v1/tags/stage/profile?segment=nope')).body).toMatchObject({ code: 'SEGMENT_NOT_FOUND' });
    expect((await api.get(`/api/v1/tags/stage/profile?expression=${encodeURIComponent('city = ')}`)).body).toMatchObject({ status: 400, code: 'EXPRESSION_SYNTAX' });
    expect((await api.get(`/api/v1/tags/stage/profile?segment=sh&expression=${encodeURIComponent('city = "北京"')}`)).body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
  });

  it('follows a change at once, as counts do', async () => {
    await customersWithOrders();
    await api.post('/api/v1/tags/stage/assign', { value: 'during', customers: ['C1'] });
    const reply = await api.get('/api/v1/tags/stage/profile?metrics=spend_total');
    expect((reply.body.values as { key: string; customers: number; metrics: Record<string, { sum: number }> }[]).map((value) => [value.key, value.customers, value.metrics.spend_total?.sum])).toEqual([
      ['pre', 1, 50],
      ['during', 1, 400],
      ['after', 1, 1000],
    ]);
  });

  it('refuses unknown and non-number metrics, too many of them, and an unknown tag, in problem JSON', async () => {
    await customersWithOrders();
    const many = Array.from({ length: 13 }, (_, i) => ['spend_total', 'spend_30d', 'spend_90d', 'spend_365d', 'spend_this_year', 'orders_total', 'orders_30d', 'orders_90d', 'orders_365d', 'orders_this_year', 'avg_order_value', 'refunds_total', 'refund_rate'][i]).join(',');
    const problems: [string, string, number, string?][] = [
      ['/api/v1/tags/stage/profile?metrics=spend_totl', 'VALIDATION_FAILED', 400, 'spend_total'],
      ['/api/v1/tags/stage/profile?metrics=last_order_at', 'VALIDATION_FAILED', 400, '最近一次消费时间'],
      ['/api/v1/tags/stage/profile?metrics=preferred_category', 'VALIDATION_FAILED', 400],
      [`/api/v1/tags/stage/profile?metrics=${many}`, 'VALIDATION_FAILED', 400, '12'],
      ['/api/v1/tags/stag/profile', 'TAG_NOT_FOUND', 404],
    ];
    for (const [url, code, status, mention] of problems) {
      const reply = await api.get(url, { 'accept-language': 'zh-CN' });
      expect({ url, status: reply.status, code: reply.body.code }).toEqual({ url, status, code });
      if (mention) expect(String(reply.body.detail)).toContain(mention);
    }
  });
});
