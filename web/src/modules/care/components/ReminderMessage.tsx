import { Typography } from 'antd';
import { useSession } from '../../app/hooks/useSession';
import type { CareReminder } from '../utils/types';

/** The message to send, ready to copy into a chat; a reminder not yet due has none, as it is written when it falls due. */
export function ReminderMessage({ reminder }: { reminder: CareReminder }) {
  const { t } = useSession();
  if (reminder.message === null) {
    return <Typography.Text type="secondary">{reminder.status === 'scheduled' ? t('care.reminder.messageLater') : '—'}</Typography.Text>;
  }
  return (
    <Typography.Paragraph data-testid={`care-message-${reminder.id}`} copyable={{ text: reminder.message }} style={{ margin: 0, whiteSpace: 'pre-wrap' }}>
      {reminder.message}
    </Typography.Paragraph>
  );
}
