// Saved segments with their live counts (one bitmap count each; they answer in microseconds).
import { useEffect, useState } from 'react';
import { useApi } from '../../app/hooks/useApi';
import { useApiQuery } from '../../app/hooks/useApiQuery';
import type { CountJson } from '../../app/utils/types';

export interface SegmentJson {
  key: string;
  name: string;
  expression: string;
  description: string | null;
}

export function useSegments() {
  const api = useApi();
  const list = useApiQuery<{ items: SegmentJson[] }>('/segments');
  const [counts, setCounts] = useState<Map<string, number>>(new Map());
  useEffect(() => {
    let live = true;
    const items = list.data?.items ?? [];
    void Promise.all(items.map(async (segment) => [segment.key, (await api.post<CountJson>('/segments/count', { expression: `segment(${JSON.stringify(segment.key)})` })).count] as const)).then(
      (entries) => live && setCounts(new Map(entries)),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [api, list.data]);
  return { segments: list.data?.items ?? [], counts, loading: list.loading, error: list.error, settled: list.data !== undefined || list.error !== undefined, reload: list.reload };
}
