import { Space, Tag } from 'antd';
import { useSession } from '../../app/hooks/useSession';
import type { ValueSlot } from '../utils/valueSlots';

/** A value as a matrix heading: its colour, its name, and whether it has been removed from the tag since. */
export function ValueSlotName({ slot }: { slot: ValueSlot }) {
  const { t } = useSession();
  return (
    <Space size={6} style={{ whiteSpace: 'nowrap' }}>
      <span aria-hidden style={{ display: 'inline-block', width: 8, height: 8, borderRadius: 4, background: slot.color }} />
      <span>{slot.name}</span>
      {slot.memberParam === null && (
        <Tag bordered={false} title={t('transitions.removedHint')} style={{ marginInlineEnd: 0 }}>
          {t('transitions.removed')}
        </Tag>
      )}
    </Space>
  );
}
