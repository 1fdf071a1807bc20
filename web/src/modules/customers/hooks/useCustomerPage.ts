// One page of the customers table. With a filter the page comes from the segment preview;
// with a search, from the customer list, and the page's tags from a preview of those ids —
// one extra call per page rather than one portrait per row.
import { useEffect, useState } from 'react';
import { useApi } from '../../app/hooks/useApi';
import { ApiError } from '../../app/utils/api';
import type { PreviewJson, PreviewRow } from '../../app/utils/types';
import { EVERYONE, idsExpression } from '../utils/expressions';

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
  const { q, expression, sort, page, pageSize } = query;
  useEffect(() => {
    let live = true;
    const offset = (page - 1) * pageSize;
    const sortParam = sort ? `&sort=${encodeURIComponent(sort)}` : '';
    const load = async (): Promise<{ rows: PreviewRow[]; total: number }> => {
      if (q.trim() && !expression) {
        const found = await api.get<{ total: number; items: { id: string }[] }>(`/customers?q=${encodeURIComponent(q.trim())}&limit=${pageSize}&offset=${offset}`);
        if (found.items.length === 0) return { rows: [], total: found.total };
        const tagged = await api.post<PreviewJson>(`/segments/preview?limit=${found.items.length}${sortParam}`, { expression: idsExpression(found.items.map((item) => item.id)) });
        return { rows: tagged.items, total: found.total };
      }
      const page = await api.post<PreviewJson>(`/segments/preview?limit=${pageSize}&offset=${offset}${sortParam}`, { expression: expression || EVERYONE });
      return { rows: page.items, total: page.total };
    };
    setState((previous) => ({ ...previous, loading: true }));
    load()
      .then((result) => live && setState({ ...result, loading: false }))
      .catch((error: unknown) => live && setState({ rows: [], total: 0, loading: false, error: error instanceof ApiError ? error.message : String(error) }));
    return () => {
      live = false;
    };
  }, [api, q, expression, sort, page, pageSize, generation]);
  return state;
}
