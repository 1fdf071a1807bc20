// Attribute predicates. Each is TRUE or FALSE, never NULL, so `not` can negate it plainly.
// Every literal is a bound parameter; instants and days are computed here, from `now`, with
// the same helpers the evaluator uses.
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import {
  addDays,
  anniversaryMonthDays,
  calendarDate,
  dayStart,
  literalInstant,
  relativeDate,
  relativeInstant,
  type BoundAttributePredicate,
  type BoundAttributeRef,
  type BoundValue,
  type CompareOperator,
} from '../../core/expression/index.js';
import type { Dialect } from '../connect.js';
import { typedValue, type Sql, type SqlKind, type TypedValue } from './values.js';

export type Condition = RawBuilder<SqlBool>;

export interface PredicateContext {
  dialect: Dialect;
  now: number;
  utcOffsetMinutes: number;
}

export const TRUE: Condition = sql<SqlBool>`(1 = 1)`;
export const FALSE: Condition = sql<SqlBool>`(1 = 0)`;

/** What a literal stands for once `now` and the offset are known. */
type Operand =
  | { kind: 'point'; sqlKind: SqlKind; value: number | string }
  /** A timestamp against a date literal: the instants of that calendar day, `[start, end)`. */
  | { kind: 'day'; start: number; end: number }
  /** A literal the evaluator can never match (`sign` answers NaN). */
  | { kind: 'never' };

function operand(attribute: BoundAttributeRef, value: BoundValue, context: PredicateContext): Operand {
  const actualKind = kindOfActual(attribute);
  if (attribute.type === 'timestamp') {
    if (value.kind === 'date') {
      return { kind: 'day', start: dayStart(value.value, context.utcOffsetMinutes), end: dayStart(addDays(value.value, 1), context.utcOffsetMinutes) };
    }
    if (value.kind === 'relative') return { kind: 'point', sqlKind: 'number', value: relativeInstant(context.now, value.duration.days) };
  }
  let point: { sqlKind: SqlKind; value: number | string };
  switch (value.kind) {
    case 'number':
      point = { sqlKind: 'number', value: value.value };
      break;
    case 'instant':
      point = { sqlKind: 'number', value: literalInstant(value, context.utcOffsetMinutes) };
      break;
    case 'string':
    case 'date':
      point = { sqlKind: 'text', value: value.value };
      break;
    case 'boolean':
      point = { sqlKind: 'boolean', value: value.value ? 1 : 0 };
      break;
    case 'relative':
      point = { sqlKind: 'text', value: relativeDate(context.now, value.duration.days, context.utcOffsetMinutes) };
      break;
    default: {
      const unreachable: never = value;
      return unreachable;
    }
  }
  return point.sqlKind === actualKind ? { kind: 'point', ...point } : { kind: 'never' };
}

function kindOfActual(attribute: BoundAttributeRef): SqlKind {
  return attribute.type === 'number' || attribute.type === 'timestamp' ? 'number' : attribute.type === 'boolean' ? 'boolean' : 'text';
}

function parameter(value: number | string, kind: SqlKind, dialect: Dialect): Sql {
  if (dialect === 'sqlite') return sql`${value}`;
  switch (kind) {
    case 'number':
      return sql`${value}::float8`;
    case 'boolean':
      return sql`${value}::int`;
    case 'text':
      return sql`${value}::text`;
  }
}

function coalesce(condition: Sql): Condition {
  return sql<SqlBool>`coalesce(${condition}, false)`;
}

/**
 * Operands joined flat at most this many at a time. SQLite parses `a or b or c …` as a chain one
 * level deeper per operand and refuses one past 1000 levels ("Expression tree is too large"), so
 * longer lists are joined in groups of groups: a few levels of at most this many each.
 */
const JOINED_AT_ONCE = 64;

function joined(conditions: Condition[], joiner: 'and' | 'or'): Condition {
  if (conditions.length === 1 && conditions[0]) return conditions[0];
  if (conditions.length <= JOINED_AT_ONCE) return sql<SqlBool>`(${sql.join(conditions, sql.raw(` ${joiner} `))})`;
  const size = Math.ceil(conditions.length / JOINED_AT_ONCE);
  const groups: Condition[] = [];
  for (let start = 0; start < conditions.length; start += size) groups.push(joined(conditions.slice(start, start + size), joiner));
  return joined(groups, joiner);
}

export function all(conditions: Condition[]): Condition {
  return conditions.length === 0 ? TRUE : joined(conditions, 'and');
}

export function any(conditions: Condition[]): Condition {
  return conditions.length === 0 ? FALSE : joined(conditions, 'or');
}

/**
 * Past this many values an `in` list is one parameter, a JSON array on SQLite and an array on
 * PostgreSQL, rather than a parameter each: both stores refuse a statement of more than a few
 * tens of thousands of parameters (SQLite 32 766, PostgreSQL 65 535).
 */
const LISTED_AT_ONCE = 100;

