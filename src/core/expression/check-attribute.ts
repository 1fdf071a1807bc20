// Binds a predicate on a field or a metric: which operators its type takes, and its
// values typed for it. Ordering needs a number, date or timestamp; `within` a date or
// timestamp; `has` is for tags only.
import type { Literal, Predicate } from './ast.js';
import type { BoundAttributePredicate, BoundAttributeRef, BoundValue, CompareOperator } from './bound.js';
import type { CatalogAttribute } from './catalog.js';
import { bindAll, type CheckContext } from './check-context.js';
import { bindAttributeValue, bindDuration, describeAttribute } from './check-value.js';
import type { DiagnosticMessage } from './diagnostic.js';
import { printExpression, printLiteral, printName } from './printer.js';
import type { Span } from './span.js';

type AttributePredicate = Exclude<Predicate, { kind: 'tagged' } | { kind: 'segment' }>;

const ORDERED_TYPES = new Set<BoundAttributeRef['type']>(['number', 'date', 'timestamp']);
const TEMPORAL_TYPES = new Set<BoundAttributeRef['type']>(['date', 'timestamp']);

export function bindAttributePredicate(context: CheckContext, attribute: BoundAttributeRef, catalogAttribute: CatalogAttribute, node: AttributePredicate): BoundAttributePredicate | undefined {
  const found = printExpression(node);
  const described = describeAttribute(attribute);
  const typeError = (message: DiagnosticMessage, suggestion?: string) => context.report('EXPRESSION_TYPE', message, node.span, found, { suggestion });
  const bindValue = (literal: Literal) => bindAttributeValue(context, attribute, catalogAttribute, literal);

  switch (node.kind) {
    case 'comparison': {
      const operator: CompareOperator = node.operator === 'before' ? '<' : node.operator === 'after' ? '>' : node.operator;
      if ((node.operator === 'before' || node.operator === 'after') && !TEMPORAL_TYPES.has(attribute.type)) {
        return typeError({ reason: 'temporal_operator', params: { operator: node.operator, attribute: described } });
      }
      if (operator !== '=' && operator !== '!=' && !ORDERED_TYPES.has(attribute.type)) {
        return typeError({ reason: 'ordering_operator', params: { operator: node.operator, attribute: described } });
      }
      const value = bindValue(node.value);
      if (value === undefined) return undefined;
      if ((operator === '=' || operator === '!=') && !checkEquality(context, attribute, value, node.value.span, printLiteral(node.value))) return undefined;
      return { kind: 'compare', attribute, operator, value, span: node.span };
    }
    case 'in': {
      const values = bindAll(node.values, bindValue);
      if (values === undefined) return undefined;
      const equalities = values.map((value, index) => {
        const literal = node.values[index];
        return literal === undefined || checkEquality(context, attribute, value, literal.span, printLiteral(literal));
      });
      if (equalities.includes(false)) return undefined;
      return { kind: 'in', attribute, negated: node.negated, values, span: node.span };
    }
    case 'between': {
      if (!ORDERED_TYPES.has(attribute.type)) return typeError({ reason: 'between_unordered', params: { attribute: described } });
      const [low, high] = [bindValue(node.low), bindValue(node.high)];
      if (low === undefined || high === undefined) return undefined;
      return { kind: 'between', attribute, low, high, span: node.span };
    }
    case 'has': {
      const suggestion = node.quantifier === 'all' ? undefined : `${printName(node.subject.name)} ${node.quantifier === 'any' ? 'in' : 'not in'} (${node.values.map(printLiteral).join(', ')})`;
      return typeError({ reason: 'has_on_attribute', params: { quantifier: node.quantifier, attribute: described } }, suggestion);
    }
    case 'presence':
      return { kind: 'presence', attribute, present: node.operator === 'exists', span: node.span };
    case 'within': {
      if (!TEMPORAL_TYPES.has(attribute.type)) return typeError({ reason: 'within_not_temporal', params: { attribute: described } });
      const duration = bindDuration(context, node.duration);
      if (duration === undefined) return undefined;
      return { kind: attribute.type === 'date' ? 'withinAnniversary' : 'withinLast', attribute, duration, span: node.span };
    }
    default: {
      const unreachable: never = node;
      return unreachable;
    }
  }
}

/** A timestamp never equals a moment computed from `now` to the millisecond, so `=` with `N days ago` is refused. */
function checkEquality(context: CheckContext, attribute: BoundAttributeRef, value: BoundValue, span: Span, found: string): boolean {
  if (attribute.type !== 'timestamp' || value.kind !== 'relative') return true;
  context.report('EXPRESSION_TYPE', { reason: 'relative_equality', params: { attribute: describeAttribute(attribute), text: found } }, span, found);
  return false;
}
