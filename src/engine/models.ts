// Models (RFM, lifecycle, personas, …) in a workspace: enabling one declares the metrics it
// reads, computes its thresholds where it has any, and creates its tag with generated
// conditions; from then on the rule engine keeps the tag true in real time, and the
// scheduler refreshes the thresholds.
import { z } from 'zod';
import { TagbaseError, didYouMean, placedProblem } from '../core/errors.js';
import { localized, type LocalizedText } from '../core/locale.js';
import { issueText } from '../core/validation.js';
import { MODEL_KINDS, findModelKind, type ModelKind, type ModelValue } from '../core/models/catalog.js';
import { computeRfmThresholds, rfmNeedsBuyers, rfmSample, rfmThresholdsWithoutBuyers, type RfmParams, type RfmSample, type RfmThresholds } from '../core/models/rfm.js';
import { KEY_PATTERN, KEY_RULE, KEY_RULE_ZH, nearestName } from '../core/names.js';
import { currentTemplateKey } from '../core/templates/index.js';
import type { TagDefinition, TagInput } from '../core/tag.js';
import { toIso } from '../core/time.js';
import type { MetricDefinition, MetricValue } from '../core/metric.js';
import { scoreValue } from '../core/metric-compute.js';
import { loadCustomMetrics, loadWorkspaceCatalog } from './catalog.js';
import { writeCatalog, writeCustomers, type WorkspaceContext } from './context.js';
import { createTag, getTag, removeTagValue, tagNamedAlready } from './library.js';
import { loadTags } from './tag-loading.js';
import { runMetricsPass } from './metric-passes.js';
import { METRICS_PASS, scheduleMetricsPass, settlePass } from './pass-records.js';
import { defineMetric, type MetricChanges, type StoredMetricValues } from './metrics.js';
import { cachedEngineState } from './engine-cache.js';
import { evaluateRuleGroups, ruleGroups } from './rule-groups.js';
import { applyRecordedPass, passTag, readsTagById, scheduleReaderPasses, scheduleRulePass } from './rule-passes.js';
import { checkRuleTag } from './rule-tags.js';
import { oneSetupAtATime } from './setup-queue.js';

export interface ModelJson {
  key: string;
  name: string;
  english: string;
  description: string;
  /** The description in Chinese. */
  description_zh: string;
  enabled: boolean;
  /** The key of the model's tag while it is enabled: the model's own unless it was given another (`tag_key`). */
  tag_key: string | null;
  /** The parameters in force, or the defaults when the model is not enabled. */
  params: Record<string, unknown>;
  thresholds: (RfmThresholds & { computed_at: string }) | null;
  /**
   * When the thresholds were last computed (on enabling or a refresh) and no customer had a paid
   * order in the window: the thresholds in force, if any, are those computed before it, kept;
   * without any, no customer has a level yet. Null when the last computation had buyers, and for
   * models without thresholds.
   */
  no_buyers_at: string | null;
  values: { key: string; name: string; english: string; condition: string }[];
}

/** A refresh's answer: the model, and whether its thresholds were computed afresh, and if not why. */
export interface RefreshedModelJson extends ModelJson {
  refreshed: boolean;
  /** Why nothing was computed afresh: a model without thresholds, or no buyers in the window. */
  not_refreshed: { code: 'NO_THRESHOLDS' | 'NO_BUYERS'; detail: string; detail_zh: string } | null;
}

/**
 * The thresholds as stored. Thresholds kept through a computation that found no buyers carry the
 * time they were computed (`computed_at_ms`); the row's `thresholds_at` is then that computation's,
 * so that the scheduler tries again a day later rather than at every round.
 */
type StoredThresholds = RfmThresholds & { computed_at_ms?: number };

interface ModelRow {
  key: string;
  params: string;
  thresholds: string | null;
  thresholds_at: number | null;
}

function requireKind(key: string): ModelKind {
  const kind = findModelKind(key);
  if (!kind) throw new TagbaseError('MODEL_NOT_FOUND', { model: key, hint: didYouMean(nearestName(key, MODEL_KINDS.flatMap((k) => [k.key, k.name]))) });
  return kind;
}

