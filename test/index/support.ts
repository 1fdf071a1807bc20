// What the index tests compare against: the reference evaluator over loadCustomerViews,
// with saved segments resolved the way rule conditions resolve them.
import { expect } from 'vitest';
import { compileExpression, evaluateExpression, type BoundExpression, type CustomerView } from '../../src/core/expression/index.js';
import { loadCustomerViews, loadWorkspaceCatalog, type WorkspaceCatalog } from '../../src/engine/catalog.js';
import type { WorkspaceContext } from '../../src/engine/context.js';
import { segmentAwareView } from '../../src/engine/rules.js';
import { segmentScope } from '../../src/engine/segments.js';
import type { IndexRegistry } from '../../src/index/registry.js';
import { WorkspaceIndex, type EvaluateOptions } from '../../src/index/workspace-index.js';
import type { Store } from '../../src/store/connect.js';
import { countCustomers, selectCustomerIds } from '../../src/store/expression-sql.js';

export interface Oracle {
  catalog: WorkspaceCatalog;
  views: Map<number, CustomerView>;
  externalIds: Map<number, string>;
  resolve: (key: string) => BoundExpression | undefined;
  segments: Map<string, BoundExpression>;
}

export async function loadOracle(context: WorkspaceContext): Promise<Oracle> {
  const catalog = await loadWorkspaceCatalog(context);
  const rows = await context.store.db.selectFrom('customers').select(['id', 'external_id']).where('workspace_id', '=', context.workspaceId).execute();
  const views = await loadCustomerViews(
    context,
    catalog,
    rows.map((row) => row.id),
  );
  const scope = segmentScope(catalog);
  const segments = new Map<string, BoundExpression>();
  for (const key of catalog.segments.keys()) {
    const bound = scope.resolve(key);
    if (bound) segments.set(key, bound);
  }
  return { catalog, views, externalIds: new Map(rows.map((row) => [row.id, row.external_id])), resolve: scope.resolve, segments };
}

export function compile(oracle: Oracle, source: string): BoundExpression {
  const compiled = compileExpression(source, oracle.catalog.catalog);
  if (!compiled.bound) throw new Error(`${source}: ${compiled.diagnostics.map((d) => d.message).join('; ')}`);
  return compiled.bound;
}

export function expected(oracle: Oracle, bound: BoundExpression, now: number): number[] {
  const options = { utcOffsetMinutes: oracle.catalog.utcOffsetMinutes };
  return [...oracle.views]
    .filter(([, view]) => evaluateExpression(bound, segmentAwareView(view, oracle.segments, now, options), now, options))
    .map(([id]) => id)
    .sort((a, b) => a - b);
}

export function planOptions(oracle: Oracle, now: number): EvaluateOptions {
  return { now, utcOffsetMinutes: oracle.catalog.utcOffsetMinutes, tagIds: oracle.catalog.tagIds, segment: oracle.resolve };
}

/**
 * Asserts the index answers `source` exactly as the evaluator does and returns the matching
 * external ids, sorted, so a test can also state who it expects.
 */
export async function agree(registry: IndexRegistry, context: WorkspaceContext, source: string, now = context.now().getTime()): Promise<string[]> {
  const oracle = await loadOracle(context);
  const index = await registry.get(context);
  const bound = compile(oracle, source);
  const actual = index.evaluate(bound, planOptions(oracle, now)).toArray();
  const wanted = expected(oracle, bound, now);
  expect(actual, source).toEqual(wanted);
  expect(index.count(bound, planOptions(oracle, now)), source).toBe(wanted.length);
  return actual.map((id) => oracle.externalIds.get(id) ?? `#${id}`).sort();
}

/**
 * The three back ends over the workspace as it is now — an index built afresh, SQL on `store` and
 * the reference evaluator: `ask` gives the internal ids matching `source`, once each has said the
 * same, and `oracle` names them.
 */
export async function threeBackEnds(store: Store, context: WorkspaceContext, now: number): Promise<{ oracle: Oracle; ask: (source: string) => Promise<number[]> }> {
  const oracle = await loadOracle(context);
  const index = await WorkspaceIndex.build(store, context.workspaceId);
  const options = planOptions(oracle, now);
  const ask = async (source: string) => {
    const bound = compile(oracle, source);
    const wanted = expected(oracle, bound, now);
    expect(await selectCustomerIds(store, context.workspaceId, bound, options), `${source}: SQL and evaluator`).toEqual(wanted);
    expect(await countCustomers(store, context.workspaceId, bound, options), `${source}: SQL count`).toBe(wanted.length);
    expect(index.evaluate(bound, options).toArray(), `${source}: index and evaluator`).toEqual(wanted);
    expect(index.count(bound, options), `${source}: index count`).toBe(wanted.length);
    return wanted;
  };
  return { oracle, ask };
}
