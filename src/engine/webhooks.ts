// Webhooks: tag changes, customers entering and leaving saved segments, care reminders as they
// fall due, and customers merged away or erased, posted to an integrator's URL.
// The tag history is the outbox of changes — every change is written there in the transaction
// that makes it, under the workspace's write lock, so its ids grow in commit order — and the
// log of reminders brought due (`care_due_log`, written the same way) that of reminders, and the
// segment changes log (src/engine/segment-watch.ts) that of segments, and the customer changes
// log (src/engine/customer-changes.ts) that of merges and erasures; each
// webhook keeps a cursor into each. A delivery posts what lies after a cursor, signed with the
// webhook's secret, and moves the cursor only once the receiver answered 2xx: at least once,
// in order, nothing lost when the receiver or tagbase is down; a failing receiver is retried
// with growing pauses, and one that has failed without a break for days is paused until its
// owner resumes it.
import { createHmac, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { TagbaseError, fieldError } from '../core/errors.js';
import { findByKeyOrName } from '../core/names.js';
import { localized } from '../core/locale.js';
import { toIso, toIsoOrNull } from '../core/time.js';
import { parseInput } from '../core/validation.js';
import { assertSomethingToChange } from '../core/patch.js';
import type { Transaction } from 'kysely';
import type { Store } from '../store/connect.js';
import type { Database } from '../store/schema.js';
import { actorName, type WorkspaceContext } from './context.js';
import { loadTags } from './library.js';
import { tagsNotFound } from './tag-loading.js';
import { historyEntry, tagLookup, type HistoryEntryJson } from './portrait.js';
import { reminderJson, remindersWithNames } from './care.js';
import { segmentRow, segmentsNotFound, type Audience } from './segments.js';
import { watchAllSegments, watchSegments } from './segment-watch.js';
import { purgeDeliveredCustomerChanges } from './customer-changes.js';
import { holderGone, holderToken } from './pass-holders.js';
import { recordAudit } from './audit.js';

export const WEBHOOK_TOPICS = ['tag_changes', 'segment_changes', 'care_reminders', 'customer_changes'] as const;
export type WebhookTopic = (typeof WEBHOOK_TOPICS)[number];

export const webhookInputSchema = z.strictObject({
  url: z.string().url().max(2000),
  /** Tags to deliver, by key or name (kept as keys); every shared tag when absent or empty. */
  tags: z.array(z.string().min(1).max(200)).max(200).optional(),
  /** Saved segments (by key or name) whose changes to deliver; every one when absent or empty. */
  segments: z.array(z.string().min(1).max(200)).max(200).optional(),
  // Spaces at either end are where a paste goes wrong, and the receiver would sign without them.
  secret: z
    .string()
    .min(16)
    .max(200)
    .refine((secret) => secret.trim() === secret && !/^\s*$/.test(secret), 'a secret may not start or end with spaces')
    .optional(),
  /** What to post: tag changes (the default), segment changes, care reminders as they fall due, customers merged away or erased. */
  topics: z.array(z.enum(WEBHOOK_TOPICS)).min(1).max(WEBHOOK_TOPICS.length).optional(),
});

export type WebhookInput = z.infer<typeof webhookInputSchema>;

export interface WebhookJson {
  id: number;
  url: string;
  tags: string[];
  /** Keys of the saved segments delivered; empty for every one. */
  segments: string[];
  topics: WebhookTopic[];
  /** Failed attempts in a row; 0 when the last one was delivered. */
  failures: number;
  last_error: string | null;
  last_delivered_at: string | null;
  /** When the failing webhook tries again; null when it is not failing, or is paused. */
  next_attempt_at: string | null;
  /** When it was paused and by whom; null while it posts. */
  paused_at: string | null;
  paused_by: string | null;
  /** Why it is paused: `manual` (by hand) or `failing` (by itself, after failing for `WEBHOOK_AUTO_PAUSE_MS`); null while it posts. */
  paused_reason: WebhookPauseReason | null;
  /** When its failures in a row began; null when the last post got through. */
  failing_since: string | null;
  actor: string;
  created_at: string;
}

export type WebhookPauseReason = 'manual' | 'failing';

/** The change a webhook posts, one per tag history row: the portrait's history entry, with its id and customer. */
export interface TagChangeJson extends HistoryEntryJson {
  /** The tag history id: increasing, so a receiver can drop what it has seen. */
  id: number;
  customer_id: string;
  /** Of a merge's `remove` of the merged record's value (source `merge`): the id of the customer it was merged into; null otherwise. */
  merged_into: string | null;
}

/** A customer merged into another, or erased on request, one per customer changes log row. */
export interface CustomerChangeJson {
  /** The log id: increasing, so a receiver can drop what it has seen. */
  id: number;
  change: 'merged' | 'erased';
  /** The id of the record merged away, or of the record erased. */
  customer_id: string;
  /** Of `merged`: the id of the customer it went into; null of `erased`. */
  into: string | null;
  at: string;
}

/** A customer entering or leaving a saved segment, one per segment changes log row. */
export interface SegmentChangeJson {
  /** The log id: increasing, so a receiver can drop what it has seen. */
  id: number;
  segment: string;
  customer_id: string;
  change: 'entered' | 'left';
  at: string;
}

/** Changes per post. */
export const WEBHOOK_BATCH = 500;
const TIMEOUT_MS = 10_000;
/** Pauses after a failure double from 5 s up to an hour. */
const FIRST_RETRY_MS = 5_000;
const MAX_RETRY_MS = 3_600_000;

/**
 * How long a webhook may fail without a post getting through before it pauses itself: three
 * days from its first failure in a row (some seventy hourly tries by then). A receiver gone
 * for good is otherwise tried every hour for ever, and nobody hears of it; paused, it says so
 * where its owner looks, and keeps what it has not delivered for when it is resumed.
 */
export const WEBHOOK_AUTO_PAUSE_MS = 72 * 3_600_000;

/** Who pauses a failing webhook, in `paused_by` and the audit trail. */
export const WEBHOOK_SYSTEM_ACTOR = 'system';

const LISTED_PASSWORD = '***';

/** The URL as listed: a password in it (basic auth for the receiver) is not shown again. */
function listedUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password === '') return url;
  parsed.password = LISTED_PASSWORD;
  return parsed.toString();
}

/**
 * A URL sent back as it was listed, its password as `***`, keeps the password it had (the same
 * user's): `***` would otherwise become the password the receiver is sent.
 */
function withKeptPassword(url: string, stored: string): string {
  const parsed = new URL(url);
  const before = new URL(stored);
  if (parsed.password !== LISTED_PASSWORD) return url;
  if (before.password === '' || parsed.username !== before.username) throw hiddenPasswordNotKept();
  parsed.password = before.password;
  return parsed.toString();
}

/**
 * `***` where there is no password to keep (a new webhook, another user, a URL that had none):
 * taken as written, it became the password every post was sent with, and the receiver refused
 * them all.
 */
