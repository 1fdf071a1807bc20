// How a tag's holders moved over a period, read back from the tag history: for every live
// customer, what they held at the start and at the end (the last change at or before each
// instant), counted per value and, for a single-valued tag, per flow between values.
import { fieldError } from '../core/errors.js';
import { localized } from '../core/locale.js';
import type { TagDefinition } from '../core/tag.js';
import { DAY_MS, toIso } from '../core/time.js';
import { countTransitions, heldPairsOf, personPairs, type CurrentAssignment, type HeldPair, type TagChange, type TagTransitionCounts } from '../core/transitions.js';
import type { Transaction } from 'kysely';
import { IDS_PER_QUERY, chunks } from '../store/chunks.js';
import type { Database } from '../store/schema.js';
import { selectTuples } from '../store/tuples.js';
import { loadWorkspaceCatalog } from './catalog.js';
import type { WorkspaceContext } from './context.js';
import { MERGE_SOURCE } from './history.js';
import { loadMemberRows, type MemberRow } from './segment-members.js';
import { getTag, getTagValue } from './tag-loading.js';

/** The period compared when none is given: the last 30 days. */
export const DEFAULT_TRANSITION_DAYS = 30;

export interface TransitionPeriod {
  from?: number | undefined;
  to?: number | undefined;
}

export interface TagTransitions extends TagTransitionCounts {
  tag: TagDefinition;
  from: number;
  to: number;
  /** Names of values the history holds but the tag no longer has, from the history's labels. */
  removedValues: Map<number, string>;
}

/**
 * The period with its defaults (the 30 days up to now), or VALIDATION_FAILED when it runs
 * backwards. An end in the future is now: nobody knows yet what customers will hold then, and a
 * browser's clock a little ahead of the server's must not be refused.
 */
export function resolvePeriod(context: WorkspaceContext, period: TransitionPeriod): { from: number; to: number } {
  const now = context.now().getTime();
  const to = Math.min(period.to ?? now, now);
  const from = period.from ?? to - DEFAULT_TRANSITION_DAYS * DAY_MS;
  if (from >= to) throw fieldError('query', 'from', localized('the period must start before it ends, and before now', '时间段的开始必须早于结束，并早于现在'));
  return { from, to };
}

/** Per value of the tag, who held it at each end of the period, gained and lost it; for a single-valued tag the flows too. */
export async function tagTransitions(context: WorkspaceContext, tagKey: string, period: TransitionPeriod = {}, holders?: CurrentHolders): Promise<TagTransitions> {
  const tag = await getTag(context, tagKey);
  const { from, to } = resolvePeriod(context, period);
  const held = await heldAtBothEnds(context, tag, from, to, holders);
  const counts = countTransitions(held.pairs, tag.cardinality === 'single', new Map([...held.unchanged].map(([valueId, ids]) => [valueId, ids.length])));
  const known = new Set(tag.values.map((value) => value.id));
  const removed = [...counts.values.keys()].filter((id) => !known.has(id));
  return { tag, from, to, ...counts, removedValues: await removedValueNames(context, tag, removed) };
}

export interface FlowQuery extends TransitionPeriod {
  /** A value key or name; null for customers who held none of the tag's values. */
  fromValue: string | null;
  toValue: string | null;
}

export interface FlowCustomers {
  tag: TagDefinition;
  from: number;
  to: number;
  /** The keys of the values at each end; null for none. */
  fromValue: string | null;
  toValue: string | null;
  /** In customer id order. */
  ids: number[];
}

/**
 * The customers of one flow: who held `fromValue` at the start and `toValue` at the end (null:
 * none of the tag's values). For a multi-valued tag each end speaks of one value: `- → golf` are
 * the customers who gained golf, whatever else they held, `golf → -` those who lost it.
 */
export async function flowCustomers(context: WorkspaceContext, tagKey: string, query: FlowQuery, holders?: CurrentHolders): Promise<FlowCustomers> {
  const tag = await getTag(context, tagKey);
  if (query.fromValue === null && query.toValue === null) {
    throw fieldError('query', 'from_value', localized('name a value at one end of the flow at least', '流转的两端至少要指定一个值'));
  }
  const fromValue = query.fromValue === null ? null : getTagValue(tag, query.fromValue);
  const toValue = query.toValue === null ? null : getTagValue(tag, query.toValue);
  // A multi-valued tag's values come and go one by one: its customers gain, keep or lose a value.
  if (tag.cardinality === 'multi' && fromValue !== null && toValue !== null && fromValue.id !== toValue.id) {
    throw fieldError(
      'query',
      'to_value',
      localized(
        `tag "${tag.key}" is multi-valued: its customers gain, keep or lose each value, so name the same value at both ends, or - at one`,
        `标签「${tag.name}」是多值标签：客户逐个获得、保持或失去各值，请在两端写同一个值，或在一端写 -`,
      ),
    );
  }
  const { from, to } = resolvePeriod(context, query);
  const held = await heldAtBothEnds(context, tag, from, to, holders);
  const stayed = fromValue !== null && fromValue.id === toValue?.id ? (held.unchanged.get(fromValue.id) ?? []) : [];
  const ids = held.pairs
    .filter((pair) => pair.start === (fromValue?.id ?? null) && pair.end === (toValue?.id ?? null))
    .map((pair) => pair.customerId)
    .concat(Array.from(stayed))
    .sort((a, b) => a - b);
  return { tag, from, to, fromValue: fromValue?.key ?? null, toValue: toValue?.key ?? null, ids };
}

