// Types a literal for the field or metric it is compared with: `"1000"` is not a number,
// `"2026-02-30"` is not a date, and `1.5 days ago` is not a whole number of days.
import { suggestName } from './suggest.js';
import { isValidDate, readWrittenTime } from '../time.js';
import type { Duration, Literal } from './ast.js';
import type { BoundAttributeRef, BoundDuration, BoundValue } from './bound.js';
import type { CatalogAttribute } from './catalog.js';
import type { CheckContext } from './check-context.js';
import type { AttributeDescription, LiteralDescription } from './diagnostic.js';
import { printDuration, printLiteral, printString } from './printer.js';
import { durationDays } from './time-window.js';

/** The longest duration the language accepts: a hundred years of days. */
export const MAX_DURATION_DAYS = 36_500;

export function describeAttribute(attribute: BoundAttributeRef): AttributeDescription {
  return { source: attribute.source, key: attribute.key, type: attribute.type };
}

export function bindAttributeValue(context: CheckContext, attribute: BoundAttributeRef, catalogAttribute: CatalogAttribute, literal: Literal): BoundValue | undefined {
  const found = printLiteral(literal);
  const mismatch = (suggestion?: string) =>
    context.report('EXPRESSION_TYPE', { reason: 'value_type_mismatch', params: { attribute: describeAttribute(attribute), literal: describeLiteral(literal) } }, literal.span, found, { suggestion });
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
      const option = { source: attribute.source, key: attribute.key, option: literal.value, options };
      return context.report('EXPRESSION_UNKNOWN_NAME', { reason: 'unknown_option', params: suggestion === undefined ? option : { ...option, suggestion } }, literal.span, found, { suggestion });
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
      // Read as a time a request sends is (`parseWorkspaceTime`); the zone is applied where it runs.
      const time = attribute.type === 'timestamp' && literal.kind === 'string' ? readWrittenTime(literal.value) : undefined;
      if (time !== undefined) return { kind: 'instant', time };
      const timed = attribute.type === 'timestamp' && literal.kind === 'string';
      return context.report('EXPRESSION_INVALID_VALUE', { reason: 'invalid_date', params: { text: found, attribute: describeAttribute(attribute), time: timed } }, literal.span, found);
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
    return context.report('EXPRESSION_INVALID_VALUE', { reason: 'invalid_duration', params: { text: found, max: MAX_DURATION_DAYS } }, duration.span, found);
  }
  return { amount: duration.amount, unit: duration.unit, days };
}

export function describeLiteral(literal: Literal): LiteralDescription {
  return { kind: literal.kind, text: printLiteral(literal) };
}
