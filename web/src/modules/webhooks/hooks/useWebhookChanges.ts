// Making, testing, re-keying, pausing, retrying and stopping webhooks as the signed-in administrator.
import { useCallback } from 'react';
import { useApi } from '../../app/hooks/useApi';
import type { MadeWebhook, Webhook, WebhookInput, WebhookPatch, WebhookTestAnswer } from '../utils/types';

export function useWebhookChanges() {
  const api = useApi();
  const create = useCallback((input: WebhookInput) => api.post<MadeWebhook>('/webhooks', input), [api]);
  const update = useCallback((id: number, patch: WebhookPatch) => api.patch<Webhook>(`/webhooks/${id}`, patch), [api]);
  const remove = useCallback((id: number) => api.del(`/webhooks/${id}`), [api]);
  const test = useCallback((id: number) => api.post<WebhookTestAnswer>(`/webhooks/${id}/test`, {}), [api]);
  const rotateSecret = useCallback((id: number) => api.post<MadeWebhook>(`/webhooks/${id}/secret`, {}), [api]);
  const pause = useCallback((id: number) => api.post<Webhook>(`/webhooks/${id}/pause`, {}), [api]);
  const resume = useCallback((id: number) => api.post<Webhook>(`/webhooks/${id}/resume`, {}), [api]);
  const retry = useCallback((id: number) => api.post<Webhook>(`/webhooks/${id}/retry`, {}), [api]);
  return { create, update, remove, test, rotateSecret, pause, resume, retry };
}
