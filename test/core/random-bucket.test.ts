// The random bucket (随机分组号): even over the buckets, no pattern along creation order, and the
// same number for a customer in every version, since a holdout is only a holdout while it stays one.
import { describe, expect, it } from 'vitest';
import { RANDOM_BUCKETS, randomBucket } from '../../src/core/random-bucket.js';

const IDS = 100_000;

describe('randomBucket', () => {
  it('puts 1 % of ids 1..100,000 in each bucket, within a tenth', () => {
    const counts = new Array<number>(RANDOM_BUCKETS).fill(0);
    for (let id = 1; id <= IDS; id++) counts[randomBucket(id)] = (counts[randomBucket(id)] ?? 0) + 1;
    const share = IDS / RANDOM_BUCKETS;
    for (const [bucket, count] of counts.entries()) expect(Math.abs(count - share), `bucket ${bucket} holds ${count}`).toBeLessThanOrEqual(share / 10);
    // Deterministic, so a fixed bound: 148 is chi-square's 99.9 % point at 99 degrees of freedom.
    const chiSquare = counts.reduce((sum, count) => sum + (count - share) ** 2 / share, 0);
    expect(chiSquare).toBeLessThan(148);
  });

  it('gives whole numbers from 0 to 99, for ids past 32 bits too', () => {
    for (const id of [0, 1, 2, 255, 65_535, 65_536, 2 ** 31, 2 ** 32 - 1, 2 ** 32 + 7, Number.MAX_SAFE_INTEGER]) {
      const bucket = randomBucket(id);
      expect(Number.isInteger(bucket) && bucket >= 0 && bucket < RANDOM_BUCKETS, `${id} → ${bucket}`).toBe(true);
    }
  });

  it('does not follow creation order: consecutive ids are no constant step apart', () => {
    const buckets = Array.from({ length: 1000 }, (_, i) => randomBucket(i + 1));
    const steps = buckets.slice(1).map((bucket, i) => (bucket - (buckets[i] as number) + RANDOM_BUCKETS) % RANDOM_BUCKETS);
    // A multiplicative hash's last two digits step by the multiplier's: one step, or a few.
    expect(new Set(steps).size).toBeGreaterThan(90);
    const mostCommon = Math.max(...[...new Set(steps)].map((step) => steps.filter((s) => s === step).length));
    expect(mostCommon).toBeLessThan(30);
    // Nor does any short period repeat: bucket i and bucket i + p agree about 1 time in 100 for every p.
    for (let period = 1; period <= 50; period++) {
      const same = buckets.slice(period).filter((bucket, i) => bucket === buckets[i]).length;
      expect(same, `period ${period}`).toBeLessThan(30);
    }
    // A holdout of consecutive customers (say, a day's sign-ups) is a holdout of 10 % as well.
    for (let start = 1; start <= IDS; start += 10_000) {
      let held = 0;
      for (let id = start; id < start + 1000; id++) if (randomBucket(id) < 10) held++;
      expect(held, `ids ${start}..${start + 999}`).toBeGreaterThan(60);
      expect(held, `ids ${start}..${start + 999}`).toBeLessThan(140);
    }
  });

  it('keeps the buckets it has always given: a changed hash would reshuffle every holdout', () => {
    expect(Array.from({ length: 12 }, (_, i) => randomBucket(i + 1))).toEqual([95, 72, 49, 45, 42, 8, 23, 31, 87, 84, 20, 88]);
    expect([randomBucket(123_456), randomBucket(1_000_000), randomBucket(4_294_967_295)]).toEqual([65, 42, 47]);
  });
});
