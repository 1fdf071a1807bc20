// Manual tagging: assign and remove tag values on one customer or on up to 100,000 at once,
// in one transaction, with every change appended to the history; and the expiry sweeper.
import type { Kysely, Transaction } from 'kysely';
import { TagbaseError, fieldError, namedInMessage } from '../core/errors.js';
import { localized } from '../core/locale.js';
import { formatTagLabel, isPastLatestExpiry, isStillHeld, planAssignment, resolveExpiry, type AssignmentSource, type TagDefinition, type TagValue } from '../core/tag.js';
import { IDS_PER_QUERY, chunks, rowsPerInsert } from '../store/chunks.js';
import type { Database } from '../store/schema.js';
import { actorName, writeCustomers, type WorkspaceContext } from './context.js';
import { propagateTags } from './propagate.js';
import { requireCustomerIds } from './customers.js';
import { getTag, getTagValue, insertHistory, type HistoryRow } from './library.js';
import { expiredBy } from '../store/still-held.js';
import { heldAssignments, recordTaggingOperation } from './tagging-operations.js';

type Db = Kysely<Database> | Transaction<Database>;

export const MAX_BULK_TAGGING = 100_000;

export interface AssignRequest {
  tag: string;
  value: string;
  customers: readonly string[];
  /** Epoch ms; undefined uses the tag's default expiry, null means never. */
  expiresAt?: number | null | undefined;
  source: AssignmentSource;
  /** Record what it changes, so that it can be undone (`undoTaggingOperation`): bulk tagging's. */
  undoable?: boolean | undefined;
}

export interface AssignResult {
  matched: number;
  added: number;
  replaced: number;
  unchanged: number;
  /** Of the unchanged, those whose expiry this call moved (a held value given again with a new `expiresAt`). */
  renewed: number;
  /** added + replaced: how many customers' tags changed. */
  changed: number;
  /** The recorded operation that undoes it, when it was asked to be undoable and changed someone. */
  operation?: number;
}

export interface RemoveRequest {
  tag: string;
  /** Without a value, every value of the tag is removed. */
  value?: string | undefined;
  customers: readonly string[];
  source: AssignmentSource;
  undoable?: boolean | undefined;
}

export interface RemoveResult {
  matched: number;
  removed: number;
  operation?: number;
}

/** A tag that staff may assign by hand: visible, active, manual or rule. */
async function resolveAssignableTag(context: WorkspaceContext, key: string, db: Db): Promise<TagDefinition> {
  const tag = await getTag(context, key, db);
  if (tag.status === 'archived') throw new TagbaseError('TAG_ARCHIVED', { tag: tag.key, tagNamed: namedInMessage(tag) });
  // A hand-made value on a rule tag pins it, a multi-valued tag's that value alone (see rules.ts); model tags are the models' alone.
  if (tag.kind === 'model') throw new TagbaseError('TAG_NOT_MANUAL', { tag: tag.key, tagNamed: namedInMessage(tag) });
  return tag;
}

function checkCustomerCount(count: number): void {
  if (count === 0) throw fieldError('body', 'customers', localized('name at least one customer', '请至少指定一位客户'));
  if (count > MAX_BULK_TAGGING) throw new TagbaseError('BATCH_TOO_LARGE', { max: MAX_BULK_TAGGING, count });
}

function checkExpiry(expiresAt: number | null | undefined, now: number): void {
  if (expiresAt !== undefined && expiresAt !== null && expiresAt <= now) {
    throw fieldError('body', 'expires_at', localized('expires_at must be in the future', 'expires_at 必须是将来的时间'));
  }
  if (expiresAt !== undefined && expiresAt !== null && isPastLatestExpiry(expiresAt)) {
    throw fieldError(
      'body',
      'expires_at',
      localized('expires_at must be no later than 9999-12-31T23:59:59Z; send null for a value that never expires', 'expires_at 不能晚于 9999-12-31T23:59:59Z；永不到期请传 null'),
    );
  }
}

/**
 * What assigning or removing answers when nobody is to be tagged (a segment or a tag transition
 * that matches no one now), after the checks a call with customers makes first: a mistyped tag or
 * value, a model's tag or an expiry already past is refused whoever matches, not only on the days
 * someone does.
 */
