// Imperative calls (saving, tagging, exporting) as the current session.
import { useMemo } from 'react';
import { request, requestJson } from '../utils/api';
import { useSession } from './useSession';

export function useApi() {
  const { workspace, actor, lang, token } = useSession();
  return useMemo(() => {
    const session = { workspace, actor, lang, token };
    return {
      get: <T,>(path: string) => requestJson<T>(session, 'GET', path),
      post: <T,>(path: string, body?: unknown) => requestJson<T>(session, 'POST', path, body ?? {}),
      put: <T,>(path: string, body?: unknown) => requestJson<T>(session, 'PUT', path, body ?? {}),
      patch: <T,>(path: string, body?: unknown) => requestJson<T>(session, 'PATCH', path, body ?? {}),
      del: (path: string) => request(session, 'DELETE', path).then(() => undefined),
      raw: (method: string, path: string, body?: unknown, signal?: AbortSignal) => request(session, method, path, body, signal),
    };
  }, [workspace, actor, lang, token]);
}
