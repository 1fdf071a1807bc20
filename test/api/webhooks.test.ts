import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { useServer } from './support.js';
import { deliverWebhooks, WEBHOOK_AUTO_PAUSE_MS } from '../../src/engine/webhooks.js';

forEachStore('API: webhooks', (h) => {
  const api = useServer(h);
  /** Whether the segment's members have been looked at for a webhook (its first look taken). */
  const looked = async (key: string) =>
    (await h.store().db.selectFrom('segment_members_seen').innerJoin('segments', 'segments.id', 'segment_members_seen.segment_id').innerJoin('workspaces', 'workspaces.id', 'segments.workspace_id').select('segments.key').where('workspaces.key', '=', h.workspaceKey()).where('segments.key', '=', key).execute()).length > 0;

  it('creates a webhook answering its secret once, lists it without the secret, and deletes it', async () => {
    await api.post('/api/v1/tags', { key: 'stage', name: '服务阶段', values: [{ key: 'pre', name: '售前' }] });
    const created = await api.post('/api/v1/webhooks', { url: 'https://crm.example.com/hooks/tagbase', tags: ['stage'] }, { 'x-tagbase-actor': encodeURIComponent('开发-小周') });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: expect.any(Number), url: 'https://crm.example.com/hooks/tagbase', tags: ['stage'], failures: 0, last_error: null, actor: '开发-小周' });
    expect(String(created.body.secret)).toMatch(/^[0-9a-f]{64}$/);
    const list = await api.get('/api/v1/webhooks');
    expect(list.body.items).toEqual([expect.objectContaining({ id: created.body.id, tags: ['stage'] })]);
    expect(JSON.stringify(list.body)).not.toContain(String(created.body.secret));
    // A name sent as raw UTF-8 bytes rather than percent-encoded reads the same; bytes that are not UTF-8 are refused.
    const raw = await api.post('/api/v1/webhooks', { url: 'https://crm.example.com/hooks/raw' }, { 'x-tagbase-actor': Buffer.from('开发-小周').toString('latin1') });
    expect(raw.body).toMatchObject({ actor: '开发-小周' });
    expect((await api.post('/api/v1/webhooks', { url: 'https://crm.example.com/hooks/bad' }, { 'x-tagbase-actor': '\u00e9t\u00e9' })).body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect((await api.del(`/api/v1/webhooks/${String(raw.body.id)}`)).status).toBe(204);
    expect((await api.del(`/api/v1/webhooks/${String(created.body.id)}`)).status).toBe(204);
    expect((await api.get('/api/v1/webhooks')).body.items).toEqual([]);
    expect((await api.del(`/api/v1/webhooks/${String(created.body.id)}`)).body).toMatchObject({ status: 404, code: 'WEBHOOK_NOT_FOUND' });
  });

  it('says in the OpenAPI document what a receiver checks a post by, and what it drops a change sent again by', async () => {
    const document = (await api.get('/api/v1/openapi.json')).body as { paths: Record<string, { post?: { description?: string } }> };
    const described = document.paths['/api/v1/webhooks']?.post?.description ?? '';
    for (const header of ['X-Tagbase-Signature:', 'X-Tagbase-Timestamp', 'X-Tagbase-Signature-Timed', 'X-Tagbase-Topic']) expect(described).toContain(header);
    expect(described).toContain('at least once');
    expect(described).toContain('`id` and `at`');
  });

  it('takes customer_changes as a topic, which no tag or segment filter chooses from', async () => {
    await api.post('/api/v1/tags', { key: 'stage', name: '服务阶段', values: [{ key: 'pre', name: '售前' }] });
    const made = await api.post('/api/v1/webhooks', { url: 'https://crm.example.com/hooks/people', topics: ['customer_changes', 'tag_changes'] });
    expect(made.status).toBe(201);
    expect(made.body.topics).toEqual(['tag_changes', 'customer_changes']);
    const refused = await api.post('/api/v1/webhooks', { url: 'https://crm.example.com/hooks/people', topics: ['customer_changes'], tags: ['stage'] });
    expect(refused.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
  });

  it('refuses a URL that is not http(s), a short secret, an unknown tag and unknown fields', async () => {
    // Placed in errors[] at `url`, as a URL the schema refuses is.
    const atUrl = (message: string) => ({ status: 400, code: 'VALIDATION_FAILED', errors: [{ index: -1, code: 'VALIDATION_FAILED', path: 'url', message: expect.stringContaining(message) }] });
    expect((await api.post('/api/v1/webhooks', { url: 'ftp://example.com/x' })).body).toMatchObject(atUrl('http or https'));
    expect((await api.post('/api/v1/webhooks', { url: 'http://example.com:25/x' })).body).toMatchObject(atUrl('port 25'));
    const made = await api.post('/api/v1/webhooks', { url: 'https://example.com/x' });
    expect((await api.patch(`/api/v1/webhooks/${String(made.body.id)}`, { url: 'mailto:ops@example.com' })).body).toMatchObject(atUrl('http or https'));
    expect((await api.del(`/api/v1/webhooks/${String(made.body.id)}`)).status).toBe(204);
    expect((await api.post('/api/v1/webhooks', { url: 'not a url' })).body.code).toBe('VALIDATION_FAILED');
    // A host and port typed without the scheme reads as a URL of scheme "localhost": said as what is missing.
    expect((await api.post('/api/v1/webhooks', { url: 'localhost:8080/hooks' })).body).toMatchObject(atUrl('"localhost:8080/hooks" has no http:// or https:// before it: write the whole URL, http://localhost:8080/hooks'));
    expect((await api.post('/api/v1/webhooks', { url: 'crm.example.com:8443/hooks' }, { 'accept-language': 'zh-CN' })).body).toMatchObject(atUrl('「crm.example.com:8443/hooks」前面缺少 http:// 或 https://：请写完整地址，如 http://crm.example.com:8443/hooks'));
    expect((await api.post('/api/v1/webhooks', { url: 'https://example.com/x', secret: 'short' })).body.code).toBe('VALIDATION_FAILED');
    expect((await api.post('/api/v1/webhooks', { url: 'https://example.com/x', secret: ' '.repeat(16) })).body).toMatchObject({ code: 'VALIDATION_FAILED', detail: expect.stringContaining('a secret may not start or end with spaces') });
    expect((await api.post('/api/v1/webhooks', { url: 'https://example.com/x', secret: 'pasted-secret-1234 ' })).body.code).toBe('VALIDATION_FAILED');
    expect((await api.post('/api/v1/webhooks', { url: 'https://example.com/x', tags: ['nope'] })).body).toMatchObject({ status: 404, code: 'TAG_NOT_FOUND' });
    expect((await api.post('/api/v1/webhooks', { url: 'https://example.com/x', events: ['*'] })).body.code).toBe('VALIDATION_FAILED');
    expect((await api.get('/api/v1/webhooks')).body.items).toEqual([]);
  });

  it('names the tags it posts by key or name, and keeps them as keys', async () => {
    await api.post('/api/v1/tags', { key: 'stage', name: '服务阶段', values: [{ key: 'pre', name: '售前' }] });
    await api.post('/api/v1/tags', { key: 'mine', name: '我的标签', scope: 'personal', values: [{ key: 'x', name: 'X' }] }, { 'x-tagbase-actor': 'lina' });
    const created = await api.post('/api/v1/webhooks', { url: 'https://crm.example.com/hooks/named', tags: ['服务阶段', 'stage'] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ tags: ['stage'] });
    const changed = await api.patch(`/api/v1/webhooks/${String(created.body.id)}`, { tags: ['服务阶段'] });
    expect(changed.body).toMatchObject({ tags: ['stage'] });
    // A personal tag is never posted, by key or by name.
    const personal = await api.post('/api/v1/webhooks', { url: 'https://crm.example.com/hooks/mine', tags: ['我的标签'] }, { 'x-tagbase-actor': 'lina' });
    expect(personal.body).toMatchObject({ status: 404, code: 'TAG_NOT_FOUND', detail: 'Tag "我的标签" does not exist.' });
    expect(personal.body.errors).toEqual([{ index: -1, code: 'TAG_NOT_FOUND', path: 'tags.0', pointer: '#/tags/0', message: 'Tag "我的标签" does not exist.' }]);
    expect((await api.del(`/api/v1/webhooks/${String(created.body.id)}`)).status).toBe(204);
  });

  it('names every tag of its filter that does not exist in one problem, each placed in errors[] where the list has it first', async () => {
    await api.post('/api/v1/tags', { key: 'stage', name: '服务阶段', values: [{ key: 'pre', name: '售前' }] });
    const unknown = await api.post('/api/v1/webhooks', { url: 'https://example.com/x', tags: ['nope', 'stage', 'gone', 'nope', 'lost'] });
    // The detail begins as the one tag's problem did, naming the first, then the others.
    expect(unknown.body).toMatchObject({ status: 404, code: 'TAG_NOT_FOUND', detail: 'Tag "nope" does not exist. Neither do "gone" and "lost".' });
    expect(unknown.body.errors).toEqual([
      { index: -1, code: 'TAG_NOT_FOUND', path: 'tags.0', pointer: '#/tags/0', message: 'Tag "nope" does not exist.' },
      { index: -1, code: 'TAG_NOT_FOUND', path: 'tags.2', pointer: '#/tags/2', message: 'Tag "gone" does not exist.' },
      { index: -1, code: 'TAG_NOT_FOUND', path: 'tags.4', pointer: '#/tags/4', message: 'Tag "lost" does not exist.' },
    ]);
    const made = await api.post('/api/v1/webhooks', { url: 'https://example.com/x', tags: ['stage'] });
    const patched = await api.patch(`/api/v1/webhooks/${String(made.body.id)}`, { tags: ['stage', '售后'] }, { 'accept-language': 'zh-CN' });
    expect(patched.body).toMatchObject({ status: 404, code: 'TAG_NOT_FOUND', detail: '标签「售后」不存在。' });
    expect(patched.body.errors).toEqual([{ index: -1, code: 'TAG_NOT_FOUND', path: 'tags.1', pointer: '#/tags/1', message: '标签「售后」不存在。' }]);
    const two = await api.patch(`/api/v1/webhooks/${String(made.body.id)}`, { tags: ['售后', '售中'] }, { 'accept-language': 'zh-CN' });
    expect(two.body).toMatchObject({ code: 'TAG_NOT_FOUND', detail: '标签「售后」不存在。「售中」也不存在。' });
    expect((await api.post('/api/v1/webhooks', { url: 'https://example.com/y', tags: ['nope', 'gone'] })).body.detail).toBe('Tag "nope" does not exist. Neither does "gone".');
    expect((await api.get('/api/v1/webhooks')).body.items).toEqual([expect.objectContaining({ tags: ['stage'] })]);
  });

  it('watches saved segments named by key or name, and keeps a watched segment from being deleted', async () => {
    await api.post('/api/v1/tags', { key: 'stage', name: '服务阶段', values: [{ key: 'pre', name: '售前' }] });
    await api.post('/api/v1/segments', { key: 'pre_sale', name: '售前客户', expression: 'stage = "pre"' });
    const created = await api.post('/api/v1/webhooks', { url: 'https://crm.example.com/hooks/segments', topics: ['segment_changes'], segments: ['售前客户'] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ topics: ['segment_changes'], segments: ['pre_sale'], tags: [] });
    // Its members are looked at as the webhook is made, not in the next delivery round: whoever enters next is posted as entering.
    expect(await looked('pre_sale')).toBe(true);
    // Renamed, it is still watched, under its new key.
    await api.patch('/api/v1/segments/pre_sale', { key: 'presale' });
    expect((await api.get('/api/v1/webhooks')).body.items).toEqual([expect.objectContaining({ segments: ['presale'] })]);
    const refused = await api.del('/api/v1/segments/presale');
    expect(refused.body).toMatchObject({ status: 409, code: 'SEGMENT_IN_USE' });
    expect(String(refused.body.detail)).toContain(`webhook ${String(created.body.id)}`);
    expect((await api.post('/api/v1/webhooks', { url: 'https://example.com/x', topics: ['segment_changes'], segments: ['nope'] })).body).toMatchObject({ status: 404, code: 'SEGMENT_NOT_FOUND' });
    // Several that do not exist are all named in one problem, one item of errors[] each, as the overlap names them.
    const unknown = await api.post('/api/v1/webhooks', { url: 'https://example.com/x', segments: ['nope', 'presale', 'gone', 'nope'] });
    expect(unknown.body).toMatchObject({ status: 404, code: 'SEGMENT_NOT_FOUND' });
    expect(String(unknown.body.detail)).toContain('"nope" and "gone"');
    expect(unknown.body.errors).toEqual([
      expect.objectContaining({ index: -1, code: 'SEGMENT_NOT_FOUND', path: 'segments.0', pointer: '#/segments/0' }),
      expect.objectContaining({ index: -1, code: 'SEGMENT_NOT_FOUND', path: 'segments.2', pointer: '#/segments/2' }),
    ]);
    expect((await api.patch(`/api/v1/webhooks/${String(created.body.id)}`, { segments: ['gone', 'nope'] })).body.errors).toEqual([
      expect.objectContaining({ path: 'segments.0' }),
      expect.objectContaining({ path: 'segments.1' }),
    ]);
    expect((await api.post('/api/v1/webhooks', { url: 'https://example.com/x', topics: ['segments'] })).body.code).toBe('VALIDATION_FAILED');
    // Named segments without topics: their changes are what is posted.
    const bySegment = await api.post('/api/v1/webhooks', { url: 'https://example.com/by-segment', segments: ['presale'] });
    expect(bySegment.body).toMatchObject({ topics: ['segment_changes'], segments: ['presale'] });
    const both = await api.post('/api/v1/webhooks', { url: 'https://example.com/both', tags: ['stage'], segments: ['presale'] });
    expect(both.body).toMatchObject({ topics: ['tag_changes', 'segment_changes'] });
    // A filter of a topic not posted would do nothing: refused, as made and as changed.
    const unposted = await api.post('/api/v1/webhooks', { url: 'https://example.com/x', topics: ['tag_changes'], segments: ['presale'] }, { 'accept-language': 'zh-CN' });
    expect(unposted.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', detail: '请求无效：segments 只筛选 segment_changes 推送的内容，而这个 Webhook 不推送 segment_changes：请把它加入 topics，或不填 segments' });
    // Changed to stop the topic, with the filter it keeps not sent: the refusal says how to drop it.
    const stopped = await api.patch(`/api/v1/webhooks/${String(bySegment.body.id)}`, { topics: ['care_reminders'] });
    expect(stopped.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect(stopped.body.detail).toBe('The request is not valid: this webhook\'s segment_changes are limited to 1 of its segments, and this change stops segment_changes: send "segments": [] with it to drop them too, or keep segment_changes in topics');
    const stoppedZh = await api.patch(`/api/v1/webhooks/${String(bySegment.body.id)}`, { topics: ['care_reminders'] }, { 'accept-language': 'zh-CN' });
    expect(stoppedZh.body.detail).toBe('请求无效：这个 Webhook 的 segment_changes 限定了 1 个 segments，而这次修改不再推送 segment_changes：请同时传 "segments": [] 一并去掉，或在 topics 中保留 segment_changes');
    expect((await api.patch(`/api/v1/webhooks/${String(bySegment.body.id)}`, { topics: ['care_reminders'], segments: [] })).body).toMatchObject({ topics: ['care_reminders'], segments: [] });
    expect((await api.post('/api/v1/webhooks', { url: 'https://example.com/x', topics: ['care_reminders'], tags: ['stage'] })).body.code).toBe('VALIDATION_FAILED');
    for (const id of [bySegment.body.id, both.body.id]) expect((await api.del(`/api/v1/webhooks/${String(id)}`)).status).toBe(204);
    expect((await api.del(`/api/v1/webhooks/${String(created.body.id)}`)).status).toBe(204);
    expect((await api.del('/api/v1/segments/presale')).status).toBe(204);
  });

  it('posts a test to a webhook and answers how the receiver did, even when it failed', async () => {
    // A port that was just given up: nothing listens on it.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const created = await api.post('/api/v1/webhooks', { url: `http://127.0.0.1:${port}/hook` });
    const tested = await api.post(`/api/v1/webhooks/${String(created.body.id)}/test`, {});
    expect(tested.status).toBe(200);
    expect(tested.body).toMatchObject({ delivered: false, status: null, error: 'ECONNREFUSED', took_ms: expect.any(Number) });
    expect((await api.post('/api/v1/webhooks/424242/test', {})).body).toMatchObject({ status: 404, code: 'WEBHOOK_NOT_FOUND', detail: 'Webhook 424242 does not exist.' });
    // The test is in the webhook's deliveries log, as it was answered.
    const deliveries = await api.get(`/api/v1/webhooks/${String(created.body.id)}/deliveries`);
    expect(deliveries.body.items).toEqual([{ id: expect.any(Number), topic: 'test', items: 0, first_id: null, last_id: null, delivered: false, status: null, error: 'ECONNREFUSED', took_ms: expect.any(Number), at: h.clock.now().toISOString() }]);
    expect((await api.get('/api/v1/webhooks/424242/deliveries')).body).toMatchObject({ status: 404, code: 'WEBHOOK_NOT_FOUND' });
  });

  it('pauses a webhook, refuses to retry it while paused, resumes it, and records each in the audit trail', async () => {
    const created = await api.post('/api/v1/webhooks', { url: 'https://crm.example.com/paused' });
    const path = `/api/v1/webhooks/${String(created.body.id)}`;
    const paused = await api.post(`${path}/pause`, {}, { 'x-tagbase-actor': encodeURIComponent('运营-王芳') });
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ id: created.body.id, paused_at: h.clock.now().toISOString(), paused_by: '运营-王芳', next_attempt_at: null });
    expect((await api.get('/api/v1/webhooks')).body.items).toEqual([expect.objectContaining({ id: created.body.id, paused_by: '运营-王芳' })]);
    const refused = await api.post(`${path}/retry`, {}, { 'accept-language': 'zh-CN' });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'WEBHOOK_PAUSED', title: 'Webhook 已暂停', detail: expect.stringContaining('恢复后会推送尚未送达的内容') });
    const resumed = await api.post(`${path}/resume`, {});
    expect(resumed.body).toMatchObject({ paused_at: null, paused_by: null });
    expect((await api.post(`${path}/retry`, {})).body).toMatchObject({ id: created.body.id, failures: 0 });
    for (const change of ['pause', 'resume', 'retry']) expect((await api.post(`/api/v1/webhooks/424242/${change}`, {})).body).toMatchObject({ status: 404, code: 'WEBHOOK_NOT_FOUND' });
    const trail = (await api.get('/api/v1/audit')).body.items as { action: string }[];
    expect(trail.map((entry) => entry.action)).toEqual(expect.arrayContaining(['POST /webhooks/:webhook/pause', 'POST /webhooks/:webhook/resume', 'POST /webhooks/:webhook/retry']));
  });

  it('shows a webhook that paused itself after failing for 3 days as such, records it in the audit trail as the system, and clears it on resume', async () => {
    // A port that was just given up: nothing listens on it.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await api.post('/api/v1/tags', { key: 'stage', name: '服务阶段', values: [{ key: 'pre', name: '售前' }] });
    await api.post('/api/v1/customers', { customers: [{ id: 'C1' }] });
    const created = await api.post('/api/v1/webhooks', { url: `http://127.0.0.1:${port}/hook` });
    expect(created.body).toMatchObject({ paused_reason: null, failing_since: null });
    expect((await api.post('/api/v1/customers/C1/tags', { tag: 'stage', value: 'pre' })).status).toBeLessThan(300);
    const start = h.clock.now().getTime();
    await deliverWebhooks(h.store(), { now: () => start });
    const listed = async () => ((await api.get('/api/v1/webhooks')).body.items as { id: number }[]).find((each) => each.id === created.body.id);
    expect(await listed()).toMatchObject({ failures: 1, failing_since: new Date(start).toISOString(), paused_at: null, paused_reason: null });
    const pausedAt = start + WEBHOOK_AUTO_PAUSE_MS;
    await deliverWebhooks(h.store(), { now: () => pausedAt });
    expect(await listed()).toMatchObject({ failures: 2, last_error: 'ECONNREFUSED', paused_at: new Date(pausedAt).toISOString(), paused_by: 'system', paused_reason: 'failing', next_attempt_at: null, failing_since: new Date(start).toISOString() });
    const trail = (await api.get('/api/v1/audit', { 'accept-language': 'zh-CN' })).body.items as { action: string }[];
    expect(trail.find((entry) => entry.action === 'webhook auto-pause')).toMatchObject({ actor: 'system', source: 'system', summary: '暂停连续失败 3 天的 Webhook', target: `/webhooks/${String(created.body.id)}`, status: null });
    const resumed = await api.post(`/api/v1/webhooks/${String(created.body.id)}/resume`, {});
    expect(resumed.body).toMatchObject({ paused_at: null, paused_by: null, paused_reason: null, failing_since: null, failures: 2 });
    // Paused by hand it says so.
    expect((await api.post(`/api/v1/webhooks/${String(created.body.id)}/pause`, {})).body).toMatchObject({ paused_reason: 'manual' });
    const document = (await api.get('/api/v1/openapi.json')).body as { paths: Record<string, { get?: { description?: string } }> };
    expect(document.paths['/api/v1/webhooks']?.get?.description).toContain('`paused_reason`');
  });

  it('gives a webhook a new secret, shown once, with or without a body', async () => {
    const created = await api.post('/api/v1/webhooks', { url: 'https://crm.example.com/a', secret: 'the-first-secret-16' });
    const path = `/api/v1/webhooks/${String(created.body.id)}/secret`;
    const chosen = await api.post(path, { secret: 'the-second-secret-16' });
    expect(chosen.status).toBe(200);
    expect(chosen.body).toMatchObject({ id: created.body.id, url: 'https://crm.example.com/a', secret: 'the-second-secret-16' });
    const made = await api.call('POST', path);
    expect(made.status).toBe(200);
    expect(String(made.body.secret)).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify((await api.get('/api/v1/webhooks')).body)).not.toContain(String(made.body.secret));
    expect((await api.post(path, { secret: 'short' })).body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect((await api.post(path, { url: 'https://elsewhere.example.com' })).body.code).toBe('VALIDATION_FAILED');
    expect((await api.post('/api/v1/webhooks/424242/secret', {})).body).toMatchObject({ status: 404, code: 'WEBHOOK_NOT_FOUND' });
  });

  it('changes a webhook’s URL and topics in place, and refuses unknown fields', async () => {
    await api.post('/api/v1/segments', { key: 'everyone', name: '全部', expression: 'not id missing' });
    const created = await api.post('/api/v1/webhooks', { url: 'https://crm.example.com/a' });
    const path = `/api/v1/webhooks/${String(created.body.id)}`;
    expect(await looked('everyone')).toBe(false);
    const changed = await api.patch(path, { url: 'https://crm.example.com/b', topics: ['segment_changes'], segments: ['全部'] });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ id: created.body.id, url: 'https://crm.example.com/b', topics: ['segment_changes'], segments: ['everyone'] });
    expect(await looked('everyone')).toBe(true);
    expect(changed.body.secret).toBeUndefined();
    expect((await api.patch(path, { secret: 'a-secret-of-sixteen+' })).body).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [expect.objectContaining({ path: 'secret', message: 'the secret is changed with POST /webhooks/{webhook}/secret, which shows the new one once' })],
    });
    expect((await api.patch(path, { secret: 'a-secret-of-sixteen+' }, { 'accept-language': 'zh-CN' })).body.detail).toContain('签名密钥请用 POST /webhooks/{webhook}/secret 更换，新密钥只显示这一次');
    expect((await api.patch('/api/v1/webhooks/424242', { tags: [] })).body).toMatchObject({ status: 404, code: 'WEBHOOK_NOT_FOUND' });
  });

  it('does not show again a password written in the URL', async () => {
    await api.post('/api/v1/webhooks', { url: 'https://crm:s3cret-pass@crm.example.com/hooks' });
    const list = await api.get('/api/v1/webhooks');
    expect(list.body.items).toEqual([expect.objectContaining({ url: 'https://crm:***@crm.example.com/hooks' })]);
    expect(JSON.stringify(list.body)).not.toContain('s3cret-pass');
  });

  it('answers one webhook alone as the list answers it, its secret and the password in its URL not shown', async () => {
    await api.post('/api/v1/segments', { key: 'vips', name: '重要客户', expression: 'city = "上海"' });
    const created = await api.post('/api/v1/webhooks', { url: 'https://crm:s3cret-pass@crm.example.com/hooks', segments: ['vips'] });
    await api.post(`/api/v1/webhooks/${String(created.body.id)}/pause`, {}, { 'x-tagbase-actor': encodeURIComponent('运营-王芳') });
    const one = await api.get(`/api/v1/webhooks/${String(created.body.id)}`);
    expect(one.status).toBe(200);
    expect(one.body).toEqual(((await api.get('/api/v1/webhooks')).body.items as unknown[])[0]);
    expect(one.body).toMatchObject({ id: created.body.id, url: 'https://crm:***@crm.example.com/hooks', segments: ['vips'], topics: ['segment_changes'], paused_by: '运营-王芳' });
    expect(one.text).not.toContain('s3cret-pass');
    expect(one.text).not.toContain(String(created.body.secret));
    expect((await api.get('/api/v1/webhooks/424242', { 'accept-language': 'en' })).body).toMatchObject({ status: 404, code: 'WEBHOOK_NOT_FOUND', detail: 'Webhook 424242 does not exist.' });
    expect((await api.get('/api/v1/webhooks/0')).body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
  });

  it('refuses a change of a webhook that names nothing to change, rather than answering it done and recording it in the audit trail', async () => {
    const id = (await api.post('/api/v1/webhooks', { url: 'https://crm.example.com/hooks/none' })).body.id as number;
    const refused = await api.patch(`/api/v1/webhooks/${id}`, {}, { 'accept-language': 'en' });
    expect(refused.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', detail: 'The request is not valid: nothing to change: give url, tags, segments or topics' });
    const trail = (await api.get('/api/v1/audit?limit=500')).body.items as { action: string }[];
    expect(trail.filter((entry) => entry.action.startsWith('PATCH'))).toEqual([]);
  });
});
