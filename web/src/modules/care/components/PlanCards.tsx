import { Button, Space, Typography, theme } from 'antd';
import { EditOutlined } from '@ant-design/icons';
import type { ReactNode } from 'react';
import { RowCards } from '../../app/components/RowCards';
import { usePermissions } from '../../app/hooks/usePermissions';
import { useSession } from '../../app/hooks/useSession';
import type { TagJson } from '../../app/utils/types';
import { useModelWords } from '../../models/hooks/useModelWords';
import { usePlanFocus } from '../hooks/usePlanFocus';
import type { CarePlan, SeenEventTypes } from '../utils/types';
import { PlanCounts } from './PlanCounts';
import { PlanDeleteButton } from './PlanDeleteButton';
import { PlanEnabledSwitch } from './PlanEnabledSwitch';
import { PlanKey } from './PlanKey';
import { PlanSteps } from './PlanSteps';
import { PlanTrigger } from './PlanTrigger';

/** Each plan's card, by the key it carries: where the focus goes on to once one is deleted. */
const CARDS = '.tb-plan-card[data-row-key]';

interface Props {
  plans: CarePlan[];
  /** The library, for the names of the tags a plan reacts to. */
  tags: TagJson[];
  /** The event types the workspace received lately: a plan started by none of them is said to wait. */
  seen: SeenEventTypes | undefined;
  loading: boolean;
  /** The plans could not be read (the page says why): the list says so rather than that there are none. */
  failed: boolean;
  onEdit: (plan: CarePlan) => void;
  /** A plan was switched or deleted (its key given when deleted). */
  onChanged: (deleted?: string) => void;
  /** Takes the focus once the last plan listed is deleted under it. */
  fallbackFocus: () => HTMLElement | null;
}

/**
 * The plans on a phone, one card each, the screen's width: the name and key with the switch beside
 * them, what starts the plan, its steps, whom it keeps to, how its reminders stand, and the buttons
 * at the foot. A table there scrolled sideways inside itself, the switch and buttons out of sight.
 */
export function PlanCards({ plans, tags, seen, loading, failed, onEdit, onChanged, fallbackFocus }: Props) {
  const { t } = useSession();
  const { can } = usePermissions();
  const { token } = theme.useToken();
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
            <dl style={{ margin: 0, display: 'grid', gridTemplateColumns: 'auto minmax(0, 1fr)', gap: '4px 12px' }}>
              {lines(plan).map(([label, value]) => [
                <dt key={`label:${label}`} style={{ color: token.colorTextSecondary }}>
                  {label}
                </dt>,
                <dd key={`value:${label}`} style={{ margin: 0, overflowWrap: 'anywhere' }}>
                  {value}
                </dd>,
              ])}
            </dl>
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
