// Segments (人群): saved expressions with a live count and members, static snapshots of
// their members, and the overlap of two or three of them. Counting and membership come from
// an Audience (the bitmap index in the server); this module keeps the definitions.
import { z } from 'zod';
import { displayName } from '../core/display-name.js';
import { didYouMean, fieldError, jsonPointer, namesInMessage, TagbaseError } from '../core/errors.js';
import { localized, type Locale, type LocalizedText } from '../core/locale.js';
import { assertMaskedAsks } from '../core/masked-asks.js';
import { diagnosticText, diagnosticWithPlace, expressionError } from '../core/expression-errors.js';
import { collectDependencies, compileExpression, segmentNestingDiagnostic, type BoundExpression, type ExpandedNesting, type ExpressionDiagnostic } from '../core/expression/index.js';
import type { PersonalDataView } from '../core/access.js';
import { KEY_PATTERN, KEY_RULE, findByKeyOrName, nameClash, nearestName } from '../core/names.js';
import { toIso } from '../core/time.js';
import { assertSomethingToChange } from '../core/patch.js';
import { chunks, rowsPerInsert } from '../store/chunks.js';
import type { CustomerGroup, MetricTotal } from '../store/metric-totals.js';
import { loadWorkspaceCatalog, maskedSegmentReader, readsThroughSegments, savedExpressionReader, savedExpressions, segmentNesting, type WorkspaceCatalog } from './catalog.js';
import { actorName, type WorkspaceContext } from './context.js';
import type { TagMembership } from './governance.js';
import { personalTagRead } from './personal-reads.js';
import { asWritten, expressionAsMeant, expressionShownIn, loadExpressionShown, type ExpressionShown } from './shown-expressions.js';
import { unlessTaken } from './unique-keys.js';
import { applyRecordedPass, scheduleReaderPasses } from './rule-passes.js';
import { compileRules } from './rules.js';
import { decodeTimeIdCursor, encodeTimeIdCursor, type TimeIdPosition } from './page-cursor.js';

export type { CustomerGroup, MetricTotal } from '../store/metric-totals.js';

/** Answers who matches a bound expression; the server's is backed by the bitmap index. */
export interface Audience {
  count(context: WorkspaceContext, bound: BoundExpression, scope: SegmentScope): Promise<number>;
  /** Internal customer ids, ascending. */
  members(context: WorkspaceContext, bound: BoundExpression, scope: SegmentScope): Promise<number[]>;
  /** One page of members in the given order (missing values last, ties by id), and how many match. */
  /** Who holds which tags: the library's counts and the governance report. */
  tagMembership(context: WorkspaceContext): Promise<TagMembership>;
  /** How many customers hold at least one of these tags. */
  holdersOfAny(context: WorkspaceContext, tagIds: readonly number[]): Promise<number>;
  /**
   * How many customers each group holds (a tag value's holders, a tag's, or everyone), among
   * those `within` matches when given, and per metric the sum over those with a value and how
   * many have one; in the order of `groups`.
   */
  groupTotals(context: WorkspaceContext, groups: readonly CustomerGroup[], metricKeys: readonly string[], within?: CompiledAudience): Promise<GroupTotals[]>;
  /**
   * For each value, how many of the customers `within` matches hold it and how many customers
   * hold it at all, with the metric totals of those customers and of everyone, all read from
   * one state of the index: what a segment's insight compares.
   */
  valueShares(context: WorkspaceContext, valueIds: readonly number[], metricKeys: readonly string[], within: CompiledAudience): Promise<ValueShares>;
  /** Who holds each of these values now, in ascending internal ids. */
  valueHolders(context: WorkspaceContext, valueIds: readonly number[]): Promise<Map<number, Uint32Array>>;
  /** Every live customer of the workspace: what a count is a share of. */
  population(context: WorkspaceContext): Promise<number>;
  /**
   * Who matches now against who matched in `previous` (members as this method serialised them
   * before; none yet when undefined): see src/engine/segment-watch.ts.
   */
  membershipChanges(context: WorkspaceContext, bound: BoundExpression, scope: SegmentScope, previous: Uint8Array | undefined): Promise<MembershipChanges>;
  page(context: WorkspaceContext, bound: BoundExpression, scope: SegmentScope, page: MemberPage): Promise<{ total: number; ids: number[] }>;
  /**
   * Live customers whose name a customer search `q` matches (the rule of `nameSearchPatterns`,
   * src/core/name-search.ts, over every name's key), ascending. An audience without it leaves
   * the whole search to the store.
   */
  nameMatches?(context: WorkspaceContext, q: string): Promise<Uint32Array>;
  /** A page of every live customer by id, `offset` counted from after the id `after` when given, and how many there are. */
  livePage(context: WorkspaceContext, page: { after?: number | undefined; offset: number; limit: number }): Promise<{ total: number; ids: number[] }>;
}

