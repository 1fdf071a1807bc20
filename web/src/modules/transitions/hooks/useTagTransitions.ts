// How a tag's holders moved over the period. A preset period is counted back from when the tag
// and the period were chosen, not from every render, so the answer is asked for once.
import { useMemo } from 'react';
import { useApiQuery } from '../../app/hooks/useApiQuery';
import { periodInstants, periodKey, type Period } from '../utils/period';
import type { TransitionsJson } from '../utils/types';

export function useTagTransitions(tag: string | undefined, period: Period) {
  // The key stands for the period (a new object on every change of the address) and the tag.
  const key = `${tag ?? ''}|${periodKey(period)}`;
  const instants = useMemo(() => periodInstants(period, Date.now()), [key]);
  const query = new URLSearchParams(instants).toString();
  return useApiQuery<TransitionsJson>(tag === undefined ? null : `/tags/${encodeURIComponent(tag)}/transitions${query ? `?${query}` : ''}`);
}
