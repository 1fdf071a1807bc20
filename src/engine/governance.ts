// Tag governance (标签治理): what keeps a library from sprawling. Unused tags, values nobody
// holds, values of different tags whose holders nearly coincide, rules that read archived tags, overfull groups,
// shared tags whose names read as one, and personal tags that several staff made under the same name
// (candidates for the shared library). Memberships come from the assignments table, the source of truth.
import { z } from 'zod';
import { maskIdentity } from '../core/access.js';
import { normalizeIdentity } from '../core/customer.js';
import { placedProblem } from '../core/errors.js';
import { localized } from '../core/locale.js';
import { issueText, REPORT_INPUT } from '../core/validation.js';
import { CatalogIndex, compileExpression, type ExpressionCatalog } from '../core/expression/index.js';
import { editDistance } from '../core/names.js';
import type { TagDefinition } from '../core/tag.js';
import { catalogTag, loadWorkspaceCatalog } from './catalog.js';
import type { WorkspaceContext } from './context.js';
import { countAssignmentsByValue, listTagGroups } from './library.js';
import { stillHeld } from '../store/still-held.js';
import { loadTags } from './tag-loading.js';

export const governanceOptionsSchema = z.strictObject({
  /** Two values overlap when |A ∩ B| / |A ∪ B| of their holders reaches this. */
  jaccard: z.number().gt(0).max(1).default(0.9),
  /** Only values held by at least this many customers are compared. */
  min_members: z.number().int().min(1).max(1_000_000_000).default(20),
  /** Most tags a group should hold. */
  group_budget: z.number().int().min(1).max(100_000).default(30),
  /** How many staff members must have made the same personal tag. */
  min_owners: z.number().int().min(2).max(10_000).default(3),
});
export type GovernanceOptions = z.infer<typeof governanceOptionsSchema>;

export interface TagRef {
  tag: string;
  name: string;
}

export interface ValueRef extends TagRef {
  value: string;
  valueName: string;
}

export interface GovernanceReport {
  options: GovernanceOptions;
  /** Customers in the workspace. With none, nobody holds anything and that is not a finding: unusedTags and emptyValues stay empty. */
  customers: number;
  /** `model`: the model that sets a model's tag (its key may differ from the tag's). */
  unusedTags: (TagRef & { kind: string; model: string | null; group: string | null })[];
  /** Values no customer holds, of tags that are otherwise in use; for rule tags, values that never match. */
  emptyValues: (TagRef & { kind: string; model: string | null; value: string; valueName: string })[];
  /** Values of two different tags whose holders nearly coincide (see findOverlaps for why values, not tags). */
  overlappingTags: { first: ValueRef & { customers: number }; second: ValueRef & { customers: number }; shared: number; jaccard: number }[];
  rulesReadingArchivedTags: (TagRef & { archivedTags: string[]; values: string[] })[];
  crowdedGroups: { group: string; name: string; tags: number; budget: number }[];
  /**
   * Shared tags whose names are one name as staff read them (normaliseTagName): 「高价值」 and
   * 「高 价值」, 「VIP等级」 and 「ｖｉｐ等级」. `normalisedName` is what they read as; `tags` in the
   * order they were made, `group` the group's key. Active shared tags only (see findDuplicateTags).
   */
  duplicateTags: { normalisedName: string; tags: (TagRef & { kind: string; group: string | null })[] }[];
  promotionCandidates: { names: string[]; owners: string[]; tags: { tag: string; name: string; owner: string }[]; enterpriseTag: string | null }[];
  /**
   * One number held by two customers written two ways: `customer` holds it as dialled with 00
   * (kept so by migration 0029, since `other` already held the + form), `other` as it is stored now.
   * `phone` is the + form, masked for whoever may not see it whole. Merge them if they are one person.
   */
  samePhoneTwoWays: { customer: string; other: string; phone: string }[];
  /** How many findings in all: 0 means the library is clean. */
  findings: number;
}

const overlapSide = (side: GovernanceReport['overlappingTags'][number]['first']) => ({ tag: side.tag, name: side.name, value: side.value, value_name: side.valueName, customers: side.customers });

