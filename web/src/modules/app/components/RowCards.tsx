// A table's rows on a phone, one card each: what a row says in sight without a sideways scroll.
import { Card, List, Space, type PaginationProps } from 'antd';
import type { ReactNode } from 'react';
import { knownRows } from '../utils/knownRows';

interface Props<Row> {
  /** The list's test id; each card's is `cardTestId` of its row. */
  testId: string;
  rows: Row[] | undefined;
  /** A row's key, also the card's `data-row-key`: focus handling finds a row's card by it. */
  rowKey: (row: Row) => string;
  /** The class every card carries, with `data-row-key`, for focus handling to find the cards by. */
  cardClassName: string;
  cardTestId: (row: Row) => string;
  loading: boolean;
  /** What the list says when it has none. */
  empty: ReactNode;
  /** Without one, every row in one list, as a table without a pager shows them. */
  pagination?: PaginationProps;
  /** What stands above the cards (a box that selects the page's rows, say). */
  header?: ReactNode;
  /** A card's lines, top to bottom: whose it is first, the row's actions last. */
  children: (row: Row) => ReactNode;
}

/**
 * Rows as cards the screen's width, one under the other, paged as the table they stand in for is:
 * on a phone a table's later columns, its buttons among them, lay past the screen's edge.
 */
export function RowCards<Row>({ testId, rows, rowKey, cardClassName, cardTestId, loading, empty, pagination, header, children }: Props<Row>) {
  return (
    <List<Row>
      data-testid={testId}
      split={false}
      rowKey={rowKey}
      loading={loading}
      header={header}
      dataSource={knownRows(rows, loading)}
      // Nothing to page through: no pager, nor the room an empty one keeps under the list.
      pagination={pagination === undefined || (pagination.total === 0 && !loading) ? false : { align: 'center', ...pagination }}
      locale={{ emptyText: empty }}
      renderItem={(row) => (
        <List.Item className={cardClassName} data-row-key={rowKey(row)} data-testid={cardTestId(row)} style={{ padding: '0 0 12px' }}>
          <Card size="small" style={{ width: '100%' }}>
            <Space direction="vertical" size={8} style={{ width: '100%' }}>
              {children(row)}
            </Space>
          </Card>
        </List.Item>
      )}
    />
  );
}
