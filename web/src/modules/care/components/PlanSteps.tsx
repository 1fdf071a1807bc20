import { Tooltip } from 'antd';
import { useSession } from '../../app/hooks/useSession';
import { describeOffset } from '../utils/stepOffset';
import type { CareStep } from '../utils/types';

/** 「30分钟后、3天后、7天后」; hovering shows each step's message. */
export function PlanSteps({ steps }: { steps: CareStep[] }) {
  const { t } = useSession();
  return (
    <Tooltip
      title={steps.map((step, index) => (
        <div key={index}>{t('care.stepLine', { n: index + 1, when: describeOffset(t, step.after), message: step.message })}</div>
      ))}
    >
      <span data-testid="care-plan-steps">{steps.map((step) => describeOffset(t, step.after)).join(t('care.separator'))}</span>
    </Tooltip>
  );
}
