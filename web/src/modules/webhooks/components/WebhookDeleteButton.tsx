import { App } from 'antd';
import { DeleteOutlined } from '@ant-design/icons';
import { ConfirmedButton } from '../../app/components/ConfirmedButton';
import { useSession } from '../../app/hooks/useSession';
import { changedSince } from '../../app/utils/api';
import { useWebhookChanges } from '../hooks/useWebhookChanges';
import { webhookDefinition, type Webhook } from '../utils/types';

/**
 * Stops a webhook after asking: changes not yet posted to it are not posted any more. Only the
 * webhook as listed is deleted: one whose address or topics someone else changed since is not.
 */
export function WebhookDeleteButton({ webhook, onDeleted }: { webhook: Webhook; onDeleted: () => void }) {
  const { t } = useSession();
  const { read, removeIf } = useWebhookChanges();
  const { message } = App.useApp();
  return (
    <ConfirmedButton
      label={t('webhooks.delete')}
      icon={<DeleteOutlined />}
      ariaLabel={t('webhooks.deleteUrl', { url: webhook.url })}
      testId={`webhook-delete-${webhook.id}`}
      title={t('webhooks.deleteConfirm')}
      description={t('webhooks.deleteNote')}
      okTestId="webhook-delete-ok"
      run={async () => {
        // The list carries no ETag: the webhook is read now, and deleted only as it was listed and as read (If-Match).
        const now = await read(webhook.id);
        if (webhookDefinition(now.body) !== webhookDefinition(webhook)) throw new Error(t('webhooks.changedSinceDelete'));
        await removeIf(webhook.id, now.etag).catch((error: unknown) => {
          throw changedSince(error) ? new Error(t('webhooks.changedSinceDelete')) : error;
        });
        message.success(t('webhooks.deletedDone'));
        onDeleted();
      }}
    />
  );
}
