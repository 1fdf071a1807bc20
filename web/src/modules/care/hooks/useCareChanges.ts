// Saving, switching and deleting plans, closing, putting off (and back) and reopening reminders and running a round now, as the session's user.
import { useCallback } from 'react';
import { useApi } from '../../app/hooks/useApi';
import type { CarePlan, CarePlanInput, CarePlanPatch, CareReminder, CareReport } from '../utils/types';

const planPath = (key: string) => `/care/plans/${encodeURIComponent(key)}`;

export function useCareChanges() {
  const api = useApi();
  const create = useCallback((input: CarePlanInput) => api.post<CarePlan>('/care/plans', input), [api]);
  const update = useCallback((key: string, patch: CarePlanPatch) => api.patch<CarePlan>(planPath(key), patch), [api]);
  const remove = useCallback((key: string) => api.del(planPath(key)), [api]);
  const resolve = useCallback((id: number, status: 'done' | 'dismissed') => api.patch<CareReminder>(`/care/reminders/${id}`, { status }), [api]);
  const snooze = useCallback((id: number, duration: string) => api.patch<CareReminder>(`/care/reminders/${id}`, { snooze: duration }), [api]);
  const unsnooze = useCallback((id: number) => api.patch<CareReminder>(`/care/reminders/${id}`, { unsnooze: true }), [api]);
  const reopen = useCallback((id: number) => api.patch<CareReminder>(`/care/reminders/${id}`, { reopen: true }), [api]);
  const run = useCallback(() => api.post<CareReport>('/care/run', {}), [api]);
  return { create, update, remove, resolve, snooze, unsnooze, reopen, run };
}
