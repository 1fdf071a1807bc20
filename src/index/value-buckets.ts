// Value-ordered buckets of a number column, so that a range query costs a few bitmap
// operations instead of a pass over every customer's value.
import { Bitmap, bitmapBytes } from './roaring.js';

/**
 * What a number predicate asks of one value, in a form a value-ordered structure can answer:
 * `accept` must depend on the value only through `signs`, each of which is non-decreasing in
 * the value over `[monotoneFrom, monotoneTo)`. Then, between two values where no sign changes,
 * every value is accepted alike, and a run of values sorted between them is taken or left whole.
 */
export interface NumberTest {
  accept: (value: number) => boolean;
  signs: readonly ((value: number) => number)[];
  monotoneFrom: number;
  monotoneTo: number;
}

/** Tunables of the value-ordered buckets of a number column; tests shrink them. */
export const numberBucketSettings = {
  /** A column with fewer values is scanned: building buckets would not pay. */
  minValues: 8192,
  /** Fine buckets per column (fewer when the column is small): their bounds are walked per query. */
  fineBuckets: 1024,
  /** Fewest ids in a fine bucket, so the bitmaps do not cost more than the ids they hold. */
  minFineSize: 256,
  /**
   * Fine buckets between two stored unions of every bucket below a point (`below`). Fewer means
   * fewer buckets to add or take away at each end of a range, and more memory: at a million
   * customers each union is up to 128 KiB, 32 of them per column with the defaults.
   */
  finePerStep: 32,
  /** Fewest members with a value whose median and quartiles are found by walking the buckets; fewer are read and sorted. */
  minRankWalk: 1024,
  /** Changed ids are scanned per query until there are this many or 1/128 of the column, then the buckets are rebuilt. */
  minDirtyLimit: 1024,
};

/**
 * A number column's customers in value order, cut into buckets of consecutive values, each a
 * bitmap with its smallest and largest value, plus the union of all buckets below every
 * `step`-th one. A range of whole buckets is the difference of two such unions, corrected by
 * at most half a step of buckets at each end; only the buckets a boundary falls into are
 * scanned. So a range costs one difference of two bitmaps and a few small ones, not a union of
 * hundreds of sparse bitmaps (which took a millisecond at a million customers).
 * Ids whose value changed since the build are `dirty`: the buckets no longer speak for them,
 * so they are taken out of every answer and tested on their current value instead.
 */
export interface ValueBuckets {
  fine: Bitmap[];
  /** `below[k]`: every id of the fine buckets before `k * step`; `below[0]` is empty, the last holds them all. */
  below: Bitmap[];
  step: number;
  low: Float64Array;
  high: Float64Array;
  members: Bitmap;
  dirty: Bitmap;
  /** Dirty ids past which scanning them costs more than a rebuild. */
  dirtyLimit: number;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Indices of `keys` in ascending numeric order (-0 and 0 adjacent, as `<` treats them equal).
 * A least-significant-digit radix sort on the doubles' bit patterns: a million values sort
 * in tens of milliseconds where a comparator sort of indices takes half a second.
 */
export function sortIndicesByValue(keys: Float64Array): Uint32Array {
  const n = keys.length;
  const words = new Uint32Array(keys.buffer, keys.byteOffset, n * 2);
  const loWord = LITTLE_ENDIAN ? 0 : 1;
  const hi = new Uint32Array(n);
  const lo = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const h = words[2 * i + 1 - loWord] as number;
    const l = words[2 * i + loWord] as number;
    // Flipping makes the unsigned order of the bit patterns the numeric order.
    if (h & 0x80000000) {
      hi[i] = ~h >>> 0;
      lo[i] = ~l >>> 0;
    } else {
      hi[i] = (h | 0x80000000) >>> 0;
      lo[i] = l;
    }
  }
  let order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let spare = new Uint32Array(n);
  const count = new Uint32Array(65537);
  for (let pass = 0; pass < 4; pass++) {
    const source = pass < 2 ? lo : hi;
    const shift = pass % 2 === 0 ? 0 : 16;
    count.fill(0);
    for (let i = 0; i < n; i++) {
      const digit = ((source[i] as number) >>> shift) & 0xffff;
      count[digit] = (count[digit] as number) + 1;
    }
    // A digit every key shares (the low bits of whole numbers) needs no pass.
    if (count[((source[0] ?? 0) >>> shift) & 0xffff] === n) continue;
    let total = 0;
    for (let d = 0; d < 65536; d++) {
      const c = count[d] as number;
      count[d] = total;
      total += c;
    }
    for (let p = 0; p < n; p++) {
      const index = order[p] as number;
      const digit = ((source[index] as number) >>> shift) & 0xffff;
      const at = count[digit] as number;
      count[digit] = at + 1;
      spare[at] = index;
    }
    [order, spare] = [spare, order];
  }
  return order;
}

