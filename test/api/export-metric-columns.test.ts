// The metric columns of an export: each metric asked for is one column, however often the
// request names it, so that the file's header holds every column once, as an import reads it.
import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { useServer } from './support.js';

forEachStore('API: export metric columns', (h) => {
  const api = useServer(h);

  it('writes a metric named twice, or by its key and its name, as one column, and logs it once', async () => {
    expect((await api.post('/api/v1/customers', { customers: [{ id: 'C1', city: '上海' }] })).status).toBe(200);
    expect((await api.post('/api/v1/segments', { key: 'sh', name: '上海', expression: 'city = "上海"' })).status).toBe(201);
    const metrics = encodeURIComponent('spend_365d,orders_total,spend_365d,近365天消费额');
    const csv = await api.get(`/api/v1/segments/sh/export?metrics=${metrics}`);
    expect(csv.status).toBe(200);
    expect(csv.text.split('\r\n')[0]).toBe('\uFEFFid,name,type,gender,city,member_level,phone,tags,random_bucket,has_phone,has_email,has_wechat,has_member_card,spend_365d,orders_total');
    const lines = await api.post(`/api/v1/segments/export?format=jsonl&metrics=${metrics}`, { expression: 'city = "上海"' });
    expect(Object.keys((JSON.parse(lines.text.split('\n')[0] ?? '') as { metrics: Record<string, unknown> }).metrics)).toEqual(['spend_365d', 'orders_total']);
    expect(((await api.get('/api/v1/exports?limit=2')).body.items as { metrics: string[] }[]).map((item) => item.metrics)).toEqual([
      ['spend_365d', 'orders_total'],
      ['spend_365d', 'orders_total'],
    ]);
    const page = await api.get(`/api/v1/segments/sh/members?metrics=${metrics}`);
    expect(Object.keys((page.body.items as { metrics: Record<string, unknown> }[])[0]?.metrics ?? {})).toEqual(['spend_365d', 'orders_total']);
  });
});
