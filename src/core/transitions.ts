// How customers move between a tag's values over a period (「RFM等级」 from 重要价值 to 重要挽留
// between two dates): what each customer held at the start and at the end, read back from the
// tag history, and the flows between values that come of it.
import { isStillHeld } from './tag.js';

/** An assignment of the tag as it stands now. */
export interface CurrentAssignment {
  customerId: number;
  valueId: number;
  expiresAt: number | null;
}

/** A change of the tag after the start of the period, as the tag history records it. */
export interface TagChange {
  customerId: number;
  action: string;
  valueId: number;
  previousValueId: number | null;
  expiresAt: number | null;
  at: number;
}

/**
 * What a customer held (of a multi-valued tag: whether they held `change.valueId`) just before
 * `change`, the first change after the instant asked about: an add followed nothing; a replace
 * followed its previous value; a removal or an expiry followed the value itself, unless the
 * expiry had already passed at `at` (an assignment counts as gone from its expiry on, though the
 * sweeper records it later).
 */
export function heldBefore(change: TagChange, at: number): number | null {
  switch (change.action) {
    case 'add':
      return null;
    case 'replace':
      return change.previousValueId;
    case 'expire':
      return isStillHeld(change.expiresAt, at) ? change.valueId : null;
    default:
      return change.valueId;
  }
}

/** An assignment standing now, as held at an earlier `at` with no change since. */
function heldUnchanged(assignment: CurrentAssignment | undefined, at: number): number | null {
  if (!assignment) return null;
  return isStillHeld(assignment.expiresAt, at) ? assignment.valueId : null;
}

/**
 * What every customer held at `from` and at `to`, from the tag's assignments now and its changes
 * after `from` (in the order they happened): a customer with no change after an instant held then
 * what they hold now; otherwise what their first change after it followed. One pair per customer
 * of a single-valued tag, one per customer and value of a multi-valued one.
 */
export function heldPairsOf(current: Iterable<CurrentAssignment>, changes: Iterable<TagChange>, from: number, to: number, singleValued: boolean): HeldPair[] {
  // A key per customer, or per customer and value: customer ids stay below 2^31 and a tag's
  // values (removed ones included) below 2^21, so the key is an exact integer.
  const slots = new Map<number, number>();
  const keyOf = (customerId: number, valueId: number) => {
    if (singleValued) return customerId;
    let slot = slots.get(valueId);
    if (slot === undefined) slots.set(valueId, (slot = slots.size));
    return customerId * 2_097_152 + slot;
  };
  const now = new Map<number, CurrentAssignment>();
  for (const assignment of current) now.set(keyOf(assignment.customerId, assignment.valueId), assignment);
  const afterFrom = new Map<number, TagChange>();
  const afterTo = new Map<number, TagChange>();
  for (const change of changes) {
    const key = keyOf(change.customerId, change.valueId);
    if (!afterFrom.has(key)) afterFrom.set(key, change);
    if (change.at > to && !afterTo.has(key)) afterTo.set(key, change);
  }
  const pairs: HeldPair[] = [];
  const pairOf = (key: number, customerId: number) => {
    const assignment = now.get(key);
    const first = afterFrom.get(key);
    const last = afterTo.get(key);
    pairs.push({ customerId, start: first ? heldBefore(first, from) : heldUnchanged(assignment, from), end: last ? heldBefore(last, to) : heldUnchanged(assignment, to) });
  };
  for (const [key, assignment] of now) pairOf(key, assignment.customerId);
  for (const [key, change] of afterFrom) if (!now.has(key)) pairOf(key, change.customerId);
  return pairs;
}

/**
 * What one customer held at the start and at the end: their value of a single-valued tag, or,
 * for a multi-valued tag, one value (or null) at each end, one pair per value.
 */
export interface HeldPair {
  customerId: number;
  start: number | null;
  end: number | null;
}

export interface ValueMovement {
  valueId: number;
  heldFrom: number;
  heldTo: number;
  /** Held at the end, not at the start. */
  gained: number;
  /** Held at the start, not at the end. */
  lost: number;
}

/** One flow of a single-valued tag: how many customers went from one value (or none) to another (or none). */
export interface ValueFlow {
  from: number | null;
  to: number | null;
  customers: number;
}

export interface TagTransitionCounts {
  /** Customers holding any of the tag's values at the start, and at the end. */
  holdersFrom: number;
  holdersTo: number;
  /** Customers who held none of the values at the start and some at the end, and the reverse. */
  entered: number;
  left: number;
  /** Of a single-valued tag: customers who kept their value, and who hold another one at the end; null for a multi-valued tag. */
  stayed: number | null;
  moved: number | null;
  values: Map<number, ValueMovement>;
  /** Every pair but none → none, for a single-valued tag, most customers first (ties by the values' ids, none first); empty for a multi-valued one. */
  flows: ValueFlow[];
}

