import { Input, Select, Typography } from 'antd';
import { useSession } from '../../app/hooks/useSession';
import type { Condition } from '../utils/filterModel';
import { UNITS, shapeOf, type Subject, type Unit } from '../utils/subjects';
import { NumberInput } from '../../app/components/NumberInput';

interface Props {
  condition: Condition;
  subject: Subject;
  testId: string;
  onChange: (condition: Condition) => void;
}

const numberOf = (text: string | undefined) => (text === undefined || text === '' ? null : Number(text));

/** The value part of a condition, shaped by its operator: values to pick, text, numbers or a span of days. */
export function ConditionValue({ condition, subject, testId, onChange }: Props) {
  const { t } = useSession();
  if (!condition.operator) return null;
  const set = (values: string[]) => onChange({ ...condition, values });
  const [first, second] = condition.values;
  const options = subject.options.map((option) => ({ value: option.value, label: option.label }));
  const pickable = subject.type === 'tag' || subject.type === 'enum';
  // Beside the operator (136 px) in a narrow builder, the segment builder's column on a laptop; all the rest in a wide one.
  const style = { flex: '1 1 120px', minWidth: 100 };
  switch (shapeOf(subject, condition.operator)) {
    case 'none':
      return null;
    case 'one':
      return pickable ? (
        <Select data-testid={testId} style={style} showSearch optionFilterProp="label" placeholder={t('builder.value')} aria-label={t('builder.value')} value={first} options={options} onChange={(value: string) => set([value])} />
      ) : (
        <Input data-testid={testId} style={style} placeholder={t('builder.value')} aria-label={t('builder.value')} value={first ?? ''} onChange={(event) => set([event.target.value])} />
      );
    case 'many':
      // Free text fields take any words typed; tags and enums only what they hold.
      return <Select data-testid={testId} style={style} mode={pickable ? 'multiple' : 'tags'} showSearch optionFilterProp="label" placeholder={t('builder.values')} aria-label={t('builder.values')} value={condition.values} options={options} onChange={(values: string[]) => set(values)} />;
    case 'number':
      return <NumberInput data-testid={testId} style={style} placeholder={t('builder.value')} aria-label={t('builder.value')} value={numberOf(first)} onChange={(value) => set([value === null ? '' : String(value)])} />;
    case 'range':
      return (
        <span style={{ ...style, display: 'flex', gap: 4, alignItems: 'center' }}>
          <NumberInput data-testid={testId} style={{ flex: 1 }} placeholder={t('builder.low')} aria-label={t('builder.low')} value={numberOf(first)} onChange={(value) => set([value === null ? '' : String(value), second ?? ''])} />
          <Typography.Text type="secondary">~</Typography.Text>
          <NumberInput data-testid={`${testId}-high`} style={{ flex: 1 }} placeholder={t('builder.high')} aria-label={t('builder.high')} value={numberOf(second)} onChange={(value) => set([first ?? '', value === null ? '' : String(value)])} />
        </span>
      );
    case 'duration':
      return (
        <span style={{ flex: '1 1 auto', display: 'flex', gap: 4, alignItems: 'center' }}>
          <NumberInput data-testid={testId} style={{ width: 90 }} min={0} max={36500} precision={0} placeholder={t('builder.count')} aria-label={t('builder.count')} value={numberOf(first)} onChange={(value) => set([value === null ? '' : String(value)])} />
          <Select data-testid={`${testId}-unit`} aria-label={t('care.plan.unit')} style={{ width: 80 }} value={condition.unit} onChange={(unit: Unit) => onChange({ ...condition, unit })} options={UNITS.map((unit) => ({ value: unit, label: t(`unit.${unit}`) }))} />
          {condition.operator !== 'within' && <Typography.Text type="secondary">{t('unit.ago')}</Typography.Text>}
        </span>
      );
    case 'boolean':
      return <Select data-testid={testId} style={style} value={first} placeholder={t('builder.value')} aria-label={t('builder.value')} options={[{ value: 'true', label: t('builder.true') }, { value: 'false', label: t('builder.false') }]} onChange={(value: string) => set([value])} />;
  }
}