/**
 * MODEL_INVALID about one field of `PUT /models/{model}`'s body (`params.lost_days`, `tag_key`):
 * said in `detail`, and placed in `errors[]` by its path as a schema's own issue is.
 */
function modelInvalid(kind: ModelKind, path: string, text: LocalizedText, detail: LocalizedText = text): TagbaseError {
  return placedProblem('MODEL_INVALID', { model: kind.key, detail }, 'body', path, text);
}

function parseParams(kind: ModelKind, raw: unknown): Record<string, unknown> {
  try {
    return kind.parse(raw);
  } catch (error) {
    if (error instanceof z.ZodError) {
      const issue = error.issues[0];
      // A misspelt parameter: the nearest one suggested and every one named, where zod said only that the key is unknown.
      if (issue?.code === 'unrecognized_keys') {
        const unknown = issue.keys[0] ?? '';
        const near = didYouMean(nearestName(unknown, kind.paramKeys));
        throw modelInvalid(
          kind,
          ['params', ...issue.path, unknown].join('.'),
          localized(`it has no parameter "${unknown}".${near.en} Its parameters: ${kind.paramKeys.join(', ')}`, `没有参数「${unknown}」。${near['zh-CN']}它的参数有：${kind.paramKeys.join('、')}`),
        );
      }
      const path = issue?.path.join('.') ?? '';
      const text = issue ? issueText(issue) : localized('the parameters are not valid', '参数无效');
      throw modelInvalid(kind, ['params', ...(issue?.path ?? [])].join('.'), text, localized(`${path ? `${path}: ` : ''}${text.en}`, `${path ? `${path}：` : ''}${text['zh-CN']}`));
    }
    throw error;
  }
}

async function modelRow(context: WorkspaceContext, key: string): Promise<ModelRow | undefined> {
  return context.store.db.selectFrom('models').select(['key', 'params', 'thresholds', 'thresholds_at']).where('workspace_id', '=', context.workspaceId).where('key', '=', key).executeTakeFirst();
}

function storedThresholds(row: ModelRow | undefined): StoredThresholds | undefined {
  return row?.thresholds ? (JSON.parse(row.thresholds) as StoredThresholds) : undefined;
}

/** The thresholds in force with the time they were computed, without what only the store keeps. */
function thresholdsJson(row: ModelRow | undefined): ModelJson['thresholds'] {
  const stored = storedThresholds(row);
  if (!stored || !row?.thresholds_at) return null;
  const { computed_at_ms: computedAt, ...thresholds } = stored;
  return { ...thresholds, computed_at: toIso(computedAt ?? row.thresholds_at) };
}

function noBuyersAt(kind: ModelKind, row: ModelRow | undefined): string | null {
  if (!kind.statistical || !row?.thresholds_at) return null;
  const stored = storedThresholds(row);
  return stored === undefined || stored.computed_at_ms !== undefined ? toIso(row.thresholds_at) : null;
}

function toJson(kind: ModelKind, row: ModelRow | undefined, tagKey: string | undefined): ModelJson {
  const params = row ? (JSON.parse(row.params) as Record<string, unknown>) : kind.parse({});
  const thresholds = storedThresholds(row);
  return {
    key: kind.key,
    name: kind.name,
    english: kind.english,
    description: kind.description,
    description_zh: kind.descriptionZh,
    enabled: row !== undefined,
    tag_key: row === undefined ? null : (tagKey ?? kind.key),
    params,
    thresholds: thresholdsJson(row),
    no_buyers_at: noBuyersAt(kind, row),
    values: kind.values(params, thresholds),
  };
}

export async function listModels(context: WorkspaceContext): Promise<ModelJson[]> {
  const rows = await context.store.db.selectFrom('models').select(['key', 'params', 'thresholds', 'thresholds_at']).where('workspace_id', '=', context.workspaceId).execute();
  const tagKeys = await modelTagKeys(context);
  return MODEL_KINDS.map((kind) => toJson(kind, rows.find((row) => row.key === kind.key), tagKeys.get(kind.key)));
}

