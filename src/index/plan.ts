// The bitmap plan: walks a bound expression over the index's bitmaps and columns. It must
// accept exactly the customers `evaluateExpression` accepts (src/core/expression/evaluator.ts):
// a missing or mistyped value makes every predicate false except `missing`, `not` is the
// complement within the live customers, and literals are turned into instants and days by
// the same helpers (time-window.ts) the evaluator uses.
//
// Every internal step answers "within a domain": the bitmap it returns is exact on the ids
// of the domain (and never holds a customer outside `all`). That lets `and` hand the
// customers that survived its cheap operands to the operands that scan a column.
import type { BoundAttributeRef, BoundExpression, BoundTagPredicate, BoundValue, CompareOperator } from '../core/expression/index.js';
import { anniversaryMonthDays, calendarDate, dayStart, daysUntilAnniversary, literalInstant, relativeDate, relativeInstant } from '../core/expression/time-window.js';
import { DAY_MS, isValidDate } from '../core/time.js';
import type { WorkspaceCatalog } from '../engine/catalog.js';
import { storedBitmaps, type AttributeColumns, type DictionaryColumn, type DictionaryTest, type DictionaryValue, type NumberTest } from './columns.js';
import { Bitmap } from './roaring.js';

export interface PlanOptions {
  now: number;
  utcOffsetMinutes: number;
  tagIds: WorkspaceCatalog['tagIds'];
  /** Resolves `segment("key")`; unresolved segments match nobody. */
  segment?: ((key: string) => BoundExpression | undefined) | undefined;
}

/** What the plan reads from a workspace index. */
export interface PlanSource {
  readonly all: Bitmap;
  valueBitmap(valueId: number): Bitmap | undefined;
  /** Union of the tag's assignments, or undefined when it may hold values unknown to `values`. */
  tagBitmap(tagId: number, values: ReadonlyMap<string, number>): Bitmap | undefined;
  attribute(attribute: BoundAttributeRef): AttributeColumns | undefined;
  /**
   * For a boolean the index keeps as a bitmap (the reachability fields, has_phone …): the live
   * customers for whom it is true, every other live customer holding false. Undefined otherwise.
   */
  flag(attribute: BoundAttributeRef): Bitmap | undefined;
}

interface Run {
  source: PlanSource;
  options: PlanOptions;
  segments: Map<string, Bitmap>;
  visiting: Set<string>;
  /** Bitmaps this run made (never one the index stores), released when it ends. */
  made: Set<Bitmap>;
}

function startRun(source: PlanSource, options: PlanOptions): Run {
  return { source, options, segments: new Map(), visiting: new Set(), made: new Set() };
}

/** Records a bitmap the run made; one the index stores is left alone. */
function made(run: Run, bitmap: Bitmap): Bitmap {
  if (!storedBitmaps.has(bitmap)) run.made.add(bitmap);
  return bitmap;
}

/**
 * Frees what the run made but `kept`, now rather than when the garbage collector finds it:
 * the binding reports its memory to V8, and a count's intermediate bitmaps (hundreds of
 * kilobytes each at a million customers) otherwise added up to a full collection every few
 * hundred counts, a pause of several milliseconds in one of them.
 */
function endRun(run: Run, kept?: Bitmap): void {
  for (const bitmap of run.made) if (bitmap !== kept) bitmap.dispose();
  run.made.clear();
}

export function runPlan(source: PlanSource, expression: BoundExpression, options: PlanOptions): Bitmap {
  const run = startRun(source, options);
  const result = evaluate(expression, undefined, run);
  endRun(run, result);
  return result;
}

/**
 * How many customers `runPlan` would return, without building the last bitmap where the root
 * allows: an `and` counts its last intersection, a `not` subtracts its operand's size (every
 * step's bitmap lies within `all`). At ten million customers building that bitmap was about
 * a millisecond of a four-millisecond count.
 */
