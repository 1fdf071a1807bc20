// Web pages of other origins (a WeCom sidebar, a CRM) call the API from a browser once their
// origin is listed (TAGBASE_CORS_ORIGINS): preflights are answered, answers carry the CORS
// headers, and an origin not listed gets none, with no error. Off by default, as before.
import { request } from 'node:http';
import { sql } from 'kysely';
import { describe, expect, it as plainIt } from 'vitest';
import { parseCorsOrigins, PREFLIGHT_MAX_AGE, type CorsOrigins } from '../../src/api/cors.js';
import { buildServer } from '../../src/api/server.js';
import { createAccessToken } from '../../src/engine/access-tokens.js';
import { ensureWorkspace } from '../../src/engine/workspaces.js';
import { openStore } from '../../src/store/connect.js';
import { forEachStore, it, type StoreHarness } from '../support/stores.js';
import { useServer } from './support.js';

const SIDEBAR = 'https://sidebar.example.com';
const DEV = 'http://localhost:5173';
const EVIL = 'https://evil.example.com';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

function origins(setting: string): CorsOrigins {
  const read = parseCorsOrigins(setting);
  if ('invalid' in read) throw new Error(`not origins: ${read.invalid}`);
  return read;
}

/** A server on a real socket, and a request to it as a browser would send it. */
function browserCalls(h: StoreHarness, corsOrigins?: CorsOrigins) {
  const api = useServer(h, { tokensReadEveryMs: 0, ...(corsOrigins ? { corsOrigins } : {}) });
  let port: number | undefined;
  return async (method: string, path: string, headers: Record<string, string> = {}, body?: unknown) => {
    port ??= Number(new URL(await api.listen()).port);
    const listening = port;
    return new Promise<Answer>((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const call = request({ host: '127.0.0.1', port: listening, method, path, headers: { 'x-tagbase-workspace': h.workspaceKey(), ...(payload ? { 'content-type': 'application/json' } : {}), ...headers } }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text: Buffer.concat(chunks).toString('utf8') }));
      });
      call.on('error', reject);
      call.end(payload);
    });
  };
}

const preflight = (origin: string, method = 'POST', headers = 'authorization, content-type, x-tagbase-workspace, idempotency-key') => ({
  origin,
  'access-control-request-method': method,
  'access-control-request-headers': headers,
});

/** The CORS headers of an answer, to say that there are none. */
const corsHeadersOf = (answer: Answer) => Object.keys(answer.headers).filter((name) => name.startsWith('access-control-'));

const listOf = (value: string | string[] | undefined) =>
  String(value ?? '')
    .split(',')
    .map((part) => part.trim().toLowerCase())
    .filter(Boolean);