/** A page of the customers of one flow, in customer id order. */
export async function flowMembers(context: WorkspaceContext, tagKey: string, query: FlowQuery & { offset: number; limit: number }, holders?: CurrentHolders): Promise<{ total: number; items: MemberRow[] }> {
  const { ids } = await flowCustomers(context, tagKey, query, holders);
  const page = ids.slice(query.offset, query.offset + query.limit);
  return { total: ids.length, items: await loadMemberRows(context, await loadWorkspaceCatalog(context), page, []) };
}

/**
 * Who holds each value now, by value id, in ascending customer ids: the index's bitmaps. With
 * it, a single-valued tag's transitions read from the store only the period's changes and the
 * few expiring assignments, not every holder.
 */
export type CurrentHolders = (valueIds: readonly number[]) => Promise<Map<number, Uint32Array>>;

interface HeldAtBothEnds {
  /** Customers (of a multi-valued tag: customer and value) whose holding may have changed, each with what they held at either end. */
  pairs: HeldPair[];
  /** Per value, the customers who held it throughout with no change: left out of `pairs`. */
  unchanged: Map<number, Uint32Array>;
}

/**
 * What live customers held of the tag at `from` and at `to`: its assignments now, rewound by its
 * changes after `from` (see `heldPairsOf`). Read in one transaction, so they agree. With
 * `holders` (a single-valued tag), only customers with a change in the period or an expiring
 * assignment are rewound one by one; everyone else held their value throughout, and is counted
 * per value from the index. The index follows commits within milliseconds, so a change made in
 * those milliseconds may be counted as not made yet.
 */
async function heldAtBothEnds(context: WorkspaceContext, tag: TagDefinition, from: number, to: number, holders: CurrentHolders | undefined): Promise<HeldAtBothEnds> {
  const single = tag.cardinality === 'single';
  const bulk = single && holders !== undefined;
  // In a transaction too so that SQLite hands the rows over as arrays (selectTuples): at a
  // million holders an object per row cost as much as the query.
  const [current, changes, records] = await context.store.db.transaction().setAccessMode('read only').execute(async (trx) => {
    let assignments = trx.selectFrom('assignments').select(['customer_id', 'value_id', 'expires_at']).where('tag_id', '=', tag.id);
    // Read through the index of expiring assignments: the rest are the index's.
    if (bulk) assignments = assignments.where('workspace_id', '=', context.workspaceId).where('expires_at', 'is not', null);
    const history = trx
      .selectFrom('tag_history')
      .select(['customer_id', 'action', 'value_id', 'previous_value_id', 'expires_at', 'at', 'recorded_for', 'source'])
      .where('workspace_id', '=', context.workspaceId)
      .where('tag_id', '=', tag.id)
      .where('at', '>', from)
      // Each record of a merged person is rewound on its own, by its own changes and what the merge
      // did to it (the duplicate lost all it held, the survivor gained what it took over); the copy
      // the survivor dropped of a value it held itself is the duplicate's loss, recorded so already.
      .where((eb) => eb.or([eb('source', '=', MERGE_SOURCE), eb('merged_from', 'is', null)]))
      .orderBy('at')
      .orderBy('id');
    const changed = await selectTuples(context.store, trx, history, ['customer_id', 'action', 'value_id', 'previous_value_id', 'expires_at', 'at', 'recorded_for', 'source']);
    return [await selectTuples(context.store, trx, assignments, ['customer_id', 'value_id', 'expires_at']), changed, await mergedRecords(trx, context.workspaceId, changed)] as const;
  });
  const instant = (value: number | string | null) => (value === null ? null : Number(value));
  const assignments: CurrentAssignment[] = current.map(([customerId, valueId, expiresAt]) => ({ customerId: Number(customerId), valueId: Number(valueId), expiresAt: instant(expiresAt) }));
  // A change of a duplicate's record (moved to the survivor, or the merge's removal from the
  // duplicate itself) is rewound as that record's, and counted for the person it joined.
  const personOf = new Map<number, number>();
  const tagChanges: TagChange[] = changes.map(([customerId, action, valueId, previousValueId, expiresAt, at, recordedFor, source]) => {
    const own = Number(customerId);
    const record = recordedFor === null ? own : (records.ids.get(recordedFor) ?? own);
    const person = source === MERGE_SOURCE && action === 'remove' ? (records.persons.get(own) ?? own) : own;
    if (record !== person) personOf.set(record, person);
    return { customerId: record, action, valueId: Number(valueId), previousValueId: instant(previousValueId), expiresAt: instant(expiresAt), at: Number(at) };
  });
  const unchanged = new Map<number, Uint32Array>();
  if (bulk) {
    const rewound = new Set([...tagChanges.map((change) => personOf.get(change.customerId) ?? change.customerId), ...assignments.map((assignment) => assignment.customerId)]);
    const expiring = new Set(assignments.map((assignment) => assignment.customerId));
    for (const [valueId, ids] of await holders(tag.values.map((value) => value.id))) {
      const kept = ids.filter((id) => !rewound.has(id));
      unchanged.set(valueId, kept);
      // Those rewound hold this value now, unless an expiring assignment said so already.
      if (kept.length < ids.length) for (const id of ids) if (rewound.has(id) && !expiring.has(id)) assignments.push({ customerId: id, valueId, expiresAt: null });
    }
  }
  return { pairs: personPairs(heldPairsOf(assignments, tagChanges, from, to, single), personOf, single), unchanged };
}