export interface MembershipChanges {
  /** Internal ids that match now and did not, ascending. */
  entered: number[];
  /** Internal ids that matched and no longer do, ascending. */
  left: number[];
  /** Who matches now, serialised for the next call: only when it is to be stored (most looks find nobody moved). */
  members(): Uint8Array;
  size: number;
  /** How far into the change log the answer reads: every change logged up to it is seen. */
  position: number;
}

/** An expression compiled for counting, with what it was compiled against. */
export interface CompiledAudience {
  bound: BoundExpression;
  scope: SegmentScope;
}


export interface GroupTotals {
  customers: number;
  metrics: Map<string, MetricTotal>;
}


export interface ValueShares {
  /** The customers `within` matches. */
  members: GroupTotals;
  everyone: GroupTotals;
  /** In the order of the value ids asked for. */
  values: { members: number; holders: number }[];
}

/** Orders members by a field or a metric. */
export interface MemberSort {
  source: 'field' | 'metric';
  key: string;
  direction: 'asc' | 'desc';
}

export interface MemberPage {
  offset: number;
  limit: number;
  sort?: MemberSort | undefined;
}

export type SegmentResolver = (key: string) => BoundExpression | undefined;

export const segmentInputSchema = z.strictObject({
  key: z.string().regex(KEY_PATTERN, KEY_RULE),
  name: displayName(64),
  description: z.string().trim().max(1024).nullable().optional(),
  expression: z.string().trim().min(1).max(8000),
});
export type SegmentInput = z.infer<typeof segmentInputSchema>;
export const segmentPatchSchema = segmentInputSchema.partial();
export type SegmentPatch = z.infer<typeof segmentPatchSchema>;

export interface SegmentJson {
  key: string;
  name: string;
  description: string | null;
  expression: string;
  created_at: string;
  updated_at: string;
}

/** The catalog plus compiled saved segments, for compiling and resolving `segment("…")`. */
export interface SegmentScope {
  catalog: WorkspaceCatalog;
  resolve: SegmentResolver;
  /** How deep an expression nests with the saved segments it reads written out where it reads them. */
  nesting: (source: string) => ExpandedNesting;
}

/** Compiles saved segments on demand; a segment that (transitively) reads itself resolves to nothing. */
export function segmentScope(catalog: WorkspaceCatalog): SegmentScope {
  const compiled = new Map<string, BoundExpression | undefined>();
  const resolve: SegmentResolver = (keyOrName) => {
    const key = catalog.segments.has(keyOrName) ? keyOrName : [...catalog.segments].find(([, segment]) => segment.name === keyOrName)?.[0];
    if (key === undefined) return undefined;
    if (compiled.has(key)) return compiled.get(key);
    compiled.set(key, undefined);
    const source = catalog.segments.get(key)?.expression ?? '';
    const bound = compileExpression(source, catalog.catalog).bound;
    compiled.set(key, bound);
    return bound;
  };
  let nesting: ((source: string) => ExpandedNesting) | undefined;
  return { catalog, resolve, nesting: (source) => (nesting ??= segmentNesting(catalog.segments))(source) };
}

export async function loadSegmentScope(context: WorkspaceContext): Promise<SegmentScope> {
  return segmentScope(await loadWorkspaceCatalog(context));
}

/**
 * Compiles an expression for counting or saving, or throws its diagnostics as EXPRESSION_* errors;
 * so too when a saved segment it reads, directly or through others, no longer compiles (a tag it
 * names was archived, say), which would otherwise match nobody and empty this one without a word.
 */
export function compileAudience(scope: SegmentScope, source: string): { bound: BoundExpression; segments: string[] } {
  const compiled = compileExpression(source, scope.catalog.catalog);
  if (!compiled.bound) throw expressionError(compiled.diagnostics);
  // Before anything walks the tree with the segments it reads expanded: a chain of them may nest past what any back end's stack holds.
  const deep = segmentNestingDiagnostic(source, scope.nesting(source));
  if (deep) throw expressionError([deep]);
  const broken = brokenSegmentRead(scope, compiled.dependencies.segments);
  if (broken) throw brokenReadError(scope, broken);
  return { bound: compiled.bound, segments: compiled.dependencies.segments };
}

/**
 * An expression the caller wrote, compiled as `compileAudience` compiles it, and refused
 * (`PERSONAL_DATA_MASKED`) when it asks of personal data what the caller sees masked more than a
 * lookup by whole values would tell (src/core/masked-asks.ts), with what the saved segments it reads
 * ask counted as its own where a role that sees personal data masked wrote them.
 */
export function compileAsked(context: WorkspaceContext, scope: SegmentScope, source: string, path = 'expression'): { bound: BoundExpression; segments: string[] } {
  const compiled = compileAudience(scope, source);
  assertMaskedAsks(context.personalData, compiled.bound, scope.catalog.metrics, maskedSegmentReader(scope.catalog), path);
  return compiled;
}

/**
 * An expression compiled as `compileAudience` compiles it, or undefined where that would refuse
 * it: for the work in the background that passes over what no longer reads (a watched segment,
 * a day's size, a care condition) rather than failing on it.
 */