function hiddenPasswordNotKept(): TagbaseError {
  return fieldError(
    'body',
    'url',
    localized(
      `"${LISTED_PASSWORD}" stands for a password not shown again, kept only where the webhook's URL had one for the same user; there is none to keep here: write the receiver's password itself`,
      `「${LISTED_PASSWORD}」代表不再显示的密码，只有 Webhook 原地址中同一用户名带有密码时才沿用；这里没有可沿用的密码：请写出接收方的真实密码`,
    ),
  );
}

function toJson(
  row: {
    id: number;
    url: string;
    tags: string;
    segments: string;
    topics: string;
    failures: number;
    last_error: string | null;
    last_delivered_at: number | null;
    next_attempt_at: number;
    paused_at: number | null;
    paused_by: string | null;
    paused_reason: string | null;
    failing_since: number | null;
    actor: string;
    created_at: number;
  },
  segmentKeys: ReadonlyMap<number, string>,
): WebhookJson {
  return {
    id: row.id,
    url: listedUrl(row.url),
    tags: JSON.parse(row.tags) as string[],
    // A segment deleted since is no longer named.
    segments: (JSON.parse(row.segments) as number[]).flatMap((id) => segmentKeys.get(id) ?? []),
    topics: JSON.parse(row.topics) as WebhookTopic[],
    failures: Number(row.failures),
    last_error: row.last_error,
    last_delivered_at: toIsoOrNull(row.last_delivered_at),
    next_attempt_at: Number(row.failures) > 0 && row.paused_at === null ? toIso(Number(row.next_attempt_at)) : null,
    paused_at: toIsoOrNull(row.paused_at),
    paused_by: row.paused_by,
    // Paused before the reason was kept: by hand, the only pause there was.
    paused_reason: row.paused_at === null ? null : row.paused_reason === 'failing' ? 'failing' : 'manual',
    failing_since: toIsoOrNull(row.failing_since),
    actor: row.actor,
    created_at: toIso(row.created_at),
  };
}

/**
 * Ports the fetch standard refuses to connect to (its "bad ports": mail, FTP, SSH, IRC, X11 …),
 * as Node's fetch does: a webhook on one would fail every post with "bad port".
 */
const FETCH_BLOCKED_PORTS = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512,
  513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669,
  6679, 6697, 10080,
]);

