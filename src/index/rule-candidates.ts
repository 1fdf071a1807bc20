// Which customers a pass of the rules could change, found with bitmaps: for each rule, the
// customers each value's condition selects now against the customers holding that value. A
// customer outside every difference keeps every rule tag as it is — a rule reads only its own
// customer's data, and rules come in dependency order, so the first rule whose answer would
// move puts the customer in the set — and a pass need evaluate only these customers exactly.
import type { WorkspaceCatalog } from '../engine/catalog.js';
import type { RuleCandidateFinder } from '../engine/context.js';
import type { RuleSet } from '../engine/rules.js';
import type { IndexRegistry } from './registry.js';
import { Bitmap } from './roaring.js';
import type { WorkspaceIndex } from './workspace-index.js';

const EMPTY = new Bitmap();

export function ruleCandidates(index: WorkspaceIndex, rules: RuleSet, catalog: WorkspaceCatalog, now: number): Bitmap {
  const options = { now, utcOffsetMinutes: catalog.utcOffsetMinutes, tagIds: catalog.tagIds, segment: (key: string) => rules.segments.get(key) };
  const candidates = new Bitmap();
  for (const rule of rules.rules) {
    // Customers some value selects. A single-valued tag takes the first value that matches:
    // later values lose those customers.
    const taken = new Bitmap();
    for (const { value, bound } of rule.values) {
      const desired = index.evaluate(bound, options);
      if (rule.tag.cardinality === 'single') desired.andNotInPlace(taken);
      taken.orInPlace(desired);
      candidates.orInPlace(Bitmap.xor(desired, index.valueMembers(value.id) ?? EMPTY));
    }
    // Holders of a value no condition selects (or of a value no longer in the rule) lose it.
    candidates.orInPlace(Bitmap.andNot(index.tagMembers(rule.tag.id) ?? EMPTY, taken));
  }
  return candidates;
}

/** A finder over the registry's indexes, for the server's scheduler and requests. */
export function indexRuleCandidates(registry: IndexRegistry): RuleCandidateFinder {
  return async (context, rules, catalog) => [...ruleCandidates(await registry.get(context), rules, catalog, context.now().getTime())];
}