export async function getModel(context: WorkspaceContext, key: string): Promise<ModelJson> {
  const kind = requireKind(key);
  return toJson(kind, await modelRow(context, kind.key), (await modelTagKeys(context)).get(kind.key));
}

/** The keys of the models' active tags, by model. */
async function modelTagKeys(context: WorkspaceContext): Promise<Map<string, string>> {
  const rows = await context.store.db
    .selectFrom('tags')
    .select(['key', 'model_key'])
    .where('workspace_id', '=', context.workspaceId)
    .where('kind', '=', 'model')
    .where('status', '=', 'active')
    .execute();
  return new Map(rows.flatMap((row) => (row.model_key === null ? [] : [[row.model_key, row.key] as const])));
}

/**
 * Declares the metrics the model reads. A model owns the metrics it declared (marked in their
 * description) and rewrites them when its parameters change, such as RFM's window; a metric
 * someone else declared under the same key is never overwritten, and one it declared before
 * under other names (in Chinese or English) is renamed. Answers the recompute of
 * everyone's metrics that the changes recorded (`runMetricsPass`), if any.
 */
async function ensureMetrics(context: WorkspaceContext, kind: ModelKind, wanted: readonly MetricDefinition[]): Promise<string | undefined> {
  const owner = `model:${kind.key}`;
  const existing = new Map((await loadCustomMetrics(context)).map((metric) => [metric.key, metric]));
  let recompute: string | undefined;
  for (const declared of wanted) {
    const definition = { ...declared, description: owner };
    const current = existing.get(definition.key);
    if (!current) {
      recompute = (await defineMetric(context, definition)).recompute;
    } else if (JSON.stringify(current.formula) !== JSON.stringify(definition.formula)) {
      if (current.description !== owner) throw new TagbaseError('MODEL_CONFLICT', { model: kind.key, detail: localized(`metric "${definition.key}" exists with another definition`, `指标「${definition.key}」已存在且定义不同`) });
      recompute = await writeCatalog(context, 'all', async (trx) => {
        await trx.updateTable('metric_definitions').set({ name: definition.name, definition: JSON.stringify(definition) }).where('workspace_id', '=', context.workspaceId).where('key', '=', definition.key).execute();
        return scheduleMetricsPass(context, trx);
      });
    } else if (current.description === owner && (current.name !== definition.name || current.name_en !== definition.name_en)) {
      // Only the names changed (a metric declared before it had an English name): nothing to recompute.
      await writeCatalog(context, 'definitions', async (trx) => {
        await trx.updateTable('metric_definitions').set({ name: definition.name, definition: JSON.stringify(definition) }).where('workspace_id', '=', context.workspaceId).where('key', '=', definition.key).execute();
      });
    }
  }
  return recompute;
}

const SAMPLE_BATCH = 5000;

/** R, F and M of every customer who bought in the window, read from the stored metrics. */
async function loadRfmSamples(context: WorkspaceContext): Promise<RfmSample[]> {
  const samples: RfmSample[] = [];
  let after = 0;
  for (;;) {
    const rows = await context.store.db
      .selectFrom('customer_metrics')
      .innerJoin('customers', 'customers.id', 'customer_metrics.customer_id')
      .select(['customer_metrics.customer_id', 'customer_metrics.metric_values'])
      .where('customer_metrics.workspace_id', '=', context.workspaceId)
      .where('customers.merged_into', 'is', null)
      .where('customer_metrics.customer_id', '>', after)
      .orderBy('customer_metrics.customer_id')
      .limit(SAMPLE_BATCH)
      .execute();
    for (const row of rows) {
      const sample = rfmSample(JSON.parse(row.metric_values) as Record<string, unknown>);
      if (sample) samples.push(sample);
    }
    const last = rows[rows.length - 1];
    if (!last || rows.length < SAMPLE_BATCH) return samples;
    after = last.customer_id;
  }
}

interface ComputedThresholds {
  thresholds: StoredThresholds | undefined;
  /** No customer bought in the window, and a mean or a median was asked for: `thresholds` are the ones before, if any. */
  noBuyers: boolean;
}

