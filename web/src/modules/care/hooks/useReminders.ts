// One page of reminders in one status, narrowed to a plan or a customer.
import { useApiQuery } from '../../app/hooks/useApiQuery';
import type { ReminderPage, ReminderStatus } from '../utils/types';

export interface ReminderFilter {
  status: ReminderStatus;
  /** A plan's key. */
  plan?: string | undefined;
  /** A customer's id. */
  customer?: string | undefined;
  limit: number;
  offset?: number;
}

export function useReminders(filter: ReminderFilter) {
  const query = new URLSearchParams({ status: filter.status, limit: String(filter.limit), offset: String(filter.offset ?? 0) });
  if (filter.plan) query.set('plan', filter.plan);
  if (filter.customer) query.set('customer', filter.customer);
  return useApiQuery<ReminderPage>(`/care/reminders?${query.toString()}`);
}
