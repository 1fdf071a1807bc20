// Rules apply to customers whoever acts. An integrator's events, the clock, a colleague's
// tagging or segment edit move a staff member's personal rule tags as much as the owner's own
// actions do, though only the owner sees those tags. Each owner's personal rules are compiled in
// the owner's own view of the library (their personal tags by their keys, which a colleague's may
// share) and run after the acting view's rules: a personal rule may read shared rule tags, never
// the other way round.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../store/schema.js';
import { loadWorkspaceCatalog, type WorkspaceCatalog } from './catalog.js';
import type { WorkspaceContext } from './context.js';
import { cachedEngineState, compileEngineState, type EngineState } from './engine-cache.js';
import { compileRules, evaluateRules, type RuleResult, type RuleSet, type RuleTrigger } from './rules.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface RuleGroup {
  catalog: WorkspaceCatalog;
  rules: RuleSet;
}

const ownRulesOf = new WeakMap<RuleSet, Map<string, RuleSet>>();

/** The rules of `owner`'s personal tags in a rule set compiled in their view. */
function ownRules(rules: RuleSet, owner: string): RuleSet {
  let byOwner = ownRulesOf.get(rules);
  if (!byOwner) ownRulesOf.set(rules, (byOwner = new Map()));
  let own = byOwner.get(owner);
  if (!own) {
    own = { rules: rules.rules.filter((rule) => rule.tag.scope === 'personal' && rule.tag.owner === owner), segments: rules.segments };
    byOwner.set(owner, own);
  }
  return own;
}

/**
 * The acting view's rules, then every other staff member's personal rules. `fresh` reads each
 * owner's catalog in `db` rather than from the cache, for transactions that may themselves have
 * edited the library.
 */
export async function ruleGroups(context: WorkspaceContext, db: Db, state: Pick<EngineState, 'catalog' | 'rules'>, options: { fresh?: boolean } = {}): Promise<RuleGroup[]> {
  const groups: RuleGroup[] = [{ catalog: state.catalog, rules: state.rules }];
  for (const owner of state.catalog.personalRuleOwners) {
    if (owner === context.actor) continue;
    const theirs: WorkspaceContext = { ...context, actor: owner };
    const engine = options.fresh ? compileEngineState(await loadWorkspaceCatalog(theirs, db)) : await cachedEngineState(theirs, db);
    const rules = ownRules(engine.rules, owner);
    if (rules.rules.length > 0) groups.push({ catalog: engine.catalog, rules });
  }
  return groups;
}

/** `compileRules` for every group of a catalog just read in `db` (scheduling passes after a library edit). */
export async function compiledRuleGroups(context: WorkspaceContext, db: Db, catalog: WorkspaceCatalog): Promise<RuleGroup[]> {
  return ruleGroups(context, db, { catalog, rules: compileRules(catalog) }, { fresh: true });
}

/**
 * `evaluateRules` for each group in turn. A later group's rules also run for the tags an
 * earlier one changed (a shared rule tag a personal rule reads), told by id.
 */
export async function evaluateRuleGroups(
  context: WorkspaceContext,
  db: Db,
  groups: readonly RuleGroup[],
  customerIds: readonly number[],
  trigger: RuleTrigger,
  inputs: Parameters<typeof evaluateRules>[6] = {},
): Promise<RuleResult> {
  const total: RuleResult = { changedCustomers: new Set(), changedTags: new Set(), changedTagIds: new Set(), assignmentsAdded: 0, assignmentsRemoved: 0 };
  // By id: a later group's owner may have a personal tag of the key an earlier group's tag has.
  const changedTagIds = new Set(trigger.tagIds ?? []);
  for (const [index, group] of groups.entries()) {
    const result = await evaluateRules(context, db, group.catalog, group.rules, customerIds, index === 0 || changedTagIds.size === 0 ? trigger : { ...trigger, tagIds: changedTagIds }, inputs);
    for (const id of result.changedCustomers) total.changedCustomers.add(id);
    for (const tag of result.changedTags) total.changedTags.add(tag);
    for (const id of result.changedTagIds) {
      total.changedTagIds.add(id);
      changedTagIds.add(id);
    }
    total.assignmentsAdded += result.assignmentsAdded;
    total.assignmentsRemoved += result.assignmentsRemoved;
  }
  return total;
}