function checkUrl(url: string): void {
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    // A host and port typed without a scheme (`localhost:8080/hooks`) reads as a URL of scheme
    // `localhost`: what is missing is the http:// before it, not another scheme.
    if (/^[^:/]+:\d+(?:[/?#]|$)/.test(url)) {
      throw fieldError('body', 'url', localized(`"${url}" has no http:// or https:// before it: write the whole URL, http://${url}`, `「${url}」前面缺少 http:// 或 https://：请写完整地址，如 http://${url}`));
    }
    // The URL's protocol ends in its colon (`ftp:`); the scheme is the word before it.
    const scheme = parsed.protocol.replace(/:$/, '');
    throw fieldError('body', 'url', localized(`a webhook posts to an http or https URL; got ${scheme}`, `Webhook 只能发送到 http 或 https 地址；收到的是 ${scheme}`));
  }
  if (parsed.port !== '' && FETCH_BLOCKED_PORTS.has(Number(parsed.port))) {
    throw fieldError(
      'body',
      'url',
      localized(`port ${parsed.port} is one HTTP clients refuse to post to (it belongs to mail, SSH, IRC and the like); choose another port`, `端口 ${parsed.port} 属于邮件、SSH、IRC 等服务，HTTP 客户端拒绝向它推送；请换一个端口`),
    );
  }
}

/** A signing secret when none is given: 64 hex characters. */
function newSecret(): string {
  return randomBytes(32).toString('hex');
}

/** Tag keys and saved segments as asked for (tags by key or name), checked against the library and the segments. */
async function resolveFilters(context: WorkspaceContext, input: { tags?: string[] | undefined; segments?: string[] | undefined }): Promise<{ tags: string[]; segments: { id: number; key: string }[] }> {
  const tags: string[] = [];
  if ((input.tags ?? []).length > 0) {
    const shared = (await loadTags(context, { includeArchived: true })).filter((tag) => tag.scope === 'enterprise');
    // Every tag that does not exist is named in one problem, each where the list has it first.
    const unknown: { index: number; tag: string }[] = [];
    for (const [index, name] of (input.tags ?? []).entries()) {
      const tag = findByKeyOrName(shared, name);
      if (!tag) {
        if (!unknown.some((entry) => entry.tag === name)) unknown.push({ index, tag: name });
      } else if (!tags.includes(tag.key)) tags.push(tag.key);
    }
    if (unknown.length > 0) throw tagsNotFound('tags', unknown);
  }
  const segments: { id: number; key: string }[] = [];
  // Every segment that does not exist is named in one problem, each where the list has it first.
  const missing: { index: number; segment: string; error: TagbaseError }[] = [];
  for (const [index, name] of (input.segments ?? []).entries()) {
    if (missing.some((entry) => entry.segment === name)) continue;
    try {
      const segment = await segmentRow(context, name);
      if (!segments.some((known) => known.id === segment.id)) segments.push({ id: segment.id, key: segment.key });
    } catch (error) {
      if (!(error instanceof TagbaseError) || error.code !== 'SEGMENT_NOT_FOUND') throw error;
      missing.push({ index, segment: name, error });
    }
  }
  if (missing.length > 0) throw segmentsNotFound(missing);
  return { tags, segments };
}

type CursorColumn = 'cursor' | 'segment_cursor' | 'care_cursor' | 'customer_cursor';

/** Where a webhook keeps its place in each topic's log, and which log that is. */
const TOPIC_LOGS: Record<WebhookTopic, { cursor: CursorColumn; log: 'tag_history' | 'segment_changes_log' | 'care_due_log' | 'customer_changes_log' }> = {
  tag_changes: { cursor: 'cursor', log: 'tag_history' },
  segment_changes: { cursor: 'segment_cursor', log: 'segment_changes_log' },
  care_reminders: { cursor: 'care_cursor', log: 'care_due_log' },
  customer_changes: { cursor: 'customer_cursor', log: 'customer_changes_log' },
};

/** Each topic's cursor at the end of its log now, by cursor column: a webhook given a topic starts from here. */
async function cursorsNow(context: WorkspaceContext, trx: Transaction<Database>): Promise<Record<CursorColumn, number>> {
  const last = async (topic: WebhookTopic) => Number((await trx.selectFrom(TOPIC_LOGS[topic].log).select((eb) => eb.fn.max('id').as('id')).where('workspace_id', '=', context.workspaceId).executeTakeFirst())?.id ?? 0);
  return { cursor: await last('tag_changes'), segment_cursor: await last('segment_changes'), care_cursor: await last('care_reminders'), customer_cursor: await last('customer_changes') };
}

function topicsOf(asked: readonly WebhookTopic[]): WebhookTopic[] {
  return WEBHOOK_TOPICS.filter((topic) => asked.includes(topic));
}

/** Without topics: what its filters name (segments: their changes), else tag changes. */
function defaultTopics(input: { tags?: string[] | undefined; segments?: string[] | undefined }): WebhookTopic[] {
  const segments = (input.segments?.length ?? 0) > 0;
  const tags = (input.tags?.length ?? 0) > 0;
  return [...(tags || !segments ? (['tag_changes'] as const) : []), ...(segments ? (['segment_changes'] as const) : [])];
}

/**
 * A filter of a topic the webhook does not post would silently do nothing: refused instead.
 * `kept` names the filters a change of topics leaves as they were (not sent with it): the
 * refusal then says how to drop them, since leaving them out is what was done.
 */
function checkFiltersPosted(topics: readonly WebhookTopic[], tags: readonly string[], segments: readonly unknown[], kept: { tags: boolean; segments: boolean } = { tags: false, segments: false }): void {
  const filters = [['tags', 'tag_changes', tags.length], ['segments', 'segment_changes', segments.length]] as const;
  for (const [filter, topic, count] of filters) {
    if (count === 0 || topics.includes(topic)) continue;
    if (kept[filter]) {
      throw fieldError(
        'body',
        filter,
        localized(
          `this webhook's ${topic} are limited to ${count} of its ${filter}, and this change stops ${topic}: send "${filter}": [] with it to drop them too, or keep ${topic} in topics`,
          `这个 Webhook 的 ${topic} 限定了 ${count} 个 ${filter}，而这次修改不再推送 ${topic}：请同时传 "${filter}": [] 一并去掉，或在 topics 中保留 ${topic}`,
        ),
      );
    }
    throw fieldError('body', filter, localized(`${filter} only choose what ${topic} posts, and this webhook does not post ${topic}: add it to topics, or leave ${filter} out`, `${filter} 只筛选 ${topic} 推送的内容，而这个 Webhook 不推送 ${topic}：请把它加入 topics，或不填 ${filter}`));
  }
}

/**
 * Subscribes a URL to the workspace's tag changes (or other topics) from now on. Answers the
 * secret once: the receiver checks `X-Tagbase-Signature` with it.
 */
export async function createWebhook(context: WorkspaceContext, raw: WebhookInput, audience?: Audience): Promise<WebhookJson & { secret: string }> {
  const input = parseInput(webhookInputSchema, raw);
  checkUrl(input.url);
  if (new URL(input.url).password === LISTED_PASSWORD) throw hiddenPasswordNotKept();
  const { tags, segments } = await resolveFilters(context, input);
  const secret = input.secret ?? newSecret();
  const now = context.now().getTime();
  const topics = topicsOf(input.topics ?? defaultTopics(input));
  checkFiltersPosted(topics, tags, segments);
  const row = await context.store.db.transaction().execute(async (trx) => {
    return trx
      .insertInto('webhooks')
      .values({
        workspace_id: context.workspaceId,
        url: input.url,
        secret,
        tags: JSON.stringify(tags),
        segments: JSON.stringify(segments.map((segment) => segment.id)),
        topics: JSON.stringify(topics),
        ...(await cursorsNow(context, trx)),
        failures: 0,
        next_attempt_at: now,
        last_error: null,
        last_delivered_at: null,
        actor: actorName(context),
        created_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  });
  if (topics.includes('segment_changes')) await firstLook(context, row, audience, true);
  return { ...toJson(row, new Map(segments.map((segment) => [segment.id, segment.key]))), secret };
}

const WEBHOOK_SECRET_ELSEWHERE = 'the secret is changed with POST /webhooks/{webhook}/secret, which shows the new one once';

export const webhookPatchSchema = z.strictObject({
  url: webhookInputSchema.shape.url.optional(),
  tags: webhookInputSchema.shape.tags,
  segments: webhookInputSchema.shape.segments,
  topics: webhookInputSchema.shape.topics,
  // Named rather than refused as unknown: a new secret is given where it is shown once.
  secret: z.never({ error: WEBHOOK_SECRET_ELSEWHERE }).optional().describe('Not changed here: `POST /webhooks/{webhook}/secret` gives a new one and shows it once'),
});

export type WebhookPatch = z.infer<typeof webhookPatchSchema>;

/**
 * Changes where a webhook posts and what. What it had not delivered yet stays to be delivered
 * (to the new URL, through the new filters); a topic it did not post before starts from now,
 * as a new webhook would. A change of URL ends the pause after failures: the next round posts.
 */
export async function updateWebhook(context: WorkspaceContext, id: number, raw: WebhookPatch, audience?: Audience): Promise<WebhookJson> {
  const patch = parseInput(webhookPatchSchema, raw);
  assertSomethingToChange(patch, ['url', 'tags', 'segments', 'topics']);
  if (patch.url !== undefined) checkUrl(patch.url);
  const { tags, segments } = await resolveFilters(context, patch);
  let addedSegmentChanges = false;
  const row = await context.store.db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('webhooks').selectAll().where('workspace_id', '=', context.workspaceId).where('id', '=', id).executeTakeFirst();
    if (!current) throw new TagbaseError('WEBHOOK_NOT_FOUND', { webhook: String(id) });
    const before = JSON.parse(current.topics) as WebhookTopic[];
    const topics = patch.topics ? topicsOf(patch.topics) : before;
    checkFiltersPosted(topics, patch.tags !== undefined ? tags : (JSON.parse(current.tags) as string[]), patch.segments !== undefined ? segments : (JSON.parse(current.segments) as number[]), {
      tags: patch.tags === undefined,
      segments: patch.segments === undefined,
    });
    const added = topics.filter((topic) => !before.includes(topic));
    const cursors = added.length > 0 ? await cursorsNow(context, trx) : undefined;
    addedSegmentChanges = added.includes('segment_changes');
    return trx
      .updateTable('webhooks')
      .set({
        // A post under way to the old URL is no longer the webhook's: its failure, answered after, is not recorded against the new one.
        ...(patch.url !== undefined ? { url: withKeptPassword(patch.url, current.url), failures: 0, failing_since: null, last_error: null, next_attempt_at: context.now().getTime(), claimed_by: null } : {}),
        ...(patch.tags !== undefined ? { tags: JSON.stringify(tags) } : {}),
        ...(patch.segments !== undefined ? { segments: JSON.stringify(segments.map((segment) => segment.id)) } : {}),
        topics: JSON.stringify(topics),
        ...(cursors ? Object.fromEntries(added.map((topic) => [TOPIC_LOGS[topic].cursor, cursors[TOPIC_LOGS[topic].cursor]])) : {}),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  });
  // Segments it watches from now on are looked at now, as for a new webhook.
  const topics = JSON.parse(row.topics) as WebhookTopic[];
  if (topics.includes('segment_changes') && (addedSegmentChanges || patch.segments !== undefined)) await firstLook(context, row, audience, addedSegmentChanges);
  return webhookJson(context, row);
}

/**
 * Looks at the watched segments as soon as a webhook watches them (made with the
 * `segment_changes` topic, given it, or given other segments), rather than in the next
 * delivery round up to a second later: a segment not looked at yet records its members now,
 * so a customer who enters it just after the webhook was made is posted as entering instead
 * of being counted among the members it already had. With `fromNow` (the topic is new to the
 * webhook) its segment cursor then moves past what this look logged of segments already
 * watched for other webhooks: changes from before it watched them. Without an audience the
 * next delivery round takes that look; so it does when this one fails, the webhook being made
 * all the same.
 */
async function firstLook(context: WorkspaceContext, webhook: { id: number; segment_cursor: number }, audience: Audience | undefined, fromNow: boolean): Promise<void> {
  if (!audience) return;
  try {
    await watchSegments(context, audience);
  } catch {
    return;
  }
  if (!fromNow) return;
  const last = await context.store.db.selectFrom('segment_changes_log').select((eb) => eb.fn.max('id').as('id')).where('workspace_id', '=', context.workspaceId).executeTakeFirst();
  const cursor = Number(last?.id ?? 0);
  // Only forward: a round that delivered meanwhile keeps its place.
  await context.store.db.updateTable('webhooks').set({ segment_cursor: cursor }).where('id', '=', webhook.id).where('segment_cursor', '<', cursor).execute();
  webhook.segment_cursor = Math.max(Number(webhook.segment_cursor), cursor);
}

/** The workspace's saved segments' keys by id, as webhooks name them. */
async function segmentKeys(context: WorkspaceContext): Promise<Map<number, string>> {
  const segments = await context.store.db.selectFrom('segments').select(['id', 'key']).where('workspace_id', '=', context.workspaceId).execute();
  return new Map(segments.map((segment) => [segment.id, segment.key]));
}

export async function listWebhooks(context: WorkspaceContext): Promise<WebhookJson[]> {
  const rows = await context.store.db.selectFrom('webhooks').selectAll().where('workspace_id', '=', context.workspaceId).orderBy('id').execute();
  const keys = await segmentKeys(context);
  return rows.map((row) => toJson(row, keys));
}

/** One webhook, as the list answers it (without its secret); `WEBHOOK_NOT_FOUND` when the workspace has none of that id. */
export async function getWebhook(context: WorkspaceContext, id: number): Promise<WebhookJson> {
  return webhookJson(context, await webhookRow(context, id));
}

/**
 * Stops a webhook posting without forgetting where it was: its cursors stay, and what happens
 * meanwhile is posted once it is resumed (at least once, in order, as ever). For a receiver
 * down for maintenance, or one that should hear nothing for a while, where deleting would lose
 * the backlog and the secret. Pausing a paused webhook changes nothing.
 */
export async function pauseWebhook(context: WorkspaceContext, id: number): Promise<WebhookJson> {
  const now = context.now().getTime();
  await context.store.db.updateTable('webhooks').set({ paused_at: now, paused_by: actorName(context) }).where('workspace_id', '=', context.workspaceId).where('id', '=', id).where('paused_at', 'is', null).execute();
  return webhookJson(context, await webhookRow(context, id));
}

/**
 * Lets a paused webhook post again, at once: the next delivery round (within a second under
 * `tagbase serve`) posts everything since its cursors. Its failures in a row stay counted
 * until a post gets through, but its three days of failing (`WEBHOOK_AUTO_PAUSE_MS`) start
 * again: whoever resumes a webhook that paused itself gives its receiver another run, rather
 * than seeing it pause again at its next failure. Resuming a webhook that posts changes nothing.
 */
export async function resumeWebhook(context: WorkspaceContext, id: number): Promise<WebhookJson> {
  // One a server is still posting to (paused while its post was at the receiver) keeps the
  // claim's time: made due, another server's round would post that batch a second time.
  await context.store.db
    .updateTable('webhooks')
    .set((eb) => ({ paused_at: null, paused_by: null, paused_reason: null, failing_since: null, next_attempt_at: eb.case().when('claimed_by', 'is', null).then(context.now().getTime()).else(eb.ref('next_attempt_at')).end() }))
    .where('workspace_id', '=', context.workspaceId)
    .where('id', '=', id)
    .where('paused_at', 'is not', null)
    .execute();
  return webhookJson(context, await webhookRow(context, id));
}

/**
 * Ends a failing webhook's pause before it runs out (from the eleventh failure in a row it
 * waits an hour): the next delivery round posts. For whoever has just fixed the receiver. A paused
 * webhook is refused (`WEBHOOK_PAUSED`): resuming it is what posts again.
 */
export async function retryWebhook(context: WorkspaceContext, id: number): Promise<WebhookJson> {
  const row = await webhookRow(context, id);
  if (row.paused_at !== null) throw new TagbaseError('WEBHOOK_PAUSED', { webhook: String(id) });
  const now = context.now().getTime();
  // A webhook that is not failing is left alone, and so is one a server is posting to (claimed):
  // made due, another server's round would post the batch under way a second time. That post's
  // answer decides when it goes next.
  await context.store.db.updateTable('webhooks').set({ next_attempt_at: now }).where('id', '=', id).where('failures', '>', 0).where('next_attempt_at', '>', now).where('claimed_by', 'is', null).execute();
  return webhookJson(context, await webhookRow(context, id));
}

async function webhookJson(context: WorkspaceContext, row: Parameters<typeof toJson>[0]): Promise<WebhookJson> {
  return toJson(row, await segmentKeys(context));
}

export async function deleteWebhook(context: WorkspaceContext, id: number): Promise<void> {
  await context.store.db.transaction().execute(async (trx) => {
    const deleted = await trx.deleteFrom('webhooks').where('workspace_id', '=', context.workspaceId).where('id', '=', id).executeTakeFirst();
    if (Number(deleted.numDeletedRows) === 0) throw new TagbaseError('WEBHOOK_NOT_FOUND', { webhook: String(id) });
    await trx.deleteFrom('webhook_deliveries').where('webhook_id', '=', id).execute();
  });
}

/** `sha256=` and the hex HMAC-SHA256 of the body under the secret, as `X-Tagbase-Signature` carries it. */
export function webhookSignature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * The time of sending and a signature over it and the body, `sha256=` and the hex HMAC-SHA256 of
 * `{timestamp}.{body}`: a receiver that refuses a timestamp minutes old turns away a post
 * recorded and sent again later, which `X-Tagbase-Signature`, over the body alone, cannot tell.
 * Sent beside it, so that receivers checking the body's signature go on as they were.
 */
function timedSignature(secret: string, body: string, sentAtSeconds: number): { 'x-tagbase-timestamp': string; 'x-tagbase-signature-timed': string } {
  return { 'x-tagbase-timestamp': String(sentAtSeconds), 'x-tagbase-signature-timed': webhookSignature(secret, `${sentAtSeconds}.${body}`) };
}

export interface DeliveryReport {
  /** Changes delivered, over every webhook. */
  delivered: number;
  /** Posts that failed (the receiver answered other than 2xx, or could not be reached). */
  failed: number;
}

type WebhookRow = Awaited<ReturnType<typeof dueWebhooks>>[number];

/**
 * The webhooks to post to now: those whose next attempt has come, and those claimed by a process
 * of this host that has since died (killed mid-post, it never gave the claim back), which would
 * otherwise wait out the claim.
 */
async function dueWebhooks(store: Store, now: number) {
  const rows = await store.db
    .selectFrom('webhooks')
    .innerJoin('workspaces', 'workspaces.id', 'webhooks.workspace_id')
    .selectAll('webhooks')
    .select('workspaces.key as workspace_key')
    .where((eb) => eb.or([eb('webhooks.next_attempt_at', '<=', now), eb('webhooks.claimed_by', 'is not', null)]))
    .where('webhooks.paused_at', 'is', null)
    // Its workspace being deleted, a webhook posts nothing more (its rows go with the rest).
    .where('workspaces.deleting', 'is', null)
    .orderBy('webhooks.id')
    .execute();
  return rows.filter((row) => Number(row.next_attempt_at) <= now || (row.claimed_by !== null && holderGone(row.claimed_by)));
}

export interface DeliveryOptions {
  now?: () => number;
  maxBatches?: number;
  /** Looks at the watched segments before delivering; without one, segment changes are only delivered as logged. */
  audience?: Audience;
  /** Told of a workspace whose segments could not be looked at; the round goes on with the others and delivers. */
  onError?: (error: unknown) => void;
  /**
   * True once the server is stopping: the round records the post under way and starts no other,
   * so that a stop does not wait for a backlog to be posted (what is left goes after the next start).
   */
  stopping?: () => boolean;
  /**
   * The webhooks this process is posting to, by id, kept from round to round: given, the round
   * starts its posts here (up to `RECEIVERS_AT_ONCE` in all) and returns without waiting for
   * them, passing over a webhook still posting, so that a receiver taking the whole timeout holds
   * up neither the other receivers' next posts nor the next look at the watched segments. The
   * report then counts nothing; a post that throws is told to `onError`.
   */
  posting?: Map<number, Promise<void>>;
}

/**
 * What one batch did: the items posted and the log rows read (a full batch read: there may be
 * more), 'failed', or 'taken' when another server (or a change of the webhook) came first.
 */
type BatchOutcome = { posted: number; read: number } | 'failed' | 'taken';

const DELIVER: Record<WebhookTopic, (store: Store, webhook: WebhookRow, now: () => number) => Promise<BatchOutcome>> = {
  tag_changes: deliverBatch,
  segment_changes: deliverSegmentBatch,
  care_reminders: deliverCareBatch,
  customer_changes: deliverCustomerBatch,
};

/**
 * How many receivers are posted to at once. One after the other, a receiver that takes the
 * whole timeout to answer (or never does) held every other webhook's posts back by as long,
 * every round; side by side, it holds up only itself.
 */
export const RECEIVERS_AT_ONCE = 8;

/**
 * Posts what each due webhook has not yet delivered, batch after batch, until it is up to date
 * or a post fails, to up to `RECEIVERS_AT_ONCE` receivers at a time. `tagbase serve` calls this
 * every second; a call delivers at most `maxBatches` batches per webhook so that one busy
 * workspace does not hold the rest up. With an audience, it first looks at the segments
 * watched in every workspace, whether or not their webhooks are due: a receiver that is down
 * misses nothing of what happened meanwhile.
 */
export async function deliverWebhooks(store: Store, options: DeliveryOptions = {}): Promise<DeliveryReport> {
  const now = options.now ?? Date.now;
  const report: DeliveryReport = { delivered: 0, failed: 0 };
  if (options.audience) await watchAllSegments(store, options.audience, now, options.onError);
  const due = await dueWebhooks(store, now());
  const stopping = options.stopping ?? (() => false);
  const posting = options.posting;
  if (posting) {
    for (const webhook of due) {
      if (stopping() || posting.size >= RECEIVERS_AT_ONCE) break;
      if (posting.has(webhook.id)) continue;
      const post = deliverDue(store, webhook, now, options.maxBatches ?? 20, report, stopping)
        .catch((error: unknown) => options.onError?.(error))
        .finally(() => posting.delete(webhook.id));
      posting.set(webhook.id, post);
    }
  } else {
    let next = 0;
    const work = async () => {
      for (let webhook = due[next++]; webhook !== undefined && !stopping(); webhook = due[next++]) await deliverDue(store, webhook, now, options.maxBatches ?? 20, report, stopping);
    };
    await Promise.all(Array.from({ length: Math.min(RECEIVERS_AT_ONCE, due.length) }, work));
  }
  // What every webhook of the topic has delivered, and what none wants any more, goes: an erased
  // customer's id among it.
  const logged = await store.db.selectFrom('customer_changes_log').select('workspace_id').distinct().execute();
  for (const { workspace_id } of logged) await purgeDeliveredCustomerChanges(store.db, workspace_id);
  return report;
}

/**
 * Posts now what these webhooks have not yet delivered, a few batches each, those due only (one
 * paused by hand, or after failures, waits its turn): a tag's deletion hands its receivers the
 * changes of the tag still to post, rather than refusing for the second the server's next round
 * would take. What could not be posted stays to be posted, as in a round.
 */
export async function deliverWebhooksNow(store: Store, ids: readonly number[], now: () => number, maxBatches = 5): Promise<void> {
  const due = (await dueWebhooks(store, now())).filter((webhook) => ids.includes(webhook.id));
  const report: DeliveryReport = { delivered: 0, failed: 0 };
  await Promise.all(due.map((webhook) => deliverDue(store, webhook, now, maxBatches, report)));
}

/** One webhook's round: each of its topics in turn, until a post fails. */
async function deliverDue(store: Store, webhook: WebhookRow, now: () => number, maxBatches: number, report: DeliveryReport, stopping: () => boolean = () => false): Promise<void> {
  const topics = JSON.parse(webhook.topics) as WebhookTopic[];
  for (const topic of topics) {
    const deliver = DELIVER[topic];
    let failed = false;
    for (let batch = 0; batch < maxBatches; batch++) {
      if (stopping()) return;
      const outcome = await deliver(store, webhook, now);
      // Another server posts to it (or it changed): this round leaves it alone.
      if (outcome === 'taken') return;
      if (outcome === 'failed') report.failed++;
      else report.delivered += outcome.posted;
      failed = outcome === 'failed';
      // A batch is full when it read a batch of the log, however little of it the filters
      // (tags, segments, erased customers) let through: more may follow now, not a round later.
      if (outcome === 'failed' || outcome.read < WEBHOOK_BATCH) break;
    }
    // A receiver that failed is paused for every topic.
    if (failed) break;
  }
}

/**
 * Records a failed post: the webhook pauses, longer after each failure in a row. Only while the
 * post's claim stands: a webhook given a new URL while the old one had the post (the claim
 * ended with the change) is due at once, its failures reset, whatever the old URL answered.
 * A failure `WEBHOOK_AUTO_PAUSE_MS` or more after the first of the run pauses the webhook
 * (`paused_reason` `failing`, by `system`, in the audit trail), its cursors kept, unless it
 * was paused by hand meanwhile.
 */
async function recordFailure(store: Store, webhook: WebhookRow, problem: string, now: () => number): Promise<'failed'> {
  const failures = Number(webhook.failures) + 1;
  const pause = Math.min(FIRST_RETRY_MS * 2 ** (failures - 1), MAX_RETRY_MS);
  const at = now();
  // A webhook failing since before the time was kept (an upgraded store) counts from now.
  const since = webhook.failing_since === null ? at : Number(webhook.failing_since);
  const claim = webhook.claimed_by;
  await store.db.transaction().execute(async (trx) => {
    let update = trx.updateTable('webhooks').set({ failures, failing_since: since, next_attempt_at: at + pause, last_error: problem, claimed_by: null }).where('id', '=', webhook.id);
    update = claim === null ? update.where('claimed_by', 'is', null) : update.where('claimed_by', '=', claim);
    const recorded = await update.executeTakeFirst();
    if (Number(recorded.numUpdatedRows) === 0 || at - since < WEBHOOK_AUTO_PAUSE_MS) return;
    const paused = await trx
      .updateTable('webhooks')
      .set({ paused_at: at, paused_by: WEBHOOK_SYSTEM_ACTOR, paused_reason: 'failing' })
      .where('id', '=', webhook.id)
      .where('paused_at', 'is', null)
      .executeTakeFirst();
    if (Number(paused.numUpdatedRows) === 0) return;
    await recordAudit(trx, { workspaceId: webhook.workspace_id, actor: WEBHOOK_SYSTEM_ACTOR, source: 'system', action: WEBHOOK_AUTO_PAUSE_ACTION, target: `/webhooks/${webhook.id}`, status: null, at });
  });
  webhook.failures = failures;
  webhook.failing_since = since;
  return 'failed';
}

/** The audit trail's action for a webhook that paused itself after failing for days. */
export const WEBHOOK_AUTO_PAUSE_ACTION = 'webhook auto-pause';

/** One post of the care reminders brought due after the webhook's care cursor: how many were delivered of how many read, or 'failed'. */
async function deliverCareBatch(store: Store, webhook: WebhookRow, now: () => number): Promise<BatchOutcome> {
  const log = await store.db
    .selectFrom('care_due_log')
    .select(['id', 'reminder_id'])
    .where('workspace_id', '=', webhook.workspace_id)
    .where('id', '>', webhook.care_cursor)
    .orderBy('id')
    .limit(WEBHOOK_BATCH)
    .execute();
  if (log.length === 0) return { posted: 0, read: 0 };
  const last = log[log.length - 1]?.id ?? webhook.care_cursor;
  // A reminder deleted since (its plan deleted, its customer erased) is passed over, and so is one
  // put off since (scheduled again, its message not yet written): it is logged again, and posted
  // then, when it falls due again. Each is posted once however often the batch logged it.
  const rows = await remindersWithNames(store.db).where('care_reminders.id', 'in', log.map((entry) => entry.reminder_id)).execute();
  const byId = new Map(rows.filter((row) => row.status !== 'scheduled').map((row) => [row.id, reminderJson(row)] as const));
  const reminders = [...new Set(log.map((entry) => entry.reminder_id))].flatMap((id) => byId.get(id) ?? []);
  return postBatch(store, webhook, now, 'care_reminders', last, log.length, { reminders });
}

/** One post of the customers merged away or erased after the webhook's customer cursor: how many were delivered of how many read, or 'failed'. */
async function deliverCustomerBatch(store: Store, webhook: WebhookRow, now: () => number): Promise<BatchOutcome> {
  const rows = await store.db
    .selectFrom('customer_changes_log')
    .select(['id', 'change', 'customer_id', 'into_id', 'at'])
    .where('workspace_id', '=', webhook.workspace_id)
    .where('id', '>', webhook.customer_cursor)
    .orderBy('id')
    .limit(WEBHOOK_BATCH)
    .execute();
  if (rows.length === 0) return { posted: 0, read: 0 };
  const last = rows[rows.length - 1]?.id ?? webhook.customer_cursor;
  const changes: CustomerChangeJson[] = rows.map((row) => ({ id: Number(row.id), change: row.change === 'merged' ? 'merged' : 'erased', customer_id: row.customer_id, into: row.into_id, at: toIso(row.at) }));
  return postBatch(store, webhook, now, 'customer_changes', last, rows.length, { changes });
}

/** One post of the segment changes after the webhook's segment cursor: how many were delivered of how many read, or 'failed'. */
async function deliverSegmentBatch(store: Store, webhook: WebhookRow, now: () => number): Promise<BatchOutcome> {
  const rows = await store.db
    .selectFrom('segment_changes_log')
    .leftJoin('customers', 'customers.id', 'segment_changes_log.customer_id')
    .select(['segment_changes_log.id', 'segment_changes_log.segment_id', 'segment_changes_log.segment_key', 'segment_changes_log.entered', 'segment_changes_log.at', 'customers.external_id'])
    .where('segment_changes_log.workspace_id', '=', webhook.workspace_id)
    .where('segment_changes_log.id', '>', webhook.segment_cursor)
    .orderBy('segment_changes_log.id')
    .limit(WEBHOOK_BATCH)
    .execute();
  if (rows.length === 0) return { posted: 0, read: 0 };
  const wanted = new Set(JSON.parse(webhook.segments) as number[]);
  const last = rows[rows.length - 1]?.id ?? webhook.segment_cursor;
  // An erased customer is passed over.
  const changes: SegmentChangeJson[] = rows.flatMap((row) =>
    (wanted.size === 0 || wanted.has(row.segment_id)) && row.external_id !== null ? [{ id: row.id, segment: row.segment_key, customer_id: row.external_id, change: Number(row.entered) === 1 ? 'entered' : 'left', at: toIso(row.at) }] : [],
  );
  return postBatch(store, webhook, now, 'segment_changes', last, rows.length, { changes });
}

/** One post of the changes after the webhook's cursor: how many were delivered of how many read, or 'failed'. */
async function deliverBatch(store: Store, webhook: WebhookRow, now: () => number): Promise<BatchOutcome> {
  const rows = await store.db
    .selectFrom('tag_history')
    .leftJoin('customers', 'customers.id', 'tag_history.customer_id')
    .select([
      'tag_history.id',
      'tag_history.tag_id',
      'tag_history.value_id',
      'tag_history.previous_value_id',
      'tag_history.action',
      'tag_history.label',
      'tag_history.source',
      'tag_history.actor',
      'tag_history.at',
      'tag_history.expires_at',
      'tag_history.merged_from',
      'tag_history.merged_into',
      'tag_history.recorded_for',
      'customers.external_id',
    ])
    .where('tag_history.workspace_id', '=', webhook.workspace_id)
    .where('tag_history.id', '>', webhook.cursor)
    .orderBy('tag_history.id')
    .limit(WEBHOOK_BATCH)
    .execute();
  if (rows.length === 0) return { posted: 0, read: 0 };
  // Read only when there is something to post: an idle webhook costs one indexed read a second.
  const wanted = new Set(JSON.parse(webhook.tags) as string[]);
  const context: WorkspaceContext = { store, workspaceId: webhook.workspace_id, workspaceKey: webhook.workspace_key, actor: null, now: () => new Date(now()) };
  const lookup = tagLookup((await loadTags(context, { includeArchived: true })).filter((tag) => tag.scope === 'enterprise' && (wanted.size === 0 || wanted.has(tag.key))));
  const last = rows[rows.length - 1]?.id ?? webhook.cursor;
  // A copy of a value a merge dropped (`remove` with `merged_from`, written for the survivor's
  // history) is passed over: the merge's `remove` of the merged record's value says it.
  const posted = rows.filter((row) => lookup.tags.has(row.tag_id) && row.external_id !== null && !(row.action === 'remove' && row.merged_from !== null));
  // A change a merge moved to the survivor is the merged record's, as it was made.
  const changes: TagChangeJson[] = posted.flatMap((row) => (row.external_id === null ? [] : [{ id: row.id, customer_id: row.recorded_for ?? row.external_id, ...historyEntry(row, lookup), merged_into: row.merged_into }]));
  return postBatch(store, webhook, now, 'tag_changes', last, rows.length, { changes });
}

/**
 * Posts a batch of a topic read up to log id `last` (nothing when all of it was passed over)
 * and moves the topic's cursor past it: how many were delivered of the `read` rows, or 'failed'.
 */
async function postBatch(
  store: Store,
  webhook: WebhookRow,
  now: () => number,
  topic: WebhookTopic,
  last: number,
  read: number,
  items: { changes: readonly { id: number }[] } | { reminders: readonly { id: number }[] },
): Promise<BatchOutcome> {
  const posted = 'changes' in items ? items.changes : items.reminders;
  const column = TOPIC_LOGS[topic].cursor;
  if (posted.length > 0) {
    if (!(await claimPost(store, webhook, column, now))) return 'taken';
    const body = JSON.stringify({ webhook: webhook.id, workspace: webhook.workspace_key, ...items });
    const answer = await postTimed(webhook.url, body, webhook.secret, webhook.id, topic);
    await recordDelivery(store, webhook, topic, answer, now(), posted);
    if (answer.problem !== undefined) return recordFailure(store, webhook, answer.problem, now);
  }
  // Only the cursor moves, and only forward: a webhook deleted meanwhile stays deleted. Nothing
  // posted (all of it passed over) says nothing of the receiver: a failure of another topic
  // stands, and its next pause is longer. A post delivered ends the claim: the webhook is due again.
  const at = now();
  await store.db
    .updateTable('webhooks')
    .set({ [column]: last, ...(posted.length > 0 ? { failures: 0, failing_since: null, last_error: null, next_attempt_at: at, last_delivered_at: at, claimed_by: null } : {}) })
    .where('id', '=', webhook.id)
    .where(column, '<', last)
    .execute();
  webhook[column] = last;
  if (posted.length > 0) {
    webhook.failures = 0;
    webhook.failing_since = null;
    webhook.next_attempt_at = at;
  }
  return { posted: posted.length, read };
}

/** How long a server holds a webhook it posts to: a post's timeout and room to record it. */
export const WEBHOOK_CLAIM_MS = TIMEOUT_MS + 20_000;

/**
 * Claims the webhook for one post: its next attempt moves past the post's timeout, only if
 * neither it nor the topic's cursor changed since this round read them. Several servers on one
 * store run rounds side by side, and two that read the same batch would each post it (every
 * change twice, to a receiver slower than the rounds' skew); the one whose claim comes second
 * leaves the webhook to the first. Nor is a webhook paused, given a new URL or retried meanwhile
 * posted to: the next round reads it anew. A server that dies holding a claim leaves the
 * webhook to the next round once the claim runs out, or at once when the round runs on the same
 * host and can tell that the claim's process is gone (`claimed_by`).
 */
async function claimPost(store: Store, webhook: WebhookRow, column: CursorColumn, now: () => number): Promise<boolean> {
  const until = now() + WEBHOOK_CLAIM_MS;
  const claimedBy = holderToken();
  const claimed = await store.db
    .updateTable('webhooks')
    .set({ next_attempt_at: until, claimed_by: claimedBy })
    .where('id', '=', webhook.id)
    .where('next_attempt_at', '=', webhook.next_attempt_at)
    .where(column, '=', webhook[column])
    .where('paused_at', 'is', null)
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) === 0) return false;
  webhook.next_attempt_at = until;
  webhook.claimed_by = claimedBy;
  return true;
}

/** Posts kept per webhook in its deliveries log. */
export const DELIVERIES_KEPT = 100;

/**
 * Logs a post and how it was answered, keeping the webhook's last `DELIVERIES_KEPT`; nothing when
 * the webhook was deleted while its receiver had the post, since deleting it drops its log.
 */
async function recordDelivery(
  store: Store,
  webhook: { id: number; workspace_id: number },
  topic: WebhookTopic | 'test',
  answer: PostAnswer,
  at: number,
  posted: readonly { id: number }[] = [],
): Promise<void> {
  await store.db.transaction().execute(async (trx) => {
    // On PostgreSQL the row is locked, so that a delete under way either waits for this log
    // (and drops it with the rest) or has committed and is seen here; SQLite writes one at a time.
    const there = trx.selectFrom('webhooks').select('id').where('id', '=', webhook.id);
    if (!(await (store.dialect === 'postgres' ? there.forUpdate() : there).executeTakeFirst())) return;
    await trx
      .insertInto('webhook_deliveries')
      .values({
        workspace_id: webhook.workspace_id,
        webhook_id: webhook.id,
        topic,
        items: posted.length,
        first_id: posted[0]?.id ?? null,
        last_id: posted[posted.length - 1]?.id ?? null,
        status: answer.status,
        error: answer.problem ?? null,
        took_ms: answer.tookMs,
        at,
      })
      .execute();
    const oldestKept = await trx.selectFrom('webhook_deliveries').select('id').where('webhook_id', '=', webhook.id).orderBy('id', 'desc').offset(DELIVERIES_KEPT - 1).limit(1).executeTakeFirst();
    if (oldestKept) await trx.deleteFrom('webhook_deliveries').where('webhook_id', '=', webhook.id).where('id', '<', oldestKept.id).execute();
  });
}

interface PostAnswer {
  status: number | null;
  problem: string | undefined;
  tookMs: number;
}

/** Posts the body: how the receiver answered, and how long that took. */
async function postTimed(url: string, body: string, secret: string, id: number, topic: WebhookTopic | 'test'): Promise<PostAnswer> {
  const started = performance.now();
  const answer = await postAnswered(url, body, secret, id, topic);
  return { ...answer, tookMs: Math.round(performance.now() - started) };
}

/** Posts the body: the receiver's status when it answered, and what went wrong unless it was 2xx. */
async function postAnswered(url: string, body: string, secret: string, id: number, topic: WebhookTopic | 'test'): Promise<{ status: number | null; problem: string | undefined }> {
  const { target, authorization } = basicAuthOf(url);
  try {
    const response = await fetch(target, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'tagbase-webhook',
        'x-tagbase-webhook': String(id),
        'x-tagbase-topic': topic,
        'x-tagbase-signature': webhookSignature(secret, body),
        ...timedSignature(secret, body, Math.floor(Date.now() / 1000)),
        ...(authorization ? { authorization } : {}),
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    await response.body?.cancel();
    if (response.status >= 200 && response.status < 300) return { status: response.status, problem: undefined };
    const location = REDIRECTS.has(response.status) ? redirectTarget(response.headers.get('location'), target) : undefined;
    return { status: response.status, problem: location === undefined ? `HTTP ${response.status}` : `HTTP ${response.status} → ${location}` };
  } catch (error) {
    // A code the console and the command line put in words; the abort's own text is a sentence
    // about signals, not about the receiver.
    if (error instanceof Error && error.name === 'TimeoutError') return { status: null, problem: 'TIMEOUT' };
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { status: null, problem: cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error)) };
  }
}

