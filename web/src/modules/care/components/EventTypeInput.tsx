import { AutoComplete, Typography } from 'antd';
import { useSession } from '../../app/hooks/useSession';
import { BUILTIN_EVENT_TYPES, eventLabel } from '../../app/utils/eventTypes';

interface Props {
  value?: string;
  onChange?: (value: string) => void;
  testId: string;
  disabled?: boolean;
}

/** An event type for a form field: a built-in one picked by its name (支付订单), or a shop's own typed in. */
export function EventTypeInput({ value, onChange, testId, disabled }: Props) {
  const { t } = useSession();
  return (
    <AutoComplete<string>
      data-testid={testId}
      value={value}
      onChange={onChange}
      disabled={disabled}
      placeholder="order_paid"
      style={{ width: 240, maxWidth: '100%' }}
      filterOption={(typed, option) => {
        const type = String(option?.value ?? '');
        const words = typed.trim().toLowerCase();
        return type.includes(words) || eventLabel(t, type).toLowerCase().includes(words);
      }}
      options={BUILTIN_EVENT_TYPES.map((type) => ({
        value: type,
        label: (
          <span data-testid={`${testId}-option-${type}`}>
            {eventLabel(t, type)} <Typography.Text type="secondary">{type}</Typography.Text>
          </span>
        ),
      }))}
    />
  );
}
