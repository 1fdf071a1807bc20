import { expect } from 'vitest';
import readWorkbook from 'read-excel-file/universal';
import { createAccessToken, revokeAccessToken } from '../../src/engine/access-tokens.js';
import { forEachStore, it } from '../support/stores.js';
import { useServer, type Reply } from './support.js';

forEachStore('API: access by role', (h) => {
  // Tokens are read again on every request here, so each step sees the tokens made before it.
  const api = useServer(h, { tokensReadEveryMs: 0 });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  let admin = '';
  let operator = '';
  let viewer = '';
  // Each test has a workspace of its own; tokens belong to the server and outlive it.
  const seed = async (token?: string) => {
    const headers = token ? bearer(token) : {};
    expect((await api.post('/api/v1/customers', { customers: [{ id: 'C1', name: '张伟', city: '上海', identities: [{ kind: 'phone', value: '13812345678' }, { kind: 'email', value: 'zhang.wei@example.com' }] }] }, headers)).status).toBe(200);
    expect((await api.post('/api/v1/tags', { key: 'stage', name: '服务阶段', values: [{ key: 'pre', name: '售前' }] }, headers)).status).toBe(201);
  };

  it('is open until the first token exists, acting as the actor header names', async () => {
    expect((await api.get('/api/v1/session')).body).toEqual({ auth_required: false, authenticated: false, name: null, workspaces: null, role: 'admin', permissions: ['read', 'write', 'export', 'admin'], personal_data: 'full' });
    await seed();
    const portrait = await api.get('/api/v1/customers/C1');
    expect(portrait.body.identities).toEqual([{ kind: 'email', value: 'zhang.wei@example.com' }, { kind: 'phone', value: '13812345678' }]);
  });

  it('asks every API call for a token once one exists, but still serves the session, the API description and the health check', async () => {
    admin = (await createAccessToken(h.store(), { name: '管理员-李娜', role: 'admin' }, h.clock.now())).token;
    operator = (await createAccessToken(h.store(), { name: '导购-王芳', role: 'operator' }, h.clock.now())).token;
    viewer = (await createAccessToken(h.store(), { name: '分析-小陈', role: 'viewer' }, h.clock.now())).token;
    await seed(admin);
    const refused = await api.get('/api/v1/customers/C1');
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ status: 401, code: 'AUTH_REQUIRED' });
    expect(refused.headers['www-authenticate']).toBe('Bearer realm="tagbase"');
    expect(JSON.stringify(refused.body)).not.toContain('13812345678');
    expect((await api.post('/api/v1/events', { events: [] })).status).toBe(401);
    expect((await api.get('/api/v1/session')).body).toEqual({ auth_required: true, authenticated: false, name: null, workspaces: null, role: null, permissions: [], personal_data: 'masked' });
    expect((await api.get('/api/v1/openapi.json')).status).toBe(200);
    expect((await api.get('/healthz')).status).toBe(200);
  });

  it('refuses a token it does not know, in the request language, and a malformed header', async () => {
    await seed(admin);
    const wrong = await api.get('/api/v1/customers/C1', { ...bearer('tb_not-a-token'), 'accept-language': 'zh-CN' });
    expect(wrong.body).toMatchObject({ status: 401, code: 'AUTH_INVALID' });
    expect(wrong.body.detail).toBe('访问令牌无效或已被吊销；请向管理员申请新的令牌。');
    expect((await api.get('/api/v1/session', bearer('tb_not-a-token'))).body).toMatchObject({ code: 'AUTH_INVALID', detail: 'The access token is not valid or has been revoked; ask an administrator for a new one.' });
    // A header of another form is no verdict on the token: the holder is told how to send it.
    for (const authorization of ['Basic dXNlcjpwYXNz', admin]) {
      const malformed = await api.get('/api/v1/customers/C1', { authorization });
      expect(malformed.body).toMatchObject({ code: 'AUTH_INVALID', detail: 'The access token is sent as Authorization: Bearer <token>, and this Authorization header is not of that form.' });
      expect((await api.get('/api/v1/customers/C1', { authorization, 'accept-language': 'zh-CN' })).body.detail).toBe('访问令牌须以 Authorization: Bearer <令牌> 发送，此 Authorization 请求头不是这种形式。');
    }
  });

  it('shows an administrator identifiers whole and everyone else masked, in portraits, lists, lookups and exports', async () => {
    await seed(admin);
    expect((await api.get('/api/v1/customers/C1', bearer(admin))).body.identities).toEqual([{ kind: 'email', value: 'zhang.wei@example.com' }, { kind: 'phone', value: '13812345678' }]);
    for (const token of [operator, viewer]) {
      const portrait = await api.get('/api/v1/customers/C1', bearer(token));
      expect(portrait.body.identities).toEqual([{ kind: 'email', value: 'z***@example.com' }, { kind: 'phone', value: '138****5678' }]);
      expect(portrait.body.name).toBe('张伟');
      const list = await api.get('/api/v1/customers?q=13812345678', bearer(token));
      expect(list.body.items).toEqual([expect.objectContaining({ id: 'C1', identities: [{ kind: 'email', value: 'z***@example.com' }, { kind: 'phone', value: '138****5678' }] })]);
      expect(JSON.stringify((await api.get('/api/v1/customers/lookup?kind=phone&value=13812345678', bearer(token))).body)).not.toContain('13812345678');
    }
    const exported = await api.post('/api/v1/segments/export?format=csv', { expression: 'city = "上海"' }, bearer(operator));
    expect(exported.status).toBe(200);
    expect(exported.text).toContain('138****5678');
    expect(exported.text).not.toContain('13812345678');
    expect((await api.post('/api/v1/segments/export?format=csv', { expression: 'city = "上海"' }, bearer(admin))).text).toContain('13812345678');
  });

  it('masks the personal data written into an event\'s properties for the roles that see identifiers masked, in the portrait\'s events', async () => {
    await seed(admin);
    const properties = {
      order_id: 'O-20261205-001',
      amount: 128.5,
      receiver_phone: '13912345678',
      address: '浙江省杭州市西湖区文三路 100 号',
      email: 'hui@126.com',
      receiver: { 手机: '+86 137-0000-1111', 身份证: '11010519491231002X', backup: [{ tel: 13600002222 }] },
      note: '周末送货，改送 h.li@qq.com 或 +852 9123 4567',
    };
    const sent = await api.post('/api/v1/events', { events: [{ id: 'E1', customer_id: 'C1', type: 'order', occurred_at: '2026-06-10T08:00:00Z', properties }] }, bearer(admin));
    expect(sent.status).toBe(200);
    const propertiesSeen = (body: Record<string, unknown>) => (body.recent_events as { properties: unknown }[])[0]?.properties;
    expect(propertiesSeen((await api.get('/api/v1/customers/C1', bearer(admin))).body)).toEqual(properties);
    for (const token of [operator, viewer]) {
      const portrait = await api.get('/api/v1/customers/C1?events=5', bearer(token));
      expect(propertiesSeen(portrait.body)).toEqual({
        order_id: 'O-20261205-001',
        amount: 128.5,
        receiver_phone: '139****5678',
        address: '浙江省杭州市****',
        email: 'h***@126.com',
        receiver: { 手机: '137****1111', 身份证: '1101****002X', backup: [{ tel: '136****2222' }] },
        note: '周末送货，改送 h***@qq.com 或 +852****4567',
      });
      // Nowhere in the answer, so the console never has them.
      for (const whole of ['13912345678', '文三路', 'hui@126.com', '11010519491231002X', '13600002222', '9123 4567']) expect(portrait.text).not.toContain(whole);
    }
  });

  it('masks a metric\'s value picked from an event\'s property as the event\'s properties are, in portraits, member lists and exports', async () => {
    await seed(admin);
    const metrics = [
      { key: 'last_receiver_phone', name: '最近收货手机', aggregation: 'last', property: 'receiver_phone' },
      { key: 'usual_address', name: '常用收货地址', aggregation: 'most_frequent', property: '收货地址' },
      { key: 'first_note', name: '首单备注', aggregation: 'first', property: 'note' },
      { key: 'order_amount', name: '订单金额合计', aggregation: 'sum', property: 'amount' },
    ];
    for (const metric of metrics) expect((await api.post('/api/v1/metrics', { ...metric, event_type: 'order' }, bearer(admin))).status).toBe(201);
    const properties = { amount: 13912345678, receiver_phone: '13912345678', 收货地址: '浙江省杭州市西湖区文三路 100 号', note: '改送 h.li@qq.com' };
    expect((await api.post('/api/v1/events', { events: [{ id: 'E1', customer_id: 'C1', type: 'order', occurred_at: '2026-06-10T08:00:00Z', properties }] }, bearer(admin))).status).toBe(200);
    const whole = { last_receiver_phone: '13912345678', usual_address: '浙江省杭州市西湖区文三路 100 号', first_note: '改送 h.li@qq.com', order_amount: 13912345678 };
    const masked = { last_receiver_phone: '139****5678', usual_address: '浙江省杭州市****', first_note: '改送 h***@qq.com', order_amount: 13912345678 };
    const metricsSeen = (body: Record<string, unknown>) => Object.fromEntries((body.metrics as { key: string; value: unknown }[]).filter((metric) => metric.key in whole).map((metric) => [metric.key, metric.value]));
    const keys = Object.keys(whole).join(',');
    const members = (token: string) => api.post(`/api/v1/segments/preview?metrics=${keys}`, { expression: 'city = "上海"' }, bearer(token));
    const rowMetrics = (body: Record<string, unknown>) => (body.items as { metrics: unknown }[])[0]?.metrics;
    expect(metricsSeen((await api.get('/api/v1/customers/C1', bearer(admin))).body)).toEqual(whole);
    expect(rowMetrics((await members(admin)).body)).toEqual(whole);
    expect((await api.post(`/api/v1/segments/export?format=csv&metrics=${keys}`, { expression: 'city = "上海"' }, bearer(admin))).text).toContain('13912345678,浙江省杭州市西湖区文三路 100 号,改送 h.li@qq.com,13912345678');
    for (const token of [operator, viewer]) {
      const portrait = await api.get('/api/v1/customers/C1', bearer(token));
      expect(metricsSeen(portrait.body)).toEqual(masked);
      const page = await members(token);
      expect(rowMetrics(page.body)).toEqual(masked);
      for (const text of [portrait.text, page.text]) for (const hidden of ['"13912345678"', '文三路', 'h.li@qq.com']) expect(text).not.toContain(hidden);
    }
    const csv = (await api.post(`/api/v1/segments/export?format=csv&metrics=${keys}`, { expression: 'city = "上海"' }, bearer(operator))).text;
    expect(csv).toContain('139****5678,浙江省杭州市****,改送 h***@qq.com,13912345678');
    const jsonl = (await api.post(`/api/v1/segments/export?format=jsonl&metrics=${keys}`, { expression: 'city = "上海"' }, bearer(operator))).text;
    expect((JSON.parse(jsonl.trim()) as { metrics: unknown }).metrics).toEqual(masked);
    for (const text of [csv, jsonl]) for (const hidden of ['"13912345678"', ',13912345678,', '文三路', 'h.li@qq.com']) expect(text).not.toContain(hidden);
    const workbook = (await api.post(`/api/v1/segments/export?format=xlsx&metrics=${keys}`, { expression: 'city = "上海"' }, bearer(operator))).bytes;
    const [sheet] = await readWorkbook(workbook.buffer.slice(workbook.byteOffset, workbook.byteOffset + workbook.byteLength) as ArrayBuffer);
    expect(sheet?.data[1]?.slice(-4)).toEqual(['139****5678', '浙江省杭州市****', '改送 h***@qq.com', 13912345678]);
  });

  it('refuses identifiers sent back as a masked role sees them, rather than storing the mask as the customer\'s own', async () => {
    await seed(admin);
    const seen = (await api.get('/api/v1/customers/C1', bearer(operator))).body.identities as { kind: string; value: string }[];
    const sentBack = await api.post('/api/v1/customers', { customers: [{ id: 'C2', identities: [...seen, { kind: 'wechat_openid', value: 'oX1b****8I9j' }, { kind: 'member_card', value: '****5678' }] }] }, { ...bearer(operator), 'accept-language': 'zh-CN' });
    expect(sentBack.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect(sentBack.body.errors?.map((error) => error.path)).toEqual(['identities.0', 'identities.1', 'identities.2', 'identities.3']);
    expect(sentBack.body.errors?.[0]?.message).toBe('「z***@example.com」是打码后的邮箱（不能查看完整标识的角色看到的样子）；请发送完整的邮箱，或不发送此项');
    expect((await api.get('/api/v1/customers/C2', bearer(admin))).body.code).toBe('CUSTOMER_NOT_FOUND');
    // The whole identifier still goes in.
    expect((await api.post('/api/v1/customers', { customers: [{ id: 'C2', identities: [{ kind: 'email', value: 'li.lei@example.com' }] }] }, bearer(operator))).status).toBe(200);
  });

  it('records what a token does under its name, whatever the actor header says', async () => {
    await seed(admin);
    const tagged = await api.post('/api/v1/customers/C1/tags', { tag: 'stage', value: 'pre' }, { ...bearer(operator), 'x-tagbase-actor': encodeURIComponent('冒名-某人') });
    expect(tagged.status).toBeLessThan(300);
    const history = await api.get('/api/v1/customers/C1/history', bearer(viewer));
    expect(history.body.items).toEqual([expect.objectContaining({ actor: '导购-王芳' })]);
    await api.post('/api/v1/segments/export?format=csv', { expression: 'city = "上海"' }, { ...bearer(operator), 'x-tagbase-actor': encodeURIComponent('冒名-某人') });
    expect((await api.get('/api/v1/exports', bearer(admin))).body.items).toEqual([expect.objectContaining({ actor: '导购-王芳', rows: 1 })]);
  });

  it('lets each role do what it may and refuses the rest with 403, changing nothing', async () => {
    await seed(admin);
    const session = await api.get('/api/v1/session', bearer(viewer));
    expect(session.body).toEqual({ auth_required: true, authenticated: true, name: '分析-小陈', workspaces: null, role: 'viewer', permissions: ['read'], personal_data: 'masked' });
    // A viewer reads and counts, and changes nothing.
    expect((await api.post('/api/v1/segments/count', { expression: 'city = "上海"' }, bearer(viewer))).body).toMatchObject({ count: 1 });
    expect((await api.post('/api/v1/segments/insight', { expression: 'city = "上海"' }, bearer(viewer))).body).toMatchObject({ members: 1 });
    const write = await api.post('/api/v1/customers', { customers: [{ id: 'C2' }] }, { ...bearer(viewer), 'accept-language': 'en' });
    expect(write.body).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    // The role named as English names it mid-sentence, and as Chinese does.
    expect(String(write.body.detail)).toBe('The viewer role may not change data.');
    expect((await api.post('/api/v1/customers', { customers: [{ id: 'C2' }] }, { ...bearer(viewer), 'accept-language': 'zh-CN' })).body.detail).toBe('「只读」角色不能修改数据。');
    expect((await api.post('/api/v1/segments/export?format=csv', { expression: 'city = "上海"' }, bearer(viewer))).body.code).toBe('FORBIDDEN');
    // An operator changes data and exports, but erasure, its log, the export log and webhooks are for administrators.
    expect((await api.post('/api/v1/customers', { customers: [{ id: 'C2', name: '李雷' }] }, bearer(operator))).status).toBe(200);
    const erase = await api.del('/api/v1/customers/C2', { ...bearer(operator), 'accept-language': 'zh-CN' });
    expect(erase.body).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect(String(erase.body.detail)).toContain('运营');
    for (const url of ['/api/v1/erasures', '/api/v1/exports', '/api/v1/webhooks']) expect((await api.get(url, bearer(operator))).body.code).toBe('FORBIDDEN');
    expect((await api.post('/api/v1/webhooks', { url: 'https://crm.example.com/hook' }, bearer(operator))).body.code).toBe('FORBIDDEN');
    expect((await api.post('/api/v1/workspaces', { key: 'other', name: '别的' }, bearer(operator))).body.code).toBe('FORBIDDEN');
    expect((await api.get('/api/v1/customers/C2', bearer(admin))).body).toMatchObject({ id: 'C2', name: '李雷' });
    // An administrator may.
    expect((await api.del('/api/v1/customers/C2', bearer(admin))).status).toBe(200);
    expect((await api.get('/api/v1/customers/C2', bearer(admin))).body.code).toBe('CUSTOMER_NOT_FOUND');
  });

  it('refuses a revoked token, and opens again when no token is left', async () => {
    await seed(admin);
    await revokeAccessToken(h.store(), '分析-小陈', h.clock.now());
    expect((await api.get('/api/v1/customers/C1', bearer(viewer))).body.code).toBe('AUTH_INVALID');
    expect((await api.get('/api/v1/customers/C1', bearer(operator))).status).toBe(200);
    await revokeAccessToken(h.store(), '导购-王芳', h.clock.now());
    await revokeAccessToken(h.store(), '管理员-李娜', h.clock.now());
    expect((await api.get('/api/v1/session')).body.auth_required).toBe(false);
    expect((await api.get('/api/v1/customers/C1')).body.identities).toEqual([{ kind: 'email', value: 'zhang.wei@example.com' }, { kind: 'phone', value: '13812345678' }]);
  });
});