export function countPlan(source: PlanSource, expression: BoundExpression, options: PlanOptions): number {
  const run = startRun(source, options);
  try {
    if (expression.kind === 'not') return source.all.size - evaluate(expression.operand, undefined, run).size;
    if (expression.kind !== 'and') return evaluate(expression, undefined, run).size;
    const { result, last } = intersectOperands(expression.operands, undefined, run);
    if (last === undefined) return (result ?? source.all).size;
    return result === undefined ? last.size : result.andCardinality(last);
  } finally {
    endRun(run);
  }
}

const EMPTY = new Bitmap();
storedBitmaps.add(EMPTY);

function evaluate(node: BoundExpression, domain: Bitmap | undefined, run: Run): Bitmap {
  switch (node.kind) {
    case 'and':
      return evaluateAnd(node.operands, domain, run);
    case 'or': {
      const parts = node.operands.map((operand) => evaluate(operand, domain, run));
      return parts.length === 1 ? (parts[0] as Bitmap) : made(run, Bitmap.orMany(parts));
    }
    case 'not':
      return made(run, Bitmap.andNot(domain ?? run.source.all, evaluate(node.operand, domain, run)));
    case 'segment':
      return evaluateSegment(node.segment.key, run);
    case 'tag':
      return evaluateTag(node, run);
    default:
      return evaluateAttribute(node, domain, run);
  }
}

/** Operands that only combine stored bitmaps; the others scan a column. */
function isCheap(node: BoundExpression): boolean {
  switch (node.kind) {
    case 'tag':
    case 'segment':
      return true;
    case 'and':
    case 'or':
      return node.operands.every(isCheap);
    case 'not':
      return isCheap(node.operand);
    default:
      return false;
  }
}

function evaluateAnd(operands: readonly BoundExpression[], domain: Bitmap | undefined, run: Run): Bitmap {
  const { result, last } = intersectOperands(operands, domain, run);
  const joined = last === undefined ? result : result === undefined ? last : made(run, Bitmap.and(result, last));
  if (joined?.isEmpty) return EMPTY;
  return joined ?? run.source.all;
}

/**
 * The operands of an `and`, intersected but for the last one: `result` (undefined when nothing
 * restricts yet) and `last`, the part still to intersect with it, which `countPlan` only counts.
 */
function intersectOperands(operands: readonly BoundExpression[], domain: Bitmap | undefined, run: Run): { result: Bitmap | undefined; last: Bitmap | undefined } {
  const cheap = operands.filter(isCheap).map((operand) => evaluate(operand, domain, run));
  cheap.sort((a, b) => a.size - b.size);
  let result: Bitmap | undefined = domain;
  let last: Bitmap | undefined;
  const fold = (): boolean => {
    if (last) result = result === undefined ? last : made(run, Bitmap.and(result, last));
    last = undefined;
    return result?.isEmpty !== true;
  };
  // Smallest first, so every intersection is at most as large as the smallest operand.
  for (const part of cheap) {
    if (!fold()) return { result: EMPTY, last: undefined };
    last = part;
  }
  // The costly operands scan only what survived the others.
  for (const operand of operands) {
    if (isCheap(operand)) continue;
    if (!fold()) return { result: EMPTY, last: undefined };
    last = evaluate(operand, result, run);
  }
  return { result, last };
}

function evaluateSegment(key: string, run: Run): Bitmap {
  const cached = run.segments.get(key);
  if (cached) return cached;
  // A segment that reads itself is false while it is being evaluated, as in segmentAwareView.
  if (run.visiting.has(key)) return EMPTY;
  const bound = run.options.segment?.(key);
  if (!bound) return EMPTY;
  run.visiting.add(key);
  const result = evaluate(bound, undefined, run);
  run.visiting.delete(key);
  run.segments.set(key, result);
  return result;
}

