// Where the focus goes once a plan deleted leaves the list, in its table or its cards.
import { useEffect, useRef } from 'react';
import { focusIsLost, focusRowControl, rowIndexOf } from '../../app/utils/focus';
import type { CarePlan } from '../utils/types';

/** A plan's buttons, in order of preference: the focus goes on to the same one in the next plan. */
const PLAN_BUTTONS = ['[data-testid^="care-plan-delete-"]', '[data-testid^="care-plan-edit-"]'];

/**
 * The plan deleted, and its place: its 删除 went with it, and the focus with it to the page's top.
 * Once the list no longer shows it, the focus goes on to 删除 in the plan now in its place (or the
 * last), else to `fallbackFocus`; unless something has taken it since. `rows` picks out the list's
 * plans (each with its key as `data-row-key`) inside the element given `box`.
 */
export function usePlanFocus(plans: CarePlan[], fallbackFocus: () => HTMLElement | null, rows?: string) {
  const box = useRef<HTMLDivElement>(null);
  const deleted = useRef<{ key: string; index: number }>(undefined);
  useEffect(() => {
    const gone = deleted.current;
    if (!gone || plans.some((plan) => plan.key === gone.key)) return;
    deleted.current = undefined;
    if (focusIsLost()) focusRowControl(box.current, gone.key, gone.index, PLAN_BUTTONS, fallbackFocus(), rows);
  }, [plans, fallbackFocus, rows]);
  /** Marks the plan as leaving the list, before the list reloads. */
  const leave = (plan: CarePlan) => {
    deleted.current = { key: plan.key, index: rowIndexOf(box.current, plan.key, rows) };
  };
  return { box, leave };
}
