// The page's tag and period, kept in its address so that a link opens a given tag and a period.
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { readPeriod, writePeriod, type Period } from '../utils/period';

export function useTransitionQuery() {
  const [params, setParams] = useSearchParams();
  const search = params.toString();
  const tag = params.get('tag') ?? undefined;
  const period = useMemo(() => readPeriod(new URLSearchParams(search)), [search]);
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
  return { tag, period, chooseTag, choosePeriod };
}
