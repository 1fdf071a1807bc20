import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';

export interface WebhookReceiver<T> {
  /** Every post answered so far, as `read` made it. */
  readonly posts: T[];
  /** Where to post, once the receiver listens (in the tests, after `beforeAll`). */
  readonly url: string;
}

/**
 * A webhook receiver on a free local port for the tests of a file or `describe` block, started
 * before them and closed after: it answers every post with 200 and keeps it, made by `read`
 * of the parsed body and the request's headers.
 */
export function useWebhookReceiver<T>(read: (body: unknown, headers: IncomingHttpHeaders) => T, path = '/hooks'): WebhookReceiver<T> {
  const posts: T[] = [];
  let server: Server | undefined;
  let url = '';
  beforeAll(async () => {
    server = createServer((request, response) => {
      // Decoded whole: a chunk may end within a character.
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        posts.push(read(JSON.parse(Buffer.concat(chunks).toString('utf8')), request.headers));
        response.end();
      });
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
  });
  afterAll(() => new Promise<void>((resolve) => server?.close(() => resolve())));
  return {
    posts,
    get url() {
      return url;
    },
  };
}
