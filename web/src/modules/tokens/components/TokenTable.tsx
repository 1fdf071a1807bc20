import { Table, Tag } from 'antd';
import { useSession } from '../../app/hooks/useSession';
import { formatTime } from '../../app/utils/format';
import type { AccessToken } from '../utils/types';
import { TokenRevokeButton } from './TokenRevokeButton';
import { TokenStatus } from './TokenStatus';
import { knownRows } from '../../app/utils/knownRows';

interface Props {
  tokens: AccessToken[];
  loading: boolean;
  onRevoked: () => void;
}

/** Every token this server has made, the user's own marked, and a way to revoke each live one. */
export function TokenTable({ tokens, loading, onRevoked }: Props) {
  const { t, lang, access, utcOffsetMinutes } = useSession();
  const own = (token: AccessToken) => token.revoked_at === null && access?.authenticated === true && token.name === access.name;
  return (
    <Table<AccessToken>
      data-testid="token-table"
      scroll={{ x: 'max-content' }}
      size="small"
      loading={loading}
      pagination={false}
      rowKey="id"
      dataSource={knownRows(tokens, loading)}
      locale={{ emptyText: t('tokens.none') }}
      columns={[
        {
          title: t('tokens.name'),
          dataIndex: 'name',
          render: (name: string, row) => (
            <>
              {name}
              {own(row) && (
                <Tag color="blue" bordered={false} style={{ marginLeft: 6 }}>
                  {t('tokens.yours')}
                </Tag>
              )}
            </>
          ),
        },
        { title: t('tokens.role'), dataIndex: 'role', width: 100, render: (role: AccessToken['role']) => t(`role.${role}`) },
        {
          title: t('tokens.workspaces'),
          dataIndex: 'workspaces',
          width: 160,
          render: (keys: string[] | null) => (keys === null ? t('tokens.everyWorkspace') : keys.map((key) => <Tag key={key}>{key}</Tag>)),
        },
        { title: t('tokens.created'), dataIndex: 'created_at', width: 150, render: (at: string) => formatTime(at, lang, utcOffsetMinutes) },
        { title: t('tokens.status'), key: 'status', width: 240, render: (_, row) => <TokenStatus revokedAt={row.revoked_at} expiresAt={row.expires_at} /> },
        { title: t('tokens.lastUsed'), dataIndex: 'last_used_at', width: 150, render: (at: string | null) => (at === null ? t('tokens.neverUsed') : formatTime(at, lang, utcOffsetMinutes)) },
        {
          title: t('tokens.actions'),
          key: 'actions',
          width: 100,
          // Kept in view at every width: the table scrolls sideways under it, and revoking is what the page is for.
          fixed: 'right',
          render: (_, row) => row.revoked_at === null && <TokenRevokeButton name={row.name} own={own(row)} onRevoked={onRevoked} />,
        },
      ]}
    />
  );
}
