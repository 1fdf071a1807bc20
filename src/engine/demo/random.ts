// Small, fast, seeded random numbers for the demo generator. Faker is kept for names and
// words: drawing hundreds of thousands of plain numbers through it would dominate the run.

/** Mixes a seed with further integers into one 32-bit seed (murmur3's finaliser per step). */
export function mixSeed(seed: number, ...parts: number[]): number {
  let hash = (seed ^ 0x9e3779b9) >>> 0;
  for (const part of parts) {
    hash = Math.imul(hash ^ (part >>> 0), 0x85ebca6b);
    hash ^= hash >>> 13;
    hash = Math.imul(hash, 0xc2b2ae35);
    hash ^= hash >>> 16;
  }
  return hash >>> 0;
}

/** A table to draw from in proportion to weights. */
export interface WeightedTable<T> {
  readonly items: readonly T[];
  /** Running totals: `cumulative[i]` is the sum of the weights up to and including item i. */
  readonly cumulative: Float64Array;
  readonly total: number;
}

export function weightedTable<T>(entries: readonly (readonly [T, number])[]): WeightedTable<T> {
  const cumulative = new Float64Array(entries.length);
  let total = 0;
  entries.forEach(([, weight], index) => {
    total += Math.max(0, weight);
    cumulative[index] = total;
  });
  if (total <= 0) throw new Error('a weighted table needs a positive weight');
  return { items: entries.map(([item]) => item), cumulative, total };
}

/** The first index whose running total exceeds `target` (binary search). */
export function searchCumulative(cumulative: ArrayLike<number>, target: number): number {
  let low = 0;
  let high = cumulative.length - 1;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((cumulative[middle] ?? 0) > target) high = middle;
    else low = middle + 1;
  }
  return low;
}

/** mulberry32: tiny state, good enough spread for simulated shoppers, and fast. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  between(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('cannot pick from an empty list');
    return item;
  }

  weighted<T>(table: WeightedTable<T>): T {
    const item = table.items[searchCumulative(table.cumulative, this.next() * table.total)];
    if (item === undefined) throw new Error('cannot pick from an empty table');
    return item;
  }

  /** A standard normal draw (Box-Muller; the second value is dropped to keep state simple). */
  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** A log-normal draw with the given median: the long right tail of spend and dwell times. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** Number of failures before the first success: short runs are common, long ones rare. */
  geometric(mean: number): number {
    if (mean <= 0) return 0;
    const p = 1 / (1 + mean);
    return Math.floor(Math.log(1 - this.next()) / Math.log(1 - p));
  }

  /** Rounds 2.3 to 2 or 3 with odds 70/30, so that averages survive rounding. */
  roundStochastic(value: number): number {
    const floor = Math.floor(value);
    return floor + (this.next() < value - floor ? 1 : 0);
  }
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Fixed-width base-62 digits of a non-negative integer (wraps beyond 62^width). */
export function toBase62(value: number, width: number): string {
  let rest = value;
  let text = '';
  for (let i = 0; i < width; i++) {
    text = BASE62.charAt(rest % 62) + text;
    rest = Math.floor(rest / 62);
  }
  return text;
}

export function randomBase62(random: Random, length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) text += BASE62.charAt(Math.floor(random.next() * 62));
  return text;
}

/**
 * A bijection of [0, modulus) given a multiplier coprime to the modulus: distinct customers
 * get distinct identity numbers that still look random.
 */
export function permute(index: number, modulus: number, multiplier: number, offset: number): number {
  // Split the multiplication so that it stays exact in double precision for moduli up to 1e10.
  const high = Math.floor(multiplier / 100_000);
  const low = multiplier % 100_000;
  const product = (((index * high) % modulus) * 100_000 + index * low) % modulus;
  return (product + (offset % modulus)) % modulus;
}
