import { App, Button, Dropdown, Space, theme, type ButtonProps } from 'antd';
import { CheckOutlined, ClockCircleOutlined, CloseOutlined, RollbackOutlined, UndoOutlined } from '@ant-design/icons';
import { useState, type ReactNode } from 'react';
import { useSession } from '../../app/hooks/useSession';
import { ApiError, errorText } from '../../app/utils/api';
import { formatTime } from '../../app/utils/format';
import { useCareChanges } from '../hooks/useCareChanges';
import type { CareReminder } from '../utils/types';

export type Outcome = 'done' | 'dismissed' | 'snoozed' | 'reopened' | 'unsnoozed';

/** The name of a button's action in its test id and its labels (care.reminder.done, care.reminder.doneNamed). */
type ReminderAction = 'done' | 'dismiss' | 'snooze' | 'unsnooze' | 'reopen';

/** How long the message that reports 完成, 忽略 or 推迟 offers to undo it. */
const UNDO_SECONDS = 8;

/** How long 推迟 puts a due reminder off: the customer is busy now, or asked to be called tomorrow. */
const SNOOZES = ['1h', '3h', '1d', '3d'] as const;

/**
 * 完成 for a due reminder once acted on, 推迟 to be reminded again later, 忽略 for one not needed;
 * a scheduled one can only be dismissed, before it falls due. One closed by mistake is opened
 * again from the message that reports it (撤销), or later from the done and dismissed lists; one
 * put off by mistake is brought back from its message (撤销), or later from the scheduled list (取消推迟).
 */
interface Props {
  reminder: CareReminder;
  onChanged: (left?: Outcome) => void;
  /** As a row of buttons sharing the width (a reminder's card on a phone): a finger's target each, 完成 the main one; else links, as in a table's row. */
  wide?: boolean;
}

