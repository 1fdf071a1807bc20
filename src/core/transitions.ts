// How customers move between a tag's values over a period (「RFM等级」 from 重要价值 to 重要挽留
// between two dates): what each customer held at the start and at the end, read back from the
// tag history, and the flows between values that come of it.

/**
 * The value a customer's last change of a tag (of one value, for a multi-valued tag) leaves
 * them holding at `at`, or null for none. An assignment whose expiry had passed by then is not
 * held, though the sweeper may record its expiry later.
 */
export function valueHeldAt(action: string, valueId: number, expiresAt: number | null, at: number): number | null {
  if (action !== 'add' && action !== 'replace') return null;
  return expiresAt !== null && expiresAt <= at ? null : valueId;
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
  values: Map<number, ValueMovement>;
  /** Every pair but none → none, for a single-valued tag, most customers first; empty for a multi-valued one. */
  flows: ValueFlow[];
}

const HELD_AT_START = 1;
const HELD_AT_END = 2;

/** Per value, how many held it at each end, gained and lost it; for a single-valued tag also the flows. */
export function countTransitions(pairs: Iterable<HeldPair>, singleValued: boolean): TagTransitionCounts {
  const values = new Map<number, ValueMovement>();
  const movement = (valueId: number) => {
    let found = values.get(valueId);
    if (!found) values.set(valueId, (found = { valueId, heldFrom: 0, heldTo: 0, gained: 0, lost: 0 }));
    return found;
  };
  const flows = new Map<string, ValueFlow>();
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
    if (!singleValued) continue;
    const key = `${start}>${end}`;
    const flow = flows.get(key);
    if (flow) flow.customers++;
    else flows.set(key, { from: start, to: end, customers: 1 });
  }
  const counts = { holdersFrom: 0, holdersTo: 0, entered: 0, left: 0 };
  for (const bits of held.values()) {
    if (bits & HELD_AT_START) counts.holdersFrom++;
    if (bits & HELD_AT_END) counts.holdersTo++;
    if (bits === HELD_AT_END) counts.entered++;
    if (bits === HELD_AT_START) counts.left++;
  }
  return { ...counts, values, flows: [...flows.values()].sort((a, b) => b.customers - a.customers) };
}
