import { AutoComplete, Space, Typography } from 'antd';
import { useSession } from '../../app/hooks/useSession';
import { BUILTIN_EVENT_TYPES, EVENT_TYPE_PATTERN, eventLabel, isBuiltinEventType } from '../../app/utils/eventTypes';
import { pluralKey } from '../../app/utils/messages';
import type { SeenEventTypes } from '../utils/types';

interface Props {
  /** Given by the form item, whose label then names the field. */
  id?: string;
  value?: string;
  onChange?: (value: string) => void;
  testId: string;
  disabled?: boolean;
  /** The types the workspace receives: its own are offered after the built-in ones, and a type typed in is checked against them. */
  seen: SeenEventTypes | undefined;
}

/**
 * An event type for a form field: a built-in one picked by its name (支付订单), a shop's own
 * that has arrived picked from the list, or one typed in — told when no recent event has it, as
 * a misspelt type makes a plan that never starts.
 */
export function EventTypeInput({ id, value, onChange, testId, disabled, seen }: Props) {
  const { t } = useSession();
  const ownTypes = (seen?.items ?? []).filter((item) => !item.builtin);
  const typed = value?.trim() ?? '';
  const unseen = seen !== undefined && seen.sampled > 0 && EVENT_TYPE_PATTERN.test(typed) && !isBuiltinEventType(typed) && !ownTypes.some((item) => item.type === typed);
  const option = (type: string, label: string, detail: string) => ({
    value: type,
    label: (
      <span data-testid={`${testId}-option-${type}`}>
        {label} <Typography.Text type="secondary">{detail}</Typography.Text>
      </span>
    ),
  });
  return (
    <Space direction="vertical" size={4} style={{ maxWidth: '100%' }}>
      <AutoComplete<string>
        id={id}
        data-testid={testId}
        value={value}
        onChange={onChange}
        disabled={disabled}
        placeholder="order_paid"
        style={{ width: 240, maxWidth: '100%' }}
        filterOption={(words, candidate) => {
          const type = String(candidate?.value ?? '');
          const wanted = words.trim().toLowerCase();
          return type.includes(wanted) || eventLabel(t, type).toLowerCase().includes(wanted);
        }}
        options={[
          ...BUILTIN_EVENT_TYPES.map((type) => option(type, eventLabel(t, type), type)),
          ...ownTypes.map((item) => option(item.type, item.type, t('care.plan.ownEventType', { count: item.events }))),
        ]}
      />
      {unseen && !disabled && (
        <Typography.Text type="warning" data-testid={`${testId}-unseen`} style={{ fontSize: 12, maxWidth: 320, display: 'inline-block' }}>
          {t(pluralKey('care.plan.eventTypeUnseen', seen.sampled), { count: seen.sampled })}
        </Typography.Text>
      )}
    </Space>
  );
}
