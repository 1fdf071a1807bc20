// `tagbase journal list`: how far applying the event batches accepted with `Prefer: respond-async`
// is behind, and the batches that failed, from the terminal, as `GET /api/v1/events/journal`
// answers it; `tagbase journal retry ID` puts a failed batch back in line and applies it, as
// `POST /api/v1/events/journal/{batch}/retry` does.
import type { Locale } from '../core/locale.js';
import { formatUtcOffset, minuteInZone, systemClock } from '../core/time.js';
import { applyJournal, journalBatch, journalSummary, retryJournalBatch } from '../engine/event-journal.js';
import { workspaceUtcOffset } from '../engine/metrics.js';
import { terminalTable } from './commander-locale.js';
import { auditCli } from './audit-entry.js';
import { inCommandWorkspace, openCommandIndex } from './store-options.js';

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
      lines.push(say('journal.retryHint'));
    }
    if (summary.pending_batches > 0 || summary.failed_batches > 0) lines.push(say('customer.zone', { zone: formatUtcOffset(utcOffsetMinutes) }));
    return lines.join('\n');
  });
}

export interface JournalRetryOptions extends JournalOptions {
  /** Who retries, as the audit trail names them. */
  actor: string;
}

/**
 * A failed batch back in line and applied, as the API's retry does, then the batch as it stands;
 * a batch in any other state is left as it is. Applying tells the index what changed as `tagbase
 * tick` does: the server's snapshot when there is a usable one, otherwise an index built here.
 */
export function journalRetryCommand(batch: number, options: JournalRetryOptions): Promise<string> {
  return inCommandWorkspace(options, async (context, say) => {
    const before = await retryJournalBatch(context, batch);
    let after = before;
    if (before.status === 'pending') {
      await applyJournal({ store: context.store, now: systemClock, ...(await openCommandIndex(context.store)) });
      after = await journalBatch(context, batch);
    }
    // As the API's retry is recorded, whatever the batch's state.
    await auditCli(context, 'journal retry', `#${batch}`);
    if (options.json) return JSON.stringify(after, null, 2);
    const id = String(batch);
    if (before.status !== 'pending') return say(before.status === 'applied' ? 'journal.retryApplied' : 'journal.retryPending', { batch: id });
    if (after.status === 'applied' && after.result) {
      return say('journal.retried', { batch: id, stored: after.result.stored, duplicates: after.result.duplicates, created: after.result.customers_created, changed: after.result.tags_changed });
    }
    return say(after.status === 'failed' ? 'journal.retryFailed' : 'journal.retryWaiting', { batch: id, error: after.error ?? '' });
  });
}
