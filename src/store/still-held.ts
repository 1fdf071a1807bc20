// Whether a tag assignment is still held, in SQL: from its expiry on (the instant itself included)
// it is gone, whether or not the expiry sweep has taken it off yet. The same rule in JavaScript is
// `isStillHeld` (src/core/tag.ts); every reader and the sweep go by these, so none disagrees. One
// condition serves Kysely queries on `assignments` (`.where(stillHeld(now))`) and the raw queries
// that give the table another name (`stillHeld(now, 'assignments_x')`).
import { sql, type RawBuilder, type SqlBool } from 'kysely';

/** The assignment `table` names (`assignments` unless aliased) is still held at `at` (epoch ms): no expiry, or one after `at`. */
export function stillHeld(at: number, table = 'assignments'): RawBuilder<SqlBool> {
  const expires = sql.ref(`${table}.expires_at`);
  return sql<SqlBool>`(${expires} is null or ${expires} > ${at})`;
}

/**
 * The assignment `table` names has its expiry come by `at`: what `stillHeld` leaves out, and what
 * the sweep takes off. Written with `is not null` so that both stores read it from the partial
 * index of expiring assignments (`assignments_expiry_idx`).
 */
export function expiredBy(at: number, table = 'assignments'): RawBuilder<SqlBool> {
  const expires = sql.ref(`${table}.expires_at`);
  return sql<SqlBool>`(${expires} is not null and ${expires} <= ${at})`;
}
