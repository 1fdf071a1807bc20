// Transitions read the assignments standing now and rewind them by the tag history; with the
// index, a single-valued tag's customers who kept their value are counted from its bitmaps. On
// random tagging, both ways must give what the assignments themselves held at each instant:
// here, a snapshot of the assignments table taken after every change. Expiries come and go
// unswept, swept, and overtaken by a change by hand; the instants asked about fall anywhere.
import fc from 'fast-check';
import { expect } from 'vitest';
import { upsertCustomers } from '../../src/engine/customers.js';
import { assignTag, removeTag, sweepExpiredAssignments } from '../../src/engine/tagging.js';
import { tagTransitions, type TagTransitions } from '../../src/engine/transitions.js';
import { indexAudience } from '../../src/index/audience.js';
import { IndexRegistry } from '../../src/index/registry.js';
import { ensureWorkspace } from '../../src/engine/workspaces.js';
import { forEachStore, it } from '../support/stores.js';
import { defineTag, interests, stage } from './support.js';

const HOUR = 3_600_000;
const CUSTOMERS = ['C1', 'C2', 'C3', 'C4', 'C5', 'C6'];

type Step =
  | { kind: 'assign'; tag: 'stage' | 'interests'; value: number; customers: number[]; expiresInHours: number | null }
  | { kind: 'remove'; tag: 'stage' | 'interests'; value: number | null; customers: number[] }
  | { kind: 'sweep' }
  | { kind: 'wait'; hours: number };

const customers = fc.uniqueArray(fc.nat(CUSTOMERS.length - 1), { minLength: 1, maxLength: 4 });
const tag = fc.constantFrom('stage' as const, 'interests' as const);
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('assign' as const), tag, value: fc.nat(2), customers, expiresInHours: fc.option(fc.integer({ min: 1, max: 30 }), { freq: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('remove' as const), tag, value: fc.option(fc.nat(2), { freq: 2 }), customers }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'sweep' as const }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('wait' as const), hours: fc.integer({ min: 1, max: 12 }) }) },
);

interface Snapshot {
  at: number;
  /** `customer:valueKey` → expiry (null for none), per tag. */
  held: Map<string, Map<string, number | null>>;
}

/** What a snapshot says was held at `at`: per customer, the value keys not expired by then. */
function heldAt(snapshots: readonly Snapshot[], tagKey: string, at: number): Map<string, string[]> {
  const last = [...snapshots].reverse().find((snapshot) => snapshot.at <= at);
  const held = new Map<string, string[]>();
  for (const [entry, expiresAt] of last?.held.get(tagKey) ?? []) {
    if (expiresAt !== null && expiresAt <= at) continue;
    const [customer = '', value = ''] = entry.split(':');
    held.set(customer, [...(held.get(customer) ?? []), value].sort());
  }
  return held;
}

/** Per value key: held at each end, gained, lost; for a single-valued tag the flows as `from>to`. */
function expected(start: Map<string, string[]>, end: Map<string, string[]>, single: boolean) {
  const values: Record<string, [number, number, number, number]> = {};
  const count = (value: string, index: 0 | 1 | 2 | 3) => ((values[value] ??= [0, 0, 0, 0])[index] += 1);
  const flows: Record<string, number> = {};
  for (const customer of new Set([...start.keys(), ...end.keys()])) {
    const before = start.get(customer) ?? [];
    const after = end.get(customer) ?? [];
    for (const value of before) count(value, 0);
    for (const value of after) count(value, 1);
    for (const value of after) if (!before.includes(value)) count(value, 2);
    for (const value of before) if (!after.includes(value)) count(value, 3);
    if (single) flows[`${before[0] ?? '-'}>${after[0] ?? '-'}`] = (flows[`${before[0] ?? '-'}>${after[0] ?? '-'}`] ?? 0) + 1;
  }
  return { values, flows };
}