/**
 * The thresholds over today's buyers. With no buyers in the window a mean or a median of nothing
 * would be 0, rating every new buyer high on F and M until the next refresh: the thresholds
 * before are kept instead (`rfmThresholdsWithoutBuyers`), or there are none yet.
 */
async function computeThresholds(context: WorkspaceContext, kind: ModelKind, params: Record<string, unknown>, row: ModelRow | undefined): Promise<ComputedThresholds> {
  if (!kind.statistical) return { thresholds: undefined, noBuyers: false };
  const rfm = params as RfmParams;
  const samples = await loadRfmSamples(context);
  if (samples.length > 0 || !rfmNeedsBuyers(rfm)) return { thresholds: computeRfmThresholds(rfm, samples), noBuyers: false };
  const previous = storedThresholds(row);
  const kept = rfmThresholdsWithoutBuyers(rfm, previous);
  // Kept thresholds remember when they were computed: the row's time becomes this computation's.
  return { thresholds: kept && { ...kept, computed_at_ms: previous?.computed_at_ms ?? row?.thresholds_at ?? context.now().getTime() }, noBuyers: true };
}

function tagInput(kind: ModelKind, values: readonly ModelValue[], tagKey: string): TagInput {
  return {
    key: tagKey,
    name: kind.name,
    // In the tag library's language first (its names are Chinese), then in English for those who read that.
    description: `${kind.descriptionZh}\n${kind.english}: ${kind.description}`,
    scope: 'enterprise',
    cardinality: kind.cardinality,
    ordered: kind.ordered,
    kind: 'model',
    values: values.map((value) => ({ key: value.key, name: value.name, description: value.english, condition: value.condition })),
  };
}

/**
 * Brings the model tag's values in line with the model: conditions rewritten, new values
 * added, values the model no longer has removed with their assignments. Display names,
 * descriptions and colours the operators changed are kept; those the model gave under its
 * earlier parameters (`previous`) follow the new ones, so that a band whose bounds moved
 * is not called by its old bounds (1,000–2,000元 holding everyone from 1,000 up).
 */
async function syncModelTag(context: WorkspaceContext, kind: ModelKind, tag: TagDefinition, values: readonly ModelValue[], previous: readonly ModelValue[]): Promise<void> {
  const wanted = new Map(values.map((value) => [value.key, value]));
  const before = new Map(previous.map((value) => [value.key, value]));
  const candidate: TagDefinition = {
    ...tag,
    status: 'active',
    values: values.map((value, index) => {
      const current = tag.values.find((existing) => existing.key === value.key);
      const generated = before.get(value.key);
      const name = current === undefined || current.name === generated?.name ? value.name : current.name;
      const description = current === undefined || current.description === generated?.english ? value.english : current.description;
      return { id: current?.id ?? -1 - index, key: value.key, name, color: current?.color ?? null, description, sortOrder: index, condition: value.condition };
    }),
  };
  await checkRuleTag(context, candidate, tag.key);
  const pass = await writeCatalog(context, 'all', async (trx) => {
    await trx.updateTable('tags').set({ status: 'active', updated_at: context.now().getTime() }).where('id', '=', tag.id).execute();
    for (const [index, value] of candidate.values.entries()) {
      if (value.id > 0) {
        await trx.updateTable('tag_values').set({ name: value.name, description: value.description, condition: value.condition, sort_order: index }).where('id', '=', value.id).execute();
      } else {
        await trx
          .insertInto('tag_values')
          .values({ workspace_id: context.workspaceId, tag_id: tag.id, key: value.key, name: value.name, color: null, description: value.description, sort_order: index, condition: value.condition })
          .execute();
      }
    }
    // Recorded with the new conditions: a crash before the pass below has run is finished by the scheduler.
    const own = await scheduleRulePass(context, trx, passTag(tag));
    // A model enabled again: the rule tags reading its tag stopped while it was off, and are applied to everyone again.
    const readers =
      tag.status === 'active' ? [] : (await scheduleReaderPasses(context, trx, await loadWorkspaceCatalog(context, trx), readsTagById(tag.id))).filter((reader) => reader.tag.id !== tag.id);
    return { own, readers };
  });
  for (const stale of tag.values.filter((value) => !wanted.has(value.key))) {
    await removeTagValue(context, tag.key, stale.key, { onAssigned: 'remove', byModel: true });
  }
  await applyRecordedPass(context, passTag(tag), pass.own);
  for (const reader of pass.readers) await applyRecordedPass(context, reader.tag, reader.token);
}

