import { Button, Popconfirm, type ButtonProps } from 'antd';
import { useRef, type ReactNode } from 'react';
import { useBusyAction } from '../hooks/useBusyAction';
import { useQuestion } from '../hooks/useQuestion';
import { useSession } from '../hooks/useSession';

interface Props {
  /** The button's and the confirmation's word: 吊销, 删除. */
  label: string;
  icon: ReactNode;
  ariaLabel: string;
  testId: string;
  title: string;
  description: ReactNode;
  /** Test id of the confirmation's own button. */
  okTestId: string;
  /** What confirming does; it says how it went, and a refusal is shown in the server's words. */
  run: () => Promise<void>;
}

/** A small danger link that asks before it acts, busy while acting: revoking a token, deleting a webhook. */
export function ConfirmedButton({ label, icon, ariaLabel, testId, title, description, okTestId, run }: Props) {
  const { t } = useSession();
  const { busy, act } = useBusyAction();
  const { okButtonProps, ...question } = useQuestion();
  // Confirmed from the keyboard, the focus was on the question's button as it went: back on this
  // one, it stays on the page, and a dialog the action opens (a new secret) gives it back here.
  const asker = useRef<HTMLButtonElement>(null);
  return (
    <Popconfirm
      {...question}
      title={title}
      description={description}
      okText={label}
      okButtonProps={{ ...okButtonProps, danger: true, 'data-testid': okTestId } as ButtonProps}
      cancelText={t('common.cancel')}
      onConfirm={() => {
        asker.current?.focus();
        return act(run);
      }}
    >
      <Button ref={asker} size="small" danger type="link" icon={icon} loading={busy} data-testid={testId} aria-label={ariaLabel}>
        {label}
      </Button>
    </Popconfirm>
  );
}