forEachStore('API: access tokens', (h) => {
  const api = useServer(h);
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  it('makes the first token only as an administrator\'s, and from then on asks for it at once', async () => {
    expect((await api.post('/api/v1/tokens', { name: '导购-王芳', role: 'operator' })).body).toMatchObject({ status: 409, code: 'FIRST_TOKEN_NOT_ADMIN' });
    expect((await api.post('/api/v1/tokens', { name: '店长', role: 'admin', workspaces: [h.workspaceKey()] })).body.code).toBe('FIRST_TOKEN_NOT_ADMIN');
    // A token's name is checked as every other name is.
    for (const name of ['\u202e', '管理员\n李娜']) {
      const refused = await api.post('/api/v1/tokens', { name, role: 'admin' }, { 'accept-language': 'zh-CN' });
      expect(refused.body, JSON.stringify(name)).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', errors: [{ pointer: '#/name' }] });
    }
    expect((await api.post('/api/v1/tokens', { name: '\u202e', role: 'admin' })).body).toMatchObject({ errors: [{ pointer: '#/name', message: 'a name needs at least one visible character' }] });
    expect((await api.get('/api/v1/tokens')).body.items).toEqual([]);
    const first = await api.post('/api/v1/tokens', { name: '管理员-李娜', role: 'admin' }, { 'x-tagbase-actor': encodeURIComponent('店长') });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ name: '管理员-李娜', role: 'admin', revoked_at: null, token: expect.stringMatching(/^tb_/) });
    const admin = String(first.body.token);
    // Made in this server: it counts at once, without waiting for the next read of the tokens.
    expect((await api.get('/api/v1/tokens')).body.code).toBe('AUTH_REQUIRED');
    const operator = await api.post('/api/v1/tokens', { name: '导购-王芳', role: 'operator' }, bearer(admin));
    expect(operator.status).toBe(201);
    expect((await api.post('/api/v1/tokens', { name: '导购-王芳', role: 'viewer' }, bearer(admin))).body.code).toBe('ACCESS_TOKEN_NAME_TAKEN');
    expect((await api.post('/api/v1/tokens', { name: 'x', role: 'owner' }, bearer(admin))).body.code).toBe('VALIDATION_FAILED');
    // An operator manages no tokens.
    expect((await api.get('/api/v1/tokens', bearer(String(operator.body.token)))).body.code).toBe('FORBIDDEN');
    expect((await api.post('/api/v1/tokens', { name: '自封', role: 'admin' }, bearer(String(operator.body.token)))).body.code).toBe('FORBIDDEN');
    const listed = await api.get('/api/v1/tokens', bearer(admin));
    expect((listed.body.items as { name: string }[]).map((token) => token.name)).toEqual(['导购-王芳', '管理员-李娜']);
    expect(listed.text).not.toContain('tb_');
    const lastAdmin = await api.del(`/api/v1/tokens/${encodeURIComponent('管理员-李娜')}`, bearer(admin));
    expect(lastAdmin.body).toMatchObject({ status: 409, code: 'LAST_ADMIN_TOKEN' });
    const revoked = await api.del(`/api/v1/tokens/${encodeURIComponent('导购-王芳')}`, bearer(admin));
    expect(revoked.body).toMatchObject({ name: '导购-王芳', revoked_at: h.clock.now().toISOString() });
    expect((await api.get('/api/v1/customers', bearer(String(operator.body.token)))).body.code).toBe('AUTH_INVALID');
    expect((await api.del(`/api/v1/tokens/${encodeURIComponent('导购-王芳')}`, bearer(admin))).body.code).toBe('ACCESS_TOKEN_NOT_FOUND');
    const trail = await api.get('/api/v1/audit', { ...bearer(admin), 'accept-language': 'zh-CN' });
    expect((trail.body.items as { actor: string; source: string; summary: string; target: string; status: number | null }[]).map((item) => [item.actor, item.source, item.summary, item.target, item.status])).toEqual([
      // Each with the status it was answered with, as every other call is recorded.
      ['管理员-李娜', 'api', '吊销访问令牌', '导购-王芳', 200],
      ['导购-王芳', 'api', '创建访问令牌', '/tokens', 403],
      ['导购-王芳', 'api', '查看访问令牌', '/tokens', 403],
      ['管理员-李娜', 'api', '创建访问令牌', '导购-王芳 (operator)', 201],
      ['店长', 'api', '创建访问令牌', '管理员-李娜 (admin)', 201],
    ]);
    // A token made to last refuses its holder afterwards, and the API stays closed.
    const week = await api.post('/api/v1/tokens', { name: '临时-小张', role: 'viewer', expires_in_days: 7 }, bearer(admin));
    expect(week.body.expires_at).toBe(new Date(h.clock.now().getTime() + 7 * 86_400_000).toISOString());
    expect((await api.get('/api/v1/session', bearer(String(week.body.token)))).body.name).toBe('临时-小张');
    h.clock.advance(7 * 86_400_000);
    // Its holder is told it ran out, and when, rather than that it is not valid.
    const ranOut = await api.get('/api/v1/session', bearer(String(week.body.token)));
    expect(ranOut.body).toMatchObject({ code: 'AUTH_INVALID', detail: `The access token expired at ${String(week.body.expires_at)}; ask an administrator for a new one.` });
    // In Chinese at the workspace's time, as other Chinese messages write times, its zone said (China time here).
    const expiredAt = Date.parse(String(week.body.expires_at));
    const chinaTime = new Date(expiredAt + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
    expect((await api.get('/api/v1/customers', { ...bearer(String(week.body.token)), 'accept-language': 'zh-CN' })).body.detail).toBe(`访问令牌已于 ${chinaTime}（UTC+08:00）过期；请向管理员申请新的令牌。`);
    // A workspace that is not known: in UTC, said so.
    const utc = new Date(expiredAt).toISOString().slice(0, 16).replace('T', ' ');
    expect((await api.get('/api/v1/session', { ...bearer(String(week.body.token)), 'accept-language': 'zh-CN', 'x-tagbase-workspace': 'no-such-shop' })).body.detail).toBe(`访问令牌已于 ${utc}（UTC）过期；请向管理员申请新的令牌。`);
    expect((await api.post('/api/v1/tokens', { name: 'z', role: 'viewer', expires_in_days: 0 }, bearer(admin))).body.code).toBe('VALIDATION_FAILED');
    await api.del(`/api/v1/tokens/${encodeURIComponent('临时-小张')}`, bearer(admin));
    // Revoking the last one opens the API again.
    expect((await api.del(`/api/v1/tokens/${encodeURIComponent('管理员-李娜')}`, bearer(admin))).status).toBe(200);
    expect((await api.get('/api/v1/session')).body.auth_required).toBe(false);
  });
});

