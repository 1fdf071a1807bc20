// The page's tag, period and profile metrics, kept in its address so that a link opens the same view.
import { useCallback, useMemo } from 'react';
import { useAddressParams } from '../../app/hooks/useAddressParams';
import { readPeriod, writePeriod, type Period } from '../utils/period';

export function useTransitionQuery() {
  const [params, change] = useAddressParams();
  const search = params.toString();
  const tag = params.get('tag') ?? undefined;
  const period = useMemo(() => readPeriod(new URLSearchParams(search)), [search]);
  const metricsParam = params.get('metrics');
  // Undefined, not empty, when none are named: the profile then asks for the server's default.
  const metrics = useMemo(() => {
    const keys = (metricsParam ?? '').split(',').map((key) => key.trim()).filter(Boolean);
    return keys.length > 0 ? keys : undefined;
  }, [metricsParam]);
  const chooseTag = useCallback((key: string) => change((next) => next.set('tag', key)), [change]);
  const choosePeriod = useCallback((chosen: Period) => change((next) => writePeriod(next, chosen)), [change]);
  const chooseMetrics = useCallback((keys: readonly string[]) => change((next) => (keys.length > 0 ? next.set('metrics', keys.join(',')) : next.delete('metrics'))), [change]);
  // The saved segment the profile is narrowed to; absent for everyone.
  const among = params.get('segment') ?? undefined;
  const chooseAmong = useCallback((segment: string | undefined) => change((next) => (segment ? next.set('segment', segment) : next.delete('segment'))), [change]);
  return { tag, period, metrics, among, chooseTag, choosePeriod, chooseMetrics, chooseAmong };
}
