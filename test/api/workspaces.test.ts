import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { sendRaw, useServer } from './support.js';

forEachStore('workspaces over HTTP', (h) => {
  const api = useServer(h);

  it('creates a workspace once, lists it, and refuses its key a second time, also when asked twice at once', async () => {
    const key = `shop-${randomBytes(4).toString('hex')}`;
    const created = await api.post('/api/v1/workspaces', { key, name: '杭州旗舰店' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ key, name: '杭州旗舰店' });
    expect(typeof created.body.id).toBe('number');
    // China time unless told otherwise: the console shows the workspace's times in it.
    expect(created.body.utc_offset_minutes).toBe(480);
    expect((await api.get('/api/v1/workspaces')).body.items as { key: string }[]).toContainEqual(expect.objectContaining({ key, utc_offset_minutes: 480 }));
    expect(await api.post('/api/v1/workspaces', { key, name: '又一个' })).toMatchObject({ status: 409, body: { code: 'WORKSPACE_EXISTS' } });

    const twice = `shop-${randomBytes(4).toString('hex')}`;
    const answers = await Promise.all([api.post('/api/v1/workspaces', { key: twice, name: '甲' }), api.post('/api/v1/workspaces', { key: twice, name: '乙' })]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409]);
    expect((await api.post('/api/v1/workspaces', { key: 'no spaces', name: 'x' })).body.code).toBe('VALIDATION_FAILED');
  });

  it('refuses a new key told from a taken one only by case, naming the taken one, and keeps two such keys made before', async () => {
    const key = `Shop-${randomBytes(4).toString('hex')}`;
    expect((await api.post('/api/v1/workspaces', { key, name: '杭州店' })).status).toBe(201);
    const refused = await api.post('/api/v1/workspaces', { key: key.toLowerCase(), name: '又一个' }, { 'accept-language': 'en' });
    expect(refused.body).toMatchObject({ status: 409, code: 'WORKSPACE_EXISTS', detail: `Workspace "${key}" already exists. Workspace keys are told apart regardless of case: "${key.toLowerCase()}" is the same key; use "${key}", or another key.` });
    expect((await api.post('/api/v1/workspaces', { key: key.toUpperCase(), name: '又一个' })).body.code).toBe('WORKSPACE_EXISTS');
    // Two keys a store made before the rule keep working, each its own workspace.
    const older = `Old-${randomBytes(4).toString('hex')}`;
    await h.store().db.insertInto('workspaces').values([{ key: older, name: '甲', created_at: 0 }, { key: older.toLowerCase(), name: '乙', created_at: 0 }]).execute();
    for (const workspace of [older, older.toLowerCase()]) expect((await api.get('/api/v1/customers?limit=1', { 'x-tagbase-workspace': workspace })).status).toBe(200);
    expect((await api.post('/api/v1/workspaces', { key: older.toUpperCase(), name: '丙' })).body.code).toBe('WORKSPACE_EXISTS');
  });

  it('makes a workspace in another time zone, and moves one to another zone, recounting its customers’ days', async () => {
    const key = `shop-${randomBytes(4).toString('hex')}`;
    expect((await api.post('/api/v1/workspaces', { key, name: 'London', utc_offset_minutes: 0 })).body).toMatchObject({ key, utc_offset_minutes: 0 });
    for (const bad of [30 * 60, 481, -13 * 60]) {
      const refused = await api.post('/api/v1/workspaces', { key: `${key}-x`, name: 'x', utc_offset_minutes: bad }, { 'accept-language': 'en' });
      expect(refused.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', detail: expect.stringContaining('quarter hours') });
    }
    // Bought at 04:00 on New Year's Day in China, 20:00 on New Year's Eve in London.
    await api.post('/api/v1/events', { events: [{ id: 'ny', customer_id: 'NY', type: 'order_paid', occurred_at: '2025-12-31T20:00:00Z', properties: { order_id: 'NY1', amount: 100 } }] });
    const ordersThisYear = async () => ((await api.get('/api/v1/customers/NY')).body.metrics as { key: string; value: unknown }[]).find((metric) => metric.key === 'orders_this_year')?.value;
    expect(await ordersThisYear()).toBe(1);
    const moved = await api.patch('/api/v1/workspace', { utc_offset_minutes: 0, name: '伦敦店' });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ key: h.workspaceKey(), name: '伦敦店', utc_offset_minutes: 0 });
    expect(await ordersThisYear()).toBe(0);
    // Counts follow: the index is rebuilt from the recounted metrics.
    expect((await api.post('/api/v1/segments/count', { expression: 'orders_this_year >= 1' })).body.count).toBe(0);
    expect((await api.get('/api/v1/workspaces')).body.items as unknown[]).toContainEqual(expect.objectContaining({ key: h.workspaceKey(), utc_offset_minutes: 0 }));
    expect((await api.patch('/api/v1/workspace', { utc_offset_minutes: 7 })).body.code).toBe('VALIDATION_FAILED');
    expect((await api.patch('/api/v1/workspace', { zone: 'Europe/London' })).body.code).toBe('VALIDATION_FAILED');
    await api.patch('/api/v1/workspace', { utc_offset_minutes: 480 });
    expect(await ordersThisYear()).toBe(1);
    expect((await api.post('/api/v1/segments/count', { expression: 'orders_this_year >= 1' })).body.count).toBe(1);
  });

  it('answers the workspace a header names alone, as the list and a change of it answer it', async () => {
    const key = `shop-${randomBytes(4).toString('hex')}`;
    expect((await api.post('/api/v1/workspaces', { key, name: 'London', utc_offset_minutes: 0 })).status).toBe(201);
    const one = await api.get('/api/v1/workspace', { 'x-tagbase-workspace': key });
    expect(one.status).toBe(200);
    expect(one.body).toEqual(((await api.get('/api/v1/workspaces')).body.items as { key: string }[]).find((workspace) => workspace.key === key));
    expect(one.body).toMatchObject({ key, name: 'London', utc_offset_minutes: 0 });
    const renamed = await api.patch('/api/v1/workspace', { name: '伦敦店' }, { 'x-tagbase-workspace': key });
    expect((await api.get('/api/v1/workspace', { 'x-tagbase-workspace': key })).body).toEqual(renamed.body);
    // One that is not there is not found.
    expect((await api.get('/api/v1/workspace', { 'x-tagbase-workspace': `${key}-gone` })).body).toMatchObject({ status: 404, code: 'WORKSPACE_NOT_FOUND' });
  });

  it('refuses a workspace name holding a line break or a tab, made or renamed, in either language', async () => {
    const made = await api.post('/api/v1/workspaces', { key: 'two-lines', name: '杭州\n旗舰店' }, { 'accept-language': 'en' });
    expect(made.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ path: 'name', message: "a workspace's name may not hold a line break, a tab or another control character" })] });
    expect(((await api.get('/api/v1/workspaces')).body.items as { key: string }[]).map((workspace) => workspace.key)).not.toContain('two-lines');
    const renamed = await api.patch('/api/v1/workspace', { name: '杭州\t旗舰店' }, { 'accept-language': 'zh-CN' });
    expect(renamed.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ path: 'name', message: '工作空间名称中不能含有换行符、制表符或其他控制字符' })] });
    expect((await api.patch('/api/v1/workspace', { name: '杭州 旗舰店' })).body).toMatchObject({ name: '杭州 旗舰店' });
  });

  it('trims a workspace name of the invisible characters at its ends, as other names, and refuses one that shows nothing', async () => {
    // A name pasted with a zero-width space, or led by a right-to-left override, reads as the one it shows.
    expect((await api.post('/api/v1/workspaces', { key: 'pasted', name: '\u202e杭州店\u200b' })).body).toMatchObject({ key: 'pasted', name: '杭州店' });
    for (const [language, message] of [['en', 'a name needs at least one visible character'], ['zh-CN', '名称至少需要一个可见字符']] as const) {
      const made = await api.post('/api/v1/workspaces', { key: 'invisible', name: '\u200b\u202e' }, { 'accept-language': language });
      expect(made.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ path: 'name', pointer: '#/name', message })] });
      const renamed = await api.patch('/api/v1/workspace', { name: '\ufeff' }, { 'accept-language': language });
      expect(renamed.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ path: 'name', message })] });
    }
    expect(((await api.get('/api/v1/workspaces')).body.items as { key: string }[]).map((workspace) => workspace.key)).not.toContain('invisible');
    const before = ((await api.get('/api/v1/workspaces')).body.items as { key: string; name: string }[]).find((workspace) => workspace.key === h.workspaceKey());
    expect((await api.patch('/api/v1/workspace', { name: '\u200f旗舰店 ' })).body).toMatchObject({ name: '旗舰店' });
    expect(before?.name).not.toBe('旗舰店');
  });

  it('gives a time zone the bounds it takes in the OpenAPI document, as a client generated from it checks them', async () => {
    type Schema = { properties: Record<string, Record<string, unknown>> };
    const document = (await api.get('/api/v1/openapi.json')).body as { paths: Record<string, Record<string, { requestBody: { content: Record<string, { schema: Schema }> } }>> };
    for (const [path, method] of [['/api/v1/workspaces', 'post'], ['/api/v1/workspace', 'patch']] as const) {
      const offset = document.paths[path]?.[method]?.requestBody.content['application/json']?.schema.properties.utc_offset_minutes;
      expect(offset, path).toMatchObject({ type: 'integer', minimum: -720, maximum: 840, multipleOf: 15 });
    }
  });

  it('refuses a workspace or actor header sent twice (a proxy adding its own), naming both, rather than reading them as one key', async () => {
    const listening = await api.listen();
    const send = (request: string) => sendRaw(listening, request);
    const twice = await send(`GET /api/v1/customers HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nX-Tagbase-Workspace: ${h.workspaceKey()}\r\nx-tagbase-workspace: default\r\n\r\n`);
    expect(twice).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(twice.slice(twice.indexOf('\r\n\r\n') + 4))).toMatchObject({
      code: 'VALIDATION_FAILED',
      detail: `The request is not valid: header X-Tagbase-Workspace given 2 times (${h.workspaceKey()}, default); give it once`,
      errors: [expect.objectContaining({ path: 'x-tagbase-workspace' })],
    });
    const segment = JSON.stringify({ key: 'twice', name: 'twice', expression: 'city = "上海"' });
    const chinese = await send(`POST /api/v1/segments HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nAccept-Language: zh-CN\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(segment)}\r\nX-Tagbase-Workspace: ${h.workspaceKey()}\r\nX-Tagbase-Actor: a\r\nX-Tagbase-Actor: b\r\n\r\n${segment}`);
    expect(JSON.parse(chinese.slice(chinese.indexOf('\r\n\r\n') + 4))).toMatchObject({ code: 'VALIDATION_FAILED', detail: '请求无效：请求头 X-Tagbase-Actor 出现了 2 次（a, b），只能给一次' });
    expect((await api.get('/api/v1/segments/twice')).status).toBe(404);
  });

  it('refuses a change that names nothing to change, rather than answering it done and recording a change in the audit trail', async () => {
    const refused = await api.patch('/api/v1/workspace', {}, { 'accept-language': 'zh-CN' });
    expect(refused.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', detail: '请求无效：没有要修改的内容：请给出 name 或 utc_offset_minutes' });
    expect((await api.patch('/api/v1/workspace', {})).body.detail).toBe('The request is not valid: nothing to change: give name or utc_offset_minutes');
    const trail = (await api.get('/api/v1/audit?limit=500')).body.items as { action: string }[];
    expect(trail.filter((entry) => entry.action === 'PATCH /workspace')).toEqual([]);
  });
});
