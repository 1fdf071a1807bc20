import { Card, Table, Tag, Typography } from 'antd';
import { useSession } from '../../app/hooks/useSession';
import { TagChip } from '../../tags/components/TagChip';
import type { ValueSlot } from '../utils/valueSlots';

type Column = 'held-from' | 'held-to' | 'gained' | 'lost' | 'net';

export type ValueChange = 'gained' | 'lost';

/**
 * Per value: who held it at each end of the period, who gained and who lost it, and the
 * difference. With `onOpen` (a multi-valued tag's, whose gains and losses are flows of their
 * own) a gain or loss opens its customers.
 */
export function ValueMovementTable({ slots, onOpen }: { slots: ValueSlot[]; onOpen?: ((slot: ValueSlot, change: ValueChange) => void) | undefined }) {
  const { t, lang } = useSession();
  const rows = slots.filter((slot) => slot.movement !== undefined);
  const figure = (slot: ValueSlot, column: Column, value: number, signed = false) => {
    const text = `${signed && value > 0 ? '+' : ''}${signed && value < 0 ? '−' : ''}${Math.abs(value).toLocaleString(lang)}`;
    const type = !signed || value === 0 ? undefined : value > 0 ? 'success' : 'danger';
    if (onOpen && value !== 0 && slot.memberParam !== null && (column === 'gained' || column === 'lost')) {
      return (
        <Typography.Link onClick={() => onOpen(slot, column)} data-testid={`transitions-value-${slot.id}-${column}`} style={{ fontVariantNumeric: 'tabular-nums' }}>
          {text}
        </Typography.Link>
      );
    }
    return (
      <Typography.Text type={type} data-testid={`transitions-value-${slot.id}-${column}`} style={{ fontVariantNumeric: 'tabular-nums' }}>
        {text}
      </Typography.Text>
    );
  };
  return (
    <Card title={t('transitions.values')}>
      <Table<ValueSlot>
        data-testid="transitions-values"
        size="small"
        scroll={{ x: 'max-content' }}
        pagination={false}
        rowKey="id"
        dataSource={rows}
        columns={[
          {
            title: t('transitions.value'),
            key: 'value',
            render: (_, slot) => (
              <>
                <TagChip label={slot.name} color={slot.color} />
                {slot.memberParam === null && (
                  <Tag bordered={false} title={t('transitions.removedHint')}>
                    {t('transitions.removed')}
                  </Tag>
                )}
              </>
            ),
          },
          { title: t('transitions.heldFrom'), key: 'held-from', align: 'right', render: (_, slot) => figure(slot, 'held-from', slot.movement?.held_from ?? 0) },
          { title: t('transitions.heldTo'), key: 'held-to', align: 'right', render: (_, slot) => figure(slot, 'held-to', slot.movement?.held_to ?? 0) },
          { title: t('transitions.gained'), key: 'gained', align: 'right', render: (_, slot) => figure(slot, 'gained', slot.movement?.gained ?? 0, true) },
          { title: t('transitions.lost'), key: 'lost', align: 'right', render: (_, slot) => figure(slot, 'lost', -(slot.movement?.lost ?? 0), true) },
          { title: t('transitions.net'), key: 'net', align: 'right', render: (_, slot) => figure(slot, 'net', (slot.movement?.held_to ?? 0) - (slot.movement?.held_from ?? 0), true) },
        ]}
      />
    </Card>
  );
}
