import { Tag, Tooltip, Typography } from 'antd';
import { useSession } from '../../app/hooks/useSession';
import { formatTime } from '../../app/utils/format';
import { problemInWords } from '../utils/problems';
import type { Webhook } from '../utils/types';
import { pluralKey } from '../../app/utils/messages';

/** Getting through and when it last did, or failing: how often, why, and when it tries again. */
export function WebhookDeliveryStatus({ webhook }: { webhook: Webhook }) {
  const { t, lang } = useSession();
  if (webhook.failures === 0) {
    return (
      <span data-testid={`webhook-status-${webhook.id}`}>
        <Tag color="success">{t('webhooks.ok')}</Tag>
        <Typography.Text type="secondary">{webhook.last_delivered_at ? t('webhooks.lastDelivered', { at: formatTime(webhook.last_delivered_at, lang) }) : t('webhooks.notYet')}</Typography.Text>
      </span>
    );
  }
  return (
    <span data-testid={`webhook-status-${webhook.id}`}>
      <Tooltip title={webhook.last_error === null ? undefined : problemInWords(t, webhook.last_error)}>
        <Tag color="error">{t(pluralKey('webhooks.failed', webhook.failures), { n: webhook.failures })}</Tag>
      </Tooltip>
      {webhook.next_attempt_at && <Typography.Text type="warning">{t('webhooks.nextAttempt', { at: formatTime(webhook.next_attempt_at, lang) })}</Typography.Text>}
    </span>
  );
}