forEachStore('API: tokens limited to workspaces', (h) => {
  const api = useServer(h, { tokensReadEveryMs: 0 });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  it('lets a store\'s staff act in their store only, lists only it, and keeps them from managing tokens', async () => {
    const admin = (await createAccessToken(h.store(), { name: '总部-李娜', role: 'admin' }, h.clock.now())).token;
    expect((await api.post('/api/v1/workspaces', { key: 'shop-hz', name: '杭州店' }, bearer(admin))).status).toBe(201);
    expect((await api.post('/api/v1/workspaces', { key: 'shop-sh', name: '上海店' }, bearer(admin))).status).toBe(201);
    await expect(createAccessToken(h.store(), { name: 'x', role: 'viewer', workspaces: ['shop-nowhere'] }, h.clock.now())).rejects.toMatchObject({ code: 'WORKSPACE_NOT_FOUND' });
    const made = await api.post('/api/v1/tokens', { name: '杭州店-王芳', role: 'admin', workspaces: ['shop-hz'] }, bearer(admin));
    expect(made.body).toMatchObject({ name: '杭州店-王芳', role: 'admin', workspaces: ['shop-hz'] });
    const staff = String(made.body.token);
    const inHangzhou = { ...bearer(staff), 'x-tagbase-workspace': 'shop-hz' };
    expect((await api.get('/api/v1/session', inHangzhou)).body).toMatchObject({ name: '杭州店-王芳', workspaces: ['shop-hz'] });
    expect(((await api.get('/api/v1/workspaces', bearer(staff))).body.items as { key: string }[]).map((workspace) => workspace.key)).toEqual(['shop-hz']);
    expect(((await api.get('/api/v1/workspaces', bearer(admin))).body.items as unknown[]).length).toBeGreaterThanOrEqual(3);
    expect((await api.post('/api/v1/customers', { customers: [{ id: 'HZ1', name: '赵六' }] }, inHangzhou)).status).toBe(200);
    const elsewhere = await api.get('/api/v1/customers', { ...bearer(staff), 'x-tagbase-workspace': 'shop-sh', 'accept-language': 'zh-CN' });
    expect(elsewhere.body).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect(String(elsewhere.body.detail)).toContain('shop-sh');
    // The refusal names the workspaces the token may act in, and the header that names one.
    expect(elsewhere.body.detail).toBe('「管理员」角色不能用此令牌操作工作空间「shop-sh」，此令牌只能操作「shop-hz」：请发送 X-Tagbase-Workspace: shop-hz。');
    expect((await api.get('/api/v1/customers', { ...bearer(staff), 'x-tagbase-workspace': 'shop-sh' })).body.detail).toBe(
      'The admin role may not act in workspace "shop-sh" with this token, which acts only in "shop-hz": send X-Tagbase-Workspace: shop-hz.',
    );
    // An integration sending no workspace header lands in "default", and is told that is why.
    const unnamed = await fetch(`${await api.listen()}/api/v1/customers`, { headers: { authorization: `Bearer ${staff}` } });
    expect(((await unnamed.json()) as { detail: string }).detail).toBe(
      'The admin role may not act in workspace "default" (no X-Tagbase-Workspace header names one) with this token, which acts only in "shop-hz": send X-Tagbase-Workspace: shop-hz.',
    );
    // Not even its own role's server-wide work: tokens and workspaces belong to administrators of every workspace.
    expect((await api.get('/api/v1/tokens', inHangzhou)).body.code).toBe('FORBIDDEN');
    expect((await api.post('/api/v1/workspaces', { key: 'shop-bj', name: '北京店' }, inHangzhou)).body.code).toBe('FORBIDDEN');
    expect((await api.post('/api/v1/demo', { workspace: 'shop-demo', customers: 100 }, inHangzhou)).body.code).toBe('FORBIDDEN');
    expect((await api.get('/api/v1/demo', inHangzhou)).body.code).toBe('FORBIDDEN');
    // Its audit trail is its store's: not who was given tokens, or workspaces made, for the whole server.
    const trail = (await api.get('/api/v1/audit', inHangzhou)).body.items as { action: string; target: string }[];
    // Its own refused attempts at them are its store's to read (those naming no workspace, the server's alone).
    expect(trail.map((entry) => entry.action)).toEqual(['GET /demo', 'GET /tokens', 'POST /customers']);
    expect(trail.map((entry) => entry.target)).not.toContain('杭州店-王芳 (admin, shop-hz)');
    expect(((await api.get('/api/v1/audit', { ...bearer(admin), 'x-tagbase-workspace': 'shop-hz' })).body.items as { target: string }[]).map((entry) => entry.target)).toContain('杭州店-王芳 (admin, shop-hz)');
    // The last administrator of every workspace stays, whatever the store's administrator holds.
    expect((await api.del(`/api/v1/tokens/${encodeURIComponent('总部-李娜')}`, bearer(admin))).body.code).toBe('LAST_ADMIN_TOKEN');
  });
});

