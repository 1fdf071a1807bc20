import { useSession } from '../../app/hooks/useSession';
import { eventLabel } from '../../app/utils/eventTypes';
import { formatTime } from '../../app/utils/format';
import type { CareReminder } from '../utils/types';

/** Why a reminder was skipped: the event that cancelled it in words and in the workspace's time, where the server's text has its type and UTC. */
export function ReminderSkipReason({ reminder }: { reminder: CareReminder }) {
  const { t, lang, utcOffsetMinutes } = useSession();
  if (reminder.cancelled_by) return <>{t('care.reminder.cancelledBy', { event: eventLabel(t, reminder.cancelled_by.type), at: formatTime(reminder.cancelled_by.occurred_at, lang, utcOffsetMinutes) })}</>;
  return <>{reminder.reason_text?.[lang === 'en-US' ? 'en' : 'zh-CN'] ?? '—'}</>;
}
