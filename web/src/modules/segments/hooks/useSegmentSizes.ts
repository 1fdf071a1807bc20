// Saved segments' sizes day by day (recorded once a day by the server; today's counted live until then).
import { useEffect, useState } from 'react';
import { useApi } from '../../app/hooks/useApi';

export interface SizePoint {
  day: string;
  members: number;
  population: number;
  recorded: boolean;
}

/** Each segment's sizes over the last `days` days, by key; fetched again when the keys change (not when only the array does). */
export function useSegmentSizes(keys: readonly string[], days: number): Map<string, SizePoint[]> {
  const api = useApi();
  const [sizes, setSizes] = useState<Map<string, SizePoint[]>>(new Map());
  const joined = keys.join('\u0000');
  useEffect(() => {
    let live = true;
    const wanted = joined === '' ? [] : joined.split('\u0000');
    void Promise.all(wanted.map(async (key) => [key, (await api.get<{ items: SizePoint[] }>(`/segments/${encodeURIComponent(key)}/sizes?days=${days}`)).items] as const)).then(
      (entries) => live && setSizes(new Map(entries)),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [api, joined, days]);
  return sizes;
}
