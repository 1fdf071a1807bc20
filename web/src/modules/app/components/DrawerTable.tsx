// The list a drawer pages through (a flow's customers, a webhook's deliveries), laid out alike in each.
import { Table, type TableProps } from 'antd';
import type { Key } from 'react';
import { knownRows } from '../utils/knownRows';

type DrawerTableProps<Row> = Omit<TableProps<Row>, 'dataSource' | 'loading' | 'rowKey' | 'size' | 'scroll'> & {
  testId: string;
  /** The rows read so far; none while the first answer is on its way. */
  rows: readonly Row[] | undefined;
  loading: boolean;
};

/**
 * A drawer's rows, each by its id, in the small table a drawer has room for, scrolled sideways
 * rather than squeezed on a narrow screen, and its spinner alone while no row has come.
 */
export function DrawerTable<Row extends { id: Key }>({ testId, rows, loading, ...table }: DrawerTableProps<Row>) {
  return <Table<Row> data-testid={testId} scroll={{ x: 'max-content' }} size="small" rowKey="id" loading={loading} dataSource={knownRows(rows, loading)} {...table} />;
}
