import { expect } from 'vitest';
import { MAX_BROWSED_ROWS } from '../../src/core/access.js';
import { createAccessToken } from '../../src/engine/access-tokens.js';
import { forEachStore, it } from '../support/stores.js';
import { useServer, type Reply } from './support.js';

forEachStore('API: a role without the export permission reads the first customers of a list, not all of them', (h) => {
  const api = useServer(h, { tokensReadEveryMs: 0 });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const tokens = { admin: '', operator: '', viewer: '' };
  const customers = 130;

  const seed = async () => {
    if (tokens.admin === '') {
      tokens.admin = (await createAccessToken(h.store(), { name: '管理员', role: 'admin' }, h.clock.now())).token;
      tokens.operator = (await createAccessToken(h.store(), { name: '导购', role: 'operator' }, h.clock.now())).token;
      tokens.viewer = (await createAccessToken(h.store(), { name: '分析', role: 'viewer' }, h.clock.now())).token;
    }
    const rows = Array.from({ length: customers }, (_, i) => ({ id: `C${String(i + 1).padStart(3, '0')}`, name: `客户${String(i + 1)}`, city: '上海' }));
    expect((await api.post('/api/v1/customers', { customers: rows }, bearer(tokens.admin))).status).toBe(200);
    expect((await api.post('/api/v1/segments', { key: 'shanghai', name: '上海客户', expression: 'city = "上海"' }, bearer(tokens.admin))).status).toBe(201);
  };
  const refused = (reply: Reply, path: 'offset' | 'cursor' | 'limit') => {
    expect(reply.status, reply.text).toBe(403);
    expect(reply.body).toMatchObject({ status: 403, code: 'BROWSING_NEEDS_EXPORT', errors: [{ code: 'BROWSING_NEEDS_EXPORT', path }] });
  };

  it('answers a viewer the first 100 members of a segment, an expression or the customer list, and refuses paging past them', async () => {
    await seed();
    const viewer = bearer(tokens.viewer);
    expect(MAX_BROWSED_ROWS).toBe(100);
    // The first pages, for orientation, with the whole count.
    const first = await api.get('/api/v1/segments/shanghai/members?limit=100', viewer);
    expect(first.body).toMatchObject({ total: customers, offset: 0, limit: 100 });
    expect(first.body.items).toHaveLength(100);
    expect((await api.get('/api/v1/segments/shanghai/members?offset=80&limit=20', viewer)).body.items).toHaveLength(20);
    expect((await api.get('/api/v1/segments/shanghai', viewer)).body.count).toBe(customers);
    expect((await api.get('/api/v1/segments/shanghai/insight', viewer)).status).toBe(200);
    // Past them: refused, on every list of customers.
    refused(await api.get('/api/v1/segments/shanghai/members?offset=100&limit=20', viewer), 'offset');
    refused(await api.get('/api/v1/segments/shanghai/members?offset=90&limit=20', viewer), 'offset');
    refused(await api.post('/api/v1/segments/preview?offset=100', { expression: 'city = "上海"' }, viewer), 'offset');
    refused(await api.get('/api/v1/customers?offset=100&limit=20', viewer), 'offset');
    const listed = await api.get('/api/v1/customers?limit=100', viewer);
    expect(listed.body.items).toHaveLength(100);
    // No cursor is offered that could only be refused; one had elsewhere (an operator's page) is refused.
    expect(listed.body.next_cursor).toBeNull();
    const operatorsPage = await api.get('/api/v1/customers?limit=100', bearer(tokens.operator));
    expect(operatorsPage.body.next_cursor).toEqual(expect.any(String));
    const cursor = encodeURIComponent(String(operatorsPage.body.next_cursor));
    refused(await api.get(`/api/v1/customers?cursor=${cursor}&limit=20`, viewer), 'cursor');
    // Said in both languages.
    const en = await api.get('/api/v1/segments/shanghai/members?offset=100', viewer);
    expect(en.body.detail).toBe(
      'The viewer role reads the first 100 customers of a list, to see who is in it; rows 101 to 120 would go further, which is an export and needs the export permission. Count, use insight, or narrow the list with a search or a filter.',
    );
    const zh = await api.get('/api/v1/segments/shanghai/members?offset=100', { ...viewer, 'accept-language': 'zh-CN' });
    expect(zh.body).toMatchObject({ title: '继续翻页需要导出权限' });
    expect(zh.body.detail).toContain('「只读」角色只能查看列表中的前 100 位客户');
    // Roles that may export page on.
    for (const token of [tokens.operator, tokens.admin]) {
      expect((await api.get('/api/v1/segments/shanghai/members?offset=120&limit=20', bearer(token))).body.items).toHaveLength(10);
      expect((await api.post('/api/v1/segments/preview?offset=100', { expression: 'city = "上海"' }, bearer(token))).body.items).toHaveLength(20);
      expect((await api.get(`/api/v1/customers?cursor=${cursor}&limit=20`, bearer(token))).body.items).toHaveLength(20);
    }
  });

  it('caps a viewer\'s care reminders and recent tag changes alike: the first 100, refused past them', async () => {
    await seed();
    const admin = bearer(tokens.admin);
    const viewer = bearer(tokens.viewer);
    // A reminder due for every customer, and a tag change of every customer.
    expect((await api.post('/api/v1/care/plans', { key: 'thanks', name: '购后感谢', trigger: { kind: 'event', event_type: 'order_paid' }, steps: [{ after: '0', message: '{name}，感谢购买' }] }, admin)).status).toBe(201);
    const at = h.clock.now().toISOString();
    const events = Array.from({ length: customers }, (_, i) => ({ id: `o${String(i)}`, customer_id: `C${String(i + 1).padStart(3, '0')}`, type: 'order_paid', occurred_at: at, properties: { order_id: `O${String(i)}`, amount: 10 } }));
    expect((await api.post('/api/v1/events', { events }, admin)).status).toBe(200);
    expect((await api.post('/api/v1/care/run', {}, admin)).body).toMatchObject({ due: customers });
    expect((await api.post('/api/v1/tags', { key: 'stage', name: '服务阶段', values: [{ key: 'pre', name: '售前' }] }, admin)).status).toBe(201);
    expect((await api.post('/api/v1/tags/stage/assign', { value: 'pre', customers: events.map((event) => event.customer_id) }, admin)).status).toBe(200);

    // The first 100 reminders, with the whole count.
    const first = await api.get('/api/v1/care/reminders?limit=100', viewer);
    expect(first.body).toMatchObject({ total: customers });
    expect(first.body.items).toHaveLength(100);
    expect((await api.get('/api/v1/care/reminders?offset=80&limit=20', viewer)).body.items).toHaveLength(20);
    refused(await api.get('/api/v1/care/reminders?offset=100&limit=20', viewer), 'offset');
    refused(await api.get('/api/v1/care/reminders?offset=90&limit=20', viewer), 'offset');
    refused(await api.get('/api/v1/care/reminders?limit=500', viewer), 'offset');
    const zh = await api.get('/api/v1/care/reminders?offset=100', { ...viewer, 'accept-language': 'zh-CN' });
    expect(zh.body).toMatchObject({ code: 'BROWSING_NEEDS_EXPORT', title: '继续翻页需要导出权限' });
    // The newest 100 tag changes; more is refused, placed at limit (the list takes no offset).
    expect((await api.get('/api/v1/history?limit=100', viewer)).body.items).toHaveLength(100);
    refused(await api.get('/api/v1/history?limit=101', viewer), 'limit');
    const en = await api.get('/api/v1/history?limit=500', viewer);
    expect(en.body.detail).toContain('The viewer role reads the first 100 customers of a list');
    // Roles that may export read on.
    for (const token of [tokens.operator, tokens.admin]) {
      expect((await api.get('/api/v1/care/reminders?offset=120&limit=20', bearer(token))).body.items).toHaveLength(10);
      expect((await api.get('/api/v1/care/reminders?limit=500', bearer(token))).body.items).toHaveLength(customers);
      expect((await api.get('/api/v1/history?limit=500', bearer(token))).body.items).toHaveLength(customers);
    }
  });
});
