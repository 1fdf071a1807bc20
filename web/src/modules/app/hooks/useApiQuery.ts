// Fetches JSON for the current workspace, actor (or signed-in user) and language, again whenever they or the path change.
import { useCallback, useEffect, useState } from 'react';
import { ApiError, requestJson } from '../utils/api';
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
  useEffect(() => {
    if (path === null) return;
    let live = true;
    setState((previous) => ({ ...previous, loading: true }));
    requestJson<T>({ workspace, actor, lang, token }, method, path, bodyText === undefined ? undefined : JSON.parse(bodyText))
      .then((data) => live && setState({ data, loading: false }))
      .catch((error: unknown) => live && setState({ error: error instanceof ApiError ? error : new ApiError({ status: 0, code: 'NETWORK', detail: String(error) }), loading: false }));
    return () => {
      live = false;
    };
  }, [path, method, bodyText, workspace, actor, lang, token, generation]);
  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}
