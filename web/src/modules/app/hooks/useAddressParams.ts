// A page's choices kept in its address, so that a link opens the same view.
import { useCallback } from 'react';
import { useSearchParams } from 'react-router';

/** The address's parameters, and a way to edit them in place. */
export function useAddressParams() {
  const [params, setParams] = useSearchParams();
  // Replacing, not pushing: Back leaves the page rather than stepping through every choice made on it.
  // Edited from the address as it is now, not as last rendered: the router renders a change of
  // address as a transition, and a choice made before that render (a tab clicked right after a
  // deletion cleared the list's filter) would otherwise put back what the first change took out.
  const change = useCallback(
    (edit: (next: URLSearchParams) => void) => {
      const next = new URLSearchParams(window.location.search);
      edit(next);
      setParams(next, { replace: true });
    },
    [setParams],
  );
  return [params, change] as const;
}
