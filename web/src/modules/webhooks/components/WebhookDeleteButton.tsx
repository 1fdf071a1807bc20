import { App, Button, Popconfirm, type ButtonProps } from 'antd';
import { DeleteOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { useSession } from '../../app/hooks/useSession';
import { errorText } from '../../app/utils/api';
import { useWebhookChanges } from '../hooks/useWebhookChanges';
import type { Webhook } from '../utils/types';

/** Stops a webhook after asking: changes not yet posted to it are not posted any more. */
export function WebhookDeleteButton({ webhook, onDeleted }: { webhook: Webhook; onDeleted: () => void }) {
  const { t } = useSession();
  const { remove } = useWebhookChanges();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const confirm = async () => {
    setBusy(true);
    try {
      await remove(webhook.id);
      message.success(t('webhooks.deletedDone'));
      onDeleted();
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Popconfirm
      title={t('webhooks.deleteConfirm')}
      description={t('webhooks.deleteNote')}
      okText={t('webhooks.delete')}
      okButtonProps={{ danger: true, 'data-testid': 'webhook-delete-ok' } as ButtonProps}
      cancelText={t('common.cancel')}
      onConfirm={() => confirm()}
    >
      <Button size="small" danger type="link" icon={<DeleteOutlined />} loading={busy} data-testid={`webhook-delete-${webhook.id}`} aria-label={t('webhooks.deleteUrl', { url: webhook.url })}>
        {t('webhooks.delete')}
      </Button>
    </Popconfirm>
  );
}
