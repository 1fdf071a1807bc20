// The audit trail: who changed what, when, through which door — every change through the
// API (refusals of a signed-in user's attempt too) or the command line, and, when the server
// is told to, reads of personal data.
import { auditActionText } from '../core/audit.js';
import type { Locale } from '../core/locale.js';
import { toIso } from '../core/time.js';
import type { Kysely } from 'kysely';
import type { Store } from '../store/connect.js';
import type { Database } from '../store/schema.js';
import { appendTogether, type RowAppender } from './group-commit.js';

export type AuditSource = 'api' | 'cli';

/** Where an entry came from: a request or command, or tagbase itself (`system`: a webhook that paused itself after failing for days). */
export type AuditEntrySource = AuditSource | 'system';

export interface AuditRecord {
  /** Null for what belongs to no workspace (access tokens, a new workspace). */
  workspaceId: number | null;
  actor: string | null;
  source: AuditEntrySource;
  /** `POST /tags/:tag/values` through the API, `token create` on the command line. */
  action: string;
  /** What it was done to: the request's path (`/tags/stage/values`), or the same path for a command (`/tags/stage`). */
  target: string;
  /** The HTTP status answered; null for the command line. */
  status: number | null;
  at: number;
}

export interface AuditEntryJson {
  id: number;
  at: string;
  actor: string | null;
  source: AuditEntrySource;
  action: string;
  /** The action in words, in the request's language. */
  summary: string;
  target: string;
  status: number | null;
}

export const MAX_LISTED_AUDIT = 500;

/** Writes one entry; `db` is the store's, or the transaction of the change it records. */
export async function recordAudit(db: Kysely<Database>, record: AuditRecord): Promise<void> {
  await db.insertInto('audit_log').values(auditRow(record)).execute();
}

function auditRow(record: AuditRecord) {
  return { workspace_id: record.workspaceId, actor: record.actor, source: record.source, action: record.action, target: record.target.slice(0, 1024), status: record.status, at: record.at };
}

const AUDIT_APPENDS: RowAppender<AuditRecord, void> = {
  kind: 'audit_log',
  async insert(trx, records) {
    await trx.insertInto('audit_log').values(records.map(auditRow)).execute();
    return records.map(() => undefined);
  },
};

/**
 * Writes one entry in its own durable commit, shared with the entries of other requests that
 * arrive meanwhile: each API call that changes something waits for its entry before it is
 * answered, and a commit each would limit a client sending one customer per request.
 */
export function recordAuditTogether(store: Store, record: AuditRecord): Promise<void> {
  return appendTogether(store, AUDIT_APPENDS, record);
}

/** Whom an API call naming nobody is by, in the trail as in tag history (`actorName`). */
const UNNAMED_API_ACTOR = 'api';

export interface AuditQuery {
  workspaceId: number;
  limit: number;
  /** Only entries older than this id: the next page. */
  before?: number | undefined;
  actor?: string | undefined;
  /** Whether the entries of no workspace (tokens, new workspaces) are listed too; they are unless false. */
  serverWide?: boolean | undefined;
}

/** The workspace's entries and, unless left out, those of no workspace, newest first. */
export async function listAudit(store: Store, query: AuditQuery, locale: Locale): Promise<{ items: AuditEntryJson[]; next_before: number | null }> {
  let select = store.db
    .selectFrom('audit_log')
    .select(['id', 'at', 'actor', 'source', 'action', 'target', 'status'])
    .where((eb) => (query.serverWide === false ? eb('workspace_id', '=', query.workspaceId) : eb.or([eb('workspace_id', '=', query.workspaceId), eb('workspace_id', 'is', null)])));
  if (query.before !== undefined) select = select.where('id', '<', query.before);
  // An API call naming nobody is stored without a name (`api` in tag history): so it reads, and is found by that name.
  if (query.actor === UNNAMED_API_ACTOR) select = select.where((eb) => eb.or([eb('actor', '=', UNNAMED_API_ACTOR), eb.and([eb('actor', 'is', null), eb('source', '=', 'api')])]));
  else if (query.actor !== undefined) select = select.where('actor', '=', query.actor);
  const limit = Math.min(query.limit, MAX_LISTED_AUDIT);
  const rows = await select.orderBy('id', 'desc').limit(limit + 1).execute();
  const items = rows.slice(0, limit).map((row) => ({
    id: row.id,
    at: toIso(row.at),
    actor: row.actor ?? (row.source === 'api' ? UNNAMED_API_ACTOR : null),
    source: row.source as AuditEntrySource,
    action: row.action,
    summary: auditActionText(row.action)[locale],
    target: row.target,
    status: row.status,
  }));
  return { items, next_before: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
}

/** What an erased customer's path reads as in the trail. */
export const ERASED_CUSTOMER_PATH = '/customers/(erased)';

/**
 * Takes the erased person's ids out of the trail's paths (`/customers/C001/tags` →
 * `/customers/(erased)/tags`), in the erasure's transaction: the trail keeps that someone was
 * tagged, not whom.
 */
export async function scrubAuditTargets(db: Kysely<Database>, workspaceId: number, externalIds: Iterable<string>): Promise<void> {
  const ids = new Set(externalIds);
  if (ids.size === 0) return;
  const rows = await db.selectFrom('audit_log').select(['id', 'target']).where('workspace_id', '=', workspaceId).where('target', 'like', `${CUSTOMERS_PATH}%`).execute();
  for (const row of rows) {
    // The path as the client wrote it: the id may be percent-encoded in any case, or not at all.
    const rest = row.target.slice(CUSTOMERS_PATH.length);
    const end = rest.indexOf('/');
    if (ids.has(decodedSegment(end === -1 ? rest : rest.slice(0, end)))) {
      await db.updateTable('audit_log').set({ target: ERASED_CUSTOMER_PATH + (end === -1 ? '' : withoutIdentityValue(rest.slice(end))) }).where('id', '=', row.id).execute();
    }
  }
}

const CUSTOMERS_PATH = '/customers/';

/**
 * What follows an erased customer's id, less the value of an identity removed from them
 * (`/identities/email/9***%40qq.com` keeps `/identities/email`): masked as it was recorded, it
 * is still a piece of the erased person's address.
 */
function withoutIdentityValue(rest: string): string {
  const identity = /^\/identities\/[^/]+/.exec(rest);
  return identity ? identity[0] : rest;
}

/** A path segment as the router reads it; as written when it does not decode. */
function decodedSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
