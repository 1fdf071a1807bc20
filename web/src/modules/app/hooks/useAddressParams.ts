// A page's choices kept in its address, so that a link opens the same view.
import { useCallback } from 'react';
import { useSearchParams } from 'react-router';

/** The address's parameters, and a way to edit them in place. */
export function useAddressParams() {
  const [params, setParams] = useSearchParams();
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
  return [params, change] as const;
}