export function buildValueBuckets(ids: Uint32Array, keys: Float64Array, present: Bitmap): ValueBuckets {
  const settings = numberBucketSettings;
  const n = ids.length;
  const order = sortIndicesByValue(keys);
  const size = Math.max(settings.minFineSize, Math.ceil(n / settings.fineBuckets), 1);
  const count = Math.ceil(n / size);
  const low = new Float64Array(count);
  const high = new Float64Array(count);
  const bucketOf = new Uint32Array(n);
  for (let p = 0; p < n; p++) bucketOf[order[p] as number] = Math.floor(p / size);
  for (let b = 0; b < count; b++) {
    low[b] = keys[order[b * size] as number] as number;
    high[b] = keys[order[Math.min(n, (b + 1) * size) - 1] as number] as number;
  }
  // Scattered in id order, so each bucket's ids come out sorted and its bitmap builds fast.
  const starts = new Uint32Array(count + 1);
  for (let b = 0; b < count; b++) starts[b + 1] = Math.min(n, (b + 1) * size);
  const next = starts.slice(0, count);
  const scattered = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const bucket = bucketOf[i] as number;
    const at = next[bucket] as number;
    next[bucket] = at + 1;
    scattered[at] = ids[i] as number;
  }
  const fine: Bitmap[] = [];
  for (let b = 0; b < count; b++) fine.push(new Bitmap(scattered.subarray(starts[b], starts[b + 1])));
  const step = Math.max(1, settings.finePerStep);
  const below: Bitmap[] = [new Bitmap()];
  for (let end = step; end < count; end += step) {
    const union = (below.at(-1) as Bitmap).clone();
    for (let b = end - step; b < end; b++) union.orInPlace(fine[b] as Bitmap);
    below.push(union);
  }
  // Every bucket together is every member.
  const members = present.clone();
  below.push(members);
  return { fine, below, step, low, high, members, dirty: new Bitmap(), dirtyLimit: Math.max(settings.minDirtyLimit, n >>> 7) };
}

function sameSign(left: number, right: number): boolean {
  return left === right || (left !== left && right !== right);
}

/** Customers whose value passes `test`, `accept` being the same test on an id's current value. */
export function selectBuckets(buckets: ValueBuckets, test: NumberTest, accept: (id: number) => boolean): Bitmap {
  const { fine, low, high } = buckets;
  // Per fine bucket: 1 every value accepted, 0 none, 2 a boundary inside (scan it).
  const state = new Uint8Array(fine.length);
  for (let b = 0; b < fine.length; b++) {
    const from = low[b] as number;
    const to = high[b] as number;
    let uniform = from >= test.monotoneFrom && to < test.monotoneTo;
    for (let s = 0; uniform && s < test.signs.length; s++) {
      const sign = test.signs[s] as (value: number) => number;
      uniform = sameSign(sign(from), sign(to));
    }
    if (!uniform) state[b] = 2;
    else if (test.accept(from)) state[b] = 1;
  }
  let result: Bitmap | undefined;
  for (let b = 0; b < fine.length; ) {
    if (state[b] !== 1) {
      b++;
      continue;
    }
    let end = b + 1;
    while (end < fine.length && state[end] === 1) end++;
    const run = wholeRun(buckets, b, end);
    if (result) {
      result.orInPlace(run);
      // Freed now: see endRun in plan.ts.
      run.dispose();
    } else result = run;
    b = end;
  }
  result ??= new Bitmap();
  const scanned: number[] = [];
  for (let b = 0; b < fine.length; b++) {
    if (state[b] !== 2) continue;
    for (const id of (fine[b] as Bitmap).toUint32Array()) if (accept(id)) scanned.push(id);
  }
  if (scanned.length > 0) result.addMany(scanned);
  if (buckets.dirty.isEmpty) return result;
  result.andNotInPlace(buckets.dirty);
  const changed: number[] = [];
  for (const id of buckets.dirty.toUint32Array()) if (accept(id)) changed.push(id);
  if (changed.length > 0) result.addMany(changed);
  return result;
}

