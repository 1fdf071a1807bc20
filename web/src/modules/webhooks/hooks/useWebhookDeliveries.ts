// A webhook's last posts and how its receiver answered each; read when the log is opened.
import { useApiQuery } from '../../app/hooks/useApiQuery';
import type { WebhookDeliveryList } from '../utils/types';

export function useWebhookDeliveries(id: number | undefined) {
  return useApiQuery<WebhookDeliveryList>(id === undefined ? null : `/webhooks/${id}/deliveries`);
}
