import { Space, Typography } from 'antd';
import { Link } from 'react-router';
import { usePermissions } from '../../app/hooks/usePermissions';
import { useSession } from '../../app/hooks/useSession';
import type { ReminderStatus } from '../utils/types';

interface Props {
  status: ReminderStatus;
  /** The reminders could not be read: the list says so rather than that none are due. */
  failed: boolean;
  /** The workspace has no care plan, so no reminder at all: the list says where plans are made. */
  noPlans: boolean;
}

/** What an empty to-do list says: nothing of this status, or no plan yet to bring any due and where to make one. */
export function ReminderEmpty({ status, failed, noPlans }: Props) {
  const { t } = useSession();
  const { can } = usePermissions();
  if (failed) return <>{t('common.notLoaded')}</>;
  if (!noPlans) return <span data-testid="care-reminders-none">{t(`care.reminder.none.${status}`)}</span>;
  return (
    <Space direction="vertical" size={4} data-testid="care-reminders-no-plans">
      <Typography.Text type="secondary">{t('care.reminder.noPlans')}</Typography.Text>
      {/* A role that may not make plans is told why the list is empty, and not sent where it can do nothing. */}
      {can('write') && (
        <Link to="/care?tab=plans" data-testid="care-reminders-to-plans">
          {t('care.reminder.toPlans')}
        </Link>
      )}
    </Space>
  );
}
