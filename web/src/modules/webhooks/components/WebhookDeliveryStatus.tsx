import { App, Button, Tag, Typography } from 'antd';
import { useSession } from '../../app/hooks/useSession';
import { useBusyAction } from '../../app/hooks/useBusyAction';
import { formatTime } from '../../app/utils/format';
import { actorLabel } from '../../app/utils/actorLabel';
import { useWebhookChanges } from '../hooks/useWebhookChanges';
import { problemInWords } from '../utils/problems';
import type { Webhook } from '../utils/types';
import { pluralKey } from '../../app/utils/messages';

/** How long after asking for a retry the list is read again: the server's next round is within a second. */
const RETRY_LOOK_AGAIN_MS = 2500;

/** Getting through and when it last did; failing: how often, why, and when it tries again (or now); paused, by whom, or by itself after failing for days. */
export function WebhookDeliveryStatus({ webhook, onChanged }: { webhook: Webhook; onChanged: () => void }) {
  const { t, lang, utcOffsetMinutes } = useSession();
  const { retry } = useWebhookChanges();
  const { message } = App.useApp();
  const { busy, act } = useBusyAction();
  const retryNow = () =>
    act(async () => {
      await retry(webhook.id);
      message.info(t('webhooks.retrying'));
      onChanged();
      window.setTimeout(onChanged, RETRY_LOOK_AGAIN_MS);
    });
  // Why, in words, under the count: a tooltip alone was found by hovering only, never on a phone.
  const why = webhook.last_error !== null && webhook.failures > 0 && (
    <Typography.Paragraph type="danger" style={{ margin: '4px 0 0', fontSize: 12 }} data-testid={`webhook-error-${webhook.id}`}>
      {problemInWords(t, webhook.last_error)}
    </Typography.Paragraph>
  );
  if (webhook.paused_at !== null && webhook.paused_reason === 'failing') {
    return (
      <span data-testid={`webhook-status-${webhook.id}`}>
        <Tag color="error" style={{ whiteSpace: 'normal' }} data-testid={`webhook-auto-paused-${webhook.id}`}>
          {t('webhooks.autoPaused')}
        </Tag>
        <Typography.Text type="secondary">{t('webhooks.autoPausedAbout', { at: formatTime(webhook.paused_at, lang, utcOffsetMinutes) })}</Typography.Text>
        {why}
      </span>
    );
  }
  if (webhook.paused_at !== null) {
    return (
      <span data-testid={`webhook-status-${webhook.id}`}>
        <Tag color="default">{t('webhooks.paused')}</Tag>
        <Typography.Text type="secondary">{t('webhooks.pausedBy', { at: formatTime(webhook.paused_at, lang, utcOffsetMinutes), actor: actorLabel(t, webhook.paused_by) })}</Typography.Text>
        {why}
      </span>
    );
  }
  if (webhook.failures === 0) {
    return (
      <span data-testid={`webhook-status-${webhook.id}`}>
        <Tag color="success">{t('webhooks.ok')}</Tag>
        <Typography.Text type="secondary">{webhook.last_delivered_at ? t('webhooks.lastDelivered', { at: formatTime(webhook.last_delivered_at, lang, utcOffsetMinutes) }) : t('webhooks.notYet')}</Typography.Text>
      </span>
    );
  }
  return (
    <span data-testid={`webhook-status-${webhook.id}`}>
      <Tag color="error">{t(pluralKey('webhooks.failed', webhook.failures), { n: webhook.failures })}</Tag>
      {webhook.next_attempt_at && <Typography.Text type="warning">{t('webhooks.nextAttempt', { at: formatTime(webhook.next_attempt_at, lang, utcOffsetMinutes) })}</Typography.Text>}
      <Button size="small" type="link" loading={busy} data-testid={`webhook-retry-${webhook.id}`} aria-label={t('webhooks.retryUrl', { url: webhook.url })} onClick={() => void retryNow()}>
        {t('webhooks.retry')}
      </Button>
      {why}
    </span>
  );
}
