import { ExpressionEditor } from '../../expression/components/ExpressionEditor';
import { useExpressionCount } from '../../expression/hooks/useExpressionCount';
import { useSession } from '../../app/hooks/useSession';

/**
 * A plan's (or a step's) condition for a form field, edited as the segments page edits an expression. The
 * count is of whom it matches now; the plan checks it again for each reminder as it falls due.
 */
export function ConditionField({ value = '', onChange, testId = 'care-plan-condition' }: { value?: string; onChange?: (value: string) => void; testId?: string }) {
  const { t } = useSession();
  const counted = useExpressionCount(value);
  return <ExpressionEditor testId={testId} value={value} onChange={(next) => onChange?.(next)} result={counted} placeholder={t('builder.careExample')} />;
}
