// A body over a call's limit is answered 413 while its client may still be sending it. Closing
// the connection then (Fastify's way) made clients see a broken pipe instead of the answer about
// half of the time; a body of a declared length is read to its end instead, so the answer
// arrives and the connection stays usable.
import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/api/server.js';
import { openMigratedStore } from '../../src/cli/store-options.js';
import type { Store } from '../../src/store/connect.js';

describe('a body over the limit', () => {
  let store: Store | undefined;
  let app: FastifyInstance | undefined;
  let port = 0;
  beforeAll(async () => {
    store = await openMigratedStore(':memory:', { mayCreate: true });
    app = await buildServer({ store, now: () => new Date('2026-06-15T10:00:00Z'), consoleDir: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
  });

  it('is answered 413 after the rest of it is read, on a connection that then answers the next request', async () => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    let closed = false;
    socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => (closed = true));
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const body = JSON.stringify({ key: 'x', name: 'x'.repeat(2_000_000), values: [] });
    socket.write(`POST /api/v1/tags HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`);
    for (let at = 0; at < body.length; at += 256 * 1024) socket.write(body.slice(at, at + 256 * 1024));
    socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n');
    await expect.poll(() => closed || /HTTP\/1\.1 200/.test(received), { timeout: 10_000 }).toBe(true);
    socket.destroy();
    expect(received).toMatch(/^HTTP\/1\.1 413 /);
    expect(received).toContain('"code":"BODY_TOO_LARGE"');
    expect(received).not.toMatch(/connection: close/i);
    expect(received).toMatch(/HTTP\/1\.1 200 /);
  });
});