export async function tagNobody(context: WorkspaceContext, request: { tag: string; value?: string | undefined; action: 'assign' | 'remove'; expiresAt?: number | null | undefined }): Promise<AssignResult | RemoveResult> {
  if (request.action === 'assign') checkExpiry(request.expiresAt, context.now().getTime());
  const tag = await resolveAssignableTag(context, request.tag, context.store.db);
  if (request.value !== undefined) getTagValue(tag, request.value);
  return request.action === 'assign' ? { matched: 0, added: 0, replaced: 0, unchanged: 0, renewed: 0, changed: 0 } : { matched: 0, removed: 0 };
}

/** Current value ids of one tag for each of the given customers. */
async function loadCurrentValues(db: Db, tagId: number, customerIds: readonly number[]) {
  const current = new Map<number, { valueIds: number[]; expiresAt: Map<number, number | null>; sources: Map<number, string> }>();
  for (const part of chunks([...customerIds], IDS_PER_QUERY)) {
    const rows = await db
      .selectFrom('assignments')
      .select(['customer_id', 'value_id', 'expires_at', 'source'])
      .where('tag_id', '=', tagId)
      .where('customer_id', 'in', part)
      .execute();
    for (const row of rows) {
      const entry = current.get(row.customer_id) ?? { valueIds: [] as number[], expiresAt: new Map<number, number | null>(), sources: new Map<number, string>() };
      entry.valueIds.push(row.value_id);
      entry.expiresAt.set(row.value_id, row.expires_at);
      entry.sources.set(row.value_id, row.source);
      current.set(row.customer_id, entry);
    }
  }
  return current;
}

/**
 * Records as expired, and takes out of `current`, the assignments whose expiry has passed,
 * before a change by hand is planned: from its expiry on an assignment is gone whether or not
 * the sweeper has come by, so giving the value again is an add and removing it removes nothing,
 * and the tag history says so.
 */
async function expireDue(context: WorkspaceContext, db: Db, tag: TagDefinition, current: Awaited<ReturnType<typeof loadCurrentValues>>, now: number): Promise<HistoryRow[]> {
  const due: { customerId: number; valueId: number; expiresAt: number }[] = [];
  for (const [customerId, held] of current) {
    const gone = new Set<number>();
    for (const [valueId, expiresAt] of held.expiresAt) {
      if (expiresAt === null || isStillHeld(expiresAt, now)) continue;
      due.push({ customerId, valueId, expiresAt });
      gone.add(valueId);
    }
    if (gone.size > 0) held.valueIds = held.valueIds.filter((valueId) => !gone.has(valueId));
  }
  if (due.length === 0) return [];
  const sources = new Map<string, string>();
  for (const part of chunks(due, IDS_PER_QUERY)) {
    const rows = await db
      .selectFrom('assignments')
      .select(['customer_id', 'value_id', 'source'])
      .where('tag_id', '=', tag.id)
      .where('customer_id', 'in', part.map((pair) => pair.customerId))
      .where(expiredBy(now))
      .execute();
    for (const row of rows) sources.set(`${row.customer_id}:${row.value_id}`, row.source);
  }
  await deletePairs(db, due);
  const names = new Map(tag.values.map((value) => [value.id, value.name]));
  return due.map((pair) => ({
    workspace_id: context.workspaceId,
    customer_id: pair.customerId,
    tag_id: tag.id,
    value_id: pair.valueId,
    previous_value_id: null,
    action: 'expire',
    label: formatTagLabel(tag.name, names.get(pair.valueId) ?? '?'),
    source: sources.get(`${pair.customerId}:${pair.valueId}`) ?? 'manual',
    actor: 'system',
    at: now,
    expires_at: pair.expiresAt,
  }));
}

/** Who is recorded: the named person, else what did it (by hand without a name is the console's). */
function unnamedActorOr(context: WorkspaceContext, source: AssignmentSource): string {
  return actorName(context, source === 'manual' ? 'console' : source);
}

