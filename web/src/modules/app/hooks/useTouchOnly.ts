import { useSyncExternalStore } from 'react';

// A finger and no mouse: a phone, or a tablet without one.
const TOUCH_ONLY = '(pointer: coarse) and (hover: none)';

function subscribe(onChange: () => void): () => void {
  const query = window.matchMedia(TOUCH_ONLY);
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
}

/**
 * Whether the reader has only a touch screen to point with: nothing can be dragged onto the page
 * there, and a control is tapped rather than clicked.
 */
export function useTouchOnly(): boolean {
  return useSyncExternalStore(subscribe, () => window.matchMedia(TOUCH_ONLY).matches);
}
