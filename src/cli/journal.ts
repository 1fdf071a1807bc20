// `tagbase journal list`: how far applying the event batches accepted with `Prefer: respond-async`
// is behind, and the batches that failed, from the terminal, as `GET /api/v1/events/journal`
// answers it.
import type { Locale } from '../core/locale.js';
import { formatUtcOffset, minuteInZone } from '../core/time.js';
import { journalSummary } from '../engine/event-journal.js';
import { workspaceUtcOffset } from '../engine/metrics.js';
import { terminalTable } from './commander-locale.js';
import { inCommandWorkspace } from './store-options.js';

export interface JournalOptions {
  workspace: string;
  database?: string | undefined;
  locale?: Locale | undefined;
  /** Print what `GET /api/v1/events/journal` answers, rather than lines for a person. */
  json?: boolean | undefined;
}

/** The batches still pending (and their events, and when the oldest came), and the latest failed ones. */
export function journalListCommand(options: JournalOptions): Promise<string> {
  return inCommandWorkspace(options, async (context, say) => {
    const summary = await journalSummary(context);
    if (options.json) return JSON.stringify(summary, null, 2);
    const utcOffsetMinutes = await workspaceUtcOffset(context);
    const at = (iso: string) => minuteInZone(Date.parse(iso), utcOffsetMinutes);
    const lines = [
      summary.pending_batches === 0
        ? say('journal.nonePending')
        : say('journal.pending', { batches: summary.pending_batches, events: summary.pending_events, oldest: at(summary.oldest_pending_at ?? '') }),
    ];
    if (summary.failed_batches === 0) lines.push(say('journal.noneFailed'));
    else {
      lines.push(say('journal.failed', { count: summary.failed_batches }));
      lines.push(...terminalTable(summary.failed.map((batch) => [`#${batch.batch}`, at(batch.received_at), say('journal.events', { count: batch.received }), say('journal.attempts', { count: batch.attempts }), batch.error ?? ''])));
      // The API lists the latest 20 failed batches only.
      if (summary.failed.length < summary.failed_batches) lines.push(say('journal.moreFailed', { count: summary.failed_batches - summary.failed.length }));
    }
    if (summary.pending_batches > 0 || summary.failed_batches > 0) lines.push(say('customer.zone', { zone: formatUtcOffset(utcOffsetMinutes) }));
    return lines.join('\n');
  });
}
