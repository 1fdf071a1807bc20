import { Typography } from 'antd';
import { useSession } from '../../app/hooks/useSession';
import { actorLabel } from '../../app/utils/actorLabel';
import { formatTime } from '../../app/utils/format';
import type { CareReminder } from '../utils/types';

/** Who closed a reminder (完成 or 忽略), and when. */
export function ReminderResolved({ reminder }: { reminder: CareReminder }) {
  const { t, lang, utcOffsetMinutes } = useSession();
  return (
    <>
      {actorLabel(t, reminder.resolved_by)}
      <br />
      <Typography.Text type="secondary">{formatTime(reminder.resolved_at, lang, utcOffsetMinutes)}</Typography.Text>
    </>
  );
}
