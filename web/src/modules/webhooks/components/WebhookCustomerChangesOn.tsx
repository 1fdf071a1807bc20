import { App, Button, Typography } from 'antd';
import { useBusyAction } from '../../app/hooks/useBusyAction';
import { useSession } from '../../app/hooks/useSession';
import { useWebhookChanges } from '../hooks/useWebhookChanges';
import type { Webhook } from '../utils/types';

/**
 * Under what a webhook posts, when customers merged or erased are not among it (as with every
 * webhook made before they could be posted): says so, with one click to post them from now on.
 * The receiver that keeps customers' data needs them to merge or delete what it holds.
 */
export function WebhookCustomerChangesOn({ webhook, onChanged }: { webhook: Webhook; onChanged: () => void }) {
  const { t } = useSession();
  const { update } = useWebhookChanges();
  const { message } = App.useApp();
  const { busy, act } = useBusyAction();
  const turnOn = () =>
    act(async () => {
      await update(webhook.id, { topics: [...webhook.topics, 'customer_changes'] });
      message.success(t('webhooks.customerChangesOnDone'));
      onChanged();
    });
  return (
    <div data-testid={`webhook-no-customer-changes-${webhook.id}`}>
      <Typography.Text type="secondary">{t('webhooks.noCustomerChanges')}</Typography.Text>
      <Button
        size="small"
        type="link"
        loading={busy}
        data-testid={`webhook-customer-changes-on-${webhook.id}`}
        aria-label={t('webhooks.customerChangesOnUrl', { url: webhook.url })}
        onClick={() => void turnOn()}
      >
        {t('webhooks.customerChangesOn')}
      </Button>
    </div>
  );
}
