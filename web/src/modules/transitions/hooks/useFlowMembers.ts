// One page of the customers of one flow, over exactly the instants the counts were taken at.
import { useApiQuery } from '../../app/hooks/useApiQuery';
import type { FlowMembersJson } from '../utils/types';

export const MEMBERS_PAGE_SIZE = 20;

export interface FlowSelection {
  tag: string;
  /** The answer's own period, so that the list matches the number clicked. */
  from: string;
  to: string;
  fromValue: string;
  toValue: string;
}

export function useFlowMembers(flow: FlowSelection | undefined, page: number) {
  const query = flow
    ? new URLSearchParams({ from: flow.from, to: flow.to, from_value: flow.fromValue, to_value: flow.toValue, limit: String(MEMBERS_PAGE_SIZE), offset: String((page - 1) * MEMBERS_PAGE_SIZE) })
    : undefined;
  return useApiQuery<FlowMembersJson>(flow && query ? `/tags/${encodeURIComponent(flow.tag)}/transitions/members?${query.toString()}` : null);
}