/** The report as `GET /api/v1/governance` answers it and `tagbase doctor --json` prints it: keys in the API's snake case. */
export function governanceReportToJson(report: GovernanceReport) {
  return {
    thresholds: report.options,
    findings: report.findings,
    customers: report.customers,
    unused_tags: report.unusedTags,
    empty_values: report.emptyValues.map((entry) => ({ tag: entry.tag, name: entry.name, kind: entry.kind, model: entry.model, value: entry.value, value_name: entry.valueName, never_matches: entry.kind === 'rule' })),
    overlapping_tags: report.overlappingTags.map((pair) => ({ first: overlapSide(pair.first), second: overlapSide(pair.second), shared: pair.shared, jaccard: pair.jaccard })),
    rules_reading_archived_tags: report.rulesReadingArchivedTags.map((entry) => ({ tag: entry.tag, name: entry.name, archived_tags: entry.archivedTags, values: entry.values })),
    crowded_groups: report.crowdedGroups,
    duplicate_tags: report.duplicateTags.map((entry) => ({ normalised_name: entry.normalisedName, tags: entry.tags })),
    promotion_candidates: report.promotionCandidates.map((entry) => ({ names: entry.names, owners: entry.owners, tags: entry.tags, enterprise_tag: entry.enterpriseTag })),
    same_phone_two_ways: report.samePhoneTwoWays,
  };
}

export function parseGovernanceOptions(input: unknown): GovernanceOptions {
  const parsed = governanceOptionsSchema.safeParse(input ?? {}, REPORT_INPUT);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue?.path.join('.');
  const text = issue ? issueText(issue) : localized('is not valid', '无效');
  throw placedProblem('VALIDATION_FAILED', { detail: localized(`${path || 'options'}: ${text.en}`, `${path || '选项'}：${text['zh-CN']}`) }, 'query', path ?? '', text);
}

/** Names compared the way staff would read them: width, case, spaces and punctuation ignored. */
export function normaliseTagName(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/[\s\p{P}\p{S}]/gu, '');
}

/**
 * Who holds which tags, as the report reads it. The server and `tagbase doctor` answer from
 * the bitmap index; without one it is counted in SQL, which at millions of assignments takes minutes.
 */
export interface TagMembership {
  /** Customers holding each value, by value id. */
  valueCounts(): Promise<Map<number, number>>;
  /** Customers holding each tag (any of its values), by tag id. */
  tagSizes(): Promise<Map<number, number>>;
  /** For each pair of value ids, how many customers hold both. */
  sharedValueHolders(pairs: readonly (readonly [number, number])[]): Promise<number[]>;
  /** Customers in the workspace (merged-away ones not counted). */
  customers(): Promise<number>;
}

export function storeMembership(context: WorkspaceContext): TagMembership {
  return {
    valueCounts: () => countAssignmentsByValue(context),
    tagSizes: () => countCustomersByTag(context),
    async sharedValueHolders(pairs) {
      const involved = [...new Set(pairs.flat())];
      const members = new Map<number, Set<number>>(involved.map((id) => [id, new Set<number>()]));
      if (involved.length === 0) return [];
      // The ids are this workspace's values, so naming the workspace too adds nothing.
      const now = context.now().getTime();
      const rows = await context.store.db.selectFrom('assignments').select(['value_id', 'customer_id']).distinct().where('value_id', 'in', involved).where(stillHeld(now)).execute();
      for (const row of rows) members.get(row.value_id)?.add(row.customer_id);
      return pairs.map(([first, second]) => {
        const a = members.get(first) ?? new Set<number>();
        const b = members.get(second) ?? new Set<number>();
        let shared = 0;
        for (const customer of a) if (b.has(customer)) shared++;
        return shared;
      });
    },
    async customers() {
      const row = await context.store.db
        .selectFrom('customers')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('workspace_id', '=', context.workspaceId)
        .where('merged_into', 'is', null)
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },
  };
}

/**
 * Who reads the report: personal tags are their owners' alone, and the candidates for promotion
 * name other staff members' personal tags and their owners, which only whoever keeps the shared
 * library (an administrator, and the command line) may read.
 */
export interface GovernanceReader {
  seesOthersPersonalTags: boolean;
}

