// Calls to the API from web pages of other origins (CORS), for the origins an operator lists
// (TAGBASE_CORS_ORIGINS, `tagbase serve --cors-origins`): a page of a CRM, or a WeCom
// sidebar, that reads and sets tags in a salesperson's browser. Off unless listed. Only the API
// is shared, never the console's pages, and never with credentials: tokens travel in the
// Authorization header, which the page's own script sends, not in cookies a browser adds.
import type { FastifyInstance } from 'fastify';
import type { AccessTokenDirectory } from '../engine/access-tokens.js';
import { WORKSPACE_HEADER, ACTOR_HEADER, CLIENT_HEADER } from './headers.js';
import { addVary } from './locale.js';
import { API_PREFIX } from './location.js';

/** The origins allowed: listed ones, or any (`*`), which is honoured only once access tokens exist. */
export type CorsOrigins = { any: true } | { any: false; origins: ReadonlySet<string> };

/** The setting read: the origins, or the first item that is not an origin. */
export type CorsSetting = CorsOrigins | { invalid: string };

/**
 * Reads a comma-separated list of origins (`https://a.example.com, http://localhost:5173`), or
 * `*` alone. Each is a scheme (http or https), a host and a port if not the default, nothing
 * after but a lone `/`; it is kept as a browser writes it in Origin (`https://A.example.com:443`
 * is `https://a.example.com`). A path, a query, a user, no scheme or `null` is not an origin.
 */
export function parseCorsOrigins(setting: string): CorsSetting {
  const items = setting
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  if (items.length === 0) return { invalid: setting };
  if (items.includes('*')) return items.length === 1 ? { any: true } : { invalid: items.find((item) => item !== '*') ?? '*' };
  const origins = new Set<string>();
  for (const item of items) {
    const origin = originOf(item);
    if (origin === undefined) return { invalid: item };
    origins.add(origin);
  }
  return { any: false, origins };
}

function originOf(item: string): string | undefined {
  // A scheme, a host and perhaps a port, then at most a slash: the URL parser alone would take
  // `example.com:8080` for a scheme and a path, and `https:example.com` for a host.
  if (!/^https?:\/\/[^/?#\s]+\/?$/i.test(item)) return undefined;
  try {
    const url = new URL(item);
    return url.username === '' && url.password === '' && url.hostname !== '' ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

/** What a preflight allows: the methods the API's routes answer. */
const METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE';

/** The request headers the API reads beyond those a browser always lets a page send. */
const REQUEST_HEADERS = ['Authorization', 'Content-Type', 'Content-Encoding', 'Accept-Language', WORKSPACE_HEADER, ACTOR_HEADER, CLIENT_HEADER, 'Prefer', 'Idempotency-Key', 'If-Match', 'If-None-Match'].map(headerName).join(', ');

/**
 * The response headers the API sets that a page's script may read, beyond those it always may
 * (Content-Type, Content-Language, Cache-Control, …): where a new resource or accepted batch is,
 * when to try again, an export's file name and member count, how an event batch was taken, why a
 * token was refused, which methods an address answers and a resource's ETag (for If-Match).
 */
const EXPOSED_HEADERS = ['Location', 'Retry-After', 'Content-Disposition', 'X-Tagbase-Members', 'Preference-Applied', 'Idempotent-Replayed', 'WWW-Authenticate', 'Allow', 'ETag'].join(', ');

/** How long a browser may keep a preflight's answer, in seconds: a changed setting is in force within ten minutes. */
export const PREFLIGHT_MAX_AGE = 600;

function headerName(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_match, dash: string, letter: string) => dash + letter.toUpperCase());
}

/**
 * Adds the CORS headers to the API's answers for an allowed origin, and answers its preflights
 * (OPTIONS with Access-Control-Request-Method) at once, before any other check: a preflight
 * carries no token. An origin not allowed gets no CORS headers and its preflight an empty 204,
 * never an error, so its browser blocks the call and the server says nothing more. Register it
 * before the other request hooks, so that their refusals (a missing token, an unknown
 * workspace) reach the page that may read them.
 */
export function registerCors(app: FastifyInstance, allowed: CorsOrigins, tokens: AccessTokenDirectory): void {
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith(`${API_PREFIX}/`)) return;
    // Caches keep one answer per origin: headers for one must not be served to another.
    addVary(reply, 'Origin');
    const origin = request.headers.origin;
    // `*` is for calls that bring a token. While the API is open (no token yet) any page a visitor
    // of this machine opens could read and change everything through `*`; listed origins were named.
    const allow = origin === undefined ? undefined : allowed.any ? ((await tokens.required()) ? '*' : undefined) : allowed.origins.has(origin) ? origin : undefined;
    const preflight = request.method === 'OPTIONS' && origin !== undefined && request.headers['access-control-request-method'] !== undefined;
    if (preflight) {
      if (allow !== undefined) {
        reply.headers({
          'access-control-allow-origin': allow,
          'access-control-allow-methods': METHODS,
          'access-control-allow-headers': REQUEST_HEADERS,
          'access-control-max-age': String(PREFLIGHT_MAX_AGE),
        });
      }
      return reply.code(204).send();
    }
    if (allow !== undefined) reply.headers({ 'access-control-allow-origin': allow, 'access-control-expose-headers': EXPOSED_HEADERS });
  });
}
