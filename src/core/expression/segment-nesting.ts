// How deep an expression nests with every saved segment it reads written out where it reads it.
// One expression nests at most MAX_NESTING_DEPTH levels, and that limit counts through
// `segment("…")`, each read followed a level of its own: otherwise a chain of saved segments would
// nest without bound, and every back end that walks the expanded tree (the planner, the evaluator,
// the SQL compiler) with it; a chain of plain reads (`segment("s1")` saved as s2, and so on) of a
// few thousand links overflowed the evaluator's stack when a rule read it.
import { makeDiagnostic, type ExpressionDiagnostic } from './diagnostic.js';
import { expressionNesting, MAX_NESTING_DEPTH } from './parser.js';
import type { Span } from './span.js';

/** A saved segment's key and expression. */
export interface SavedSegmentSource {
  key: string;
  source: string;
}

/** Finds a saved segment by key, then by name, as `segment("…")` does; undefined for none. */
export type SegmentSourceLookup = (keyOrName: string) => SavedSegmentSource | undefined;

/** The deepest nesting of an expression with the segments it reads expanded, and the segments (keys) it goes through there. */
export interface ExpandedNesting {
  depth: number;
  chain: string[];
  /** The `segment("…")` of the expression itself through which the deepest nesting goes. */
  span?: Span;
}

/**
 * Measures expressions against the saved segments `lookup` finds, each segment measured once: a
 * segment read is one level deeper than where it stands, and its own nesting counts from there.
 * A segment that reads itself, directly or not, is not followed again (it matches nobody there),
 * nor is one that is not found: neither adds a level.
 */
export function segmentNestingMeasure(lookup: SegmentSourceLookup): (source: string) => ExpandedNesting {
  const measured = new Map<string, ExpandedNesting | 'open'>();
  const ofSegment = (segment: SavedSegmentSource): ExpandedNesting | undefined => {
    const known = measured.get(segment.key);
    if (known === 'open') return undefined;
    if (known) return known;
    measured.set(segment.key, 'open');
    const result = measure(segment.source);
    measured.set(segment.key, result);
    return result;
  };
  const measure = (source: string): ExpandedNesting => {
    const nesting = expressionNesting(source);
    if (!nesting) return { depth: 0, chain: [] };
    let deepest: ExpandedNesting = { depth: nesting.depth, chain: [] };
    for (const read of nesting.segments) {
      const segment = lookup(read.name);
      const inner = segment && ofSegment(segment);
      if (!segment || !inner || read.depth + 1 + inner.depth <= deepest.depth) continue;
      deepest = { depth: read.depth + 1 + inner.depth, chain: [segment.key, ...inner.chain], span: read.span };
    }
    return deepest;
  };
  return measure;
}

/** The diagnostic for an expression that nests deeper than the limit through the segments it reads; undefined when it does not. */
export function segmentNestingDiagnostic(source: string, nesting: ExpandedNesting): ExpressionDiagnostic | undefined {
  if (nesting.depth <= MAX_NESTING_DEPTH || nesting.span === undefined) return undefined;
  const span = nesting.span;
  return makeDiagnostic('EXPRESSION_SYNTAX', { reason: 'too_deep_through_segments', params: { max: MAX_NESTING_DEPTH, depth: nesting.depth, segments: nesting.chain } }, span, source.slice(span.offset, span.offset + span.length));
}
