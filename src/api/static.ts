// Serves the built web console (web/dist) at `/`: its files as they are, and index.html for
// every other browser navigation so the console's router can answer deep links. The API, its
// docs and /healthz keep their own answers, and an unknown `/api/...` path stays a
// problem+json 404. Files are looked up per request, so a console built after the server
// started (`tagbase serve` builds a missing one in the background) is served without a restart.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';

export const CONSOLE_DIR = resolve(import.meta.dirname, '../../web/dist');

export function consoleBuilt(dir: string = CONSOLE_DIR): boolean {
  return existsSync(join(dir, 'index.html'));
}

/** Gives replies `sendFile` over the console's directory; routes stay with the not-found handler. */
export async function registerConsole(app: FastifyInstance, dir: string = CONSOLE_DIR): Promise<void> {
  // On a fresh checkout the console is built after the server starts; the plugin would warn at
  // every start that its directory does not exist yet.
  try {
    mkdirSync(dir, { recursive: true });
  } catch {
    // A directory that cannot be made (a read-only install) only costs that warning.
  }
  await app.register(fastifyStatic, {
    root: dir,
    serve: false,
    // send's own Cache-Control would be written after setHeaders and win over it.
    cacheControl: false,
    setHeaders: (response, path) => {
      // Vite names assets by content hash, so they never change; index.html must be re-read.
      const immutable = path.startsWith(join(dir, 'assets') + sep);
      response.setHeader('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
}

/** Answers a GET the API does not know with a console file or the app shell; undefined when it is not the console's. */
export function serveConsole(request: FastifyRequest, reply: FastifyReply, dir: string = CONSOLE_DIR): FastifyReply | undefined {
  if (request.method !== 'GET' && request.method !== 'HEAD') return undefined;
  let path: string;
  try {
    path = decodeURIComponent(request.url.split('?')[0] ?? '/');
  } catch {
    return undefined;
  }
  if (path === '/api' || path.startsWith('/api/') || path === '/healthz') return undefined;
  if (!consoleBuilt(dir)) return undefined;
  const file = resolve(dir, `.${path}`);
  if (file.startsWith(dir + sep) && isFile(file)) return reply.sendFile(file.slice(dir.length + 1));
  // A missing script or image is a real 404; anything else is a page of the console.
  if (/\.(?:m?js|css|map|png|jpe?g|gif|svg|ico|webp|woff2?|ttf|json|txt)$/i.test(path)) return undefined;
  return reply.sendFile('index.html');
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