/**
 * The values the model gave its tag under the parameters and thresholds it had. A model switched
 * off forgot its parameters; its archived tag still holds the conditions they made, from which a
 * banded model's bounds are read back (see `boundsFromConditions`).
 */
function generatedBefore(kind: ModelKind, row: ModelRow | undefined, tag: TagDefinition): ModelValue[] {
  if (row) return kind.values(JSON.parse(row.params) as Record<string, unknown>, row.thresholds ? (JSON.parse(row.thresholds) as RfmThresholds) : undefined);
  return boundsFromConditions(kind, tag) ?? [];
}

/**
 * The values of a model with ascending `bounds` whose conditions are exactly the tag's, the
 * bounds being the numbers one metric is compared with; undefined when no such bounds make them
 * (another kind of model, or conditions not of its making).
 */
function boundsFromConditions(kind: ModelKind, tag: TagDefinition): ModelValue[] | undefined {
  if (!kind.paramKeys.includes('bounds')) return undefined;
  const comparedWith = new Map<string, Set<number>>();
  for (const value of tag.values) {
    for (const [, metric = '', number = ''] of (value.condition ?? '').matchAll(/([a-z_][a-z0-9_]*)\s*[<>]=?\s*(-?\d+(?:\.\d+)?)/g)) {
      const numbers = comparedWith.get(metric) ?? new Set<number>();
      numbers.add(Number(number));
      comparedWith.set(metric, numbers);
    }
  }
  const stored = new Map(tag.values.map((value) => [value.key, value.condition]));
  for (const numbers of comparedWith.values()) {
    let values: ModelValue[];
    try {
      values = kind.values(kind.parse({ bounds: [...numbers].sort((a, b) => a - b) }), undefined);
    } catch {
      continue;
    }
    if (values.length === stored.size && values.every((value) => stored.get(value.key) === value.condition)) return values;
  }
  return undefined;
}

async function existingTag(context: WorkspaceContext, key: string): Promise<TagDefinition | undefined> {
  try {
    return await getTag(context, key);
  } catch (error) {
    if (error instanceof TagbaseError && error.code === 'TAG_NOT_FOUND') return undefined;
    throw error;
  }
}

/** The model's tag, whatever its key, archived too (a model enabled again takes its tag back, history and all). */
async function modelTag(context: WorkspaceContext, kind: ModelKind): Promise<TagDefinition | undefined> {
  const tags = (await loadTags(context, { includeArchived: true })).filter((tag) => tag.kind === 'model' && tag.model === kind.key);
  return tags.find((tag) => tag.status === 'active') ?? tags[0];
}

export interface ModelOptions {
  /** The key of the model's tag when the model is first enabled, where the library has a tag of the model's key already. */
  tagKey?: string | undefined;
}

/** Enables the model, or changes its parameters; every customer's tag is current when it answers. */
export async function configureModel(context: WorkspaceContext, key: string, rawParams: unknown, options: ModelOptions = {}): Promise<ModelJson> {
  const kind = requireKind(key);
  const params = parseParams(kind, rawParams);
  if (options.tagKey !== undefined && !KEY_PATTERN.test(options.tagKey)) {
    throw modelInvalid(kind, 'tag_key', localized(KEY_RULE, KEY_RULE_ZH), localized(`tag_key: ${KEY_RULE}`, `tag_key：${KEY_RULE_ZH}`));
  }
  return oneSetupAtATime(context, () => configureParsedModel(context, kind, params, options.tagKey));
}

