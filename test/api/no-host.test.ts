// An HTTP/1.1 request without a Host header (RFC 9112 §3.2) is refused as every other error is,
// with problem JSON in the reader's language: Node answered it with a bare 400 and no body.
import { connect } from 'node:net';
import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { useServer } from './support.js';

forEachStore('API: a request without a Host header', (h) => {
  const api = useServer(h);

  it('is answered with a problem, and an HTTP/1.0 one, which needs none, as usual', async () => {
    const { port } = new URL(await api.listen());
    const raw = async (head: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = connect(Number(port), '127.0.0.1', () => socket.write(head));
        const chunks: Buffer[] = [];
        socket.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          // Answered whole once its body is in: a kept-alive connection is not closed by the server.
          const text = Buffer.concat(chunks).toString('utf8');
          const length = /\r\ncontent-length: (\d+)/i.exec(text)?.[1];
          const [head = '', body] = text.split('\r\n\r\n');
          if (length !== undefined && body !== undefined && Buffer.byteLength(body) >= Number(length) && head !== '') socket.end();
        });
        socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
        socket.on('error', reject);
      });
    const [head = '', body = ''] = (await raw(`GET /api/v1/customers HTTP/1.1\r\nX-Tagbase-Workspace: ${h.workspaceKey()}\r\n\r\n`)).split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(head.toLowerCase()).toContain('content-type: application/problem+json');
    expect(JSON.parse(body)).toMatchObject({ status: 400, code: 'REQUEST_UNREADABLE', instance: '/api/v1/customers', detail: expect.stringContaining('Host header') });
    const chinese = (await raw('GET /api/v1/customers HTTP/1.1\r\nAccept-Language: zh-CN\r\n\r\n')).split('\r\n\r\n')[1] ?? '';
    expect(JSON.parse(chinese)).toMatchObject({ code: 'REQUEST_UNREADABLE', detail: expect.stringContaining('Host 请求头') });
    // Every path alike, one the API does not have too.
    expect(JSON.parse((await raw('GET /nowhere HTTP/1.1\r\n\r\n')).split('\r\n\r\n')[1] ?? '')).toMatchObject({ code: 'REQUEST_UNREADABLE' });
    expect(await raw(`GET /api/v1/customers HTTP/1.0\r\nX-Tagbase-Workspace: ${h.workspaceKey()}\r\n\r\n`)).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(await raw(`GET /api/v1/customers HTTP/1.1\r\nHost: localhost\r\nX-Tagbase-Workspace: ${h.workspaceKey()}\r\n\r\n`)).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
  });
});
