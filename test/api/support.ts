import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { buildServer } from '../../src/api/server.js';
import { AccessTokenDirectory } from '../../src/engine/access-tokens.js';
import type { StoreHarness } from '../support/stores.js';

export interface Reply {
  status: number;
  body: Record<string, unknown> & { code?: string; errors?: { index: number; code: string; path?: string; message: string }[] };
  contentType: string;
  text: string;
  headers: Record<string, string | string[] | number | undefined>;
}

/** An in-process server over the harness store; requests act in the test's workspace. */
export function useServer(h: StoreHarness, options: { rulePassBatch?: number; tokensReadEveryMs?: number; auditPersonalReads?: boolean } = {}) {
  let app: FastifyInstance | undefined;
  beforeAll(async () => {
    const { tokensReadEveryMs, ...rest } = options;
    const accessTokens = tokensReadEveryMs === undefined ? undefined : new AccessTokenDirectory(h.store(), tokensReadEveryMs, h.clock.now);
    app = await buildServer({ store: h.store(), now: h.clock.now, ...rest, ...(accessTokens ? { accessTokens } : {}) });
  });
  afterAll(async () => {
    await app?.close();
  });
  async function call(method: InjectOptions['method'], url: string, payload?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
    if (!app) throw new Error('server not started');
    const response = await app.inject({
      method,
      url,
      headers: { 'x-tagbase-workspace': h.workspaceKey(), ...(payload !== undefined && typeof payload !== 'string' ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(payload === undefined ? {} : { payload: typeof payload === 'string' ? payload : JSON.stringify(payload) }),
    });
    const text = response.body;
    const contentType = String(response.headers['content-type'] ?? '');
    const body = text && contentType.includes('json') && !contentType.includes('ndjson') ? (JSON.parse(text) as Reply['body']) : {};
    return { status: response.statusCode, body, contentType, text, headers: response.headers };
  }
  /** Listens on a free loopback port, for what only a real socket shows; the base URL. */
  async function listen(): Promise<string> {
    if (!app) throw new Error('server not started');
    return app.listen({ port: 0, host: '127.0.0.1' });
  }
  return {
    call,
    listen,
    get: (url: string, headers?: Record<string, string>) => call('GET', url, undefined, headers),
    post: (url: string, payload: unknown, headers?: Record<string, string>) => call('POST', url, payload, headers),
    patch: (url: string, payload: unknown, headers?: Record<string, string>) => call('PATCH', url, payload, headers),
    del: (url: string, headers?: Record<string, string>) => call('DELETE', url, undefined, headers),
  };
}
