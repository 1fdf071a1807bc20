// `tagbase audit`: the audit trail from the terminal, newest first, as `GET /api/v1/audit` reads
// it (the same filters: whose doings, and the page before an entry), its times to the minute in
// the workspace's zone, as the other lists write them.
import { readableAuditTarget } from '../core/audit-target.js';
import { formatUtcOffset, minuteInZone } from '../core/time.js';
import type { Locale } from '../core/locale.js';
import { listAudit, MAX_LISTED_AUDIT, type AuditEntryJson } from '../engine/audit.js';
import { workspaceUtcOffset } from '../engine/metrics.js';
import { terminalTable } from './commander-locale.js';
import type { Say } from './messages.js';
import { inCommandWorkspace } from './store-options.js';

export interface AuditCommandOptions {
  workspace: string;
  database?: string | undefined;
  limit: number;
  /** Only what this actor did, named as the trail names them. */
  actor?: string | undefined;
  /** Only entries older than this one: the next page. */
  before?: number | undefined;
  locale: Locale;
  /** Print the page as `GET /api/v1/audit` answers it (`{ items, next_before }`), summaries in `locale`, as JSON. */
  json?: boolean | undefined;
}

export function auditCommand(options: AuditCommandOptions): Promise<string> {
  return inCommandWorkspace({ workspace: options.workspace, database: options.database, locale: options.locale }, async (context, say) => {
    const page = await listAudit(context.store, { workspaceId: context.workspaceId, limit: Math.min(options.limit, MAX_LISTED_AUDIT), actor: options.actor, before: options.before }, options.locale);
    if (options.json) return JSON.stringify(page, null, 2);
    return formatAudit(page, say, await workspaceUtcOffset(context), options.actor !== undefined || options.before !== undefined);
  });
}

/**
 * In columns as a terminal shows them (an actor or a summary in Chinese takes two a character),
 * each time in the workspace's zone, named once at the end; then, when older entries follow, the
 * option that shows them.
 */
export function formatAudit(page: { items: readonly AuditEntryJson[]; next_before: number | null }, say: Say, utcOffsetMinutes: number, filtered = false): string {
  if (page.items.length === 0) return say(filtered ? 'audit.noneFound' : 'audit.none');
  // A deleted tag's definition (`/tags/trial?definition={…}`) goes on a line of its own under its
  // row: in the table, its length would push every other row's status as far right.
  const parts = page.items.map((item) => splitDefinition(item.target));
  // A path as its caller meant it (/segments/重要客户/export), as the console shows it too; --json keeps it as stored.
  const table = terminalTable(page.items.map((item, i) => [minuteInZone(Date.parse(item.at), utcOffsetMinutes), item.actor ?? '-', item.source, item.summary, readableAuditTarget(parts[i]?.path ?? item.target), item.status === null ? '' : String(item.status)]));
  const lines = table.flatMap((line, i) => {
    const definition = parts[i]?.definition;
    return definition === undefined ? [line] : [line, `  ${say('audit.definition', { definition })}`];
  });
  if (page.next_before !== null) lines.push(say('audit.more', { before: String(page.next_before) }));
  lines.push(say('customer.zone', { zone: formatUtcOffset(utcOffsetMinutes) }));
  return lines.join('\n');
}

const DEFINITION_MARK = '?definition=';

/** A target's path and the definition it carries (a deleted tag's), when it carries one. */
function splitDefinition(target: string): { path: string; definition?: string } {
  const at = target.indexOf(DEFINITION_MARK);
  return at === -1 ? { path: target } : { path: target.slice(0, at), definition: target.slice(at + DEFINITION_MARK.length) };
}
