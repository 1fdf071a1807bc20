import { Typography } from 'antd';
import { ShownOnceDialog } from '../../app/components/ShownOnceDialog';
import { useSession } from '../../app/hooks/useSession';
import { useFocusReturn } from '../../app/hooks/useFocusReturn';
import type { MadeWebhook } from '../utils/types';

/** A webhook's signing secret, new or just replaced, the one time it can be read: the receiver needs it to check each post. */
export function WebhookSecretDialog({ made, rotated = false, onClose }: { made: MadeWebhook; rotated?: boolean; onClose: () => void }) {
  useFocusReturn();
  const { t } = useSession();
  return (
    <ShownOnceDialog
      testId="webhook-secret"
      title={t(rotated ? 'webhooks.rotatedTitle' : 'webhooks.createdTitle')}
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
