// Who may call which route. Until an administrator creates the first access token the API is
// open, as on a single operator's machine; from then on every call names its token, and the
// token's role decides what it may do and whether it sees personal identifiers whole.
import { isIP } from 'node:net';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { MAX_BROWSED_ROWS, ROLE_LABELS, mayBrowseRows, personalDataViewOf, roleAllows, type Permission, type PersonalDataView, type Role } from '../core/access.js';
import { TagbaseError, formatErrorMessage, placedProblem } from '../core/errors.js';
import { localized, type LocalizedText } from '../core/locale.js';
import { formatUtcOffset, minuteInZone, toIso } from '../core/time.js';
import { mayActIn, type AccessTokenDirectory, type Principal } from '../engine/access-tokens.js';
import type { Store } from '../store/connect.js';
import { workspaceKeyOf } from './headers.js';

export interface Access {
  /** Whether this server asks for tokens at all. */
  required: boolean;
  /** The token's owner; undefined while no token is required. */
  principal: Principal | undefined;
  role: Role;
  personalData: PersonalDataView;
}

/** Without tokens everyone acts with every permission, as before any token existed. */
const OPEN: Access = { required: false, principal: undefined, role: 'admin', personalData: 'full' };

const accessByRequest = new WeakMap<FastifyRequest, Access>();

export function accessOf(request: FastifyRequest): Access {
  return accessByRequest.get(request) ?? OPEN;
}

/**
 * Refuses a page of a list of customers beyond the first `MAX_BROWSED_ROWS` to a role without the
 * `export` permission (`BROWSING_NEEDS_EXPORT`, placed at `offset`, or at `limit` for a list that
 * takes no offset), and a `cursor`, which continues after a page wherever it was.
 */
export function assertBrowsable(request: FastifyRequest, page: { offset: number; limit: number; cursor?: string | undefined }, placedAt: 'offset' | 'limit' = 'offset'): void {
  const access = accessOf(request);
  const cursor = page.cursor !== undefined && page.cursor !== '';
  if (!cursor && mayBrowseRows(access.role, page.offset, page.limit)) return;
  if (cursor && roleAllows(access.role, 'export')) return;
  const asked = cursor
    ? localized('continuing after a page by its cursor', '用游标接着上一页继续读取')
    : localized(`rows ${String(page.offset + 1)} to ${String(page.offset + page.limit)}`, `第 ${String(page.offset + 1)} 至 ${String(page.offset + page.limit)} 位`);
  const params = { role: localized(ROLE_LABELS[access.role].en, ROLE_LABELS[access.role].zh), limit: MAX_BROWSED_ROWS, asked };
  const text = localized(formatErrorMessage('BROWSING_NEEDS_EXPORT', params, 'en'), formatErrorMessage('BROWSING_NEEDS_EXPORT', params, 'zh-CN'));
  throw placedProblem('BROWSING_NEEDS_EXPORT', params, 'query', cursor ? 'cursor' : placedAt, text);
}

/** Answered without a token: what tells a client whether it needs one, and the API's description. */
const PUBLIC_ROUTES = new Set(['/api/v1/session', '/api/v1/openapi.json']);

/** POSTs that only read: counting, previewing, comparing and insight change nothing. */
const READING_POSTS = new Set(['/api/v1/tags/preview', '/api/v1/segments/count', '/api/v1/segments/preview', '/api/v1/segments/overlap', '/api/v1/segments/insight']);

const WORKSPACE_ROUTE = '/api/v1/workspaces/:key';

/** Calls that act outside any one workspace: a token limited to some workspaces may not make them. */
function serverWide(method: string, route: string): boolean {
  return route.startsWith('/api/v1/tokens') || route === '/api/v1/demo' || (method === 'POST' && route === '/api/v1/workspaces') || (method === 'DELETE' && route === WORKSPACE_ROUTE);
}

/** The one call that names no workspace and is answered for a limited token too: the list, filtered to its workspaces. */
const isWorkspaceList = (method: string, route: string) => (method === 'GET' || method === 'HEAD') && route === '/api/v1/workspaces';

