import { Tooltip, Typography } from 'antd';
import { useSession } from '../../app/hooks/useSession';
import { describeOffset } from '../utils/stepOffset';
import type { CareStep, QuietHours } from '../utils/types';

/** 「30分钟后、3天后、7天后」, and the quiet hours they keep out of; hovering shows each step's message. */
export function PlanSteps({ steps, quietHours }: { steps: CareStep[]; quietHours: QuietHours | null }) {
  const { t } = useSession();
  return (
    <>
      <Tooltip
        title={steps.map((step, index) => (
          <div key={index}>{t('care.stepLine', { n: index + 1, when: describeOffset(t, step.after), message: step.message })}</div>
        ))}
      >
        <span data-testid="care-plan-steps">{steps.map((step) => describeOffset(t, step.after)).join(t('care.separator'))}</span>
      </Tooltip>
      {quietHours && (
        <Typography.Text type="secondary" style={{ display: 'block' }} data-testid="care-plan-quiet-hours">
          {t('care.plan.quietShown', { start: quietHours.start, end: quietHours.end })}
        </Typography.Text>
      )}
    </>
  );
}
