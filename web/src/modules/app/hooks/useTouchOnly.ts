import { useMediaQuery } from './useMediaQuery';

/**
 * Whether the reader has only a touch screen to point with (a finger and no mouse: a phone, or a
 * tablet without one): nothing can be dragged onto the page there, and a control is tapped
 * rather than clicked.
 */
export function useTouchOnly(): boolean {
  return useMediaQuery('(pointer: coarse) and (hover: none)');
}
