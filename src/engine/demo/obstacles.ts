// What in a workspace stands in the demo's way: something holding the key or name of a care
// plan, segment, tag group, tag or model metric the demo makes, that is not the demo's own. The
// demo refuses such a workspace before it writes anything: it would otherwise stop at the first
// clash on every run, the workspace left half filled.
import { TagbaseError } from '../../core/errors.js';
import { localized, type LocalizedText } from '../../core/locale.js';
import { isBuiltinMetricKey } from '../../core/metric.js';
import { MODEL_KINDS } from '../../core/models/catalog.js';
import { foldName } from '../../core/name-search.js';
import { RETAIL_TEMPLATE } from '../../core/templates/retail.js';
import type { Store } from '../../store/connect.js';
import { DEMO_CARE_PLANS } from './care.js';
import { DEMO_SEGMENTS } from './segments.js';

/** The audit trail's action for a demo loaded into a workspace: how a later run knows the workspace as the demo's. */
export const DEMO_AUDIT_ACTION = 'demo';

/** The models a new demo workspace shows in its portraits. */
export const DEMO_MODELS = ['rfm', 'lifecycle', 'personas'] as const;

/** Where a key or name must be unique: tags, fields and metrics share one, as expressions name them. */
type NameSpace = 'care_plan' | 'segment' | 'tag_group' | 'expression';
type ThingKind = 'care_plan' | 'segment' | 'tag_group' | 'tag' | 'field' | 'metric';

interface Wanted {
  space: NameSpace;
  kind: ThingKind;
  key: string;
  name: string;
  /** For a model's tag and metrics, the model's key. */
  model?: string;
}

interface Existing {
  space: NameSpace;
  kind: ThingKind;
  key: string;
  name: string;
  /** Tags: `enterprise` or `personal`. */
  scope?: string;
  /** Tags: the model whose tag it is. Metrics: the model that declared it. */
  model?: string | null;
}

/** Whether the demo filled the workspace before: its customers, and what it made, are the demo's to write again. */
export async function filledByDemo(store: Store, workspaceId: number): Promise<boolean> {
  const entry = await store.db.selectFrom('audit_log').select('id').where('workspace_id', '=', workspaceId).where('action', '=', DEMO_AUDIT_ACTION).limit(1).executeTakeFirst();
  return entry !== undefined;
}

/** Everything the demo makes that has a key and a name. */
function wantedByDemo(): Wanted[] {
  const wanted: Wanted[] = [
    ...DEMO_CARE_PLANS.map((plan) => ({ space: 'care_plan' as const, kind: 'care_plan' as const, key: plan.key, name: plan.name })),
    ...DEMO_SEGMENTS.map((segment) => ({ space: 'segment' as const, kind: 'segment' as const, key: segment.key, name: segment.name })),
    ...RETAIL_TEMPLATE.groups.map((group) => ({ space: 'tag_group' as const, kind: 'tag_group' as const, key: group.key, name: group.name })),
    ...RETAIL_TEMPLATE.tags.map((tag) => ({ space: 'expression' as const, kind: 'tag' as const, key: tag.key, name: tag.name })),
  ];
  for (const model of MODEL_KINDS.filter((kind) => (DEMO_MODELS as readonly string[]).includes(kind.key))) {
    wanted.push({ space: 'expression', kind: 'tag', key: model.key, name: model.name, model: model.key });
    for (const metric of model.metrics(model.parse({}))) {
      if (!isBuiltinMetricKey(metric.key)) wanted.push({ space: 'expression', kind: 'metric', key: metric.key, name: metric.name, model: model.key });
    }
  }
  return wanted;
}

async function existingIn(store: Store, workspaceId: number): Promise<Existing[]> {
  const db = store.db;
  const [plans, segments, groups, tags, fields, metrics] = await Promise.all([
    db.selectFrom('care_plans').select(['key', 'name']).where('workspace_id', '=', workspaceId).execute(),
    db.selectFrom('segments').select(['key', 'name']).where('workspace_id', '=', workspaceId).execute(),
    db.selectFrom('tag_groups').select(['key', 'name']).where('workspace_id', '=', workspaceId).execute(),
    db.selectFrom('tags').select(['key', 'name', 'scope', 'model_key']).where('workspace_id', '=', workspaceId).orderBy('id').execute(),
    db.selectFrom('field_definitions').select(['key', 'name']).where('workspace_id', '=', workspaceId).execute(),
    db.selectFrom('metric_definitions').select(['key', 'name', 'description']).where('workspace_id', '=', workspaceId).execute(),
  ]);
  return [
    ...plans.map((row) => ({ space: 'care_plan' as const, kind: 'care_plan' as const, key: row.key, name: row.name })),
    ...segments.map((row) => ({ space: 'segment' as const, kind: 'segment' as const, key: row.key, name: row.name })),
    ...groups.map((row) => ({ space: 'tag_group' as const, kind: 'tag_group' as const, key: row.key, name: row.name })),
    ...tags.map((row) => ({ space: 'expression' as const, kind: 'tag' as const, key: row.key, name: row.name, scope: row.scope, model: row.model_key })),
    ...fields.map((row) => ({ space: 'expression' as const, kind: 'field' as const, key: row.key, name: row.name })),
    ...metrics
      .filter((row) => !isBuiltinMetricKey(row.key))
      // A model declares its metrics with `model:<key>` as their description.
      .map((row) => ({ space: 'expression' as const, kind: 'metric' as const, key: row.key, name: row.name, model: row.description?.startsWith('model:') ? row.description.slice('model:'.length) : null })),
  ];
}