forEachStore('API: every route by role', (h) => {
  const api = useServer(h, { tokensReadEveryMs: 0 });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  /** What each operation needs, as docs/api.md's "Access and roles" says it (not as the server decides it). */
  const READING_POSTS = ['/tags/preview', '/segments/count', '/segments/preview', '/segments/overlap', '/segments/insight'];
  const EXPORTS = ['POST /segments/export', 'GET /segments/{segment}/export', 'GET /segments/{segment}/snapshots/{snapshot}/export', 'GET /tags/{tag}/transitions/export'];
  const documented = (method: string, path: string): 'public' | 'read' | 'write' | 'export' | 'admin' => {
    const call = `${method} ${path}`;
    if (call === 'GET /session') return 'public';
    if (EXPORTS.includes(call)) return 'export';
    if (['/webhooks', '/tokens'].some((area) => path === area || path.startsWith(`${area}/`)) || ['/erasures', '/exports', '/audit'].includes(path)) return 'admin';
    if (['DELETE /customers/{id}', 'POST /workspaces', 'PATCH /workspace', 'DELETE /workspaces/{key}', 'POST /demo'].includes(call)) return 'admin';
    return method === 'GET' || (method === 'POST' && READING_POSTS.includes(path)) ? 'read' : 'write';
  };
  /** Calls outside any one workspace, which a token limited to some workspaces may not make whatever its role. */
  const serverWide = (method: string, path: string) => path === '/tokens' || path.startsWith('/tokens/') || path === '/demo' || `${method} ${path}` === 'POST /workspaces' || `${method} ${path}` === 'DELETE /workspaces/{key}';
  const GRANTS = { admin: ['read', 'write', 'export', 'admin'], operator: ['read', 'write', 'export'], viewer: ['read'] } as const;

  it('answers every operation of the API to each role, workspace and kind of token as docs/api.md says, and refuses the rest before reading the request', async () => {
    const made = async (name: string, role: 'admin' | 'operator' | 'viewer', workspaces?: string[]) => (await createAccessToken(h.store(), { name, role, ...(workspaces ? { workspaces } : {}) }, h.clock.now())).token;
    const roles = { admin: await made('矩阵-管理员', 'admin'), operator: await made('矩阵-运营', 'operator'), viewer: await made('矩阵-只读', 'viewer') };
    expect((await api.post('/api/v1/workspaces', { key: 'matrix-other', name: '另一店' }, bearer(roles.admin))).status).toBe(201);
    const limited = { admin: await made('本店-管理员', 'admin', [h.workspaceKey()]), operator: await made('本店-运营', 'operator', [h.workspaceKey()]), viewer: await made('本店-只读', 'viewer', [h.workspaceKey()]) };
    const elsewhere = { admin: await made('别店-管理员', 'admin', ['matrix-other']), operator: await made('别店-运营', 'operator', ['matrix-other']), viewer: await made('别店-只读', 'viewer', ['matrix-other']) };
    const revoked = await made('矩阵-已吊销', 'admin');
    await revokeAccessToken(h.store(), '矩阵-已吊销', h.clock.now());
    const expired = await made('矩阵-已过期', 'admin');
    await h.store().db.updateTable('access_tokens').set({ expires_at: h.clock.now().getTime() - 1 }).where('name', '=', '矩阵-已过期').execute();

    // Every route the router holds, so that a route added without an OpenAPI description is not passed over.
    const document = (await api.get('/api/v1/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    const described = new Set(Object.entries(document.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`)));
    const operations = api
      .routes()
      .filter((route) => !route.url.startsWith('/api/v1/docs') && route.url !== '/api/v1/openapi.json')
      .map((route) => ({ method: route.method, path: route.url.replace(/^\/api\/v1/, '').replace(/:(\w+)/g, '{$1}') }));
    expect(operations.length).toBeGreaterThan(100);
    expect(operations.map(({ method, path }) => `${method} /api/v1${path}`).filter((operation) => !described.has(operation))).toEqual([]);
    const faults: string[] = [];
    /** A refusal is a problem document saying why: who is not known (401) or what the role may not do (403). */
    const refusedFault = (answer: Reply, codes: string[]) =>
      !answer.contentType.startsWith('application/problem+json') || answer.body.status !== answer.status || !codes.includes(String(answer.body.code)) || typeof answer.body.detail !== 'string' ? `${answer.contentType} ${JSON.stringify(answer.body)}` : undefined;
    const UNKNOWN = ['AUTH_REQUIRED', 'AUTH_INVALID'];
    for (const { method, path } of operations) {
      const needs = documented(method, path);
      // Nothing the call names exists, and a body of the wrong shape is refused: a call let through changes nothing.
      const url = `/api/v1${path.replace(/\{[^}]+\}/g, 'no-such-thing')}`;
      const body = ['POST', 'PUT', 'PATCH'].includes(method) ? [] : undefined;
      const ask = async (headers: Record<string, string>) => api.call(method as 'GET', url, body, headers);
      const expect401 = async (label: string, headers: Record<string, string>) => {
        const answer = await ask(headers);
        if (answer.status !== 401) faults.push(`${label} ${method} ${path}: ${answer.status}, not 401`);
        else if (refusedFault(answer, UNKNOWN)) faults.push(`${label} ${method} ${path}: not a problem document: ${refusedFault(answer, UNKNOWN) ?? ''}`);
      };
      if (needs === 'public') {
        const status = (await ask({})).status;
        if (status !== 200) faults.push(`no token ${method} ${path}: ${status}, not 200`);
      } else {
        await expect401('no token', {});
      }
      await expect401('not a bearer', { authorization: 'Basic dXNlcjpwYXNz' });
      await expect401('unknown', bearer('tb_not-a-token'));
      await expect401('revoked', bearer(revoked));
      await expect401('expired', bearer(expired));
      for (const role of ['admin', 'operator', 'viewer'] as const) {
        const allowed = needs === 'public' || (GRANTS[role] as readonly string[]).includes(needs);
        for (const [label, token, mayHere] of [
          [role, roles[role], allowed],
          [`${role} of this workspace`, limited[role], allowed && !serverWide(method, path)],
          [`${role} of another workspace`, elsewhere[role], needs === 'public' || (method === 'GET' && path === '/workspaces')],
        ] as const) {
          const answer = await ask(bearer(token));
          if (mayHere && (answer.status === 401 || answer.status === 403)) faults.push(`${label} ${method} ${path}: ${answer.status}, documented as allowed`);
          if (!mayHere && answer.status !== 403) faults.push(`${label} ${method} ${path}: ${answer.status}, not 403`);
          else if (!mayHere && refusedFault(answer, ['FORBIDDEN'])) faults.push(`${label} ${method} ${path}: not a problem document: ${refusedFault(answer, ['FORBIDDEN']) ?? ''}`);
        }
      }
    }
    expect(faults).toEqual([]);
    // Nor do the console, the health check and the API's description ask for a token.
    for (const url of ['/', '/healthz', '/api/v1/openapi.json', '/api/v1/docs']) expect((await api.get(url)).status, url).toBe(200);
  });

  it('changes nothing on a refused change, whichever route, token or role, where the same call allowed would', async () => {
    const made = async (name: string, role: 'admin' | 'operator' | 'viewer', workspaces?: string[]) => (await createAccessToken(h.store(), { name, role, ...(workspaces ? { workspaces } : {}) }, h.clock.now())).token;
    const admin = await made('拒绝-管理员', 'admin');
    const as = bearer(admin);
    expect((await api.post('/api/v1/workspaces', { key: 'refused-other', name: '别店' }, as)).status).toBe(201);
    const refusers: [string, Record<string, string>, (needs: string, method: string, path: string) => boolean][] = [
      ['no token', {}, () => true],
      ['revoked', bearer(await made('拒绝-已吊销', 'admin')), () => true],
      ['expired', bearer(await made('拒绝-已过期', 'admin')), () => true],
      ['operator', bearer(await made('拒绝-运营', 'operator')), (needs) => needs === 'admin'],
      ['viewer', bearer(await made('拒绝-只读', 'viewer')), (needs) => needs !== 'read'],
      ['admin of this workspace', bearer(await made('拒绝-本店管理员', 'admin', [h.workspaceKey()])), (_needs, method, path) => serverWide(method, path)],
      ['admin of another workspace', bearer(await made('拒绝-别店管理员', 'admin', ['refused-other'])), () => true],
    ];
    await revokeAccessToken(h.store(), '拒绝-已吊销', h.clock.now());
    await h.store().db.updateTable('access_tokens').set({ expires_at: h.clock.now().getTime() - 1 }).where('name', '=', '拒绝-已过期').execute();
    // What each route's parameters name exists, so that a refused call let through would change it.
    expect((await api.post('/api/v1/customers', { customers: [{ id: 'C1', name: '张伟', identities: [{ kind: 'phone', value: '13812345678' }] }, { id: 'C2', name: '李雷' }] }, as)).status).toBe(200);
    expect((await api.post('/api/v1/tag-groups', { key: 'grp', name: '分组' }, as)).status).toBe(201);
    expect((await api.post('/api/v1/tags', { key: 'stage', name: '服务阶段', values: [{ key: 'pre', name: '售前' }] }, as)).status).toBe(201);
    const operation = (await api.post('/api/v1/tags/stage/assign', { value: 'pre', customers: ['C1', 'C2'] }, as)).body.operation as number;
    expect((await api.post('/api/v1/segments', { key: 'seg', name: '人群', expression: 'name exists' }, as)).status).toBe(201);
    const snapshot = (await api.post('/api/v1/segments/seg/snapshots', {}, as)).body.id as number;
    const webhook = (await api.post('/api/v1/webhooks', { url: 'https://crm.example.com/hook' }, as)).body.id as number;
    expect((await api.post('/api/v1/care/plans', { key: 'thanks', name: '购后感谢', trigger: { kind: 'event', event_type: 'order_paid' }, steps: [{ after: '0', message: '{name}，感谢购买' }] }, as)).status).toBe(201);
    expect((await api.call('PUT', '/api/v1/models/rfm', { params: {} }, as)).status).toBe(200);
    const named: Record<string, string> = { id: 'C1', tag: 'stage', value: 'pre', segment: 'seg', snapshot: String(snapshot), group: 'grp', webhook: String(webhook), key: h.workspaceKey(), name: '拒绝-管理员', operation: String(operation), template: 'retail', plan: 'thanks', model: 'rfm' };
    const fill = (path: string) =>
      path
        .replace('/identities/{kind}/{value}', '/identities/phone/13812345678')
        .replace('/imports/{kind}', '/imports/customers')
        .replace(/\{(\w+)\}/g, (_all, parameter: string) => encodeURIComponent(named[parameter] ?? 'no-such-thing'));
    const store = h.store();
    // The whole store but the audit trail, which records each refusal, and when a token was last used.
    const fingerprint = async () => {
      const tables: string[] = [];
      for (const table of ['workspaces', 'field_definitions', 'customers', 'identities', 'events', 'tag_groups', 'tags', 'tag_values', 'assignments', 'tag_history', 'tagging_operations', 'customer_merges', 'customer_erasures', 'export_log', 'webhooks', 'webhook_deliveries', 'access_tokens', 'metric_definitions', 'customer_metrics', 'segments', 'segment_snapshots', 'segment_snapshot_members', 'event_journal', 'models', 'care_plans', 'care_reminders'] as const) {
        const rows = (await store.db.selectFrom(table).selectAll().execute()) as Record<string, unknown>[];
        tables.push(`${table}: ${rows.map(({ last_used_at: _used, ...row }) => JSON.stringify(row)).sort().join('\n')}`);
      }
      return tables;
    };
    const before = await fingerprint();
    const faults: string[] = [];
    const writes = api.routes().filter((route) => route.method !== 'GET' && !READING_POSTS.includes(route.url.replace(/^\/api\/v1/, '')));
    expect(writes.length).toBeGreaterThan(50);
    for (const route of writes) {
      const path = route.url.replace(/^\/api\/v1/, '').replace(/:(\w+)/g, '{$1}');
      const needs = documented(route.method, path);
      for (const [label, headers, refused] of refusers) {
        if (!refused(needs, route.method, path)) continue;
        const answer = await api.call(route.method as 'POST', `/api/v1${fill(path)}`, ['POST', 'PUT', 'PATCH'].includes(route.method) ? {} : undefined, headers);
        if (answer.status !== 401 && answer.status !== 403) faults.push(`${label} ${route.method} ${path}: ${answer.status}`);
      }
    }
    expect(faults).toEqual([]);
    expect(await fingerprint()).toEqual(before);
    // The same calls were there to be made: an administrator's erasure of C1 goes through.
    expect((await api.del(`/api/v1/customers/C1`, as)).status).toBe(200);
  });
});
