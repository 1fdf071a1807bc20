import { Alert, Badge, Card, Tabs } from 'antd';
import { useState } from 'react';
import { useSession } from '../../app/hooks/useSession';
import { useCarePlans } from '../hooks/useCarePlans';
import { useCareView, type CareTab } from '../hooks/useCareView';
import { PlanList } from './PlanList';
import { ReminderList } from './ReminderList';

/** Customer care: the reminders the plans bring due, for the staff to act on, and the plans themselves. */
export function CarePage() {
  const { t } = useSession();
  const view = useCareView();
  const plans = useCarePlans();
  const items = plans.data?.items ?? [];
  const due = items.reduce((sum, plan) => sum + plan.reminders.due, 0);
  // The to-do list stays mounted behind the plans tab: a plan changed or deleted there changes
  // its reminders (a deleted plan's are gone), and a list narrowed to a deleted plan shows every plan's.
  const [planChanges, setPlanChanges] = useState(0);
  const plansChanged = (deleted?: string) => {
    plans.reload();
    setPlanChanges((count) => count + 1);
    if (deleted !== undefined && deleted === view.plan) view.choosePlan(undefined);
  };
  return (
    <Card title={t('care.title')} data-testid="care-page">
      {plans.error && <Alert data-testid="care-plans-error" type="error" showIcon style={{ marginBottom: 16 }} message={t('common.error')} description={plans.error.message} />}
      <Tabs
        data-testid="care-tabs"
        activeKey={view.tab}
        onChange={(key) => view.chooseTab(key as CareTab)}
        items={[
          {
            key: 'reminders',
            label: (
              <span data-testid="care-tab-reminders">
                {t('care.tab.reminders')} <Badge count={due} size="small" overflowCount={999} />
              </span>
            ),
            children: <ReminderList
                plans={items}
                plansKnown={plans.data !== undefined && plans.error === undefined}
                status={view.status}
                plan={view.plan}
                customer={view.customer}
                planChanges={planChanges}
                onStatus={view.chooseStatus}
                onPlan={view.choosePlan}
                onCustomer={view.chooseCustomer}
                onChanged={plans.reload}
              />,
          },
          {
            key: 'plans',
            label: <span data-testid="care-tab-plans">{t('care.tab.plans')}</span>,
            children: <PlanList plans={items} loading={plans.loading} failed={plans.error !== undefined} onChanged={plansChanged} />,
          },
        ]}
      />
    </Card>
  );
}
