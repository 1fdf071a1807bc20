import { useMediaQuery } from './useMediaQuery';

/**
 * Whether the reader asked their system for less motion (vestibular disorders, distraction, a slow
 * machine): dialogs, menus, toasts and charts then appear at once instead of sliding and growing.
 */
export function useReducedMotion(): boolean {
  return useMediaQuery('(prefers-reduced-motion: reduce)');
}
