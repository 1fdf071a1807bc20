// The server's request log keeps which call was made, not what a user searched for: a phone
// number, a name or an e-mail address in `?q=` or a lookup's `?value=` is logged as `***`, as
// the audit trail keeps no search words either.
import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/api/server.js';
import { openMigratedStore } from '../../src/cli/store-options.js';
import type { Store } from '../../src/store/connect.js';
import { logInto } from './support.js';

describe('the request log', () => {
  let store: Store | undefined;
  let app: FastifyInstance | undefined;
  const lines: string[] = [];
  beforeAll(async () => {
    store = await openMigratedStore(':memory:', { mayCreate: true });
    const stream = logInto(lines);
    app = await buildServer({ store, now: () => new Date('2026-06-15T10:00:00Z'), consoleDir: false, logger: { level: 'info', stream } });
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
  });

  it('hides search words and looked-up identities, and keeps the rest of the address', async () => {
    await app?.inject({ method: 'GET', url: '/api/v1/customers?q=13800138000&limit=5' });
    await app?.inject({ method: 'GET', url: '/api/v1/customers/lookup?kind=phone&value=13800138000' });
    await app?.inject({ method: 'GET', url: `/api/v1/customers?q=${encodeURIComponent('张伟')}` });
    const urls = lines.flatMap((line) => {
      const entry = JSON.parse(line) as { req?: { url: string; method: string } };
      return entry.req ? [`${entry.req.method} ${entry.req.url}`] : [];
    });
    expect(urls).toEqual(['GET /api/v1/customers?q=***&limit=5', 'GET /api/v1/customers/lookup?kind=phone&value=***', 'GET /api/v1/customers?q=***']);
    expect(lines.join('')).not.toContain('13800138000');
    expect(lines.join('')).not.toContain(encodeURIComponent('张伟'));
  });

  it('hides what a parameter the call does not take holds (a lookup by ?phone= instead of ?kind=phone&value=), and every value where no route answers', async () => {
    lines.length = 0;
    await app?.inject({ method: 'GET', url: '/api/v1/customers/lookup?phone=13800138000' });
    await app?.inject({ method: 'GET', url: '/api/v1/customers?email=zhang%40example.com&limit=5' });
    await app?.inject({ method: 'GET', url: '/api/v1/customer/lookup?kind=phone&number=13800138000' });
    const urls = lines.flatMap((line) => {
      const entry = JSON.parse(line) as { req?: { url: string; method: string } };
      return entry.req ? [`${entry.req.method} ${entry.req.url}`] : [];
    });
    expect(urls).toEqual(['GET /api/v1/customers/lookup?phone=***', 'GET /api/v1/customers?email=***&limit=5', 'GET /api/v1/customer/lookup?kind=***&number=***']);
    expect(lines.join('')).not.toContain('13800138000');
    expect(lines.join('')).not.toContain('example.com');
  });

  it('tells a client gone before its body arrived from a database out of reach', async () => {
    await app?.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app?.server.address() as AddressInfo;
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write('POST /api/v1/customers HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"customers":[');
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.destroy();
    await expect.poll(() => lines.some((line) => line.includes('the client closed the connection'))).toBe(true);
    expect(lines.join('')).not.toContain('the database cannot be reached');
  });
});
