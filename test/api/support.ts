import { connect } from 'node:net';
import { Writable } from 'node:stream';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, expect } from 'vitest';
import type { CorsOrigins } from '../../src/api/cors.js';
import { buildServer } from '../../src/api/server.js';
import { AccessTokenDirectory, createAccessToken } from '../../src/engine/access-tokens.js';
import type { IndexRegistry } from '../../src/index/registry.js';
import type { StoreHarness } from '../support/stores.js';

export interface Reply {
  status: number;
  body: Record<string, unknown> & { code?: string; errors?: { index: number; code: string; path?: string; pointer?: string; message: string }[] };
  contentType: string;
  text: string;
  /** The body as sent, for what is not text (a workbook). */
  bytes: Buffer;
  headers: Record<string, string | string[] | number | undefined>;
}

/** An in-process server over the harness store; requests act in the test's workspace. */
export function useServer(h: StoreHarness, options: { rulePassBatch?: number; tokensReadEveryMs?: number; auditPersonalReads?: boolean; index?: IndexRegistry; corsOrigins?: CorsOrigins } = {}) {
  let app: FastifyInstance | undefined;
  const answered: AnsweredCall[] = [];
  beforeAll(async () => {
    const { tokensReadEveryMs, ...rest } = options;
    const accessTokens = tokensReadEveryMs === undefined ? undefined : new AccessTokenDirectory(h.store(), tokensReadEveryMs, h.clock.now);
    app = await buildServer({ store: h.store(), now: h.clock.now, ...rest, ...(accessTokens ? { accessTokens } : {}) });
  });
  afterAll(async () => {
    try {
      if (app) expect(undocumentedAnswers(answered, (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json())).toEqual([]);
    } finally {
      await app?.close();
    }
  });
  async function call(method: InjectOptions['method'], url: string, payload?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
    if (!app) throw new Error('server not started');
    const response = await app.inject({
      method,
      url,
      headers: { 'x-tagbase-workspace': h.workspaceKey(), ...(payload !== undefined && typeof payload !== 'string' && !Buffer.isBuffer(payload) ? { 'content-type': 'application/json' } : {}), ...headers },
      // A string or Buffer is sent as it is (bytes that are not UTF-8, say); anything else as JSON.
      ...(payload === undefined ? {} : { payload: typeof payload === 'string' || Buffer.isBuffer(payload) ? payload : JSON.stringify(payload) }),
    });
    answered.push({ method: String(method), url, status: response.statusCode });
    const text = response.body;
    const contentType = String(response.headers['content-type'] ?? '');
    const body = text && contentType.includes('json') && !contentType.includes('ndjson') ? (JSON.parse(text) as Reply['body']) : {};
    return { status: response.statusCode, body, contentType, text, bytes: response.rawPayload, headers: response.headers };
  }
  /** Listens on a free loopback port, for what only a real socket shows; the base URL. */
  async function listen(): Promise<string> {
    if (!app) throw new Error('server not started');
    return app.listen({ port: 0, host: '127.0.0.1' });
  }
  /** Every route the server answers under /api/v1 (`GET /api/v1/tags/:tag`), as its router holds them, HEAD aside. */
  function routes(): { method: string; url: string }[] {
    if (!app) throw new Error('server not started');
    return routesOf(app).filter((route) => route.url.startsWith('/api/v1/') && route.method !== 'HEAD');
  }
  return {
    call,
    listen,
    routes,
    get: (url: string, headers?: Record<string, string>) => call('GET', url, undefined, headers),
    post: (url: string, payload: unknown, headers?: Record<string, string>) => call('POST', url, payload, headers),
    patch: (url: string, payload: unknown, headers?: Record<string, string>) => call('PATCH', url, payload, headers),
    del: (url: string, headers?: Record<string, string>) => call('DELETE', url, undefined, headers),
  };
}

/**
 * The routes a server's router holds, read from its printed tree: each line's part of the path
 * follows its parent's, by indentation (`├── /api/v1/tags (GET, HEAD, POST)`, `│   └── /:tag (GET, …)`).
 */
export function routesOf(app: FastifyInstance): { method: string; url: string }[] {
  const parents: string[] = [];
  const routes: { method: string; url: string }[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^([│ ]*)[├└]── (.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = (match[1] ?? '').length / 4;
    const url = (parents[depth - 1] ?? '') + (match[2] ?? '');
    parents.length = depth;
    parents.push(url);
    for (const method of match[3]?.split(', ') ?? []) routes.push({ method, url });
  }
  return routes;
}

interface AnsweredCall {
  method: string;
  url: string;
  status: number;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
}

/**
 * The calls a test made whose success the OpenAPI document does not list for their operation
 * (`POST /api/v1/tags -> 201 (documented 200)`): every API test file checks what it saw.
 */
export function undocumentedAnswers(calls: readonly AnsweredCall[], document: OpenApiDocument): string[] {
  const operations = Object.entries(document.paths).map(([path, methods]) => ({
    pattern: new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
    methods,
    parameters: path.split('{').length,
  }));
  const missing = new Set<string>();
  for (const call of calls) {
    if (call.status < 200 || call.status >= 300) continue;
    const path = call.url.split('?')[0] ?? '';
    // A literal segment wins over a parameter: `/segments/count` rather than `/segments/{segment}`.
    const operation = operations
      .filter((candidate) => candidate.pattern.test(path) && candidate.methods[call.method.toLowerCase()] !== undefined)
      .sort((a, b) => a.parameters - b.parameters)[0]
      ?.methods[call.method.toLowerCase()];
    if (!operation) continue; // the console, the health check and the document itself
    const documented = Object.keys(operation.responses).filter((status) => /^2/.test(status));
    if (!documented.includes(String(call.status))) missing.add(`${call.method} ${path} -> ${call.status} (documented ${documented.join(', ')})`);
  }
  return [...missing];
}

/** A stream for a server's logger that keeps each line it writes in `lines`, for a test to read. */
export function logInto(lines: string[]): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
}

/** An administrator's, an operator's and a viewer's tokens; made on the first call, as tokens belong to the server's store and outlive a test's workspace. */
export async function ensureRoleTokens(h: StoreHarness, tokens: { admin: string; operator: string; viewer: string }): Promise<void> {
  if (tokens.admin !== '') return;
  tokens.admin = (await createAccessToken(h.store(), { name: '管理员', role: 'admin' }, h.clock.now())).token;
  tokens.operator = (await createAccessToken(h.store(), { name: '导购', role: 'operator' }, h.clock.now())).token;
  tokens.viewer = (await createAccessToken(h.store(), { name: '分析', role: 'viewer' }, h.clock.now())).token;
}

/**
 * Sends `request` (head and body, as written) to the server at `url` over a socket of its own and
 * answers all it wrote back until it closed: for what an HTTP client would not send (a header
 * twice, raw UTF-8 in the address).
 */
export function sendRaw(url: string, request: string): Promise<string> {
  const { port } = new URL(url);
  return new Promise<string>((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => socket.end(Buffer.from(request, 'utf8')));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', reject);
  });
}