function evaluateTag(node: BoundTagPredicate, run: Run): Bitmap {
  const ids = run.options.tagIds.get(node.tag.key);
  if (!ids) return node.test === 'absent' ? run.source.all : EMPTY;
  const valueBitmap = (key: string): Bitmap => {
    const valueId = ids.values.get(key);
    return (valueId === undefined ? undefined : run.source.valueBitmap(valueId)) ?? EMPTY;
  };
  const present = (): Bitmap => run.source.tagBitmap(ids.id, ids.values) ?? made(run, Bitmap.orMany([...ids.values.values()].map((id) => run.source.valueBitmap(id) ?? EMPTY)));
  switch (node.test) {
    case 'present':
      return present();
    case 'absent':
      return made(run, Bitmap.andNot(run.source.all, present()));
    case 'any':
      return node.valueKeys.length === 1 ? valueBitmap(node.valueKeys[0] as string) : made(run, Bitmap.orMany(node.valueKeys.map(valueBitmap)));
    case 'all': {
      let result = present();
      for (const key of node.valueKeys) {
        result = made(run, Bitmap.and(result, valueBitmap(key)));
        if (result.isEmpty) return EMPTY;
      }
      return result;
    }
    case 'none':
      return made(run, Bitmap.andNot(present(), made(run, Bitmap.orMany(node.valueKeys.map(valueBitmap)))));
    default: {
      const unreachable: never = node.test;
      return unreachable;
    }
  }
}

// ---------------------------------------------------------------- attributes

/**
 * The right-hand side of a comparison, as the evaluator's `compare` sees it for this
 * attribute: a date against a timestamp compares the timestamp's calendar day, a relative
 * value is an instant for a timestamp and a day (a string) otherwise.
 */
type Operand = { kind: 'number'; value: number } | { kind: 'string'; value: string } | { kind: 'boolean'; value: boolean } | { kind: 'day'; date: string; start: number; end: number; exact: boolean };

function operandOf(attribute: BoundAttributeRef, value: BoundValue, options: PlanOptions): Operand {
  if (attribute.type === 'timestamp') {
    if (value.kind === 'date') {
      const start = dayStart(value.value, options.utcOffsetMinutes);
      return { kind: 'day', date: value.value, start, end: start + DAY_MS, exact: isValidDate(value.value) };
    }
    if (value.kind === 'relative') return { kind: 'number', value: relativeInstant(options.now, value.duration.days) };
  }
  if (value.kind === 'relative') return { kind: 'string', value: relativeDate(options.now, value.duration.days, options.utcOffsetMinutes) };
  if (value.kind === 'date') return { kind: 'string', value: value.value };
  if (value.kind === 'instant') return { kind: 'number', value: literalInstant(value, options.utcOffsetMinutes) };
  return value;
}

/** The type of value `readAttribute` yields for an attribute of this type. */
function valueTypeOf(attribute: BoundAttributeRef): 'number' | 'string' | 'boolean' {
  switch (attribute.type) {
    case 'number':
    case 'timestamp':
      return 'number';
    case 'boolean':
      return 'boolean';
    default:
      return 'string';
  }
}

function order(left: number | string | boolean, right: number | string | boolean): number {
  if (left === right) return 0;
  return left < right ? -1 : 1;
}

// calendarDate is monotonic and formats as YYYY-MM-DD only for years 0000-9999; outside it,
// the day of a timestamp is compared as the evaluator does, by formatting it.
const SAFE_DAY_START = new Date(0).setUTCFullYear(0, 0, 1);
const SAFE_DAY_END = new Date(0).setUTCFullYear(10000, 0, 1);

/**
 * The sign of `actual - operand` for a number column's value (NaN when the types differ), and
 * the values over which it never decreases as the value grows.
 */
function numberOrder(operand: Operand, options: PlanOptions): { sign: (actual: number) => number; from: number; to: number } {
  switch (operand.kind) {
    case 'number': {
      const right = operand.value;
      return { sign: (actual) => (actual === right ? 0 : actual < right ? -1 : 1), from: -Infinity, to: Infinity };
    }
    case 'day': {
      const { start, end, date, exact } = operand;
      const shift = options.utcOffsetMinutes * 60_000;
      return {
        sign: (actual) => {
          const local = actual + shift;
          if (exact && local >= SAFE_DAY_START && local < SAFE_DAY_END) return actual < start ? -1 : actual >= end ? 1 : 0;
          return order(calendarDate(actual, options.utcOffsetMinutes), date);
        },
        // Formatted days sort as strings like the days they name only for years 0000-9999.
        from: SAFE_DAY_START - shift,
        to: SAFE_DAY_END - shift,
      };
    }
    default:
      return { sign: () => NaN, from: -Infinity, to: Infinity };
  }
}