/** `actual` equals one of the points, all of one kind (an `in` list): the value is read once, whatever the list's length. */
function equalsOneOf(actual: TypedValue, points: readonly (number | string)[], kind: SqlKind, dialect: Dialect): Condition {
  if (points.length === 0) return FALSE;
  if (points.length <= LISTED_AT_ONCE) return coalesce(sql`${actual.value} in (${sql.join(points.map((point) => parameter(point, kind, dialect)))})`);
  if (dialect === 'sqlite') return coalesce(sql`${actual.value} in (select value from json_each(${JSON.stringify(points)}))`);
  const arrayType = sql.raw(kind === 'number' ? 'float8[]' : kind === 'boolean' ? 'int[]' : 'text[]');
  return coalesce(sql`${actual.value} = any(${points}::${arrayType})`);
}

/** Half of a surrogate pair with no other half (a literal written `"\\uD800"`). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Whether a stored value can equal the literal. PostgreSQL text cannot hold U+0000, and no store
 * holds half a surrogate pair (it is written as U+FFFD), so no stored value equals such a
 * literal, as none does in the evaluator; bound, it would equal a stored U+FFFD.
 */
function storable(value: number | string, dialect: Dialect): boolean {
  if (typeof value !== 'string') return true;
  return !LONE_SURROGATE.test(value) && !(dialect === 'postgres' && value.includes('\u0000'));
}

function isPresent(actual: TypedValue): Condition {
  return sql<SqlBool>`(${actual.value} is not null)`;
}

/** `actual <operator> literal`, as the evaluator's `holds(operator, compare(…))`. */
function compareWith(actual: TypedValue, operator: CompareOperator, target: Operand, dialect: Dialect): Condition {
  switch (target.kind) {
    case 'never':
      return FALSE;
    case 'day': {
      const start = parameter(target.start, 'number', dialect);
      const end = parameter(target.end, 'number', dialect);
      const value = actual.value;
      switch (operator) {
        case '=':
          return coalesce(sql`${value} >= ${start} and ${value} < ${end}`);
        case '!=':
          return coalesce(sql`${value} < ${start} or ${value} >= ${end}`);
        case '<':
          return coalesce(sql`${value} < ${start}`);
        case '<=':
          return coalesce(sql`${value} < ${end}`);
        case '>':
          return coalesce(sql`${value} >= ${end}`);
        case '>=':
          return coalesce(sql`${value} >= ${start}`);
      }
      break;
    }
    case 'point': {
      if (!storable(target.value, dialect)) return operator === '!=' ? isPresent(actual) : FALSE;
      const right = parameter(target.value, target.sqlKind, dialect);
      // Dates are the only ordered text; "C" keeps PostgreSQL's order the evaluator's code-unit order.
      const left = dialect === 'postgres' && target.sqlKind === 'text' && operator !== '=' && operator !== '!=' ? sql`(${actual.value}) collate "C"` : actual.value;
      return coalesce(sql`${left} ${sql.raw(operator === '!=' ? '<>' : operator)} ${right}`);
    }
  }
}

export function attributePredicate(node: BoundAttributePredicate, context: PredicateContext): Condition {
  const actual = typedValue(node.attribute, context.dialect);
  if (node.kind === 'presence') {
    if (!actual) return node.present ? FALSE : TRUE;
    return node.present ? isPresent(actual) : sql<SqlBool>`(${actual.value} is null)`;
  }
  if (!actual) return FALSE;
  const dialect = context.dialect;
  switch (node.kind) {
    case 'compare':
      return compareWith(actual, node.operator, operand(node.attribute, node.value, context), dialect);
    case 'in': {
      // Points (the values of one kind, as the attribute's) are one list; a timestamp's days are ranges each.
      const operands = node.values.map((value) => operand(node.attribute, value, context));
      const points = operands.flatMap((target) => (target.kind === 'point' && storable(target.value, dialect) ? [target.value] : []));
      const days = operands.filter((target) => target.kind === 'day');
      const found = any([...(points.length > 0 ? [equalsOneOf(actual, [...new Set(points)], actual.kind, dialect)] : []), ...days.map((day) => compareWith(actual, '=', day, dialect))]);
      return node.negated ? all([isPresent(actual), sql<SqlBool>`not ${found}`]) : found;
    }
    case 'between':
      return all([compareWith(actual, '>=', operand(node.attribute, node.low, context), dialect), compareWith(actual, '<=', operand(node.attribute, node.high, context), dialect)]);
    case 'withinLast': {
      if (actual.kind !== 'number') return FALSE;
      const from = parameter(relativeInstant(context.now, node.duration.days), 'number', dialect);
      const to = parameter(context.now, 'number', dialect);
      return coalesce(sql`${actual.value} >= ${from} and ${actual.value} <= ${to}`);
    }
    case 'withinAnniversary': {
      // The evaluator reads any string here, but only a date is a meaningful anniversary and the checker allows nothing else.
      if (node.attribute.type !== 'date') return FALSE;
      const monthDays = anniversaryMonthDays(calendarDate(context.now, context.utcOffsetMinutes), node.duration.days);
      if (monthDays.length === 0) return FALSE;
      if (monthDays.length >= 366) return isPresent(actual);
      const list = sql.join(monthDays.map((monthDay) => parameter(monthDay, 'text', dialect)));
      return coalesce(sql`substr(${actual.value}, 6, 5) in (${list})`);
    }
    default: {
      const unreachable: never = node;
      return unreachable;
    }
  }
}
