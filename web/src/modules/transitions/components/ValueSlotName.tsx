import { Space, Tag } from 'antd';
import { useSession } from '../../app/hooks/useSession';
import type { ValueSlot } from '../utils/valueSlots';

/**
 * A value as a matrix heading: its colour, its name, and whether it has been removed from the tag
 * since. On one line, unless `wrap`: a column heading breaks its name over balanced lines (一般挽留 /
 * 客户, not 一般挽留客 / 户) so that all the columns fit beside each other.
 */
export function ValueSlotName({ slot, wrap = false }: { slot: ValueSlot; wrap?: boolean }) {
  const { t } = useSession();
  return (
    <Space size={6} align={wrap ? 'start' : undefined} style={wrap ? { textAlign: 'start' } : { whiteSpace: 'nowrap' }}>
      <span aria-hidden style={{ display: 'inline-block', width: 8, height: 8, borderRadius: 4, background: slot.color, marginTop: wrap ? '0.5em' : undefined }} />
      {/* Never narrower than four characters: on a phone the table scrolls sideways rather than stand names one character a line. */}
      <span style={wrap ? { textWrap: 'balance', display: 'inline-block', minWidth: '4em' } : undefined}>
        {slot.name}
        {slot.memberParam === null && (
          <Tag bordered={false} title={t('transitions.removedHint')} style={{ marginInlineStart: 6, marginInlineEnd: 0 }}>
            {t('transitions.removed')}
          </Tag>
        )}
      </span>
    </Space>
  );
}
