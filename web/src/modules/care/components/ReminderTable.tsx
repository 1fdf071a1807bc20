import { Table, Typography, type TablePaginationConfig } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { ReactNode } from 'react';
import { usePermissions } from '../../app/hooks/usePermissions';
import { useSession } from '../../app/hooks/useSession';
import { formatTime } from '../../app/utils/format';
import { useReminderFocus } from '../hooks/useReminderFocus';
import type { CareReminder, ReminderStatus } from '../utils/types';
import { ReminderActions } from './ReminderActions';
import { ReminderCustomer } from './ReminderCustomer';
import { ReminderMessage } from './ReminderMessage';
import { ReminderResolved } from './ReminderResolved';
import { ReminderSkipReason } from './ReminderSkipReason';
import { knownRows } from '../../app/utils/knownRows';

interface Props {
  reminders: CareReminder[];
  /** The status listed, which decides the last column: what to do, why it was skipped, or who closed it. */
  status: ReminderStatus;
  loading: boolean;
  /** What the table says when it lists none. */
  empty: ReactNode;
  pagination: TablePaginationConfig;
  onChanged: () => void;
  /** Takes the focus once the last reminder listed has left the list under it. */
  fallbackFocus: () => HTMLElement | null;
}

/** Reminders of one status on a wide screen: when, who, from which plan's step, what to say, and what became of it. */
export function ReminderTable({ reminders, status, loading, empty, pagination, onChanged, fallbackFocus }: Props) {
  const { t, lang, utcOffsetMinutes } = useSession();
  const { can } = usePermissions();
  const { box, leave } = useReminderFocus(reminders, fallbackFocus);
  const open = status === 'due' || status === 'scheduled';
  const columns: ColumnsType<CareReminder> = [
    { title: t('care.reminder.dueAt'), dataIndex: 'due_at', width: 140, render: (at: string) => formatTime(at, lang, utcOffsetMinutes) },
    { title: t('care.reminder.customer'), key: 'customer', width: 120, render: (_, row) => <ReminderCustomer customer={row.customer} /> },
    {
      title: t('care.reminder.plan'),
      key: 'plan',
      width: 140,
      render: (_, row) => (
        <>
          {row.plan.name}
          <br />
          <Typography.Text type="secondary">{t('care.step', { n: row.step })}</Typography.Text>
        </>
      ),
    },
    // A skipped reminder never had its message written: the reason stands in for it.
    ...(status === 'skipped'
      ? [{ title: t('care.reminder.reason'), key: 'reason', render: (_: unknown, row: CareReminder) => <ReminderSkipReason reminder={row} /> }]
      : [{ title: t('care.reminder.message'), key: 'message', render: (_: unknown, row: CareReminder) => <ReminderMessage reminder={row} /> }]),
    ...(status === 'done' || status === 'dismissed'
      ? [{ title: t(status === 'done' ? 'care.reminder.doneBy' : 'care.reminder.dismissedBy'), key: 'resolved', width: 160, render: (_: unknown, row: CareReminder) => <ReminderResolved reminder={row} /> }]
      : []),
    ...(status !== 'skipped' && can('write')
      ? [
          {
            title: t('care.reminder.actions'),
            key: 'actions',
            width: open ? 260 : 120,
            render: (_: unknown, row: CareReminder) => (
              <ReminderActions
                reminder={row}
                onChanged={(outcome) => {
                  if (outcome !== undefined) leave(row, outcome);
                  onChanged();
                }}
              />
            ),
          },
        ]
      : []),
  ];
  return (
    <div ref={box}>
      <Table<CareReminder>
        data-testid="care-reminders"
        // Wide enough for a message to read on a desktop; a phone has the reminders as cards instead.
        scroll={{ x: 880 }}
        size="small"
        rowKey="id"
        loading={loading}
        dataSource={knownRows(reminders, loading)}
        pagination={pagination}
        locale={{ emptyText: empty }}
        columns={columns}
      />
    </div>
  );
}
