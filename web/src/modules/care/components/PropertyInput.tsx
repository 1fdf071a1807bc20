import { AutoComplete } from 'antd';
import { eventProperties } from '../../app/utils/eventTypes';

interface Props {
  value?: string;
  onChange?: (value: string) => void;
  /** The event whose known properties are offered; any other name may be typed. */
  eventType: string | undefined;
  testId: string;
  placeholder: string;
  disabled?: boolean;
}

/** An event property's name for a form field, optional. */
export function PropertyInput({ value, onChange, eventType, testId, placeholder, disabled }: Props) {
  return (
    <AutoComplete<string>
      data-testid={testId}
      value={value}
      onChange={onChange}
      disabled={disabled}
      allowClear
      placeholder={placeholder}
      style={{ width: 200, maxWidth: '100%' }}
      options={eventProperties(eventType).map((property) => ({ value: property, label: property }))}
    />
  );
}