export function readableAudience(scope: SegmentScope, source: string): BoundExpression | undefined {
  const compiled = compileExpression(source, scope.catalog.catalog);
  if (!compiled.bound || segmentNestingDiagnostic(source, scope.nesting(source))) return undefined;
  return brokenSegmentRead(scope, compiled.dependencies.segments) ? undefined : compiled.bound;
}

/** A saved segment read through `chain` (the first read directly, the last the one that no longer compiles), and why it does not. */
export interface BrokenSegmentRead {
  chain: string[];
  diagnostics: ExpressionDiagnostic[];
}

/** The first saved segment of `segments`, or one they read, that no longer compiles; undefined when every one does. */
export function brokenSegmentRead(scope: SegmentScope, segments: readonly string[], seen = new Set<string>()): BrokenSegmentRead | undefined {
  for (const key of segments) {
    if (seen.has(key)) continue;
    seen.add(key);
    const source = scope.catalog.segments.get(key)?.expression;
    if (source === undefined) continue;
    const bound = scope.resolve(key);
    if (!bound) {
      // Undefined too for a segment that reads itself, which compiles and matches nobody there.
      const compiled = compileExpression(source, scope.catalog.catalog);
      if (!compiled.bound) return { chain: [key], diagnostics: compiled.diagnostics };
      continue;
    }
    const deeper = brokenSegmentRead(scope, collectDependencies(bound).segments, seen);
    if (deeper) return { chain: [key, ...deeper.chain], diagnostics: deeper.diagnostics };
  }
  return undefined;
}

/** What a segment read that no longer compiles is told as: its own first diagnostic's code, said of that segment. */
function brokenReadError(scope: SegmentScope, broken: BrokenSegmentRead): TagbaseError {
  const named = (key: string) => {
    const name = scope.catalog.segments.get(key)?.name ?? key;
    return { en: name === key ? `"${key}"` : `"${name}" (${key})`, zh: name === key ? `「${key}」` : `「${name}」（${key}）` };
  };
  const chain = broken.chain.map(named);
  const last = chain.at(-1) ?? { en: '', zh: '' };
  const through = chain.length > 1 ? localized(`, read through segment ${chain.slice(0, -1).map((n) => n.en).join(' → ')},`, `（经由人群${chain.slice(0, -1).map((n) => n.zh).join(' → ')}读取）`) : localized('', '');
  const first = broken.diagnostics[0];
  const why = first ? diagnosticWithPlace(first) : localized('it is not valid', '它无效');
  return new TagbaseError(first?.code ?? 'EXPRESSION_SYNTAX', {
    detail: localized(
      `segment ${last.en}${through.en} no longer reads, so this cannot be counted until it is mended: ${why.en}`,
      `人群${last.zh}${through['zh-CN']}已无法读取，修好之前这里无法计数：${why['zh-CN']}`,
    ),
  });
}

function toJson(row: { key: string; name: string; description: string | null; expression: string; created_at: number; updated_at: number }, shown: ExpressionShown = asWritten): SegmentJson {
  return { key: row.key, name: row.name, description: row.description, expression: shown(row.expression), created_at: toIso(row.created_at), updated_at: toIso(row.updated_at) };
}

export async function listSegments(context: WorkspaceContext): Promise<SegmentJson[]> {
  const rows = await context.store.db.selectFrom('segments').selectAll().where('workspace_id', '=', context.workspaceId).orderBy('id').execute();
  const shown = await loadExpressionShown(context);
  return rows.map((row) => toJson(row, shown));
}

/** A saved segment's row by key or display name; SEGMENT_NOT_FOUND (with a suggestion) otherwise. */
export async function segmentRow(context: WorkspaceContext, keyOrName: string) {
  const rows = await context.store.db.selectFrom('segments').selectAll().where('workspace_id', '=', context.workspaceId).execute();
  const row = findByKeyOrName(rows, keyOrName);
  if (!row) throw new TagbaseError('SEGMENT_NOT_FOUND', { count: 1, segment: namesInMessage([keyOrName]), hint: didYouMean(nearestName(keyOrName, rows.flatMap((r) => [r.key, r.name]))) });
  return row;
}

/**
 * The one problem for every saved segment of a list that does not exist (`SEGMENT_NOT_FOUND`),
 * each an item of `errors[]` placed by `path` `segments.N` and its pointer, with index -1: the
 * body naming them is no batch (docs/api.md, "Errors"). One alone keeps its own problem's words,
 * "did you mean" included.
 */
export function segmentsNotFound(missing: readonly { index: number; segment: string; error: TagbaseError }[]): TagbaseError {
  const names = missing.map((entry) => entry.segment);
  return new TagbaseError(
    'SEGMENT_NOT_FOUND',
    missing.length === 1 && missing[0] !== undefined ? missing[0].error.params : { count: names.length, segment: namesInMessage(names) },
    missing.map(({ index, error }) => ({ index: -1, code: 'SEGMENT_NOT_FOUND', path: `segments.${String(index)}`, pointer: jsonPointer(['segments', index]), message: error.message, localized: localized(error.messageIn('en'), error.messageIn('zh-CN')) })),
  );
}