export async function governanceReport(
  context: WorkspaceContext,
  input: Partial<GovernanceOptions> = {},
  membership: TagMembership = storeMembership(context),
  reader: GovernanceReader = { seesOthersPersonalTags: true },
): Promise<GovernanceReport> {
  const options = parseGovernanceOptions(input);
  const [tags, groups, valueCounts, tagSizes, customers] = await Promise.all([
    loadTags(context, { includeArchived: true }),
    listTagGroups(context),
    membership.valueCounts(),
    membership.tagSizes(),
    membership.customers(),
  ]);
  const groupKeys = new Map(groups.map((group) => [group.id, group.key]));
  // Personal tags are their owners' business; the shared library is what governance reviews.
  const library = tags.filter((tag) => tag.scope === 'enterprise' && tag.status === 'active');
  const ref = (tag: TagDefinition): TagRef => ({ tag: tag.key, name: tag.name });

  // In a workspace without customers every tag is unused, which says nothing about the library:
  // the report says once that there are no customers instead (customers: 0).
  const unusedTags = library.filter((tag) => customers > 0 && (tagSizes.get(tag.id) ?? 0) === 0).map((tag) => ({ ...ref(tag), kind: tag.kind, model: tag.model ?? null, group: tag.groupId === null ? null : (groupKeys.get(tag.groupId) ?? null) }));
  const emptyValues = library
    .filter((tag) => (tagSizes.get(tag.id) ?? 0) > 0)
    .flatMap((tag) => tag.values.filter((value) => (valueCounts.get(value.id) ?? 0) === 0).map((value) => ({ ...ref(tag), kind: tag.kind, model: tag.model ?? null, value: value.key, valueName: value.name })));

  const overlappingTags = await findOverlaps(membership, library, valueCounts, options);
  const rulesReadingArchivedTags = await findRulesReadingArchived(context, tags);

  const crowdedGroups = groups
    .map((group) => ({ group: group.key, name: group.name, tags: library.filter((tag) => tag.groupId === group.id).length, budget: options.group_budget }))
    .filter((group) => group.tags > options.group_budget);

  const duplicateTags = findDuplicateTags(library, groupKeys);
  const promotionCandidates = reader.seesOthersPersonalTags ? await findPromotionCandidates(context, library, options) : [];
  const samePhoneTwoWays = await findSamePhoneTwoWays(context);
  const findings = unusedTags.length + emptyValues.length + overlappingTags.length + rulesReadingArchivedTags.length + crowdedGroups.length + duplicateTags.length + promotionCandidates.length + samePhoneTwoWays.length;
  return { options, customers, unusedTags, emptyValues, overlappingTags, rulesReadingArchivedTags, crowdedGroups, duplicateTags, promotionCandidates, samePhoneTwoWays, findings };
}

/** Distinct customers per tag id (a customer holding two values of a multi-valued tag counts once), an assignment past its expiry not counted, swept or not. */
async function countCustomersByTag(context: WorkspaceContext): Promise<Map<number, number>> {
  const now = context.now().getTime();
  const rows = await context.store.db
    .selectFrom('assignments')
    .select(['tag_id', (eb) => eb.fn.count<number>('customer_id').distinct().as('n')])
    .where('workspace_id', '=', context.workspaceId)
    .where(stillHeld(now))
    .groupBy('tag_id')
    .execute();
  return new Map(rows.map((row) => [row.tag_id, Number(row.n)]));
}

/**
 * Pairs of values, of two different tags, whose holders nearly coincide: two names for one
 * group of customers. Values are compared rather than whole tags because a tag whose values
 * divide a population (RFM等级, 消费频率, 年消费额 over everyone with an order; 生命周期 over
 * everyone) is held by that whole population by construction, so any two such tags coincide as
 * tags while saying different things; their values still coincide only when they mean the same
 * (VIP客户 and 年消费额 5000以上). For a tag of one value (a flag) the two are the same.
 * Since |A ∩ B| / |A ∪ B| ≤ min / max of the sizes, only values whose sizes are within the
 * threshold of each other can qualify, so only those pairs are compared.
 */
async function findOverlaps(membership: TagMembership, library: TagDefinition[], counts: Map<number, number>, options: GovernanceOptions): Promise<GovernanceReport['overlappingTags']> {
  const sized = library
    .flatMap((tag) => tag.values.map((value) => ({ tag, value, size: counts.get(value.id) ?? 0 })))
    .filter((entry) => entry.size >= options.min_members)
    .sort((a, b) => a.size - b.size || a.tag.id - b.tag.id || a.value.id - b.value.id);
  const pairs: [(typeof sized)[number], (typeof sized)[number]][] = [];
  for (let i = 0; i < sized.length; i++) {
    const small = sized[i];
    if (!small) continue;
    for (let j = i + 1; j < sized.length; j++) {
      const large = sized[j];
      if (!large || small.size < large.size * options.jaccard) break;
      if (large.tag.id !== small.tag.id) pairs.push([small, large]);
    }
  }
  if (pairs.length === 0) return [];
  const shares = await membership.sharedValueHolders(pairs.map(([first, second]) => [first.value.id, second.value.id] as const));
  const found: GovernanceReport['overlappingTags'] = [];
  const side = (entry: (typeof sized)[number]) => ({ tag: entry.tag.key, name: entry.tag.name, value: entry.value.key, valueName: entry.value.name, customers: entry.size });
  pairs.forEach(([first, second], index) => {
    const shared = shares[index] ?? 0;
    const jaccard = shared / (first.size + second.size - shared);
    if (jaccard >= options.jaccard) found.push({ first: side(first), second: side(second), shared, jaccard: Math.round(jaccard * 1000) / 1000 });
  });
  return found.sort((x, y) => y.jaccard - x.jaccard);
}

