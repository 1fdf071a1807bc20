import { expect } from 'vitest';
import { createAccessToken } from '../../src/engine/access-tokens.js';
import { forEachStore, it } from '../support/stores.js';
import { useServer } from './support.js';

const DAY = 86_400_000;
const stage = { key: 'stage', name: '服务阶段', color: '#1677ff', values: [{ key: 'pre', name: '售前', color: '#52c41a' }, { key: 'during', name: '售中' }, { key: 'after', name: '售后' }] };

forEachStore('API: tag transitions', (h) => {
  const api = useServer(h, { tokensReadEveryMs: 0 });
  const tag = (value: string, customers: string[]) => api.post('/api/v1/tags/stage/assign', { value, customers });

  async function movedCustomers() {
    expect((await api.post('/api/v1/tags', stage)).status).toBe(201);
    await api.post('/api/v1/customers', { customers: [{ id: 'C1', name: '张伟', identities: [{ kind: 'phone', value: '13812345678' }] }, { id: 'C2', name: '李娜' }, { id: 'C3', name: '王芳' }] });
    await tag('pre', ['C1', 'C2']);
    h.clock.advance(2 * DAY);
    const start = h.clock.now().toISOString();
    h.clock.advance(DAY);
    await tag('after', ['C1']);
    await tag('during', ['C3']);
    h.clock.advance(DAY);
    return start;
  }

  it('answers the flows between values, per value counts and the totals of the period', async () => {
    const from = await movedCustomers();
    const reply = await api.get(`/api/v1/tags/${encodeURIComponent('服务阶段')}/transitions?from=${from}`);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      tag: { key: 'stage', name: '服务阶段', cardinality: 'single', ordered: false },
      from,
      to: h.clock.now().toISOString(),
      customers_from: 2,
      customers_to: 3,
      entered: 1,
      left: 0,
      stayed: 1,
      moved: 1,
    });
    expect(reply.body.values).toEqual([
      { key: 'pre', name: '售前', color: '#52c41a', removed: false, held_from: 2, held_to: 1, gained: 0, lost: 1 },
      { key: 'during', name: '售中', color: null, removed: false, held_from: 0, held_to: 1, gained: 1, lost: 0 },
      { key: 'after', name: '售后', color: null, removed: false, held_from: 0, held_to: 1, gained: 1, lost: 0 },
    ]);
    expect(reply.body.flows).toEqual(
      expect.arrayContaining([
        { from: { key: 'pre', name: '售前' }, to: { key: 'pre', name: '售前' }, customers: 1 },
        { from: { key: 'pre', name: '售前' }, to: { key: 'after', name: '售后' }, customers: 1 },
        { from: null, to: { key: 'during', name: '售中' }, customers: 1 },
      ]),
    );
    expect((reply.body.flows as unknown[]).length).toBe(3);
    // Who kept their value is counted from the index, and listed too.
    expect((await api.get(`/api/v1/tags/stage/transitions/members?from=${from}&from_value=pre&to_value=pre`)).body).toMatchObject({ total: 1, items: [{ id: 'C2' }] });
    // The default period is the 30 days up to now: everything happened inside it.
    expect((await api.get('/api/v1/tags/stage/transitions')).body).toMatchObject({ customers_from: 0, customers_to: 3, entered: 3 });
  });

  it('takes an assignment whose expiry passed as gone, before the sweeper records it', async () => {
    await movedCustomers();
    const start = h.clock.now().toISOString();
    h.clock.advance(1000);
    await api.post('/api/v1/tags/stage/assign', { value: 'during', customers: ['C2'], expires_at: new Date(h.clock.now().getTime() + 2 * DAY).toISOString() });
    expect((await api.get(`/api/v1/tags/stage/transitions?from=${start}`)).body).toMatchObject({ stayed: 2, moved: 1 });
    h.clock.advance(3 * DAY);
    // C2's 售中 expired a day ago, unswept: gone at the end; C1 and C3 kept theirs.
    const reply = await api.get(`/api/v1/tags/stage/transitions?from=${start}`);
    expect(reply.body).toMatchObject({ customers_from: 3, customers_to: 2, stayed: 2, moved: 0, left: 1 });
    expect((await api.get(`/api/v1/tags/stage/transitions/members?from=${start}&from_value=pre&to_value=-`)).body).toMatchObject({ total: 1, items: [{ id: 'C2' }] });
  });

  it('tags the customers of one flow, and untags them', async () => {
    const from = await movedCustomers();
    await api.post('/api/v1/tags', { key: 'winback', name: '挽回关怀', cardinality: 'multi', values: [{ key: 'call', name: '电话回访' }] });
    const tagged = await api.post('/api/v1/tags/stage/transitions/tag', { from, from_value: 'pre', to_value: 'after', tag: '挽回关怀', value: '电话回访' });
    expect(tagged.body).toMatchObject({ matched: 1, added: 1, changed: 1 });
    expect(((await api.get('/api/v1/customers/C1')).body.tags as { label: string }[]).map((tag) => tag.label)).toContain('挽回关怀: 电话回访');
    expect(((await api.get('/api/v1/customers/C2')).body.tags as { label: string }[]).map((tag) => tag.label)).not.toContain('挽回关怀: 电话回访');
    expect((await api.post('/api/v1/tags/stage/transitions/tag', { from, from_value: 'pre', to_value: 'after', tag: 'winback', action: 'remove' })).body).toMatchObject({ matched: 1, removed: 1 });
    // A flow nobody made changes nothing; assigning without a value is refused before anything is read.
    expect((await api.post('/api/v1/tags/stage/transitions/tag', { from, from_value: 'during', to_value: 'pre', tag: 'winback', value: 'call' })).body).toEqual({ matched: 0, added: 0, replaced: 0, unchanged: 0, renewed: 0, changed: 0 });
    expect((await api.post('/api/v1/tags/stage/transitions/tag', { from, from_value: 'during', to_value: 'pre', tag: 'winback', value: 'cal' })).body.code).toBe('TAG_VALUE_NOT_FOUND');
    expect((await api.post('/api/v1/tags/stage/transitions/tag', { from, from_value: 'pre', to_value: 'after', tag: 'winback' })).body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
  });

  it('refuses bad periods, unknown tags and values, and flows of a multi-valued tag, in problem JSON', async () => {
    await movedCustomers();
    await api.post('/api/v1/tags', { key: 'interests', name: '兴趣爱好', cardinality: 'multi', values: [{ key: 'golf', name: '高尔夫' }, { key: 'fishing', name: '钓鱼' }] });
    const problems: [string, string, number][] = [
      ['/api/v1/tags/stage/transitions?from=yesterday', 'VALIDATION_FAILED', 400],
      ['/api/v1/tags/stage/transitions?from=2026-06-10T00:00:00Z&to=2026-06-01T00:00:00Z', 'VALIDATION_FAILED', 400],
      ['/api/v1/tags/stagee/transitions', 'TAG_NOT_FOUND', 404],
      ['/api/v1/tags/stage/transitions/members?from_value=pre', 'VALIDATION_FAILED', 400],
      ['/api/v1/tags/stage/transitions/members?from_value=-&to_value=-', 'VALIDATION_FAILED', 400],
      ['/api/v1/tags/stage/transitions/members?from_value=pree&to_value=-', 'TAG_VALUE_NOT_FOUND', 404],
      ['/api/v1/tags/stage/transitions/members?from_value=pre&to_value=-&limit=501', 'VALIDATION_FAILED', 400],
      ['/api/v1/tags/interests/transitions/members?from_value=golf&to_value=fishing', 'VALIDATION_FAILED', 400],
    ];
    for (const [url, code, status] of problems) {
      const reply = await api.get(url, { 'accept-language': 'zh-CN' });
      expect({ url, status: reply.status, code: reply.body.code, type: reply.contentType }).toEqual({ url, status, code, type: expect.stringContaining('application/problem+json') });
    }
    const backwards = await api.get('/api/v1/tags/stage/transitions?from=2026-06-10T00:00:00Z&to=2026-06-01T00:00:00Z', { 'accept-language': 'zh-CN' });
    expect(String(backwards.body.detail)).toContain('时间段的开始必须早于结束');
    // A multi-valued tag has counts per value and no flows.
    expect((await api.get('/api/v1/tags/interests/transitions')).body).toMatchObject({ stayed: null, moved: null, flows: [], values: [{ key: 'golf', held_to: 0 }, { key: 'fishing', held_to: 0 }] });
    expect((await api.get('/api/v1/tags/interests/transitions/members?from_value=-&to_value=golf')).body).toMatchObject({ total: 0, items: [] });
  });

  it('reads a day given alone as that day on the workspace\'s clock, a `to` as the whole of it, and a time without an offset on that clock, as the command does', async () => {
    expect((await api.patch('/api/v1/workspace', { utc_offset_minutes: 480 })).status).toBe(200);
    expect((await api.post('/api/v1/tags', stage)).status).toBe(201);
    await api.post('/api/v1/customers', { customers: [{ id: 'C1' }] });
    h.clock.set('2026-06-15T10:00:00Z');
    await tag('pre', ['C1']);
    // 23:30 on 06-16 in China, still 06-16 in UTC; then 01:00 on 06-17 in China, 06-16 in UTC.
    h.clock.set('2026-06-16T15:30:00Z');
    await tag('during', ['C1']);
    h.clock.set('2026-06-16T17:00:00Z');
    await tag('after', ['C1']);
    h.clock.set('2026-06-18T00:00:00Z');
    const day = await api.get('/api/v1/tags/stage/transitions?from=2026-06-16&to=2026-06-16');
    expect(day.body).toMatchObject({ from: '2026-06-15T16:00:00.000Z', to: '2026-06-16T16:00:00.000Z', moved: 1 });
    expect(day.body.flows).toEqual([{ from: { key: 'pre', name: '售前' }, to: { key: 'during', name: '售中' }, customers: 1 }]);
    // A time with its offset or in UTC is read as written.
    expect((await api.get('/api/v1/tags/stage/transitions?from=2026-06-16T00:00:00%2B08:00&to=2026-06-16T17:30:00Z')).body).toMatchObject({ from: '2026-06-15T16:00:00.000Z', to: '2026-06-16T17:30:00.000Z', flows: [{ to: { key: 'after' } }] });
    // The members, the export and tagging of a flow read the period alike.
    expect((await api.get('/api/v1/tags/stage/transitions/members?from=2026-06-16&to=2026-06-16&from_value=pre&to_value=during')).body).toMatchObject({ total: 1, items: [{ id: 'C1' }] });
    await api.post('/api/v1/tags', { key: 'winback', name: '挽回关怀', values: [{ key: 'call', name: '电话回访' }] });
    const tagged = await api.post('/api/v1/tags/stage/transitions/tag', { from: '2026-06-16', to: '2026-06-16', from_value: 'pre', to_value: 'during', tag: 'winback', value: 'call', expires_at: '2026-06-30' });
    expect(tagged.body).toMatchObject({ matched: 1, added: 1 });
    // Held through 2026-06-30 in China: expires at the start of 07-01 there.
    expect((await api.get('/api/v1/customers/C1')).body.tags).toContainEqual(expect.objectContaining({ label: '挽回关怀: 电话回访', expires_at: '2026-06-30T16:00:00.000Z' }));
    // A date and time without an offset is on the workspace's clock as well, and as `to` that instant, not a whole day.
    expect((await api.get('/api/v1/tags/stage/transitions?from=2026-06-16T00:00&to=2026-06-17%2001:30:00')).body).toMatchObject({ from: '2026-06-15T16:00:00.000Z', to: '2026-06-16T17:30:00.000Z', flows: [{ to: { key: 'after' } }] });
    await api.post('/api/v1/customers', { customers: [{ id: 'C2' }] });
    await api.post('/api/v1/customers/C2/tags', { tag: 'winback', value: 'call', expires_at: '2026-06-30T09:00:00' });
    expect((await api.get('/api/v1/customers/C2')).body.tags).toEqual([expect.objectContaining({ expires_at: '2026-06-30T01:00:00.000Z' })]);
    // 00:30 on 06-17 in China is 16:30Z on 06-16: after 售中 was given, before 售后.
    const history = await api.get('/api/v1/customers/C1/history?before=2026-06-17T00:30');
    expect((history.body.items as { value: string }[]).map((item) => item.value)).toEqual(['during', 'pre']);
    // In a workspace five hours behind UTC the same day starts and ends five hours after UTC's.
    expect((await api.patch('/api/v1/workspace', { utc_offset_minutes: -300 })).status).toBe(200);
    expect((await api.get('/api/v1/tags/stage/transitions?from=2026-06-16&to=2026-06-16')).body).toMatchObject({ from: '2026-06-16T05:00:00.000Z', to: '2026-06-17T05:00:00.000Z' });
  });

  // Last: from the first token on, every call needs one.
  it('lists the customers of one flow, masking identities for a role that may not see them whole', async () => {
    const from = await movedCustomers();
    const moved = await api.get(`/api/v1/tags/stage/transitions/members?from=${from}&from_value=pre&to_value=${encodeURIComponent('售后')}`);
    expect(moved.body).toMatchObject({ total: 1, offset: 0, limit: 20, items: [{ id: 'C1', name: '张伟', phone: '13812345678', tags: ['服务阶段: 售后'] }] });
    expect((await api.get(`/api/v1/tags/stage/transitions/members?from=${from}&from_value=-&to_value=during`)).body).toMatchObject({ total: 1, items: [{ id: 'C3' }] });
    const admin = await createAccessToken(h.store(), { name: '管理员-李娜', role: 'admin' }, h.clock.now());
    const viewer = await createAccessToken(h.store(), { name: '分析-小陈', role: 'viewer' }, h.clock.now());
    const asViewer = await api.get(`/api/v1/tags/stage/transitions/members?from=${from}&from_value=pre&to_value=after`, { authorization: `Bearer ${viewer.token}` });
    expect(asViewer.body).toMatchObject({ items: [{ id: 'C1', phone: '138****5678' }] });
    expect((await api.get('/api/v1/tags/stage/transitions', { authorization: `Bearer ${admin.token}` })).status).toBe(200);
    // Exporting them is an export: a viewer may not, an administrator may, and it is logged first.
    const exportUrl = `/api/v1/tags/stage/transitions/export?from=${from}&from_value=pre&to_value=after&metrics=orders_total`;
    expect((await api.get(exportUrl, { authorization: `Bearer ${viewer.token}` })).body).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    const exported = await api.get(exportUrl, { authorization: `Bearer ${admin.token}` });
    expect(exported.status).toBe(200);
    expect(exported.headers['x-tagbase-members']).toBe('1');
    expect(exported.headers['content-disposition']).toContain('stage-pre-after.csv');
    expect(exported.text.split('\r\n').filter(Boolean).slice(1).map((line) => line.split(',')[0])).toEqual(['C1']);
    const log = await api.get('/api/v1/exports', { authorization: `Bearer ${admin.token}` });
    expect((log.body.items as unknown[])[0]).toMatchObject({ actor: '管理员-李娜', source: 'transition', target: `stage:pre→after@${from}/${h.clock.now().toISOString()}`, format: 'csv', rows: 1, metrics: ['orders_total'] });
    expect((await api.get('/api/v1/tags/stage/transitions')).body).toMatchObject({ status: 401, code: 'AUTH_REQUIRED' });
  });
});
