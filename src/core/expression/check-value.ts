// Types a literal for the field or metric it is compared with: `"1000"` is not a number,
// `"2026-02-30"` is not a date, and `1.5 days ago` is not a whole number of days.
import { suggestName } from './suggest.js';
import { isValidDate, parseTimestamp } from '../time.js';
import type { Duration, Literal } from './ast.js';
import type { BoundAttributeRef, BoundDuration, BoundValue } from './bound.js';
import type { CatalogAttribute } from './catalog.js';
import type { CheckContext } from './check-context.js';
import { printDuration, printLiteral, printString } from './printer.js';
import { durationDays } from './time-window.js';

/** The longest duration the language accepts: a hundred years of days. */
export const MAX_DURATION_DAYS = 36_500;

const TYPE_LABELS: Record<BoundAttributeRef['type'], string> = {
  string: 'text',
  number: 'a number',
  boolean: 'true or false',
  date: 'a date',
  timestamp: 'a timestamp',
  enum: 'one of a fixed list of options',
};

export function describeAttribute(attribute: BoundAttributeRef): string {
  return `${attribute.source} "${attribute.key}" (${TYPE_LABELS[attribute.type]})`;
}

export function bindAttributeValue(context: CheckContext, attribute: BoundAttributeRef, catalogAttribute: CatalogAttribute, literal: Literal): BoundValue | undefined {
  const found = printLiteral(literal);
  const mismatch = (suggestion?: string) =>
    context.report('EXPRESSION_TYPE', `${capitalize(describeAttribute(attribute))} cannot be compared with ${describeLiteral(literal)}.`, literal.span, found, { suggestion });
  switch (attribute.type) {
    case 'number':
      if (literal.kind === 'number') return { kind: 'number', value: literal.value };
      return mismatch(literal.kind === 'string' && /^-?\d+(\.\d+)?$/.test(literal.value.trim()) ? literal.value.trim() : undefined);
    case 'string':
      if (literal.kind === 'string') return { kind: 'string', value: literal.value };
      return mismatch(literal.kind === 'number' || literal.kind === 'boolean' ? printString(String(literal.value)) : undefined);
    case 'enum': {
      if (literal.kind !== 'string') return mismatch(literal.kind === 'number' || literal.kind === 'boolean' ? printString(String(literal.value)) : undefined);
      const options = catalogAttribute.options ?? [];
      if (options.length === 0 || options.includes(literal.value)) return { kind: 'string', value: literal.value };
      const labels = Object.entries(catalogAttribute.optionLabels ?? {});
      const labelled = labels.find(([option, label]) => label === literal.value && options.includes(option));
      if (labelled) return { kind: 'string', value: labelled[0] };
      const suggestion = suggestName(literal.value, [...options, ...labels.map(([, label]) => label)]);
      const hint = suggestion === undefined ? ` Its options are ${options.map((option) => printString(option)).join(', ')}.` : ` Did you mean ${printString(suggestion)}?`;
      return context.report('EXPRESSION_UNKNOWN_NAME', `${capitalize(attribute.source)} "${attribute.key}" has no option ${printString(literal.value)}.${hint}`, literal.span, found, { suggestion });
    }
    case 'boolean':
      if (literal.kind === 'boolean') return { kind: 'boolean', value: literal.value };
      return mismatch(literal.kind === 'string' && /^(true|false)$/i.test(literal.value) ? literal.value.toLowerCase() : undefined);
    case 'date':
    case 'timestamp':
      return bindTemporalValue(context, attribute, literal, mismatch);
    default: {
      const unreachable: never = attribute.type;
      return unreachable;
    }
  }
}

function bindTemporalValue(context: CheckContext, attribute: BoundAttributeRef, literal: Literal, mismatch: () => undefined): BoundValue | undefined {
  const found = printLiteral(literal);
  switch (literal.kind) {
    case 'ago': {
      const duration = bindDuration(context, literal.duration);
      return duration === undefined ? undefined : { kind: 'relative', duration };
    }
    case 'string':
    case 'date': {
      if (isValidDate(literal.value)) return { kind: 'date', value: literal.value };
      // A time of day only means something for timestamps, and only in a plain string.
      const instant = attribute.type === 'timestamp' && literal.kind === 'string' ? parseTimestamp(literal.value) : undefined;
      if (instant !== undefined) return { kind: 'instant', value: instant };
      const shape = attribute.type === 'timestamp' && literal.kind === 'string' ? 'a date like "2026-01-31" or a time like "2026-01-31T08:00:00+08:00"' : 'a real date written like "2026-01-31"';
      return context.report('EXPRESSION_INVALID_VALUE', `${found} is not a valid date: ${describeAttribute(attribute)} needs ${shape}.`, literal.span, found);
    }
    case 'number':
    case 'boolean':
      return mismatch();
    default: {
      const unreachable: never = literal;
      return unreachable;
    }
  }
}

/** A whole, non-negative number of units, at most MAX_DURATION_DAYS days. */
export function bindDuration(context: CheckContext, duration: Duration): BoundDuration | undefined {
  const days = durationDays(duration.amount, duration.unit);
  if (!Number.isInteger(duration.amount) || duration.amount < 0 || days > MAX_DURATION_DAYS) {
    const found = printDuration(duration);
    return context.report('EXPRESSION_INVALID_VALUE', `"${found}" is not a valid duration: use a whole number from 0 up to ${MAX_DURATION_DAYS} days in total.`, duration.span, found);
  }
  return { amount: duration.amount, unit: duration.unit, days };
}

export function describeLiteral(literal: Literal): string {
  switch (literal.kind) {
    case 'string':
      return `the text ${printLiteral(literal)}`;
    case 'number':
      return `the number ${printLiteral(literal)}`;
    case 'boolean':
      return printLiteral(literal);
    case 'date':
      return `the date ${printLiteral(literal)}`;
    case 'ago':
      return `the relative date ${printLiteral(literal)}`;
    default: {
      const unreachable: never = literal;
      return unreachable;
    }
  }
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