export async function getSegment(context: WorkspaceContext, keyOrName: string): Promise<SegmentJson> {
  return toJson(await segmentRow(context, keyOrName), await loadExpressionShown(context));
}

/**
 * `segment("…")` finds a segment by key, then by name (webhooks too): a name may be neither
 * another segment's name nor its key, and a key not another's name, or one of the two could not
 * be reached.
 */
function assertSegmentNamesFree(scope: SegmentScope, given: { key?: string | undefined; name?: string | undefined }, exceptKey?: string): void {
  const others = [...scope.catalog.segments].filter(([key]) => key !== exceptKey).map(([key, segment]) => ({ key, name: segment.name }));
  const clash = nameClash(others, given);
  if (clash) throw new TagbaseError('SEGMENT_NAME_TAKEN', { segment: clash.other.key, name: clash.name });
}

/** Everyone in the workspace sees and counts a saved segment: it may not read one person's tag. */
function assertSharedReads(scope: SegmentScope, segment: string, bound: BoundExpression): void {
  const read = personalTagRead(scope.catalog, collectDependencies(bound));
  if (!read) return;
  throw new TagbaseError('SEGMENT_INVALID', {
    segment,
    detail: localized(
      `it reads the personal tag "${read.name}", which only its owner sees, and a saved segment is everyone's; count it without saving, or read a shared tag`,
      `它读取了个人标签「${read.name}」，该标签只有其创建者可见，而保存的人群所有人可见；可不保存直接计数，或改用企业标签`,
    ),
  });
}

export async function createSegment(context: WorkspaceContext, input: SegmentInput): Promise<SegmentJson> {
  const scope = await loadSegmentScope(context);
  if (scope.catalog.segments.has(input.key)) throw new TagbaseError('SEGMENT_EXISTS', { segment: input.key });
  assertSegmentNamesFree(scope, { key: input.key, name: input.name });
  assertSharedReads(scope, input.key, compileAsked(context, scope, input.expression).bound);
  const now = context.now().getTime();
  await unlessTaken(
    'segments',
    () => new TagbaseError('SEGMENT_EXISTS', { segment: input.key }),
    () =>
      context.store.db
        .insertInto('segments')
        .values({ workspace_id: context.workspaceId, key: input.key, name: input.name, description: input.description ?? null, expression: input.expression, expression_view: viewOf(context), created_at: now, updated_at: now })
        .execute(),
  );
  return getSegment(context, input.key);
}

/** How the caller sees personal data, recorded with an expression they write: whole where no token says otherwise (the command line, an open API). */
function viewOf(context: WorkspaceContext): PersonalDataView {
  return context.personalData ?? 'full';
}

export async function updateSegment(context: WorkspaceContext, keyOrName: string, sentPatch: SegmentPatch): Promise<SegmentJson> {
  assertSomethingToChange(sentPatch, ['key', 'name', 'description', 'expression']);
  const row = await segmentRow(context, keyOrName);
  const scope = await loadSegmentScope(context);
  const patch = sentPatch.expression === undefined ? sentPatch : { ...sentPatch, expression: expressionAsMeant(expressionShownIn(context, scope.catalog), [row.expression], sentPatch.expression, 'expression') };
  // Whoever writes a new expression answers for it; an administrator saving it again vouches for one a masked role wrote.
  const expressionView = patch.expression === undefined ? undefined : patch.expression !== row.expression || viewOf(context) === 'full' ? viewOf(context) : row.expression_view;
  if (patch.key !== undefined && patch.key !== row.key && scope.catalog.segments.has(patch.key)) throw new TagbaseError('SEGMENT_EXISTS', { segment: patch.key });
  assertSegmentNamesFree(scope, { key: patch.key !== row.key ? patch.key : undefined, name: patch.name !== row.name ? patch.name : undefined }, row.key);
  if (patch.expression !== undefined) {
    // The expression as saved stays readable to a role that could not have written it: only a new one is the caller's.
    const { bound, segments } = patch.expression === row.expression ? compileAudience(scope, patch.expression) : compileAsked(context, scope, patch.expression);
    assertSharedReads(scope, row.key, bound);
    if (readsThroughSegments(scope.catalog, segments).segments.has(row.key)) {
      // Named by what leads back, not every segment the expression reads: that one is what to take out.
      const back = segments.filter((read) => read !== row.key && readsThroughSegments(scope.catalog, [read]).segments.has(row.key));
      const name = (key: string) => scope.catalog.segments.get(key)?.name ?? key;
      throw fieldError(
        'body',
        'expression',
        back.length === 0
          ? localized(`segment "${row.name}" cannot read itself`, `人群「${row.name}」不能引用自身`)
          : localized(
              `segment "${row.name}" cannot read ${back.map((read) => `segment "${name(read)}"`).join(', ')}, which reads it in turn: a segment may not read itself`,
              `人群「${row.name}」不能引用${back.map((read) => `人群「${name(read)}」`).join('、')}，因为后者又引用了它；人群不能引用自身`,
            ),
      );
    }
    // A rule tag reading this segment, which would now read that tag: every rule of the workspace would stop (RULE_CYCLE).
    const edited = new Map(scope.catalog.segments);
    edited.set(row.key, { name: row.name, expression: patch.expression });
    try {
      compileRules({ ...scope.catalog, segments: edited });
    } catch (error) {
      // The cycle names rule tags only; the operator is editing the segment that closes it.
      if (!(error instanceof TagbaseError) || error.code !== 'RULE_CYCLE') throw error;
      const cycle = String(error.params.cycle);
      throw new TagbaseError('RULE_CYCLE', { cycle: localized(`${cycle}, through segment "${row.key}"`, `${cycle}，经由人群「${row.key}」`) });
    }
    await assertReadersNestWithin(context, scope, row.key, patch.expression);
  }
  if (patch.key !== undefined && patch.key !== row.key) await assertSegmentUnused(context, scope, row.key);
  else if (patch.name !== undefined && patch.name !== row.name) await assertSegmentUnused(context, scope, row.key, patch.name);
  const key = patch.key ?? row.key;
  const passes = await unlessTaken(
    'segments',
    () => new TagbaseError('SEGMENT_EXISTS', { segment: key }),
    () =>
      context.store.db.transaction().execute(async (trx) => {
        await trx
          .updateTable('segments')
          .set({
            ...(patch.key !== undefined ? { key: patch.key } : {}),
            ...(patch.name !== undefined ? { name: patch.name } : {}),
            ...(patch.description !== undefined ? { description: patch.description } : {}),
            ...(patch.expression !== undefined ? { expression: patch.expression, expression_view: expressionView ?? null } : {}),
            updated_at: context.now().getTime(),
          })
          .where('id', '=', row.id)
          .execute();
        if (patch.expression === undefined || patch.expression === row.expression) return [];
        // A rule tag whose condition reads the segment now tags other customers: apply it to everyone again.
        return scheduleReaderPasses(context, trx, await loadWorkspaceCatalog(context, trx), (reads) => reads.segments.includes(key));
      }),
  );
  for (const pass of passes) await applyRecordedPass(context, pass.tag, pass.token);
  return getSegment(context, key);
}

