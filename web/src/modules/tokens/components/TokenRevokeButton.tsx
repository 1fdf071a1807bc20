import { App, Button, Popconfirm, type ButtonProps } from 'antd';
import { StopOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { useSession } from '../../app/hooks/useSession';
import { errorText } from '../../app/utils/api';
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
  const [busy, setBusy] = useState(false);
  const confirm = async () => {
    setBusy(true);
    try {
      const outcome = await revoke(name);
      // An ended session has taken the page with it, and the sign-in screen says why.
      if (outcome === 'ended') return;
      if (outcome === 'opened') message.warning(t('tokens.reopened'));
      else message.success(t('tokens.revokedDone', { name }));
      onRevoked();
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Popconfirm
      title={t('tokens.revokeConfirm', { name })}
      description={<span data-testid="token-revoke-warning">{t(own ? 'tokens.revokeOwn' : 'tokens.revokeOther')}</span>}
      okText={t('tokens.revoke')}
      okButtonProps={{ danger: true, 'data-testid': 'token-revoke-ok' } as ButtonProps}
      cancelText={t('common.cancel')}
      onConfirm={() => confirm()}
    >
      <Button size="small" danger type="link" icon={<StopOutlined />} loading={busy} data-testid={`token-revoke-${name}`} aria-label={t('tokens.revokeName', { name })}>
        {t('tokens.revoke')}
      </Button>
    </Popconfirm>
  );
}
