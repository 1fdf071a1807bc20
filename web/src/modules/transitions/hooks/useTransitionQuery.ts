// The page's tag, period and profile metrics, kept in its address so that a link opens the same view.
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { readPeriod, writePeriod, type Period } from '../utils/period';

export function useTransitionQuery() {
  const [params, setParams] = useSearchParams();
  const search = params.toString();
  const tag = params.get('tag') ?? undefined;
  const period = useMemo(() => readPeriod(new URLSearchParams(search)), [search]);
  const metricsParam = params.get('metrics');
  // Undefined, not empty, when none are named: the profile then asks for the server's default.
  const metrics = useMemo(() => {
    const keys = (metricsParam ?? '').split(',').map((key) => key.trim()).filter(Boolean);
    return keys.length > 0 ? keys : undefined;
  }, [metricsParam]);
  // Replacing, not pushing: Back leaves the page rather than stepping through every choice made on it.
  const change = useCallback(
    (edit: (next: URLSearchParams) => void) =>
      setParams(
        (previous) => {
          const next = new URLSearchParams(previous);
          edit(next);
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );
  const chooseTag = useCallback((key: string) => change((next) => next.set('tag', key)), [change]);
  const choosePeriod = useCallback((chosen: Period) => change((next) => writePeriod(next, chosen)), [change]);
  const chooseMetrics = useCallback((keys: readonly string[]) => change((next) => (keys.length > 0 ? next.set('metrics', keys.join(',')) : next.delete('metrics'))), [change]);
  // The saved segment the profile is narrowed to; absent for everyone.
  const among = params.get('segment') ?? undefined;
  const chooseAmong = useCallback((segment: string | undefined) => change((next) => (segment ? next.set('segment', segment) : next.delete('segment'))), [change]);
  return { tag, period, metrics, among, chooseTag, choosePeriod, chooseMetrics, chooseAmong };
}