/** The statuses that send a request elsewhere; a post is not sent on, so the webhook's URL is what to change. */
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Where a redirect points, as a whole URL (a `Location` may be relative to the URL posted to), so
 * that whoever reads the failure sees what to set the webhook's URL to; without a user or
 * password, cut short past 500 characters; undefined when there is none or it is no URL.
 */
function redirectTarget(location: string | null, posted: string): string | undefined {
  if (location === null || location.trim() === '') return undefined;
  let resolved: URL;
  try {
    resolved = new URL(location.trim(), posted);
  } catch {
    return undefined;
  }
  resolved.username = '';
  resolved.password = '';
  const text = resolved.toString();
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}

/**
 * A user and password written in the URL, as HTTP basic authentication: fetch refuses a URL
 * that carries them, so they travel in the `Authorization` header and the URL goes without.
 */
function basicAuthOf(url: string): { target: string; authorization: string | undefined } {
  const parsed = new URL(url);
  if (parsed.username === '' && parsed.password === '') return { target: url, authorization: undefined };
  const credentials = `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`;
  parsed.username = '';
  parsed.password = '';
  return { target: parsed.toString(), authorization: `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}` };
}

/** What a test post found. */
export interface WebhookTestJson {
  /** True when the receiver answered 2xx. */
  delivered: boolean;
  /** The receiver's HTTP status; null when it could not be reached or did not answer in time. */
  status: number | null;
  error: string | null;
  took_ms: number;
}

