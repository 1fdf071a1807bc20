import { App, Button, Space, theme } from 'antd';
import { CheckOutlined, CloseOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { useSession } from '../../app/hooks/useSession';
import { ApiError, errorText } from '../../app/utils/api';
import { useCareChanges } from '../hooks/useCareChanges';
import type { CareReminder } from '../utils/types';

type Outcome = 'done' | 'dismissed';

/** 完成 for a due reminder once acted on, 忽略 for one not needed; a scheduled one can only be dismissed, before it falls due. */
export function ReminderActions({ reminder, onChanged }: { reminder: CareReminder; onChanged: () => void }) {
  const { t } = useSession();
  const { resolve } = useCareChanges();
  const { message } = App.useApp();
  const [busy, setBusy] = useState<Outcome>();
  const { token } = theme.useToken();
  const close = async (outcome: Outcome) => {
    setBusy(outcome);
    try {
      await resolve(reminder.id, outcome);
      message.success(t(outcome === 'done' ? 'care.reminder.doneDone' : 'care.reminder.dismissedDone'));
      onChanged();
    } catch (error) {
      message.error(errorText(error));
      // Someone else closed it meanwhile: the list catches up rather than offer it again.
      if (error instanceof ApiError && error.problem.code === 'CARE_REMINDER_CLOSED') onChanged();
    } finally {
      setBusy(undefined);
    }
  };
  if (reminder.status !== 'due' && reminder.status !== 'scheduled') return null;
  const customer = reminder.customer.name ?? reminder.customer.id;
  return (
    <Space size={0}>
      {reminder.status === 'due' && (
        <Button
          size="small"
          type="link"
          icon={<CheckOutlined />}
          loading={busy === 'done'}
          disabled={busy !== undefined}
          data-testid={`care-done-${reminder.id}`}
          aria-label={t('care.reminder.doneNamed', { customer })}
          onClick={() => void close('done')}
        >
          {t('care.reminder.done')}
        </Button>
      )}
      <Button
        size="small"
        type="link"
        icon={<CloseOutlined />}
        loading={busy === 'dismissed'}
        disabled={busy !== undefined}
        data-testid={`care-dismiss-${reminder.id}`}
        aria-label={t('care.reminder.dismissNamed', { customer })}
        onClick={() => void close('dismissed')}
        // Quieter than 完成: dismissing is the exception, not the job.
        style={{ color: token.colorTextSecondary }}
      >
        {t('care.reminder.dismiss')}
      </Button>
    </Space>
  );
}
