// The pager's buttons named in the console's language: antd leaves previous and next to the names
// of their icons, and the jumps of five pages to theirs, and a screen reader announced "left",
// "right", "double-left" and "double-right".
import type { PaginationProps } from 'antd';
import { cloneElement, isValidElement, useCallback } from 'react';
import { useSession } from './useSession';
import type { MessageKey } from '../utils/messages';

type ItemRender = NonNullable<PaginationProps['itemRender']>;
type ItemType = Parameters<ItemRender>[1];

const LABELS: Partial<Record<ItemType, MessageKey>> = {
  prev: 'common.previousPage',
  next: 'common.nextPage',
  'jump-prev': 'common.previousPages',
  'jump-next': 'common.nextPages',
};

/** What a table's `pagination` (or a `Pagination`) takes to name its previous, next and jump buttons. */
export function usePagerLabels(): { itemRender: ItemRender } {
  const { t } = useSession();
  const itemRender = useCallback<ItemRender>(
    (_page, type, original) => {
      const key = LABELS[type];
      if (key === undefined || !isValidElement<{ 'aria-label'?: string; role?: string }>(original)) return original;
      // A jump is an anchor without an address, which has no role to carry a name: it is a button.
      return cloneElement(original, type.startsWith('jump-') ? { 'aria-label': t(key), role: 'button' } : { 'aria-label': t(key) });
    },
    [t],
  );
  return { itemRender };
}
