import { KeyOutlined } from '@ant-design/icons';
import { ConfirmedButton } from '../../app/components/ConfirmedButton';
import { useSession } from '../../app/hooks/useSession';
import { useWebhookChanges } from '../hooks/useWebhookChanges';
import type { MadeWebhook, Webhook } from '../utils/types';

/** Gives the webhook a new signing secret after asking; the page shows it once, as when the webhook was made. */
export function WebhookRotateSecretButton({ webhook, onRotated }: { webhook: Webhook; onRotated: (made: MadeWebhook) => void }) {
  const { t } = useSession();
  const { rotateSecret } = useWebhookChanges();
  return (
    <ConfirmedButton
      label={t('webhooks.rotate')}
      icon={<KeyOutlined />}
      ariaLabel={t('webhooks.rotateUrl', { url: webhook.url })}
      testId={`webhook-rotate-${webhook.id}`}
      title={t('webhooks.rotateConfirm')}
      description={t('webhooks.rotateNote')}
      okTestId="webhook-rotate-ok"
      run={async () => onRotated(await rotateSecret(webhook.id))}
    />
  );
}
