import { expect } from 'vitest';
import { createAccessToken } from '../../src/engine/access-tokens.js';
import { forEachStore, it } from '../support/stores.js';
import { useServer } from './support.js';

forEachStore('API: the audit trail', (h) => {
  const api = useServer(h, { tokensReadEveryMs: 0 });
  const actor = (name: string) => ({ 'x-tagbase-actor': encodeURIComponent(name) });

  it('records each change and export with who, what and the answer, and no read or refused request', async () => {
    await api.post('/api/v1/tags', { key: 'stage', name: '服务阶段', values: [{ key: 'pre', name: '售前' }] }, actor('运营-小李'));
    expect((await api.post('/api/v1/tags/stage/values', { key: 'closed', name: '已成交' }, actor('运营-小李'))).status).toBe(201);
    await api.post('/api/v1/customers', { customers: [{ id: 'C1', name: '张伟', city: '上海' }] }, actor('运营-小李'));
    await api.post('/api/v1/customers/C1/tags', { tag: 'stage', value: 'pre' }, actor('导购-王芳'));
    await api.post('/api/v1/segments', { key: 'sh', name: '上海客户', expression: 'city = "上海"' }, actor('运营-小李'));
    await api.get('/api/v1/segments/sh/export?format=csv', actor('运营-小李'));
    // Reads, a call that failed and changed nothing, and events streaming in are not recorded.
    expect((await api.post('/api/v1/events', { events: [{ customer_id: 'C1', type: 'product_viewed', occurred_at: '2026-06-15T09:00:00Z', properties: { sku: 'S1' } }] })).status).toBe(200);
    await api.get('/api/v1/customers/C1');
    await api.post('/api/v1/segments/count', { expression: 'city = "上海"' });
    expect((await api.post('/api/v1/tags', { key: 'stage', name: '重复', values: [{ key: 'x', name: '某值' }] })).status).toBe(409);
    const trail = await api.get('/api/v1/audit', { 'accept-language': 'zh-CN' });
    expect(trail.body.items).toEqual([
      expect.objectContaining({ actor: '运营-小李', source: 'api', action: 'GET /segments/:segment/export', summary: '导出人群', target: '/segments/sh/export', status: 200 }),
      // A create is recorded at what it made, not the collection it was posted to.
      expect.objectContaining({ actor: '运营-小李', action: 'POST /segments', summary: '保存人群', target: '/segments/sh', status: 201 }),
      expect.objectContaining({ actor: '导购-王芳', action: 'POST /customers/:id/tags', summary: '给客户打标签', target: '/customers/C1/tags' }),
      expect.objectContaining({ actor: '运营-小李', action: 'POST /customers', summary: '新增或更新客户', target: '/customers', status: 200 }),
      // A value added answers with its whole tag; the trail names the value.
      expect.objectContaining({ actor: '运营-小李', action: 'POST /tags/:tag/values', summary: '添加标签值', target: '/tags/stage/values/closed', status: 201 }),
      expect.objectContaining({ actor: '运营-小李', action: 'POST /tags', summary: '创建标签', target: '/tags/stage', status: 201 }),
    ]);
    expect((trail.body.items as { at: string }[])[0]?.at).toBe(h.clock.now().toISOString());
    expect((await api.get('/api/v1/audit?limit=2', { 'accept-language': 'en' })).body).toMatchObject({ items: [{ summary: 'exported a segment' }, { summary: 'saved a segment' }], next_before: expect.any(Number) });
    const page = await api.get('/api/v1/audit?limit=2');
    const next = await api.get(`/api/v1/audit?limit=10&before=${String(page.body.next_before)}`);
    expect((next.body.items as unknown[]).length).toBe(4);
    expect(next.body.next_before).toBeNull();
    expect(((await api.get(`/api/v1/audit?actor=${encodeURIComponent('导购-王芳')}`)).body.items as unknown[]).length).toBe(1);
    for (const bad of ['limit=0', 'limit=501', 'before=abc', 'before=0']) expect((await api.get(`/api/v1/audit?${bad}`)).body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
  });

  it('records what a care reminder\'s change did, done, dismissed, put off or reopened, not one wording for all', async () => {
    await api.post('/api/v1/customers', { customers: [{ id: 'A', name: '张伟' }] });
    await api.post('/api/v1/care/plans', { key: 'thanks', name: '购后感谢', trigger: { kind: 'event', event_type: 'order_paid' }, steps: [{ after: '0', message: '{name}，感谢购买' }, { after: '1d', message: '回访 {name}' }] });
    await api.post('/api/v1/events', { events: [{ id: 'o1', customer_id: 'A', type: 'order_paid', occurred_at: h.clock.now().toISOString(), properties: { order_id: 'O1', amount: 399 } }] });
    await api.post('/api/v1/care/run', {});
    const due = String(((await api.get('/api/v1/care/reminders')).body.items as { id: number }[])[0]?.id);
    const later = String(((await api.get('/api/v1/care/reminders?status=scheduled')).body.items as { id: number }[])[0]?.id);
    expect((await api.patch(`/api/v1/care/reminders/${due}`, { status: 'done' })).status).toBe(200);
    expect((await api.patch(`/api/v1/care/reminders/${due}`, { reopen: true })).status).toBe(200);
    expect((await api.patch(`/api/v1/care/reminders/${due}`, { snooze: '1h' })).status).toBe(200);
    expect((await api.patch(`/api/v1/care/reminders/${later}`, { status: 'dismissed' })).status).toBe(200);
    // A change refused (a reminder dismissed already) changed nothing and is not recorded.
    expect((await api.patch(`/api/v1/care/reminders/${later}`, { status: 'done' })).status).toBe(409);
    const entries = async (language: string) =>
      ((await api.get('/api/v1/audit?limit=4', { 'accept-language': language })).body.items as { action: string; summary: string; target: string }[]).map((item) => [item.action, item.summary, item.target]);
    expect(await entries('en')).toEqual([
      ['PATCH /care/reminders/:reminder?dismissed', 'dismissed a care reminder', `/care/reminders/${later}`],
      ['PATCH /care/reminders/:reminder?snooze', 'put off a care reminder', `/care/reminders/${due}`],
      ['PATCH /care/reminders/:reminder?reopen', 'reopened a care reminder', `/care/reminders/${due}`],
      ['PATCH /care/reminders/:reminder?done', 'marked a care reminder done', `/care/reminders/${due}`],
    ]);
    expect((await entries('zh-CN')).map(([, summary]) => summary)).toEqual(['忽略关怀提醒', '推迟关怀提醒', '重新打开关怀提醒', '将关怀提醒标记为已完成']);
  });

  it('records every one of many changes answered at once, each before its answer', async () => {
    const answers = await Promise.all(Array.from({ length: 12 }, (_, k) => api.post('/api/v1/customers', { customers: [{ id: `AT${k}` }] }, actor(`导购-${k}`))));
    expect(answers.map((answer) => answer.status)).toEqual(Array.from({ length: 12 }, () => 200));
    const trail = await api.get('/api/v1/audit?limit=50');
    const actors = (trail.body.items as { actor: string; action: string }[]).filter((item) => item.action === 'POST /customers').map((item) => item.actor);
    expect(actors.filter((name) => name.startsWith('导购-')).sort()).toEqual(Array.from({ length: 12 }, (_, k) => `导购-${k}`).sort());
  });

  it('takes an erased customer\'s id out of the trail, and records the erasure without it', async () => {
    await api.post('/api/v1/tags', { key: 'stage', name: '服务阶段', values: [{ key: 'pre', name: '售前' }] });
    await api.post('/api/v1/customers', { customers: [{ id: '会员-0042', name: '王五' }, { id: 'C2', name: '赵六' }] });
    await api.post(`/api/v1/customers/${encodeURIComponent('会员-0042')}/tags`, { tag: 'stage', value: 'pre' });
    await api.post('/api/v1/customers/C2/tags', { tag: 'stage', value: 'pre' });
    expect((await api.del(`/api/v1/customers/${encodeURIComponent('会员-0042')}`)).status).toBe(200);
    const text = JSON.stringify((await api.get('/api/v1/audit')).body);
    expect(text).not.toContain('0042');
    expect(text).not.toContain(encodeURIComponent('会员'));
    const targets = ((await api.get('/api/v1/audit')).body.items as { action: string; target: string }[]).map((item) => `${item.action} → ${item.target}`);
    expect(targets.slice(0, 3)).toEqual(['DELETE /customers/:id → /customers/(erased)', 'POST /customers/:id/tags → /customers/C2/tags', 'POST /customers/:id/tags → /customers/(erased)/tags']);
  });

  it("keeps of an identity removed from an erased customer only its kind, not the value the entry held (masked as it was)", async () => {
    await api.post('/api/v1/customers', { customers: [{ id: 'E1', identities: [{ kind: 'email', value: 'wangwu@qq.com' }, { kind: 'phone', value: '13912345678' }] }] });
    expect((await api.del('/api/v1/customers/E1/identities/email/wangwu%40qq.com')).status).toBe(204);
    const before = ((await api.get('/api/v1/audit')).body.items as { action: string; target: string }[]).find((item) => item.action.includes('/identities/'));
    expect(before?.target).toMatch(/^\/customers\/E1\/identities\/email\/.+/);
    expect((await api.del('/api/v1/customers/E1')).status).toBe(200);
    const after = ((await api.get('/api/v1/audit')).body.items as { action: string; target: string }[]).find((item) => item.action.includes('/identities/'));
    expect(after?.target).toBe('/customers/(erased)/identities/email');
  });

  it('takes the id out however the client encoded it in the path', async () => {
    await api.post('/api/v1/tags', { key: 'stage', name: '服务阶段', values: [{ key: 'pre', name: '售前' }] });
    await api.post('/api/v1/customers', { customers: [{ id: '张三', name: '张三' }, { id: 'ab+c/d', name: '李四' }] });
    // Lower-case percent-encoding, and a "+" left as it is with "/" encoded: the router reads both as the id.
    expect((await api.post('/api/v1/customers/%e5%bc%a0%e4%b8%89/tags', { tag: 'stage', value: 'pre' })).status).toBe(200);
    expect((await api.post('/api/v1/customers/ab+c%2fd/tags', { tag: 'stage', value: 'pre' })).status).toBe(200);
    expect((await api.del(`/api/v1/customers/${encodeURIComponent('张三')}`)).status).toBe(200);
    expect((await api.del(`/api/v1/customers/${encodeURIComponent('ab+c/d')}`)).status).toBe(200);
    const targets = ((await api.get('/api/v1/audit')).body.items as { action: string; target: string }[]).filter((item) => item.action.startsWith('POST /customers/:id')).map((item) => item.target);
    expect(targets).toEqual(['/customers/(erased)/tags', '/customers/(erased)/tags']);
  });

  it('names the token\'s owner once tokens exist, records a refused attempt, the tokens made, and shows the trail to administrators only', async () => {
    const admin = (await createAccessToken(h.store(), { name: '管理员-李娜', role: 'admin' }, h.clock.now())).token;
    const viewer = (await createAccessToken(h.store(), { name: '分析-小陈', role: 'viewer' }, h.clock.now())).token;
    const vip = { key: 'vip', name: '会员', values: [{ key: 'gold', name: '金卡' }] };
    expect((await api.post('/api/v1/tags', vip, { authorization: `Bearer ${viewer}` })).status).toBe(403);
    expect((await api.post('/api/v1/tags', vip, { authorization: `Bearer ${admin}`, ...actor('冒名') })).status).toBe(201);
    expect((await api.get('/api/v1/audit', { authorization: `Bearer ${viewer}` })).body.code).toBe('FORBIDDEN');
    const trail = await api.get('/api/v1/audit', { authorization: `Bearer ${admin}`, 'accept-language': 'en' });
    expect(trail.body.items).toEqual([
      // A refused read is an attempt too: the viewer's look at the trail itself.
      expect.objectContaining({ actor: '分析-小陈', action: 'GET /audit', summary: 'read the audit trail', status: 403 }),
      expect.objectContaining({ actor: '管理员-李娜', action: 'POST /tags', status: 201 }),
      expect.objectContaining({ actor: '分析-小陈', action: 'POST /tags', status: 403 }),
      expect.objectContaining({ actor: 'cli', source: 'cli', action: 'token create', summary: 'created an access token', target: '分析-小陈 (viewer)', status: null }),
      expect.objectContaining({ actor: 'cli', source: 'cli', action: 'token create', target: '管理员-李娜 (admin)' }),
    ]);
  });
});

forEachStore('API: the audit trail of refused reads', (h) => {
  const api = useServer(h, { tokensReadEveryMs: 0 });

  it('records a signed-in user\'s refused attempt to read what is not theirs (the tokens, the export log, another store\'s customers), as it records a refused change', async () => {
    const admin = (await createAccessToken(h.store(), { name: '管理员-李娜', role: 'admin' }, h.clock.now())).token;
    const operator = (await createAccessToken(h.store(), { name: '导购-王芳', role: 'operator' }, h.clock.now())).token;
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
    expect((await api.post('/api/v1/workspaces', { key: `${h.workspaceKey()}-x`, name: '另一家店' }, bearer(admin))).status).toBe(201);
    const store = (await createAccessToken(h.store(), { name: '店员-小刘', role: 'viewer', workspaces: [`${h.workspaceKey()}-x`] }, h.clock.now())).token;
    expect((await api.get('/api/v1/tokens', bearer(operator))).status).toBe(403);
    expect((await api.get('/api/v1/exports', bearer(operator))).status).toBe(403);
    expect((await api.get('/api/v1/customers', bearer(store))).status).toBe(403);
    expect((await api.post('/api/v1/segments/insight', { expression: 'city exists' }, bearer(store))).status).toBe(403);
    // Reads that were answered stay out of the trail.
    expect((await api.get('/api/v1/customers', bearer(operator))).status).toBe(200);
    const trail = await api.get('/api/v1/audit', { ...bearer(admin), 'accept-language': 'zh-CN' });
    const refused = (trail.body.items as { actor: string; action: string; summary: string; target: string; status: number }[]).filter((entry) => entry.status === 403);
    expect(refused.map(({ actor, action, summary, target }) => ({ actor, action, summary, target }))).toEqual([
      { actor: '店员-小刘', action: 'POST /segments/insight', summary: '查看筛选出的客户的人群洞察', target: '/segments/insight' },
      { actor: '店员-小刘', action: 'GET /customers', summary: '查看客户列表', target: '/customers' },
      { actor: '导购-王芳', action: 'GET /exports', summary: '查看导出记录', target: '/exports' },
      { actor: '导购-王芳', action: 'GET /tokens', summary: '查看访问令牌', target: '/tokens' },
    ]);
    expect((trail.body.items as { action: string; status: number }[]).filter((entry) => entry.action === 'GET /customers' && entry.status === 200)).toEqual([]);
  });
});

forEachStore('API: the audit trail of personal reads', (h) => {
  const api = useServer(h, { auditPersonalReads: true });
  const actor = { 'x-tagbase-actor': encodeURIComponent('导购-王芳') };

  it('records who read whose personal data when asked to, without the search words, and no read that failed', async () => {
    await api.post('/api/v1/customers', { customers: [{ id: 'C1', name: '张伟', city: '上海', identities: [{ kind: 'phone', value: '13812345678' }] }] });
    await api.get('/api/v1/customers/C1', actor);
    await api.get('/api/v1/customers?q=13812345678', actor);
    await api.get('/api/v1/customers/lookup?kind=phone&value=13812345678', actor);
    await api.post('/api/v1/segments/preview', { expression: 'city = "上海"' }, actor);
    expect((await api.get('/api/v1/customers/C404', actor)).status).toBe(404);
    // Counting shows nobody: not a personal read.
    await api.post('/api/v1/segments/count', { expression: 'city = "上海"' }, actor);
    const trail = await api.get('/api/v1/audit', { 'accept-language': 'zh-CN' });
    const entries = (trail.body.items as { actor: string | null; summary: string; target: string }[]).map((item) => [item.actor, item.summary, item.target]);
    expect(entries).toEqual([
      ['导购-王芳', '预览筛选出的客户', '/segments/preview'],
      ['导购-王芳', '按身份标识查找客户', '/customers/lookup'],
      ['导购-王芳', '查看客户列表', '/customers'],
      ['导购-王芳', '查看客户画像', '/customers/C1'],
      ['api', '新增或更新客户', '/customers'],
    ]);
    expect(trail.text).not.toContain('13812345678');
    // The reads of an erased customer lose the id like every other entry.
    await api.del('/api/v1/customers/C1');
    expect((await api.get('/api/v1/audit')).text).not.toContain('/customers/C1');
  });
});

forEachStore('API: the audit trail of a change whose actor cannot be read', (h) => {
  const api = useServer(h);
  const actor = (name: string) => ({ 'x-tagbase-actor': encodeURIComponent(name) });

  it('refuses a change whose actor header cannot be read before making it, where the route itself reads no actor, so that no change goes unrecorded', async () => {
    const key = `${h.workspaceKey()}-bad-actor`;
    for (const [header, says] of [
      ['%E7%8E', 'header x-tagbase-actor is not valid percent-encoding'],
      ['a'.repeat(65), 'the actor name is at most 64 characters'],
      // A line break would write a second line into `tagbase audit`'s output, one that reads as another entry.
      ['%E7%8E%8B%E8%8A%B3%0A2026-12-01T09%3A12%3A04.118Z%20%20%E7%AE%A1%E7%90%86%E5%91%98', 'the actor name may not hold control characters (a line break, a tab)'],
      ['a%09b', 'the actor name may not hold control characters (a line break, a tab)'],
    ] as const) {
      const refused = await api.post('/api/v1/workspaces', { key, name: '新店' }, { 'x-tagbase-actor': header });
      expect(refused.body, header).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', detail: `The request is not valid: ${says}` });
      expect(refused.body.errors, header).toEqual([{ index: -1, code: 'VALIDATION_FAILED', path: 'x-tagbase-actor', message: says }]);
    }
    expect((await api.get('/api/v1/workspaces')).body.items).not.toContainEqual(expect.objectContaining({ key }));
    // Readable, the same call is made and recorded under its actor.
    expect((await api.post('/api/v1/workspaces', { key, name: '新店' }, actor('店长-周敏'))).status).toBe(201);
    expect((await api.get('/api/v1/audit?limit=1')).body.items).toEqual([expect.objectContaining({ actor: '店长-周敏', action: 'POST /workspaces', target: `/workspaces/${key}`, status: 201 })]);
  });
});

forEachStore('API: the audit trail of a change nobody is named for', (h) => {
  const api = useServer(h);
  const historyActors = async () => ((await api.get('/api/v1/customers/C1/history')).body.items as { actor: string | null; source: string }[]).map(({ actor, source }) => [actor, source]);

  it('names the same actor the tag history names: api for an integration, console for the console', async () => {
    await api.post('/api/v1/tags', { key: 'stage', name: '服务阶段', values: [{ key: 'pre', name: '售前' }, { key: 'post', name: '售后' }] });
    await api.post('/api/v1/customers', { customers: [{ id: 'C1', name: '张伟' }] });
    expect((await api.post('/api/v1/customers/C1/tags', { tag: 'stage', value: 'pre' })).status).toBe(200);
    expect(await historyActors()).toEqual([['api', 'api']]);
    expect((await api.get('/api/v1/audit?limit=1')).body.items).toEqual([expect.objectContaining({ actor: 'api', source: 'api', action: 'POST /customers/:id/tags' })]);
    // The console's staff who left their name empty: 控制台（未署名） in both.
    expect((await api.post('/api/v1/customers/C1/tags', { tag: 'stage', value: 'post' }, { 'x-tagbase-client': 'console' })).status).toBe(200);
    expect((await historyActors())[0]).toEqual(['console', 'manual']);
    expect((await api.get('/api/v1/audit?limit=1')).body.items).toEqual([expect.objectContaining({ actor: 'console', action: 'POST /customers/:id/tags' })]);
    // Filtered by that name, the trail lists each such call, those recorded without a name included.
    const byApi = (await api.get('/api/v1/audit?actor=api')).body.items as { actor: string; action: string }[];
    expect(byApi.map((item) => [item.actor, item.action])).toEqual([['api', 'POST /customers/:id/tags'], ['api', 'POST /customers'], ['api', 'POST /tags']]);
    expect(((await api.get('/api/v1/audit?actor=console')).body.items as unknown[]).length).toBe(1);
  });

  it('reads an entry stored without a name, as earlier versions stored one, as by api', async () => {
    await h.store().db.insertInto('audit_log').values({ workspace_id: null, actor: null, source: 'api', action: 'POST /workspaces', target: '/workspaces/old', status: 201, at: h.clock.now().getTime() }).execute();
    expect((await api.get('/api/v1/audit?limit=1')).body.items).toEqual([expect.objectContaining({ actor: 'api', target: '/workspaces/old' })]);
    expect((await api.get('/api/v1/audit?actor=api')).body.items).toEqual([expect.objectContaining({ target: '/workspaces/old' })]);
  });
});
