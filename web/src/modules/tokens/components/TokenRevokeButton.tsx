import { App } from 'antd';
import { StopOutlined } from '@ant-design/icons';
import { ConfirmedButton } from '../../app/components/ConfirmedButton';
import { useSession } from '../../app/hooks/useSession';
import { useAccessTokenChanges } from '../hooks/useAccessTokenChanges';

interface Props {
  name: string;
  /** The token the console is signed in with: revoking it signs the user out. */
  own: boolean;
  onRevoked: () => void;
}

/** Revokes a live token after asking, and warns first when it is the one in use. */
export function TokenRevokeButton({ name, own, onRevoked }: Props) {
  const { t } = useSession();
  const { revoke } = useAccessTokenChanges();
  const { message } = App.useApp();
  return (
    <ConfirmedButton
      label={t('tokens.revoke')}
      icon={<StopOutlined />}
      ariaLabel={t('tokens.revokeName', { name })}
      testId={`token-revoke-${name}`}
      title={t('tokens.revokeConfirm', { name })}
      description={<span data-testid="token-revoke-warning">{t(own ? 'tokens.revokeOwn' : 'tokens.revokeOther')}</span>}
      okTestId="token-revoke-ok"
      run={async () => {
        const outcome = await revoke(name);
        // An ended session has taken the page with it, and the sign-in screen says why.
        if (outcome === 'ended') return;
        if (outcome === 'opened') message.warning(t('tokens.reopened'));
        else message.success(t('tokens.revokedDone', { name }));
        onRevoked();
      }}
    />
  );
}