const HELD_AT_START = 1;
const HELD_AT_END = 2;

/**
 * Per value, how many held it at each end, gained and lost it; for a single-valued tag also the
 * flows. `unchanged` counts, per value, customers of a single-valued tag left out of `pairs`
 * because they held the value throughout with no change.
 */
export function countTransitions(pairs: Iterable<HeldPair>, singleValued: boolean, unchanged: ReadonlyMap<number, number> = new Map()): TagTransitionCounts {
  const values = new Map<number, ValueMovement>();
  const movement = (valueId: number) => {
    let found = values.get(valueId);
    if (!found) values.set(valueId, (found = { valueId, heldFrom: 0, heldTo: 0, gained: 0, lost: 0 }));
    return found;
  };
  const flows = new Map<string, ValueFlow>();
  const flow = (from: number | null, to: number | null, customers: number) => {
    const key = `${from}>${to}`;
    const found = flows.get(key);
    if (found) found.customers += customers;
    else flows.set(key, { from, to, customers });
  };
  // Per customer, whether they held any value at each end; a multi-valued tag's customer has several pairs.
  const held = new Map<number, number>();
  for (const { customerId, start, end } of pairs) {
    if (start === null && end === null) continue;
    if (start !== null) {
      const counted = movement(start);
      counted.heldFrom++;
      if (end !== start) counted.lost++;
    }
    if (end !== null) {
      const counted = movement(end);
      counted.heldTo++;
      if (start !== end) counted.gained++;
    }
    held.set(customerId, (held.get(customerId) ?? 0) | (start === null ? 0 : HELD_AT_START) | (end === null ? 0 : HELD_AT_END));
    if (singleValued) flow(start, end, 1);
  }
  const counts = { holdersFrom: 0, holdersTo: 0, entered: 0, left: 0 };
  for (const [valueId, customers] of singleValued ? unchanged : []) {
    if (customers === 0) continue;
    const counted = movement(valueId);
    counted.heldFrom += customers;
    counted.heldTo += customers;
    counts.holdersFrom += customers;
    counts.holdersTo += customers;
    flow(valueId, valueId, customers);
  }
  for (const bits of held.values()) {
    if (bits & HELD_AT_START) counts.holdersFrom++;
    if (bits & HELD_AT_END) counts.holdersTo++;
    if (bits === HELD_AT_END) counts.entered++;
    if (bits === HELD_AT_START) counts.left++;
  }
  const all = [...flows.values()];
  const total = (keep: (flow: ValueFlow) => boolean) => (singleValued ? all.reduce((sum, flow) => sum + (keep(flow) ? flow.customers : 0), 0) : null);
  return {
    ...counts,
    stayed: total((flow) => flow.from !== null && flow.from === flow.to),
    moved: total((flow) => flow.from !== null && flow.to !== null && flow.from !== flow.to),
    values,
    // Ties by the values' ids, none first: the order the pairs came in differs between stores.
    flows: all.sort((a, b) => b.customers - a.customers || (a.from ?? 0) - (b.from ?? 0) || (a.to ?? 0) - (b.to ?? 0)),
  };
}

/**
 * A merged person's pairs from those of each of its records, rewound one by one (a duplicate's
 * changes before the merge are its own, not the survivor's): at each end the person held what
 * the surviving record held, or when it held none of a single-valued tag, what a duplicate held
 * (a merge keeps the survivor's value, and takes a duplicate's over otherwise); a value of a
 * multi-valued tag when any record held it. `personOf` maps each duplicate to its person.
 */
export function personPairs(pairs: readonly HeldPair[], personOf: ReadonlyMap<number, number>, singleValued: boolean): HeldPair[] {
  if (personOf.size === 0) return [...pairs];
  const groups = new Map<string, (HeldPair & { record: number })[]>();
  for (const pair of pairs) {
    const person = personOf.get(pair.customerId) ?? pair.customerId;
    const key = singleValued ? `${person}` : `${person}:${pair.start ?? pair.end}`;
    const group = groups.get(key);
    const own = { ...pair, customerId: person, record: pair.customerId };
    if (group) group.push(own);
    else groups.set(key, [own]);
  }
  return [...groups.values()].map((group) => {
    const [first] = group;
    // The survivor's own record first, then the duplicates by id: the first that held something is read.
    const records = group.sort((a, b) => Number(b.record === b.customerId) - Number(a.record === a.customerId) || a.record - b.record);
    const held = (end: 'start' | 'end') => records.find((pair) => pair[end] !== null)?.[end] ?? null;
    return { customerId: first?.customerId ?? 0, start: held('start'), end: held('end') };
  });
}
