// Reloads a query every `ms` while `active` (a pass in the background, say), one request at a time.
import { useEffect } from 'react';
import type { Query } from './useApiQuery';

export function useReloadWhile<T>(query: Query<T>, active: boolean, ms = 1000): void {
  const { reload, loading, data } = query;
  useEffect(() => {
    if (!active || loading) return;
    const timer = setTimeout(reload, ms);
    return () => clearTimeout(timer);
  }, [active, loading, data, reload, ms]);
}
