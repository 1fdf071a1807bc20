// The care page's tab, reminder status, plan and customer, kept in its address so that a link opens the same list.
import { useCallback } from 'react';
import { useAddressParams } from '../../app/hooks/useAddressParams';
import { REMINDER_STATUSES, type ReminderStatus } from '../utils/types';

export type CareTab = 'reminders' | 'plans';

export function useCareView() {
  const [params, change] = useAddressParams();
  const tab: CareTab = params.get('tab') === 'plans' ? 'plans' : 'reminders';
  const statusParam = params.get('status');
  const status: ReminderStatus = REMINDER_STATUSES.find((candidate) => candidate === statusParam) ?? 'due';
  const plan = params.get('plan') ?? undefined;
  // One customer's reminders: where a portrait's 全部提醒 leads.
  const customer = params.get('customer') ?? undefined;
  const set = useCallback((name: string, value: string | undefined) => change((next) => (value === undefined ? next.delete(name) : next.set(name, value))), [change]);
  const chooseTab = useCallback((next: CareTab) => set('tab', next), [set]);
  const chooseStatus = useCallback((next: ReminderStatus) => set('status', next === 'due' ? undefined : next), [set]);
  const choosePlan = useCallback((next: string | undefined) => set('plan', next), [set]);
  const chooseCustomer = useCallback((next: string | undefined) => set('customer', next), [set]);
  return { tab, status, plan, customer, chooseTab, chooseStatus, choosePlan, chooseCustomer };
}
