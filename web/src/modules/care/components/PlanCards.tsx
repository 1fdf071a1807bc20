// The care plans as cards on a phone, one a screen wide: what the table shows on a desktop.
import { Button, Space, Typography } from 'antd';
import { CardLines } from '../../app/components/CardLines';
import { EditOutlined } from '@ant-design/icons';
import type { ReactNode } from 'react';
import { RowCards } from '../../app/components/RowCards';
import { usePermissions } from '../../app/hooks/usePermissions';
import { useSession } from '../../app/hooks/useSession';
import { useModelWords } from '../../models/hooks/useModelWords';
import { usePlanFocus } from '../hooks/usePlanFocus';
import type { CarePlan } from '../utils/types';
import { PlanCounts } from './PlanCounts';
import { PlanDeleteButton } from './PlanDeleteButton';
import { PlanEnabledSwitch } from './PlanEnabledSwitch';
import { PlanKey } from './PlanKey';
import { PlanSteps } from './PlanSteps';
import { PlanTrigger } from './PlanTrigger';
import type { PlanListProps } from './PlanTable';

/** Each plan's card, by the key it carries: where the focus goes on to once one is deleted. */
const CARDS = '.tb-plan-card[data-row-key]';

/**
 * The plans on a phone, one card each, the screen's width: the name and key with the switch beside
 * them, what starts the plan, its steps, whom it keeps to, how its reminders stand, and the buttons
 * at the foot. A table there scrolled sideways inside itself, the switch and buttons out of sight.
 */
export function PlanCards({ plans, tags, seen, loading, failed, onEdit, onChanged, fallbackFocus }: PlanListProps) {
  const { t } = useSession();
  const { can } = usePermissions();
  const words = useModelWords();
  const { box, leave } = usePlanFocus(plans, fallbackFocus, CARDS);
  const lines = (plan: CarePlan): [string, ReactNode][] => [
    [t('care.plan.trigger'), <PlanTrigger key="trigger" trigger={plan.trigger} cancel={plan.cancel_on} tags={tags} seen={seen} words={words} />],
    [t('care.plan.steps'), <PlanSteps key="steps" steps={plan.steps} quietHours={plan.quiet_hours} />],
    ...(plan.condition ? [[t('care.plan.conditionColumn'), <Typography.Text key="condition" code>{plan.condition}</Typography.Text>] as [string, ReactNode]] : []),
    [t('care.plan.reminders'), <PlanCounts key="counts" plan={plan} />],
  ];
  return (
    <div ref={box}>
      <RowCards<CarePlan>
        testId="care-plans"
        rows={plans}
        rowKey={(plan) => plan.key}
        cardClassName="tb-plan-card"
        cardTestId={(plan) => `care-plan-card-${plan.key}`}
        loading={loading}
        empty={t(failed ? 'common.notLoaded' : 'care.plan.none')}
      >
        {(plan) => (
          <>
            <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'flex-start', gap: 12 }}>
              <div style={{ minWidth: 0, overflowWrap: 'anywhere' }}>
                <Typography.Text strong style={{ display: 'block' }}>
                  {plan.name}
                </Typography.Text>
                <PlanKey planKey={plan.key} />
              </div>
              <PlanEnabledSwitch plan={plan} onChanged={() => onChanged()} />
            </div>
            {plan.description && (
              <Typography.Text type="secondary" style={{ overflowWrap: 'anywhere' }}>
                {plan.description}
              </Typography.Text>
            )}
            <CardLines lines={lines(plan)} />
            {can('write') && (
              <Space wrap size={0}>
                <Button size="small" type="link" icon={<EditOutlined />} data-testid={`care-plan-edit-${plan.key}`} aria-label={t('care.plan.editNamed', { name: plan.name })} onClick={() => onEdit(plan)}>
                  {t('care.plan.edit')}
                </Button>
                <PlanDeleteButton
                  plan={plan}
                  onDeleted={() => {
                    leave(plan);
                    onChanged(plan.key);
                  }}
                />
              </Space>
            )}
          </>
        )}
      </RowCards>
    </div>
  );
}
