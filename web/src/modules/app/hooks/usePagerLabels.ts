// The pager's previous and next buttons named in the console's language: antd leaves them to the
// names of their icons, and a screen reader announced "left" and "right".
import type { PaginationProps } from 'antd';
import { cloneElement, isValidElement, useCallback } from 'react';
import { useSession } from './useSession';

type ItemRender = NonNullable<PaginationProps['itemRender']>;

/** What a table's `pagination` (or a `Pagination`) takes to name its previous and next buttons. */
export function usePagerLabels(): { itemRender: ItemRender } {
  const { t } = useSession();
  const itemRender = useCallback<ItemRender>(
    (_page, type, original) => {
      const label = type === 'prev' ? t('common.previousPage') : type === 'next' ? t('common.nextPage') : undefined;
      return label !== undefined && isValidElement<{ 'aria-label'?: string }>(original) ? cloneElement(original, { 'aria-label': label }) : original;
    },
    [t],
  );
  return { itemRender };
}