/**
 * The records the changes name that were merged into another: by the external id a moved change
 * was recorded for, their ids; by their ids (a merge's removal from the duplicate), the person
 * each joined.
 */
async function mergedRecords(trx: Transaction<Database>, workspaceId: number, changes: readonly (readonly [number, string, number, number | null, number | null, number, string | null, string])[]) {
  const externalIds = [...new Set(changes.flatMap(([, , , , , , recordedFor]) => (recordedFor === null ? [] : [recordedFor])))];
  const duplicates = [...new Set(changes.flatMap(([customerId, action, , , , , , source]) => (source === MERGE_SOURCE && action === 'remove' ? [Number(customerId)] : [])))];
  const ids = new Map<string, number>();
  const persons = new Map<number, number>();
  for (const part of chunks(externalIds, IDS_PER_QUERY)) {
    for (const row of await trx.selectFrom('customers').select(['id', 'external_id']).where('workspace_id', '=', workspaceId).where('external_id', 'in', part).execute()) ids.set(row.external_id, Number(row.id));
  }
  for (const part of chunks(duplicates, IDS_PER_QUERY)) {
    for (const row of await trx.selectFrom('customers').select(['id', 'merged_into']).where('id', 'in', part).execute()) if (row.merged_into !== null) persons.set(Number(row.id), Number(row.merged_into));
  }
  return { ids, persons };
}

/**
 * `name: value` labels keep the value's name after it is removed from the tag; the first
 * assignment's, since later ones may carry a note (a merge's).
 */
async function removedValueNames(context: WorkspaceContext, tag: TagDefinition, valueIds: readonly number[]): Promise<Map<number, string>> {
  const names = new Map<number, string>();
  if (valueIds.length === 0) return names;
  const { db } = context.store;
  const first = db
    .selectFrom('tag_history')
    .select((eb) => eb.fn.min('id').as('id'))
    .where('workspace_id', '=', context.workspaceId)
    .where('tag_id', '=', tag.id)
    .where('value_id', 'in', [...valueIds])
    .where('action', 'in', ['add', 'replace'])
    .groupBy('value_id');
  const rows = await db.selectFrom('tag_history as h').innerJoin(first.as('first'), 'first.id', 'h.id').select(['h.value_id', 'h.label']).execute();
  for (const row of rows) {
    const separator = row.label.indexOf(': ');
    names.set(Number(row.value_id), separator < 0 ? row.label : row.label.slice(separator + 2));
  }
  return names;
}

/** Transitions as `GET /api/v1/tags/{tag}/transitions` answers them and `tagbase tag transitions --json` prints them. */
export function transitionsToJson(found: TagTransitions) {
  const { tag } = found;
  const ref = (valueId: number | null) => {
    if (valueId === null) return null;
    const value = tag.values.find((candidate) => candidate.id === valueId);
    return value ? { key: value.key, name: value.name } : { key: null, name: found.removedValues.get(valueId) ?? '' };
  };
  const movement = (valueId: number) => found.values.get(valueId) ?? { heldFrom: 0, heldTo: 0, gained: 0, lost: 0 };
  const counts = (valueId: number) => {
    const { heldFrom, heldTo, gained, lost } = movement(valueId);
    return { held_from: heldFrom, held_to: heldTo, gained, lost };
  };
  return {
    tag: { key: tag.key, name: tag.name, cardinality: tag.cardinality, ordered: tag.ordered },
    from: toIso(found.from),
    to: toIso(found.to),
    customers_from: found.holdersFrom,
    customers_to: found.holdersTo,
    entered: found.entered,
    left: found.left,
    stayed: found.stayed,
    moved: found.moved,
    values: [
      ...tag.values.map((value) => ({ key: value.key, name: value.name, color: value.color, removed: false, ...counts(value.id) })),
      ...[...found.removedValues.keys()].map((valueId) => ({ key: null, name: found.removedValues.get(valueId) ?? '', color: null, removed: true, ...counts(valueId) })),
    ],
    flows: found.flows.map((flow) => ({ from: ref(flow.from), to: ref(flow.to), customers: flow.customers })),
  };
}
