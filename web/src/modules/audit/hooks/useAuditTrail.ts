// The audit trail page by page: the newest first, older entries appended on request.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from '../../app/hooks/useApi';
import { ApiError } from '../../app/utils/api';
import type { AuditEntry, AuditPage } from '../utils/types';

const PAGE_SIZE = 50;

interface TrailState {
  items: AuditEntry[];
  nextBefore: number | null;
  loading: boolean;
  error?: ApiError;
}

function auditPath(actor: string, before: number | null): string {
  const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (before !== null) query.set('before', String(before));
  if (actor) query.set('actor', actor);
  return `/audit?${query.toString()}`;
}

export function useAuditTrail(actor: string, enabled: boolean) {
  const api = useApi();
  const [state, setState] = useState<TrailState>({ items: [], nextBefore: null, loading: enabled });
  const [generation, setGeneration] = useState(0);
  // A page asked for under an older filter, workspace or language must not land in the new list.
  const latest = useRef(0);

  const fetchPage = useCallback(
    (before: number | null) => {
      const ticket = ++latest.current;
      setState((previous) => ({ ...previous, loading: true, error: undefined }));
      api
        .get<AuditPage>(auditPath(actor, before))
        .then((page) => {
          if (ticket !== latest.current) return;
          setState((previous) => ({ items: before === null ? page.items : [...previous.items, ...page.items], nextBefore: page.next_before, loading: false }));
        })
        .catch((error: unknown) => {
          if (ticket !== latest.current) return;
          const problem = error instanceof ApiError ? error : new ApiError({ status: 0, code: 'NETWORK', detail: String(error) });
          setState((previous) => ({ ...previous, loading: false, error: problem }));
        });
    },
    [api, actor],
  );

  useEffect(() => {
    if (enabled) fetchPage(null);
  }, [enabled, fetchPage, generation]);

  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  const loadMore = useCallback(() => {
    if (state.nextBefore !== null) fetchPage(state.nextBefore);
  }, [fetchPage, state.nextBefore]);

  return { ...state, reload, loadMore };
}
