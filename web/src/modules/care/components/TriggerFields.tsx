import { Form, Select, Space } from 'antd';
import { useSession } from '../../app/hooks/useSession';
import type { TagJson } from '../../app/utils/types';
import { EVENT_TYPE_PATTERN } from '../../app/utils/eventTypes';
import { useModelWords } from '../../models/hooks/useModelWords';
import type { CareTriggerKind, SeenEventTypes } from '../utils/types';
import { EventTypeInput } from './EventTypeInput';
import { PropertyInput } from './PropertyInput';
import { NumberInput } from '../../app/components/NumberInput';

interface Props {
  kind: CareTriggerKind;
  /** The library; only its shared tags can start a plan (a personal tag is one person's, not a plan's). */
  tags: TagJson[];
  /** A saved plan's trigger stays: its reminders were scheduled from it. */
  editing: boolean;
  seen: SeenEventTypes | undefined;
}

/** What the chosen kind of trigger needs: an event type, a tag and perhaps a value, or how many days before a birthday. */
export function TriggerFields({ kind, tags, editing, seen }: Props) {
  const { t } = useSession();
  const words = useModelWords();
  const eventType = Form.useWatch<string | undefined>('eventType');
  const tagKey = Form.useWatch<string | undefined>('tag');
  const shared = tags.filter((tag) => tag.scope === 'enterprise' && tag.status === 'active');
  const chosen = shared.find((tag) => tag.key === tagKey);
  const values = chosen?.values ?? [];
  switch (kind) {
    case 'event':
      return (
        <Space wrap size={16} align="start">
          <Form.Item
            name="eventType"
            label={t('care.plan.eventType')}
            rules={[
              { required: true, whitespace: true, message: t('care.plan.eventTypeRequired') },
              { pattern: EVENT_TYPE_PATTERN, message: t('care.plan.eventTypeInvalid') },
            ]}
          >
            <EventTypeInput testId="care-plan-event-type" disabled={editing} seen={seen} />
          </Form.Item>
          <Form.Item name="timeProperty" label={t('care.plan.timeProperty')} extra={t('care.plan.timePropertyHint')} style={{ maxWidth: 380 }}>
            <PropertyInput testId="care-plan-time-property" eventType={eventType} placeholder={t('care.plan.optional')} disabled={editing} seen={seen} />
          </Form.Item>
        </Space>
      );
    case 'tag_added':
    case 'tag_removed':
      return (
        <Space wrap size={16} align="start">
          <Form.Item name="tag" label={t('care.plan.tag')} rules={[{ required: true, message: t('care.plan.tagRequired') }]}>
            <Select
              data-testid="care-plan-tag"
              disabled={editing}
              showSearch
              optionFilterProp="label"
              style={{ width: 220, maxWidth: '100%' }}
              options={shared.map((tag) => ({ value: tag.key, label: words.tagName(tag) }))}
            />
          </Form.Item>
          <Form.Item name="tagValue" label={t('care.plan.tagValue')} extra={t(kind === 'tag_added' ? 'care.plan.tagValueAddedHint' : 'care.plan.tagValueRemovedHint')}>
            <Select
              data-testid="care-plan-tag-value"
              disabled={editing || tagKey === undefined}
              allowClear
              placeholder={t('care.plan.anyValue')}
              style={{ width: 200, maxWidth: '100%' }}
              options={values.map((value) => ({ value: value.key, label: chosen ? words.valueName(chosen, value) : value.name }))}
            />
          </Form.Item>
        </Space>
      );
    case 'birthday':
      return (
        <Form.Item name="daysBefore" className="tb-hinted-field" label={t('care.plan.daysBefore')} extra={t('care.plan.daysBeforeHint')} rules={[{ required: true, message: t('care.plan.daysBeforeRequired') }]}>
          <NumberInput data-testid="care-plan-days-before" disabled={editing} min={0} max={60} precision={0} addonAfter={t('care.unit.days')} style={{ width: 140 }} />
        </Form.Item>
      );
  }
}
