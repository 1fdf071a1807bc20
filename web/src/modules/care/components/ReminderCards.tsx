import { Typography, type PaginationProps } from 'antd';
import type { ReactNode } from 'react';
import { usePermissions } from '../../app/hooks/usePermissions';
import { useSession } from '../../app/hooks/useSession';
import { formatTime } from '../../app/utils/format';
import { RowCards } from '../../app/components/RowCards';
import { useReminderFocus } from '../hooks/useReminderFocus';
import type { CareReminder, ReminderStatus } from '../utils/types';
import { ReminderActions } from './ReminderActions';
import { ReminderCustomer } from './ReminderCustomer';
import { ReminderMessage } from './ReminderMessage';
import { ReminderResolved } from './ReminderResolved';
import { ReminderSkipReason } from './ReminderSkipReason';

/** Each reminder's card, by the id it carries: where the focus goes on to once one has left. */
const CARDS = '.tb-reminder-card[data-row-key]';

interface Props {
  reminders: CareReminder[];
  status: ReminderStatus;
  loading: boolean;
  /** What the list says when it has none. */
  empty: ReactNode;
  pagination: PaginationProps;
  onChanged: () => void;
  /** Takes the focus once the last reminder listed has left the list under it. */
  fallbackFocus: () => HTMLElement | null;
}

/**
 * Reminders of one status on a phone, one card each, the screen's width: whom to get in touch with,
 * from which plan's step and when, the message in full, and the buttons under it. In a table the
 * message and the buttons lay past the screen's edge, a sideways scroll away from the customer.
 */
export function ReminderCards({ reminders, status, loading, empty, pagination, onChanged, fallbackFocus }: Props) {
  const { t, lang, utcOffsetMinutes } = useSession();
  const { can } = usePermissions();
  const { box, leave } = useReminderFocus(reminders, fallbackFocus, CARDS);
  const body = (reminder: CareReminder) => {
    // A skipped reminder never had its message written: the reason stands in for it.
    if (status === 'skipped')
      return (
        <div>
          <Typography.Text type="secondary" style={{ display: 'block' }}>
            {t('care.reminder.reason')}
          </Typography.Text>
          <ReminderSkipReason reminder={reminder} />
        </div>
      );
    return (
      <>
        <ReminderMessage reminder={reminder} />
        {(status === 'done' || status === 'dismissed') && (
          <div>
            <Typography.Text type="secondary" style={{ display: 'block' }}>
              {t(status === 'done' ? 'care.reminder.doneBy' : 'care.reminder.dismissedBy')}
            </Typography.Text>
            <ReminderResolved reminder={reminder} />
          </div>
        )}
      </>
    );
  };
  return (
    <div ref={box}>
      <RowCards<CareReminder>
        testId="care-reminders"
        rows={reminders}
        rowKey={(reminder) => String(reminder.id)}
        cardClassName="tb-reminder-card"
        cardTestId={(reminder) => `care-reminder-${reminder.id}`}
        loading={loading}
        empty={empty}
        pagination={pagination}
      >
        {(reminder) => (
          <>
            <div style={{ display: 'flex', flexWrap: 'wrap', justifyContent: 'space-between', gap: '4px 12px' }}>
              <div style={{ minWidth: 0, overflowWrap: 'anywhere' }}>
                <ReminderCustomer customer={reminder.customer} />
              </div>
              <Typography.Text type="secondary">{t('care.reminder.dueOn', { at: formatTime(reminder.due_at, lang, utcOffsetMinutes) })}</Typography.Text>
            </div>
            <Typography.Text type="secondary" style={{ overflowWrap: 'anywhere' }}>
              {reminder.plan.name} · {t('care.step', { n: reminder.step })}
            </Typography.Text>
            <div style={{ overflowWrap: 'anywhere' }}>{body(reminder)}</div>
            {status !== 'skipped' && can('write') && (
              <ReminderActions
                wide
                reminder={reminder}
                onChanged={(outcome) => {
                  if (outcome !== undefined) leave(reminder, outcome);
                  onChanged();
                }}
              />
            )}
          </>
        )}
      </RowCards>
    </div>
  );
}