/**
 * A new expression for segment `key` that would have a segment, rule condition or care plan
 * condition reading it nest past the limit (counted with the segments each reads written out)
 * is refused, naming the first such reader: that one would stop reading.
 */
async function assertReadersNestWithin(context: WorkspaceContext, scope: SegmentScope, key: string, expression: string): Promise<void> {
  const current = scope.catalog.segments.get(key);
  if (!current) return;
  const edited = new Map(scope.catalog.segments).set(key, { ...current, expression });
  const after = segmentNesting(edited);
  const readers: { reader: LocalizedText; source: string }[] = [];
  for (const entry of await savedExpressions(context, scope.catalog)) {
    if (!(entry.kind === 'segment' && entry.key === key)) readers.push({ reader: savedExpressionReader(entry), source: entry.source });
  }
  for (const tag of scope.catalog.tags) {
    for (const value of tag.values) if (value.condition !== null) readers.push({ reader: localized(`the rule of tag "${tag.name}" (${tag.key})`, `标签「${tag.name}」（${tag.key}）的规则`), source: value.condition });
  }
  for (const { reader, source } of readers) {
    const nesting = after(source);
    // Deeper than it already was only: one saved too deep before this edit is not this edit's doing.
    if (!nesting.chain.includes(key) || nesting.depth <= scope.nesting(source).depth) continue;
    const deep = segmentNestingDiagnostic(source, nesting);
    if (!deep) continue;
    const why = diagnosticText(deep);
    throw new TagbaseError('EXPRESSION_SYNTAX', {
      detail: localized(`${reader.en} reads this segment and would no longer read: ${why.en}`, `${reader['zh-CN']}读取了这个人群，改后将无法读取：${why['zh-CN']}`),
    });
  }
}

/**
 * A segment read by other segments, rule conditions or care plans' conditions cannot be given a
 * new key or deleted; with `newName`, only a new name that one of them would no longer find
 * (it names the segment by its name, not its key) is refused.
 */