const EXPORTS = new Set(['/api/v1/segments/export', '/api/v1/segments/:segment/export', '/api/v1/segments/:segment/snapshots/:snapshot/export', '/api/v1/tags/:tag/transitions/export']);

/** What a route needs, from its method and its path as declared; undefined for routes outside the API. */
export function permissionFor(method: string, route: string | undefined): Permission | undefined {
  if (route === undefined || !route.startsWith('/api/v1/') || PUBLIC_ROUTES.has(route) || route.startsWith('/api/v1/docs')) return undefined;
  if (EXPORTS.has(route)) return 'export';
  if (route.startsWith('/api/v1/webhooks') || route.startsWith('/api/v1/tokens') || route === '/api/v1/erasures' || route === '/api/v1/exports' || route === '/api/v1/audit') return 'admin';
  if (method === 'DELETE' && route === '/api/v1/customers/:id') return 'admin';
  if (method === 'POST' && (route === '/api/v1/workspaces' || route === '/api/v1/demo')) return 'admin';
  if (method === 'DELETE' && route === WORKSPACE_ROUTE) return 'admin';
  // A new time zone recomputes every customer of the workspace.
  if (method === 'PATCH' && route === '/api/v1/workspace') return 'admin';
  if (method === 'GET' || method === 'HEAD' || READING_POSTS.has(route)) return 'read';
  return 'write';
}

const ACTIONS: Record<Permission, LocalizedText> = {
  read: localized('read data', '查看数据'),
  write: localized('change data', '修改数据'),
  export: localized('export customers', '导出客户'),
  admin: localized('do this: it is for administrators', '执行此操作：仅限管理员'),
};

/** Why a token is refused, for its holder: the header's form, the token's expiry, or an unknown (or revoked) token. */
const NOT_BEARER = localized('is sent as Authorization: Bearer <token>, and this Authorization header is not of that form', '须以 Authorization: Bearer <令牌> 发送，此 Authorization 请求头不是这种形式');
const UNKNOWN = localized('is not valid or has been revoked; ask an administrator for a new one', '无效或已被吊销；请向管理员申请新的令牌');
/**
 * When a token expired, in Chinese at the time of the workspace the request acts in, as other
 * Chinese messages write times (`2026-11-30 10:00（UTC+08:00）`), its zone said; in UTC, said so,
 * when that workspace is not known. In English as an ISO 8601 time in UTC.
 */
async function expired(request: FastifyRequest, store: Store, at: Date): Promise<LocalizedText> {
  const ms = at.getTime();
  let offset: number | undefined;
  try {
    offset = (await store.db.selectFrom('workspaces').select('utc_offset_minutes').where('key', '=', workspaceKeyOf(request)).executeTakeFirst())?.utc_offset_minutes;
  } catch {
    // A workspace header that cannot be read is refused on its own once the token is fixed; the time is told in UTC meanwhile.
  }
  const local = offset === undefined ? `${minuteInZone(ms, 0)}（UTC）` : `${minuteInZone(ms, offset)}（${formatUtcOffset(offset)}）`;
  return localized(`expired at ${toIso(ms)}; ask an administrator for a new one`, `已于 ${local}过期；请向管理员申请新的令牌`);
}

function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) throw new TagbaseError('AUTH_INVALID', { reason: NOT_BEARER });
  return match[1];
}

/** Who the request acts as: open access, or the owner of its token (AUTH_INVALID for a bad one). */
export async function resolveAccess(request: FastifyRequest, tokens: AccessTokenDirectory, store: Store): Promise<Access> {
  if (!(await tokens.required())) return OPEN;
  const token = bearerToken(request);
  if (token === undefined) return { required: true, principal: undefined, role: 'viewer', personalData: 'masked' };
  const principal = await tokens.principalOf(token);
  if (!principal) {
    const expiredAt = await tokens.expiredAt(token);
    throw new TagbaseError('AUTH_INVALID', { reason: expiredAt ? await expired(request, store, expiredAt) : UNKNOWN });
  }
  return { required: true, principal, role: principal.role, personalData: personalDataViewOf(principal.role) };
}

/**
 * Whether a `Host` header names this machine by a name no web page can point elsewhere:
 * `localhost`, a name under `.localhost`, or an IP address (IPv6 in brackets), with or without a port.
 */