/**
 * Posts `{"webhook", "workspace", "test": true, "sent_at"}` to the webhook now, signed as every
 * post is, with `X-Tagbase-Topic: test`, so that whoever sets a receiver up sees at once whether
 * it is reached and checks the signature. Nothing of the webhook's deliveries changes: its
 * cursors, failures and pause stay as they were.
 */
export async function testWebhook(context: WorkspaceContext, id: number): Promise<WebhookTestJson> {
  const webhook = await webhookRow(context, id);
  const body = JSON.stringify({ webhook: webhook.id, workspace: context.workspaceKey, test: true, sent_at: context.now().toISOString() });
  const answer = await postTimed(webhook.url, body, webhook.secret, webhook.id, 'test');
  await recordDelivery(context.store, webhook, 'test', answer, context.now().getTime());
  return { delivered: answer.problem === undefined, status: answer.status, error: answer.problem ?? null, took_ms: answer.tookMs };
}

/** One post to a webhook as its deliveries log lists it. */
export interface WebhookDeliveryJson {
  id: number;
  /** `tag_changes`, `segment_changes`, `care_reminders`, or `test` for a test post. */
  topic: WebhookTopic | 'test';
  /** Changes or reminders in the post, and the ids of the first and last (null for a test). */
  items: number;
  first_id: number | null;
  last_id: number | null;
  /** True when the receiver answered 2xx. */
  delivered: boolean;
  status: number | null;
  error: string | null;
  took_ms: number;
  at: string;
}

