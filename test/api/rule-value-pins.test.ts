// Over the API, with the index narrowing passes: a value given by hand on a multi-valued rule
// tag stays, while the rule keeps moving the tag's other values, and the preview counts it so.
import { expect } from 'vitest';
import { IndexRegistry } from '../../src/index/registry.js';
import { forEachStore, it } from '../support/stores.js';
import { useServer } from './support.js';

const order = (id: string, customer: string, amount: number) => ({ id, customer_id: customer, type: 'order_paid', occurred_at: '2026-06-01T08:00:00Z', properties: { order_id: id, amount } });

forEachStore('API: values given by hand on a multi-valued rule tag', (h) => {
  const api = useServer(h, { index: new IndexRegistry() });

  it('stay through events, a save of the rule and its preview, the rule moving the other values', async () => {
    const tag = {
      key: 'preference',
      name: '兴趣偏好',
      kind: 'rule',
      cardinality: 'multi',
      values: [
        { key: 'buyer', name: '已购', condition: 'orders_total >= 1' },
        { key: 'repeat', name: '复购', condition: 'orders_total >= 2' },
        { key: 'big', name: '大额', condition: 'spend_365d >= 1000' },
      ],
    };
    expect((await api.post('/api/v1/tags', tag)).status).toBe(201);
    await api.post('/api/v1/events', { events: [order('O1', 'P1', 100), order('O2', 'P2', 1200)] });
    const held = async (id: string) =>
      ((await api.get(`/api/v1/customers/${id}`)).body.tags as { tag: string; value: string; source: string }[])
        .filter((t) => t.tag === 'preference')
        .map((t) => `${t.value}:${t.source}`)
        .sort();
    expect((await api.post('/api/v1/customers/P1/tags', { tag: 'preference', value: 'big' })).body).toMatchObject({ added: 1 });
    expect(await held('P1')).toEqual(['big:api', 'buyer:rule']);
    await api.post('/api/v1/events', { events: [order('O3', 'P1', 100)] });
    expect(await held('P1')).toEqual(['big:api', 'buyer:rule', 'repeat:rule']);
    const preview = await api.post('/api/v1/tags/preview?replacing=preference', { ...tag, values: tag.values.map((v) => (v.key === 'buyer' ? { ...v, condition: 'spend_365d >= 1000' } : v)) });
    expect(preview.body).toEqual({
      customers: 2,
      values: [
        { key: 'buyer', name: '已购', customers: 1 },
        { key: 'repeat', name: '复购', customers: 1 },
        { key: 'big', name: '大额', customers: 2 },
      ],
    });
    expect((await api.patch('/api/v1/tags/preference/values/buyer', { condition: 'spend_365d >= 1000' })).status).toBe(200);
    expect(await held('P1')).toEqual(['big:api', 'repeat:rule']);
    expect(await held('P2')).toEqual(['big:rule', 'buyer:rule']);
  });
});
