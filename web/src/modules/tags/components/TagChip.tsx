import { CloseOutlined } from '@ant-design/icons';
import { Tag } from 'antd';
import type { KeyboardEvent } from 'react';
import { readableTextOn } from '../../app/utils/accessibleTheme';
import { pickTagColor } from '../utils/tagColor';

// antd's close icon is 10 px square, too small a target for a finger: padded to the chip's full
// height, with margins taking the padding back so the chip keeps its size.
const CLOSE_ICON_STYLE = { padding: 6, margin: '-6px -6px -6px -3px' };
// antd keeps a tag on one line: a long name or value then ran past its card, its × out of sight
// and the page scrolling sideways. The chip wraps within the width it is given instead.
// The icon of a clickable antd icon is left out of the tab order (tabindex -1): the × would then be
// out of reach of the keyboard. It is a stop of its own, and Enter or Space press it as a click does.
function pressOnKey(event: KeyboardEvent<HTMLElement>): void {
  if (event.key !== 'Enter' && event.key !== ' ') return;
  event.preventDefault();
  event.currentTarget.click();
}
const CHIP_STYLE = { marginBottom: 4, maxWidth: '100%', whiteSpace: 'normal', overflowWrap: 'anywhere' } as const;

/**
 * A tag shown as 「name: value」 in its colour; with `onClose`, a × named by `closeLabel` for screen readers,
 * and described by the element of id `closeDescribedBy` (a popup the × shows as it takes the focus).
 */
export function TagChip({ label, color, onClose, closeLabel, closeDescribedBy }: { label: string; color?: string | null | undefined; onClose?: () => void; closeLabel?: string; closeDescribedBy?: string }) {
  const tagName = label.split(': ')[0] ?? label;
  const background = color ?? pickTagColor(tagName);
  // A colour of the operator's own (#rrggbb) gets white text from antd whatever it is: dark text on a light one.
  const text = readableTextOn(background);
  return (
    <Tag
      color={background}
      closable={onClose === undefined ? false : closeLabel === undefined ? true : { 'aria-label': closeLabel }}
      closeIcon={onClose === undefined ? undefined : <CloseOutlined role="button" tabIndex={0} aria-describedby={closeDescribedBy} onKeyDown={pressOnKey} style={text === undefined ? CLOSE_ICON_STYLE : { ...CLOSE_ICON_STYLE, color: text }} />}
      onClose={(event) => {
        event.preventDefault();
        onClose?.();
      }}
      style={text === undefined ? CHIP_STYLE : { ...CHIP_STYLE, color: text }}
    >
      {label}
    </Tag>
  );
}
