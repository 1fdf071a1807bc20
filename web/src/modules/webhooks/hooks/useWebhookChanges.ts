// Making, testing, re-keying, pausing, retrying and stopping webhooks as the signed-in administrator.
import { useCallback } from 'react';
import { useApi } from '../../app/hooks/useApi';
import type { MadeWebhook, Webhook, WebhookInput, WebhookPatch, WebhookTestAnswer } from '../utils/types';

export function useWebhookChanges() {
  const api = useApi();
  const create = useCallback((input: WebhookInput) => api.post<MadeWebhook>('/webhooks', input), [api]);
  const update = useCallback((id: number, patch: WebhookPatch) => api.patch<Webhook>(`/webhooks/${id}`, patch), [api]);
  /** A change made only if the webhook still has the ETag `ifMatch` (412 otherwise), answered with its new ETag. */
  const updateIf = useCallback((id: number, patch: WebhookPatch, ifMatch: string | undefined) => api.patchIf<Webhook>(`/webhooks/${id}`, patch, ifMatch), [api]);
  const remove = useCallback((id: number) => api.del(`/webhooks/${id}`), [api]);
  /** One webhook as it is now, with its ETag. */
  const read = useCallback((id: number) => api.read<Webhook>(`/webhooks/${id}`), [api]);
  /** A deletion made only if the webhook still has the ETag `ifMatch` (412 otherwise). */
  const removeIf = useCallback((id: number, ifMatch: string | undefined) => api.delIf(`/webhooks/${id}`, ifMatch), [api]);
  const test = useCallback((id: number) => api.post<WebhookTestAnswer>(`/webhooks/${id}/test`, {}), [api]);
  const rotateSecret = useCallback((id: number) => api.post<MadeWebhook>(`/webhooks/${id}/secret`, {}), [api]);
  const pause = useCallback((id: number) => api.post<Webhook>(`/webhooks/${id}/pause`, {}), [api]);
  const resume = useCallback((id: number) => api.post<Webhook>(`/webhooks/${id}/resume`, {}), [api]);
  const retry = useCallback((id: number) => api.post<Webhook>(`/webhooks/${id}/retry`, {}), [api]);
  return { create, update, updateIf, read, remove, removeIf, test, rotateSecret, pause, resume, retry };
}
