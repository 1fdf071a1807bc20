// Imperative calls (saving, tagging, exporting) as the current session.
import { useMemo } from 'react';
import { request, requestJson, requestTagged } from '../utils/api';
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
      /** A single resource with its ETag. */
      read: <T,>(path: string) => requestTagged<T>(session, 'GET', path),
      /** A change made only if the resource still has the ETag `ifMatch` (none: whatever it is now); 412 otherwise. */
      patchIf: <T,>(path: string, body: unknown, ifMatch: string | undefined) => requestTagged<T>(session, 'PATCH', path, body, ifMatch),
      /** A deletion made only if the resource still has the ETag `ifMatch` (none: whatever it is now); 412 otherwise. */
      delIf: (path: string, ifMatch: string | undefined) => request(session, 'DELETE', path, undefined, undefined, ifMatch === undefined ? {} : { 'if-match': ifMatch }).then(() => undefined),
      raw: (method: string, path: string, body?: unknown, signal?: AbortSignal) => request(session, method, path, body, signal),
    };
  }, [workspace, actor, lang, token]);
}
