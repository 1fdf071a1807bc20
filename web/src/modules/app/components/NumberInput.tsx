// antd's number field in the console's language: its up and down arrows say what they do.
import { DownOutlined, UpOutlined } from '@ant-design/icons';
import { InputNumber, type InputNumberProps } from 'antd';
import { useCallback, useLayoutEffect, useRef } from 'react';
import { useSession } from '../hooks/useSession';

/**
 * The number field every form of the console uses. antd names its arrows "Increase Value" and
 * "Decrease Value" in English whatever the language (the names are written into rc-input-number,
 * and no locale of antd carries them): the arrows' own icons rename them once drawn.
 */
export function NumberInput<T extends string | number = number>(props: InputNumberProps<T>) {
  // A field without arrows (asked for, or on a touch screen, where antd draws none) has nothing to rename.
  if (props.controls === false) return <InputNumber<T> {...props} />;
  return <InputNumber<T> {...props} controls={{ upIcon: <StepIcon direction="up" />, downIcon: <StepIcon direction="down" /> }} />;
}

/** An arrow's icon, which names the arrow around it (the element antd gives role="button"). */
function StepIcon({ direction }: { direction: 'up' | 'down' }) {
  const { t } = useSession();
  const name = t(direction === 'up' ? 'common.increase' : 'common.decrease');
  const icon = useRef<HTMLSpanElement | null>(null);
  const rename = useCallback(() => icon.current?.closest('[role="button"]')?.setAttribute('aria-label', name), [name]);
  // React writes antd's name only when it changes, which it never does: once replaced, it stays replaced.
  useLayoutEffect(rename, [rename]);
  return direction === 'up' ? <UpOutlined ref={icon} aria-hidden /> : <DownOutlined ref={icon} aria-hidden />;
}
