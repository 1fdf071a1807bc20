import { Button, Form, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useSession } from '../../app/hooks/useSession';
import { newStep } from '../utils/planFields';
import { StepRow } from './StepRow';

/** The server takes 1 to 10 steps a plan. */
const MAX_STEPS = 10;

/** A plan's steps, each due some time from the trigger with the message to send then. */
export function StepList() {
  const { t } = useSession();
  return (
    <Form.List name="steps">
      {(fields, { add, remove }) => (
        <>
          <Typography.Title level={5} style={{ marginTop: 8 }}>
            {t('care.plan.steps')}
          </Typography.Title>
          <Typography.Paragraph type="secondary" data-testid="care-plan-placeholders">
            {t('care.plan.placeholders')}
          </Typography.Paragraph>
          {fields.map((field, index) => (
            <StepRow key={field.key} name={field.name} index={index} onRemove={fields.length > 1 ? () => remove(field.name) : undefined} />
          ))}
          <Button icon={<PlusOutlined />} disabled={fields.length >= MAX_STEPS} data-testid="care-step-add" onClick={() => add(newStep())}>
            {t('care.plan.addStep')}
          </Button>
        </>
      )}
    </Form.List>
  );
}
