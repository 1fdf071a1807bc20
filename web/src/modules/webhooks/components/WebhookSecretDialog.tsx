import { Typography } from 'antd';
import { ShownOnceDialog } from '../../app/components/ShownOnceDialog';
import { useSession } from '../../app/hooks/useSession';
import type { MadeWebhook } from '../utils/types';

/** The new webhook's signing secret, the one time it can be read: the receiver needs it to check each post. */
export function WebhookSecretDialog({ made, onClose }: { made: MadeWebhook; onClose: () => void }) {
  const { t } = useSession();
  return (
    <ShownOnceDialog
      testId="webhook-secret"
      title={t('webhooks.createdTitle')}
      warning={t('webhooks.createdOnce')}
      value={made.secret}
      closeLabel={t('webhooks.createdClose')}
      onClose={onClose}
      before={
        <Typography.Text type="secondary" style={{ wordBreak: 'break-all' }}>
          {made.url}
        </Typography.Text>
      }
    />
  );
}
