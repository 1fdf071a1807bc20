import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { ensureRoleTokens, useServer, type Reply } from './support.js';

forEachStore('API: a role that sees personal data masked cannot gather it through saved segments', (h) => {
  const api = useServer(h, { tokensReadEveryMs: 0 });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const tokens = { admin: '', operator: '', viewer: '' };
  const phones = (from: number, count: number) => Array.from({ length: count }, (_, i) => `"139000000${String(from + i).padStart(2, '0')}"`);
  const lookup = (values: string[]) => `last_receiver_phone in (${values.join(', ')})`;

  const seed = async () => {
    await ensureRoleTokens(h, tokens);
    const admin = bearer(tokens.admin);
    expect((await api.post('/api/v1/customers', { customers: [{ id: 'C1', name: '张伟', city: '上海' }] }, admin)).status).toBe(200);
    const metrics = [
      { key: 'last_receiver_phone', name: '最近收货手机', aggregation: 'last', property: 'receiver_phone' },
      { key: 'usual_address', name: '常用收货地址', aggregation: 'most_frequent', property: '收货地址' },
      { key: 'mobile_number', name: '手机号码', aggregation: 'last', property: 'mobile', value_type: 'number' },
    ];
    for (const metric of metrics) expect((await api.post('/api/v1/metrics', { ...metric, event_type: 'order' }, admin)).status).toBe(201);
    const properties = { receiver_phone: '13900000001', 收货地址: '浙江省杭州市西湖区文三路 100 号', mobile: 13900000001 };
    expect((await api.post('/api/v1/events', { events: [{ id: 'E1', customer_id: 'C1', type: 'order', occurred_at: '2026-06-10T08:00:00Z', properties }] }, admin)).status).toBe(200);
  };
  const count = (expression: string, token: string) => api.post('/api/v1/segments/count', { expression }, bearer(token));
  const refusedThrough = (reply: Reply, segments: string[], column: number) => {
    expect(reply.status, reply.text).toBe(403);
    expect(reply.body).toMatchObject({ code: 'PERSONAL_DATA_MASKED', errors: [{ code: 'PERSONAL_DATA_MASKED', path: 'expression', line: 1, column, params: segments.length > 0 ? { segments } : { metric: 'last_receiver_phone' } }] });
    if (segments.length === 0) expect(reply.body.errors?.[0]).not.toHaveProperty('params.segments');
  };

  it('counts the whole values of the segments a masked role saved as the expression reading them does, at any depth', async () => {
    await seed();
    const operator = bearer(tokens.operator);
    // Five numbers a segment is a lookup; each is saved.
    expect((await api.post('/api/v1/segments', { key: 'batch_a', name: '批次甲', expression: lookup(phones(1, 5)) }, operator)).status).toBe(201);
    expect((await api.post('/api/v1/segments', { key: 'batch_b', name: '批次乙', expression: lookup(phones(6, 5)) }, operator)).status).toBe(201);
    for (const token of [tokens.operator, tokens.viewer]) {
      expect((await count('segment("batch_a")', token)).body.count).toBe(1);
      // Together they are a sweep of ten, refused where the second is read.
      const both = await count('segment("batch_a") or segment("批次乙")', token);
      refusedThrough(both, ['batch_b'], 23);
      expect(both.body.detail).toMatch(/^line 1, column 23: read through segment "批次乙" \(batch_b\), whose expression a role that sees personal data masked saved/);
      refusedThrough(await count('segment("batch_a") and last_receiver_phone = "13912345678"', token), [], 24);
    }
    // Nor saved as a third segment, nor read through one an administrator saved over them.
    refusedThrough(await api.post('/api/v1/segments', { key: 'both', name: '两批', expression: 'segment("batch_a") or segment("batch_b")' }, operator), ['batch_b'], 23);
    expect((await api.post('/api/v1/segments', { key: 'wrapper', name: '合并', expression: 'segment("batch_a") or segment("batch_b")' }, bearer(tokens.admin))).status).toBe(201);
    refusedThrough(await count('city = "上海" and segment("wrapper")', tokens.viewer), ['wrapper', 'batch_b'], 17);
    // A rule tag's condition is held to it as well.
    const rule = { key: 'gathered', name: '汇总', kind: 'rule', values: [{ key: 'yes', name: '是', condition: 'segment("batch_a") or segment("batch_b")' }] };
    expect((await api.post('/api/v1/tags', rule, operator)).body).toMatchObject({ code: 'PERSONAL_DATA_MASKED', errors: [{ params: { segments: ['batch_b'] } }] });
    // An administrator saving a segment again vouches for it: then it is the administrator's asking.
    expect((await api.patch('/api/v1/segments/batch_b', { expression: lookup(phones(6, 5)) }, bearer(tokens.admin))).status).toBe(200);
    expect((await count('segment("batch_a") or segment("batch_b")', tokens.operator)).body.count).toBe(1);
    // A masked role writing it anew answers for it again.
    expect((await api.patch('/api/v1/segments/batch_b', { expression: lookup(phones(7, 5)) }, operator)).status).toBe(200);
    refusedThrough(await count('segment("batch_a") or segment("batch_b")', tokens.operator), ['batch_b'], 23);
  });

  it('lets a masked role read an administrator\'s segment by name, shown with its personal data masked, and reads one saved before its author was recorded as a masked role\'s', async () => {
    await seed();
    const admin = bearer(tokens.admin);
    const blocked = `${lookup(phones(1, 8))} or usual_address = "浙江省杭州市西湖区文三路 100 号" or mobile_number = 13912345678`;
    expect((await api.post('/api/v1/segments', { key: 'blocked', name: '黑名单', expression: blocked }, admin)).status).toBe(201);
    expect((await api.post('/api/v1/segments', { key: 'high', name: '号段', expression: 'mobile_number >= 13850000000' }, admin)).status).toBe(201);
    const shown = 'last_receiver_phone in ("139****0001", "139****0002", "139****0003", "139****0004", "139****0005", "139****0006", "139****0007", "139****0008") or usual_address = "浙江省杭州市****" or mobile_number = "139****5678"';
    for (const token of [tokens.operator, tokens.viewer]) {
      const as = bearer(token);
      expect((await count('segment("黑名单") and city = "上海"', token)).body.count).toBe(1);
      expect((await count('segment("high")', token)).body.count).toBe(1);
      const one = await api.get('/api/v1/segments/blocked', as);
      expect(one.body).toMatchObject({ expression: shown, count: 1 });
      const list = await api.get('/api/v1/segments', as);
      for (const hidden of ['13900000001', '文三路', '13912345678']) {
        expect(one.text).not.toContain(hidden);
        expect(list.text).not.toContain(hidden);
      }
    }
    expect((await api.get('/api/v1/segments/blocked', admin)).body.expression).toBe(blocked);
    // The form sends back what it was shown: a rename keeps the expression as written.
    const operator = bearer(tokens.operator);
    expect((await api.patch('/api/v1/segments/blocked', { name: '黑名单（门店）', expression: shown }, operator)).status).toBe(200);
    expect((await api.get('/api/v1/segments/blocked', admin)).body).toMatchObject({ name: '黑名单（门店）', expression: blocked });
    // A change that keeps a masked value would save the mask: refused, saying so.
    const kept = await api.patch('/api/v1/segments/blocked', { expression: `(${shown}) and city = "上海"` }, operator);
    expect(kept.body).toMatchObject({ status: 403, code: 'PERSONAL_DATA_MASKED', errors: [{ path: 'expression' }] });
    expect((await api.get('/api/v1/segments/blocked', admin)).body.expression).toBe(blocked);
    // A snapshot keeps the expression whole and shows it masked.
    const snapshot = await api.post('/api/v1/segments/blocked/snapshots', {}, operator);
    expect(snapshot.body).toMatchObject({ expression: shown, members: 1 });
    expect((await api.get('/api/v1/segments/blocked/snapshots', admin)).body.items).toEqual([expect.objectContaining({ expression: blocked })]);
    // Saved before whoever saved it was recorded: read as a masked role's until an administrator saves it again.
    await h.store().db.updateTable('segments').set({ expression_view: null }).where('workspace_id', '=', h.context().workspaceId).where('key', '=', 'high').execute();
    refusedThrough(await count('segment("high")', tokens.operator), ['high'], 1);
    expect((await api.patch('/api/v1/segments/high', { expression: 'mobile_number >= 13850000000' }, admin)).status).toBe(200);
    expect((await count('segment("high")', tokens.operator)).body.count).toBe(1);
  });
});
