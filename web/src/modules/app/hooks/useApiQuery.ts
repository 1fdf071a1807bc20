// Fetches JSON for the current workspace, actor (or signed-in user) and language, again whenever they or the path change.
// Parts of a page reading the same GET at once share one request (see sharedReads); a reload asks anew.
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, requestJson } from '../utils/api';
import { sharedRead } from '../utils/sharedReads';
import { useSession } from './useSession';

export interface Query<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload: () => void;
}

export function useApiQuery<T>(path: string | null, method = 'GET', body?: unknown): Query<T> {
  const { workspace, actor, lang, token } = useSession();
  const [state, setState] = useState<{ data?: T; error?: ApiError; loading: boolean }>({ loading: path !== null });
  const [generation, setGeneration] = useState(0);
  const bodyText = body === undefined ? undefined : JSON.stringify(body);
  // The generation last read: a new one is a reload, which does not take a read already under way.
  const readGeneration = useRef(generation);
  useEffect(() => {
    if (path === null) return;
    let live = true;
    const fresh = readGeneration.current !== generation;
    readGeneration.current = generation;
    setState((previous) => ({ ...previous, loading: true }));
    const session = { workspace, actor, lang, token };
    const read = () => requestJson<T>(session, method, path, bodyText === undefined ? undefined : JSON.parse(bodyText));
    (method === 'GET' && bodyText === undefined ? sharedRead(JSON.stringify([workspace, actor, lang, token ?? null, path]), read, fresh) : read())
      .then((data) => live && setState({ data, loading: false }))
      .catch((error: unknown) => live && setState({ error: error instanceof ApiError ? error : new ApiError({ status: 0, code: 'NETWORK', detail: String(error) }), loading: false }));
    return () => {
      live = false;
    };
  }, [path, method, bodyText, workspace, actor, lang, token, generation]);
  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}
