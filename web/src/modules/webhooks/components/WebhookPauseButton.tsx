import { App, Button } from 'antd';
import { PauseCircleOutlined, PlayCircleOutlined } from '@ant-design/icons';
import { useBusyAction } from '../../app/hooks/useBusyAction';
import { useSession } from '../../app/hooks/useSession';
import { useWebhookChanges } from '../hooks/useWebhookChanges';
import type { Webhook } from '../utils/types';

/**
 * Pauses a webhook, or resumes a paused one. Nothing is lost either way (what happens while it
 * is paused is posted once it is resumed), so it is not asked about first, unlike deleting.
 */
export function WebhookPauseButton({ webhook, onChanged }: { webhook: Webhook; onChanged: () => void }) {
  const { t } = useSession();
  const { pause, resume } = useWebhookChanges();
  const { message } = App.useApp();
  const { busy, act } = useBusyAction();
  const paused = webhook.paused_at !== null;
  const toggle = () =>
    act(async () => {
      await (paused ? resume(webhook.id) : pause(webhook.id));
      message.success(t(paused ? 'webhooks.resumedDone' : 'webhooks.pausedDone'));
      onChanged();
    });
  return (
    <Button
      size="small"
      type="link"
      icon={paused ? <PlayCircleOutlined /> : <PauseCircleOutlined />}
      loading={busy}
      data-testid={`webhook-${paused ? 'resume' : 'pause'}-${webhook.id}`}
      aria-label={t(paused ? 'webhooks.resumeUrl' : 'webhooks.pauseUrl', { url: webhook.url })}
      onClick={() => void toggle()}
    >
      {t(paused ? 'webhooks.resume' : 'webhooks.pause')}
    </Button>
  );
}
