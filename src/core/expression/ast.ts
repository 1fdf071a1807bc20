// The syntax tree of an expression, exactly as written (names unresolved, values as
// typed). The checker turns it into a bound tree; the printer turns it back into text.
import type { Span } from './span.js';

export const COMPARISON_OPERATORS = ['=', '!=', '<', '<=', '>', '>=', 'before', 'after'] as const;
export type ComparisonOperator = (typeof COMPARISON_OPERATORS)[number];

export const HAS_QUANTIFIERS = ['any', 'all', 'none'] as const;
export type HasQuantifier = (typeof HAS_QUANTIFIERS)[number];

export const PRESENCE_OPERATORS = ['exists', 'missing'] as const;
export type PresenceOperator = (typeof PRESENCE_OPERATORS)[number];

/** A month is 30 days and a year 365 days: fixed lengths, so every back end computes the same instant. */
export const TIME_UNITS = ['day', 'week', 'month', 'year'] as const;
export type TimeUnit = (typeof TIME_UNITS)[number];

/** A tag, field or metric as typed: a bare identifier or a backtick-quoted name. */
export interface NameReference {
  kind: 'name';
  name: string;
  span: Span;
}

export interface StringLiteral {
  kind: 'string';
  value: string;
  span: Span;
}

export interface NumberLiteral {
  kind: 'number';
  value: number;
  span: Span;
}

export interface BooleanLiteral {
  kind: 'boolean';
  value: boolean;
  span: Span;
}

/** `date("2026-01-31")`: the text is checked by the checker, not the parser. */
export interface DateLiteral {
  kind: 'date';
  value: string;
  span: Span;
}

/** `7 days`, as used by `within` and by `… ago`. */
export interface Duration {
  kind: 'duration';
  amount: number;
  unit: TimeUnit;
  span: Span;
}

/** `90 days ago`: symbolic, so that it is computed from `now` when the expression runs. */
export interface AgoLiteral {
  kind: 'ago';
  duration: Duration;
  span: Span;
}

export type Literal = StringLiteral | NumberLiteral | BooleanLiteral | DateLiteral | AgoLiteral;

/** `x = v`, `x >= v`, `x before v`, … */
export interface ComparisonExpression {
  kind: 'comparison';
  subject: NameReference;
  operator: ComparisonOperator;
  value: Literal;
  span: Span;
}

/** `x in (a, b)` and `x not in (a, b)`. */
export interface InExpression {
  kind: 'in';
  subject: NameReference;
  negated: boolean;
  values: Literal[];
  span: Span;
}

/** `x between low and high`: both ends included. */
export interface BetweenExpression {
  kind: 'between';
  subject: NameReference;
  low: Literal;
  high: Literal;
  span: Span;
}

/** `interests has any ("高尔夫", "钓鱼")`, for multi-valued tags. */
export interface HasExpression {
  kind: 'has';
  subject: NameReference;
  quantifier: HasQuantifier;
  values: Literal[];
  span: Span;
}

/** `phone exists`, `email missing`. */
export interface PresenceExpression {
  kind: 'presence';
  subject: NameReference;
  operator: PresenceOperator;
  span: Span;
}

/** `last_order_at within 30 days`, `birthday within 7 days`. */
export interface WithinExpression {
  kind: 'within';
  subject: NameReference;
  duration: Duration;
  span: Span;
}

/** `tagged("vip")`: the customer holds any value of the tag. */
export interface TaggedExpression {
  kind: 'tagged';
  tag: StringLiteral;
  span: Span;
}

/** `segment("高价值人群")`: the customer is in the segment. */
export interface SegmentExpression {
  kind: 'segment';
  segment: StringLiteral;
  span: Span;
}

/**
 * A name written alone as a condition (`has_phone`, `not is_member`). The parser does not know
 * types; the checker reads a boolean field or metric as `name = true` and refuses anything else.
 */
export interface BareNameExpression {
  kind: 'bare';
  subject: NameReference;
  span: Span;
}

export interface NotExpression {
  kind: 'not';
  operand: Expression;
  span: Span;
}

/** `a and b and c` is one node with three operands; `(a and b) and c` nests, as written. */
export interface AndExpression {
  kind: 'and';
  operands: Expression[];
  span: Span;
}

export interface OrExpression {
  kind: 'or';
  operands: Expression[];
  span: Span;
}

export type Predicate =
  | ComparisonExpression
  | InExpression
  | BetweenExpression
  | HasExpression
  | PresenceExpression
  | WithinExpression
  | TaggedExpression
  | SegmentExpression;

export type Expression = OrExpression | AndExpression | NotExpression | BareNameExpression | Predicate;

/** Any node of the tree, for walkers that only need kinds and spans. */
export type SyntaxNode = Expression | NameReference | Literal | Duration;