async function assertSegmentUnused(context: WorkspaceContext, scope: SegmentScope, key: string, newName?: string): Promise<void> {
  // Read in the catalog of whoever wrote it: another staff member's personal rule tag reads their own tags.
  const readerIn = (before: WorkspaceCatalog['catalog']) => {
    const after = { ...before, segments: before.segments.map((segment) => (segment.key === key ? { key, name: newName ?? segment.name } : segment)) };
    return newName === undefined
      ? (source: string) => compileExpression(source, before).dependencies.segments.includes(key)
      : (source: string) => compileExpression(source, before).dependencies.segments.includes(key) && compileExpression(source, after).bound === undefined;
  };
  const reads = readerIn(scope.catalog.catalog);
  const saved = await savedExpressions(context, scope.catalog);
  const users: LocalizedText[] = [];
  for (const entry of saved) if (entry.kind === 'segment' && entry.key !== key && reads(entry.source)) users.push(savedExpressionReader(entry));
  for (const tag of scope.catalog.tags) {
    for (const value of tag.values) if (value.condition !== null && reads(value.condition)) users.push(localized(`the rule of tag "${tag.name}" (${tag.key})`, `标签「${tag.name}」（${tag.key}）的规则`));
  }
  // Other staff members' personal rule tags, which the acting one does not see but which would stop all the same: said without their names or owners, which are theirs.
  for (const owner of scope.catalog.personalRuleOwners.filter((owner) => owner !== context.actor)) {
    const theirs = await loadWorkspaceCatalog({ ...context, actor: owner });
    const theirReads = readerIn(theirs.catalog);
    const reading = theirs.tags.some((tag) => tag.scope === 'personal' && tag.owner === owner && tag.values.some((value) => value.condition !== null && theirReads(value.condition)));
    if (reading) users.push(localized("another staff member's personal rule tag", '其他员工的个人规则标签'));
  }
  for (const entry of saved) if (entry.kind === 'care_plan' && reads(entry.source)) users.push(savedExpressionReader(entry));
  if (users.length > 0) {
    const listed = (locale: Locale, separator: string) => [...new Set(users.map((user) => user[locale]))].join(separator);
    const name = scope.catalog.catalog.segments.find((segment) => segment.key === key)?.name ?? key;
    throw new TagbaseError('SEGMENT_IN_USE', { segment: name, users: localized(listed('en', ', '), listed('zh-CN', '、')) });
  }
}

/**
 * The segment a deletion would remove, or why it may not be (SEGMENT_NOT_FOUND, SEGMENT_IN_USE):
 * the command line says so before it asks for --yes, which would delete nothing.
 */
export async function segmentToDelete(context: WorkspaceContext, keyOrName: string): Promise<SegmentJson> {
  return toJson(await deletableSegmentRow(context, keyOrName));
}

async function deletableSegmentRow(context: WorkspaceContext, keyOrName: string) {
  const row = await segmentRow(context, keyOrName);
  await assertSegmentUnused(context, await loadSegmentScope(context), row.key);
  // Webhooks name segments by id, so a renamed one is still delivered; a deleted one would not be.
  const webhooks = await context.store.db.selectFrom('webhooks').select(['id', 'segments']).where('workspace_id', '=', context.workspaceId).execute();
  const watching = webhooks.filter((webhook) => (JSON.parse(webhook.segments) as number[]).includes(row.id));
  if (watching.length > 0) {
    const ids = watching.map((webhook) => webhook.id);
    throw new TagbaseError('SEGMENT_IN_USE', { segment: row.name, users: localized(`webhook ${ids.join(', ')}`, `Webhook ${ids.join('、')}`) });
  }
  return row;
}

export async function deleteSegment(context: WorkspaceContext, keyOrName: string): Promise<void> {
  const row = await deletableSegmentRow(context, keyOrName);
  await context.store.db.transaction().execute(async (trx) => {
    const snapshots = await trx.selectFrom('segment_snapshots').select('id').where('segment_id', '=', row.id).execute();
    for (const part of chunks(snapshots.map((s) => s.id), 500)) await trx.deleteFrom('segment_snapshot_members').where('snapshot_id', 'in', part).execute();
    await trx.deleteFrom('segment_snapshots').where('segment_id', '=', row.id).execute();
    await trx.deleteFrom('segment_sizes').where('segment_id', '=', row.id).execute();
    await trx.deleteFrom('segment_members_seen').where('segment_id', '=', row.id).execute();
    await trx.deleteFrom('segments').where('id', '=', row.id).execute();
  });
}

/** The saved segment's bound expression, compiled against today's catalog. */
export async function compileSavedSegment(context: WorkspaceContext, keyOrName: string): Promise<{ segment: SegmentJson; id: number; bound: BoundExpression; scope: SegmentScope }> {
  const row = await segmentRow(context, keyOrName);
  const scope = await loadSegmentScope(context);
  return { segment: toJson(row), id: row.id, bound: compileAudience(scope, row.expression).bound, scope };
}

// ---------------------------------------------------------------- snapshots

/** A saved segment as a snapshot's expression read it when the snapshot was taken. */
export interface SnapshotSegment {
  key: string;
  name: string;
  expression: string;
}

export interface SnapshotJson {
  id: number;
  segment: string;
  expression: string;
  /**
   * The saved segments the expression read, directly or through one another, as they were then
   * defined, by key; null for a snapshot taken before they were kept.
   */
  segments: SnapshotSegment[] | null;
  members: number;
  taken_at: string;
  actor: string;
}

/**
 * Freezes the segment's current members with the time and the expression that produced them,
 * and the definitions of the segments that expression reads: a later edit of `segment("vip")`
 * changes neither who was in the snapshot nor what its record says chose them.
 */
