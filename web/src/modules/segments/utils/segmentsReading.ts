// Which saved segments read a given one, directly or through others: changing that one to read
// any of them would make it read itself, which the server refuses, so the builder does not offer them.
import type { Expression } from '../../../../../src/core/expression/ast';
import { parseExpression } from '../../../../../src/core/expression/parser';

export interface SavedSegment {
  key: string;
  name: string;
  expression: string;
}

/** The arguments of every `segment("…")` in the expression (none when it does not parse). */
function segmentArguments(source: string): string[] {
  const found: string[] = [];
  const walk = (node: Expression): void => {
    if (node.kind === 'segment') found.push(node.segment.value);
    else if (node.kind === 'not') walk(node.operand);
    else if (node.kind === 'and' || node.kind === 'or') node.operands.forEach(walk);
  };
  const { ast } = parseExpression(source);
  if (ast) walk(ast);
  return found;
}

/** The keys of the segments that read `key`, directly or through other segments; `key` itself among them. */
export function segmentsReading(segments: readonly SavedSegment[], key: string): Set<string> {
  // `segment("…")` finds a segment by its key, then by its name, as the server does.
  const byKey = new Map(segments.map((segment) => [segment.key, segment.key]));
  const byName = new Map(segments.map((segment) => [segment.name, segment.key]));
  const reads = new Map(segments.map((segment) => [segment.key, segmentArguments(segment.expression).flatMap((argument) => byKey.get(argument) ?? byName.get(argument) ?? [])]));
  const readers = new Set([key]);
  // Until no segment is added: a reader of a reader reads it too.
  for (let grew = true; grew; ) {
    grew = false;
    for (const [reader, read] of reads) {
      if (!readers.has(reader) && read.some((target) => readers.has(target))) {
        readers.add(reader);
        grew = true;
      }
    }
  }
  return readers;
}
