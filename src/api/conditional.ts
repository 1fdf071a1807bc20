// Conditional requests (RFC 9110, section 13) on single resources: a strong ETag on what a route
// answers, 304 Not Modified for an If-None-Match that names it, and If-Match on updates and
// deletions, refused with 412 when the resource has moved on since the client read it, so that two
// operators editing one tag or segment do not overwrite (or delete) each other's change unawares.
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import { TagbaseError } from '../core/errors.js';
import { workspaceKeyOf } from './headers.js';

/** How a route's answers are tagged: `volatile` names top-level fields the ETag leaves out. */
export interface Conditional {
  /** Fields that are no part of the resource, measured anew on every call (a count's `took_ms`). */
  volatile?: readonly string[];
  /**
   * The route acts on the resource without changing what its ETag covers (a webhook's test post,
   * which waits up to 10 s on its receiver): its If-Match is checked, but it does not hold back the
   * workspace's other changes while it acts (`serializeConditionalChanges`).
   */
  changesNothing?: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The route answers one resource, tagged with an ETag of its body: a `GET` answers 304 to an
     * If-None-Match that names it, an update answers the new one (and checks If-Match, see `assertMatch`).
     */
    conditional?: Conditional;
    /**
     * The route deletes one resource a `GET` tags with an ETag, or acts on it without answering it
     * (a webhook's test post, its new secret): it checks If-Match against that resource (see
     * `assertMatch`), leaving out the fields that `GET` leaves out, but its answer is no
     * representation of it and carries no ETag.
     */
    deletesTagged?: Conditional;
  }
}

/**
 * The strong ETag of a body as sent: a hash of its JSON, volatile fields aside. Whatever changes
 * the body changes it, a word of another language included, so each language has its own.
 */
export function entityTag(body: string, conditional: Conditional = {}): string {
  const volatile = conditional.volatile ?? [];
  const hashed = volatile.length === 0 ? body : JSON.stringify(withoutFields(JSON.parse(body) as unknown, volatile));
  return `"${createHash('sha256').update(hashed).digest('base64url').slice(0, 32)}"`;
}

function withoutFields(value: unknown, fields: readonly string[]): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => !fields.includes(key)));
}

