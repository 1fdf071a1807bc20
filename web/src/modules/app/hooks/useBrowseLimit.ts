// How far a role may page through a list of customers or of their reminders: one without the
// export permission reads the first rows only (the server refuses the rest), so the pager stops
// there and a note says why.
import { MAX_BROWSED_ROWS } from '../../../../../src/core/access';
import { usePermissions } from './usePermissions';
import { useSession } from './useSession';

export interface BrowseLimit {
  /** How many rows the role may page through; every one when undefined. */
  limit: number | undefined;
  /** What the pager counts its pages over: the whole list, or no more than the limit. */
  pagedTotal: number;
  /** Why the pager stops short, while the list is longer than the limit; nothing otherwise. */
  note: string | undefined;
}

/** The limit on a list of `total` rows, and the note (`note`, a message taking `{limit}`) that explains it. */
export function useBrowseLimit(total: number, note: 'customers.browseLimit' | 'care.reminder.browseLimit'): BrowseLimit {
  const { t } = useSession();
  const { can } = usePermissions();
  const limit = can('export') ? undefined : MAX_BROWSED_ROWS;
  return {
    limit,
    pagedTotal: limit === undefined ? total : Math.min(total, limit),
    note: limit !== undefined && total > limit ? t(note, { limit }) : undefined,
  };
}