function dictionaryOrder<T extends DictionaryValue>(operand: Operand): (actual: T) => number {
  if (operand.kind === 'day') return () => NaN;
  const right = operand.value;
  return (actual) => (typeof actual === typeof right ? order(actual, right) : NaN);
}

function holds(operator: CompareOperator, sign: number): boolean {
  switch (operator) {
    case '=':
      return sign === 0;
    case '!=':
      return sign !== 0 && !Number.isNaN(sign);
    case '<':
      return sign < 0;
    case '<=':
      return sign <= 0;
    case '>':
      return sign > 0;
    case '>=':
      return sign >= 0;
    default: {
      const unreachable: never = operator;
      return unreachable;
    }
  }
}

type AttributePredicate = Exclude<BoundExpression, { kind: 'and' | 'or' | 'not' | 'tag' | 'segment' }>;

function evaluateAttribute(node: AttributePredicate, domain: Bitmap | undefined, run: Run): Bitmap {
  const holders = run.source.flag(node.attribute);
  if (holders) return evaluateFlag(node, holders, run);
  const columns = run.source.attribute(node.attribute);
  const type = valueTypeOf(node.attribute);
  if (type === 'number') {
    const column = columns?.numbers;
    if (node.kind === 'presence') return node.present ? (column?.present ?? EMPTY) : made(run, Bitmap.andNot(run.source.all, column?.present ?? EMPTY));
    const test = numberTest(node, run.options);
    if (!column || !test) return EMPTY;
    return made(run, column.select(test, domain));
  }
  const column = type === 'string' ? columns?.strings : columns?.booleans;
  return evaluateDictionary(node, column as DictionaryColumn<DictionaryValue> | undefined, domain, run);
}

/**
 * A predicate over a boolean every live customer has (`holders` true, the rest false): the
 * customers whose value the predicate accepts, as the evaluator would test true and false.
 */
function evaluateFlag(node: AttributePredicate, holders: Bitmap, run: Run): Bitmap {
  if (node.kind === 'presence') return node.present ? run.source.all : EMPTY;
  const { accept } = dictionaryTest(node, run.options);
  const whenTrue = accept(true);
  const whenFalse = accept(false);
  if (whenTrue && whenFalse) return run.source.all;
  if (whenTrue) return holders;
  return whenFalse ? made(run, Bitmap.andNot(run.source.all, holders)) : EMPTY;
}

function testOf(orders: ReturnType<typeof numberOrder>[], accept: (value: number) => boolean): NumberTest {
  return {
    accept,
    signs: orders.map((entry) => entry.sign),
    monotoneFrom: Math.max(-Infinity, ...orders.map((entry) => entry.from)),
    monotoneTo: Math.min(Infinity, ...orders.map((entry) => entry.to)),
  };
}

/** The test of one value, or null when the predicate can hold for no number. */
function numberTest(node: Exclude<AttributePredicate, { kind: 'presence' }>, options: PlanOptions): NumberTest | null {
  switch (node.kind) {
    case 'compare': {
      const entry = numberOrder(operandOf(node.attribute, node.value, options), options);
      const sign = entry.sign;
      const operator = node.operator;
      return testOf([entry], (value) => holds(operator, sign(value)));
    }
    case 'in': {
      const operands = node.values.map((value) => operandOf(node.attribute, value, options));
      const orders = operands.map((operand) => numberOrder(operand, options));
      const negated = node.negated;
      if (operands.every((operand) => operand.kind === 'number')) {
        const wanted = new Set(operands.map((operand) => (operand as { value: number }).value));
        return testOf(orders, (value) => wanted.has(value) !== negated);
      }
      const signs = orders.map((entry) => entry.sign);
      return testOf(orders, (value) => signs.some((sign) => sign(value) === 0) !== negated);
    }
    case 'between': {
      const low = numberOrder(operandOf(node.attribute, node.low, options), options);
      const high = numberOrder(operandOf(node.attribute, node.high, options), options);
      return testOf([low, high], (value) => low.sign(value) >= 0 && high.sign(value) <= 0);
    }
    case 'withinLast': {
      const from = relativeInstant(options.now, node.duration.days);
      const to = options.now;
      return testOf([numberOrder({ kind: 'number', value: from }, options), numberOrder({ kind: 'number', value: to }, options)], (value) => value >= from && value <= to);
    }
    case 'withinAnniversary':
      // The evaluator asks for a string; a number-typed attribute never has one.
      return null;
    default: {
      const unreachable: never = node;
      return unreachable;
    }
  }
}

