// Where the focus goes once a reminder acted on leaves the to-do list, in its table or its cards.
import { useEffect, useRef } from 'react';
import { focusIsLost, focusRowControl, rowIndexOf } from '../../app/utils/focus';
import type { Outcome } from '../components/ReminderActions';
import type { CareReminder } from '../utils/types';

/** Each action's button, by what it did: the focus goes on to the same one in the next reminder. */
const ACTION_BUTTONS: Record<Outcome, string> = {
  done: '[data-testid^="care-done-"]',
  dismissed: '[data-testid^="care-dismiss-"]',
  snoozed: '[data-testid^="care-snooze-"]',
  reopened: '[data-testid^="care-reopen-"]',
  unsnoozed: '[data-testid^="care-unsnooze-"]',
};

/**
 * The reminder closed, put off or opened again, and its place in the list: its buttons went with
 * it, and the focus with them to the page's top. Once the list no longer shows it, the focus goes on
 * to the same button in the reminder now in its place (or the last), another of its buttons failing
 * that, else to `fallbackFocus`; unless something has taken it since. `rows` picks out the list's
 * reminders (each with its id as `data-row-key`) inside the element given `box`.
 */
export function useReminderFocus(reminders: CareReminder[], fallbackFocus: () => HTMLElement | null, rows?: string) {
  const box = useRef<HTMLDivElement>(null);
  const leaving = useRef<{ key: string; index: number; outcome: Outcome }>(undefined);
  useEffect(() => {
    const left = leaving.current;
    if (!left || reminders.some((reminder) => String(reminder.id) === left.key)) return;
    leaving.current = undefined;
    if (focusIsLost()) focusRowControl(box.current, left.key, left.index, [ACTION_BUTTONS[left.outcome], ...Object.values(ACTION_BUTTONS)], fallbackFocus(), rows);
  }, [reminders, fallbackFocus, rows]);
  /** Marks the reminder as leaving the list by `outcome`, before the list reloads. */
  const leave = (reminder: CareReminder, outcome: Outcome) => {
    leaving.current = { key: String(reminder.id), index: rowIndexOf(box.current, String(reminder.id), rows), outcome };
  };
  return { box, leave };
}