/** The webhook's last posts (at most `DELIVERIES_KEPT`), newest first: each delivery, retry and test, and how it was answered. */
export async function listWebhookDeliveries(context: WorkspaceContext, id: number): Promise<WebhookDeliveryJson[]> {
  await webhookRow(context, id);
  const rows = await context.store.db.selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', id).orderBy('id', 'desc').limit(DELIVERIES_KEPT).execute();
  return rows.map((row) => ({
    id: Number(row.id),
    topic: row.topic as WebhookTopic | 'test',
    items: Number(row.items),
    first_id: row.first_id === null ? null : Number(row.first_id),
    last_id: row.last_id === null ? null : Number(row.last_id),
    delivered: row.error === null,
    status: row.status === null ? null : Number(row.status),
    error: row.error,
    took_ms: Number(row.took_ms),
    at: toIso(row.at),
  }));
}

export const webhookSecretSchema = z.strictObject({ secret: webhookInputSchema.shape.secret });
export type WebhookSecretInput = z.infer<typeof webhookSecretSchema>;

/**
 * Gives the webhook a new secret (the one sent, or 64 hex characters made here), answered once
 * as at creation. Posts from now on are signed with it; a post its receiver refuses meanwhile,
 * still checking the old one, is retried as any failed post, so nothing is lost while the
 * receiver is switched over.
 */
