// The customers page's search, filter, sort and page, kept in its address so that Back from a
// portrait, a reload or a shared link opens the same list. The address is read once, when the
// page opens; after that the page's own state leads and the address follows it, since text
// typed fast would otherwise race the address's (deferred) updates.
import { useCallback, useState } from 'react';
import { useAddressParams } from '../../app/hooks/useAddressParams';

export interface CustomerView {
  q: string;
  filter: string;
  sort: string;
  page: number;
  pageSize: number;
}

export const SORTS = ['', '-spend_365d', '-last_order_at'] as const;
export const PAGE_SIZES = [20, 50, 100] as const;

export function readCustomerView(params: URLSearchParams): CustomerView {
  const sort = params.get('sort') ?? '';
  const page = Number(params.get('page'));
  const pageSize = Number(params.get('size'));
  return {
    q: params.get('q') ?? '',
    filter: params.get('filter') ?? '',
    sort: SORTS.find((candidate) => candidate === sort) ?? '',
    page: Number.isInteger(page) && page >= 1 ? page : 1,
    pageSize: PAGE_SIZES.find((candidate) => candidate === pageSize) ?? PAGE_SIZES[0],
  };
}

/** Writes the view into `params`, leaving out what is as a fresh page has it. */
export function writeCustomerView(params: URLSearchParams, view: CustomerView): void {
  const set = (name: string, value: string | undefined) => (value ? params.set(name, value) : params.delete(name));
  set('q', view.q.trim() ? view.q : undefined);
  set('filter', view.filter.trim() ? view.filter : undefined);
  set('sort', view.sort || undefined);
  set('page', view.page > 1 ? String(view.page) : undefined);
  set('size', view.pageSize !== PAGE_SIZES[0] ? String(view.pageSize) : undefined);
}

/** The view the address named when the page opened, and a way to keep the address on the view as it changes. */
export function useCustomerView() {
  const [params, change] = useAddressParams();
  const [initial] = useState(() => readCustomerView(params));
  const keep = useCallback(
    (view: CustomerView) => {
      const wanted = new URLSearchParams(params);
      writeCustomerView(wanted, view);
      // Only a change is written: the page's first render, say, names what the address already does.
      if (wanted.toString() !== params.toString()) change((next) => writeCustomerView(next, view));
    },
    [params, change],
  );
  return [initial, keep] as const;
}
