// Conditional requests on single resources: an ETag on the portrait, a tag, a tag group, a
// segment, a care plan, a model, a webhook and the workspace, 304 for an If-None-Match that names
// it, and If-Match on their updates and deletions, refused with 412 (and nothing changed) once
// another change came first, or came at the same instant; an If-Match on a change of what has no
// ETag is refused too.
import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { useServer, type Reply } from './support.js';
import { listenForPosts } from '../support/webhook-receiver.js';

const interests = { key: 'interests', name: '兴趣爱好', cardinality: 'multi', values: [{ key: 'golf', name: '高尔夫' }, { key: 'yoga', name: '瑜伽' }] };

/** After `turns` turns of the event loop, what other requests in flight do meanwhile. */
async function turnsLater(turns: number): Promise<void> {
  for (let turn = 0; turn < turns; turn += 1) await new Promise((resolve) => setImmediate(resolve));
}

const etagOf = (reply: Reply) => {
  const etag = reply.headers.etag;
  expect(typeof etag).toBe('string');
  // Strong: no W/ in front.
  expect(etag).toMatch(/^"[^"]+"$/);
  return String(etag);
};

forEachStore('API: conditional requests', (h) => {
  const api = useServer(h);

  /** A GET with the ETag it was given (in `sent`, by default alone) answers 304 with no body and the same ETag. */
  async function expectNotModified(url: string, etag: string, headers: Record<string, string> = {}, sent = etag) {
    const again = await api.get(url, { 'if-none-match': sent, ...headers });
    expect(again.status, url).toBe(304);
    expect(again.text, url).toBe('');
    expect(again.headers.etag, url).toBe(etag);
  }

  it('tags a customer portrait, answers 304 while it is the same, and a new ETag once it changed', async () => {
    expect((await api.post('/api/v1/customers', { customers: [{ id: 'C1', name: '王芳', city: '上海' }] })).status).toBe(200);
    const first = await api.get('/api/v1/customers/C1');
    expect(first.status).toBe(200);
    const etag = etagOf(first);
    await expectNotModified('/api/v1/customers/C1', etag);
    // Among others, weak or not, or any at all.
    await expectNotModified('/api/v1/customers/C1', etag, {}, `"other", W/${etag}`);
    await expectNotModified('/api/v1/customers/C1', etag, {}, '*');
    expect((await api.get('/api/v1/customers/C1', { 'if-none-match': '"other"' })).status).toBe(200);
    const head = await api.call('HEAD', '/api/v1/customers/C1', undefined, { 'if-none-match': etag });
    expect(head.status).toBe(304);
    expect(head.headers.etag).toBe(etag);
    // Over a real connection too: no body, no length, and the connection goes on.
    const base = await api.listen();
    const overTheWire = await fetch(`${base}/api/v1/customers/C1`, { headers: { 'x-tagbase-workspace': h.workspaceKey(), 'if-none-match': etag } });
    expect(overTheWire.status).toBe(304);
    expect(overTheWire.headers.get('etag')).toBe(etag);
    expect(await overTheWire.text()).toBe('');
    expect((await fetch(`${base}/api/v1/customers/C1`, { headers: { 'x-tagbase-workspace': h.workspaceKey() } })).status).toBe(200);

    expect((await api.post('/api/v1/customers', { customers: [{ id: 'C1', city: '杭州' }] })).status).toBe(200);
    const changed = await api.get('/api/v1/customers/C1', { 'if-none-match': etag });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ city: '杭州' });
    expect(etagOf(changed)).not.toBe(etag);
    // A customer not there is a problem, with no ETag.
    const missing = await api.get('/api/v1/customers/C9', { 'if-none-match': '*' });
    expect(missing.status).toBe(404);
    expect(missing.headers.etag).toBeUndefined();
  });

  it('tags a tag definition, and refuses a change made against an ETag no longer current with 412, changing nothing', async () => {
    expect((await api.post('/api/v1/customers', { customers: [{ id: 'C1' }, { id: 'C2' }] })).status).toBe(200);
    expect((await api.post('/api/v1/tags', interests)).status).toBe(201);
    const read = await api.get('/api/v1/tags/interests');
    const etag = etagOf(read);
    await expectNotModified('/api/v1/tags/interests', etag);
    // Found by its name, it is the same answer.
    await expectNotModified(`/api/v1/tags/${encodeURIComponent('兴趣爱好')}`, etag);

    // Another operator renames it first: the answer carries the new ETag, which a GET gives too.
    const renamed = await api.patch('/api/v1/tags/interests', { name: '爱好' }, { 'if-match': etag });
    expect(renamed.status).toBe(200);
    const newer = etagOf(renamed);
    expect(newer).not.toBe(etag);
    const reread = await api.get('/api/v1/tags/interests', { 'if-none-match': etag });
    expect(reread.status).toBe(200);
    expect(etagOf(reread)).toBe(newer);

    // The first operator's change, made against what they read, is refused, in their language.
    for (const language of ['en', 'zh-CN']) {
      const stale = await api.patch('/api/v1/tags/interests', { name: '兴趣', color: '#ff0000' }, { 'if-match': etag, 'accept-language': language });
      expect(stale.status).toBe(412);
      expect(stale.contentType).toContain('application/problem+json');
      expect(stale.body).toMatchObject({ status: 412, code: 'PRECONDITION_FAILED', type: 'urn:tagbase:problem:precondition-failed', instance: '/api/v1/tags/interests' });
      expect(stale.body.detail).toContain(language === 'en' ? 'changed since it was read' : '读取之后这里已被修改');
    }
    // So is a weak one (If-Match compares strongly), and one that is no ETag at all.
    expect((await api.patch('/api/v1/tags/interests', { name: '兴趣' }, { 'if-match': `W/${newer}` })).body.code).toBe('PRECONDITION_FAILED');
    expect((await api.patch('/api/v1/tags/interests', { name: '兴趣' }, { 'if-match': 'nonsense' })).body.code).toBe('PRECONDITION_FAILED');
    await expectNotModified('/api/v1/tags/interests', newer);
    expect((await api.get('/api/v1/tags/interests')).body).toMatchObject({ name: '爱好', color: null });

    // A value's change answers the tag, checked against the tag's ETag.
    expect((await api.patch('/api/v1/tags/interests/values/golf', { name: '高球' }, { 'if-match': etag })).body.code).toBe('PRECONDITION_FAILED');
    const valueRenamed = await api.patch('/api/v1/tags/interests/values/golf', { name: '高球' }, { 'if-match': `"other", ${newer}` });
    expect(valueRenamed.status).toBe(200);
    expect(etagOf(valueRenamed)).toBe(etagOf(await api.get('/api/v1/tags/interests')));

    // Its counts are part of it: a customer gaining it changes the ETag.
    const before = etagOf(await api.get('/api/v1/tags/interests'));
    expect((await api.post('/api/v1/tags/interests/assign', { value: 'golf', customers: ['C1'] })).status).toBe(200);
    const assigned = await api.get('/api/v1/tags/interests', { 'if-none-match': before });
    expect(assigned.status).toBe(200);
    expect(assigned.body).toMatchObject({ customers: 1 });
    // Any current ETag, or `*`, lets the change through; without the header it is made as before.
    expect((await api.patch('/api/v1/tags/interests', { name: '兴趣' }, { 'if-match': etagOf(assigned) })).status).toBe(200);
    expect((await api.patch('/api/v1/tags/interests', { description: '客户的兴趣' }, { 'if-match': '*' })).status).toBe(200);
    expect((await api.patch('/api/v1/tags/interests', { color: '#00aa00' })).status).toBe(200);
    expect((await api.get('/api/v1/tags/interests')).body).toMatchObject({ name: '兴趣', description: '客户的兴趣', color: '#00aa00' });
  });

  it('tags a tag group, and checks If-Match on its changes', async () => {
    expect((await api.post('/api/v1/tag-groups', { key: 'profile', name: '客户画像' })).status).toBe(201);
    const etag = etagOf(await api.get('/api/v1/tag-groups/profile'));
    await expectNotModified('/api/v1/tag-groups/profile', etag);
    const renamed = await api.patch('/api/v1/tag-groups/profile', { name: '画像' }, { 'if-match': etag });
    expect(renamed.status).toBe(200);
    expect(etagOf(renamed)).toBe(etagOf(await api.get('/api/v1/tag-groups/profile')));
    expect((await api.patch('/api/v1/tag-groups/profile', { name: '客户' }, { 'if-match': etag })).body).toMatchObject({ status: 412, code: 'PRECONDITION_FAILED' });
    expect((await api.get('/api/v1/tag-groups/profile')).body).toMatchObject({ name: '画像' });
  });

  it('tags a segment leaving out the time its count took, and checks If-Match whatever language the ETag was read in', async () => {
    expect((await api.post('/api/v1/customers', { customers: [{ id: 'C1', city: '上海' }, { id: 'C2', city: '广州' }] })).status).toBe(200);
    expect((await api.post('/api/v1/tags', interests)).status).toBe(201);
    expect((await api.post('/api/v1/segments', { key: 'shanghai', name: '上海客户', expression: 'city = "上海"' })).status).toBe(201);
    const read = await api.get('/api/v1/segments/shanghai');
    expect(read.body).toMatchObject({ count: 1, took_ms: expect.any(Number) });
    const etag = etagOf(read);
    await expectNotModified('/api/v1/segments/shanghai', etag);

    const changed = await api.patch('/api/v1/segments/shanghai', { expression: 'city in ("上海", "广州")' }, { 'if-match': etag });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ key: 'shanghai', count: 2 });
    const newer = etagOf(changed);
    expect(newer).toBe(etagOf(await api.get('/api/v1/segments/shanghai')));
    const stale = await api.patch('/api/v1/segments/shanghai', { name: '上海' }, { 'if-match': etag, 'accept-language': 'zh-CN' });
    expect(stale).toMatchObject({ status: 412, body: { code: 'PRECONDITION_FAILED', title: '读取之后已被修改' } });
    expect((await api.get('/api/v1/segments/shanghai')).body).toMatchObject({ name: '上海客户', expression: 'city in ("上海", "广州")' });
    // Customers joining change it.
    expect((await api.post('/api/v1/customers', { customers: [{ id: 'C3', city: '上海' }] })).status).toBe(200);
    const joined = await api.get('/api/v1/segments/shanghai', { 'if-none-match': newer });
    expect(joined).toMatchObject({ status: 200, body: { count: 3 } });

    // A segment whose expression no longer reads says why in the language asked: an ETag per
    // language, either of which is current for a change asked in the other.
    expect((await api.post('/api/v1/segments', { key: 'golfers', name: '高尔夫', expression: '兴趣爱好 has any ("高尔夫")' })).status).toBe(201);
    expect((await api.patch('/api/v1/tags/interests', { status: 'archived' })).status).toBe(200);
    const english = await api.get('/api/v1/segments/golfers');
    const chinese = await api.get('/api/v1/segments/golfers', { 'accept-language': 'zh-CN' });
    expect(english.body).toMatchObject({ count: null, problem: { code: 'EXPRESSION_UNKNOWN_NAME' } });
    expect(etagOf(chinese)).not.toBe(etagOf(english));
    await expectNotModified('/api/v1/segments/golfers', etagOf(chinese), { 'accept-language': 'zh-CN' });
    const mended = await api.patch('/api/v1/segments/golfers', { expression: 'city = "上海"' }, { 'if-match': etagOf(chinese), 'accept-language': 'en' });
    expect(mended).toMatchObject({ status: 200, body: { count: 2 } });
  });

  it('checks If-Match on deletions too: a tag, a value, a tag group or a segment changed since it was read is not deleted (412)', async () => {
    expect((await api.post('/api/v1/customers', { customers: [{ id: 'C1', city: '上海' }] })).status).toBe(200);
    expect((await api.post('/api/v1/tag-groups', { key: 'profile', name: '客户画像' })).status).toBe(201);
    expect((await api.post('/api/v1/tags', interests)).status).toBe(201);
    expect((await api.post('/api/v1/segments', { key: 'shanghai', name: '上海客户', expression: 'city = "上海"' })).status).toBe(201);
    const reads = {
      group: etagOf(await api.get('/api/v1/tag-groups/profile')),
      tag: etagOf(await api.get('/api/v1/tags/interests')),
      segment: etagOf(await api.get('/api/v1/segments/shanghai')),
    };
    // Another operator changes each of them after it was read.
    expect((await api.patch('/api/v1/tag-groups/profile', { name: '画像' })).status).toBe(200);
    expect((await api.patch('/api/v1/tags/interests', { name: '爱好' })).status).toBe(200);
    expect((await api.patch('/api/v1/segments/shanghai', { name: '上海' })).status).toBe(200);
    const stale: [string, string][] = [
      ['/api/v1/tag-groups/profile', reads.group],
      ['/api/v1/tags/interests/values/yoga', reads.tag],
      ['/api/v1/tags/interests', reads.tag],
      ['/api/v1/segments/shanghai', reads.segment],
    ];
    for (const [url, etag] of stale) {
      for (const language of ['en', 'zh-CN']) {
        const refused = await api.call('DELETE', url, undefined, { 'if-match': etag, 'accept-language': language });
        expect(refused.status, url).toBe(412);
        expect(refused.contentType, url).toContain('application/problem+json');
        expect(refused.body, url).toMatchObject({ code: 'PRECONDITION_FAILED', instance: url });
        expect(refused.body.detail, url).toContain(language === 'en' ? 'changed since it was read' : '读取之后这里已被修改');
      }
    }
    expect((await api.get('/api/v1/tag-groups/profile')).body).toMatchObject({ name: '画像' });
    expect((await api.get('/api/v1/tags/interests')).body).toMatchObject({ name: '爱好', values: [{ key: 'golf' }, { key: 'yoga' }] });
    expect((await api.get('/api/v1/segments/shanghai')).status).toBe(200);
    // Against what is current (or `*`), each goes.
    expect((await api.call('DELETE', '/api/v1/tags/interests/values/yoga', undefined, { 'if-match': etagOf(await api.get('/api/v1/tags/interests')) })).status).toBe(200);
    expect((await api.call('DELETE', '/api/v1/tags/interests', undefined, { 'if-match': etagOf(await api.get('/api/v1/tags/interests')) })).status).toBe(200);
    expect((await api.call('DELETE', '/api/v1/tag-groups/profile', undefined, { 'if-match': etagOf(await api.get('/api/v1/tag-groups/profile')) })).status).toBe(204);
    expect((await api.call('DELETE', '/api/v1/segments/shanghai', undefined, { 'if-match': etagOf(await api.get('/api/v1/segments/shanghai', { 'accept-language': 'zh-CN' })) })).status).toBe(204);
    // `*` asks only that it be there: one not there is not found.
    expect((await api.call('DELETE', '/api/v1/segments/shanghai', undefined, { 'if-match': '*' })).body).toMatchObject({ status: 404, code: 'SEGMENT_NOT_FOUND' });
  });

  /**
   * One resource kind's conditional requests: its GET gives an ETag and answers 304 to it; a
   * stale If-Match on its update and on its deletion is 412 with nothing changed; the current one
   * lets the update through, answering the new ETag, then the deletion.
   */
  async function expectConditional(url: string, update: { method: 'PATCH' | 'PUT'; body: unknown; changed: Record<string, unknown> }, changeMeanwhile: () => Promise<void>, still: Record<string, unknown>) {
    const etag = etagOf(await api.get(url));
    await expectNotModified(url, etag);
    await changeMeanwhile();
    const current = etagOf(await api.get(url));
    expect(current, url).not.toBe(etag);
    const staleUpdate = await api.call(update.method, url, update.body, { 'if-match': etag });
    expect(staleUpdate.status, url).toBe(412);
    expect(staleUpdate.body, url).toMatchObject({ code: 'PRECONDITION_FAILED', instance: url });
    const staleDeletion = await api.call('DELETE', url, undefined, { 'if-match': etag, 'accept-language': 'zh-CN' });
    expect(staleDeletion.status, url).toBe(412);
    expect(staleDeletion.body, url).toMatchObject({ code: 'PRECONDITION_FAILED', title: '读取之后已被修改' });
    const unchanged = await api.get(url, { 'if-none-match': current });
    expect(unchanged.status, url).toBe(304);
    expect((await api.get(url)).body, url).toMatchObject(still);
    const updated = await api.call(update.method, url, update.body, { 'if-match': `"other", ${current}` });
    expect(updated.status, url).toBe(200);
    expect(updated.body, url).toMatchObject(update.changed);
    const newer = etagOf(updated);
    expect(newer, url).not.toBe(current);
    expect(etagOf(await api.get(url)), url).toBe(newer);
    // The ETag it answered is current: the deletion made against it goes, one made against the one before does not.
    expect((await api.call('DELETE', url, undefined, { 'if-match': current })).status, url).toBe(412);
    const deleted = await api.call('DELETE', url, undefined, { 'if-match': newer });
    expect(deleted.status, url).toBeLessThan(300);
    expect(deleted.headers.etag, url).toBeUndefined();
  }

  it('tags a care plan, and checks If-Match on its changes and its deletion', async () => {
    const plan = { key: 'thanks', name: '购后感谢', trigger: { kind: 'event', event_type: 'order_paid' }, steps: [{ after: '0', message: '{name}，感谢购买' }] };
    expect((await api.post('/api/v1/care/plans', plan)).status).toBe(201);
    await expectConditional(
      '/api/v1/care/plans/thanks',
      { method: 'PATCH', body: { name: '感谢' }, changed: { key: 'thanks', name: '感谢' } },
      async () => expect((await api.patch('/api/v1/care/plans/thanks', { description: '下单后致谢' })).status).toBe(200),
      { name: '购后感谢', description: '下单后致谢' },
    );
    expect((await api.get('/api/v1/care/plans/thanks')).status).toBe(404);
  });

  it('tags a model, and checks If-Match on its parameters and on turning it off', async () => {
    expect((await api.call('PUT', '/api/v1/models/vip', { params: {} })).status).toBe(200);
    await expectConditional(
      '/api/v1/models/vip',
      { method: 'PUT', body: { params: { spend_365d: 3000 } }, changed: { key: 'vip', enabled: true, params: { spend_365d: 3000 } } },
      async () => expect((await api.call('PUT', '/api/v1/models/vip', { params: { spend_365d: 8000 } })).status).toBe(200),
      { enabled: true, params: { spend_365d: 8000 } },
    );
    expect((await api.get('/api/v1/models/vip')).body).toMatchObject({ enabled: false });
  });

  it('tags a webhook, and checks If-Match on its changes and its deletion', async () => {
    const id = String((await api.post('/api/v1/webhooks', { url: 'https://crm.example.com/hook' })).body.id);
    const url = `/api/v1/webhooks/${id}`;
    await expectConditional(
      url,
      { method: 'PATCH', body: { url: 'https://crm.example.com/other' }, changed: { id: Number(id), url: 'https://crm.example.com/other' } },
      async () => expect((await api.post(`${url}/pause`, {})).status).toBe(200),
      { url: 'https://crm.example.com/hook', paused_at: expect.any(String) },
    );
    expect((await api.get(url)).body).toMatchObject({ status: 404, code: 'WEBHOOK_NOT_FOUND' });
  });

  it('checks If-Match on pausing, resuming, retrying, testing a webhook and giving it a new secret', async () => {
    const id = String((await api.post('/api/v1/webhooks', { url: 'https://crm.example.com/hook' })).body.id);
    const url = `/api/v1/webhooks/${id}`;
    const secret = async () => (await h.store().db.selectFrom('webhooks').select('secret').where('id', '=', Number(id)).executeTakeFirstOrThrow()).secret;
    const secretBefore = await secret();
    const read = etagOf(await api.get(url));
    expect((await api.patch(url, { url: 'https://crm.example.com/other' })).status).toBe(200);
    const current = etagOf(await api.get(url));
    // Made against the webhook as it was read, before its URL changed: each is refused, nothing posted or changed.
    for (const action of ['pause', 'resume', 'retry', 'test', 'secret']) {
      const refused = await api.post(`${url}/${action}`, {}, { 'if-match': read });
      expect(refused.status, action).toBe(412);
      expect(refused.body, action).toMatchObject({ code: 'PRECONDITION_FAILED', instance: `${url}/${action}` });
    }
    await expectNotModified(url, current);
    expect(await secret()).toBe(secretBefore);
    expect((await api.get(`${url}/deliveries`)).body.items).toEqual([]);

    // Against the current one, pausing and resuming answer the webhook with its new ETag.
    const paused = await api.post(`${url}/pause`, {}, { 'if-match': current });
    expect(paused.body).toMatchObject({ paused_at: expect.any(String), paused_reason: 'manual' });
    const pausedTag = etagOf(paused);
    expect(pausedTag).not.toBe(current);
    expect(etagOf(await api.get(url))).toBe(pausedTag);
    expect((await api.post(`${url}/resume`, {}, { 'if-match': current })).body).toMatchObject({ status: 412, code: 'PRECONDITION_FAILED' });
    const resumed = await api.post(`${url}/resume`, {}, { 'if-match': pausedTag });
    expect(resumed.body).toMatchObject({ paused_at: null });
    const resumedTag = etagOf(resumed);
    expect(etagOf(await api.get(url))).toBe(resumedTag);
    // Retrying a webhook that is not failing changes nothing: the same ETag.
    const retried = await api.post(`${url}/retry`, {}, { 'if-match': resumedTag });
    expect(retried.status).toBe(200);
    expect(etagOf(retried)).toBe(resumedTag);
    // A new secret is no part of what GET answers: its answer, which shows the secret, carries no ETag, and the webhook's stays.
    const rotated = await api.post(`${url}/secret`, {}, { 'if-match': resumedTag });
    expect(rotated.status).toBe(200);
    expect(rotated.headers.etag).toBeUndefined();
    expect(await secret()).toBe(rotated.body.secret);
    expect(await secret()).not.toBe(secretBefore);
    await expectNotModified(url, resumedTag);
  });

  it('tags the workspace, and checks If-Match on a change of its name or time zone', async () => {
    const read = await api.get('/api/v1/workspace');
    expect(read.body).toMatchObject({ key: h.workspaceKey(), utc_offset_minutes: 480 });
    const etag = etagOf(read);
    await expectNotModified('/api/v1/workspace', etag);
    const renamed = await api.patch('/api/v1/workspace', { name: '杭州旗舰店' }, { 'if-match': etag });
    expect(renamed.status).toBe(200);
    const newer = etagOf(renamed);
    expect(newer).not.toBe(etag);
    expect(etagOf(await api.get('/api/v1/workspace', { 'if-none-match': etag }))).toBe(newer);
    // Another administrator's change, made against the workspace as it was before the rename, is refused.
    for (const language of ['en', 'zh-CN']) {
      const stale = await api.patch('/api/v1/workspace', { name: '上海店', utc_offset_minutes: 0 }, { 'if-match': etag, 'accept-language': language });
      expect(stale.status).toBe(412);
      expect(stale.body).toMatchObject({ code: 'PRECONDITION_FAILED', instance: '/api/v1/workspace' });
    }
    await expectNotModified('/api/v1/workspace', newer);
    expect((await api.get('/api/v1/workspace')).body).toMatchObject({ name: '杭州旗舰店', utc_offset_minutes: 480 });
    const moved = await api.patch('/api/v1/workspace', { utc_offset_minutes: 0 }, { 'if-match': `"other", ${newer}` });
    expect(moved.body).toMatchObject({ name: '杭州旗舰店', utc_offset_minutes: 0 });
    expect(etagOf(moved)).toBe(etagOf(await api.get('/api/v1/workspace')));
    expect((await api.patch('/api/v1/workspace', { utc_offset_minutes: 480 }, { 'if-match': '*' })).status).toBe(200);
  });

  it('checks If-Match on erasing a customer against the portrait', async () => {
    expect((await api.post('/api/v1/customers', { customers: [{ id: 'C1', city: '上海' }] })).status).toBe(200);
    const etag = etagOf(await api.get('/api/v1/customers/C1'));
    expect((await api.post('/api/v1/customers', { customers: [{ id: 'C1', city: '杭州' }] })).status).toBe(200);
    const refused = await api.call('DELETE', '/api/v1/customers/C1', undefined, { 'if-match': etag });
    expect(refused.body).toMatchObject({ status: 412, code: 'PRECONDITION_FAILED' });
    expect((await api.get('/api/v1/customers/C1')).body).toMatchObject({ city: '杭州' });
    const erased = await api.call('DELETE', '/api/v1/customers/C1', undefined, { 'if-match': etagOf(await api.get('/api/v1/customers/C1')) });
    expect(erased.status).toBe(200);
    expect((await api.get('/api/v1/customers/C1')).status).toBe(404);
  });

  it('checks and makes a change as one step: of two sent at once against the same ETag, one goes through and the other is refused (412)', async () => {
    expect((await api.post('/api/v1/customers', { customers: [{ id: 'C1', city: '上海' }] })).status).toBe(200);
    expect((await api.post('/api/v1/tags', interests)).status).toBe(201);
    expect((await api.post('/api/v1/segments', { key: 'shanghai', name: '上海客户', expression: 'city = "上海"' })).status).toBe(201);
    // Two operators who both read the same ETag send their changes at the same moment, or the
    // second a few turns of the event loop after the first. On PostgreSQL, whose answers come in
    // later turns, the second's check would land between the first's check and its change; on
    // SQLite, which answers at once, a handler now runs through in one turn, and this holds it to that.
    for (const url of ['/api/v1/tags/interests', '/api/v1/segments/shanghai', '/api/v1/tags/interests/values/golf']) {
      const read = url.includes('/values/') ? '/api/v1/tags/interests' : url;
      for (let round = 0; round < 12; round += 1) {
        const etag = etagOf(await api.get(read));
        const names = [`甲${round}`, `乙${round}`];
        const send = (name: string) => api.patch(url, { name }, { 'if-match': etag });
        const answers = await Promise.all([send(names[0] ?? ''), turnsLater(round).then(() => send(names[1] ?? ''))]);
        expect(answers.map((answer) => answer.status).sort(), `${url} round ${round}`).toEqual([200, 412]);
        const winner = names[answers.findIndex((answer) => answer.status === 200)];
        expect(answers.find((answer) => answer.status === 412)?.body).toMatchObject({ code: 'PRECONDITION_FAILED' });
        const stored = (await api.get(read)).body;
        if (url.includes('/values/')) expect(stored.values, url).toContainEqual(expect.objectContaining({ key: 'golf', name: winner }));
        else expect(stored, url).toMatchObject({ name: winner });
      }
    }
    // A change and a deletion at once: the deletion is refused once the change is made, or the change finds nothing left to change.
    const etag = etagOf(await api.get('/api/v1/segments/shanghai'));
    const [changed, deleted] = await Promise.all([api.patch('/api/v1/segments/shanghai', { name: '上海' }, { 'if-match': etag }), api.del('/api/v1/segments/shanghai', { 'if-match': etag })]);
    expect([changed.status, deleted.status]).toEqual(changed.status === 200 ? [200, 412] : [404, 204]);
  });

  it('lets the next change through after one whose handler failed', async () => {
    expect((await api.post('/api/v1/tags', interests)).status).toBe(201);
    expect((await api.post('/api/v1/tags', { key: 'channel', name: '渠道', cardinality: 'single', values: [{ key: 'web', name: '官网' }] })).status).toBe(201);
    const etag = etagOf(await api.get('/api/v1/tags/interests'));
    // Refused by the engine after the check: the name is another tag's.
    const clash = await api.patch('/api/v1/tags/interests', { name: '渠道' }, { 'if-match': etag });
    expect(clash.body).toMatchObject({ status: 409, code: 'TAG_NAME_TAKEN' });
    // Refused before the check: no such tag.
    expect((await api.patch('/api/v1/tags/nothing', { name: '无' }, { 'if-match': etag })).body).toMatchObject({ status: 404, code: 'TAG_NOT_FOUND' });
    const renamed = await api.patch('/api/v1/tags/interests', { name: '爱好' }, { 'if-match': etag });
    expect(renamed.status).toBe(200);
    expect((await api.get('/api/v1/tags/interests')).body).toMatchObject({ name: '爱好' });
  });

  it('checks a webhook test post’s If-Match without holding back the workspace’s changes while its receiver has not answered', async () => {
    // A receiver that holds its answer until told.
    let answer: () => void = () => {};
    let received: () => void = () => {};
    const posted = new Promise<void>((resolve) => (received = resolve));
    const slowReceiver = await listenForPosts((_request, _body, response) => {
      answer = () => response.end('ok');
      received();
    });
    try {
      const webhook = await api.post('/api/v1/webhooks', { url: `${slowReceiver.url}/hook` });
      expect((await api.post('/api/v1/tags', interests)).status).toBe(201);
      const etag = etagOf(await api.get(`/api/v1/webhooks/${String(webhook.body.id)}`));
      const tested = api.post(`/api/v1/webhooks/${String(webhook.body.id)}/test`, {}, { 'if-match': etag });
      // The receiver has the post and holds its answer: a tag is renamed meanwhile, with its ETag checked.
      await posted;
      const tagEtag = etagOf(await api.get('/api/v1/tags/interests'));
      expect((await api.patch('/api/v1/tags/interests', { name: '爱好' }, { 'if-match': tagEtag })).status).toBe(200);
      answer();
      expect((await tested).body).toMatchObject({ delivered: true, status: 200 });
      // Its If-Match is still checked.
      expect((await api.post(`/api/v1/webhooks/${String(webhook.body.id)}/test`, {}, { 'if-match': '"stale"' })).status).toBe(412);
    } finally {
      answer();
      await slowReceiver.close();
    }
  });

  it('refuses an If-Match on a change of what no GET answers alone (it has no ETag to match), and lets `*` and no header through', async () => {
    expect((await api.post('/api/v1/customers', { customers: [{ id: 'C1', identities: [{ kind: 'email', value: 'wang@example.com' }] }] })).status).toBe(200);
    // A workspace is deleted by its key, at an address no GET answers: its ETag is GET /workspace's, of the workspace a header names.
    const other = `etagless-${h.workspaceKey()}`.slice(0, 64);
    expect((await api.post('/api/v1/workspaces', { key: other, name: '别店' })).status).toBe(201);
    const refusedAll: ['PATCH' | 'POST' | 'DELETE', string, unknown][] = [
      ['DELETE', `/api/v1/workspaces/${other}?confirm=${other}`, undefined],
      ['DELETE', '/api/v1/customers/C1/identities/email/wang%40example.com', undefined],
    ];
    for (const [method, url, body] of refusedAll) {
      const refused = await api.call(method, url, body, { 'if-match': '"an-etag"' });
      expect(refused.status, `${method} ${url}`).toBe(412);
      expect(refused.body, `${method} ${url}`).toMatchObject({ code: 'NO_ETAG_TO_MATCH', instance: url });
    }
    expect((await api.call('DELETE', '/api/v1/customers/C1/identities/email/wang%40example.com', undefined, { 'if-match': '"an-etag"', 'accept-language': 'zh-CN' })).body).toMatchObject({
      title: '没有可匹配的 ETag',
      detail: expect.stringContaining('If-Match: "an-etag"'),
    });
    // Nothing changed.
    expect((await api.get('/api/v1/workspaces')).body.items).toContainEqual(expect.objectContaining({ key: other }));
    expect((await api.get('/api/v1/customers/C1')).body.identities).toEqual([{ kind: 'email', value: 'wang@example.com' }]);
    // `*` asks only that it be there; without the header the change is made as before.
    expect((await api.call('DELETE', `/api/v1/workspaces/${other}?confirm=${other}`, undefined, { 'if-match': '*' })).status).toBe(200);
    expect((await api.call('DELETE', '/api/v1/customers/C1/identities/email/wang%40example.com')).status).toBeLessThan(300);

    // A token, revoked by name: the last one, so that the API is open again afterwards.
    const token = (await api.post('/api/v1/tokens', { name: 'ops', role: 'admin' })).body.token as string;
    const as = { authorization: `Bearer ${token}` };
    expect((await api.call('DELETE', '/api/v1/tokens/ops', undefined, { ...as, 'if-match': '"an-etag"' })).body).toMatchObject({ status: 412, code: 'NO_ETAG_TO_MATCH' });
    expect((await api.get('/api/v1/session', as)).body).toMatchObject({ authenticated: true, name: 'ops' });
    expect((await api.call('DELETE', '/api/v1/tokens/ops', undefined, { ...as, 'if-match': '*' })).status).toBe(200);
    expect((await api.get('/api/v1/session')).body).toMatchObject({ auth_required: false });
  });

  it('describes ETags, 304 and 412 in the OpenAPI document', async () => {
    const document = (await api.get('/api/v1/openapi.json')).body as { paths: Record<string, Record<string, { responses: Record<string, { headers?: Record<string, unknown> }>; parameters?: { name: string; in: string }[] }>> };
    for (const path of ['/api/v1/customers/{id}', '/api/v1/tags/{tag}', '/api/v1/tag-groups/{group}', '/api/v1/segments/{segment}']) {
      const get = document.paths[path]?.get;
      expect(Object.keys(get?.responses ?? {}), path).toContain('304');
      expect(get?.responses['200']?.headers, path).toHaveProperty('ETag');
      expect(get?.parameters?.some((parameter) => parameter.in === 'header' && parameter.name === 'if-none-match'), path).toBe(true);
    }
    for (const path of ['/api/v1/care/plans/{plan}', '/api/v1/models/{model}', '/api/v1/webhooks/{webhook}', '/api/v1/workspace']) {
      const get = document.paths[path]?.get;
      expect(Object.keys(get?.responses ?? {}), path).toContain('304');
      expect(get?.responses['200']?.headers, path).toHaveProperty('ETag');
    }
    for (const [path, method] of [
      ['/api/v1/care/plans/{plan}', 'patch'],
      ['/api/v1/models/{model}', 'put'],
      ['/api/v1/webhooks/{webhook}', 'patch'],
      ['/api/v1/webhooks/{webhook}/pause', 'post'],
      ['/api/v1/webhooks/{webhook}/resume', 'post'],
      ['/api/v1/webhooks/{webhook}/retry', 'post'],
      ['/api/v1/workspace', 'patch'],
    ] as const) {
      const update = document.paths[path]?.[method];
      expect(Object.keys(update?.responses ?? {}), path).toContain('412');
      expect(update?.responses['200']?.headers, path).toHaveProperty('ETag');
      expect(update?.parameters?.some((parameter) => parameter.in === 'header' && parameter.name === 'if-match'), path).toBe(true);
    }
    for (const path of ['/api/v1/tags/{tag}', '/api/v1/tags/{tag}/values/{value}', '/api/v1/tag-groups/{group}', '/api/v1/segments/{segment}']) {
      const patch = document.paths[path]?.patch;
      expect(Object.keys(patch?.responses ?? {}), path).toContain('412');
      expect(patch?.responses['200']?.headers, path).toHaveProperty('ETag');
      expect(patch?.parameters?.some((parameter) => parameter.in === 'header' && parameter.name === 'if-match'), path).toBe(true);
    }
    // A deletion checks If-Match without answering the resource: 412, but no ETag on its answer.
    for (const path of ['/api/v1/tags/{tag}', '/api/v1/tags/{tag}/values/{value}', '/api/v1/tag-groups/{group}', '/api/v1/segments/{segment}', '/api/v1/care/plans/{plan}', '/api/v1/models/{model}', '/api/v1/customers/{id}', '/api/v1/webhooks/{webhook}']) {
      const deletion = document.paths[path]?.delete;
      expect(Object.keys(deletion?.responses ?? {}), path).toContain('412');
      expect(deletion?.responses['200']?.headers ?? {}, path).not.toHaveProperty('ETag');
      expect(deletion?.parameters?.some((parameter) => parameter.in === 'header' && parameter.name === 'if-match'), path).toBe(true);
    }
    // Testing a webhook and giving it a new secret check If-Match too, and answer no representation of it.
    for (const path of ['/api/v1/webhooks/{webhook}/test', '/api/v1/webhooks/{webhook}/secret']) {
      const action = document.paths[path]?.post;
      expect(Object.keys(action?.responses ?? {}), path).toContain('412');
      expect(action?.responses['200']?.headers ?? {}, path).not.toHaveProperty('ETag');
      expect(action?.parameters?.some((parameter) => parameter.in === 'header' && parameter.name === 'if-match'), path).toBe(true);
    }
  });
});