/** Why the model's tag cannot take `taken`'s key, and the ways out. */
function keyTaken(kind: ModelKind, taken: TagDefinition, chosen: boolean): TagbaseError {
  const kindZh = taken.kind === 'rule' ? '规则' : taken.kind === 'model' ? '模型' : '手工';
  // A template tag made under this key before the template left it to the model: its key now.
  const renamed = currentTemplateKey(taken.key);
  const own = `${kind.key}_model`;
  const en = chosen
    ? `the ${taken.kind} tag "${taken.name}" already uses the key "${taken.key}"; choose another tag_key`
    : renamed !== undefined
      ? `the ${taken.kind} tag "${taken.name}" already uses the key "${taken.key}"; give that tag its new key first (PATCH /api/v1/tags/${taken.key} with {"key": "${renamed}"}), or give the model's tag another key ({"tag_key": "${own}"})`
      : `the ${taken.kind} tag "${taken.name}" already uses the key "${taken.key}"; give the model's tag another key ({"tag_key": "${own}"}), or give that tag another key first (PATCH /api/v1/tags/${taken.key})`;
  const zh = chosen
    ? `${kindZh}标签「${taken.name}」已使用标识「${taken.key}」，请换一个 tag_key`
    : renamed !== undefined
      ? `${kindZh}标签「${taken.name}」已使用标识「${taken.key}」，请先给该标签换上新标识（PATCH /api/v1/tags/${taken.key}，带上 {"key": "${renamed}"}），或给模型的标签另取标识（{"tag_key": "${own}"}）`
      : `${kindZh}标签「${taken.name}」已使用标识「${taken.key}」，请给模型的标签另取标识（{"tag_key": "${own}"}），或先给该标签换一个标识（PATCH /api/v1/tags/${taken.key}）`;
  // The tags in the way, apart from the words: the command line says the same with its own options.
  return new TagbaseError('MODEL_CONFLICT', {
    model: kind.key,
    detail: localized(en, zh),
    taken_key: taken.key,
    taken_name: taken.name,
    taken_kind: taken.kind,
    tag_key: chosen ? undefined : own,
    renamed_key: chosen ? undefined : renamed,
  });
}

async function configureParsedModel(context: WorkspaceContext, kind: ModelKind, params: Record<string, unknown>, tagKey: string | undefined): Promise<ModelJson> {
  const tag = await modelTag(context, kind);
  if (tag && tagKey !== undefined && tagKey !== tag.key) {
    throw modelInvalid(
      kind,
      'tag_key',
      localized(`its tag has the key "${tag.key}", which stays (tag_key is chosen when the model is first enabled)`, `它的标签标识为「${tag.key}」，不能更改（tag_key 只在首次启用模型时选定）`),
    );
  }
  const key = tag?.key ?? tagKey ?? kind.key;
  const taken = tag ? undefined : await existingTag(context, key);
  if (taken) throw keyTaken(kind, taken, tagKey !== undefined);
  // Before any metric is declared or recomputed: the model's tag could not be made afterwards.
  const namedSo = tag ? undefined : await tagNamedAlready(context, kind.name, 'enterprise', '');
  if (namedSo === null) {
    throw new TagbaseError('MODEL_CONFLICT', {
      model: kind.key,
      detail: localized(
        `another staff member's personal tag is already called "${kind.name}", the name of this model's tag; its owner would have to rename it first`,
        `其他员工的个人标签已叫「${kind.name}」，与这个模型的标签同名，需由其本人先改名`,
      ),
    });
  }
  if (namedSo !== undefined) {
    throw new TagbaseError('MODEL_CONFLICT', { model: kind.key, detail: localized(`tag "${namedSo}" is already called "${kind.name}", the name of this model's tag; rename it first`, `标签「${namedSo}」已叫「${kind.name}」，与这个模型的标签同名，请先改名`) });
  }
  const recompute = await ensureMetrics(context, kind, kind.metrics(params));
  if (recompute !== undefined) await runMetricsPass(context, recompute);
  const row = await modelRow(context, kind.key);
  const { thresholds } = await computeThresholds(context, kind, params, row);
  await ensureScores(context, kind, params, thresholds);
  const values = kind.values(params, thresholds);
  if (tag) await syncModelTag(context, kind, tag, values, generatedBefore(kind, row, tag));
  else await createTag(context, tagInput(kind, values, key), { model: kind.key });
  await saveModel(context, kind, params, thresholds);
  return getModel(context, kind.key);
}

