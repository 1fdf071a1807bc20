import { Button, Card, Table, Typography, type TableColumnsType } from 'antd';
import { useSession } from '../../app/hooks/useSession';
import type { FlowJson } from '../utils/types';
import { NONE_ID, flowCounts, flowKey, type ValueSlot } from '../utils/valueSlots';
import { ValueSlotName } from './ValueSlotName';
import { pluralKey } from '../../app/utils/messages';

const DIAGONAL = '#e6f4ff';

/**
 * Customers per pair of values: rows are what they held at the start, columns what they held at
 * the end, the diagonal those who kept their value. A number opens the customers behind it,
 * unless one end is a value removed from the tag since (the API lists customers by value key).
 */
export function FlowMatrix({ slots, flows, onOpen }: { slots: ValueSlot[]; flows: FlowJson[]; onOpen: (from: ValueSlot, to: ValueSlot) => void }) {
  const { t, lang } = useSession();
  const counts = flowCounts(flows);
  const cell = (from: ValueSlot, to: ValueSlot) => {
    // Holding none at both ends is everyone else: never counted.
    if (from.id === NONE_ID && to.id === NONE_ID) return <Typography.Text type="secondary">—</Typography.Text>;
    const customers = counts.get(flowKey(from.id, to.id)) ?? 0;
    const testId = `transitions-cell-${flowKey(from.id, to.id)}`;
    const text = customers.toLocaleString(lang);
    if (customers === 0) return <Typography.Text type="secondary" data-testid={testId}>{text}</Typography.Text>;
    if (from.memberParam === null || to.memberParam === null) return <span data-testid={testId} title={t('transitions.removedHint')}>{text}</span>;
    return (
      <Button type="link" size="small" data-testid={testId} style={{ padding: 0, height: 'auto', fontWeight: from.id === to.id ? 600 : undefined }} aria-label={t(pluralKey('transitions.flowCount', customers), { from: from.name, to: to.name, count: text })} onClick={() => onOpen(from, to)}>
        {text}
      </Button>
    );
  };
  const columns: TableColumnsType<ValueSlot> = [
    { title: t('transitions.startEnd'), key: 'from', fixed: 'left', render: (_, row) => <ValueSlotName slot={row} /> },
    ...slots.map((to) => ({
      title: <ValueSlotName slot={to} wrap />,
      key: to.id,
      align: 'right' as const,
      onCell: (row: ValueSlot) => ({ style: row.id === to.id && row.id !== NONE_ID ? { background: DIAGONAL } : {} }),
      render: (_: unknown, row: ValueSlot) => cell(row, to),
    })),
  ];
  return (
    <Card title={t('transitions.matrix')}>
      <Typography.Paragraph type="secondary">{t('transitions.matrixHint')}</Typography.Paragraph>
      {/* As wide as the card, the headings wrapping to make room; sideways scrolling only once even they cannot fit (a phone). */}
      <Table<ValueSlot> data-testid="transitions-matrix" size="small" bordered scroll={{ x: true }} tableLayout="auto" pagination={false} rowKey="id" dataSource={slots} columns={columns} />
    </Card>
  );
}
