import { Alert, App, Button, Card, Space, Typography } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useCallback, useRef, useState } from 'react';
import { usePermissions } from '../../app/hooks/usePermissions';
import { useSession } from '../../app/hooks/useSession';
import { useTagLibrary } from '../../tags/hooks/useTagLibrary';
import { useSegments } from '../../segments/hooks/useSegments';
import { useWebhooks } from '../hooks/useWebhooks';
import type { MadeWebhook, Webhook } from '../utils/types';
import { WebhookCreateDialog } from './WebhookCreateDialog';
import { WebhookDeliveriesDrawer } from './WebhookDeliveriesDrawer';
import { WebhookSecretDialog } from './WebhookSecretDialog';
import { WebhookTable } from './WebhookTable';

/** Where the workspace's tag changes, segment entries and exits and care reminders are posted: an administrator points them at another system here. */
export function WebhooksPage() {
  const { t } = useSession();
  const { can } = usePermissions();
  const admin = can('admin');
  const webhooks = useWebhooks(admin);
  const library = useTagLibrary();
  const saved = useSegments();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<Webhook>();
  const { message } = App.useApp();
  const [made, setMade] = useState<{ webhook: MadeWebhook; rotated: boolean }>();
  const [deliveriesOf, setDeliveriesOf] = useState<Webhook>();
  const createButton = useRef<HTMLButtonElement>(null);
  const fallbackFocus = useCallback(() => createButton.current, []);
  if (!admin) return <Alert data-testid="webhooks-admin-only" type="info" showIcon message={t('webhooks.adminOnly')} />;
  return (
    <Card
      title={t('webhooks.title')}
      extra={
        <Space wrap>
          <Button ref={createButton} type="primary" icon={<PlusOutlined />} data-testid="webhook-create" onClick={() => setCreating(true)}>
            {t('webhooks.create')}
          </Button>
          <Button icon={<ReloadOutlined />} data-testid="webhooks-reload" aria-label={t('webhooks.reload')} onClick={webhooks.reload} />
        </Space>
      }
    >
      <div data-testid="webhooks-about">
        <Typography.Paragraph type="secondary">{t('webhooks.about')}</Typography.Paragraph>
        <Typography.Paragraph type="secondary">
          {t('webhooks.verify')} <Typography.Text code>X-Tagbase-Signature: sha256=&lt;hex&gt;</Typography.Text>
        </Typography.Paragraph>
      </div>
      {webhooks.error && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={t('common.error')} description={webhooks.error.message} />}
      <WebhookTable
        webhooks={webhooks.data?.items ?? []}
        tags={library.tags}
        segments={saved.segments}
        loading={webhooks.loading}
        onChanged={webhooks.reload}
        onEdit={setEditing}
        onShowDeliveries={setDeliveriesOf}
        onRotated={(webhook) => setMade({ webhook, rotated: true })}
        fallbackFocus={fallbackFocus}
      />
      {creating && (
        <WebhookCreateDialog
          tags={library.tags}
          segments={saved.segments}
          onClose={(answer) => {
            setCreating(false);
            // A webhook just made comes with its secret, to be shown once.
            if (!answer || !('secret' in answer)) return;
            setMade({ webhook: answer, rotated: false });
            webhooks.reload();
          }}
        />
      )}
      {editing && (
        <WebhookCreateDialog
          key={editing.id}
          tags={library.tags}
          segments={saved.segments}
          editing={editing}
          onClose={(answer) => {
            setEditing(undefined);
            if (!answer) return;
            message.success(t('webhooks.savedDone'));
            webhooks.reload();
          }}
        />
      )}
      {made && <WebhookSecretDialog made={made.webhook} rotated={made.rotated} onClose={() => setMade(undefined)} />}
      {deliveriesOf && (
        // As listed now: resumed from the drawer, it says so there too.
        <WebhookDeliveriesDrawer webhook={webhooks.data?.items.find((webhook) => webhook.id === deliveriesOf.id) ?? deliveriesOf} onChanged={webhooks.reload} onClose={() => setDeliveriesOf(undefined)} />
      )}
    </Card>
  );
}