function evaluateDictionary(node: AttributePredicate, column: DictionaryColumn<DictionaryValue> | undefined, domain: Bitmap | undefined, run: Run): Bitmap {
  if (!column) return node.kind === 'presence' && !node.present ? run.source.all : EMPTY;
  if (node.kind === 'withinAnniversary' && node.attribute.type === 'date' && !column.bitmaps) {
    const today = calendarDate(run.options.now, run.options.utcOffsetMinutes);
    return made(run, column.anniversaryHolders(anniversaryMonthDays(today, node.duration.days)));
  }
  const mask = column.matching(dictionaryTest(node, run.options));
  // Dates are strings that are real calendar dates; any other string is a missing date.
  if (node.attribute.type === 'date') {
    const valid = column.dateValidity();
    for (let code = 0; code < mask.length; code++) if (valid[code] !== 1) mask[code] = 0;
  }
  if (node.kind === 'presence' && !node.present) return made(run, Bitmap.andNot(run.source.all, made(run, column.selectCodes(mask, domain))));
  return made(run, column.selectCodes(mask, domain));
}

/** The values a dictionary value is compared with; a day or a number compares with none of them alike. */
function comparedWith(operands: readonly Operand[]): DictionaryValue[] {
  return operands.flatMap((operand) => (operand.kind === 'string' || operand.kind === 'boolean' ? [operand.value] : []));
}

function dictionaryTest(node: AttributePredicate, options: PlanOptions): DictionaryTest {
  switch (node.kind) {
    case 'presence':
      return { accept: () => true, operands: [] };
    case 'compare': {
      const operand = operandOf(node.attribute, node.value, options);
      const sign = dictionaryOrder(operand);
      const operator = node.operator;
      return { accept: (value) => holds(operator, sign(value)), operands: comparedWith([operand]) };
    }
    case 'in': {
      const operands = node.values.map((value) => operandOf(node.attribute, value, options));
      const signs = operands.map((operand) => dictionaryOrder(operand));
      const negated = node.negated;
      return { accept: (value) => signs.some((sign) => sign(value) === 0) !== negated, operands: comparedWith(operands) };
    }
    case 'between': {
      const lowOperand = operandOf(node.attribute, node.low, options);
      const highOperand = operandOf(node.attribute, node.high, options);
      const low = dictionaryOrder(lowOperand);
      const high = dictionaryOrder(highOperand);
      return { accept: (value) => low(value) >= 0 && high(value) <= 0, operands: comparedWith([lowOperand, highOperand]) };
    }
    case 'withinLast':
      // The evaluator asks for a number; a string or boolean attribute never has one.
      return { accept: () => false, operands: [] };
    case 'withinAnniversary': {
      const today = calendarDate(options.now, options.utcOffsetMinutes);
      const days = node.duration.days;
      // daysUntilAnniversary reads only the month and the day (characters 5-9), so values
      // sharing them share the answer: at most a few hundred calls however many birthdays.
      const byMonthDay = new Map<string, boolean>();
      const accept = (value: DictionaryValue): boolean => {
        if (typeof value !== 'string') return false;
        const monthDay = value.slice(5, 10);
        let answer = byMonthDay.get(monthDay);
        if (answer === undefined) {
          answer = daysUntilAnniversary(value, today) <= days;
          byMonthDay.set(monthDay, answer);
        }
        return answer;
      };
      // Not a function of the order of values: every value is tested.
      return { accept, operands: undefined };
    }
    default: {
      const unreachable: never = node;
      return unreachable;
    }
  }
}
