// Saving a rule tag: its conditions are checked (syntax, names, types, cycles) before
// anything is written, a preview says how many customers each value would match, and
// after the save the rule is applied to everyone.
import { parseTemplate, tagTriggerOf } from '../core/care.js';
import { TagbaseError, namedInMessage, valueInMessage } from '../core/errors.js';
import { collectDependencies, compileExpression, evaluateExpression } from '../core/expression/index.js';
import { diagnosticText } from '../core/expression-errors.js';
import { localized, type Locale, type LocalizedText } from '../core/locale.js';
import { maskedAsk, maskedAskProblem } from '../core/masked-asks.js';
import { isComputedTag, type TagDefinition } from '../core/tag.js';
import { IDS_PER_QUERY, chunks } from '../store/chunks.js';
import { catalogTag, loadCustomerViews, loadWorkspaceCatalog, maskedSegmentReader, savedExpressionReader, savedExpressions, type WorkspaceCatalog } from './catalog.js';
import type { WorkspaceContext } from './context.js';
import { personalTagRead } from './personal-reads.js';
import { allCustomerIds } from './propagate.js';
import { compileRules, segmentAwareView, type CompiledRuleValue } from './rules.js';
import { expressionAsMeant, expressionShownIn } from './shown-expressions.js';

/** The catalog as it would be with `candidate` saved (replacing the tag it was, if any). */
export function withCandidate(catalog: WorkspaceCatalog, candidate: TagDefinition, replacing?: string): WorkspaceCatalog {
  const replaced = replacing ?? candidate.key;
  const tags = [...catalog.tags.filter((tag) => tag.key !== replaced), candidate];
  return {
    ...catalog,
    tags,
    catalog: {
      ...catalog.catalog,
      tags: tags.map(catalogTag),
    },
  };
}

/**
 * Throws RULE_INVALID or RULE_CYCLE when saving `candidate` would leave a rule that does not
 * compile: the candidate's own conditions, or any other rule that reads what it renames or removes.
 */
export async function checkRuleTag(context: WorkspaceContext, candidate: TagDefinition, replacing?: string): Promise<void> {
  const before = await loadWorkspaceCatalog(context);
  const working = new Set(compileRules(before).rules.map((rule) => rule.tag.key));
  const after = withCandidate(before, candidate, replacing);
  if (isComputedTag(candidate.kind)) {
    const rule = compileRules(after, { strictTag: candidate.key }).rules.find((entry) => entry.tag.key === candidate.key);
    if (rule && candidate.scope === 'enterprise') assertReadsNoPersonalTag(after, candidate, rule.values);
    if (rule) assertRuleAsks(context, before, candidate, rule.values, replacing);
  }
  for (const key of working) if (key !== candidate.key && key !== replacing) compileRules(after, { strictTag: key });
  await assertReadersStillCompile(context, before, after, replacing ?? candidate.key);
  if (candidate.scope === 'enterprise') await assertOthersRulesStillCompile(context, before, candidate, replacing);
}

/**
 * Other staff members' personal rule tags read shared tags too, each in its owner's view of the
 * library: a rename, a new key or a removed value that one of them reads would stop it unseen.
 * Such a change is refused as one a saved segment reads is, said without the rule's name, its
 * owner or its condition, which are theirs.
 */
async function assertOthersRulesStillCompile(context: WorkspaceContext, before: WorkspaceCatalog, candidate: TagDefinition, replacing: string | undefined): Promise<void> {
  for (const owner of before.personalRuleOwners.filter((each) => each !== context.actor)) {
    const theirs = await loadWorkspaceCatalog({ ...context, actor: owner });
    const after = withCandidate(theirs, candidate, replacing);
    const stops = theirs.tags.some(
      (tag) =>
        tag.scope === 'personal' &&
        tag.owner === owner &&
        tag.status === 'active' &&
        tag.values.some((value) => value.condition !== null && compileExpression(value.condition, theirs.catalog).bound !== undefined && compileExpression(value.condition, after.catalog).bound === undefined),
    );
    if (!stops) continue;
    const tag = replacing ?? candidate.key;
    const changed = before.tags.find((each) => each.key === tag) ?? candidate;
    throw new TagbaseError('TAG_IN_USE', {
      tag,
      tagNamed: namedInMessage(changed),
      users: localized("another staff member's personal rule tag", '其他员工的个人规则标签'),
      detail: localized('its condition reads what this change renames or removes', '其条件读取了此修改要改名或删除的内容'),
    });
  }
}

/**
 * The conditions the caller writes ask of personal data no more than the caller may see
 * (src/core/masked-asks.ts); a condition kept as it was saved was written by whoever saved it.
 */
