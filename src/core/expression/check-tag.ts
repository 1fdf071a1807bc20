// Binds a predicate on a tag: resolves the named values and turns every operator into one
// test (any/all/none/present/absent) over a set of value keys. A single-valued tag takes
// comparisons and `in`; a multi-valued tag takes `has`; only an ordered tag takes `<`, `between`.
import { suggestName } from './suggest.js';
import type { Literal, Predicate } from './ast.js';
import type { BoundTagPredicate, BoundTagValue, TagTest } from './bound.js';
import { findCatalogTagValue, type CatalogTag, type CatalogTagValue } from './catalog.js';
import { bindAll, type CheckContext } from './check-context.js';
import { describeLiteral } from './check-value.js';
import type { DiagnosticMessage } from './diagnostic.js';
import { printExpression, printLiteral, printName, printString } from './printer.js';

type TagPredicate = Exclude<Predicate, { kind: 'tagged' } | { kind: 'segment' }>;

export function bindTagPredicate(context: CheckContext, tag: CatalogTag, node: TagPredicate): BoundTagPredicate | undefined {
  const written = node.subject.name;
  const found = printExpression(node);
  const typeError = (message: DiagnosticMessage, suggestion?: string) => context.report('EXPRESSION_TYPE', message, node.span, found, { suggestion });
  const make = (test: TagTest, values: CatalogTagValue[], matching: CatalogTagValue[] = values): BoundTagPredicate => ({
    kind: 'tag',
    tag: { key: tag.key, name: tag.name, cardinality: tag.cardinality, ordered: tag.ordered },
    test,
    valueKeys: matching.map((value) => value.key),
    values: values.map(toBoundValue),
    span: node.span,
  });
  const subject = printName(written);
  const multiple: DiagnosticMessage = { reason: 'tag_needs_has', params: { tag: written } };

  switch (node.kind) {
    case 'comparison': {
      if (node.operator === 'before' || node.operator === 'after') return typeError({ reason: 'tag_temporal_operator', params: { operator: node.operator, tag: written } });
      if (tag.cardinality === 'multi') {
        const quantifier = node.operator === '=' ? 'any' : node.operator === '!=' ? 'none' : undefined;
        return typeError(multiple, quantifier === undefined ? undefined : `${subject} has ${quantifier} (${printLiteral(node.value)})`);
      }
      const value = resolveTagValue(context, tag, written, node.value);
      if (value === undefined) return undefined;
      if (node.operator === '=') return make('any', [value]);
      if (node.operator === '!=') return make('none', [value]);
      if (!tag.ordered) return typeError({ reason: 'tag_not_ordered', params: { operator: node.operator, tag: written } });
      const order = value.order;
      const compare = { '<': (o: number) => o < order, '<=': (o: number) => o <= order, '>': (o: number) => o > order, '>=': (o: number) => o >= order }[node.operator];
      return make('any', [value], tag.values.filter((candidate) => compare(candidate.order)));
    }
    case 'in': {
      if (tag.cardinality === 'multi') return typeError(multiple, `${subject} has ${node.negated ? 'none' : 'any'} ${printList(node.values)}`);
      const values = resolveTagValues(context, tag, written, node.values);
      return values === undefined ? undefined : make(node.negated ? 'none' : 'any', values);
    }
    case 'between': {
      if (tag.cardinality === 'multi') return typeError(multiple);
      if (!tag.ordered) return typeError({ reason: 'tag_not_ordered', params: { operator: 'between', tag: written } });
      const values = resolveTagValues(context, tag, written, [node.low, node.high]);
      if (values === undefined) return undefined;
      const [low, high] = values.map((value) => value.order);
      const inRange = (order: number) => low !== undefined && high !== undefined && order >= low && order <= high;
      return make('any', values, tag.values.filter((candidate) => inRange(candidate.order)));
    }
    case 'has': {
      if (tag.cardinality === 'single') {
        const suggestion = node.quantifier === 'all' ? undefined : `${subject} ${node.quantifier === 'any' ? 'in' : 'not in'} ${printList(node.values)}`;
        return typeError({ reason: 'tag_single_has', params: { tag: written, quantifier: node.quantifier } }, suggestion);
      }
      const values = resolveTagValues(context, tag, written, node.values);
      return values === undefined ? undefined : make(node.quantifier, values);
    }
    case 'presence':
      return make(node.operator === 'exists' ? 'present' : 'absent', []);
    case 'within':
      return typeError({ reason: 'tag_within', params: { tag: written } });
    default: {
      const unreachable: never = node;
      return unreachable;
    }
  }
}

function resolveTagValues(context: CheckContext, tag: CatalogTag, written: string, literals: readonly Literal[]): CatalogTagValue[] | undefined {
  return bindAll(literals, (literal) => resolveTagValue(context, tag, written, literal));
}

/** A tag value named by key or display name, always as quoted text. */
function resolveTagValue(context: CheckContext, tag: CatalogTag, written: string, literal: Literal): CatalogTagValue | undefined {
  const found = printLiteral(literal);
  if (literal.kind !== 'string') {
    const quoted = literal.kind === 'number' || literal.kind === 'boolean' ? printString(String(literal.value)) : undefined;
    return context.report('EXPRESSION_TYPE', { reason: 'tag_value_not_text', params: { tag: written, literal: describeLiteral(literal) } }, literal.span, found, { suggestion: quoted });
  }
  const value = findCatalogTagValue(tag, literal.value);
  if (value !== undefined) return value;
  const suggestion = suggestName(literal.value, tag.values.flatMap((candidate) => [candidate.name, candidate.key]));
  const params = suggestion === undefined ? { tag: written, value: found } : { tag: written, value: found, suggestion };
  return context.report('EXPRESSION_UNKNOWN_NAME', { reason: 'unknown_tag_value', params }, literal.span, found, { suggestion });
}

function toBoundValue(value: CatalogTagValue): BoundTagValue {
  return { key: value.key, name: value.name, order: value.order };
}

function printList(values: readonly Literal[]): string {
  return `(${values.map(printLiteral).join(', ')})`;
}
