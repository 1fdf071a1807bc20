import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { ensureRoleTokens, useServer } from './support.js';

forEachStore('API: a sum or average of personal data is masked as the value it adds up', (h) => {
  const api = useServer(h, { tokensReadEveryMs: 0 });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const tokens = { admin: '', operator: '', viewer: '' };

  const seed = async () => {
    await ensureRoleTokens(h, tokens);
    const admin = bearer(tokens.admin);
    expect((await api.post('/api/v1/customers', { customers: [{ id: 'C1', name: '张伟' }] }, admin)).status).toBe(200);
    // A phone sent as a JSON number: the sum or mean of one number, or of one number sent twice, is that number.
    const metrics = [
      { key: 'sum_receiver_phone', name: '收货手机之和', aggregation: 'sum', property: 'receiver_phone' },
      { key: 'avg_receiver_phone', name: '收货手机均值', aggregation: 'avg', property: 'receiver_phone' },
      { key: 'spend', name: '消费', aggregation: 'sum', property: 'amount' },
    ];
    for (const metric of metrics) expect((await api.post('/api/v1/metrics', { ...metric, event_type: 'order' }, admin)).status).toBe(201);
    const events = [{ id: 'E1', customer_id: 'C1', type: 'order', occurred_at: '2026-06-10T08:00:00Z', properties: { receiver_phone: 13912345678, amount: 13912345678 } }];
    expect((await api.post('/api/v1/events', { events }, admin)).status).toBe(200);
  };

  it('shows the roles that see personal data masked a sum or mean of a property named as personal data masked, and refuses ordering by it', async () => {
    await seed();
    for (const token of [tokens.operator, tokens.viewer]) {
      const portrait = await api.get('/api/v1/customers/C1', bearer(token));
      const metrics = Object.fromEntries((portrait.body.metrics as { key: string; value: unknown }[]).map((metric) => [metric.key, metric.value]));
      expect(metrics).toMatchObject({ sum_receiver_phone: '139****5678', avg_receiver_phone: '139****5678', spend: 13912345678 });
      const preview = await api.post('/api/v1/segments/preview?metrics=sum_receiver_phone,avg_receiver_phone,spend', { expression: 'spend > 0' }, bearer(token));
      expect((preview.body.items as { metrics: unknown }[])[0]?.metrics).toEqual({ sum_receiver_phone: '139****5678', avg_receiver_phone: '139****5678', spend: 13912345678 });
      for (const expression of ['sum_receiver_phone >= 13900000000', 'avg_receiver_phone between 13912345000 and 13912345999']) {
        const reply = await api.post('/api/v1/segments/count', { expression }, bearer(token));
        expect(reply.status, reply.text).toBe(403);
        expect(reply.body.code).toBe('PERSONAL_DATA_MASKED');
      }
      expect((await api.post('/api/v1/segments/preview?sort=-avg_receiver_phone', { expression: 'spend > 0' }, bearer(token))).body.code).toBe('PERSONAL_DATA_MASKED');
      // A sum of what no name calls personal data stays a number, compared as one.
      expect((await api.post('/api/v1/segments/count', { expression: 'spend >= 13900000000' }, bearer(token))).body.count).toBe(1);
    }
    const whole = await api.get('/api/v1/customers/C1', bearer(tokens.admin));
    expect((whole.body.metrics as { key: string; value: unknown }[]).find((metric) => metric.key === 'avg_receiver_phone')?.value).toBe(13912345678);
  });
});
