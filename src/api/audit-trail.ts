// Writes the audit trail of the API: every call that changes something or exports customers,
// once its answer is known and before it is sent, so that nothing answered is missing from it.
// A signed-in user's refused attempt (403) is recorded as well, a read's too; calls that failed otherwise
// changed nothing and are not. Reads that show personal data are recorded when asked for.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { maskIdentity, namedIdentity } from '../core/access.js';
import { IDENTITY_KINDS, type IdentityKind } from '../core/customer.js';
import { ERASED_CUSTOMER_PATH, recordAuditTogether } from '../engine/audit.js';
import { findWorkspaceId } from '../engine/workspaces.js';
import type { Store } from '../store/connect.js';
import { permissionFor } from './access.js';
import { actorOf, auditActorOf } from './app.js';
import { workspaceKeyOf } from './headers.js';

const PREFIX = '/api/v1';
const ERASURE = 'DELETE /customers/:id';
const IDENTITY_REMOVAL = 'DELETE /customers/:id/identities/:kind/:value';
/**
 * Events stream in from integrations, often one per request: a row each would grow the trail
 * without bound and bury what people did. Each stored event keeps when it was received.
 */
const NOT_AUDITED = new Set(['POST /events']);

/** Reads that answer with customers' identifiers: who looked at whom, when that is to be recorded. */
export const PERSONAL_READS = new Set(['GET /customers', 'GET /customers/lookup', 'GET /customers/:id', 'GET /customers/:id/history', 'GET /segments/:segment/members', 'POST /segments/preview', 'GET /tags/:tag/transitions/members', 'GET /care/reminders']);

/**
 * Whether the call is one the trail records: a change, an export, an administrator's change, and
 * personal reads when `reads`; once answered (`status`), also a signed-in user's refused attempt
 * (403) at anything, a read of what is not theirs to read (the tokens, another store's customers) included.
 */
function audited(request: FastifyRequest, reads: boolean, status?: number): string | undefined {
  const route = request.routeOptions.url;
  if (route === undefined || !route.startsWith(`${PREFIX}/`) || request.method === 'HEAD') return undefined;
  const action = `${request.method} ${route.slice(PREFIX.length)}`;
  if (reads && PERSONAL_READS.has(action)) return action;
  const permission = permissionFor(request.method, route);
  if (permission === undefined || NOT_AUDITED.has(action)) return undefined;
  if (status === 403) return action;
  if (permission === 'read') return undefined;
  // An administrator's reads (the logs, the tokens, the webhooks) change nothing; an export is what it reads.
  if (request.method === 'GET' && permission !== 'export') return undefined;
  return action === REMINDER_CHANGE ? action + reminderChange(request.body) : action;
}

const REMINDER_CHANGE = 'PATCH /care/reminders/:reminder';

/**
 * What a reminder's change did, as its body says (one of `status`, `snooze`, `unsnooze` or `reopen`), written
 * after the path: `?done`, `?dismissed`, `?snooze`, `?unsnooze`, `?reopen`. The route is the same for each,
 * and a reminder marked done reads otherwise than one put off. Nothing for a body not read (a refusal).
 */
function reminderChange(body: unknown): string {
  if (typeof body !== 'object' || body === null) return '';
  const { status, snooze, unsnooze, reopen } = body as { status?: unknown; snooze?: unknown; unsnooze?: unknown; reopen?: unknown };
  if (status === 'done' || status === 'dismissed') return `?${status}`;
  if (snooze !== undefined) return '?snooze';
  if (unsnooze === true) return '?unsnooze';
  return reopen === true ? '?reopen' : '';
}

/**
 * What a create made, as its own path (`/segments/vip_care`), rather than the collection it was
 * posted to: the trail is read to find which segment or tag someone made.
 */
function createdAt(path: string, status: number, payload: unknown, body: unknown): string | undefined {
  if (status !== 201 || typeof payload !== 'string') return undefined;
  // A key the request chose names what it made; a value added answers with its whole tag.
  const chosen = typeof body === 'object' && body !== null ? (body as { key?: unknown }).key : undefined;
  if (typeof chosen === 'string') return `${path}/${encodeURIComponent(chosen)}`;
  try {
    const created = JSON.parse(payload) as unknown;
    if (typeof created !== 'object' || created === null) return undefined;
    const { key, id } = created as { key?: unknown; id?: unknown };
    const name = typeof key === 'string' ? key : typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
    return name === undefined ? undefined : `${path}/${encodeURIComponent(name)}`;
  } catch {
    return undefined;
  }
}

/**
 * An identity taken away, its value masked as roles that do not see identifiers whole are shown
 * it (`/customers/c1/identities/phone/138****5678`): the trail is read by more people than the
 * customer's own record, and keeps what the customer asked to be forgotten no longer than that.
 */
function maskedIdentityPath(path: string): string {
  const parts = path.split('/');
  const kind = parts[4] ?? '';
  const encoded = parts[5];
  if (parts.length !== 6 || encoded === undefined || !(IDENTITY_KINDS as readonly string[]).includes(kind)) return path;
  let value: string;
  try {
    value = decodeURIComponent(encoded);
  } catch {
    return path;
  }
  const identityKind = kind as IdentityKind;
  parts[5] = encodeURIComponent(maskIdentity(identityKind, namedIdentity(identityKind, value)?.value ?? value));
  return parts.join('/');
}

export function registerAuditTrail(app: FastifyInstance, store: Store, now: () => Date, options: { personalReads?: boolean | undefined } = {}): void {
  const reads = options.personalReads ?? false;
  // Whom the entry will name is read before the call changes anything: an actor header that
  // cannot be read (bad percent-encoding, over 64 characters) is refused as every route refuses
  // it, also by a route that reads no actor itself (POST /workspaces), rather than making the
  // change and then failing to record it.
  app.addHook('preHandler', async (request) => {
    if (audited(request, reads) !== undefined) actorOf(request);
  });
  app.addHook('onSend', async (request, reply, payload) => {
    const status = reply.statusCode;
    const action = audited(request, reads, status);
    if (action === undefined || (status >= 400 && status !== 403)) return payload;
    // A token made or revoked is recorded in its own transaction, as on the command line; a demo
    // loaded records itself in the workspace it fills (runDemo), where a later run looks for it.
    // A workspace or a tag deleted records itself, with what went, in the deletion's transaction.
    if ((action === 'POST /tokens' || action === 'DELETE /tokens/:name' || action === 'POST /demo' || action === 'DELETE /workspaces/:key' || action === 'DELETE /tags/:tag') && status < 400) return payload;
    try {
      const workspaceId = action === 'POST /workspaces' || action === 'POST /demo' || action === 'DELETE /workspaces/:key' ? undefined : await findWorkspaceId(store, workspaceKeyOf(request));
      // An erasure leaves no id behind, here either.
      const path = (request.url.split('?')[0] ?? '').slice(PREFIX.length);
      const target = action === ERASURE && status < 400 ? ERASED_CUSTOMER_PATH : action === IDENTITY_REMOVAL ? maskedIdentityPath(path) : (createdAt(path, status, payload, request.body) ?? path);
      await recordAuditTogether(store, { workspaceId: workspaceId ?? null, actor: auditActorOf(request), source: 'api', action, target, status, at: now().getTime() });
    } catch (error) {
      // The change is made and committed; failing its answer now would tell the caller it was not.
      request.log.error({ err: error }, 'writing the audit trail failed');
    }
    return payload;
  });
}
