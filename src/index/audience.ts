// The Audience the server and the CLI count and list segments with, answered by the bitmap
// index: the registry brings the workspace's index up to date, the plan does the rest.
import type { BoundExpression } from '../core/expression/index.js';
import type { WorkspaceContext } from '../engine/context.js';
import type { TagMembership } from '../engine/governance.js';
import type { Audience, CompiledAudience, CustomerGroup, GroupTotals, MemberPage, MembershipChanges, SegmentScope, ValueShares } from '../engine/segments.js';
import { Bitmap } from './roaring.js';
import type { IndexRegistry } from './registry.js';
import type { EvaluateOptions } from './workspace-index.js';

function optionsOf(context: WorkspaceContext, scope: SegmentScope): EvaluateOptions {
  return { now: context.now().getTime(), utcOffsetMinutes: scope.catalog.utcOffsetMinutes, tagIds: scope.catalog.tagIds, segment: scope.resolve };
}

/**
 * Anything that hands out a workspace's index brought up to date: the registry, or one index
 * held (the benchmark's), which reads no change log (position 0).
 */
export function indexAudience(registry: Pick<IndexRegistry, 'get'> & Partial<Pick<IndexRegistry, 'logPosition'>>): Audience {
  return {
    async count(context: WorkspaceContext, bound: BoundExpression, scope: SegmentScope): Promise<number> {
      return (await registry.get(context)).count(bound, optionsOf(context, scope));
    },
    async members(context: WorkspaceContext, bound: BoundExpression, scope: SegmentScope): Promise<number[]> {
      return (await registry.get(context)).evaluate(bound, optionsOf(context, scope)).toArray();
    },
    async tagMembership(context: WorkspaceContext): Promise<TagMembership> {
      const index = await registry.get(context);
      return {
        valueCounts: () => Promise.resolve(index.valueCounts()),
        tagSizes: () => Promise.resolve(index.tagSizes()),
        sharedValueHolders: (pairs) => Promise.resolve(pairs.map(([first, second]) => index.sharedValueHolders(first, second))),
        customers: () => Promise.resolve(index.all.size),
      };
    },
    async holdersOfAny(context: WorkspaceContext, tagIds: readonly number[]): Promise<number> {
      return (await registry.get(context)).holdersOfAny(tagIds);
    },
    async groupTotals(context: WorkspaceContext, groups: readonly CustomerGroup[], metricKeys: readonly string[], within?: CompiledAudience): Promise<GroupTotals[]> {
      const index = await registry.get(context);
      // Evaluated once for every group.
      const narrowed = within ? index.evaluate(within.bound, optionsOf(context, within.scope)) : undefined;
      return groups.map((group) => {
        const all = (group === 'everyone' ? index.all : 'valueId' in group ? index.valueMembers(group.valueId) : index.tagMembers(group.tagId)) ?? new Bitmap();
        const members = narrowed ? Bitmap.and(all, narrowed) : all;
        return { customers: members.size, metrics: new Map(metricKeys.map((key) => [key, index.metricTotal(members, key)])) };
      });
    },
    async valueShares(context: WorkspaceContext, valueIds: readonly number[], metricKeys: readonly string[], within: CompiledAudience): Promise<ValueShares> {
      const index = await registry.get(context);
      const members = index.evaluate(within.bound, optionsOf(context, within.scope));
      const totals = (group: Bitmap): GroupTotals => ({ customers: group.size, metrics: new Map(metricKeys.map((key) => [key, index.metricTotal(group, key)])) });
      return {
        members: totals(members),
        everyone: totals(index.all),
        // A count of the intersection, no bitmap made: a value costs what its containers do, whatever the segment's size.
        values: valueIds.map((valueId) => {
          const holders = index.valueMembers(valueId);
          return holders ? { members: holders.andCardinality(members), holders: holders.size } : { members: 0, holders: 0 };
        }),
      };
    },
    async valueHolders(context: WorkspaceContext, valueIds: readonly number[]): Promise<Map<number, Uint32Array>> {
      const index = await registry.get(context);
      return new Map(valueIds.map((valueId) => [valueId, index.valueMembers(valueId)?.toUint32Array() ?? new Uint32Array()]));
    },
    async population(context: WorkspaceContext): Promise<number> {
      return (await registry.get(context)).all.size;
    },
    async membershipChanges(context: WorkspaceContext, bound: BoundExpression, scope: SegmentScope, previous: Uint8Array | undefined): Promise<MembershipChanges> {
      const index = await registry.get(context);
      const position = registry.logPosition?.(context.workspaceId) ?? 0;
      const now = index.evaluate(bound, optionsOf(context, scope));
      const before = previous ? Bitmap.deserialize(previous, 'portable') : new Bitmap();
      return {
        entered: Bitmap.andNot(now, before).toArray(),
        left: Bitmap.andNot(before, now).toArray(),
        members: () => now.serialize('portable'),
        size: now.size,
        position,
      };
    },
    async page(context: WorkspaceContext, bound: BoundExpression, scope: SegmentScope, page: MemberPage): Promise<{ total: number; ids: number[] }> {
      const index = await registry.get(context);
      const members = index.evaluate(bound, optionsOf(context, scope));
      return { total: members.size, ids: index.sortMembers(members, page.sort, page.offset, page.limit) };
    },
    async nameMatches(context: WorkspaceContext, q: string): Promise<Uint32Array> {
      const index = await registry.get(context);
      // No await from here on: the codes flagged are those of the name column as it is now.
      const table = index.nameSearchTable();
      return table ? index.customersWithNameCodes(table.matchingCodes(q)) : new Uint32Array(0);
    },
    async livePage(context: WorkspaceContext, page: { after?: number | undefined; offset: number; limit: number }): Promise<{ total: number; ids: number[] }> {
      const index = await registry.get(context);
      // Ranks in the bitmap of live customers: a page a million rows deep costs what the first does.
      const start = (page.after === undefined ? 0 : index.all.rank(page.after)) + page.offset;
      return { total: index.all.size, ids: index.sortMembers(index.all, undefined, start, page.limit) };
    },
  };
}