export async function takeSnapshot(context: WorkspaceContext, audience: Audience, keyOrName: string): Promise<SnapshotJson> {
  const { segment, bound, scope } = await compileSavedSegment(context, keyOrName);
  const members = await audience.members(context, bound, scope);
  const read = [...readsThroughSegments(scope.catalog, [segment.key]).segments].filter((key) => key !== segment.key).sort();
  const segments = read.flatMap((key) => {
    const found = scope.catalog.segments.get(key);
    return found ? [{ key, name: found.name, expression: found.expression }] : [];
  });
  const row = await segmentRow(context, segment.key);
  const now = context.now().getTime();
  const actor = actorName(context);
  const id = await context.store.db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('segment_snapshots')
      .values({ workspace_id: context.workspaceId, segment_id: row.id, expression: segment.expression, segments: JSON.stringify(segments), member_count: members.length, taken_at: now, actor })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const part of chunks(members, rowsPerInsert(2))) {
      await trx.insertInto('segment_snapshot_members').values(part.map((customerId) => ({ snapshot_id: inserted.id, customer_id: customerId }))).execute();
    }
    return inserted.id;
  });
  const shown = expressionShownIn(context, scope.catalog);
  return { id, segment: segment.key, expression: shown(segment.expression), segments: segments.map((kept) => ({ ...kept, expression: shown(kept.expression) })), members: members.length, taken_at: toIso(now), actor };
}

/** A page of a segment's snapshots, newest first, and where the next one starts (null after the last). */
export interface SnapshotPage {
  items: SnapshotJson[];
  next_cursor: string | null;
}

export const DEFAULT_SNAPSHOT_PAGE = 100;
export const MAX_SNAPSHOT_PAGE = 1000;

/**
 * A segment's snapshots, newest first, `limit` at a time: a segment frozen every day for years
 * holds thousands. `cursor` is a page's `next_cursor`; the next page starts right after its last
 * snapshot, so one deleted or taken meanwhile neither repeats nor skips another.
 */
