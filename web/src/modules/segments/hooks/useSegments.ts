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
  /** When it was last saved (made or changed). */
  updated_at: string;
}

/**
 * Changes whenever a saved segment is made, changed or deleted: what a segment's members, its
 * sizes and its overlaps are read again by, since a change to one also changes those reading it.
 */
export function segmentsRevision(segments: readonly SegmentJson[] | 'pending'): string {
  return segments === 'pending' ? '' : segments.map((segment) => `${segment.key}@${segment.updated_at}`).join('\u0000');
}

export function useSegments() {
  const api = useApi();
  const list = useApiQuery<{ items: SegmentJson[] }>('/segments');
  const [counts, setCounts] = useState<Map<string, number>>(new Map());
  // Everyone at the moment of each count, so that a share is of the same moment's population.
  const [populations, setPopulations] = useState<Map<string, number>>(new Map());
  // Why a segment's members could not be counted, by key: the list says so instead of waiting.
  const [countFailures, setCountFailures] = useState<Map<string, string>>(new Map());
  useEffect(() => {
    let live = true;
    const items = list.data?.items ?? [];
    void Promise.allSettled(items.map((segment) => api.post<CountJson>('/segments/count', { expression: `segment(${JSON.stringify(segment.key)})` }))).then((answers) => {
      if (!live) return;
      const counted = new Map<string, number>();
      const everyone = new Map<string, number>();
      const failed = new Map<string, string>();
      answers.forEach((answer, k) => {
        const key = (items[k] as SegmentJson).key; // one answer per segment, in order
        if (answer.status === 'fulfilled') {
          counted.set(key, answer.value.count);
          everyone.set(key, answer.value.population);
        } else failed.set(key, answer.reason instanceof Error ? answer.reason.message : String(answer.reason));
      });
      setCounts(counted);
      setPopulations(everyone);
      setCountFailures(failed);
    });
    return () => {
      live = false;
    };
  }, [api, list.data]);
  return { segments: list.data?.items ?? [], counts, populations, countFailures, loading: list.loading, error: list.error, settled: list.data !== undefined || list.error !== undefined, reload: list.reload };
}
