// What a bound expression reads, for the engine's dependency tracking and cycle detection.
import type { BoundExpression, BoundValue, ExpressionDependencies } from './bound.js';

export function collectDependencies(expression: BoundExpression | undefined): ExpressionDependencies {
  const tags = new Set<string>();
  const fields = new Set<string>();
  const metrics = new Set<string>();
  const segments = new Set<string>();
  let clock = false;
  const readsClock = (value: BoundValue) => value.kind === 'relative';

  const visit = (node: BoundExpression): void => {
    switch (node.kind) {
      case 'and':
      case 'or':
        node.operands.forEach(visit);
        return;
      case 'not':
        visit(node.operand);
        return;
      case 'tag':
        tags.add(node.tag.key);
        return;
      case 'segment':
        segments.add(node.segment.key);
        return;
      case 'compare':
      case 'in':
      case 'between':
      case 'presence':
      case 'withinLast':
      case 'withinAnniversary': {
        (node.attribute.source === 'field' ? fields : metrics).add(node.attribute.key);
        if (node.kind === 'withinLast' || node.kind === 'withinAnniversary') clock = true;
        if (node.kind === 'compare' && readsClock(node.value)) clock = true;
        if (node.kind === 'in' && node.values.some(readsClock)) clock = true;
        if (node.kind === 'between' && (readsClock(node.low) || readsClock(node.high))) clock = true;
        return;
      }
      default: {
        const unreachable: never = node;
        return unreachable;
      }
    }
  };
  if (expression !== undefined) visit(expression);
  const sorted = (set: Set<string>) => [...set].sort();
  return { tags: sorted(tags), fields: sorted(fields), metrics: sorted(metrics), segments: sorted(segments), clock };
}