/**
 * Active rule tags whose conditions (or the segments they use) read an archived tag. Such a
 * rule no longer compiles and has stopped running; compiling it against a catalog that still
 * holds the archived tags tells exactly which ones it reads.
 */
async function findRulesReadingArchived(context: WorkspaceContext, tags: TagDefinition[]): Promise<GovernanceReport['rulesReadingArchivedTags']> {
  const archived = new Set(tags.filter((tag) => tag.status === 'archived').map((tag) => tag.key));
  const rules = tags.filter((tag) => tag.kind === 'rule' && tag.status === 'active');
  if (archived.size === 0 || rules.length === 0) return [];
  const workspace = await loadWorkspaceCatalog(context);
  const catalog: ExpressionCatalog = {
    ...workspace.catalog,
    tags: tags.map(catalogTag),
  };
  const index = new CatalogIndex(catalog);
  const segmentTags = new Map<string, Set<string>>();
  const tagsOfSegment = (key: string, seen: Set<string>): Set<string> => {
    const cached = segmentTags.get(key);
    if (cached) return cached;
    const read = new Set<string>();
    const segment = workspace.segments.get(key);
    if (segment && !seen.has(key)) {
      const compiled = compileExpression(segment.expression, index);
      for (const tag of compiled.dependencies.tags) read.add(tag);
      for (const inner of compiled.dependencies.segments) for (const tag of tagsOfSegment(inner, new Set([...seen, key]))) read.add(tag);
    }
    segmentTags.set(key, read);
    return read;
  };
  const found: GovernanceReport['rulesReadingArchivedTags'] = [];
  for (const rule of rules) {
    const archivedRead = new Set<string>();
    const values: string[] = [];
    for (const value of rule.values) {
      if (value.condition === null) continue;
      const compiled = compileExpression(value.condition, index);
      const read = new Set(compiled.dependencies.tags);
      for (const segment of compiled.dependencies.segments) for (const tag of tagsOfSegment(segment, new Set())) read.add(tag);
      const hits = [...read].filter((tag) => archived.has(tag));
      if (hits.length > 0) values.push(value.key);
      for (const tag of hits) archivedRead.add(tag);
    }
    if (archivedRead.size > 0) found.push({ tag: rule.key, name: rule.name, archivedTags: [...archivedRead].sort(), values });
  }
  return found;
}

/**
 * Shared tags that read as one name: staff cannot tell them apart in a picker or a portrait, and
 * who holds what is split between them. Creating or renaming a tag refuses a name that differs
 * from another only in letter case or width, but not one that differs in spaces or punctuation
 * (「高 价值」 beside 「高价值」), and names saved before that check are kept, so both kinds are
 * found here. Archived tags are left out, as from the rest of this review, which reads the active
 * library: one already put away is not a second name in use. Personal tags are left out too: they
 * are each owner's alone, and whoever reads the report may not see them. A name of punctuation
 * alone reads as nothing, and is nobody's duplicate.
 */
function findDuplicateTags(library: TagDefinition[], groupKeys: Map<number, string>): GovernanceReport['duplicateTags'] {
  const byName = new Map<string, TagDefinition[]>();
  for (const tag of [...library].sort((a, b) => a.id - b.id)) {
    const normal = normaliseTagName(tag.name);
    if (normal === '') continue;
    byName.set(normal, [...(byName.get(normal) ?? []), tag]);
  }
  return [...byName.entries()]
    .filter(([, tags]) => tags.length > 1)
    .map(([normalisedName, tags]) => ({ normalisedName, tags: tags.map((tag) => ({ tag: tag.key, name: tag.name, kind: tag.kind, group: tag.groupId === null ? null : (groupKeys.get(tag.groupId) ?? null) })) }));
}