/**
 * Metrics measured against the thresholds (RFM's 1–5 scores) change with them; instead of
 * recomputing every customer from events, the stored values are re-scored in place. The
 * recompute that declaring them recorded stays until the re-scoring is done (a crash in
 * between leaves it for the scheduler), then goes: it would otherwise recompute everyone again
 * once its lease ran out.
 */
async function ensureScores(context: WorkspaceContext, kind: ModelKind, params: Record<string, unknown>, thresholds: RfmThresholds | undefined): Promise<void> {
  if (!thresholds) return;
  const base = new Set(kind.metrics(params).map((metric) => metric.key));
  const scores = kind.metrics(params, thresholds).filter((metric) => !base.has(metric.key));
  const recompute = scores.length > 0 ? await ensureMetrics(context, kind, scores) : undefined;
  if (recompute === undefined) return;
  await rescoreCustomers(context, scores);
  await settlePass(context, METRICS_PASS.id, recompute, { finished: true, aborted: false });
}

const RESCORE_BATCH = 5000;

async function rescoreCustomers(context: WorkspaceContext, definitions: readonly MetricDefinition[]): Promise<void> {
  const formulas = definitions.flatMap((definition) => (definition.formula.kind === 'score' ? [{ key: definition.key, formula: definition.formula }] : []));
  let after = 0;
  for (;;) {
    // Read in the transaction that writes them back: a batch of events committed between a
    // read outside it and this write would have been overwritten by the values from before.
    // Rules that read a score follow it in the same transaction, like any other metric
    // change: a crash never leaves scores and tags apart, and no batch waits on the others.
    const last = await writeCustomers(context, async (trx, changed) => {
      const rows = await trx
        .selectFrom('customer_metrics')
        .select(['customer_id', 'metric_values'])
        .where('workspace_id', '=', context.workspaceId)
        .where('customer_id', '>', after)
        .orderBy('customer_id')
        .limit(RESCORE_BATCH)
        .execute();
      const changes: MetricChanges = new Map();
      const rescored: StoredMetricValues = new Map();
      for (const row of rows) {
        const values = JSON.parse(row.metric_values) as Record<string, MetricValue>;
        const keys = new Set<string>();
        for (const { key, formula } of formulas) {
          const score = scoreValue(formula, values);
          if ((values[key] ?? null) === score) continue;
          if (score === null) delete values[key];
          else values[key] = score;
          keys.add(key);
        }
        if (keys.size === 0) continue;
        changes.set(row.customer_id, keys);
        rescored.set(row.customer_id, values);
      }
      if (changes.size > 0) {
        const state = await cachedEngineState(context, trx);
        for (const [id, values] of rescored) {
          await trx.updateTable('customer_metrics').set({ metric_values: JSON.stringify(values) }).where('customer_id', '=', id).execute();
          changed.add(id);
        }
        await evaluateRuleGroups(context, trx, await ruleGroups(context, trx, state), [...changes.keys()], { metrics: changes }, { metrics: rescored });
      }
      return rows.length < RESCORE_BATCH ? undefined : rows[rows.length - 1]?.customer_id;
    });
    if (last === undefined) break;
    after = last;
  }
}

async function saveModel(context: WorkspaceContext, kind: ModelKind, params: Record<string, unknown>, thresholds: StoredThresholds | undefined): Promise<void> {
  const now = context.now().getTime();
  const row = {
    params: JSON.stringify(params),
    thresholds: thresholds ? JSON.stringify(thresholds) : null,
    // For a statistical model the time of this computation, even one that found no buyers and kept (or has) none.
    thresholds_at: kind.statistical ? now : null,
    updated_at: now,
  };
  await context.store.db
    .insertInto('models')
    .values({ workspace_id: context.workspaceId, key: kind.key, created_at: now, ...row })
    .onConflict((conflict) => conflict.columns(['workspace_id', 'key']).doUpdateSet(row))
    .execute();
}