export function isLocalOrAddressHost(host: string): boolean {
  const bracketed = /^\[([^\]]+)\](?::\d*)?$/.exec(host);
  if (bracketed) return isIP(bracketed[1] ?? '') === 6;
  const name = /^([^:]+)(?::\d*)?$/.exec(host)?.[1]?.toLowerCase();
  if (name === undefined) return false;
  return name === 'localhost' || name.endsWith('.localhost') || isIP(name) === 4;
}

/** Answered whatever the request's Host: service managers and load balancers probe it by any name. */
const ANY_HOST_ROUTES = new Set(['/healthz']);

/**
 * While no token exists nothing asks who calls, so a web page that points a name of its own at
 * this machine (DNS rebinding) could read and change everything through a visitor's browser.
 * Such a page's requests name its host: meanwhile only localhost and IP addresses are answered.
 * Once a token exists the token protects, whatever the name the server is reached by.
 */
function registerOpenModeHostCheck(app: FastifyInstance, tokens: AccessTokenDirectory): void {
  app.addHook('onRequest', async (request) => {
    const host = request.headers.host;
    // An HTTP/1.0 request may name no host; a browser always names one.
    if (host === undefined || isLocalOrAddressHost(host) || ANY_HOST_ROUTES.has(request.routeOptions.url ?? '')) return;
    if (await tokens.required()) return;
    const port = request.socket.localPort ?? 8080;
    throw new TagbaseError('HOST_NOT_ALLOWED', { host: host.replace(/:\d*$/, ''), port: String(port) });
  });
}

/** Checks every API request before its body is read: a refused call costs nothing more. */
export function registerAccessControl(app: FastifyInstance, tokens: AccessTokenDirectory, store: Store): void {
  registerOpenModeHostCheck(app, tokens);
  app.addHook('onRequest', async (request, reply) => {
    const permission = permissionFor(request.method, request.routeOptions.url);
    if (permission === undefined) return;
    let access: Access;
    try {
      access = await resolveAccess(request, tokens, store);
      if (access.required && !access.principal) throw new TagbaseError('AUTH_REQUIRED');
    } catch (error) {
      // RFC 9110: a 401 names the scheme that would be accepted.
      void reply.header('www-authenticate', 'Bearer realm="tagbase"');
      throw error;
    }
    // Kept for a refused call too: the audit trail names who tried.
    accessByRequest.set(request, access);
    const role = localized(ROLE_LABELS[access.role].en, ROLE_LABELS[access.role].zh);
    if (!roleAllows(access.role, permission)) throw new TagbaseError('FORBIDDEN', { role, action: ACTIONS[permission] });
    const principal = access.principal;
    const route = request.routeOptions.url ?? '';
    if (!principal || principal.workspaces === null || isWorkspaceList(request.method, route)) return;
    if (serverWide(request.method, route)) throw new TagbaseError('FORBIDDEN', { role, action: localized('do this with a token limited to some workspaces', '用仅限部分工作空间的令牌执行此操作') });
    const workspace = workspaceKeyOf(request);
    if (!mayActIn(principal, workspace)) {
      // Said with the workspaces it may act in, and how to name one: an integration given a
      // store's token and no header lands in "default" and would not know why it is refused.
      const allowed = principal.workspaces.map((key) => `"${key}"`).join(', ');
      const allowedZh = principal.workspaces.map((key) => `「${key}」`).join('、');
      const unnamed = request.headers['x-tagbase-workspace'] === undefined;
      throw new TagbaseError('FORBIDDEN', {
        role,
        action: localized(
          `act in workspace "${workspace}"${unnamed ? ' (no X-Tagbase-Workspace header names one)' : ''} with this token, which acts only in ${allowed}: send X-Tagbase-Workspace: ${principal.workspaces[0] ?? ''}`,
          `用此令牌操作工作空间「${workspace}」${unnamed ? '（请求未用 X-Tagbase-Workspace 指定工作空间）' : ''}，此令牌只能操作${allowedZh}：请发送 X-Tagbase-Workspace: ${principal.workspaces[0] ?? ''}`,
        ),
      });
    }
  });
}
