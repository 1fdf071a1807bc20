// The checked, resolved tree the back ends walk: names are resolved to tags, fields,
// metrics and segments; tag values to keys; literals to typed values. Relative dates stay
// symbolic (`90 days`) so each back end computes them from the `now` it is given, and times
// without an offset stay clock times, placed at the offset it is given.
import type { WrittenTime } from '../time.js';
import type { TimeUnit } from './ast.js';
import type { AttributeSource, AttributeType } from './catalog.js';
import type { Span } from './span.js';

/** `before` and `after` bind to `<` and `>`. */
export const COMPARE_OPERATORS = ['=', '!=', '<', '<=', '>', '>='] as const;
export type CompareOperator = (typeof COMPARE_OPERATORS)[number];

export interface BoundTagRef {
  key: string;
  name: string;
  cardinality: 'single' | 'multi';
  ordered: boolean;
}

export interface BoundTagValue {
  key: string;
  name: string;
  order: number;
}

/**
 * What a tag predicate asks of the set of values a customer holds for the tag:
 * - `any`: holds at least one of `valueKeys` (an empty list is never true);
 * - `all`: holds every one of `valueKeys`;
 * - `none`: holds at least one value of the tag, and none of `valueKeys`;
 * - `present`: holds at least one value of the tag; `absent`: holds none.
 */
export const TAG_TESTS = ['any', 'all', 'none', 'present', 'absent'] as const;
export type TagTest = (typeof TAG_TESTS)[number];

/**
 * Every tag operator binds to one of these. `rfm = "a"` → any [a]; `rfm != "a"` → none [a];
 * `rfm in (a, b)` → any [a, b]; `rfm not in (a, b)` → none [a, b]; `lifecycle >= "b"` on an
 * ordered tag → any [the values ordered at or above b]; `has any/all/none` → any/all/none;
 * `exists` and `tagged()` → present; `missing` → absent.
 */
export interface BoundTagPredicate {
  kind: 'tag';
  tag: BoundTagRef;
  test: TagTest;
  /** The value keys the test reads; empty for `present` and `absent`. A snapshot of the catalog's value order. */
  valueKeys: string[];
  /** The values as named in the source, resolved; for explanations only. */
  values: BoundTagValue[];
  span: Span;
}

export interface BoundAttributeRef {
  source: AttributeSource;
  key: string;
  name: string;
  type: AttributeType;
}

/** `amount unit` with `days` = amount × (1, 7, 30 or 365). */
export interface BoundDuration {
  amount: number;
  unit: TimeUnit;
  days: number;
}

/**
 * A literal, typed for the attribute it is compared with:
 * - `number`, `string` (string and enum attributes), `boolean`;
 * - `date`: a calendar day `YYYY-MM-DD`. Against a timestamp attribute it compares the
 *   timestamp's calendar day in the evaluation's time zone;
 * - `instant`: a literal with a time of day (timestamp attributes only), as written: with `Z` or
 *   an offset it is that instant, without one the clock time in the evaluation's time zone
 *   (`literalInstant`), as a date literal is a day there;
 * - `relative`: `duration` before now. Against a timestamp attribute it is the instant
 *   now − days × 24 h; against a date attribute it is the calendar day `today − days`.
 */
export type BoundValue =
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'date'; value: string }
  | { kind: 'instant'; time: WrittenTime }
  | { kind: 'relative'; duration: BoundDuration };

export interface BoundCompare {
  kind: 'compare';
  attribute: BoundAttributeRef;
  operator: CompareOperator;
  value: BoundValue;
  span: Span;
}

/** `negated`: the value is present and equals none of `values`. */
export interface BoundIn {
  kind: 'in';
  attribute: BoundAttributeRef;
  negated: boolean;
  values: BoundValue[];
  span: Span;
}

/** `low <= value <= high`, each end with its own value semantics. */
export interface BoundBetween {
  kind: 'between';
  attribute: BoundAttributeRef;
  low: BoundValue;
  high: BoundValue;
  span: Span;
}

export interface BoundPresence {
  kind: 'presence';
  attribute: BoundAttributeRef;
  present: boolean;
  span: Span;
}

/** A timestamp in the last `duration`: now − days × 24 h <= value <= now. */
export interface BoundWithinLast {
  kind: 'withinLast';
  attribute: BoundAttributeRef;
  duration: BoundDuration;
  span: Span;
}

/** A date whose next yearly anniversary (today included) is at most `duration.days` days after today. */
export interface BoundWithinAnniversary {
  kind: 'withinAnniversary';
  attribute: BoundAttributeRef;
  duration: BoundDuration;
  span: Span;
}

export interface BoundSegment {
  kind: 'segment';
  segment: { key: string; name: string };
  span: Span;
}

export interface BoundNot {
  kind: 'not';
  operand: BoundExpression;
  span: Span;
}

export interface BoundAnd {
  kind: 'and';
  operands: BoundExpression[];
  span: Span;
}

export interface BoundOr {
  kind: 'or';
  operands: BoundExpression[];
  span: Span;
}

export type BoundAttributePredicate = BoundCompare | BoundIn | BoundBetween | BoundPresence | BoundWithinLast | BoundWithinAnniversary;

export type BoundExpression = BoundAnd | BoundOr | BoundNot | BoundTagPredicate | BoundAttributePredicate | BoundSegment;

/** What an expression reads: keys, sorted and distinct; `clock` when it reads `now`. */
export interface ExpressionDependencies {
  tags: string[];
  fields: string[];
  metrics: string[];
  segments: string[];
  clock: boolean;
}