function assertRuleAsks(context: WorkspaceContext, before: WorkspaceCatalog, candidate: TagDefinition, values: readonly CompiledRuleValue[], replacing: string | undefined): void {
  if (context.personalData !== 'masked') return;
  const stored = before.tags.find((tag) => tag.key === (replacing ?? candidate.key));
  for (const { value, bound } of values) {
    if (stored?.values.some((kept) => kept.key === value.key && kept.condition === value.condition)) continue;
    const ask = maskedAsk(bound, before.metrics, maskedSegmentReader(before));
    if (!ask) continue;
    const named = valueInMessage(candidate, value);
    throw maskedAskProblem(ask, { path: `${value.key}:${ask.span.line}:${ask.span.column}`, about: localized(`the condition of value ${named.en}`, `标签值${named['zh-CN']}的条件`) });
  }
}

/** A shared rule tag is run for whoever's change triggers it: it may not read a personal tag. */
function assertReadsNoPersonalTag(catalog: WorkspaceCatalog, candidate: TagDefinition, values: readonly CompiledRuleValue[]): void {
  for (const { value, bound } of values) {
    const read = personalTagRead(catalog, collectDependencies(bound), candidate.key);
    if (read) {
      throw new TagbaseError('RULE_INVALID', {
        tag: candidate.key,
        value: value.key,
        valueNamed: valueInMessage(candidate, value),
        detail: localized(`it reads the personal tag "${read.name}", which only its owner sees; a shared rule tag reads shared tags`, `它读取了个人标签「${read.name}」，该标签只有其创建者可见；企业规则标签只能读取企业标签`),
      });
    }
  }
}

/**
 * Saved segments and care plans' conditions name tags and values as text: a rename, a new key
 * or a removed value that one of them reads would silently stop it (a segment that no longer
 * compiles counts no one, and its exports and webhooks with it). Such a change is refused with
 * the readers named, as a rule reading the tag refuses it.
 */
async function assertReadersStillCompile(context: WorkspaceContext, before: WorkspaceCatalog, after: WorkspaceCatalog, tag: string): Promise<void> {
  const broken: { reader: LocalizedText; problem: LocalizedText }[] = [];
  for (const reader of await savedExpressions(context, before)) {
    if (!compileExpression(reader.source, before.catalog).bound) continue;
    const first = compileExpression(reader.source, after.catalog).diagnostics[0];
    if (first) broken.push({ reader: savedExpressionReader(reader), problem: diagnosticText(first) });
  }
  // A step's message names tags as text too (`{tag:RFM等级}`): one left naming none would be sent without it.
  const sharedName = (catalog: WorkspaceCatalog, text: string) => catalog.tags.some((each) => each.scope === 'enterprise' && (each.key === text || each.name === text));
  const plans = await context.store.db.selectFrom('care_plans').select(['key', 'trigger', 'steps']).where('workspace_id', '=', context.workspaceId).orderBy('id').execute();
  for (const plan of plans) {
    // A trigger on one value follows the value's new key, but not its removal: it would never fire again.
    const trigger = tagTriggerOf(plan.trigger);
    const triggerTag = before.tags.find((each) => each.scope === 'enterprise' && each.key === trigger?.tag);
    const triggerValue = triggerTag?.values.find((value) => value.key === trigger?.value);
    const kept = after.tags.find((each) => each.id === triggerTag?.id);
    if (triggerTag && triggerValue && kept && !kept.values.some((value) => value.id === triggerValue.id)) {
      broken.push({
        reader: localized(`the trigger of care plan "${plan.key}"`, `关怀计划「${plan.key}」的触发条件`),
        problem: localized(`it follows the value ${valueInMessage(triggerTag, triggerValue).en}, which would be gone`, `它跟随的标签值${valueInMessage(triggerTag, triggerValue)['zh-CN']}将不复存在`),
      });
    }
    for (const step of JSON.parse(plan.steps) as { message: string }[]) {
      const parsed = parseTemplate(step.message);
      if (!('parts' in parsed)) continue;
      for (const part of parsed.parts) {
        if (typeof part === 'string' || part.kind !== 'tag' || !sharedName(before, part.key) || sharedName(after, part.key)) continue;
        broken.push({
          reader: localized(`the messages of care plan "${plan.key}"`, `关怀计划「${plan.key}」的消息`),
          problem: localized(`{tag:${part.key}} would name no shared tag`, `{tag:${part.key}} 将不再指向任何企业标签`),
        });
      }
    }
  }
  const first = broken[0];
  if (!first) return;
  const listed = (locale: Locale, separator: string) => [...new Set(broken.map((entry) => entry.reader[locale]))].join(separator);
  const changed = before.tags.find((each) => each.key === tag) ?? { key: tag, name: tag };
  throw new TagbaseError('TAG_IN_USE', { tag, tagNamed: namedInMessage(changed), users: localized(listed('en', ', '), listed('zh-CN', '、')), detail: first.problem });
}

