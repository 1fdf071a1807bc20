import { Alert, Button, Modal, Space, Typography } from 'antd';
import { useSession } from '../../app/hooks/useSession';
import type { MadeWebhook } from '../utils/types';

/** The new webhook's signing secret, the one time it can be read: the receiver needs it to check each post. */
export function WebhookSecretDialog({ made, onClose }: { made: MadeWebhook; onClose: () => void }) {
  const { t } = useSession();
  return (
    <Modal
      open
      title={t('webhooks.createdTitle')}
      closable={false}
      maskClosable={false}
      onCancel={onClose}
      footer={
        <Button type="primary" data-testid="webhook-secret-close" onClick={onClose}>
          {t('webhooks.createdClose')}
        </Button>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }} data-testid="webhook-created">
        <Alert type="warning" showIcon message={t('webhooks.createdOnce')} />
        <Typography.Text type="secondary" style={{ wordBreak: 'break-all' }}>
          {made.url}
        </Typography.Text>
        <Typography.Text data-testid="webhook-secret" code copyable={{ text: made.secret }} style={{ wordBreak: 'break-all' }}>
          {made.secret}
        </Typography.Text>
      </Space>
    </Modal>
  );
}