/** A new bitmap of the ids of fine buckets `from` to `to` (exclusive). */
function wholeRun(buckets: ValueBuckets, from: number, to: number): Bitmap {
  const { fine, below, step } = buckets;
  const last = below.length - 1;
  // `below[last]` ends at the last bucket, which need not be a whole step after the one before.
  const startOf = (k: number) => (k === last ? fine.length : k * step);
  const nearest = (at: number) => {
    const before = Math.min(last, Math.floor(at / step));
    const after = Math.min(last, before + 1);
    return startOf(after) - at < at - startOf(before) ? after : before;
  };
  const lower = nearest(from);
  const upper = nearest(to);
  if (lower >= upper) {
    // A short run: its own buckets, fewer than a step.
    const result = (fine[from] as Bitmap).clone();
    for (let b = from + 1; b < to; b++) result.orInPlace(fine[b] as Bitmap);
    return result;
  }
  const result = lower === 0 ? (below[upper] as Bitmap).clone() : Bitmap.andNot(below[upper] as Bitmap, below[lower] as Bitmap);
  // Every fine bucket is disjoint from the others, so the corrections at the two ends commute.
  const upperStart = startOf(upper);
  for (let b = upperStart; b < to; b++) result.orInPlace(fine[b] as Bitmap);
  for (let b = to; b < upperStart; b++) result.andNotInPlace(fine[b] as Bitmap);
  const lowerStart = startOf(lower);
  for (let b = lowerStart; b < from; b++) result.andNotInPlace(fine[b] as Bitmap);
  for (let b = from; b < lowerStart; b++) result.orInPlace(fine[b] as Bitmap);
  return result;
}

/**
 * The values at `ranks` (0-based, ascending) of the values of `members` in ascending order, every
 * member having a value; `valueOf` reads an id's current value. The members before each step of
 * buckets are counted from the stored unions (`below`), a few intersections of whole bitmaps;
 * from the step a rank falls into the buckets are counted one by one, and only the bucket the
 * rank falls into is read value by value. A changed (dirty) id is left out of the counts and
 * placed by its current value: bucket b's stretch is its members and the changed values from
 * its lowest value up to the next bucket's lowest, and every stretch is at most the next one.
 */
export function valuesAtRanks(buckets: ValueBuckets, members: Bitmap, ranks: readonly number[], valueOf: (id: number) => number): Map<number, number> {
  const { fine, below, step, low, dirty } = buckets;
  const found = new Map<number, number>();
  const clean = dirty.isEmpty ? members : Bitmap.andNot(members, dirty);
  const changedIds = dirty.isEmpty ? new Uint32Array(0) : Bitmap.and(members, dirty).toUint32Array();
  const changed = new Float64Array(changedIds.length);
  for (let i = 0; i < changedIds.length; i++) changed[i] = valueOf(changedIds[i] as number);
  changed.sort();
  // Buckets built while the column was empty: every value came since.
  if (fine.length === 0) return new Map(ranks.map((rank) => [rank, changed[rank] as number]));
  /** Changed values in the stretches before bucket j. */
  const changedBefore = (j: number): number => {
    if (j === 0) return 0;
    if (j >= fine.length) return changed.length;
    const bound = low[j] as number;
    let lo = 0;
    let hi = changed.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((changed[mid] as number) < bound) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const last = below.length - 1;
  const startOf = (k: number) => (k === last ? fine.length : k * step);
  const beforeStep = below.map((union, k) => union.andCardinality(clean) + changedBefore(startOf(k)));
  let k = 0;
  let bucket = 0;
  let before = 0;
  for (const rank of ranks) {
    while (k + 1 < last && (beforeStep[k + 1] as number) <= rank) k++;
    if (startOf(k) > bucket) {
      bucket = startOf(k);
      before = beforeStep[k] as number;
    }
    for (; bucket < fine.length; bucket++) {
      const from = changedBefore(bucket);
      const to = changedBefore(bucket + 1);
      const size = (fine[bucket] as Bitmap).andCardinality(clean) + (to - from);
      if (rank < before + size) {
        if (!found.has(rank)) {
          const ids = Bitmap.and(fine[bucket] as Bitmap, clean).toUint32Array();
          const values = new Float64Array(ids.length + to - from);
          for (let i = 0; i < ids.length; i++) values[i] = valueOf(ids[i] as number);
          values.set(changed.subarray(from, to), ids.length);
          values.sort();
          for (const wanted of ranks) if (wanted >= before && wanted < before + size) found.set(wanted, values[wanted - before] as number);
        }
        break;
      }
      before += size;
    }
  }
  return found;
}

/** What the buckets hold, in CRoaring's serialised sizes and the bounds' arrays. */
export function bucketBytes(buckets: ValueBuckets): number {
  let total = buckets.low.byteLength + buckets.high.byteLength;
  // The first union is empty and the last is `members`.
  for (const bitmap of [...buckets.fine, ...buckets.below.slice(1, -1), buckets.members, buckets.dirty]) total += bitmapBytes(bitmap);
  return total;
}
