import { Alert, Button, Card, Space, Typography } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { usePermissions } from '../../app/hooks/usePermissions';
import { useSession } from '../../app/hooks/useSession';
import { useAccessTokens } from '../hooks/useAccessTokens';
import type { MadeAccessToken } from '../utils/types';
import { TokenCreateDialog } from './TokenCreateDialog';
import { TokenCreatedDialog } from './TokenCreatedDialog';
import { TokenTable } from './TokenTable';

/** Who may reach the API and as what: an administrator hands out tokens here and takes them back. */
export function TokensPage() {
  const { t, access } = useSession();
  const { can, serverWide } = usePermissions();
  const tokens = useAccessTokens(serverWide);
  const [creating, setCreating] = useState(false);
  const [made, setMade] = useState<MadeAccessToken>();
  if (!can('admin')) return <Alert data-testid="tokens-admin-only" type="info" showIcon message={t('tokens.adminOnly')} />;
  // An administrator in some workspaces only: the server answers the token list to none of them.
  if (!serverWide) return <Alert data-testid="tokens-admin-only" type="info" showIcon message={t('tokens.everyWorkspaceOnly')} />;
  return (
    <Card
      title={t('tokens.title')}
      extra={
        <Space wrap>
          <Button type="primary" icon={<PlusOutlined />} data-testid="token-create" onClick={() => setCreating(true)}>
            {t('tokens.create')}
          </Button>
          <Button icon={<ReloadOutlined />} data-testid="tokens-reload" aria-label={t('tokens.reload')} onClick={tokens.reload} />
        </Space>
      }
    >
      <Typography.Paragraph type="secondary" data-testid="token-roles">
        {t('tokens.roles')}
      </Typography.Paragraph>
      {tokens.error && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={t('common.error')} description={tokens.error.message} />}
      <TokenTable tokens={tokens.data?.items ?? []} loading={tokens.loading} onRevoked={tokens.reload} />
      {creating && (
        <TokenCreateDialog
          firstToken={access?.auth_required === false}
          onClose={(answer) => {
            setCreating(false);
            if (!answer) return;
            setMade(answer);
            tokens.reload();
          }}
        />
      )}
      {made && <TokenCreatedDialog made={made} onClose={() => setMade(undefined)} />}
    </Card>
  );
}