/**
 * Recomputes a statistical model's thresholds from today's customers and re-applies its tag. A
 * model without thresholds has nothing to recompute (its values follow every event): it is left
 * as it is, and the answer says so.
 */
export async function refreshModel(context: WorkspaceContext, key: string): Promise<RefreshedModelJson> {
  const kind = requireKind(key);
  return oneSetupAtATime(context, () => refreshKnownModel(context, kind));
}

async function refreshKnownModel(context: WorkspaceContext, kind: ModelKind): Promise<RefreshedModelJson> {
  const row = await modelRow(context, kind.key);
  if (!row) throw new TagbaseError('MODEL_NOT_ENABLED', { model: kind.key });
  if (!kind.statistical) {
    const detail = localized(
      `model "${kind.key}" has no thresholds computed from the customers; its values follow every event, so there was nothing to refresh`,
      `模型「${kind.key}」没有按客户数据计算的阈值，它的取值随每个事件实时变化，没有需要刷新的内容`,
    );
    return { ...(await getModel(context, kind.key)), refreshed: false, not_refreshed: { code: 'NO_THRESHOLDS', detail: detail.en, detail_zh: detail['zh-CN'] } };
  }
  const params = JSON.parse(row.params) as Record<string, unknown>;
  const { thresholds, noBuyers } = await computeThresholds(context, kind, params, row);
  await ensureScores(context, kind, params, thresholds);
  const tag = await modelTag(context, kind);
  const values = kind.values(params, thresholds);
  if (tag) await syncModelTag(context, kind, tag, values, generatedBefore(kind, row, tag));
  else await createTag(context, tagInput(kind, values, kind.key), { model: kind.key });
  await saveModel(context, kind, params, thresholds);
  const model = await getModel(context, kind.key);
  if (!noBuyers) return { ...model, refreshed: true, not_refreshed: null };
  const detail = thresholds
    ? localized('no customer has a paid order in the window; the thresholds computed before are kept', '窗口内没有客户有支付订单，沿用之前计算的阈值')
    : localized('no customer has a paid order in the window, so there are no thresholds yet and no customer has a level', '窗口内没有客户有支付订单，暂无阈值，所有客户都没有等级');
  return { ...model, refreshed: false, not_refreshed: { code: 'NO_BUYERS', detail: detail.en, detail_zh: detail['zh-CN'] } };
}

/** Archives the model's tag (its history stays) and forgets the model. */
export async function disableModel(context: WorkspaceContext, key: string): Promise<void> {
  const kind = requireKind(key);
  await oneSetupAtATime(context, async () => {
    if (!(await modelRow(context, kind.key))) throw new TagbaseError('MODEL_NOT_ENABLED', { model: kind.key });
    await writeCatalog(context, 'all', async (trx) => {
      await trx.updateTable('tags').set({ status: 'archived', updated_at: context.now().getTime() }).where('workspace_id', '=', context.workspaceId).where('model_key', '=', kind.key).where('kind', '=', 'model').execute();
      await trx.deleteFrom('models').where('workspace_id', '=', context.workspaceId).where('key', '=', kind.key).execute();
    });
  });
}

/** For the scheduler: statistical models whose thresholds are older than `maxAgeMs`. */
export async function refreshStaleModels(context: WorkspaceContext, maxAgeMs: number): Promise<string[]> {
  const cutoff = context.now().getTime() - maxAgeMs;
  const rows = await context.store.db.selectFrom('models').select(['key', 'thresholds_at']).where('workspace_id', '=', context.workspaceId).execute();
  const refreshed: string[] = [];
  for (const row of rows) {
    if (!findModelKind(row.key)?.statistical || (row.thresholds_at ?? 0) > cutoff) continue;
    await refreshModel(context, row.key);
    refreshed.push(row.key);
  }
  return refreshed;
}
