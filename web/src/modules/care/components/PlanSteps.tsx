import { Tooltip, Typography } from 'antd';
import { useSession } from '../../app/hooks/useSession';
import { describeOffset, describeSteps } from '../utils/stepOffset';
import type { CareStep, QuietHours } from '../utils/types';

/** 「30 分钟后、3 天后、7 天后」 (`describeSteps`), and the quiet hours they keep out of; hovering shows each step's message. */
export function PlanSteps({ steps, quietHours }: { steps: CareStep[]; quietHours: QuietHours | null }) {
  const { t } = useSession();
  return (
    <>
      <Tooltip
        title={steps.map((step, index) => (
          <div key={index}>
            {step.condition
              ? t('care.stepLineIf', { n: index + 1, when: describeOffset(t, step.after), condition: step.condition, message: step.message })
              : t('care.stepLine', { n: index + 1, when: describeOffset(t, step.after), message: step.message })}
          </div>
        ))}
      >
        <span data-testid="care-plan-steps">{describeSteps(t, steps)}</span>
      </Tooltip>
      {quietHours && (
        <Typography.Text type="secondary" style={{ display: 'block' }} data-testid="care-plan-quiet-hours">
          {t('care.plan.quietShown', { start: quietHours.start, end: quietHours.end })}
        </Typography.Text>
      )}
    </>
  );
}
