// What each value of a tag holds now: its customers and the chosen metrics' sums and means among
// them. Naming no metrics leaves the choice to the server, whose default is the RFM measures.
import { useApiQuery } from '../../app/hooks/useApiQuery';
import type { TagProfileJson } from '../utils/types';

export function useTagProfile(tag: string | undefined, metrics: readonly string[] | undefined, among: string | undefined) {
  const params = new URLSearchParams();
  if (metrics !== undefined) params.set('metrics', metrics.join(','));
  if (among !== undefined) params.set('segment', among);
  const query = params.size > 0 ? `?${params.toString()}` : '';
  return useApiQuery<TagProfileJson>(tag === undefined ? null : `/tags/${encodeURIComponent(tag)}/profile${query}`);
}
