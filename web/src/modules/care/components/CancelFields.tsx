import { Checkbox, Form, Space } from 'antd';
import { useSession } from '../../app/hooks/useSession';
import { EVENT_TYPE_PATTERN } from '../../app/utils/eventTypes';
import type { CareTriggerKind, SeenEventTypes } from '../utils/types';
import { EventTypeInput } from './EventTypeInput';
import { PropertyInput } from './PropertyInput';

/** The optional rule that drops reminders not yet due: a refund of the order thanked for, the coupon used. */
export function CancelFields({ kind, seen }: { kind: CareTriggerKind; seen: SeenEventTypes | undefined }) {
  const { t } = useSession();
  const cancel = Form.useWatch<boolean | undefined>('cancel');
  const cancelEventType = Form.useWatch<string | undefined>('cancelEventType');
  return (
    <>
      <Form.Item name="cancel" valuePropName="checked" style={{ marginBottom: cancel ? 8 : undefined }}>
        <Checkbox data-testid="care-plan-cancel">{t('care.plan.cancel')}</Checkbox>
      </Form.Item>
      {cancel && (
        <Space wrap size={16} align="start" style={{ paddingLeft: 24 }}>
          <Form.Item
            name="cancelEventType"
            label={t('care.plan.cancelEventType')}
            rules={[
              { required: true, whitespace: true, message: t('care.plan.eventTypeRequired') },
              { pattern: EVENT_TYPE_PATTERN, message: t('care.plan.eventTypeInvalid') },
            ]}
          >
            <EventTypeInput testId="care-plan-cancel-event-type" seen={seen} />
          </Form.Item>
          {/* Compared with the trigger event's own property, so only an event trigger has one to compare. */}
          {kind === 'event' && (
            <Form.Item name="cancelSameProperty" label={t('care.plan.sameProperty')} extra={t('care.plan.samePropertyHint')} style={{ maxWidth: 380 }}>
              <PropertyInput testId="care-plan-same-property" eventType={cancelEventType} placeholder={t('care.plan.optional')} seen={seen} />
            </Form.Item>
          )}
        </Space>
      )}
    </>
  );
}
