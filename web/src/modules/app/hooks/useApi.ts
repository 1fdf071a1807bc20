// Imperative calls (saving, tagging, exporting) as the current session.
import { useMemo } from 'react';
import { request, requestJson } from '../utils/api';
import { useSession } from './useSession';

export function useApi() {
  const { workspace, actor } = useSession();
  return useMemo(() => {
    const session = { workspace, actor };
    return {
      get: <T,>(path: string) => requestJson<T>(session, 'GET', path),
      post: <T,>(path: string, body?: unknown) => requestJson<T>(session, 'POST', path, body ?? {}),
      del: <T,>(path: string) => requestJson<T>(session, 'DELETE', path),
      raw: (method: string, path: string, body?: unknown) => request(session, method, path, body),
    };
  }, [workspace, actor]);
}
