import { useCallback, useSyncExternalStore } from 'react';

/** Whether a CSS media query matches now, rendering again when that changes. */
export function useMediaQuery(query: string): boolean {
  // One subscription per query: a new function each render would make React subscribe afresh.
  const subscribe = useCallback(
    (onChange: () => void) => {
      const list = window.matchMedia(query);
      list.addEventListener('change', onChange);
      return () => list.removeEventListener('change', onChange);
    },
    [query],
  );
  return useSyncExternalStore(subscribe, () => window.matchMedia(query).matches);
}
