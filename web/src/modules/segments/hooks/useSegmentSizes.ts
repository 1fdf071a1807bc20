// Saved segments' sizes day by day (recorded once a day by the server; today's counted live until then).
import { useEffect, useState } from 'react';
import { useApi } from '../../app/hooks/useApi';

export interface SizePoint {
  day: string;
  members: number;
  population: number;
  recorded: boolean;
}

export interface SegmentSizes {
  /** Each segment's points, by key, once read. */
  sizes: Map<string, SizePoint[]>;
  /** Why a segment's sizes could not be read, by key, in the server's words (or the network's). */
  failures: Map<string, string>;
}

/**
 * Each segment's sizes over the last `days` days, by key, and why any could not be read (so that
 * a page says so rather than waiting for them); fetched again when the keys change (not when only
 * the array does).
 */
export function useSegmentSizes(keys: readonly string[], days: number): SegmentSizes {
  const api = useApi();
  const [state, setState] = useState<SegmentSizes>({ sizes: new Map(), failures: new Map() });
  const joined = keys.join('\u0000');
  useEffect(() => {
    let live = true;
    const wanted = joined === '' ? [] : joined.split('\u0000');
    void Promise.allSettled(wanted.map((key) => api.get<{ items: SizePoint[] }>(`/segments/${encodeURIComponent(key)}/sizes?days=${days}`))).then((answers) => {
      if (!live) return;
      const sizes = new Map<string, SizePoint[]>();
      const failures = new Map<string, string>();
      answers.forEach((answer, k) => {
        const key = wanted[k] as string; // one answer per key asked for, in order
        if (answer.status === 'fulfilled') sizes.set(key, answer.value.items);
        else failures.set(key, answer.reason instanceof Error ? answer.reason.message : String(answer.reason));
      });
      setState({ sizes, failures });
    });
    return () => {
      live = false;
    };
  }, [api, joined, days]);
  return state;
}