forEachStore('API: calls from the web pages of listed origins', (h) => {
  const send = browserCalls(h, origins(`${SIDEBAR}, ${DEV}`));

  it('answers a preflight from a listed origin with the methods and headers the API takes', async () => {
    const answer = await send('OPTIONS', '/api/v1/customers/C001/tags', preflight(SIDEBAR));
    expect(answer.status).toBe(204);
    expect(answer.text).toBe('');
    expect(answer.headers['access-control-allow-origin']).toBe(SIDEBAR);
    expect(listOf(answer.headers['access-control-allow-methods'])).toEqual(expect.arrayContaining(['get', 'post', 'put', 'patch', 'delete']));
    expect(listOf(answer.headers['access-control-allow-headers'])).toEqual(
      expect.arrayContaining(['authorization', 'content-type', 'x-tagbase-workspace', 'x-tagbase-actor', 'prefer', 'idempotency-key', 'content-encoding', 'accept-language', 'if-match', 'if-none-match']),
    );
    expect(answer.headers['access-control-max-age']).toBe(String(PREFLIGHT_MAX_AGE));
    expect(listOf(answer.headers.vary)).toContain('origin');
    // Tokens travel in the Authorization header: the page's script sends them, no cookie is shared.
    expect(answer.headers['access-control-allow-credentials']).toBeUndefined();
    // The second origin listed, and an address no route answers (its call then reads the 404).
    expect((await send('OPTIONS', '/api/v1/tags', preflight(DEV, 'GET'))).headers['access-control-allow-origin']).toBe(DEV);
    expect((await send('OPTIONS', '/api/v1/nowhere', preflight(SIDEBAR, 'DELETE'))).headers['access-control-allow-origin']).toBe(SIDEBAR);
  });

  it('answers a preflight from an origin not listed with no CORS headers and no error', async () => {
    for (const origin of [EVIL, 'https://sidebar.example.com:8443', 'http://sidebar.example.com', 'null']) {
      const answer = await send('OPTIONS', '/api/v1/customers/C001/tags', preflight(origin));
      expect(answer.status, origin).toBe(204);
      expect(answer.text, origin).toBe('');
      expect(corsHeadersOf(answer), origin).toEqual([]);
      expect(listOf(answer.headers.vary), origin).toContain('origin');
    }
  });

  it('lets a listed origin read answers and the headers a client needs, and refuses nobody else', async () => {
    const created = await send('POST', '/api/v1/tags', { origin: SIDEBAR }, { key: 'service_stage', name: '服务阶段', values: [{ key: 'after_sales', name: '售后' }] });
    expect(created.status).toBe(201);
    expect(created.headers['access-control-allow-origin']).toBe(SIDEBAR);
    expect(listOf(created.headers['access-control-expose-headers'])).toEqual(expect.arrayContaining(['location', 'retry-after', 'content-disposition', 'x-tagbase-members', 'preference-applied', 'idempotent-replayed', 'www-authenticate', 'etag']));
    expect(created.headers.location).toBe('/api/v1/tags/service_stage');
    expect(listOf(created.headers.vary)).toContain('origin');
    // An origin not listed is answered as before, without CORS headers: its browser keeps the answer from the page.
    const other = await send('GET', '/api/v1/tags', { origin: EVIL });
    expect(other.status).toBe(200);
    expect(corsHeadersOf(other)).toEqual([]);
    expect(JSON.parse(other.text)).toMatchObject({ items: [expect.objectContaining({ key: 'service_stage' })] });
    expect(listOf(other.headers.vary)).toContain('origin');
    // A refusal reaches the listed page as problem JSON it can read.
    const missing = await send('GET', '/api/v1/tags/nothing', { origin: SIDEBAR, 'accept-language': 'zh-CN' });
    expect(missing.status).toBe(404);
    expect(missing.headers['access-control-allow-origin']).toBe(SIDEBAR);
    expect(missing.headers['content-type']).toContain('application/problem+json');
    expect(listOf(missing.headers.vary)).toEqual(expect.arrayContaining(['origin', 'accept-language']));
  });

  it('shares only the API: not the console, not the health check', async () => {
    for (const path of ['/', '/customers/C001', '/healthz']) {
      const answer = await send('GET', path, { origin: SIDEBAR });
      expect(corsHeadersOf(answer), path).toEqual([]);
      const asked = await send('OPTIONS', path, preflight(SIDEBAR, 'GET'));
      expect(corsHeadersOf(asked), path).toEqual([]);
      expect(asked.status, path).not.toBe(204);
    }
  });

  it('once tokens exist, answers a preflight without one and lets the page read why a call without one is refused', async () => {
    const { token } = await createAccessToken(h.store(), { name: '企微侧边栏', role: 'operator' }, h.clock.now());
    const asked = await send('OPTIONS', '/api/v1/customers/C001', preflight(SIDEBAR, 'GET', 'authorization, x-tagbase-workspace'));
    expect([asked.status, asked.headers['access-control-allow-origin']]).toEqual([204, SIDEBAR]);
    const refused = await send('GET', '/api/v1/tags', { origin: SIDEBAR });
    expect(refused.status).toBe(401);
    expect(refused.headers['access-control-allow-origin']).toBe(SIDEBAR);
    expect(JSON.parse(refused.text)).toMatchObject({ code: 'AUTH_REQUIRED' });
    const read = await send('GET', '/api/v1/tags', { origin: SIDEBAR, authorization: `Bearer ${token}` });
    expect([read.status, read.headers['access-control-allow-origin']]).toEqual([200, SIDEBAR]);
  });
});

forEachStore('API: calls from any origin (*)', (h) => {
  const send = browserCalls(h, origins('*'));

  it('shares nothing while the API is open, since any page a visitor opens could then use it', async () => {
    expect(corsHeadersOf(await send('OPTIONS', '/api/v1/tags', preflight(EVIL, 'GET')))).toEqual([]);
    const answer = await send('GET', '/api/v1/tags', { origin: EVIL });
    expect(answer.status).toBe(200);
    expect(corsHeadersOf(answer)).toEqual([]);
  });

  it('answers any origin once tokens exist, without credentials', async () => {
    const { token } = await createAccessToken(h.store(), { name: 'crm-sync', role: 'viewer' }, h.clock.now());
    const asked = await send('OPTIONS', '/api/v1/tags', preflight(EVIL, 'GET'));
    expect([asked.status, asked.headers['access-control-allow-origin'], asked.headers['access-control-allow-credentials']]).toEqual([204, '*', undefined]);
    const read = await send('GET', '/api/v1/tags', { origin: EVIL, authorization: `Bearer ${token}` });
    expect([read.status, read.headers['access-control-allow-origin']]).toEqual([200, '*']);
    // Without the token the page reads only the refusal.
    expect((await send('GET', '/api/v1/tags', { origin: EVIL })).status).toBe(401);
  });
});

