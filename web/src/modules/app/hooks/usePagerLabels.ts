// The pager's buttons named in the console's language: antd leaves previous and next to the names
// of their icons, and the jumps of five pages to theirs, and a screen reader announced "left",
// "right", "double-left" and "double-right".
import type { PaginationProps } from 'antd';
import { cloneElement, isValidElement, useCallback, type KeyboardEvent } from 'react';
import { useSession } from './useSession';
import type { MessageKey } from '../utils/messages';

type ItemRender = NonNullable<PaginationProps['itemRender']>;
type ItemType = Parameters<ItemRender>[1];

/** What this sets on antd's previous, next and jump elements. */
interface PagerItemProps {
  'aria-label'?: string;
  role?: string;
  ref?: (element: HTMLElement | null) => void;
  onKeyDown?: (event: KeyboardEvent<HTMLElement>) => void;
}

const LABELS: Partial<Record<ItemType, MessageKey>> = {
  prev: 'common.previousPage',
  next: 'common.nextPage',
  'jump-prev': 'common.previousPages',
  'jump-next': 'common.nextPages',
};

/**
 * Takes a jump's tab stop from antd's list item around it, which has no name (a keyboard user
 * heard "list item"), to the named button itself. React sets the item's tabIndex once, when it
 * mounts, and so does this, with the button inside it.
 */
function takeTabStop(button: HTMLElement | null): void {
  const item = button?.closest('li');
  if (button && item) {
    item.tabIndex = -1;
    button.tabIndex = 0;
  }
}

/** Enter or Space on a jump's button jumps, once: the list item around it would take Enter too. */
function clickOnKey(event: KeyboardEvent<HTMLElement>): void {
  if (event.key !== 'Enter' && event.key !== ' ') return;
  event.preventDefault();
  event.stopPropagation();
  event.currentTarget.click();
}

/** What a table's `pagination` (or a `Pagination`) takes to name its previous, next and jump buttons. */
export function usePagerLabels(): { itemRender: ItemRender } {
  const { t } = useSession();
  const itemRender = useCallback<ItemRender>(
    (_page, type, original) => {
      const key = LABELS[type];
      if (key === undefined || !isValidElement<PagerItemProps>(original)) return original;
      // A jump is an anchor without an address, which has no role to carry a name, nor a tab stop: it is a button.
      return type.startsWith('jump-')
        ? cloneElement(original, { 'aria-label': t(key), role: 'button', ref: takeTabStop, onKeyDown: clickOnKey })
        : cloneElement(original, { 'aria-label': t(key) });
    },
    [t],
  );
  return { itemRender };
}
