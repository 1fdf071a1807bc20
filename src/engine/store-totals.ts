// What a tag profile and a segment's insight add up, counted in SQL on the store: for a caller
// without the in-memory index. Slower (a pass over the customers per group and metric), the same
// answer: the quartiles and medians come from the same ranks, made into figures the same way.
import { countSelected, holdersByValue, metricTotalInSql, selection } from '../store/metric-totals.js';
import type { SqlQueryOptions } from '../store/expression-sql.js';
import type { WorkspaceContext } from './context.js';
import type { Audience, CompiledAudience, CustomerGroup, GroupTotals, ValueShares } from './segments.js';

function sqlOptions(context: WorkspaceContext, compiled: CompiledAudience): { bound: CompiledAudience['bound']; options: SqlQueryOptions } {
  const { scope } = compiled;
  return { bound: compiled.bound, options: { now: context.now().getTime(), utcOffsetMinutes: scope.catalog.utcOffsetMinutes, tagIds: scope.catalog.tagIds, segment: scope.resolve } };
}

async function totalsOf(context: WorkspaceContext, group: CustomerGroup, metricKeys: readonly string[], within: CompiledAudience | undefined): Promise<GroupTotals> {
  const { store, workspaceId } = context;
  const where = selection(store, workspaceId, group, context.now().getTime(), within && sqlOptions(context, within));
  const customers = await countSelected(store, workspaceId, where);
  const metrics = new Map<string, Awaited<ReturnType<typeof metricTotalInSql>>>();
  for (const key of metricKeys) metrics.set(key, await metricTotalInSql(store, workspaceId, where, key));
  return { customers, metrics };
}

function holders(context: WorkspaceContext, valueIds: readonly number[], within: CompiledAudience | undefined): Promise<Map<number, number>> {
  const now = context.now().getTime();
  return holdersByValue(context.store, context.workspaceId, valueIds, now, selection(context.store, context.workspaceId, 'everyone', now, within && sqlOptions(context, within)));
}

/** The part of an Audience a tag profile and a segment's insight read, answered in SQL. */
export function storeTotals(): Pick<Audience, 'groupTotals' | 'valueShares'> {
  return {
    async groupTotals(context, groups, metricKeys, within) {
      const totals: GroupTotals[] = [];
      for (const group of groups) totals.push(await totalsOf(context, group, metricKeys, within));
      return totals;
    },
    async valueShares(context, valueIds, metricKeys, within): Promise<ValueShares> {
      const members = await totalsOf(context, 'everyone', metricKeys, within);
      const everyone = await totalsOf(context, 'everyone', metricKeys, undefined);
      const [inside, all] = [await holders(context, valueIds, within), await holders(context, valueIds, undefined)];
      return { members, everyone, values: valueIds.map((id) => ({ members: inside.get(id) ?? 0, holders: all.get(id) ?? 0 })) };
    },
  };
}