export interface RulePreview {
  customers: number;
  values: { key: string; name: string; customers: number }[];
}

/** How many customers each value of a rule tag would hold if it were saved as given; writes nothing. */
export async function previewRuleTag(context: WorkspaceContext, sent: TagDefinition, replacing?: string): Promise<RulePreview> {
  const before = await loadWorkspaceCatalog(context);
  // The editor sends the conditions back as they were shown: masked ones preview as saved.
  const saved = before.tags.find((tag) => tag.key === replacing)?.values.map((value) => value.condition) ?? [];
  const shown = expressionShownIn(context, before);
  const candidate = { ...sent, values: sent.values.map((value, index) => (value.condition === null ? value : { ...value, condition: expressionAsMeant(shown, saved, value.condition, `values.${index}.condition`) })) };
  const catalog = withCandidate(before, candidate, replacing);
  const rules = compileRules(catalog, { strictTag: candidate.key });
  const rule = rules.rules.find((entry) => entry.tag.key === candidate.key);
  if (rule) assertRuleAsks(context, before, candidate, rule.values, replacing);
  const counts = new Map(candidate.values.map((value) => [value.key, 0]));
  const pinned = replacing === undefined ? new Map<number, HeldByHand>() : await heldByHand(context, before, replacing, candidate.kind === 'model' ? 'model' : 'rule');
  const ids = await allCustomerIds(context, context.store.db);
  const now = context.now().getTime();
  const options = { utcOffsetMinutes: catalog.utcOffsetMinutes };
  const count = (key: string) => {
    if (counts.has(key)) counts.set(key, (counts.get(key) ?? 0) + 1);
  };
  for (const part of chunks(ids, IDS_PER_QUERY)) {
    const views = await loadCustomerViews(context, catalog, part);
    for (const [id, view] of views) {
      const held = pinned.get(id);
      // The rule leaves a customer who holds a single-valued tag by hand alone: they keep what they hold.
      if (held !== undefined && candidate.cardinality === 'single') {
        held.keys.forEach(count);
        continue;
      }
      // On a multi-valued tag only the values given by hand are pinned: they count as held, the rest as the rule answers.
      held?.byHand.forEach(count);
      const withSegments = segmentAwareView(view, rules.segments, now, options);
      let matched = false;
      for (const entry of rule?.values ?? []) {
        if (candidate.cardinality === 'single' && matched) break;
        if (evaluateExpression(entry.bound, withSegments, now, options)) {
          matched = true;
          if (!held?.byHand.has(entry.value.key)) count(entry.value.key);
        }
      }
    }
  }
  return { customers: ids.length, values: candidate.values.map((value) => ({ key: value.key, name: value.name, customers: counts.get(value.key) ?? 0 })) };
}

/** What a customer holding some value of a rule tag by hand holds of it: every value's key, and those given by hand. */
interface HeldByHand {
  keys: string[];
  byHand: Set<string>;
}

/**
 * Customers who hold some value of tag `tagKey` from another source than its rule (by hand,
 * import or API): such a value pins a single-valued tag whole, and itself alone on a
 * multi-valued one (`evaluateRules`).
 */
async function heldByHand(context: WorkspaceContext, catalog: WorkspaceCatalog, tagKey: string, ruleSource: string): Promise<Map<number, HeldByHand>> {
  const ids = catalog.tagIds.get(tagKey);
  if (!ids) return new Map();
  const keys = new Map([...ids.values].map(([key, id]) => [id, key]));
  const rows = await context.store.db.selectFrom('assignments').select(['customer_id', 'value_id', 'source']).where('tag_id', '=', ids.id).execute();
  const byCustomer = new Map<number, HeldByHand & { pinned: boolean }>();
  for (const row of rows) {
    const entry = byCustomer.get(row.customer_id) ?? { keys: [], byHand: new Set<string>(), pinned: false };
    const key = keys.get(row.value_id);
    if (key !== undefined) entry.keys.push(key);
    if (row.source !== ruleSource) {
      entry.pinned = true;
      if (key !== undefined) entry.byHand.add(key);
    }
    byCustomer.set(row.customer_id, entry);
  }
  return new Map([...byCustomer].filter(([, entry]) => entry.pinned).map(([customer, entry]) => [customer, { keys: entry.keys, byHand: entry.byHand }]));
}
