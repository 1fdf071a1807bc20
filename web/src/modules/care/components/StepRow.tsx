import { Button, Card, Form, Input, Select, Space } from 'antd';
import { DeleteOutlined } from '@ant-design/icons';
import { useSession } from '../../app/hooks/useSession';
import { useState } from 'react';
import { STEP_UNITS, offsetFits, unitWord, type StepUnit } from '../utils/stepOffset';
import { ConditionField } from './ConditionField';
import { NumberInput } from '../../app/components/NumberInput';

interface Props {
  /** The step's name in the form's list. */
  name: number;
  /** Its place, from 0. */
  index: number;
  /** Absent for the only step: a plan has at least one. */
  onRemove: (() => void) | undefined;
}

/** One step: how long after (or before) the trigger's time, the message, placeholders and all, and perhaps a condition of its own. */
export function StepRow({ name, index, onRemove }: Props) {
  const { t } = useSession();
  const form = Form.useFormInstance();
  const amount = Form.useWatch<number | null | undefined>(['steps', name, 'amount']);
  // A step with a condition of its own shows it; the others offer one behind a link, so that most plans stay short.
  const held = Form.useWatch<string | undefined>(['steps', name, 'condition']);
  const [opened, setConditioned] = useState(false);
  const conditioned = opened || Boolean(held?.trim());
  const at = `care-step-${index}`;
  return (
    <Card
      size="small"
      data-testid={at}
      style={{ marginBottom: 12 }}
      title={t('care.step', { n: index + 1 })}
      extra={onRemove && <Button type="text" danger size="small" icon={<DeleteOutlined />} data-testid={`${at}-remove`} aria-label={t('care.plan.removeStep', { n: index + 1 })} onClick={onRemove} />}
    >
      <Form.Item label={t('care.plan.when')} required style={{ marginBottom: 12 }}>
        <Space.Compact>
          <Form.Item
            name={[name, 'amount']}
            noStyle
            dependencies={[['steps', name, 'unit']]}
            rules={[
              { required: true, message: t('care.plan.whenRequired') },
              {
                validator: (_, value: number | null | undefined) =>
                  value === null || value === undefined || offsetFits(value, form.getFieldValue(['steps', name, 'unit']) as StepUnit) ? Promise.resolve() : Promise.reject(new Error(t('care.plan.whenTooFar'))),
              },
            ]}
          >
            <NumberInput data-testid={`${at}-amount`} aria-label={t('care.plan.amount')} min={0} precision={0} style={{ width: 100 }} />
          </Form.Item>
          <Form.Item name={[name, 'unit']} noStyle>
            <Select<StepUnit> data-testid={`${at}-unit`} aria-label={t('care.plan.unit')} style={{ width: 96 }} options={STEP_UNITS.map((unit) => ({ value: unit, label: unitWord(t, unit) }))} />
          </Form.Item>
          {/* At the trigger's own time there is no before or after. */}
          {/* Before the trigger only when it counts from a time ahead of it (a coupon's expiry): the server refuses the rest. */}
          <Form.Item
            name={[name, 'side']}
            noStyle
            dependencies={['kind', 'timeProperty', ['steps', name, 'amount']]}
            rules={[
              {
                validator: (_, side: string | undefined) =>
                  side !== 'before' || !form.getFieldValue(['steps', name, 'amount']) || (form.getFieldValue('kind') === 'event' && String(form.getFieldValue('timeProperty') ?? '').trim() !== '')
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('care.plan.beforeNeedsTime'))),
              },
            ]}
          >
            <Select
              data-testid={`${at}-side`}
              aria-label={t('care.plan.side')}
              disabled={amount === 0}
              style={{ width: 96 }}
              options={[
                { value: 'after', label: t('care.plan.sideAfter') },
                { value: 'before', label: t('care.plan.sideBefore') },
              ]}
            />
          </Form.Item>
        </Space.Compact>
      </Form.Item>
      <Form.Item
        name={[name, 'message']}
        label={t('care.plan.message')}
        style={{ marginBottom: 0 }}
        rules={[{ required: true, whitespace: true, message: t('care.plan.messageRequired') }]}
      >
        <Input.TextArea data-testid={`${at}-message`} autoSize={{ minRows: 2, maxRows: 6 }} maxLength={1000} showCount />
      </Form.Item>
      {conditioned ? (
        <Form.Item name={[name, 'condition']} label={t('care.plan.stepCondition')} extra={t('care.plan.stepConditionHint')} style={{ marginTop: 12, marginBottom: 0 }}>
          <ConditionField testId={`${at}-condition`} />
        </Form.Item>
      ) : (
        <Button type="link" size="small" style={{ paddingLeft: 0, marginTop: 8 }} data-testid={`${at}-add-condition`} onClick={() => setConditioned(true)}>
          {t('care.plan.addStepCondition')}
        </Button>
      )}
    </Card>
  );
}
