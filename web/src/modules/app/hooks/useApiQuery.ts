// Fetches JSON for the current workspace, actor (or signed-in user) and language, again whenever they or the path change.
// Parts of a page reading the same GET at once share one request (see sharedReads); a reload asks anew.
// An answer is shown only in the workspace (and to the user) it was read for: after a switch the
// query has no data, and is loading, until the new workspace's answer comes, so that one
// workspace's figures never stand under another's name. Within a workspace a read of another
// path (the next page, another filter) keeps the last answer until its own comes.
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, requestJson } from '../utils/api';
import { sharedRead } from '../utils/sharedReads';
import { useSession } from './useSession';

export interface Query<T> {
  data: T | undefined;
  error: ApiError | undefined;
  /** True from the first render of a read until its answer: a query without data is not known to be empty while it loads. */
  loading: boolean;
  reload: () => void;
}

interface Answer<T> {
  /** The workspace and token the data and error were read for. */
  owner: string;
  /** The read last started: the owner, actor, language, method, path and body. */
  asked?: string;
  data?: T;
  error?: ApiError;
  loading: boolean;
}

export function useApiQuery<T>(path: string | null, method = 'GET', body?: unknown): Query<T> {
  const { workspace, actor, lang, token } = useSession();
  const bodyText = body === undefined ? undefined : JSON.stringify(body);
  const owner = JSON.stringify([workspace, token ?? null]);
  const asked = JSON.stringify([owner, actor, lang, method, path, bodyText ?? null]);
  const [state, setState] = useState<Answer<T>>({ owner, loading: false });
  const [generation, setGeneration] = useState(0);
  // The generation last read: a new one is a reload, which does not take a read already under way.
  const readGeneration = useRef(generation);
  useEffect(() => {
    if (path === null) return;
    let live = true;
    const fresh = readGeneration.current !== generation;
    readGeneration.current = generation;
    setState((previous) => (previous.owner === owner ? { ...previous, asked, loading: true } : { owner, asked, loading: true }));
    const session = { workspace, actor, lang, token };
    const read = () => requestJson<T>(session, method, path, bodyText === undefined ? undefined : JSON.parse(bodyText));
    (method === 'GET' && bodyText === undefined ? sharedRead(JSON.stringify([workspace, actor, lang, token ?? null, path]), read, fresh) : read())
      .then((data) => live && setState({ owner, asked, data, loading: false }))
      .catch((error: unknown) => live && setState({ owner, asked, error: error instanceof ApiError ? error : new ApiError({ status: 0, code: 'NETWORK', detail: String(error) }), loading: false }));
    return () => {
      live = false;
    };
  }, [path, method, bodyText, workspace, actor, lang, token, generation, owner, asked]);
  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  // Another workspace's answer is none for this one; and a read about to start (the render before
  // its effect runs, a path that was null a moment ago) is loading already.
  const own = state.owner === owner ? state : undefined;
  const loading = path !== null && (own?.loading === true || state.asked !== asked);
  return { data: own?.data, error: own?.error, loading, reload };
}