export async function assignTag(context: WorkspaceContext, request: AssignRequest): Promise<AssignResult> {
  checkCustomerCount(request.customers.length);
  const now = context.now().getTime();
  checkExpiry(request.expiresAt, now);
  const actor = unnamedActorOr(context, request.source);
  return writeCustomers(context, async (trx, changed) => {
    const tag = await resolveAssignableTag(context, request.tag, trx);
    const value = getTagValue(tag, request.value);
    const ids = await requireCustomerIds(context, request.customers, trx);
    const customerIds = [...new Set(ids.values())];
    const current = await loadCurrentValues(trx, tag.id, customerIds);
    const expired = await expireDue(context, trx, tag, current, now);
    const expiresAt = resolveExpiry(now, request.expiresAt, tag.defaultExpiryDays);
    const valueNames = new Map(tag.values.map((v) => [v.id, v.name]));

    const inserts = [];
    const replacedPairs: { customerId: number; valueId: number }[] = [];
    const refreshExpiry: number[] = [];
    // Customers given by hand the value their rule gave them: the value is now the hand's, and
    // pins as any value given by hand does (the rule leaves it alone until it is removed: the
    // whole tag when single-valued, that value alone when multi-valued).
    const pinned: number[] = [];
    const history: HistoryRow[] = [...expired];
    let unchanged = 0;
    for (const customerId of customerIds) {
      const held = current.get(customerId);
      const plan = planAssignment(tag.cardinality, held?.valueIds ?? [], value.id);
      if (plan.kind === 'unchanged') {
        unchanged++;
        if (request.expiresAt !== undefined && held?.expiresAt.get(value.id) !== expiresAt) refreshExpiry.push(customerId);
        if (tag.kind === 'rule' && request.source !== 'rule' && held?.sources.get(value.id) === 'rule') pinned.push(customerId);
        continue;
      }
      if (plan.kind === 'replace') replacedPairs.push({ customerId, valueId: plan.previousValueId });
      inserts.push({ workspace_id: context.workspaceId, customer_id: customerId, tag_id: tag.id, value_id: value.id, source: request.source, actor, assigned_at: now, expires_at: expiresAt });
      history.push({
        workspace_id: context.workspaceId,
        customer_id: customerId,
        tag_id: tag.id,
        value_id: value.id,
        previous_value_id: plan.kind === 'replace' ? plan.previousValueId : null,
        action: plan.kind,
        label: plan.kind === 'replace' ? `${formatTagLabel(tag.name, valueNames.get(plan.previousValueId) ?? '?')} → ${value.name}` : formatTagLabel(tag.name, value.name),
        source: request.source,
        actor,
        at: now,
        expires_at: expiresAt,
      });
    }
    const touched = [...new Set([...inserts.map((row) => row.customer_id), ...refreshExpiry, ...pinned])];
    const before = request.undoable && touched.length > 0 ? await heldAssignments(trx, tag.id, touched) : undefined;
    await deletePairs(trx, replacedPairs);
    for (const part of chunks(inserts, rowsPerInsert(8))) await trx.insertInto('assignments').values(part).execute();
    for (const part of chunks(refreshExpiry, IDS_PER_QUERY)) {
      await trx.updateTable('assignments').set({ expires_at: expiresAt }).where('value_id', '=', value.id).where('customer_id', 'in', part).execute();
    }
    for (const part of chunks(pinned, IDS_PER_QUERY)) {
      await trx.updateTable('assignments').set({ source: request.source, actor }).where('value_id', '=', value.id).where('customer_id', 'in', part).execute();
    }
    await insertHistory(trx, history);
    const operation = before ? await recordTaggingOperation(context, trx, { tag, action: 'assign', valueId: value.id, source: request.source, actor, at: now }, new Map(touched.map((id) => [id, before.get(id) ?? []]))) : undefined;
    const propagation = await propagateTags(context, trx, customerIds, new Set([tag.id]), operation === undefined ? undefined : { caused_by_operation: operation });
    for (const id of [...history.map((row) => row.customer_id), ...propagation.changed]) changed.add(id);
    return {
      matched: customerIds.length,
      added: inserts.length - replacedPairs.length,
      replaced: replacedPairs.length,
      unchanged,
      renewed: refreshExpiry.length,
      changed: inserts.length,
      ...(operation === undefined ? {} : { operation }),
    };
  });
}

async function deletePairs(db: Db, pairs: { customerId: number; valueId: number }[]): Promise<void> {
  const byValue = new Map<number, number[]>();
  for (const pair of pairs) byValue.set(pair.valueId, [...(byValue.get(pair.valueId) ?? []), pair.customerId]);
  for (const [valueId, customerIds] of byValue) {
    for (const part of chunks(customerIds, IDS_PER_QUERY)) {
      await db.deleteFrom('assignments').where('value_id', '=', valueId).where('customer_id', 'in', part).execute();
    }
  }
}