export function ReminderActions({ reminder, onChanged, wide = false }: Props) {
  const { t, lang, utcOffsetMinutes } = useSession();
  const { resolve, snooze, unsnooze, reopen } = useCareChanges();
  const { message } = App.useApp();
  const [busy, setBusy] = useState<Outcome>();
  const { token } = theme.useToken();
  // Named in what each change reports: the row is gone from the list by then.
  const customer = reminder.customer.name ?? reminder.customer.id;
  const reportReopened = (reopened: CareReminder) => message.success(t(reopened.status === 'due' ? 'care.reminder.reopenedDue' : 'care.reminder.reopenedScheduled'));
  const reportUnsnoozed = () => message.success(t('care.reminder.unsnoozedDone', { customer }));
  /** The message reporting a change, with 撤销 putting it right: the row is gone from the list by then. */
  const reportWithUndo = (key: string, undoTestId: string, text: string, undoChange: () => Promise<unknown>) => {
    const undo = async () => {
      message.destroy(key);
      try {
        await undoChange();
      } catch (error) {
        message.error(errorText(error));
      }
      onChanged();
    };
    message.success({
      key,
      duration: UNDO_SECONDS,
      content: (
        <span data-testid={key}>
          {text}
          <Button type="link" size="small" data-testid={undoTestId} onClick={() => void undo()}>
            {t('care.reminder.undo')}
          </Button>
        </span>
      ),
    });
  };
  const act = async (outcome: Outcome, change: () => Promise<CareReminder>) => {
    setBusy(outcome);
    try {
      const changed = await change();
      // A 完成 or 推迟 clicked on the wrong row is put right from the message that reports it.
      if (outcome === 'snoozed') {
        reportWithUndo(`care-snoozed-${reminder.id}`, `care-undo-snooze-${reminder.id}`, t('care.reminder.snoozedDone', { customer, at: formatTime(changed.due_at, lang, utcOffsetMinutes) }), async () => {
          await unsnooze(reminder.id);
          reportUnsnoozed();
        });
      } else if (outcome === 'reopened') reportReopened(changed);
      else if (outcome === 'unsnoozed') reportUnsnoozed();
      else {
        reportWithUndo(`care-closed-${reminder.id}`, `care-undo-${reminder.id}`, t(outcome === 'done' ? 'care.reminder.doneDone' : 'care.reminder.dismissedDone', { customer }), async () => reportReopened(await reopen(reminder.id)));
      }
      // The reminder leaves the list shown, with the button that had the focus.
      onChanged(outcome);
    } catch (error) {
      message.error(errorText(error));
      // Someone else closed it meanwhile: the list catches up rather than offer it again.
      if (error instanceof ApiError && (error.problem.code === 'CARE_REMINDER_CLOSED' || error.problem.code === 'CARE_REMINDER_NOT_REOPENABLE' || error.problem.code === 'CARE_REMINDER_NOT_SNOOZED')) onChanged(outcome);
    } finally {
      setBusy(undefined);
    }
  };
  /** One of the reminder's buttons: a link in a table's row, a button sharing a card's width on a phone. */
  const actionButton = (outcome: Outcome, action: ReminderAction, icon: ReactNode, props: ButtonProps = {}) => (
    <Button
      size="small"
      type={wide ? 'default' : 'link'}
      icon={icon}
      loading={busy === outcome}
      disabled={busy !== undefined && busy !== outcome}
      data-testid={`care-${action}-${reminder.id}`}
      aria-label={t(`care.reminder.${action}Named`, { customer })}
      {...props}
    >
      {t(`care.reminder.${action}`)}
    </Button>
  );
  if (reminder.status === 'done' || reminder.status === 'dismissed') return actionButton('reopened', 'reopen', <UndoOutlined />, { block: wide, onClick: () => void act('reopened', () => reopen(reminder.id)) });
  if (reminder.status !== 'due' && reminder.status !== 'scheduled') return null;
  // On a card the buttons share its width, each a third or so: no sideways scrolling to reach one.
  const shared = wide ? { flex: '1 1 0', minWidth: 0 } : undefined;
  const quiet = wide ? shared : { color: token.colorTextSecondary };
  const buttons = (
    <>
      {reminder.status === 'due' &&
        actionButton('done', 'done', <CheckOutlined />, { type: wide ? 'primary' : 'link', style: shared, onClick: () => void act('done', () => resolve(reminder.id, 'done')) })}
      {reminder.status === 'due' && (
        <Dropdown
          trigger={['click']}
          // Opened from the keyboard, the arrows pick a time and Enter puts the reminder off.
          autoFocus
          disabled={busy !== undefined}
          menu={{
            items: SNOOZES.map((duration) => ({ key: duration, label: <span data-testid={`care-snooze-${reminder.id}-${duration}`}>{t(`care.reminder.snooze.${duration}`)}</span> })),
            onClick: ({ key }) => void act('snoozed', () => snooze(reminder.id, key)),
          }}
        >
          {actionButton('snoozed', 'snooze', <ClockCircleOutlined />, { style: quiet })}
        </Dropdown>
      )}
      {reminder.status === 'scheduled' &&
        reminder.snoozed_at !== null &&
        actionButton('unsnoozed', 'unsnooze', <RollbackOutlined />, {
          style: shared,
          title: t('care.reminder.snoozedBy', { by: reminder.snoozed_by ?? '', at: formatTime(reminder.snoozed_at, lang, utcOffsetMinutes) }),
          onClick: () => void act('unsnoozed', () => unsnooze(reminder.id)),
        })}
      {/* Quieter than 完成: dismissing is the exception, not the job. */}
      {actionButton('dismissed', 'dismiss', <CloseOutlined />, { style: quiet, onClick: () => void act('dismissed', () => resolve(reminder.id, 'dismissed')) })}
    </>
  );
  if (wide) return <div style={{ display: 'flex', gap: 8 }}>{buttons}</div>;
  return (
    <Space size={0} wrap>
      {buttons}
    </Space>
  );
}
