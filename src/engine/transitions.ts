// How a tag's holders moved over a period, read back from the tag history: for every live
// customer, what they held at the start and at the end (the last change at or before each
// instant), counted per value and, for a single-valued tag, per flow between values.
import { TagbaseError } from '../core/errors.js';
import { localized } from '../core/locale.js';
import type { TagDefinition } from '../core/tag.js';
import { DAY_MS } from '../core/time.js';
import { countTransitions, valueHeldAt, type HeldPair, type TagTransitionCounts } from '../core/transitions.js';
import { selectTuples } from '../store/tuples.js';
import { loadWorkspaceCatalog } from './catalog.js';
import type { WorkspaceContext } from './context.js';
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
  if (from >= to) throw new TagbaseError('VALIDATION_FAILED', { detail: localized('the period must start before it ends, and before now', '时间段的开始必须早于结束，并早于现在') });
  return { from, to };
}

/** Per value of the tag, who held it at each end of the period, gained and lost it; for a single-valued tag the flows too. */
export async function tagTransitions(context: WorkspaceContext, tagKey: string, period: TransitionPeriod = {}): Promise<TagTransitions> {
  const tag = await getTag(context, tagKey);
  const { from, to } = resolvePeriod(context, period);
  const counts = countTransitions(await heldPairs(context, tag, from, to), tag.cardinality === 'single');
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
export async function flowCustomers(context: WorkspaceContext, tagKey: string, query: FlowQuery): Promise<FlowCustomers> {
  const tag = await getTag(context, tagKey);
  if (query.fromValue === null && query.toValue === null) {
    throw new TagbaseError('VALIDATION_FAILED', { detail: localized('name a value at one end of the flow at least', '流转的两端至少要指定一个值') });
  }
  const fromValue = query.fromValue === null ? null : getTagValue(tag, query.fromValue);
  const toValue = query.toValue === null ? null : getTagValue(tag, query.toValue);
  // A multi-valued tag's values come and go one by one: its customers gain, keep or lose a value.
  if (tag.cardinality === 'multi' && fromValue !== null && toValue !== null && fromValue.id !== toValue.id) {
    throw new TagbaseError('VALIDATION_FAILED', {
      detail: localized(
        `tag "${tag.key}" is multi-valued: its customers gain, keep or lose each value, so name the same value at both ends, or - at one`,
        `标签「${tag.name}」是多值标签：客户逐个获得、保持或失去各值，请在两端写同一个值，或在一端写 -`,
      ),
    });
  }
  const { from, to } = resolvePeriod(context, query);
  const ids = (await heldPairs(context, tag, from, to))
    .filter((pair) => pair.start === (fromValue?.id ?? null) && pair.end === (toValue?.id ?? null))
    .map((pair) => pair.customerId)
    .sort((a, b) => a - b);
  return { tag, from, to, fromValue: fromValue?.key ?? null, toValue: toValue?.key ?? null, ids };
}

/** A page of the customers of one flow, in customer id order. */
export async function flowMembers(context: WorkspaceContext, tagKey: string, query: FlowQuery & { offset: number; limit: number }): Promise<{ total: number; items: MemberRow[] }> {
  const { ids } = await flowCustomers(context, tagKey, query);
  const page = ids.slice(query.offset, query.offset + query.limit);
  return { total: ids.length, items: await loadMemberRows(context, await loadWorkspaceCatalog(context), page, []) };
}

/**
 * What live customers held of the tag at `from` and at `to`: the last history row at or before
 * each instant per customer (per customer and value for a multi-valued tag, whose values come
 * and go apart), both found in one pass over the tag's history.
 */
async function heldPairs(context: WorkspaceContext, tag: TagDefinition, from: number, to: number): Promise<HeldPair[]> {
  // In a transaction, so that SQLite hands the rows over as arrays (selectTuples): at 100,000
  // customers building an object per row cost as much as the query.
  const rows = await context.store.db.transaction().execute((trx) => {
    const last = trx
      .selectFrom('tag_history')
      .select((eb) => ['customer_id', eb.fn.max(eb.case().when('at', '<=', from).then(eb.ref('id')).end()).as('start_id'), eb.fn.max('id').as('end_id')])
      .where('workspace_id', '=', context.workspaceId)
      .where('tag_id', '=', tag.id)
      .where('at', '<=', to)
      .groupBy(tag.cardinality === 'single' ? ['customer_id'] : ['customer_id', 'value_id']);
    const query = trx
      .selectFrom(last.as('last'))
      .innerJoin('customers as c', 'c.id', 'last.customer_id')
      .innerJoin('tag_history as e', 'e.id', 'last.end_id')
      .leftJoin('tag_history as s', 's.id', 'last.start_id')
      .where('c.merged_into', 'is', null)
      .select(['last.customer_id', 's.action as start_action', 's.value_id as start_value', 's.expires_at as start_expires', 'e.action as end_action', 'e.value_id as end_value', 'e.expires_at as end_expires']);
    return selectTuples(context.store, trx, query, ['customer_id', 'start_action', 'start_value', 'start_expires', 'end_action', 'end_value', 'end_expires']);
  });
  const instant = (value: number | string | null) => (value === null ? null : Number(value));
  return rows.map(([customerId, startAction, startValue, startExpires, endAction, endValue, endExpires]) => ({
    customerId: Number(customerId),
    start: startAction === null || startValue === null ? null : valueHeldAt(startAction, Number(startValue), instant(startExpires), from),
    end: valueHeldAt(endAction, Number(endValue), instant(endExpires), to),
  }));
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
