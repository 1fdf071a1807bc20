// Rule tags: each value has a condition. A single-valued rule tag takes the first value (in
// value order) whose condition matches; a multi-valued one takes every matching value; when
// nothing matches the tag is absent. A value assigned by hand (or by import or API) on a
// single-valued rule tag pins the tag for that customer: the rule leaves it alone until it is
// removed. On a multi-valued rule tag the pin is the value's alone: the rule neither removes nor
// claims a value given by hand, and goes on adding and removing the tag's other values.
import type { Kysely, Selectable, Transaction } from 'kysely';
import { TagbaseError, valueInMessage } from '../core/errors.js';
import { diagnosticItem, diagnosticText } from '../core/expression-errors.js';
import { compileExpression, evaluateExpression, segmentNestingDiagnostic, type AttributeValue, type BoundExpression, type CustomerView, type ExpressionDependencies } from '../core/expression/index.js';
import { localized } from '../core/locale.js';
import { isReachabilityField } from '../core/customer.js';
import { formatTagLabel, isComputedTag, isStillHeld, type TagDefinition, type TagValue } from '../core/tag.js';
import { IDS_PER_QUERY, chunks, rowsPerInsert } from '../store/chunks.js';
import type { CustomerTable, Database } from '../store/schema.js';
import { selectTuples } from '../store/tuples.js';
import { BUILTIN_FIELD_COLUMNS } from '../store/customer-fields.js';
import { computedFieldValues, loadIdentityKinds, segmentNesting, type WorkspaceCatalog } from './catalog.js';
import type { WorkspaceContext } from './context.js';
import { insertHistory, type HistoryRow } from './history.js';
import type { MetricChanges } from './metrics.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface CompiledRuleValue {
  value: TagValue;
  bound: BoundExpression;
}

export interface CompiledRule {
  tag: TagDefinition;
  values: CompiledRuleValue[];
  /** What any of the tag's conditions reads, segments expanded. */
  dependencies: ExpressionDependencies;
}

export interface RuleSet {
  /** In dependency order: a rule comes after every rule tag it reads. */
  rules: CompiledRule[];
  segments: Map<string, BoundExpression>;
}

export const RULE_ACTOR_PREFIX = 'rule:';
export const MODEL_ACTOR_PREFIX = 'model:';

function union(into: ExpressionDependencies, from: ExpressionDependencies): void {
  into.tags = [...new Set([...into.tags, ...from.tags])];
  into.fields = [...new Set([...into.fields, ...from.fields])];
  into.metrics = [...new Set([...into.metrics, ...from.metrics])];
  into.segments = [...new Set([...into.segments, ...from.segments])];
  into.clock ||= from.clock;
}

/**
 * Compiles the saved segments, each with its dependencies, expanding segments it reads. `broken`
 * names those that no longer compile and those reading them, directly or not: they would match
 * nobody, so a rule reading one stops rather than taking its value from everyone.
 */
function compileSegments(catalog: WorkspaceCatalog): { bound: Map<string, BoundExpression>; dependencies: Map<string, ExpressionDependencies>; broken: Set<string> } {
  const bound = new Map<string, BoundExpression>();
  const direct = new Map<string, ExpressionDependencies>();
  for (const [key, segment] of catalog.segments) {
    const compiled = compileExpression(segment.expression, catalog.catalog);
    if (compiled.bound) {
      bound.set(key, compiled.bound);
      direct.set(key, compiled.dependencies);
    }
  }
  const broken = new Set([...catalog.segments.keys()].filter((key) => !bound.has(key)));
  for (let grew = broken.size > 0; grew; ) {
    grew = false;
    for (const [key, dependencies] of direct) {
      if (broken.has(key) || !dependencies.segments.some((read) => broken.has(read))) continue;
      broken.add(key);
      grew = true;
    }
  }
  for (const key of broken) {
    bound.delete(key);
    direct.delete(key);
  }
  const expanded = new Map<string, ExpressionDependencies>();
  const expand = (key: string, seen: Set<string>): ExpressionDependencies => {
    const done = expanded.get(key);
    if (done) return done;
    const result: ExpressionDependencies = { tags: [], fields: [], metrics: [], segments: [], clock: false };
    const own = direct.get(key);
    if (own && !seen.has(key)) {
      union(result, own);
      for (const inner of own.segments) union(result, expand(inner, new Set([...seen, key])));
    }
    expanded.set(key, result);
    return result;
  };
  for (const key of direct.keys()) expand(key, new Set());
  return { bound, dependencies: expanded, broken };
}

