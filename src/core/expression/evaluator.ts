// The reference evaluator: runs a bound expression over an in-memory view of one
// customer. It defines the semantics the bitmap planner and the SQL compiler must match:
// every predicate is true or false (a missing value makes it false, except `missing`),
// and `not`, `and`, `or` are plain two-valued logic over those results.
import { isValidDate } from '../time.js';
import type { BoundAttributeRef, BoundExpression, BoundTagPredicate, BoundValue, CompareOperator } from './bound.js';
import { calendarDate, daysUntilAnniversary, literalInstant, relativeDate, relativeInstant } from './time-window.js';

export type AttributeValue = string | number | boolean | null | undefined;

/** One customer as the evaluator sees it. A tag with an empty set counts as absent. */
export interface CustomerView {
  /** Tag key → the value keys the customer holds. */
  tags: ReadonlyMap<string, ReadonlySet<string>>;
  /** Field key → value; timestamps are epoch milliseconds, dates `YYYY-MM-DD`. */
  fields: Readonly<Record<string, AttributeValue>>;
  metrics: Readonly<Record<string, AttributeValue>>;
  /** Segment membership; without it, `segment("…")` is false. */
  segments?: (segmentKey: string) => boolean;
}

export interface EvaluationOptions {
  /** The offset from UTC of the calendar that decides "today" and the day of a timestamp; 480 for China. Default 0. */
  utcOffsetMinutes?: number;
}

interface Context {
  customer: CustomerView;
  now: number;
  utcOffsetMinutes: number;
}

export function evaluateExpression(expression: BoundExpression, customer: CustomerView, now: Date | number, options: EvaluationOptions = {}): boolean {
  return evaluate(expression, { customer, now: typeof now === 'number' ? now : now.getTime(), utcOffsetMinutes: options.utcOffsetMinutes ?? 0 });
}

function evaluate(node: BoundExpression, context: Context): boolean {
  switch (node.kind) {
    case 'and':
      return node.operands.every((operand) => evaluate(operand, context));
    case 'or':
      return node.operands.some((operand) => evaluate(operand, context));
    case 'not':
      return !evaluate(node.operand, context);
    case 'segment':
      return context.customer.segments?.(node.segment.key) ?? false;
    case 'tag':
      return evaluateTag(node, context.customer.tags.get(node.tag.key));
    case 'presence':
      return (readAttribute(node.attribute, context.customer) !== null) === node.present;
    case 'compare': {
      const actual = readAttribute(node.attribute, context.customer);
      return actual !== null && holds(node.operator, compare(node.attribute, actual, node.value, context));
    }
    case 'in': {
      const actual = readAttribute(node.attribute, context.customer);
      if (actual === null) return false;
      const found = node.values.some((value) => compare(node.attribute, actual, value, context) === 0);
      return found !== node.negated;
    }
    case 'between': {
      const actual = readAttribute(node.attribute, context.customer);
      return actual !== null && compare(node.attribute, actual, node.low, context) >= 0 && compare(node.attribute, actual, node.high, context) <= 0;
    }
    case 'withinLast': {
      const actual = readAttribute(node.attribute, context.customer);
      return typeof actual === 'number' && actual >= relativeInstant(context.now, node.duration.days) && actual <= context.now;
    }
    case 'withinAnniversary': {
      const actual = readAttribute(node.attribute, context.customer);
      return typeof actual === 'string' && daysUntilAnniversary(actual, calendarDate(context.now, context.utcOffsetMinutes)) <= node.duration.days;
    }
    default: {
      const unreachable: never = node;
      return unreachable;
    }
  }
}

function evaluateTag(node: BoundTagPredicate, held: ReadonlySet<string> | undefined): boolean {
  const present = held !== undefined && held.size > 0;
  switch (node.test) {
    case 'present':
      return present;
    case 'absent':
      return !present;
    case 'any':
      return present && node.valueKeys.some((key) => held.has(key));
    case 'all':
      return present && node.valueKeys.every((key) => held.has(key));
    case 'none':
      return present && !node.valueKeys.some((key) => held.has(key));
    default: {
      const unreachable: never = node.test;
      return unreachable;
    }
  }
}

/** The attribute's value if it has the attribute's type; anything else (absent, null, mistyped) is missing. */
function readAttribute(attribute: BoundAttributeRef, customer: CustomerView): string | number | boolean | null {
  const source = attribute.source === 'field' ? customer.fields : customer.metrics;
  const value = Object.hasOwn(source, attribute.key) ? source[attribute.key] : undefined;
  switch (attribute.type) {
    case 'number':
    case 'timestamp':
      return typeof value === 'number' && Number.isFinite(value) ? value : null;
    case 'string':
    case 'enum':
      return typeof value === 'string' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'date':
      return typeof value === 'string' && isValidDate(value) ? value : null;
    default: {
      const unreachable: never = attribute.type;
      return unreachable;
    }
  }
}

/**
 * The sign of `actual - value`. A date value against a timestamp compares the timestamp's
 * calendar day; a relative value is an instant for a timestamp and a day for a date.
 */
function compare(attribute: BoundAttributeRef, actual: string | number | boolean, value: BoundValue, context: Context): number {
  if (attribute.type === 'timestamp' && typeof actual === 'number') {
    switch (value.kind) {
      case 'date':
        return sign(calendarDate(actual, context.utcOffsetMinutes), value.value);
      case 'relative':
        return sign(actual, relativeInstant(context.now, value.duration.days));
      case 'instant':
        return sign(actual, literalInstant(value, context.utcOffsetMinutes));
      default:
        return sign(actual, value.value);
    }
  }
  if (value.kind === 'relative') return sign(actual, relativeDate(context.now, value.duration.days, context.utcOffsetMinutes));
  if (value.kind === 'instant') return sign(actual, literalInstant(value, context.utcOffsetMinutes));
  return sign(actual, value.value);
}

function sign(left: string | number | boolean, right: string | number | boolean): number {
  if (left === right) return 0;
  // The checker typed both sides alike; a mismatch can only come from a hand-built tree and never matches.
  if (typeof left !== typeof right) return NaN;
  return left < right ? -1 : 1;
}

function holds(operator: CompareOperator, order: number): boolean {
  switch (operator) {
    case '=':
      return order === 0;
    case '!=':
      return order !== 0 && !Number.isNaN(order);
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    case '>=':
      return order >= 0;
    default: {
      const unreachable: never = operator;
      return unreachable;
    }
  }
}
