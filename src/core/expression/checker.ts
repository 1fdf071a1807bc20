// The checker: resolves every name in a syntax tree against a catalog, rejects type
// mismatches, and returns the bound tree the back ends run, with what it depends on.
import { suggestName } from './suggest.js';
import type { BareNameExpression, Expression } from './ast.js';
import type { BoundExpression, ExpressionDependencies } from './bound.js';
import { CatalogIndex, type CatalogAttribute, type ExpressionCatalog } from './catalog.js';
import { describeAttribute } from './check-value.js';
import { bindAttributePredicate } from './check-attribute.js';
import { bindAll, CheckContext } from './check-context.js';
import { bindTagPredicate } from './check-tag.js';
import { collectDependencies } from './dependencies.js';
import type { ExpressionDiagnostic } from './diagnostic.js';
import { printName, printString } from './printer.js';
import type { Span } from './span.js';

export interface CheckResult {
  /** Present exactly when there are no diagnostics. */
  bound?: BoundExpression;
  diagnostics: ExpressionDiagnostic[];
  /** What the bound tree reads; empty when there is no bound tree. */
  dependencies: ExpressionDependencies;
}

/** Pass a CatalogIndex to reuse its lookups across many expressions. */
export function checkExpression(ast: Expression, catalog: ExpressionCatalog | CatalogIndex): CheckResult {
  const index = catalog instanceof CatalogIndex ? catalog : new CatalogIndex(catalog);
  const context = new CheckContext(index);
  const bound = bindExpression(context, ast);
  if (bound === undefined || context.diagnostics.length > 0) return { diagnostics: context.diagnostics, dependencies: collectDependencies(undefined) };
  return { bound, diagnostics: [], dependencies: collectDependencies(bound) };
}

function bindExpression(context: CheckContext, node: Expression): BoundExpression | undefined {
  switch (node.kind) {
    case 'and':
    case 'or': {
      const operands = bindAll(node.operands, (operand) => bindExpression(context, operand));
      return operands === undefined ? undefined : { kind: node.kind, operands, span: node.span };
    }
    case 'not': {
      const operand = bindExpression(context, node.operand);
      return operand === undefined ? undefined : { kind: 'not', operand, span: node.span };
    }
    case 'tagged': {
      const name = node.tag.value;
      const tag = context.index.tag(name);
      if (tag === undefined) return reportUnknown(context, 'tag', name, node.tag.span, printString(name), context.index.tagNames());
      return {
        kind: 'tag',
        tag: { key: tag.key, name: tag.name, cardinality: tag.cardinality, ordered: tag.ordered },
        test: 'present',
        valueKeys: [],
        values: [],
        span: node.span,
      };
    }
    case 'segment': {
      const name = node.segment.value;
      const segment = context.index.segment(name);
      if (segment === undefined) return reportUnknown(context, 'segment', name, node.segment.span, printString(name), context.index.segmentNames());
      return { kind: 'segment', segment: { key: segment.key, name: segment.name }, span: node.span };
    }
    case 'bare':
      return bindBareName(context, node);
    case 'comparison':
    case 'in':
    case 'between':
    case 'has':
    case 'presence':
    case 'within': {
      const name = node.subject.name;
      const subject = context.index.subject(name);
      if (subject === undefined) return reportUnknown(context, 'subject', name, node.subject.span, printName(name), context.index.subjectNames());
      if (subject.kind === 'tag') return bindTagPredicate(context, subject.tag, node);
      const { attribute, source } = subject;
      const ref = { source, key: attribute.key, name: attribute.name ?? attribute.key, type: attribute.type };
      return bindAttributePredicate(context, ref, attribute, node);
    }
    default: {
      const unreachable: never = node;
      return unreachable;
    }
  }
}

/** A name alone is a condition only when it is true or false: `has_phone` is `has_phone = true`. */
function bindBareName(context: CheckContext, node: BareNameExpression): BoundExpression | undefined {
  const name = node.subject.name;
  const subject = context.index.subject(name);
  if (subject === undefined) return reportUnknown(context, 'subject', name, node.subject.span, printName(name), context.index.subjectNames());
  const written = printName(name);
  if (subject.kind === 'tag') {
    const { tag } = subject;
    const value = printString(tag.values[0]?.name ?? '…');
    const example = tag.cardinality === 'multi' ? `${written} has any (${value})` : `${written} = ${value}`;
    return context.report('EXPRESSION_TYPE', { reason: 'bare_tag', params: { tag: tag.name, example } }, node.span, written, { suggestion: `${written} exists` });
  }
  const { attribute, source } = subject;
  const ref = { source, key: attribute.key, name: attribute.name ?? attribute.key, type: attribute.type };
  if (attribute.type !== 'boolean') {
    const example = bareExample(written, attribute);
    return context.report('EXPRESSION_TYPE', { reason: 'bare_not_boolean', params: { attribute: describeAttribute(ref), example } }, node.span, written, { suggestion: `${written} exists` });
  }
  const value = { kind: 'boolean', value: true, span: node.subject.span } as const;
  return bindAttributePredicate(context, ref, attribute, { kind: 'comparison', subject: node.subject, operator: '=', value, span: node.span });
}

/** How a condition on a field or metric of this type is written, for the message refusing it alone. */
function bareExample(written: string, attribute: CatalogAttribute): string {
  switch (attribute.type) {
    case 'string':
      return `${written} = "…"`;
    case 'enum':
      return `${written} = ${printString(attribute.options?.[0] ?? '…')}`;
    case 'number':
      return `${written} > 0`;
    case 'date':
      return `${written} within 7 days`;
    case 'timestamp':
      return `${written} within 30 days`;
    case 'boolean':
      return `${written} = true`;
    default: {
      const unreachable: never = attribute.type;
      return unreachable;
    }
  }
}

function reportUnknown(context: CheckContext, what: 'tag' | 'segment' | 'subject', name: string, span: Span, found: string, candidates: Iterable<string>): undefined {
  // Nothing between the quotes: "unknown segment 「」" would read as a name that is merely wrong.
  if (what !== 'subject' && name.trim() === '') return context.report('EXPRESSION_UNKNOWN_NAME', { reason: 'empty_name', params: { what } }, span, found);
  // A tag archived since the expression was written: saying it is unknown would send the operator looking for a typo.
  const archived = what === 'segment' ? undefined : context.index.archivedTag(name);
  if (archived !== undefined) return context.report('EXPRESSION_UNKNOWN_NAME', { reason: 'archived_tag', params: { tag: archived.name } }, span, found);
  const suggestion = suggestName(name, candidates);
  const params = suggestion === undefined ? { what, name } : { what, name, suggestion };
  return context.report('EXPRESSION_UNKNOWN_NAME', { reason: 'unknown_name', params }, span, found, { suggestion });
}
