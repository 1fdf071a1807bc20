import { useSession } from '../../app/hooks/useSession';
import type { CarePlan } from '../utils/types';

/** How a plan's reminders stand: 「待处理 2 / 已安排 5 / 已完成 9」, each count kept whole when the line breaks. */
export function PlanCounts({ plan }: { plan: CarePlan }) {
  const { t } = useSession();
  return (
    <span data-testid={`care-plan-counts-${plan.key}`}>
      <span style={{ whiteSpace: 'nowrap' }}>{t('care.plan.countDue', { n: plan.reminders.due })}</span>
      {' / '}
      <span style={{ whiteSpace: 'nowrap' }}>{t('care.plan.countScheduled', { n: plan.reminders.scheduled })}</span>
      {' / '}
      <span style={{ whiteSpace: 'nowrap' }}>{t('care.plan.countDone', { n: plan.reminders.done })}</span>
    </span>
  );
}
