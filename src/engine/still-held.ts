// Whether a tag assignment is still held, in SQL: from its expiry on (the instant itself included)
// it is gone, whether or not the expiry sweep has taken it off yet. The same rule in JavaScript is
// `isStillHeld` (src/core/tag.ts); every reader and the sweep go by these, so none disagrees.
import type { ExpressionBuilder, ExpressionWrapper, SqlBool } from 'kysely';
import type { Database } from '../store/schema.js';

/** `assignments` still held at `at` (epoch milliseconds): no expiry, or one after `at`. */
export function stillHeld(eb: ExpressionBuilder<Database, 'assignments'>, at: number): ExpressionWrapper<Database, 'assignments', SqlBool> {
  return eb.or([eb('assignments.expires_at', 'is', null), eb('assignments.expires_at', '>', at)]);
}

/**
 * `assignments` whose expiry has come by `at`: what `stillHeld` leaves out, and what the sweep
 * takes off. Written with `is not null` so that both stores read it from the partial index of
 * expiring assignments (`assignments_expiry_idx`).
 */
export function expiredBy(eb: ExpressionBuilder<Database, 'assignments'>, at: number): ExpressionWrapper<Database, 'assignments', SqlBool> {
  return eb.and([eb('assignments.expires_at', 'is not', null), eb('assignments.expires_at', '<=', at)]);
}
