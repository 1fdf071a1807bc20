import { Alert, Button, Modal, Space, Typography } from 'antd';
import { useSession } from '../../app/hooks/useSession';
import type { MadeAccessToken } from '../utils/types';

/** The new token, the one time it can be read: only its hash stays on the server. */
export function TokenCreatedDialog({ made, onClose }: { made: MadeAccessToken; onClose: () => void }) {
  const { t } = useSession();
  return (
    <Modal
      open
      title={t('tokens.createdTitle', { name: made.name })}
      closable={false}
      maskClosable={false}
      onCancel={onClose}
      footer={
        <Button type="primary" data-testid="token-created-close" onClick={onClose}>
          {t('tokens.createdClose')}
        </Button>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }} data-testid="token-created">
        <Alert type="warning" showIcon message={t('tokens.createdOnce')} />
        <Typography.Text data-testid="token-created-value" code copyable={{ text: made.token }} style={{ wordBreak: 'break-all' }}>
          {made.token}
        </Typography.Text>
        <Typography.Text type="secondary">{t('tokens.createdRole', { role: t(`role.${made.role}`) })}</Typography.Text>
      </Space>
    </Modal>
  );
}
