// antd's segmented control as one stop of the tab order, chosen from the keyboard.
import { Segmented, type SegmentedProps } from 'antd';
import { useLayoutEffect, useRef, type KeyboardEvent } from 'react';

type Props<T> = Omit<SegmentedProps<T>, 'value' | 'onChange' | 'aria-label'> & {
  value: T;
  onChange: (value: T) => void;
  /** What is chosen, for a screen reader (antd's own name is "segmented control" in every language). */
  'aria-label': string;
};

/**
 * A segmented control (the language switch, a list's status, a chart's range) reached by one Tab:
 * antd makes its frame a stop of the tab order that no key acts on, before the option's own radio
 * button. Here the chosen option is the stop; the arrows move to the next one, as antd has them,
 * and of two options (a switch) Space and Enter choose the other.
 */
export function SegmentedChoice<T extends string | number>({ value, onChange, options, ...props }: Props<T>) {
  const frame = useRef<HTMLDivElement>(null);
  const values = options.flatMap((option) => (typeof option === 'object' ? (option.disabled ? [] : [option.value]) : [option]));
  const toggle = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== ' ' && event.key !== 'Enter') return;
    // A radio button takes Space on its release too: the choice is made here, once.
    event.preventDefault();
    if (event.type !== 'keydown' || event.repeat || values.length !== 2) return;
    const other = values.find((candidate) => candidate !== value);
    if (other !== undefined) onChange(other);
  };
  // An option chosen from the keyboard holds the focus, so that the next Tab leaves the control
  // rather than stopping at it (the focus stayed on the option left, and the chosen one came next).
  useLayoutEffect(() => {
    const within = frame.current;
    if (!within?.contains(document.activeElement) || document.activeElement === within) return;
    within.querySelector<HTMLInputElement>('input:checked')?.focus();
  }, [value]);
  return <Segmented<T> {...props} ref={frame} tabIndex={-1} value={value} onChange={onChange} options={options} onKeyDown={toggle} onKeyUp={toggle} />;
}
