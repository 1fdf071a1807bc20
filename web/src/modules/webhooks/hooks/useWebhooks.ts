// The workspace's webhooks and how their deliveries go; asked for only by an administrator.
import { useApiQuery } from '../../app/hooks/useApiQuery';
import type { WebhookList } from '../utils/types';

export function useWebhooks(enabled: boolean) {
  return useApiQuery<WebhookList>(enabled ? '/webhooks' : null);
}