/**
 * Personal tags that several staff members made under the same or nearly the same name: the
 * sign that the shared library lacks a tag everyone wants. Every owner's tags are read, not
 * only the actor's, because the point is to see across owners.
 */
async function findPromotionCandidates(context: WorkspaceContext, library: TagDefinition[], options: GovernanceOptions): Promise<GovernanceReport['promotionCandidates']> {
  const rows = await context.store.db
    .selectFrom('tags')
    .select(['key', 'name', 'owner'])
    .where('workspace_id', '=', context.workspaceId)
    .where('scope', '=', 'personal')
    .where('status', '=', 'active')
    .orderBy('id')
    .execute();
  const entries = rows.map((row) => ({ ...row, normal: normaliseTagName(row.name) })).filter((entry) => entry.normal !== '');
  // Union-find over "same normalised name, or one edit apart when both are long enough that
  // one edit is a variant rather than a different word".
  const parent = entries.map((_, index) => index);
  const root = (index: number): number => {
    let current = index;
    while (parent[current] !== current) current = parent[current] ?? current;
    return current;
  };
  for (let i = 0; i < entries.length; i++) {
    for (let j = i + 1; j < entries.length; j++) {
      const a = entries[i];
      const b = entries[j];
      if (!a || !b) continue;
      const near = a.normal === b.normal || (Math.min(Array.from(a.normal).length, Array.from(b.normal).length) >= 3 && editDistance(a.normal, b.normal) <= 1);
      if (near) parent[root(j)] = root(i);
    }
  }
  const clusters = new Map<number, typeof entries>();
  entries.forEach((entry, index) => {
    const list = clusters.get(root(index)) ?? [];
    list.push(entry);
    clusters.set(root(index), list);
  });
  const enterpriseByName = new Map(library.map((tag) => [normaliseTagName(tag.name), tag.key]));
  const found: GovernanceReport['promotionCandidates'] = [];
  for (const cluster of clusters.values()) {
    const owners = [...new Set(cluster.map((entry) => entry.owner))].sort();
    if (owners.length < options.min_owners) continue;
    const enterpriseTag = cluster.map((entry) => enterpriseByName.get(entry.normal)).find((key) => key !== undefined) ?? null;
    found.push({ names: [...new Set(cluster.map((entry) => entry.name))], owners, tags: cluster.map((entry) => ({ tag: entry.key, name: entry.name, owner: entry.owner })), enterpriseTag });
  }
  return found.sort((a, b) => b.owners.length - a.owners.length);
}

/**
 * Stored phones dialled with 00 (`0085291234567`) whose + form (`+85291234567`, what
 * `normalizeIdentity` makes of it, and what a new phone is stored as) another customer holds.
 * Migration 0029 left these as they were: whether the two records are one person is the
 * merchant's to tell, so they are shown here, each pair once.
 */
async function findSamePhoneTwoWays(context: WorkspaceContext): Promise<GovernanceReport['samePhoneTwoWays']> {
  // The workspace's phones, with who holds each.
  const phones = () =>
    context.store.db
      .selectFrom('identities')
      .innerJoin('customers', 'customers.id', 'identities.customer_id')
      .select(['identities.value', 'identities.customer_id', 'customers.external_id'])
      .where('identities.workspace_id', '=', context.workspaceId)
      .where('identities.kind', '=', 'phone');
  const dialled = await phones().where('identities.value', 'like', '00%').orderBy('identities.value').execute();
  const rewritten = dialled.map((row) => ({ ...row, normal: normalizeIdentity('phone', row.value) })).filter((row): row is typeof row & { normal: string } => row.normal !== undefined && row.normal !== row.value);
  const found: GovernanceReport['samePhoneTwoWays'] = [];
  for (let start = 0; start < rewritten.length; start += 500) {
    const batch = rewritten.slice(start, start + 500);
    const holders = await phones().where('identities.value', 'in', batch.map((row) => row.normal)).execute();
    const holderOf = new Map(holders.map((row) => [row.value, row]));
    for (const row of batch) {
      const holder = holderOf.get(row.normal);
      if (!holder || holder.customer_id === row.customer_id) continue;
      const phone = context.personalData === 'masked' ? maskIdentity('phone', row.normal) : row.normal;
      found.push({ customer: row.external_id, other: holder.external_id, phone });
    }
  }
  return found;
}
