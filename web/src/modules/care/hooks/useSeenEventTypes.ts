// The event types the workspace receives, with their properties: offered in the plan form, and
// what a shop's own type typed there is checked against.
import { useApiQuery } from '../../app/hooks/useApiQuery';
import type { SeenEventTypes } from '../utils/types';

export function useSeenEventTypes(): SeenEventTypes | undefined {
  return useApiQuery<SeenEventTypes>('/events/types').data;
}
