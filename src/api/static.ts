// Serves the built web console (web/dist) at `/`: its files as they are, and index.html for
// every other browser navigation so the console's router can answer deep links. The API, its
// docs and /healthz keep their own answers, and an unknown `/api/...` path stays a
// problem+json 404. Files are looked up per request, so a console built after the server
// started (`tagbase serve` builds a missing one in the background) is served without a restart;
// until then a page of the console says so, and reloads itself; once that build has failed, the
// page says that instead, with the error and what to do, and stops reloading.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';

export const CONSOLE_DIR = resolve(import.meta.dirname, '../../web/dist');

export function consoleBuilt(dir: string = CONSOLE_DIR): boolean {
  return existsSync(join(dir, 'index.html'));
}

/** Why the last build of a console failed, by its directory: until one succeeds its pages say so. */
const buildFailures = new Map<string, string>();

/** Marks the build of the console in `dir` failed (`undefined`: begun again or done), for its pages to say. */
export function consoleBuildFailed(dir: string, error: unknown): void {
  if (error === undefined) buildFailures.delete(resolve(dir));
  else buildFailures.set(resolve(dir), firstLines(error));
}

/** The first lines of an error, without terminal colours, short enough for a page. */
function firstLines(error: unknown): string {
  const text = (error instanceof Error ? error.message : String(error))
    // eslint-disable-next-line no-control-regex
    .replace(/\u001b\[[0-9;]*m/g, '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .slice(0, 3)
    .join('\n');
  const shown = text === '' ? (error instanceof Error ? error.name : 'unknown error') : text;
  return shown.length > 600 ? `${shown.slice(0, 600)}…` : shown;
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
  // A missing script or image is a real 404; anything else is a page of the console.
  const asset = /\.(?:m?js|css|map|png|jpe?g|gif|svg|ico|webp|woff2?|ttf|json|txt)$/i.test(path);
  // Whatever the request accepts: once built, such a path answers the app shell to a script or
  // curl too, so meanwhile it is the page that says the console is coming (503, Retry-After), not
  // a 404 that reads as if the console were not there at all.
  if (!consoleBuilt(dir)) return asset ? undefined : sendConsolePending(reply, buildFailures.get(resolve(dir)));
  const file = resolve(dir, `.${path}`);
  if (file.startsWith(dir + sep) && isFile(file)) return reply.sendFile(file.slice(dir.length + 1));
  if (asset) return undefined;
  return reply.sendFile('index.html');
}

/**
 * What a page of the console answers before web/dist is built (the first `npm start` builds it
 * in the background, a minute or so): what is happening, in both languages, reloading itself
 * until the console is there, rather than a JSON 404.
 */
const CONSOLE_PENDING_PAGE = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="5">
<title>tagbase</title>
</head>
<body style="font-family: system-ui, sans-serif; margin: 40px; max-width: 720px; line-height: 1.6">
<h1 style="font-size: 20px">tagbase 控制台正在构建</h1>
<p>控制台还没有构建好：服务器启动时会在后台构建它（第一次约需一分钟；也可以运行 <code>npm run build:web</code>）。本页每 5 秒刷新一次，构建好后就会打开控制台。</p>
<p lang="en">The web console is not built yet: the server builds it in the background when it starts (about a minute the first time; <code>npm run build:web</code> builds it too). This page reloads every 5 seconds and opens the console once it is built.</p>
<p>API: <a href="/api/v1/docs">/api/v1/docs</a></p>
</body>
</html>
`;

/**
 * What a page of the console answers once its background build failed: that it failed, the
 * error's first lines and what to do, without reloading (it would say the same forever).
 */
function consoleFailedPage(error: string): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>tagbase</title>
</head>
<body style="font-family: system-ui, sans-serif; margin: 40px; max-width: 720px; line-height: 1.6">
<h1 style="font-size: 20px">tagbase 控制台构建失败</h1>
<p>服务器在后台构建控制台时出错：</p>
<pre style="white-space: pre-wrap; background: #f5f5f5; padding: 12px">${escapeHtml(error)}</pre>
<p>请在 tagbase 目录中运行 <code>npm run build:web</code> 构建控制台（完整的错误见它的输出和服务器日志），修正问题后刷新本页。本页不会自动刷新。</p>
<p lang="en">Building the web console failed (the error is above). Run <code>npm run build:web</code> in the tagbase directory to build it (its output and the server log show the whole error), fix what it reports, then reload this page. This page does not reload itself.</p>
<p>API: <a href="/api/v1/docs">/api/v1/docs</a></p>
</body>
</html>
`;
}

function sendConsolePending(reply: FastifyReply, failure: string | undefined): FastifyReply {
  void reply.code(503).header('cache-control', 'no-store').type('text/html; charset=utf-8');
  if (failure !== undefined) return reply.send(consoleFailedPage(failure));
  return reply.header('retry-after', '5').send(CONSOLE_PENDING_PAGE);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
