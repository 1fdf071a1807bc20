import { Tag, Typography } from 'antd';
import { useSession } from '../../app/hooks/useSession';
import { formatTime } from '../../app/utils/format';
import { problemInWords } from '../utils/problems';
import type { Webhook } from '../utils/types';
import { pluralKey } from '../../app/utils/messages';

/** Getting through and when it last did, or failing: how often, why, and when it tries again. */
export function WebhookDeliveryStatus({ webhook }: { webhook: Webhook }) {
  const { t, lang, utcOffsetMinutes } = useSession();
  if (webhook.failures === 0) {
    return (
      <span data-testid={`webhook-status-${webhook.id}`}>
        <Tag color="success">{t('webhooks.ok')}</Tag>
        <Typography.Text type="secondary">{webhook.last_delivered_at ? t('webhooks.lastDelivered', { at: formatTime(webhook.last_delivered_at, lang, utcOffsetMinutes) }) : t('webhooks.notYet')}</Typography.Text>
      </span>
    );
  }
  // Why, in words, under the count: a tooltip alone was found by hovering only, never on a phone.
  return (
    <span data-testid={`webhook-status-${webhook.id}`}>
      <Tag color="error">{t(pluralKey('webhooks.failed', webhook.failures), { n: webhook.failures })}</Tag>
      {webhook.next_attempt_at && <Typography.Text type="warning">{t('webhooks.nextAttempt', { at: formatTime(webhook.next_attempt_at, lang, utcOffsetMinutes) })}</Typography.Text>}
      {webhook.last_error !== null && (
        <Typography.Paragraph type="danger" style={{ margin: '4px 0 0', fontSize: 12 }} data-testid={`webhook-error-${webhook.id}`}>
          {problemInWords(t, webhook.last_error)}
        </Typography.Paragraph>
      )}
    </span>
  );
}
