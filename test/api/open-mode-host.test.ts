// Until the first access token exists the server asks for no sign-in, so a web page that points
// a name of its own at 127.0.0.1 (DNS rebinding) could read and change everything from a
// visitor's browser. Meanwhile only requests addressed to localhost or an IP address are answered.
import { request } from 'node:http';
import { expect } from 'vitest';
import { createAccessToken } from '../../src/engine/access-tokens.js';
import { forEachStore, it } from '../support/stores.js';
import { useServer } from './support.js';

interface Answer {
  status: number;
  body: { code?: string; detail?: string; status?: number | string };
}

forEachStore('API: a request addressed to another name than localhost while no token exists', (h) => {
  const api = useServer(h, { tokensReadEveryMs: 0 });
  let port: number | undefined;
  const listening = async () => (port ??= Number(new URL(await api.listen()).port));

  /** A GET over a real socket to 127.0.0.1, its Host header as given (fetch sets its own). */
  const send = (port: number, path: string, host: string, headers: Record<string, string> = {}) =>
    new Promise<Answer>((resolve, reject) => {
      const call = request({ host: '127.0.0.1', port, path, headers: { host, 'x-tagbase-workspace': h.workspaceKey(), ...headers } }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: response.statusCode ?? 0, body: text.startsWith('{') ? (JSON.parse(text) as Answer['body']) : {} });
        });
      });
      call.on('error', reject);
      call.end();
    });

  it('refuses another name, in English and Chinese, and answers localhost, its subdomains and IP addresses', async () => {
    const port = await listening();
    const evil = await send(port, '/api/v1/customers', `evil.example.com:${String(port)}`);
    expect(evil.status).toBe(403);
    expect(evil.body).toMatchObject({ status: 403, code: 'HOST_NOT_ALLOWED' });
    expect(evil.body.detail).toContain('"evil.example.com"');
    expect(evil.body.detail).toContain(`http://localhost:${String(port)}`);
    expect(evil.body.detail).toContain(`http://127.0.0.1:${String(port)}`);
    expect(evil.body.detail).toContain('access token');
    const zh = await send(port, '/api/v1/customers', 'evil.example.com', { 'accept-language': 'zh-CN' });
    expect(zh.status).toBe(403);
    expect(zh.body.code).toBe('HOST_NOT_ALLOWED');
    expect(zh.body.detail).toContain('访问令牌');
    expect(zh.body.detail).toContain(`http://localhost:${String(port)}`);
    // Every path alike: a change, the session, the console's pages, a path nobody answers.
    for (const path of ['/api/v1/session', '/api/v1/openapi.json', '/', '/customers', '/nowhere']) {
      expect((await send(port, path, 'evil.example.com')).body.code, path).toBe('HOST_NOT_ALLOWED');
    }
    // Names that only look like the machine's own.
    for (const host of ['localhost.example.com', '127.0.0.1.nip.io', 'localhost.', 'localhostx:80', 'evil.example.com:8080']) {
      expect((await send(port, '/api/v1/customers', host)).status, host).toBe(403);
    }
    for (const host of [`localhost:${String(port)}`, 'localhost', 'LocalHost', `app.localhost:${String(port)}`, `127.0.0.1:${String(port)}`, '127.0.0.1', '192.168.1.20:8080', `[::1]:${String(port)}`, '[::1]']) {
      const answer = await send(port, '/api/v1/customers', host);
      expect(answer.status, host).toBe(200);
    }
  });

  it('answers the health check whatever the Host, for service managers and load balancers', async () => {
    const port = await listening();
    const health = await send(port, '/healthz', 'evil.example.com');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok' });
  });

  it('checks no Host once a token exists: the token protects then', async () => {
    const port = await listening();
    const { token } = await createAccessToken(h.store(), { name: '管理员', role: 'admin' }, h.clock.now());
    const signedIn = await send(port, '/api/v1/customers', 'tagbase.example.com', { authorization: `Bearer ${token}` });
    expect(signedIn.status).toBe(200);
    expect((await send(port, '/api/v1/customers', 'tagbase.example.com')).body.code).toBe('AUTH_REQUIRED');
  });
});
