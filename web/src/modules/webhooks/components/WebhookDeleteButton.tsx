import { App } from 'antd';
import { DeleteOutlined } from '@ant-design/icons';
import { ConfirmedButton } from '../../app/components/ConfirmedButton';
import { useSession } from '../../app/hooks/useSession';
import { useWebhookChanges } from '../hooks/useWebhookChanges';
import type { Webhook } from '../utils/types';

/** Stops a webhook after asking: changes not yet posted to it are not posted any more. */
export function WebhookDeleteButton({ webhook, onDeleted }: { webhook: Webhook; onDeleted: () => void }) {
  const { t } = useSession();
  const { remove } = useWebhookChanges();
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
        await remove(webhook.id);
        message.success(t('webhooks.deletedDone'));
        onDeleted();
      }}
    />
  );
}