/**
 * Whether `existing` is the thing the demo makes as `wanted`: what an earlier run wrote, or the
 * same made otherwise (the retail template applied, a model enabled). Under the same key, its
 * name must be the demo's, or the demo must have filled the workspace before (an operator
 * renamed it since).
 */
function isDemoOwn(wanted: Wanted, existing: Existing, filledBefore: boolean): boolean {
  if (wanted.kind !== existing.kind) return false;
  const sameName = foldName(wanted.name) === foldName(existing.name);
  if (wanted.kind === 'metric') return existing.model === wanted.model;
  if (wanted.kind === 'tag' && wanted.model !== undefined) return existing.model === wanted.model && (sameName || filledBefore);
  if (wanted.kind === 'tag' && (existing.scope !== 'enterprise' || (existing.model ?? null) !== null)) return false;
  return existing.key === wanted.key && (sameName || filledBefore);
}

function clashes(wanted: Wanted, existing: Existing): boolean {
  if (wanted.space !== existing.space) return false;
  const taken = new Set([existing.key, foldName(existing.name)]);
  return taken.has(wanted.key) || taken.has(foldName(wanted.name));
}

/** What in the workspace holds a key or name of something the demo makes, and is not the demo's own; in the order found. */
export async function demoObstacles(store: Store, workspaceId: number): Promise<Existing[]> {
  const filledBefore = await filledByDemo(store, workspaceId);
  const existing = await existingIn(store, workspaceId);
  const wanted = wantedByDemo();
  // A model's tag may have a key of its own choosing: the demo's is then that one.
  for (const item of wanted) {
    const modelTag = item.kind === 'tag' && item.model !== undefined ? existing.find((thing) => thing.kind === 'tag' && thing.model === item.model) : undefined;
    if (modelTag) item.key = modelTag.key;
  }
  return existing.filter((thing) => {
    const against = wanted.filter((item) => clashes(item, thing));
    return against.length > 0 && !against.some((item) => isDemoOwn(item, thing, filledBefore));
  });
}

const KIND_WORDS: Readonly<Record<ThingKind, LocalizedText>> = {
  care_plan: localized('care plan', '关怀计划'),
  segment: localized('segment', '人群'),
  tag_group: localized('tag group', '标签分组'),
  tag: localized('tag', '标签'),
  field: localized('field', '字段'),
  metric: localized('metric', '指标'),
};

/** The things in the way, as a refusal names them: `care plan "售后3315" (after_sales)`. */
function namedThings(things: readonly Existing[]): LocalizedText {
  const en = things.map((thing) => `${KIND_WORDS[thing.kind].en} "${thing.name}"${thing.name === thing.key ? '' : ` (${thing.key})`}`);
  const zh = things.map((thing) => `${KIND_WORDS[thing.kind]['zh-CN']}「${thing.name}」${thing.name === thing.key ? '' : `（${thing.key}）`}`);
  return localized(en.join(', '), zh.join('、'));
}

/**
 * Refuses the workspace (`DEMO_IN_THE_WAY`) when something in it stands in the demo's way,
 * naming what and suggesting a workspace of the demo's own: `-w demo` on the command line,
 * `{"workspace": "demo"}` to the API.
 */
export async function assertRoomForDemo(store: Store, workspaceId: number, workspace: string, source: 'cli' | 'api'): Promise<void> {
  const inTheWay = await demoObstacles(store, workspaceId);
  if (inTheWay.length === 0) return;
  const suggested = workspace === 'demo' ? 'demo-2' : 'demo';
  const hint = source === 'api' ? `{"workspace": "${suggested}"}` : `-w ${suggested}`;
  throw new TagbaseError('DEMO_IN_THE_WAY', { workspace, things: namedThings(inTheWay), hint: localized(` (${hint})`, `（${hint}）`) });
}
