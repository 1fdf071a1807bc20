import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';

/** A local HTTP server the tests post to, listening on a free port. */
export interface LocalReceiver {
  /** Its address, without a path. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Starts an HTTP server on a free local port that hands `answer` each request with its body
 * decoded whole (a chunk may end within a character), once the body is all in.
 */
export async function listenForPosts(answer: (request: IncomingMessage, body: string, response: ServerResponse) => void): Promise<LocalReceiver> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => answer(request, Buffer.concat(chunks).toString('utf8'), response));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

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
  let receiver: LocalReceiver | undefined;
  beforeAll(async () => {
    receiver = await listenForPosts((request, body, response) => {
      posts.push(read(JSON.parse(body), request.headers));
      response.end();
    });
  });
  afterAll(() => receiver?.close());
  return {
    posts,
    get url() {
      return receiver === undefined ? '' : `${receiver.url}${path}`;
    },
  };
}