export async function listSnapshots(context: WorkspaceContext, keyOrName: string, options: { limit?: number; cursor?: string | undefined } = {}): Promise<SnapshotPage> {
  const limit = options.limit ?? DEFAULT_SNAPSHOT_PAGE;
  const after = options.cursor === undefined ? undefined : decodeSnapshotCursor(options.cursor);
  const row = await segmentRow(context, keyOrName);
  let query = context.store.db.selectFrom('segment_snapshots').selectAll().where('segment_id', '=', row.id);
  if (after !== undefined) query = query.where((eb) => eb.or([eb('taken_at', '<', after.at), eb.and([eb('taken_at', '=', after.at), eb('id', '<', after.id)])]));
  // One more than the page: whether another page follows, without a count.
  const rows = await query.orderBy('taken_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const shown = await loadExpressionShown(context);
  return { items: page.map((snapshot) => snapshotJson(snapshot, row.key, shown)), next_cursor: rows.length > limit && last !== undefined ? encodeSnapshotCursor({ at: last.taken_at, id: last.id }) : null };
}

const SNAPSHOT_CURSOR = 's1';
const encodeSnapshotCursor = (last: TimeIdPosition) => encodeTimeIdCursor(SNAPSHOT_CURSOR, last);
const decodeSnapshotCursor = (cursor: string) => decodeTimeIdCursor(SNAPSHOT_CURSOR, cursor, localized('not a cursor this list of snapshots handed out', '不是本快照列表给出的游标'));

/**
 * Deletes one of a segment's snapshots and its stored members (SNAPSHOT_NOT_FOUND for one the
 * segment does not have). The export log keeps its exports, named as they were (`vip#12`).
 */
export async function deleteSnapshot(context: WorkspaceContext, keyOrName: string, snapshotId: number): Promise<void> {
  const row = await segmentRow(context, keyOrName);
  const deleted = await context.store.db.transaction().execute(async (trx) => {
    const snapshot = await trx.selectFrom('segment_snapshots').select('id').where('id', '=', snapshotId).where('segment_id', '=', row.id).executeTakeFirst();
    if (!snapshot) return false;
    await trx.deleteFrom('segment_snapshot_members').where('snapshot_id', '=', snapshot.id).execute();
    await trx.deleteFrom('segment_snapshots').where('id', '=', snapshot.id).execute();
    return true;
  });
  if (!deleted) throw new TagbaseError('SNAPSHOT_NOT_FOUND', { snapshot: String(snapshotId), segment: row.key });
}

function snapshotJson(snapshot: { id: number; expression: string; segments: string | null; member_count: number; taken_at: number; actor: string }, segmentKey: string, shown: ExpressionShown): SnapshotJson {
  const segments = snapshot.segments === null ? null : (JSON.parse(snapshot.segments) as SnapshotSegment[]).map((read) => ({ ...read, expression: shown(read.expression) }));
  return { id: snapshot.id, segment: segmentKey, expression: shown(snapshot.expression), segments, members: snapshot.member_count, taken_at: toIso(snapshot.taken_at), actor: snapshot.actor };
}

/** Internal ids of a snapshot's members, ascending. */
export async function snapshotMembers(context: WorkspaceContext, keyOrName: string, snapshotId: number): Promise<number[]> {
  const row = await segmentRow(context, keyOrName);
  const snapshot = await context.store.db.selectFrom('segment_snapshots').select('id').where('id', '=', snapshotId).where('segment_id', '=', row.id).executeTakeFirst();
  if (!snapshot) throw new TagbaseError('SNAPSHOT_NOT_FOUND', { snapshot: String(snapshotId), segment: row.key });
  const members = await context.store.db
    .selectFrom('segment_snapshot_members')
    .innerJoin('customers', 'customers.id', 'segment_snapshot_members.customer_id')
    .select(['segment_snapshot_members.customer_id', 'customers.merged_into'])
    .where('segment_snapshot_members.snapshot_id', '=', snapshotId)
    .execute();
  // A member merged into another customer since is that customer (merging forwards every record
  // to the one that stays), listed once when the snapshot held both: a store merged before
  // merges moved snapshot places holds such members still.
  const ids = new Set(members.map((member) => member.merged_into ?? member.customer_id));
  return [...ids].sort((a, b) => a - b);
}

/** Which customers of a snapshot compared with the segment now: all it froze, or those since joined, left or kept. */
export const SNAPSHOT_PARTS = ['members', 'joined', 'left', 'stayed'] as const;
export type SnapshotPart = (typeof SNAPSHOT_PARTS)[number];

export interface SnapshotComparison {
  snapshot: SnapshotJson;
  /** Members of the segment now. */
  now: number;
  /** In the snapshot and in the segment now. */
  stayed: number;
  /** In the segment now, not in the snapshot. */
  joined: number;
  /** In the snapshot, not in the segment now (erased customers are gone from the snapshot too). */
  left: number;
}

async function snapshotAndNow(context: WorkspaceContext, audience: Audience, keyOrName: string, snapshotId: number) {
  const { segment, bound, scope } = await compileSavedSegment(context, keyOrName);
  const then = await snapshotMembers(context, segment.key, snapshotId);
  const now = await audience.members(context, bound, scope);
  return { segment, then, now };
}

/**
 * A snapshot against the segment now: who stayed, who joined since and who left — what became
 * of a campaign's audience, or who to reach that the campaign missed.
 */
export async function compareSnapshot(context: WorkspaceContext, audience: Audience, keyOrName: string, snapshotId: number): Promise<SnapshotComparison> {
  const { segment, then, now } = await snapshotAndNow(context, audience, keyOrName, snapshotId);
  const current = new Set(now);
  const stayed = then.reduce((count, id) => (current.has(id) ? count + 1 : count), 0);
  const row = await context.store.db.selectFrom('segment_snapshots').selectAll().where('id', '=', snapshotId).executeTakeFirst();
  // Deleted between reading its members and now: as unknown as it is from now on.
  if (!row) throw new TagbaseError('SNAPSHOT_NOT_FOUND', { snapshot: String(snapshotId), segment: segment.key });
  return {
    snapshot: snapshotJson(row, segment.key, await loadExpressionShown(context)),
    now: now.length,
    stayed,
    joined: now.length - stayed,
    left: then.length - stayed,
  };
}

/** Internal ids of one part of a snapshot's comparison with now, ascending. */
export async function snapshotPartMembers(context: WorkspaceContext, audience: Audience, keyOrName: string, snapshotId: number, part: SnapshotPart): Promise<number[]> {
  if (part === 'members') return snapshotMembers(context, keyOrName, snapshotId);
  const { then, now } = await snapshotAndNow(context, audience, keyOrName, snapshotId);
  const before = new Set(then);
  if (part === 'joined') return now.filter((id) => !before.has(id)).sort((a, b) => a - b);
  const current = new Set(now);
  return then.filter((id) => (part === 'left' ? !current.has(id) : current.has(id)));
}

// ---------------------------------------------------------------- overlap

export interface OverlapRegion {
  /** Which of the compared segments this region is inside (the others it is outside). */
  segments: string[];
  customers: number;
}

export interface Overlap {
  sizes: Record<string, number>;
  /** Every non-empty combination: customers in exactly these segments (of the compared ones). */
  regions: OverlapRegion[];
  /** Customers in all of them. */
  intersection: number;
  union: number;
}

/** Sizes of every intersection of two or three member lists. */
export function overlapOf(named: { key: string; members: readonly number[] }[]): Overlap {
  const membership = new Map<number, number>();
  named.forEach((entry, index) => {
    for (const id of entry.members) membership.set(id, (membership.get(id) ?? 0) | (1 << index));
  });
  const byMask = new Map<number, number>();
  for (const mask of membership.values()) byMask.set(mask, (byMask.get(mask) ?? 0) + 1);
  const all = (1 << named.length) - 1;
  const regions: OverlapRegion[] = [];
  for (let mask = 1; mask <= all; mask++) {
    regions.push({ segments: named.filter((_, index) => mask & (1 << index)).map((entry) => entry.key), customers: byMask.get(mask) ?? 0 });
  }
  return {
    sizes: Object.fromEntries(named.map((entry) => [entry.key, new Set(entry.members).size])),
    regions,
    intersection: byMask.get(all) ?? 0,
    union: membership.size,
  };
}