/** The entity tags a precondition header lists (`"a", W/"b"`), or `*`; none when it is absent. */
function listedTags(header: string | string[] | undefined): readonly string[] | '*' | undefined {
  if (header === undefined) return undefined;
  const text = Array.isArray(header) ? header.join(',') : header;
  if (text.trim() === '*') return '*';
  return [...text.matchAll(/(W\/)?"[^"]*"/g)].map((match) => match[0]);
}

/** Weak comparison, as If-None-Match uses: `W/"a"` and `"a"` are one. */
function weaklyMatches(listed: readonly string[] | '*', tag: string): boolean {
  return listed === '*' || listed.some((candidate) => candidate.replace(/^W\//, '') === tag);
}

/** Methods that change nothing, on which If-Match is not checked. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Tags the answers of the routes that declare `conditional`, and answers a `GET` (or `HEAD`)
 * whose If-None-Match names the tag with 304 and no body. Refuses (412) a change that sends
 * If-Match naming an ETag to a route that declares neither `conditional` nor `deletesTagged`:
 * no `GET` answers what it changes alone, so it has no ETag the header could name, and a client
 * sending one must not believe itself protected (RFC 9110, section 13.1.1). Makes the changes of
 * the routes that declare either take turns in each workspace (`serializeConditionalChanges`).
 * Register it before the routes.
 */
export function registerConditionalRequests(app: FastifyInstance): void {
  serializeConditionalChanges(app);
  // After access and validation, before the handler changes anything.
  app.addHook('preHandler', async (request) => {
    if (SAFE_METHODS.has(request.method)) return;
    const config = request.routeOptions.config;
    if (config?.conditional !== undefined || config?.deletesTagged !== undefined) return;
    const listed = listedTags(request.headers['if-match']);
    // `*`: any current representation will do, and the route says not found when there is none.
    if (listed === undefined || listed === '*') return;
    throw preconditionFailed(request, 'NO_ETAG_TO_MATCH');
  });
  app.addHook('onSend', async (request, reply, payload) => {
    const conditional = request.routeOptions.config?.conditional;
    if (conditional === undefined || reply.statusCode !== 200 || typeof payload !== 'string') return payload;
    const tag = entityTag(payload, conditional);
    void reply.header('etag', tag);
    const listed = listedTags(request.headers['if-none-match']);
    if ((request.method !== 'GET' && request.method !== 'HEAD') || listed === undefined || !weaklyMatches(listed, tag)) return payload;
    // A 304 carries the validator and what guides caches (Vary), not the body's own headers.
    void reply.code(304);
    reply.removeHeader('content-type');
    reply.removeHeader('content-language');
    reply.removeHeader('content-length');
    return '';
  });
}

/**
 * Makes the changes of the routes that declare `conditional` or `deletesTagged` one at a time in
 * each workspace, from the handler's first step to its last: the If-Match check (`assertMatch`)
 * and the change it guards then have no other such change between them, as RFC 9110 (section
 * 13.1.1) asks. Two operators sending a change against the same ETag at once: one goes through,
 * the other finds the ETag gone (412) rather than overwriting it. Changes without the header wait
 * their turn too, or one could land between another's check and its change. The lock is held by
 * the handler, not by the request: released when the handler returns or throws, whether or not
 * its client is still there, and never while a change it began is still being made.
 * Within this process only; other changes (ingest, imports, tagging, rule passes, another server
 * or the CLI on the same store) are not held back. Reads are never held back.
 */
function serializeConditionalChanges(app: FastifyInstance): void {
  const locks = new KeyedLock();
  app.addHook('onRoute', (route) => {
    if (route.config?.conditional === undefined && route.config?.deletesTagged === undefined) return;
    if (route.config.deletesTagged?.changesNothing === true) return;
    const methods = typeof route.method === 'string' ? [route.method] : route.method;
    if (methods.every((method) => SAFE_METHODS.has(method))) return;
    const handler = route.handler;
    route.handler = async function serialized(this: FastifyInstance, request: FastifyRequest, reply: FastifyReply) {
      if (SAFE_METHODS.has(request.method)) return handler.call(this, request, reply);
      let workspace: string;
      try {
        workspace = workspaceKeyOf(request);
      } catch {
        // A header the handler refuses as it reads it: nothing will change.
        return handler.call(this, request, reply);
      }
      return locks.run(workspace, async () => handler.call(this, request, reply));
    } as RouteHandlerMethod;
  });
}

/** One piece of work at a time per key, in the order asked; keys with none waiting are forgotten. */
class KeyedLock {
  readonly #last = new Map<string, Promise<void>>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const before = this.#last.get(key) ?? Promise.resolve();
    let release = () => {};
    const done = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.#last.set(key, done);
    try {
      // `before` is always one of these `done`, which never reject.
      await before;
      return await work();
    } finally {
      release();
      if (this.#last.get(key) === done) this.#last.delete(key);
    }
  }
}

/**
 * Refuses an update or a deletion whose If-Match names none of the current representation's ETags (412,
 * `PRECONDITION_FAILED`), before anything changes; without the header, does nothing. `current`
 * gives the representation as a `GET` answers it, once per language when its words depend on
 * the language: an ETag read in either language is then current, whatever the update's
 * Accept-Language. Strong comparison, as RFC 9110 asks: a weak ETag never matches.
 */
export async function assertMatch(request: FastifyRequest, current: () => Promise<readonly unknown[]>): Promise<void> {
  const listed = listedTags(request.headers['if-match']);
  if (listed === undefined) return;
  const bodies = await current();
  // `*`: any current representation will do, and the resource is there, or `current` would have said not found.
  if (listed === '*') return;
  const conditional = request.routeOptions.config?.conditional ?? request.routeOptions.config?.deletesTagged ?? {};
  const tags = new Set(bodies.map((body) => entityTag(JSON.stringify(body), conditional)));
  if (listed.some((candidate) => tags.has(candidate))) return;
  throw preconditionFailed(request);
}

function preconditionFailed(request: FastifyRequest, code: 'PRECONDITION_FAILED' | 'NO_ETAG_TO_MATCH' = 'PRECONDITION_FAILED'): TagbaseError {
  const sent = Array.isArray(request.headers['if-match']) ? request.headers['if-match'].join(', ') : (request.headers['if-match'] ?? '');
  return new TagbaseError(code, { sent: sent.slice(0, 200) });
}