export async function rotateWebhookSecret(context: WorkspaceContext, id: number, raw: WebhookSecretInput = {}): Promise<WebhookJson & { secret: string }> {
  const input = parseInput(webhookSecretSchema, raw);
  const secret = input.secret ?? newSecret();
  const row = await context.store.db.updateTable('webhooks').set({ secret }).where('workspace_id', '=', context.workspaceId).where('id', '=', id).returningAll().executeTakeFirst();
  if (!row) throw new TagbaseError('WEBHOOK_NOT_FOUND', { webhook: String(id) });
  return { ...(await webhookJson(context, row)), secret };
}

async function webhookRow(context: WorkspaceContext, id: number) {
  const row = await context.store.db.selectFrom('webhooks').selectAll().where('workspace_id', '=', context.workspaceId).where('id', '=', id).executeTakeFirst();
  if (!row) throw new TagbaseError('WEBHOOK_NOT_FOUND', { webhook: String(id) });
  return row;
}

/**
 * Delivers every `intervalMs` (a second by default), one round at a time, inside `tagbase serve`.
 * A round starts the posts of the webhooks due and does not wait for them: a receiver that takes
 * the whole timeout to answer holds up its own posts only, while the next rounds post to the
 * others and look at the watched segments.
 */
export function startWebhookDelivery(store: Store, options: { intervalMs?: number; onError?: (error: unknown) => void; audience?: Audience; now?: () => number } = {}): { stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  let stopped = false;
  const posting = new Map<number, Promise<void>>();
  const timer = setInterval(() => {
    running ??= deliverWebhooks(store, { audience: options.audience, onError: options.onError, now: options.now, stopping: () => stopped, posting })
      .then(() => undefined)
      .catch((error: unknown) => options.onError?.(error))
      .finally(() => {
        running = undefined;
      });
  }, options.intervalMs ?? 1000);
  timer.unref();
  // Resolves once a round under way, and every post under way, has recorded the posts it had sent
  // (starting no other), so the store can be closed under nothing.
  return {
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
      await Promise.all(posting.values());
    },
  };
}
