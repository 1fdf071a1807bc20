// A saved segment's snapshots page by page: the newest first, earlier ones appended on request,
// one deleted taken out of the list without reading the pages again.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from '../../app/hooks/useApi';
import { ApiError } from '../../app/utils/api';

export interface SnapshotJson {
  id: number;
  expression: string;
  /** The saved segments the expression read, as they were then defined; null on snapshots taken before these were kept. */
  segments: { key: string; name: string; expression: string }[] | null;
  members: number;
  taken_at: string;
  actor: string | null;
}

interface SnapshotPage {
  items: SnapshotJson[];
  next_cursor: string | null;
}

interface SnapshotsState {
  items: SnapshotJson[] | undefined;
  nextCursor: string | null;
  loading: boolean;
  error?: ApiError;
}

/** As many as the API gives by default: a segment frozen daily shows its last three months at once. */
const PAGE_SIZE = 100;

export function useSegmentSnapshots(path: string) {
  const api = useApi();
  const [state, setState] = useState<SnapshotsState>({ items: undefined, nextCursor: null, loading: true });
  const [generation, setGeneration] = useState(0);
  // A page asked for before a reload (a snapshot taken since) must not land after it.
  const latest = useRef(0);

  const fetchPage = useCallback(
    (cursor: string | null) => {
      const ticket = ++latest.current;
      setState((previous) => ({ ...previous, loading: true, error: undefined }));
      const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
      if (cursor !== null) query.set('cursor', cursor);
      api
        .get<SnapshotPage>(`${path}?${query.toString()}`)
        .then((page) => {
          if (ticket !== latest.current) return;
          setState((previous) => ({ items: cursor === null ? page.items : [...(previous.items ?? []), ...page.items], nextCursor: page.next_cursor, loading: false }));
        })
        .catch((error: unknown) => {
          if (ticket !== latest.current) return;
          const problem = error instanceof ApiError ? error : new ApiError({ status: 0, code: 'NETWORK', detail: String(error) });
          setState((previous) => ({ ...previous, loading: false, error: problem }));
        });
    },
    [api, path],
  );

  useEffect(() => {
    // Read again in another workspace or language too: `api` is the session's.
    fetchPage(null);
  }, [fetchPage, generation]);

  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  const loadMore = useCallback(() => {
    if (state.nextCursor !== null) fetchPage(state.nextCursor);
  }, [fetchPage, state.nextCursor]);
  const removed = useCallback((id: number) => setState((previous) => ({ ...previous, items: previous.items?.filter((item) => item.id !== id) })), []);

  return { ...state, reload, loadMore, removed };
}
