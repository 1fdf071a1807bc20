// A customer's random bucket (随机分组号): a whole number from 0 to 99, fixed for the customer, so
// that `random_bucket < 10` is a 10 % holdout (对照组) of any audience and `random_bucket >= 10`
// the rest. It is a hash of the store's internal customer id, computed where it is read (the
// index, the SQL back end, the reference evaluator), so nothing stores it and no one writes it;
// a rename, an edit, a tag or a merge into the customer leaves the id, and so the bucket, alone.

/** The buckets: `random_bucket` is 0 to RANDOM_BUCKETS − 1. */
export const RANDOM_BUCKETS = 100;

/**
 * The multiplier of each round. Below 2³¹, so a 32-bit value times it stays below 2⁵⁹: SQLite,
 * whose integers turn into floating point when a product passes 2⁶³, and PostgreSQL's `bigint`
 * compute each round exactly, as `Math.imul` does here.
 */
export const RANDOM_BUCKET_MULTIPLIER = 0x45d9f3b;

/**
 * The bucket of the customer with internal id `customerId`. The id's low 32 bits go through two
 * rounds of xor-shift and multiply (each kept to 32 bits) and a last xor-shift, which spread
 * consecutive ids over the buckets with no pattern (a multiplication alone would step through
 * them); the bucket is the result modulo 100. `bucketSql` in src/store/expression-sql/values.ts
 * spells the same steps in SQL.
 */
export function randomBucket(customerId: number): number {
  let x = customerId >>> 0;
  x = Math.imul((x ^ (x >>> 16)) >>> 0, RANDOM_BUCKET_MULTIPLIER) >>> 0;
  x = Math.imul((x ^ (x >>> 16)) >>> 0, RANDOM_BUCKET_MULTIPLIER) >>> 0;
  x = (x ^ (x >>> 16)) >>> 0;
  return x % RANDOM_BUCKETS;
}
