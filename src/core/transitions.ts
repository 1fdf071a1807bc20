// How customers move between a tag's values over a period (「RFM等级」 from 重要价值 to 重要挽留
// between two dates): what each customer held at the start and at the end, read back from the
// tag history, and the flows between values that come of it.

/** A customer's last history row for a tag (or for one value of a multi-valued tag) at or before an instant. */
export interface LastTagChange {
  customerId: number;
  action: string;
  valueId: number;
  /** The assignment's expiry as recorded with the change. */
  expiresAt: number | null;
}

/**
 * The value a change leaves the customer holding at `at`, or null for none. An assignment whose
 * expiry had passed by then is not held, though the sweeper may record its expiry later.
 */
export function valueHeldAt(change: LastTagChange, at: number): number | null {
  if (change.action !== 'add' && change.action !== 'replace') return null;
  return change.expiresAt !== null && change.expiresAt <= at ? null : change.valueId;
}

/** Who held which values at one instant: customer → the value ids held. */
export type HeldValues = Map<number, Set<number>>;

export function heldValues(changes: Iterable<LastTagChange>, at: number): HeldValues {
  const held: HeldValues = new Map();
  for (const change of changes) {
    const value = valueHeldAt(change, at);
    if (value === null) continue;
    const values = held.get(change.customerId);
    if (values) values.add(value);
    else held.set(change.customerId, new Set([value]));
  }
  return held;
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
  /** Every pair but none → none, for a single-valued tag; empty for a multi-valued one. */
  flows: ValueFlow[];
}

/** Per value, how many held it at each end, gained and lost it; for a single-valued tag also the flows. */
export function countTransitions(start: HeldValues, end: HeldValues, singleValued: boolean): TagTransitionCounts {
  const values = new Map<number, ValueMovement>();
  const movement = (valueId: number) => {
    let found = values.get(valueId);
    if (!found) values.set(valueId, (found = { valueId, heldFrom: 0, heldTo: 0, gained: 0, lost: 0 }));
    return found;
  };
  const none = new Set<number>();
  for (const [customerId, held] of start) {
    const later = end.get(customerId) ?? none;
    for (const valueId of held) {
      const counted = movement(valueId);
      counted.heldFrom++;
      if (!later.has(valueId)) counted.lost++;
    }
  }
  for (const [customerId, held] of end) {
    const earlier = start.get(customerId) ?? none;
    for (const valueId of held) {
      const counted = movement(valueId);
      counted.heldTo++;
      if (!earlier.has(valueId)) counted.gained++;
    }
  }
  let entered = 0;
  let left = 0;
  for (const customerId of end.keys()) if (!start.has(customerId)) entered++;
  for (const customerId of start.keys()) if (!end.has(customerId)) left++;
  return { holdersFrom: start.size, holdersTo: end.size, entered, left, values, flows: singleValued ? countFlows(start, end) : [] };
}

function countFlows(start: HeldValues, end: HeldValues): ValueFlow[] {
  const flows = new Map<string, ValueFlow>();
  const add = (from: number | null, to: number | null) => {
    const key = `${from}>${to}`;
    const flow = flows.get(key);
    if (flow) flow.customers++;
    else flows.set(key, { from, to, customers: 1 });
  };
  const only = (held: Set<number> | undefined) => (held === undefined ? null : (held.values().next().value ?? null));
  for (const [customerId, held] of start) add(only(held), only(end.get(customerId)));
  for (const [customerId, held] of end) if (!start.has(customerId)) add(null, only(held));
  return [...flows.values()].sort((a, b) => b.customers - a.customers);
}