export async function removeTag(context: WorkspaceContext, request: RemoveRequest): Promise<RemoveResult> {
  checkCustomerCount(request.customers.length);
  const now = context.now().getTime();
  const actor = unnamedActorOr(context, request.source);
  return writeCustomers(context, async (trx, changed) => {
    const tag = await resolveAssignableTag(context, request.tag, trx);
    const only: TagValue | undefined = request.value === undefined ? undefined : getTagValue(tag, request.value);
    const ids = await requireCustomerIds(context, request.customers, trx);
    const customerIds = [...new Set(ids.values())];
    const current = await loadCurrentValues(trx, tag.id, customerIds);
    const expired = await expireDue(context, trx, tag, current, now);
    const names = new Map(tag.values.map((v) => [v.id, v.name]));
    const pairs: { customerId: number; valueId: number }[] = [];
    for (const [customerId, held] of current) {
      for (const valueId of held.valueIds) if (only === undefined || only.id === valueId) pairs.push({ customerId, valueId });
    }
    const touched = [...new Set(pairs.map((pair) => pair.customerId))];
    const before = request.undoable && touched.length > 0 ? await heldAssignments(trx, tag.id, touched) : undefined;
    await deletePairs(trx, pairs);
    await insertHistory(trx, [
      ...expired,
      ...pairs.map((pair) => ({
        workspace_id: context.workspaceId,
        customer_id: pair.customerId,
        tag_id: tag.id,
        value_id: pair.valueId,
        previous_value_id: null,
        action: 'remove',
        label: formatTagLabel(tag.name, names.get(pair.valueId) ?? '?'),
        source: request.source,
        actor,
        at: now,
        expires_at: null,
      })),
    ]);
    const operation = before ? await recordTaggingOperation(context, trx, { tag, action: 'remove', valueId: only?.id ?? null, source: request.source, actor, at: now }, before) : undefined;
    const propagation = await propagateTags(context, trx, customerIds, new Set([tag.id]), operation === undefined ? undefined : { caused_by_operation: operation });
    for (const id of [...expired.map((row) => row.customer_id), ...pairs.map((pair) => pair.customerId), ...propagation.changed]) changed.add(id);
    return { matched: customerIds.length, removed: pairs.length, ...(operation === undefined ? {} : { operation }) };
  });
}

/**
 * Removes the workspace's assignments whose expiry has passed, recording each as expired,
 * and re-evaluates the rules that read those tags. One transaction: a crash loses nothing.
 */
export async function sweepExpiredAssignments(context: WorkspaceContext): Promise<number> {
  const now = context.now().getTime();
  return writeCustomers(context, async (trx, changed) => {
    const due = await trx
      .selectFrom('assignments')
      .innerJoin('tags', 'tags.id', 'assignments.tag_id')
      .innerJoin('tag_values', 'tag_values.id', 'assignments.value_id')
      .select([
        'assignments.customer_id',
        'assignments.tag_id',
        'assignments.value_id',
        'assignments.source',
        'assignments.expires_at',
        'tags.name as tag_name',
        'tag_values.name as value_name',
      ])
      .where('assignments.workspace_id', '=', context.workspaceId)
      .where(expiredBy(now))
      .execute();
    if (due.length === 0) return 0;
    await deletePairs(trx, due.map((row) => ({ customerId: row.customer_id, valueId: row.value_id })));
    await insertHistory(
      trx,
      due.map((row) => ({
        workspace_id: context.workspaceId,
        customer_id: row.customer_id,
        tag_id: row.tag_id,
        value_id: row.value_id,
        previous_value_id: null,
        action: 'expire',
        label: formatTagLabel(row.tag_name, row.value_name),
        source: row.source,
        actor: 'system',
        at: now,
        expires_at: row.expires_at,
      })),
    );
    const customers = [...new Set(due.map((row) => row.customer_id))];
    const propagation = await propagateTags(context, trx, customers, new Set(due.map((row) => Number(row.tag_id))));
    for (const id of [...customers, ...propagation.changed]) changed.add(id);
    return due.length;
  });
}
