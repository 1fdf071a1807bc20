// `tagbase customer erasures ID`: whether a customer id was erased, and when, by whom and how much
// went, from the terminal, as `GET /api/v1/erasures?customer=ID` answers it.
import type { Locale } from '../core/locale.js';
import { formatUtcOffset, minuteInZone } from '../core/time.js';
import { findErasures } from '../engine/erasure.js';
import { workspaceUtcOffset } from '../engine/metrics.js';
import { terminalTable } from './commander-locale.js';
import { inCommandWorkspace } from './store-options.js';

export interface ErasuresOptions {
  workspace: string;
  database?: string | undefined;
  locale?: Locale | undefined;
  /** Print what `GET /api/v1/erasures?customer=ID` answers, rather than lines for a person. */
  json?: boolean | undefined;
}

/** The erasures recorded under a customer id, newest first: when, who, and what went. */
export function erasuresCommand(id: string, options: ErasuresOptions): Promise<string> {
  return inCommandWorkspace(options, async (context, say) => {
    const items = await findErasures(context, id);
    if (options.json) return JSON.stringify({ items }, null, 2);
    if (items.length === 0) return say('erasures.none', { id, workspace: options.workspace });
    const utcOffsetMinutes = await workspaceUtcOffset(context);
    const rows = items.map(({ at, actor, details }) => [
      minuteInZone(Date.parse(at), utcOffsetMinutes),
      actor,
      say('erasures.details', { records: details.records, identities: details.identities, events: details.events, assignments: details.assignments, history: details.history, snapshots: details.snapshot_memberships }),
    ]);
    return [say('erasures.heading', { id }), ...terminalTable(rows), say('customer.zone', { zone: formatUtcOffset(utcOffsetMinutes) })].join('\n');
  });
}
