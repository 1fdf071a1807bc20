// Everything the overview shows, fetched side by side. A model that is not enabled answers
// TAG_NOT_FOUND, which the page reads as "not enabled" rather than as an error.
import { useApiQuery } from '../../app/hooks/useApiQuery';
import type { HistoryJson, TagJson } from '../../app/utils/types';

export interface TrendJson {
  dates: string[];
  series: { value: string; name: string; counts: number[] }[];
}

export interface OverviewTotals {
  customers: number;
  tagged: number;
  tags: number;
  /** Care reminders due: the to-do list's length. */
  care_due: number;
}

export function useOverview() {
  const totals = useApiQuery<OverviewTotals>('/overview');
  const rfm = useApiQuery<TagJson>('/tags/rfm');
  const lifecycle = useApiQuery<TagJson>('/tags/lifecycle');
  const history = useApiQuery<{ items: HistoryJson[] }>('/history?limit=12');
  const rfmEnabled = rfm.data !== undefined && rfm.data.status === 'active';
  const trend = useApiQuery<TrendJson>(rfmEnabled ? '/history/trend?tag=rfm&days=30' : null);
  return { totals, rfm, lifecycle, history, trend, rfmEnabled };
}