forEachStore('API: cross-origin calls by default', (h) => {
  const send = browserCalls(h);

  it('answers no CORS headers at all, and a preflight as any OPTIONS call, as before the setting', async () => {
    const asked = await send('OPTIONS', '/api/v1/tags', preflight(SIDEBAR, 'GET'));
    expect(asked.status).toBe(405);
    expect(corsHeadersOf(asked)).toEqual([]);
    const answer = await send('GET', '/api/v1/tags', { origin: SIDEBAR });
    expect(answer.status).toBe(200);
    expect(corsHeadersOf(answer)).toEqual([]);
    expect(listOf(answer.headers.vary)).not.toContain('origin');
  });
});

// The health check says "degraded" after a change was refused until a change goes through; a
// preflight, which writes nothing, is no such change. A full disk as SQLite's max_page_count makes
// one (test/api/store-not-writable.test.ts); PostgreSQL's cannot be brought about on a shared server.
describe('a preflight while the store refuses writes [sqlite]', () => {
  plainIt('leaves the health check degraded', async () => {
    const store = await openStore(':memory:');
    const at = new Date('2026-06-15T10:00:00Z');
    let app: Awaited<ReturnType<typeof buildServer>> | undefined;
    try {
      await store.migrate();
      await ensureWorkspace(store, 'default', 'Default', () => at);
      app = await buildServer({ store, now: () => at, consoleDir: false, logger: false, corsOrigins: origins(SIDEBAR) });
      const [pages] = (await sql<{ page_count: number }>`pragma page_count`.execute(store.db)).rows;
      await sql.raw(`pragma max_page_count = ${String(pages?.page_count ?? 0)}`).execute(store.db);
      const customers = Array.from({ length: 300 }, (_, index) => ({ id: `C${String(index)}`, name: `顾客${'长'.repeat(60)}${String(index)}` }));
      const refused = await app.inject({ method: 'POST', url: '/api/v1/customers', headers: { 'content-type': 'application/json', origin: SIDEBAR }, payload: { customers } });
      expect(refused.statusCode).toBe(503);
      const asked = await app.inject({ method: 'OPTIONS', url: '/api/v1/customers', headers: preflight(SIDEBAR) });
      expect([asked.statusCode, asked.headers['access-control-allow-origin']]).toEqual([204, SIDEBAR]);
      const health = await app.inject({ method: 'GET', url: '/healthz' });
      expect([health.statusCode, health.json<{ status: string }>().status]).toEqual([503, 'degraded']);
    } finally {
      await app?.close();
      await store.close();
    }
  });
});

describe('the CORS origins setting', () => {
  plainIt('reads origins as a browser writes them, and * alone', () => {
    expect(parseCorsOrigins(' https://A.example.com , http://localhost:5173/,https://b.example.com:443,')).toEqual({
      any: false,
      origins: new Set(['https://a.example.com', 'http://localhost:5173', 'https://b.example.com']),
    });
    expect(parseCorsOrigins('http://[::1]:8081')).toEqual({ any: false, origins: new Set(['http://[::1]:8081']) });
    expect(parseCorsOrigins(' * ')).toEqual({ any: true });
  });

  plainIt('refuses what is not an origin, naming it', () => {
    for (const [setting, invalid] of <[string, string][]>[
      ['https://a.example.com/sidebar', 'https://a.example.com/sidebar'],
      ['a.example.com', 'a.example.com'],
      ['https://a.example.com,b.example.com:8080', 'b.example.com:8080'],
      ['//a.example.com', '//a.example.com'],
      ['https:a.example.com', 'https:a.example.com'],
      ['ftp://a.example.com', 'ftp://a.example.com'],
      ['https://a.example.com?x=1', 'https://a.example.com?x=1'],
      ['https://user@a.example.com', 'https://user@a.example.com'],
      ['https://a.example.com:99999', 'https://a.example.com:99999'],
      ['null', 'null'],
      ['*, https://a.example.com', 'https://a.example.com'],
      [' , ', ' , '],
    ]) {
      expect(parseCorsOrigins(setting), setting).toEqual({ invalid });
    }
  });
});
