// The workspace's care plans, with how many reminders each has in each status.
import { useApiQuery } from '../../app/hooks/useApiQuery';
import type { CarePlanList } from '../utils/types';

export function useCarePlans() {
  return useApiQuery<CarePlanList>('/care/plans');
}
