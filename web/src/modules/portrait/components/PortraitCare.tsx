import { Card, Grid, List, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { usePermissions } from '../../app/hooks/usePermissions';
import { useSession } from '../../app/hooks/useSession';
import { formatTime } from '../../app/utils/format';
import { pluralKey } from '../../app/utils/messages';
import { ReminderActions } from '../../care/components/ReminderActions';
import { ReminderMessage } from '../../care/components/ReminderMessage';
import { useReminders } from '../../care/hooks/useReminders';

/** The customer's reminders not yet closed, due first, so whoever opens the portrait sees what is owed to them; none, no card. */
export function PortraitCare({ customerId }: { customerId: string }) {
  const { t, lang, utcOffsetMinutes } = useSession();
  const { can } = usePermissions();
  // On a phone the buttons beside a reminder squeezed its message into a third of the card: they go under it.
  const phone = Grid.useBreakpoint().md === false;
  const due = useReminders({ status: 'due', customer: customerId, limit: 20 });
  const scheduled = useReminders({ status: 'scheduled', customer: customerId, limit: 20 });
  const reminders = [...(due.data?.items ?? []), ...(scheduled.data?.items ?? [])];
  if (reminders.length === 0) return null;
  const total = (due.data?.total ?? 0) + (scheduled.data?.total ?? 0);
  // The list opens on one status: the due ones, first on the card, else the scheduled ones rather
  // than an empty list of due ones under a link that counted some.
  const listed = new URLSearchParams({ customer: customerId, ...((due.data?.total ?? 0) === 0 ? { status: 'scheduled' } : {}) });
  const reload = () => {
    due.reload();
    scheduled.reload();
  };
  return (
    // The card shows the first 20 of each status; the link leads to every one of this customer's, not everyone's.
    <Card
      title={t('care.portrait.title')}
      data-testid="portrait-care"
      extra={
        <Link to={`/care?${listed.toString()}`} data-testid="portrait-care-all">
          {t(pluralKey('care.portrait.allOf', total), { n: total })}
        </Link>
      }
    >
      <List
        size="small"
        itemLayout={phone ? 'vertical' : 'horizontal'}
        dataSource={reminders}
        rowKey="id"
        renderItem={(reminder) => (
          <List.Item data-testid={`portrait-care-${reminder.id}`} actions={can('write') ? [<ReminderActions key="close" reminder={reminder} onChanged={reload} />] : []}>
            <List.Item.Meta
              title={
                <>
                  <Tag color={reminder.status === 'due' ? 'orange' : 'blue'}>{t(`care.status.${reminder.status}`)}</Tag>
                  {reminder.plan.name} · {t('care.step', { n: reminder.step })}
                </>
              }
              description={
                <>
                  <Typography.Text type="secondary" style={{ display: 'block' }}>
                    {t('care.portrait.dueAt', { at: formatTime(reminder.due_at, lang, utcOffsetMinutes) })}
                  </Typography.Text>
                  {/* A scheduled reminder's message is written when it falls due. */}
                  {reminder.status === 'due' && <ReminderMessage reminder={reminder} />}
                </>
              }
            />
          </List.Item>
        )}
      />
    </Card>
  );
}
