import { Grid, Table, Typography, type TablePaginationConfig } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useRef } from 'react';
import { usePermissions } from '../../app/hooks/usePermissions';
import { useSession } from '../../app/hooks/useSession';
import { actorLabel } from '../../app/utils/actorLabel';
import { eventLabel } from '../../app/utils/eventTypes';
import { formatTime } from '../../app/utils/format';
import type { CareReminder, ReminderStatus } from '../utils/types';
import { ReminderActions, type Outcome } from './ReminderActions';
import { ReminderCustomer } from './ReminderCustomer';
import { ReminderMessage } from './ReminderMessage';
import { knownRows } from '../../app/utils/knownRows';
import { focusIsLost, focusRowControl, rowIndexOf } from '../../app/utils/focus';

/** Each action's button, by what it did: the focus goes on to the same one in the next reminder. */
const ACTION_BUTTONS: Record<Outcome, string> = {
  done: '[data-testid^="care-done-"]',
  dismissed: '[data-testid^="care-dismiss-"]',
  snoozed: '[data-testid^="care-snooze-"]',
  reopened: '[data-testid^="care-reopen-"]',
};

interface Props {
  reminders: CareReminder[];
  /** The status listed, which decides the last column: what to do, why it was skipped, or who closed it. */
  status: ReminderStatus;
  loading: boolean;
  /** The reminders could not be read (the list says why): the table says so rather than that none are due. */
  failed: boolean;
  pagination: TablePaginationConfig;
  onChanged: () => void;
  /** Takes the focus once the last reminder listed has left the list under it. */
  fallbackFocus: () => HTMLElement | null;
}

/** Reminders of one status: when, who, from which plan's step, what to say, and what became of it. */
export function ReminderTable({ reminders, status, loading, failed, pagination, onChanged, fallbackFocus }: Props) {
  const { t, lang, utcOffsetMinutes } = useSession();
  const { can } = usePermissions();
  // The reminder closed, put off or opened again, and its row's place: its buttons went with the
  // row, and the focus with them to the page's top. Once the list no longer shows it, the focus goes
  // on to the same button in the reminder now in its place (or the last), another of its buttons
  // failing that, else to \`fallbackFocus\`; unless something has taken it since.
  const box = useRef<HTMLDivElement>(null);
  const leaving = useRef<{ key: string; index: number; outcome: Outcome }>(undefined);
  useEffect(() => {
    const left = leaving.current;
    if (!left || reminders.some((reminder) => String(reminder.id) === left.key)) return;
    leaving.current = undefined;
    if (focusIsLost()) focusRowControl(box.current, left.key, left.index, [ACTION_BUTTONS[left.outcome], ...Object.values(ACTION_BUTTONS)], fallbackFocus());
  }, [reminders, fallbackFocus]);
  const changed = (row: CareReminder, outcome?: Outcome) => {
    if (outcome !== undefined) leaving.current = { key: String(row.id), index: rowIndexOf(box.current, String(row.id)), outcome };
    onChanged();
  };
  const open = status === 'due' || status === 'scheduled';
  // A phone scrolls the table sideways to reach the message and the buttons: the customer comes
  // first there and stays at the left, so that each row still says whom 完成 is for.
  const phone = Grid.useBreakpoint().md === false;
  const dueAt = { title: t('care.reminder.dueAt'), dataIndex: 'due_at', width: 140, render: (at: string) => formatTime(at, lang, utcOffsetMinutes) };
  const customer = { title: t('care.reminder.customer'), key: 'customer', width: phone ? 108 : 120, ...(phone ? { fixed: 'left' as const } : {}), render: (_: unknown, row: CareReminder) => <ReminderCustomer customer={row.customer} /> };
  // The event that cancelled a reminder in words and in the workspace's time, where the server's text has its type and UTC.
  const skipReason = (row: CareReminder) =>
    row.cancelled_by
      ? t('care.reminder.cancelledBy', { event: eventLabel(t, row.cancelled_by.type), at: formatTime(row.cancelled_by.occurred_at, lang, utcOffsetMinutes) })
      : (row.reason_text?.[lang === 'en-US' ? 'en' : 'zh-CN'] ?? '—');
  const columns: ColumnsType<CareReminder> = [
    ...(phone ? [customer, dueAt] : [dueAt, customer]),
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
      ? [{ title: t('care.reminder.reason'), key: 'reason', render: (_: unknown, row: CareReminder) => skipReason(row) }]
      : [{ title: t('care.reminder.message'), key: 'message', render: (_: unknown, row: CareReminder) => <ReminderMessage reminder={row} /> }]),
    ...(status === 'done' || status === 'dismissed'
      ? [
          {
            title: t(status === 'done' ? 'care.reminder.doneBy' : 'care.reminder.dismissedBy'),
            key: 'resolved',
            width: 160,
            render: (_: unknown, row: CareReminder) => (
              <>
                {actorLabel(t, row.resolved_by)}
                <br />
                <Typography.Text type="secondary">{formatTime(row.resolved_at, lang, utcOffsetMinutes)}</Typography.Text>
              </>
            ),
          },
        ]
      : []),
    ...(status !== 'skipped' && can('write')
      ? [{ title: t('care.reminder.actions'), key: 'actions', width: open ? 260 : 120, render: (_: unknown, row: CareReminder) => <ReminderActions reminder={row} onChanged={(outcome) => changed(row, outcome)} /> }]
      : []),
  ];
  return (
    <div ref={box}>
      <Table<CareReminder>
        data-testid="care-reminders"
        // Wide enough for a message to read on a desktop; a phone scrolls it sideways.
        scroll={{ x: 880 }}
        size="small"
        rowKey="id"
        loading={loading}
        dataSource={knownRows(reminders, loading)}
        pagination={pagination}
        locale={{ emptyText: failed ? t('common.notLoaded') : t(`care.reminder.none.${status}`) }}
        columns={columns}
      />
    </div>
  );
}
