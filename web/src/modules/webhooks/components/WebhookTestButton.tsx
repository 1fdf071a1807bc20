import { App, Button } from 'antd';
import { SendOutlined } from '@ant-design/icons';
import { useBusyAction } from '../../app/hooks/useBusyAction';
import { useSession } from '../../app/hooks/useSession';
import { useWebhookChanges } from '../hooks/useWebhookChanges';
import { problemInWords } from '../utils/problems';
import type { Webhook } from '../utils/types';

/** Posts a signed test to the webhook now and says how the receiver answered: what whoever sets a receiver up wants to see first. */
export function WebhookTestButton({ webhook }: { webhook: Webhook }) {
  const { t } = useSession();
  const { test } = useWebhookChanges();
  const { message } = App.useApp();
  const { busy, act } = useBusyAction();
  const send = () =>
    act(async () => {
      const answer = await test(webhook.id);
      if (answer.delivered) message.success(t('webhooks.testDelivered', { status: String(answer.status), ms: answer.took_ms }));
      else message.error(t('webhooks.testFailed', { error: problemInWords(t, answer.error ?? '') }));
    });
  return (
    <Button size="small" type="link" icon={<SendOutlined />} loading={busy} data-testid={`webhook-test-${webhook.id}`} aria-label={t('webhooks.testUrl', { url: webhook.url })} onClick={() => void send()}>
      {t('webhooks.test')}
    </Button>
  );
}
