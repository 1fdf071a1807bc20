// One page of the customers table, from the segment preview: the filter's customers (or
// everyone), narrowed to those a search finds, sorted and paged by the server, so a search
// with a filter or a sort covers every match and not just one page.
import { useCallback, useEffect, useState } from 'react';
import { useApi } from '../../app/hooks/useApi';
import { ApiError } from '../../app/utils/api';
import type { PreviewJson, PreviewRow } from '../../app/utils/types';
import { EVERYONE } from '../utils/expressions';

export interface CustomerQuery {
  q: string;
  expression: string;
  sort: string;
  page: number;
  pageSize: number;
}

export function useCustomerPage(query: CustomerQuery, generation: number) {
  const api = useApi();
  const [state, setState] = useState<{ rows: PreviewRow[]; total: number; loading: boolean; error?: string }>({ rows: [], total: 0, loading: true });
  // Asked again after a failed read (the server was down a moment): the same page, read anew.
  const [attempt, setAttempt] = useState(0);
  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  const { q, expression, sort, page, pageSize } = query;
  useEffect(() => {
    let live = true;
    const offset = (page - 1) * pageSize;
    const sortParam = sort ? `&sort=${encodeURIComponent(sort)}` : '';
    const searchParam = q.trim() ? `&q=${encodeURIComponent(q.trim())}` : '';
    const load = async (): Promise<{ rows: PreviewRow[]; total: number }> => {
      const page = await api.post<PreviewJson>(`/segments/preview?limit=${pageSize}&offset=${offset}${sortParam}${searchParam}`, { expression: expression || EVERYONE });
      return { rows: page.items, total: page.total };
    };
    setState((previous) => ({ ...previous, loading: true }));
    load()
      .then((result) => live && setState({ ...result, loading: false }))
      .catch((error: unknown) => live && setState({ rows: [], total: 0, loading: false, error: error instanceof ApiError ? error.message : String(error) }));
    return () => {
      live = false;
    };
  }, [api, q, expression, sort, page, pageSize, generation, attempt]);
  return { ...state, retry };
}