function actual(found: TagTransitions) {
  const key = (id: number | null) => (id === null ? '-' : (found.tag.values.find((value) => value.id === id)?.key ?? `#${id}`));
  const values: Record<string, [number, number, number, number]> = {};
  for (const movement of found.values.values()) {
    if (movement.heldFrom + movement.heldTo === 0) continue;
    values[key(movement.valueId)] = [movement.heldFrom, movement.heldTo, movement.gained, movement.lost];
  }
  const flows: Record<string, number> = {};
  for (const flow of found.flows) flows[`${key(flow.from)}>${key(flow.to)}`] = flow.customers;
  return { values, flows };
}

forEachStore('tag transitions agree with the assignments as they were', (h) => {
  it('for random tagging, expiries and sweeps, with and without the index', { timeout: 120_000 }, async () => {
    let round = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 3, maxLength: 14 }), fc.nat(100), fc.nat(100), async (steps, a, b) => {
        // A workspace per run: the history must hold this run's changes only.
        const workspaceKey = `${h.workspaceKey()}-${round++}`;
        const ctx = { ...h.context(), workspaceKey, workspaceId: await ensureWorkspace(h.store(), workspaceKey, workspaceKey, h.clock.now) };
        await upsertCustomers(ctx, CUSTOMERS.map((id) => ({ id })));
        await defineTag(ctx, stage);
        await defineTag(ctx, interests);
        const valueKeys = { stage: stage.values.map((value) => value.key), interests: interests.values.map((value) => value.key) };
        const snapshots: Snapshot[] = [];
        const snapshot = async () => {
          const rows = await ctx.store.db
            .selectFrom('assignments')
            .innerJoin('tags', 'tags.id', 'assignments.tag_id')
            .innerJoin('tag_values', 'tag_values.id', 'assignments.value_id')
            .innerJoin('customers', 'customers.id', 'assignments.customer_id')
            .select(['tags.key as tag', 'tag_values.key as value', 'customers.external_id as customer', 'assignments.expires_at'])
            .where('assignments.workspace_id', '=', ctx.workspaceId)
            .execute();
          const held = new Map<string, Map<string, number | null>>();
          for (const row of rows) {
            const byTag = held.get(row.tag) ?? new Map<string, number | null>();
            byTag.set(`${row.customer}:${row.value}`, row.expires_at === null ? null : Number(row.expires_at));
            held.set(row.tag, byTag);
          }
          snapshots.push({ at: h.clock.now().getTime(), held });
        };
        const began = h.clock.now().getTime();
        await snapshot();
        for (const s of steps) {
          // Every change at its own instant, as changes come.
          h.clock.advance(60_000);
          if (s.kind === 'wait') h.clock.advance(s.hours * HOUR);
          else if (s.kind === 'sweep') await sweepExpiredAssignments(ctx);
          else if (s.kind === 'assign') {
            const expiresAt = s.expiresInHours === null ? undefined : h.clock.now().getTime() + s.expiresInHours * HOUR;
            await assignTag(ctx, { tag: s.tag, value: valueKeys[s.tag][s.value] ?? '', customers: s.customers.map((i) => CUSTOMERS[i] ?? ''), source: 'manual', expiresAt });
          } else {
            await removeTag(ctx, { tag: s.tag, value: s.value === null ? undefined : valueKeys[s.tag][s.value], customers: s.customers.map((i) => CUSTOMERS[i] ?? ''), source: 'manual' });
          }
          await snapshot();
        }
        h.clock.advance(60_000);
        const ended = h.clock.now().getTime();
        // Two instants in the run, anywhere: at a change, between changes, before or after an expiry.
        const [from, to] = [began + ((ended - began) * Math.min(a, b)) / 101, began + ((ended - began) * (Math.max(a, b) + 1)) / 101].map(Math.floor) as [number, number];
        const audience = indexAudience(new IndexRegistry(ctx.store));
        const holders = (valueIds: readonly number[]) => audience.valueHolders(ctx, valueIds);
        for (const tagKey of ['stage', 'interests'] as const) {
          const want = expected(heldAt(snapshots, tagKey, from), heldAt(snapshots, tagKey, to), tagKey === 'stage');
          expect(actual(await tagTransitions(ctx, tagKey, { from, to }))).toEqual(want);
          expect(actual(await tagTransitions(ctx, tagKey, { from, to }, holders))).toEqual(want);
        }
      }),
      { numRuns: 60 },
    );
  });
});
