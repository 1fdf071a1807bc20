// `tagbase segment exports`: the export log from the terminal — who took which customers out, when,
// how many, and whether the export ended — as `GET /api/v1/exports` answers it.
import type { Locale } from '../core/locale.js';
import { formatUtcOffset, minuteInZone } from '../core/time.js';
import { EVERYONE_EXPRESSION, listExports } from '../engine/export-log.js';
import { workspaceUtcOffset } from '../engine/metrics.js';
import { terminalTable } from './commander-locale.js';
import { inCommandWorkspace } from './store-options.js';

export interface ExportLogOptions {
  /** How many of the latest exports to list (the API's `limit`). */
  limit: number;
  workspace: string;
  database?: string | undefined;
  locale?: Locale | undefined;
  /** Print what `GET /api/v1/exports?limit=…` answers, rather than lines for a person. */
  json?: boolean | undefined;
}

/** The workspace's latest exports, newest first: when, who, what (its source and target), rows, format and status. */
export function exportLogCommand(options: ExportLogOptions): Promise<string> {
  return inCommandWorkspace(options, async (context, say) => {
    const items = await listExports(context, options.limit);
    if (options.json) return JSON.stringify({ items }, null, 2);
    if (items.length === 0) return say('segment.noExports', { workspace: options.workspace });
    const utcOffsetMinutes = await workspaceUtcOffset(context);
    const rows = items.map((entry) => [
      minuteInZone(Date.parse(entry.at), utcOffsetMinutes),
      entry.actor,
      say(`segment.exportStatus.${entry.status}`),
      say('segment.exportRows', { count: entry.rows }),
      entry.format,
      // Every customer (`segment export --all`, the console's unfiltered list) is said in words, as the console says it.
      ...(entry.source === 'expression' && entry.target === EVERYONE_EXPRESSION ? [say('segment.exportEveryone'), ''] : [say(`segment.exportSource.${entry.source}`), entry.target]),
    ]);
    return [
      say('segment.exportsHeading'),
      ...terminalTable(rows, (column) => column === 3),
      // The log lists no further back than a page: a full page may have older exports behind it.
      ...(items.length === options.limit ? [say('segment.moreExports')] : []),
      say('customer.zone', { zone: formatUtcOffset(utcOffsetMinutes) }),
    ].join('\n');
  });
}
