// Calls the tagbase API as the console's user: every request names the workspace, the
// acting staff member (or carries the signed-in user's access token) and the console's
// language, and an error arrives as the server's problem document, worded in that language.
import { fillMessage } from './format';
import { forgetReads, writes } from './sharedReads';

export interface ExpressionDiagnostic {
  code: string;
  /** Which problem (`unknown_name`, `value_type_mismatch`, …), as docs/expressions.md lists under Diagnostics. */
  reason?: string;
  message: string;
  line?: number;
  column?: number;
  suggestion?: string;
}

export interface Problem {
  status: number;
  code: string;
  title?: string;
  detail: string;
  errors?: ExpressionDiagnostic[];
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail);
  }
}

export interface Session {
  workspace: string;
  actor: string;
  /** The console's language; the server words its errors in it. */
  lang?: string;
  /** The signed-in user's access token; the server then names the actor from it. */
  token?: string;
}

/**
 * Dispatched on `window` when the server refuses a request for want of a valid token, so that
 * whichever page made it, the session goes back to the sign-in screen.
 */
export const UNAUTHORIZED_EVENT = 'tagbase:unauthorized';

export interface UnauthorizedDetail {
  /** The token the refused request carried, to tell a stale request or a sign-in attempt from the session's own. */
  token: string | undefined;
  problem: Problem;
}

const UNAUTHORIZED_CODES = new Set(['AUTH_REQUIRED', 'AUTH_INVALID']);

/**
 * Problems whose detail names a model by its key (模型「rfm」): the console names it as its Models
 * page does. The catalog with the names is read only then, so that every page need not carry it.
 */
const MODEL_PROBLEMS = new Set(['MODEL_NOT_ENABLED', 'MODEL_INVALID', 'MODEL_CONFLICT', 'TAG_SET_BY_MODEL']);

async function problemDetail(code: string, detail: string, lang: string): Promise<string> {
  if (!MODEL_PROBLEMS.has(code)) return detail;
  const [{ namedModelDetail }, { MODEL_KINDS }, { modelTitle }] = await Promise.all([import('../../models/utils/namedModelDetail'), import('../../../../../src/core/models/catalog'), import('../../models/utils/modelTitle')]);
  return namedModelDetail(detail, MODEL_KINDS.map((kind) => ({ key: kind.key, title: modelTitle(kind, lang) })));
}

export function sessionHeaders(session: Session): Record<string, string> {
  // `console`: what its staff do is by hand, whether or not they filled in a name.
  const headers: Record<string, string> = { 'x-tagbase-client': 'console' };
  // None before a workspace is chosen (signing in, listing the workspaces): the server refuses an empty one.
  if (session.workspace) headers['x-tagbase-workspace'] = session.workspace;
  if (session.token) headers.authorization = `Bearer ${session.token}`;
  // Header values are Latin-1 on the wire, so a name like 导购-王芳 travels percent-encoded.
  if (session.actor.trim()) headers['x-tagbase-actor'] = encodeURIComponent(session.actor.trim());
  if (session.lang) headers['accept-language'] = session.lang;
  return headers;
}

/** Said when the server could not be reached at all: the browser's own words are English only ("Failed to fetch"). */
const UNREACHABLE: Record<string, string> = {
  'zh-CN': '无法连接服务器：请检查网络，或服务器是否仍在运行，然后重试。',
  'en-US': 'The server could not be reached: check the network, or whether the server is still running, and try again.',
};

/** Said when the server's answer is an error without a problem document, such as a proxy's page. */
const UNANSWERED: Record<string, string> = {
  'zh-CN': '服务器没能处理这个请求（HTTP {status}）：请稍后重试；如果一直如此，请管理员查看服务器及其前面代理的日志。',
  'en-US': 'The server could not handle this request (HTTP {status}): try again in a moment; if it persists, ask an administrator to check the logs of the server and of any proxy in front of it.',
};

/**
 * `signal` aborts the call (a download cancelled): it then rejects with the browser's `AbortError`.
 * `headers` adds to the session's (an `If-Match`).
 */
export async function request(session: Session, method: string, path: string, body?: unknown, signal?: AbortSignal, headers: Record<string, string> = {}): Promise<Response> {
  if (writes(method, path)) forgetReads();
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method,
      headers: { ...sessionHeaders(session), ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      ...(signal === undefined ? {} : { signal }),
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError({ status: 0, code: 'NETWORK', detail: UNREACHABLE[session.lang ?? 'zh-CN'] ?? UNREACHABLE['zh-CN'] ?? '' });
  }
  if (!response.ok) {
    // An answer that is not the server's problem document (a proxy's page while the server
    // restarts, 502 Bad Gateway) is said in the console's language, not in the proxy's English.
    const unanswered = fillMessage(UNANSWERED[session.lang ?? 'zh-CN'] ?? UNANSWERED['zh-CN'] ?? '', session.lang ?? 'zh-CN', { status: String(response.status) });
    const problem = (await response.json().catch(() => ({ code: 'HTTP', detail: unanswered }))) as Partial<Problem>;
    const code = problem.code ?? 'HTTP';
    const detail = await problemDetail(code, problem.detail || problem.title || unanswered, session.lang ?? 'zh-CN');
    const error = new ApiError({ status: response.status, code, ...(problem.title ? { title: problem.title } : {}), detail, ...(problem.errors ? { errors: problem.errors } : {}) });
    if (response.status === 401 && UNAUTHORIZED_CODES.has(error.problem.code)) {
      window.dispatchEvent(new CustomEvent<UnauthorizedDetail>(UNAUTHORIZED_EVENT, { detail: { token: session.token, problem: error.problem } }));
    }
    throw error;
  }
  return response;
}

export async function requestJson<T>(session: Session, method: string, path: string, body?: unknown): Promise<T> {
  return (await (await request(session, method, path, body)).json()) as T;
}

/** One resource as read or saved, with the ETag to send back in `If-Match` when it is saved (docs/api.md, "Conditional requests"). */
export interface Tagged<T> {
  body: T;
  etag: string | undefined;
}

export async function requestTagged<T>(session: Session, method: string, path: string, body?: unknown, ifMatch?: string): Promise<Tagged<T>> {
  const response = await request(session, method, path, body, undefined, ifMatch === undefined ? {} : { 'if-match': ifMatch });
  return { body: (await response.json()) as T, etag: response.headers.get('etag') ?? undefined };
}

/** Whether a save was refused because someone else changed the resource since the editor read it (412). */
export function changedSince(error: unknown): boolean {
  return error instanceof ApiError && error.problem.code === 'PRECONDITION_FAILED';
}

/** A save refused before it is sent, as the server would refuse it: what it would save over is known to have changed since. */
export const REFUSED_AS_CHANGED = new ApiError({ status: 412, code: 'PRECONDITION_FAILED', detail: '' });

/** What to tell the user about a failed call: the server's detail when there is one. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
