// The care page's tab, reminder status and plan, kept in its address so that a link opens the same list.
import { useCallback } from 'react';
import { useSearchParams } from 'react-router';
import { REMINDER_STATUSES, type ReminderStatus } from '../utils/types';

export type CareTab = 'reminders' | 'plans';

export function useCareView() {
  const [params, setParams] = useSearchParams();
  const tab: CareTab = params.get('tab') === 'plans' ? 'plans' : 'reminders';
  const statusParam = params.get('status');
  const status: ReminderStatus = REMINDER_STATUSES.find((candidate) => candidate === statusParam) ?? 'due';
  const plan = params.get('plan') ?? undefined;
  // Replacing, not pushing: Back leaves the page rather than stepping through every choice made on it.
  const change = useCallback(
    (name: string, value: string | undefined) =>
      setParams(
        (previous) => {
          const next = new URLSearchParams(previous);
          if (value === undefined) next.delete(name);
          else next.set(name, value);
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );
  const chooseTab = useCallback((next: CareTab) => change('tab', next), [change]);
  const chooseStatus = useCallback((next: ReminderStatus) => change('status', next === 'due' ? undefined : next), [change]);
  const choosePlan = useCallback((next: string | undefined) => change('plan', next), [change]);
  return { tab, status, plan, chooseTab, chooseStatus, choosePlan };
}