/**
 * Compiles every rule tag of the catalog, or throws RULE_INVALID for a condition that does
 * not compile and RULE_CYCLE when rule tags read each other in a circle.
 */
export function compileRules(catalog: WorkspaceCatalog, options: { strictTag?: string | undefined } = {}): RuleSet {
  const segments = compileSegments(catalog);
  const nesting = segmentNesting(catalog.segments);
  const rules: CompiledRule[] = [];
  for (const tag of catalog.tags) {
    if (!isComputedTag(tag.kind) || tag.status !== 'active') continue;
    const dependencies: ExpressionDependencies = { tags: [], fields: [], metrics: [], segments: [], clock: false };
    const values: CompiledRuleValue[] = [];
    // The values of the tag being saved whose conditions do not compile: every one is told at once.
    const broken: { key: string; name: string; diagnostics: ReturnType<typeof compileExpression>['diagnostics'] }[] = [];
    for (const value of tag.values) {
      if (value.condition === null) continue;
      const source = value.condition;
      const parsed = compileExpression(source, catalog.catalog);
      // Nesting past the limit through the saved segments it reads, the condition is refused as one nesting past it itself.
      const deep = parsed.bound && segmentNestingDiagnostic(source, nesting(source));
      const compiled = deep ? { ...parsed, bound: undefined, diagnostics: [deep] } : parsed;
      if (!compiled.bound) {
        // A rule broken by a later library change (an archived or renamed tag) stops running
        // rather than stopping everything; it is refused only when it is being saved.
        if (tag.key !== options.strictTag) {
          values.length = 0;
          break;
        }
        broken.push({ key: value.key, name: value.name, diagnostics: compiled.diagnostics });
        continue;
      }
      const brokenRead = compiled.dependencies.segments.find((segment) => segments.broken.has(segment));
      if (brokenRead !== undefined) {
        if (tag.key !== options.strictTag) {
          values.length = 0;
          break;
        }
        const segment = catalog.segments.get(brokenRead);
        const named = segment && segment.name !== brokenRead ? localized(`"${segment.name}" (${brokenRead})`, `「${segment.name}」（${brokenRead}）`) : localized(`"${brokenRead}"`, `「${brokenRead}」`);
        throw new TagbaseError('RULE_INVALID', {
          tag: tag.key,
          value: value.key,
          valueNamed: valueInMessage(tag, value),
          detail: localized(`it reads segment ${named.en}, which no longer reads (or reads one that does not): mend that segment first`, `它读取的人群${named['zh-CN']}已无法读取（或它读取的人群无法读取）：请先修好该人群`),
        });
      }
      union(dependencies, compiled.dependencies);
      for (const segment of compiled.dependencies.segments) {
        const expanded = segments.dependencies.get(segment);
        if (expanded) union(dependencies, expanded);
      }
      values.push({ value, bound: compiled.bound });
    }
    const [firstBroken] = broken;
    if (firstBroken) {
      const first = firstBroken.diagnostics[0];
      const text = first ? diagnosticText(first) : localized('the condition does not compile', '条件无法编译');
      const detail = first ? localized(`${text.en} (line ${first.line}, column ${first.column})`, `${text['zh-CN']}（第 ${first.line} 行第 ${first.column} 列）`) : text;
      const items = broken.flatMap(({ key, diagnostics }) => diagnostics.map((d) => diagnosticItem(d, 0, `${key}:${d.line}:${d.column}`)));
      throw new TagbaseError('RULE_INVALID', { tag: tag.key, value: firstBroken.key, valueNamed: valueInMessage(tag, firstBroken), detail }, items);
    }
    if (values.length > 0 || tag.values.every((value) => value.condition === null)) rules.push({ tag, values, dependencies });
  }
  return { rules: orderRules(rules), segments: segments.bound };
}

