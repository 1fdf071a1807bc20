// How many customers an expression or a saved segment matches, in the words the API answers with:
// `POST /api/v1/segments/count` and `GET /api/v1/segments/{segment}` answer these, and `tagbase
// segment count --json` prints the same, so that a script reads one shape from either.
import type { BoundExpression } from '../core/expression/index.js';
import type { WorkspaceContext } from './context.js';
import { compileSavedSegment, type Audience, type SegmentJson, type SegmentScope } from './segments.js';
import { expressionShownIn } from './shown-expressions.js';

export interface SegmentCount {
  count: number;
  population: number;
  /** How long the count itself took, in milliseconds to the hundredth. */
  took_ms: number;
}

function elapsedMs(started: bigint): number {
  return Math.round(Number(process.hrtime.bigint() - started) / 10_000) / 100;
}

/** The customers `bound` matches and everyone, counted by `audience`. */
export async function countMatched(context: WorkspaceContext, audience: Audience, resolved: { bound: BoundExpression; scope: SegmentScope }): Promise<SegmentCount> {
  // The population first: a command's index is loaded by its first call (seconds at a million
  // customers), which took_ms would otherwise report as the count's time.
  const population = await audience.population(context);
  const started = process.hrtime.bigint();
  const customers = await audience.count(context, resolved.bound, resolved.scope);
  return { count: customers, population, took_ms: elapsedMs(started) };
}

/** A saved segment with its live count; an expression that no longer reads is thrown, as compiling it throws. */
export async function countedSegment(context: WorkspaceContext, audience: Audience, keyOrName: string): Promise<SegmentJson & SegmentCount> {
  const compiled = await compileSavedSegment(context, keyOrName);
  const expression = expressionShownIn(context, compiled.scope.catalog)(compiled.segment.expression);
  return { ...compiled.segment, expression, ...(await countMatched(context, audience, compiled)) };
}
