import { Button, Popconfirm, Tooltip, type ButtonProps } from 'antd';
import { CloseOutlined } from '@ant-design/icons';
import { useQuestion } from '../../app/hooks/useQuestion';
import { useSession } from '../../app/hooks/useSession';
import { identityNoun } from '../utils/fieldLabels';

/**
 * The control that takes one identity away from the customer shown (a changed phone number, a
 * cancelled card): a named button, reached by Tab, that asks first, naming the identity as the
 * card shows it. `value` is what the server sent, masked or whole: it names the identity either way.
 */
export function RemoveIdentity({ kind, shown, onRemove }: { kind: string; shown: string; onRemove: () => Promise<void> }) {
  const { t } = useSession();
  const words = { kind: identityNoun(t, kind), value: shown };
  // The answer is a key away once asked from the keyboard: Enter removes, Esc keeps it, the focus back on the ×.
  const { okButtonProps, ...question } = useQuestion();
  return (
    <Popconfirm
      {...question}
      title={t('portrait.removeIdentityConfirm', words)}
      description={t('portrait.removeIdentityHelp')}
      okText={t('portrait.removeOk')}
      cancelText={t('common.cancel')}
      okButtonProps={{ ...okButtonProps, danger: true, 'data-testid': 'remove-identity-confirm' } as ButtonProps}
      destroyOnHidden
      onConfirm={() => onRemove()}
    >
      <Tooltip title={t('portrait.removeIdentity', words)}>
        <Button data-testid={`remove-identity-${kind}`} type="text" size="small" aria-label={t('portrait.removeIdentity', words)} icon={<CloseOutlined />} style={{ marginLeft: 4 }} />
      </Tooltip>
    </Popconfirm>
  );
}
