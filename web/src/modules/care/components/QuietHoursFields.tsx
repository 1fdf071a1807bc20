import { Checkbox, Form, Input, Space } from 'antd';
import { useSession } from '../../app/hooks/useSession';
import { CLOCK_PATTERN } from '../utils/planFields';

/** The optional hours in which nothing falls due: a reminder that would is moved to their end, so an SMS sender never writes at night. */
export function QuietHoursFields() {
  const { t } = useSession();
  const quiet = Form.useWatch<boolean | undefined>('quiet');
  const rules = [
    { required: true, message: t('care.plan.quietRequired') },
    { pattern: CLOCK_PATTERN, message: t('care.plan.quietInvalid') },
  ];
  return (
    <>
      <Form.Item name="quiet" valuePropName="checked" extra={quiet ? undefined : t('care.plan.quietHint')} style={{ marginBottom: quiet ? 8 : undefined }}>
        <Checkbox data-testid="care-plan-quiet">{t('care.plan.quiet')}</Checkbox>
      </Form.Item>
      {quiet && (
        <Space wrap size={16} align="start" style={{ paddingLeft: 24 }}>
          <Form.Item name="quietStart" label={t('care.plan.quietStart')} rules={rules}>
            <Input data-testid="care-plan-quiet-start" placeholder="21:00" style={{ width: 100 }} maxLength={5} />
          </Form.Item>
          <Form.Item
            name="quietEnd"
            className="tb-hinted-field"
            label={t('care.plan.quietEnd')}
            dependencies={['quietStart']}
            extra={t('care.plan.quietHint')}
            rules={[...rules, ({ getFieldValue }) => ({ validator: (_, value: string) => (value !== getFieldValue('quietStart') ? Promise.resolve() : Promise.reject(new Error(t('care.plan.quietSame')))) })]}
          >
            <Input data-testid="care-plan-quiet-end" placeholder="08:00" style={{ width: 100 }} maxLength={5} />
          </Form.Item>
        </Space>
      )}
    </>
  );
}