function orderRules(rules: CompiledRule[]): CompiledRule[] {
  const byKey = new Map(rules.map((rule) => [rule.tag.key, rule]));
  const ordered: CompiledRule[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (rule: CompiledRule, path: string[]) => {
    const seen = state.get(rule.tag.key);
    if (seen === 'done') return;
    if (seen === 'visiting') {
      const cycle = [...path.slice(path.indexOf(rule.tag.key)), rule.tag.key];
      throw new TagbaseError('RULE_CYCLE', { cycle: cycle.join(' → ') });
    }
    state.set(rule.tag.key, 'visiting');
    for (const tagKey of rule.dependencies.tags) {
      const dependency = byKey.get(tagKey);
      if (dependency) visit(dependency, [...path, rule.tag.key]);
    }
    state.set(rule.tag.key, 'done');
    ordered.push(rule);
  };
  for (const rule of rules) visit(rule, []);
  return ordered;
}

/** A customer view that answers `segment("…")` from the saved segments, each at most once. */
export function segmentAwareView(view: CustomerView, segments: ReadonlyMap<string, BoundExpression>, now: number, options: { utcOffsetMinutes: number }): CustomerView {
  const cache = new Map<string, boolean>();
  const withSegments: CustomerView = {
    ...view,
    segments: (key) => {
      const cached = cache.get(key);
      if (cached !== undefined) return cached;
      cache.set(key, false); // a segment that reads itself is false, not a loop
      const bound = segments.get(key);
      const answer = bound ? evaluateExpression(bound, withSegments, now, options) : false;
      cache.set(key, answer);
      return answer;
    },
  };
  return withSegments;
}

/** What changed for a set of customers, so that only the rules reading it run. */
export interface RuleTrigger {
  /** Evaluate every rule for these customers (new customers, merges, recompute, rule changes). */
  all?: boolean;
  /** Only these rule tags by id (and the rules that read them): a pass of one tag, whose key a colleague's personal tag may share. */
  onlyTagIds?: ReadonlySet<number>;
  metrics?: MetricChanges;
  fields?: ReadonlySet<string>;
  /**
   * Tags changed by id for every customer in the set (manual tagging, expiry): the rules whose
   * conditions name one of them, each key looked up in the rule's owner's view, since a
   * colleague's personal tag may share the key.
   */
  tagIds?: ReadonlySet<number>;
  /** Rules whose conditions read the clock. */
  clock?: boolean;
  /**
   * Written on every history row of the rules' changes: the bulk tagging (or the undo of one)
   * they follow in its transaction, so that undoing it can withdraw what they started in care,
   * and care reads past what an undo's rules change.
   */
  history?: Pick<HistoryRow, 'caused_by_operation' | 'undone_operation'>;
}

export interface RuleResult {
  /** Customers whose tags changed. */
  changedCustomers: Set<number>;
  /** Rule tags that changed for any of them. */
  changedTags: Set<string>;
  /** The same tags by id. */
  changedTagIds: Set<number>;
  assignmentsAdded: number;
  assignmentsRemoved: number;
}

interface HeldValue {
  valueId: number;
  source: string;
  /** False past its expiry, before the sweep takes it off: the rules no longer read it, but its row is still there. */
  stillHeld: boolean;
}

function shouldRun(rule: CompiledRule, trigger: RuleTrigger, customerChanges: { metrics?: Set<string>; tags: Set<string> }, catalog: WorkspaceCatalog): boolean {
  if (trigger.all) return true;
  if (trigger.onlyTagIds?.has(rule.tag.id)) return true;
  const deps = rule.dependencies;
  if (trigger.clock && deps.clock) return true;
  if (customerChanges.metrics && deps.metrics.some((metric) => customerChanges.metrics?.has(metric))) return true;
  if (trigger.fields && deps.fields.some((field) => trigger.fields?.has(field))) return true;
  return deps.tags.some((tag) => customerChanges.tags.has(tag) || readsChangedTag(catalog, tag, trigger.tagIds));
}

function readsChangedTag(catalog: WorkspaceCatalog, key: string, changed: ReadonlySet<number> | undefined): boolean {
  if (!changed || changed.size === 0) return false;
  const id = catalog.tagIds.get(key)?.id;
  return id !== undefined && changed.has(id);
}

/** The values a customer should hold: the first match of a single-valued tag (later ones are not evaluated), every match of a multi-valued one. */
function matchingValues(rule: CompiledRule, view: CustomerView, now: number, options: { utcOffsetMinutes: number }): CompiledRuleValue[] {
  if (rule.tag.cardinality === 'single') {
    for (const candidate of rule.values) if (evaluateExpression(candidate.bound, view, now, options)) return [candidate];
    return [];
  }
  return rule.values.filter((candidate) => evaluateExpression(candidate.bound, view, now, options));
}

/**
 * Re-evaluates rule tags for the given customers inside the caller's transaction, writing
 * every change to the assignments and the history with the rule as actor.
 */
export async function evaluateRules(
  context: WorkspaceContext,
  db: Db,
  catalog: WorkspaceCatalog,
  ruleSet: RuleSet,
  customerIds: readonly number[],
  trigger: RuleTrigger,
  inputs: {
    metrics?: ReadonlyMap<number, Readonly<Record<string, AttributeValue>>>;
    /** Customer rows the caller has read in this transaction (live ones only); the rest are read here. */
    customers?: ReadonlyMap<number, Selectable<CustomerTable>> | undefined;
  } = {},
): Promise<RuleResult> {
  const result: RuleResult = { changedCustomers: new Set(), changedTags: new Set(), changedTagIds: new Set(), assignmentsAdded: 0, assignmentsRemoved: 0 };
  if (ruleSet.rules.length === 0 || customerIds.length === 0) return result;
  const now = context.now().getTime();
  const ruleTagIds = new Set(ruleSet.rules.map((rule) => rule.tag.id));
  const options = { utcOffsetMinutes: catalog.utcOffsetMinutes };
  // Identities are read only for rules that ask whether a customer can be reached (has_phone …), directly or through a segment.
  const readsIdentities = ruleSet.rules.some((rule) => rule.dependencies.fields.some(isReachabilityField));
  for (const part of chunks([...new Set(customerIds)], IDS_PER_QUERY)) {
    const { views, held } = await loadRuleInputs(context, catalog, ruleTagIds, part, db, inputs.metrics, inputs.customers, readsIdentities);
    const inserts: { workspace_id: number; customer_id: number; tag_id: number; value_id: number; source: string; actor: string; assigned_at: number; expires_at: number | null }[] = [];
    const deletes: { customerId: number; valueId: number }[] = [];
    const history: HistoryRow[] = [];
    for (const [customerId, view] of views) {
      // What this group's rules changed for the customer, by key in this group's view.
      const changedTags = new Set<string>();
      const metricChanges = trigger.metrics?.get(customerId);
      for (const rule of ruleSet.rules) {
        if (!shouldRun(rule, trigger, { metrics: metricChanges, tags: changedTags }, catalog)) continue;
        const current = held.get(customerId)?.get(rule.tag.id) ?? [];
        const source = rule.tag.kind === 'model' ? 'model' : 'rule';
        const byHand = current.filter((entry) => entry.source !== source);
        if (byHand.length > 0 && rule.tag.cardinality === 'single') continue; // pinned by hand
        // Segments are answered afresh for each rule: earlier rules may have changed the tags they read.
        const subject = rule.dependencies.segments.length > 0 ? segmentAwareView(view, ruleSet.segments, now, options) : view;
        const desired = matchingValues(rule, subject, now, options);
        const desiredIds = new Set(desired.map((entry) => entry.value.id));
        const currentIds = new Set(current.map((entry) => entry.valueId));
        const added = desired.filter((entry) => !currentIds.has(entry.value.id)).map((entry) => entry.value);
        // A value given by hand on a multi-valued tag is pinned on its own: the rule takes back only what it gave.
        const removed = current.filter((entry) => entry.source === source && !desiredIds.has(entry.valueId)).map((entry) => entry.valueId);
        if (added.length === 0 && removed.length === 0) continue;
        const actor = source === 'model' ? `${MODEL_ACTOR_PREFIX}${rule.tag.model ?? rule.tag.key}` : `${RULE_ACTOR_PREFIX}${rule.tag.key}`;
        const names = new Map(rule.tag.values.map((value) => [value.id, value.name]));
        const base = { workspace_id: context.workspaceId, customer_id: customerId, tag_id: rule.tag.id, source, actor, at: now, expires_at: null, ...trigger.history };
        const replaced = rule.tag.cardinality === 'single' && added.length === 1 && removed.length === 1 ? removed[0] : undefined;
        for (const value of added) {
          inserts.push({ workspace_id: context.workspaceId, customer_id: customerId, tag_id: rule.tag.id, value_id: value.id, source, actor, assigned_at: now, expires_at: null });
          history.push({
            ...base,
            value_id: value.id,
            previous_value_id: replaced ?? null,
            action: replaced === undefined ? 'add' : 'replace',
            label: replaced === undefined ? formatTagLabel(rule.tag.name, value.name) : `${formatTagLabel(rule.tag.name, names.get(replaced) ?? '?')} → ${value.name}`,
          });
        }
        for (const valueId of removed) {
          deletes.push({ customerId, valueId });
          if (valueId !== replaced) history.push({ ...base, value_id: valueId, previous_value_id: null, action: 'remove', label: formatTagLabel(rule.tag.name, names.get(valueId) ?? '?') });
        }
        // Later rules in this pass read the new values, those given by hand among them.
        const tags = view.tags as Map<string, Set<string>>;
        const keys = new Map(rule.tag.values.map((value) => [value.id, value.key]));
        const kept = byHand.flatMap((entry) => (entry.stillHeld ? (keys.get(entry.valueId) ?? []) : []));
        tags.set(rule.tag.key, new Set([...kept, ...desired.map((entry) => entry.value.key)]));
        changedTags.add(rule.tag.key);
        result.changedTags.add(rule.tag.key);
        result.changedTagIds.add(rule.tag.id);
        result.changedCustomers.add(customerId);
        result.assignmentsAdded += added.length;
        result.assignmentsRemoved += removed.length;
      }
    }
    // One statement per value rather than per (customer, value): a batch removes few distinct values from many customers.
    const deletesByValue = new Map<number, number[]>();
    for (const deletion of deletes) {
      const customers = deletesByValue.get(deletion.valueId) ?? [];
      customers.push(deletion.customerId);
      deletesByValue.set(deletion.valueId, customers);
    }
    for (const [valueId, customers] of deletesByValue) {
      for (const slice of chunks(customers, IDS_PER_QUERY)) await db.deleteFrom('assignments').where('value_id', '=', valueId).where('customer_id', 'in', slice).execute();
    }
    for (const slice of chunks(inserts, rowsPerInsert(8))) await db.insertInto('assignments').values(slice).execute();
    await insertHistory(db, history);
  }
  return result;
}

/**
 * What the rules read for these customers, as `loadCustomerViews` gives it (no assignment past
 * its expiry), and the rule tags' current values with their sources, those past their expiry
 * included: their rows stand until the sweep, which runs the rules again for those customers, so a
 * value given by hand keeps pinning its rule tag until then and no rule writes a row that is still
 * there. One assignments read serves both, and metric values the caller has just computed are not
 * read back.
 */
async function loadRuleInputs(
  context: WorkspaceContext,
  catalog: WorkspaceCatalog,
  ruleTagIds: ReadonlySet<number>,
  customerIds: number[],
  db: Db,
  knownMetrics: ReadonlyMap<number, Readonly<Record<string, AttributeValue>>> | undefined,
  knownCustomers: ReadonlyMap<number, Selectable<CustomerTable>> | undefined,
  readsIdentities: boolean,
): Promise<{ views: Map<number, CustomerView>; held: Map<number, Map<number, HeldValue[]>> }> {
  const unknown = knownMetrics ? customerIds.filter((id) => !knownMetrics.has(id)) : customerIds;
  const given = knownCustomers ? customerIds.flatMap((id) => knownCustomers.get(id) ?? []) : [];
  const unread = knownCustomers ? customerIds.filter((id) => !knownCustomers.has(id)) : customerIds;
  const [read, assignments, metricRows, identityKinds] = await Promise.all([
    unread.length > 0 ? db.selectFrom('customers').selectAll().where('id', 'in', unread).where('merged_into', 'is', null).execute() : [],
    selectTuples(context.store, db, db.selectFrom('assignments').select(['customer_id', 'tag_id', 'value_id', 'source', 'expires_at']).where('customer_id', 'in', customerIds), ['customer_id', 'tag_id', 'value_id', 'source', 'expires_at']),
    unknown.length > 0 ? db.selectFrom('customer_metrics').select(['customer_id', 'metric_values']).where('customer_id', 'in', unknown).execute() : [],
    readsIdentities ? loadIdentityKinds(db, customerIds) : new Map<number, string[]>(),
  ]);
  const metrics = new Map<number, Readonly<Record<string, AttributeValue>>>(metricRows.map((row) => [row.customer_id, JSON.parse(row.metric_values) as Record<string, AttributeValue>]));
  const views = new Map<number, CustomerView>();
  // In id order, as the store returns the rows it reads, so that writes come out in the same order either way.
  for (const row of given.length > 0 ? [...given, ...read].sort((a, b) => a.id - b.id) : read) {
    const fields: Record<string, AttributeValue> = { ...(JSON.parse(row.custom) as Record<string, AttributeValue>) };
    for (const [key, column] of Object.entries(BUILTIN_FIELD_COLUMNS)) fields[key] = row[column];
    // Without `readsIdentities` no rule reads the reachability fields, which are then false.
    Object.assign(fields, computedFieldValues(row.id, identityKinds.get(row.id) ?? []));
    views.set(row.id, { tags: new Map(), fields, metrics: knownMetrics?.get(row.id) ?? metrics.get(row.id) ?? {} });
  }
  const valueKeys = catalogValueKeys(catalog);
  const held = new Map<number, Map<number, HeldValue[]>>();
  const now = context.now().getTime();
  for (const [customerId, tagId, valueId, source, expiresAt] of assignments) {
    const view = views.get(customerId);
    const keys = valueKeys.get(valueId);
    // Past its expiry an assignment is gone to the rules' conditions, swept or not, as to every read.
    const live = isStillHeld(expiresAt, now);
    if (view && keys && live) {
      const tags = view.tags as Map<string, Set<string>>;
      const values = tags.get(keys.tag);
      if (values) values.add(keys.value);
      else tags.set(keys.tag, new Set([keys.value]));
    }
    if (!ruleTagIds.has(tagId)) continue;
    let byTag = held.get(customerId);
    if (!byTag) held.set(customerId, (byTag = new Map()));
    const list = byTag.get(tagId);
    if (list) list.push({ valueId, source, stillHeld: live });
    else byTag.set(tagId, [{ valueId, source, stillHeld: live }]);
  }
  return { views, held };
}

/** Value id → tag and value keys. */
function catalogValueKeys(catalog: WorkspaceCatalog): Map<number, { tag: string; value: string }> {
  const keys = new Map<number, { tag: string; value: string }>();
  for (const [tagKey, ids] of catalog.tagIds) for (const [valueKey, valueId] of ids.values) keys.set(valueId, { tag: tagKey, value: valueKey });
  return keys;
}
