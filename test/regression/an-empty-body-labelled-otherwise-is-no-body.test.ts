// A request with nothing in it is a request without a body, whatever its Content-Type says:
// `curl -X POST -d ''` labels nothing as a form, and `fetch(url, { method: 'POST', body: '' })` as
// text/plain. Calls that take no body were refused 415 ("send JSON") for it, which a client
// sending nothing could not act on; a call that needs a body says it has none.
import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { useServer } from '../api/support.js';

forEachStore('an empty body labelled otherwise is no body', (h) => {
  const api = useServer(h);
  let listening: string | undefined;
  const baseUrl = async () => (listening ??= await api.listen());

  it('lets a call that takes no body through, and tells one that needs a body that it has none', async () => {
    const base = await baseUrl();
    const workspace = { 'x-tagbase-workspace': h.workspaceKey() };
    expect((await api.post('/api/v1/segments', { key: 'gone', name: '将删除', expression: 'id exists' })).status).toBe(201);
    // fetch labels an empty string text/plain;charset=UTF-8, with Content-Length: 0.
    const deleted = await fetch(`${base}/api/v1/segments/gone`, { method: 'DELETE', headers: workspace, body: '' });
    expect(deleted.status).toBe(204);
    const form = await fetch(`${base}/api/v1/segments/count`, { method: 'POST', headers: { ...workspace, 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    expect(form.status).toBe(400);
    const problem = (await form.json()) as { code: string; detail: string };
    expect(problem.code).toBe('VALIDATION_FAILED');
    expect(problem.detail).toContain('the request has no body');
    // Without Content-Length or Transfer-Encoding a request has no body either (RFC 9112 §6.3).
    const bare = await api.call('POST', '/api/v1/segments/count', undefined, { 'content-type': 'text/plain' });
    expect([bare.status, bare.body.code]).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('still refuses a body that is there and not JSON, saying what it was sent as', async () => {
    const base = await baseUrl();
    const answer = await fetch(`${base}/api/v1/segments/count`, { method: 'POST', headers: { 'x-tagbase-workspace': h.workspaceKey(), 'content-type': 'text/plain' }, body: 'id exists' });
    expect(answer.status).toBe(415);
    expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(((await answer.json()) as { code: string; detail: string }).detail).toContain('got text/plain');
  });
});
