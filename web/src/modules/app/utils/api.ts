// Calls the tagbase API as the console's user: every request names the workspace, the
// acting staff member and the console's language, and an error arrives as the server's
// problem document, worded in that language.
export interface ExpressionDiagnostic {
  code: string;
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
}

export function sessionHeaders(session: Session): Record<string, string> {
  const headers: Record<string, string> = { 'x-tagbase-workspace': session.workspace };
  // Header values are Latin-1 on the wire, so a name like 导购-王芳 travels percent-encoded.
  if (session.actor.trim()) headers['x-tagbase-actor'] = encodeURIComponent(session.actor.trim());
  if (session.lang) headers['accept-language'] = session.lang;
  return headers;
}

export async function request(session: Session, method: string, path: string, body?: unknown): Promise<Response> {
  const response = await fetch(`/api/v1${path}`, {
    method,
    headers: { ...sessionHeaders(session), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) {
    const problem = (await response.json().catch(() => ({ code: 'HTTP', detail: response.statusText }))) as Partial<Problem>;
    const detail = problem.detail || problem.title || response.statusText;
    throw new ApiError({ status: response.status, code: problem.code ?? 'HTTP', ...(problem.title ? { title: problem.title } : {}), detail, ...(problem.errors ? { errors: problem.errors } : {}) });
  }
  return response;
}

export async function requestJson<T>(session: Session, method: string, path: string, body?: unknown): Promise<T> {
  return (await (await request(session, method, path, body)).json()) as T;
}

/** What to tell the user about a failed call: the server's detail when there is one. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
