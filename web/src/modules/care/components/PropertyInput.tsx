import { AutoComplete } from 'antd';
import { eventProperties } from '../../app/utils/eventTypes';
import type { SeenEventTypes } from '../utils/types';

interface Props {
  /** Given by the form item, whose label then names the field. */
  id?: string;
  value?: string;
  onChange?: (value: string) => void;
  /** The event whose known properties are offered; any other name may be typed. */
  eventType: string | undefined;
  testId: string;
  placeholder: string;
  disabled?: boolean;
  /** The types the workspace receives: the properties their events carry are offered too. */
  seen: SeenEventTypes | undefined;
}

/** An event property's name for a form field, optional. */
export function PropertyInput({ id, value, onChange, eventType, testId, placeholder, disabled, seen }: Props) {
  const carried = seen?.items.find((item) => item.type === eventType)?.properties ?? [];
  const properties = [...new Set([...eventProperties(eventType), ...carried])];
  return (
    <AutoComplete<string>
      id={id}
      data-testid={testId}
      value={value}
      onChange={onChange}
      disabled={disabled}
      allowClear
      placeholder={placeholder}
      style={{ width: 200, maxWidth: '100%' }}
      options={properties.map((property) => ({ value: property, label: property }))}
    />
  );
}
