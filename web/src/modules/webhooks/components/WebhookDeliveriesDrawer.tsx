import { Alert, Button, Drawer, Tag, Tooltip, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useSession } from '../../app/hooks/useSession';
import { usePagerLabels } from '../../app/hooks/usePagerLabels';
import { formatTime } from '../../app/utils/format';
import { useWebhookDeliveries } from '../hooks/useWebhookDeliveries';
import { problemInWords } from '../utils/problems';
import { webhookProblemKind } from '../../../../../src/core/webhook-problems';
import type { Webhook, WebhookDelivery } from '../utils/types';
import { DrawerTable } from '../../app/components/DrawerTable';
import { useFocusReturn } from '../../app/hooks/useFocusReturn';
import { WebhookPauseButton } from './WebhookPauseButton';

/**
 * How a post that did not get through was answered: a short verdict, and, for a receiver not
 * reached or one that redirects, why in words (where to, for a redirect) wrapped beneath it, as
 * the webhook's status in the list says it, rather than one long tag or a redirect called refused.
 */
function WebhookDeliveryFailure({ delivery }: { delivery: WebhookDelivery }) {
  const { t } = useSession();
  const redirected = delivery.error !== null && webhookProblemKind(delivery.error) === 'redirect';
  const verdict = delivery.status === null ? t('webhooks.deliveryUnreached') : redirected ? t('webhooks.deliveryRedirected', { status: String(delivery.status) }) : t('webhooks.deliveryRefused', { status: String(delivery.status) });
  return (
    <>
      <Tag color="error">{verdict}</Tag>
      {(delivery.status === null || redirected) && delivery.error !== null && (
        <Typography.Text type="danger" data-testid="webhook-delivery-why" style={{ display: 'block', maxWidth: 'min(320px, 60vw)', marginTop: 4, fontSize: 12, whiteSpace: 'normal', overflowWrap: 'anywhere' }}>
          {problemInWords(t, delivery.error)}
        </Typography.Text>
      )}
    </>
  );
}

/** The webhook's last posts, newest first, and how its receiver answered each: where to look when a receiver says it got nothing. */
export function WebhookDeliveriesDrawer({ webhook, onChanged, onClose }: { webhook: Webhook; onChanged: () => void; onClose: () => void }) {
  useFocusReturn();
  const { t, lang, utcOffsetMinutes } = useSession();
  const pager = usePagerLabels();
  const deliveries = useWebhookDeliveries(webhook.id);
  return (
    <Drawer
      open
      width="min(860px, 100vw)"
      title={t('webhooks.deliveriesTitle')}
      onClose={onClose}
      data-testid="webhook-deliveries"
      extra={<Button size="small" icon={<ReloadOutlined />} aria-label={t('webhooks.reload')} data-testid="webhook-deliveries-reload" onClick={deliveries.reload} />}
    >
      <Typography.Paragraph type="secondary" style={{ wordBreak: 'break-all' }}>
        {webhook.url}
        <br />
        {t('webhooks.deliveriesAbout')}
      </Typography.Paragraph>
      {webhook.paused_at !== null && webhook.paused_reason === 'failing' && (
        <Alert
          data-testid="webhook-deliveries-auto-paused"
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          message={t('webhooks.autoPaused')}
          description={t('webhooks.autoPausedAbout', { at: formatTime(webhook.paused_at, lang, utcOffsetMinutes) })}
          action={
            <WebhookPauseButton
              webhook={webhook}
              onChanged={() => {
                onChanged();
                deliveries.reload();
              }}
            />
          }
        />
      )}
      {deliveries.error && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={t('common.error')} description={deliveries.error.message} />}
      <DrawerTable<WebhookDelivery>
        testId="webhook-deliveries-table"
        rows={deliveries.data?.items}
        loading={deliveries.loading}
        pagination={{ ...pager, pageSize: 20, showSizeChanger: false, hideOnSinglePage: true }}
        locale={{ emptyText: t('webhooks.deliveriesNone') }}
        columns={[
          { title: t('webhooks.deliveryAt'), key: 'at', render: (_, row) => formatTime(row.at, lang, utcOffsetMinutes) },
          { title: t('webhooks.topics'), key: 'topic', render: (_, row) => t(`webhooks.topic.${row.topic}`) },
          {
            title: t('webhooks.deliveryItems'),
            key: 'items',
            align: 'right',
            render: (_, row) =>
              row.first_id === null ? (
                '–'
              ) : (
                <Tooltip title={t('webhooks.deliveryIds', { first: String(row.first_id), last: String(row.last_id ?? row.first_id) })}>
                  <span>{row.items}</span>
                </Tooltip>
              ),
          },
          {
            title: t('webhooks.deliveryAnswer'),
            key: 'answer',
            render: (_, row) =>
              row.delivered ? <Tag color="success">{t('webhooks.deliveryOk', { status: String(row.status) })}</Tag> : <WebhookDeliveryFailure delivery={row} />,
          },
          { title: t('webhooks.deliveryTook'), key: 'took', align: 'right', render: (_, row) => t('webhooks.deliveryMs', { ms: row.took_ms }) },
        ]}
      />
    </Drawer>
  );
}
