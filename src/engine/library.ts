// The tag library: groups, tag definitions and their preset values. Renaming keeps
// assignments (they point at ids); removing a value in use needs an explicit decision.
import type { Kysely, Transaction } from 'kysely';
import { tagTriggerOf, type TagTrigger } from '../core/care.js';
import { fieldError, fieldProblem, namedInMessage, namesInMessage, TagbaseError, valueInMessage } from '../core/errors.js';
import { localized, type LocalizedText } from '../core/locale.js';
import { foldName } from '../core/name-search.js';
import { assertSomethingToChange } from '../core/patch.js';
import {
  findTagValue,
  formatTagLabel,
  isComputedTag,
  type TagDefinition,
  type TagGroup,
  type TagGroupInput,
  type TagGroupPatch,
  type TagInput,
  type TagPatch,
  type TagScope,
  type TagValue,
  type TagValueInput,
  type TagValuePatch,
  valueNamingClash,
} from '../core/tag.js';
import type { Database } from '../store/schema.js';
import { IDS_PER_QUERY, chunks } from '../store/chunks.js';
import { unlessGone, unlessTaken } from './unique-keys.js';
import { actorName, catalogChangeCommitted, logCatalogChanged, writeCatalog, writeCustomers, type WorkspaceContext } from './context.js';
import { propagateTags } from './propagate.js';
import { applyRecordedPass, passTag, readsTagById, scheduleReaderPasses, scheduleRulePass, type PassTag } from './rule-passes.js';
import { checkRuleTag } from './rule-tags.js';
import { assertExpressionNamesFree, loadWorkspaceCatalog } from './catalog.js';
import { insertHistory, type HistoryRow } from './history.js';
import { getTag, getTagValue, loadTags } from './tag-loading.js';
import { expiredBy, stillHeld } from '../store/still-held.js';
import { expressionAsMeant, loadExpressionShown } from './shown-expressions.js';
import { holdersNow, listed, readersInWords } from './tag-deletion.js';
import { tagReaders, tagWorkUnderWay } from './tag-readers.js';

type Db = Kysely<Database> | Transaction<Database>;

// ---------------------------------------------------------------- groups

function toGroup(row: { id: number; key: string; name: string; description: string | null; sort_order: number }): TagGroup {
  return { id: row.id, key: row.key, name: row.name, description: row.description, sortOrder: row.sort_order };
}

export async function listTagGroups(context: WorkspaceContext, db: Db = context.store.db): Promise<TagGroup[]> {
  const rows = await db
    .selectFrom('tag_groups')
    .selectAll()
    .where('workspace_id', '=', context.workspaceId)
    .orderBy('sort_order')
    .orderBy('id')
    .execute();
  return rows.map(toGroup);
}

export async function getTagGroup(context: WorkspaceContext, key: string, db: Db = context.store.db): Promise<TagGroup> {
  const row = await db
    .selectFrom('tag_groups')
    .selectAll()
    .where('workspace_id', '=', context.workspaceId)
    .where((eb) => eb.or([eb('key', '=', key), eb('name', '=', key)]))
    .executeTakeFirst();
  if (!row) throw new TagbaseError('TAG_GROUP_NOT_FOUND', { group: key });
  return toGroup(row);
}

/**
 * A group is found by key, then by name (`"group": "服务"`): each answers to one group. A name
 * that differs from another group's name or key only in letter case or full-width form
 * (「ＶＩＰ」, 「vip」) is one answer to a reader, so the name or key this write gives the group
 * (`renamed`: the group as it was) is compared folded (`foldName`); two such texts saved before
 * they were compared so are kept.
 */
async function assertGroupNamesFree(context: WorkspaceContext, key: string, name: string, renamed?: TagGroup, db: Db = context.store.db): Promise<void> {
  const others = (await listTagGroups(context, db)).filter((group) => group.key !== renamed?.key);
  const holder = others.find((group) => group.name === name || group.key === name) ?? others.find((group) => group.name === key);
  // A group of this very key made since the key was checked: that is what the caller hears.
  if (holder && holder.key === key && renamed === undefined) throw new TagbaseError('TAG_GROUP_EXISTS', { group: key });
  if (holder) throw new TagbaseError('TAG_GROUP_NAME_TAKEN', { group: holder.key, name: holder.name === name || holder.key === name ? name : key, alike: '' });
  for (const text of [name !== renamed?.name ? name : undefined, key !== renamed?.key ? key : undefined]) {
    if (text === undefined) continue;
    const folded = foldName(text);
    const alike = others.find((group) => foldName(group.name) === folded || foldName(group.key) === folded);
    // The other group's text as it is written: the one asked for may be written otherwise.
    if (alike) {
      throw new TagbaseError('TAG_GROUP_NAME_TAKEN', {
        group: alike.key,
        name: foldName(alike.name) === folded ? alike.name : alike.key,
        alike: localized(' (names that differ only in letter case or full-width/half-width form are one name)', '（仅大小写或全角半角不同的名称视为同一名称）'),
      });
    }
  }
}

export async function createTagGroup(context: WorkspaceContext, input: TagGroupInput): Promise<TagGroup> {
  const { db } = context.store;
  const exists = await db
    .selectFrom('tag_groups')
    .select('id')
    .where('workspace_id', '=', context.workspaceId)
    .where('key', '=', input.key)
    .executeTakeFirst();
  if (exists) throw new TagbaseError('TAG_GROUP_EXISTS', { group: input.key });
  await assertGroupNamesFree(context, input.key, input.name);
  const sortOrder =
    input.sort_order ??
    Number(
      (
        await db
          .selectFrom('tag_groups')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('workspace_id', '=', context.workspaceId)
          .executeTakeFirst()
      )?.n ?? 0,
    );
  await unlessTaken(
    'tag_groups',
    () => new TagbaseError('TAG_GROUP_EXISTS', { group: input.key }),
    () =>
      writeCatalog(context, 'definitions', async (trx) => {
        // Checked again where writes are one at a time: a group of this key or name may have been made or renamed since.
        await assertGroupNamesFree(context, input.key, input.name, undefined, trx);
        await trx.insertInto('tag_groups').values({ workspace_id: context.workspaceId, key: input.key, name: input.name, description: input.description ?? null, sort_order: sortOrder }).execute();
      }),
  );
  return getTagGroup(context, input.key);
}

export async function updateTagGroup(context: WorkspaceContext, key: string, patch: TagGroupPatch): Promise<TagGroup> {
  assertSomethingToChange(patch, ['key', 'name', 'description', 'sort_order']);
  const group = await getTagGroup(context, key);
  if (patch.key !== undefined && patch.key !== group.key) {
    const clash = await context.store.db
      .selectFrom('tag_groups')
      .select('id')
      .where('workspace_id', '=', context.workspaceId)
      .where('key', '=', patch.key)
      .executeTakeFirst();
    if (clash) throw new TagbaseError('TAG_GROUP_EXISTS', { group: patch.key });
  }
  const changes = {
    ...(patch.key !== undefined ? { key: patch.key } : {}),
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.description !== undefined ? { description: patch.description } : {}),
    ...(patch.sort_order !== undefined ? { sort_order: patch.sort_order } : {}),
  };
  const renamed = (patch.key !== undefined && patch.key !== group.key) || (patch.name !== undefined && patch.name !== group.name);
  if (renamed) await assertGroupNamesFree(context, patch.key ?? group.key, patch.name ?? group.name, group);
  await unlessTaken(
    'tag_groups',
    () => new TagbaseError('TAG_GROUP_EXISTS', { group: patch.key ?? group.key }),
    () =>
      writeCatalog(context, 'definitions', async (trx) => {
        // Checked again where writes are one at a time: another group may have taken the name since.
        if (renamed) await assertGroupNamesFree(context, patch.key ?? group.key, patch.name ?? group.name, group, trx);
        await trx.updateTable('tag_groups').set(changes).where('id', '=', group.id).execute();
      }),
  );
  return getTagGroup(context, patch.key ?? group.key);
}

export async function deleteTagGroup(context: WorkspaceContext, key: string): Promise<void> {
  const group = await getTagGroup(context, key);
  // Counted in the transaction that deletes it: a tag put in the group meanwhile is seen here.
  await writeCatalog(context, 'definitions', async (trx) => {
    const held = await trx.selectFrom('tags').select(['id', 'scope', 'owner']).where('group_id', '=', group.id).execute();
    // Another staff member's personal tag neither keeps the group nor is counted in the refusal,
    // which would tell that it exists: nobody but its owner could move it out. It leaves the
    // group with it, ungrouped, as its owner could have made it.
    const hidden = held.filter((tag) => hiddenFromActor(context, tag));
    const count = held.length - hidden.length;
    if (count > 0) throw new TagbaseError('TAG_GROUP_NOT_EMPTY', { group: group.key, groupNamed: namedInMessage(group), count });
    for (const part of chunks(hidden.map((tag) => tag.id), IDS_PER_QUERY)) await trx.updateTable('tags').set({ group_id: null }).where('id', 'in', part).execute();
    await trx.deleteFrom('tag_groups').where('id', '=', group.id).execute();
  });
}

// ---------------------------------------------------------------- tags
export { getTag, getTagValue, loadTags };
export { insertHistory, type HistoryRow };

/**
 * Another tag holding `value` in `column` that one person could see beside a tag of this scope
 * and owner: enterprise keys and names are unique in the workspace; a personal one is unique
 * for its owner and never shadows an enterprise one.
 */
async function clashingTag(context: WorkspaceContext, column: 'key' | 'name', value: string, scope: TagScope, owner: string, exceptId?: number, db: Db = context.store.db): Promise<ClashingTag | undefined> {
  let query = db.selectFrom('tags').select(['key', 'name', 'scope', 'owner']).where('workspace_id', '=', context.workspaceId);
  // Names are compared folded (foldName), which the store cannot do: every tag's name is read.
  if (column === 'key') query = query.where('key', '=', value);
  if (exceptId !== undefined) query = query.where('id', '!=', exceptId);
  const rows = (await query.execute()).filter((row) => scope === 'enterprise' || row.scope === 'enterprise' || row.owner === owner);
  if (column === 'key') return rows[0];
  const folded = foldName(value);
  return rows.find((row) => row.name === value) ?? rows.find((row) => foldName(row.name) === folded);
}

interface ClashingTag {
  key: string;
  name: string;
  /** `TagScope`, as the store holds it. */
  scope: string;
  owner: string;
}

/**
 * Whether `tag` is another staff member's personal tag, which the acting user may not see: a
 * refusal because of it says that the key or name is taken, never by which tag or whose.
 */
function hiddenFromActor(context: WorkspaceContext, tag: { scope?: string; owner?: string }): boolean {
  return tag.scope === 'personal' && tag.owner !== context.actor;
}

/** A tag as a refusal names it: by its name with the key after it. */
function tagInMessage(tag: { key: string; name: string }): LocalizedText {
  const named = namedInMessage(tag);
  return localized(`Tag ${named.en}`, `标签${named['zh-CN']}`);
}

/** `TAG_EXISTS` naming the tag that holds `key` as the acting user knows it (another's personal tag not at all). */
function tagExists(context: WorkspaceContext, key: string, holder: { key: string; name: string; scope?: string; owner?: string }): TagbaseError {
  if (hiddenFromActor(context, holder)) {
    return new TagbaseError('TAG_EXISTS', {
      tag: key,
      holder: localized(`A tag keyed "${key}"`, `标识为「${key}」的标签`),
      hint: localized(" It is another staff member's personal tag, which only they see; choose another key.", '它是其他员工的个人标签，只有本人可见；请换一个标识。'),
    });
  }
  return new TagbaseError('TAG_EXISTS', { tag: holder.key, holder: tagInMessage(holder), hint: '' });
}

async function assertTagKeyFree(context: WorkspaceContext, key: string, scope: TagScope, owner: string, exceptId?: number, db: Db = context.store.db): Promise<void> {
  const holder = await clashingTag(context, 'key', key, scope, owner, exceptId, db);
  if (holder !== undefined) throw tagExists(context, key, holder);
}

/**
 * Expressions, pickers and webhooks find a tag by its name as well as its key, so names follow
 * the keys' rule: the key of the tag already called `name`, if any, or null when that is another
 * staff member's personal tag, which is told of without its key. Names that differ only in
 * letter case or full-width form (「VIP」, 「ｖｉｐ」) are one name to a reader, so one is refused
 * beside the other; two such names saved before they were compared so are kept.
 */
export async function tagNamedAlready(context: WorkspaceContext, name: string, scope: TagScope, owner: string, exceptId?: number): Promise<string | null | undefined> {
  const holder = await clashingTag(context, 'name', name, scope, owner, exceptId);
  if (holder === undefined) return undefined;
  return hiddenFromActor(context, holder) ? null : holder.key;
}

async function assertTagNameFree(context: WorkspaceContext, name: string, scope: TagScope, owner: string, exceptId?: number, creatingKey?: string, db: Db = context.store.db): Promise<void> {
  const holder = await clashingTag(context, 'name', name, scope, owner, exceptId, db);
  // The same tag made by a call started at the same moment, after this one checked the key.
  if (holder !== undefined && holder.key === creatingKey) throw tagExists(context, holder.key, holder);
  if (holder === undefined) return;
  const alike = holder.name === name ? '' : localized(' (names that differ only in letter case or full-width/half-width form are one name)', '（仅大小写或全角半角不同的名称视为同一名称）');
  if (hiddenFromActor(context, holder)) throw new TagbaseError('TAG_NAME_TAKEN', { tag: name, holder: localized("Another staff member's personal tag", '其他员工的个人标签'), name, alike });
  // The name as the holder has it: the one asked for may be written otherwise.
  throw new TagbaseError('TAG_NAME_TAKEN', { tag: holder.key, holder: tagInMessage(holder), name: holder.name, alike });
}

/** Creates a tag; `options.model` marks it as that model's tag (see src/engine/models.ts). */
export async function createTag(context: WorkspaceContext, input: TagInput, options: { model?: string } = {}): Promise<TagDefinition> {
  const owner = input.scope === 'personal' ? context.actor : '';
  if (owner === null) throw fieldProblem('PERSONAL_TAG_OWNER_REQUIRED', 'header', 'x-tagbase-actor');
  await assertTagKeyFree(context, input.key, input.scope, owner);
  await assertTagNameFree(context, input.name, input.scope, owner, undefined, input.key);
  await assertExpressionNamesFree(context, 'tag', input.key, input.name);
  const groupId = input.group ? (await getTagGroup(context, input.group)).id : null;
  const now = context.now().getTime();
  await checkRuleTag(context, {
    id: -1,
    key: input.key,
    name: input.name,
    description: input.description ?? null,
    color: input.color ?? null,
    groupId,
    scope: input.scope,
    owner: owner === '' ? null : owner,
    cardinality: input.cardinality,
    ordered: input.ordered,
    defaultExpiryDays: input.default_expiry_days ?? null,
    kind: input.kind,
    status: 'active',
    values: input.values.map((value, index) => ({ id: -1 - index, key: value.key, name: value.name, color: value.color ?? null, description: value.description ?? null, sortOrder: index, condition: value.condition ?? null })),
    createdAt: now,
    updatedAt: now,
  });
  const save = () => writeCatalog(context, 'definitions', async (trx) => {
    // Checked again where writes are one at a time: a tag of this key or name may have been made since.
    await assertTagKeyFree(context, input.key, input.scope, owner, undefined, trx);
    await assertTagNameFree(context, input.name, input.scope, owner, undefined, input.key, trx);
    const inserted = await trx
      .insertInto('tags')
      .values({
        workspace_id: context.workspaceId,
        key: input.key,
        name: input.name,
        description: input.description ?? null,
        color: input.color ?? null,
        group_id: groupId,
        scope: input.scope,
        owner,
        cardinality: input.cardinality,
        ordered: input.ordered ? 1 : 0,
        default_expiry_days: input.default_expiry_days ?? null,
        kind: input.kind,
        model_key: options.model ?? null,
        status: 'active',
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('tag_values')
      .values(input.values.map((value, index) => valueRow(context, inserted.id, value, index)))
      .execute();
    // Recorded with the rule itself: a crash before the pass below has run is finished by the scheduler.
    const tag = { id: inserted.id, key: input.key, owner: owner === '' ? null : owner };
    const pass = isComputedTag(input.kind) ? { tag, token: await scheduleRulePass(context, trx, tag) } : undefined;
    return { id: inserted.id, pass };
  });
  // Another request may take the key, or delete the group, between the checks above and the save;
  // the tag it made is then looked up, to be named as the check above would have named it.
  const saved = await unlessTaken(
    'tags',
    async () => tagExists(context, input.key, (await clashingTag(context, 'key', input.key, input.scope, owner)) ?? input),
    () => unlessGone(() => new TagbaseError('TAG_GROUP_NOT_FOUND', { group: input.group ?? '' }), save),
  );
  if (saved.pass !== undefined) await applyRecordedPass(context, saved.pass.tag, saved.pass.token);
  return getTagById(context, saved.id);
}

function valueRow(context: WorkspaceContext, tagId: number, value: TagValueInput, sortOrder: number) {
  return {
    workspace_id: context.workspaceId,
    tag_id: tagId,
    key: value.key,
    name: value.name,
    color: value.color ?? null,
    description: value.description ?? null,
    sort_order: sortOrder,
    condition: value.condition ?? null,
  };
}

async function getTagById(context: WorkspaceContext, id: number, db: Db = context.store.db): Promise<TagDefinition> {
  const tag = (await loadTags(context, { includeArchived: true }, db)).find((candidate) => candidate.id === id);
  if (!tag) throw new TagbaseError('TAG_NOT_FOUND', { tag: `#${id}`, hint: '' });
  return tag;
}

/** What of a model's tag a refused change touches, which decides what can be done instead. */
type ModelShape = 'values' | 'key' | 'fixed';

/**
 * A model's tag has the shape its model gives it: the model finds it by its key, and writes its
 * values, their conditions and order again whenever its parameters or thresholds change, removing
 * values it does not have with their assignments. A change made by hand to that shape would be
 * undone or would undo the model, so it is refused; names, colours and descriptions are kept by the model.
 * What the refusal says is what can be done instead: values and their conditions follow the model's
 * parameters; the tag's key is chosen once (tag_key, when the model is first enabled); the rest is the model's own.
 */
function setByModel(tag: TagDefinition, change: LocalizedText, shape: ModelShape): TagbaseError {
  const model = tag.model ?? tag.key;
  const how =
    shape === 'values'
      ? localized(
          `Its values and their conditions come from the model's parameters: change those (PUT /api/v1/models/${model}) and the model rewrites them.`,
          `它的值和条件来自模型参数：请调整模型参数（PUT /api/v1/models/${model}），由模型改写。`,
        )
      : shape === 'key'
        ? localized(
            `Its key was chosen when the model was first enabled (tag_key) and stays, even when the model is disabled and enabled again.`,
            `它的标识在首次启用模型时选定（tag_key），之后不再改变，停用后再启用也一样。`,
          )
        : localized(`That is the model's own and stays, whatever its parameters.`, `这由模型本身决定，不随参数改变。`);
  return new TagbaseError('TAG_SET_BY_MODEL', { tag: tag.key, tagNamed: namedInMessage(tag), model, change, how });
}

/** What a tag's change may name (`conditions` only with `kind`). */
const TAG_PATCH_FIELDS = ['key', 'name', 'description', 'color', 'group', 'cardinality', 'ordered', 'default_expiry_days', 'status', 'kind', 'scope'];

export async function updateTag(context: WorkspaceContext, keyOrName: string, sentPatch: TagPatch): Promise<TagDefinition> {
  assertSomethingToChange(sentPatch, TAG_PATCH_FIELDS);
  const tag = await getTag(context, keyOrName);
  const patch = await conditionsAsMeant(context, tag, sentPatch);
  // A model's tag is scored by its model: it comes back when the model is enabled again, not by itself.
  if (tag.kind === 'model' && tag.status === 'archived' && patch.status === 'active') throw new TagbaseError('MODEL_NOT_ENABLED', { model: tag.model ?? tag.key });
  if (tag.kind === 'model') {
    if (patch.key !== undefined && patch.key !== tag.key) throw setByModel(tag, localized('a new key', '改标识'), 'key');
    if (patch.cardinality !== undefined && patch.cardinality !== tag.cardinality) throw setByModel(tag, localized('a change between one value and several', '改单选多选'), 'fixed');
    if (patch.ordered !== undefined && patch.ordered !== tag.ordered) throw setByModel(tag, localized('a change of whether it is ordered', '改是否有序'), 'fixed');
    if (patch.kind !== undefined && patch.kind !== tag.kind) throw setByModel(tag, localized('a change of kind', '改类型'), 'fixed');
    if (patch.scope !== undefined && patch.scope !== tag.scope) throw setByModel(tag, localized('a change of who sees it', '改可见范围'), 'fixed');
  }
  const kind = patch.kind ?? tag.kind;
  const scope = patch.scope ?? tag.scope;
  const rescoped = scope !== tag.scope;
  // A tag made personal becomes the acting user's; a shared one has no owner (stored as '').
  const owner = scope === 'enterprise' ? '' : rescoped ? context.actor : (tag.owner ?? '');
  // What reads it first: no owner would make it personal while they do.
  if (rescoped && scope === 'personal') await assertReadByNothingShared(context, tag);
  if (owner === null) throw fieldProblem('PERSONAL_TAG_OWNER_REQUIRED', 'header', 'x-tagbase-actor');
  const newKey = patch.key ?? tag.key;
  const newName = patch.name ?? tag.name;
  // A tag made shared meets everyone's tags, other staff members' personal ones too: its key and name are checked again.
  if ((patch.key !== undefined && patch.key !== tag.key) || rescoped) await assertTagKeyFree(context, newKey, scope, owner, tag.id);
  if ((patch.name !== undefined && patch.name !== tag.name) || rescoped) await assertTagNameFree(context, newName, scope, owner, tag.id);
  if ((patch.key !== undefined && patch.key !== tag.key) || (patch.name !== undefined && patch.name !== tag.name)) await assertExpressionNamesFree(context, 'tag', newKey, newName, tag.key);
  const groupId = patch.group === undefined ? undefined : patch.group === null ? null : (await getTagGroup(context, patch.group)).id;
  const conditions = conditionsByValueId(tag, kind, patch.conditions);
  const patched: TagDefinition = {
    ...tag,
    key: newKey,
    name: newName,
    cardinality: patch.cardinality ?? tag.cardinality,
    ordered: patch.ordered ?? tag.ordered,
    status: patch.status ?? tag.status,
    kind,
    scope,
    owner: owner === '' ? null : owner,
    values: conditions === undefined ? tag.values : tag.values.map((value) => ({ ...value, condition: conditions.get(value.id) ?? null })),
  };
  const becomesRule = kind === 'rule' && tag.kind !== 'rule';
  // An archived tag made a rule tag has its conditions checked now, as restoring it would.
  if (patched.status === 'active' || becomesRule) await checkRuleTag(context, { ...patched, status: 'active' }, tag.key);
  const reapply = patched.status === 'active' && (patched.key !== tag.key || patched.cardinality !== tag.cardinality || tag.status !== 'active' || (kind === 'rule' && patch.conditions !== undefined));
  const save = () => writeCatalog(context, 'definitions', async (trx) => {
    // The key as stored before this change: another request may have given the tag a new key since it was looked up.
    const storedKey = (await trx.selectFrom('tags').select('key').where('id', '=', tag.id).executeTakeFirst())?.key ?? tag.key;
    // Checked again where writes are one at a time: another tag may have taken this key or name since.
    if ((patch.key !== undefined && patch.key !== storedKey) || rescoped) await assertTagKeyFree(context, newKey, scope, owner, tag.id, trx);
    if ((patch.name !== undefined && patch.name !== tag.name) || rescoped) await assertTagNameFree(context, newName, scope, owner, tag.id, undefined, trx);
    if (rescoped && scope === 'personal') await assertNoPostPending(context, trx, tag);
    if (patch.cardinality === 'single' && tag.cardinality === 'multi') {
      // In the transaction that changes it: a second value assigned meanwhile is seen here. A
      // value past its expiry is no second value, swept or not.
      const now = context.now().getTime();
      const crowded = await trx
        .selectFrom('assignments')
        .select('customer_id')
        .where('tag_id', '=', tag.id)
        .where(stillHeld(now))
        .groupBy('customer_id')
        .having((eb) => eb.fn.countAll(), '>', 1)
        .execute();
      if (crowded.length > 0) throw new TagbaseError('TAG_CARDINALITY_CONFLICT', { tag: tag.key, tagNamed: namedInMessage(tag), count: crowded.length });
    }
    if (conditions !== undefined) {
      // The values as stored now: one added since the tag was looked up would be a rule's value without a condition.
      const stored = await storedValues(trx, tag.id);
      const conditionOf = (value: TagValue) => (kind === 'manual' ? null : conditions.has(value.id) ? (conditions.get(value.id) ?? null) : value.condition);
      const without = kind === 'rule' ? stored.filter((value) => conditionOf(value) === null) : [];
      if (without.length > 0) throw new ConditionsMissing(without.map((value) => value.key));
      for (const value of stored) {
        const condition = conditionOf(value);
        if (condition !== value.condition) await trx.updateTable('tag_values').set({ condition }).where('id', '=', value.id).execute();
      }
    }
    await trx
      .updateTable('tags')
      .set({
        ...(patch.key !== undefined ? { key: patch.key } : {}),
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.description !== undefined ? { description: patch.description } : {}),
        ...(patch.color !== undefined ? { color: patch.color } : {}),
        ...(groupId !== undefined ? { group_id: groupId } : {}),
        ...(patch.cardinality !== undefined ? { cardinality: patch.cardinality } : {}),
        ...(patch.ordered !== undefined ? { ordered: patch.ordered ? 1 : 0 } : {}),
        ...(patch.default_expiry_days !== undefined ? { default_expiry_days: patch.default_expiry_days } : {}),
        ...(patch.status !== undefined ? { status: patch.status } : {}),
        ...(kind !== tag.kind ? { kind } : {}),
        ...(rescoped ? { scope, owner } : {}),
        updated_at: context.now().getTime(),
      })
      .where('id', '=', tag.id)
      .execute();
    // A rule stopped stops its pass too: the values it gave so far stay, as all it gave does.
    if (kind === 'manual' && tag.kind === 'rule') await trx.deleteFrom('rule_passes').where('workspace_id', '=', context.workspaceId).where('tag_id', '=', tag.id).execute();
    if (tag.scope === 'enterprise' && patch.key !== undefined && storedKey !== patch.key) await followTagKey(context, trx, storedKey, patch.key);
    // The rule tags reading an archived tag stopped (holders kept) while their customers went on
    // buying and ageing: brought back, it is read again, and they are applied to everyone again.
    const readers =
      tag.status !== 'active' && patched.status === 'active'
        ? (await scheduleReaderPasses(context, trx, await loadWorkspaceCatalog(context, trx), readsTagById(tag.id))).filter((reader) => reader.tag.id !== tag.id)
        : [];
    return { own: isComputedTag(patched.kind) && reapply ? await scheduleRulePass(context, trx, passTag(patched)) : undefined, readers };
  });
  // Another request may delete the group named between the look-up above and the save.
  const passes = await unlessGone(() => new TagbaseError('TAG_GROUP_NOT_FOUND', { group: patch.group ?? '' }), save);
  if (passes.own !== undefined) await applyRecordedPass(context, passTag(patched), passes.own);
  for (const reader of passes.readers) await applyRecordedPass(context, reader.tag, reader.token);
  return getTagById(context, tag.id);
}

/**
 * The conditions a caller shown the tag's conditions masked sends back, as they mean them: one
 * kept as it was shown stays as it was saved, not the mask (src/engine/shown-expressions.ts).
 */
async function conditionsAsMeant(context: WorkspaceContext, tag: TagDefinition, patch: TagPatch): Promise<TagPatch> {
  if (patch.conditions === undefined) return patch;
  const shown = await loadExpressionShown(context);
  const meant = Object.entries(patch.conditions).map(([keyOrName, condition]) => [keyOrName, expressionAsMeant(shown, [findTagValue(tag, keyOrName)?.condition], condition, `conditions.${keyOrName}`)]);
  return { ...patch, conditions: Object.fromEntries(meant) as Record<string, string> };
}

/**
 * A rule tag's values left without a condition, every one named at once (so that one more try
 * is enough, whatever the tag's size); `values` holds their keys for the command line, which
 * says the same in its own words (`-c VALUE=EXPRESSION`).
 */
export class ConditionsMissing extends TagbaseError {
  readonly values: readonly string[];

  constructor(values: readonly string[]) {
    const named = namesInMessage(values);
    const text =
      values.length === 1
        ? localized(`every value of a rule tag needs a condition: give one for ${named.en} in conditions`, `规则标签的每个值都需要条件：请在 conditions 中为${named['zh-CN']}给出条件`)
        : localized(`every value of a rule tag needs a condition: give one for each of ${named.en} in conditions`, `规则标签的每个值都需要条件：请在 conditions 中为${named['zh-CN']}各给出条件`);
    const placed = fieldError('body', 'conditions', text);
    super(placed.code, placed.params, placed.items);
    this.values = values;
  }
}

/**
 * The conditions a patch leaves the tag's values with, by value id: those it gives (by value key
 * or name) over those they have for a rule tag, every value's for a manual tag becoming one,
 * none for a tag becoming manual; undefined when they stay as they are.
 */
function conditionsByValueId(tag: TagDefinition, kind: TagDefinition['kind'], given: Record<string, string> | undefined): Map<number, string | null> | undefined {
  if (kind === 'manual') return tag.kind === 'rule' ? new Map(tag.values.map((value) => [value.id, null])) : undefined;
  if (kind !== 'rule' || (given === undefined && tag.kind === 'rule')) return undefined;
  const conditions = new Map(tag.values.map((value) => [value.id, value.condition]));
  for (const [keyOrName, condition] of Object.entries(given ?? {})) {
    const value = findTagValue(tag, keyOrName);
    if (value === undefined) {
      throw fieldError('body', `conditions.${keyOrName}`, localized(`tag ${namedInMessage(tag).en} has no value "${keyOrName}"`, `标签${namedInMessage(tag)['zh-CN']}没有值「${keyOrName}」`));
    }
    conditions.set(value.id, condition);
  }
  const without = tag.values.filter((value) => conditions.get(value.id) === null);
  if (without.length > 0) throw new ConditionsMissing(without.map((value) => value.key));
  return conditions;
}

/**
 * Whatever everyone shares reads shared tags only (src/engine/personal-reads.ts): a tag made
 * personal while a segment, care plan, other rule or webhook reads it would leave each unreadable
 * or silent, so it stays shared until they are changed.
 */
async function assertReadByNothingShared(context: WorkspaceContext, tag: TagDefinition): Promise<void> {
  const found = await tagReaders(context, tag);
  // The acting user's own personal rules may read their personal tags.
  const shared = new Set((await loadTags(context, { includeArchived: true })).filter((each) => each.scope === 'enterprise').map((each) => each.key));
  const readers = readersInWords({ ...found, rule_tags: found.rule_tags.filter((rule) => shared.has(rule.key)) });
  if (readers.length === 0) return;
  const users = listed(readers);
  throw new TagbaseError('TAG_SCOPE_IN_USE', { tag: tag.key, tagNamed: namedInMessage(tag), reason: localized(`${users.en} ${readers.length === 1 ? 'reads' : 'read'} it`, `${users['zh-CN']}正在读取它`) });
}

/** Changes of a shared tag a webhook has yet to post would never be posted once it is personal. */
async function assertNoPostPending(context: WorkspaceContext, trx: Transaction<Database>, tag: TagDefinition): Promise<void> {
  const behind = (await tagWorkUnderWay(context, trx, tag)).pending_webhook_posts.map((webhook) => webhook.id);
  if (behind.length === 0) return;
  throw new TagbaseError('TAG_SCOPE_IN_USE', {
    tag: tag.key,
    tagNamed: namedInMessage(tag),
    reason: localized(`webhook ${behind.join(', ')} has not yet posted every change of it (a paused webhook posts them once resumed)`, `Webhook ${behind.join('、')} 尚未推送它的全部变更（已暂停的 Webhook 恢复后才会推送）`),
  });
}

/**
 * Webhooks keep the shared tags they post by key, and care plans the tag their trigger follows:
 * a tag given a new key is still posted to them and still triggers them, from the transaction
 * that renames it, rather than silently no longer.
 */
async function followTagKey(context: WorkspaceContext, trx: Transaction<Database>, from: string, to: string): Promise<void> {
  const webhooks = await trx.selectFrom('webhooks').select(['id', 'tags']).where('workspace_id', '=', context.workspaceId).execute();
  for (const webhook of webhooks) {
    const tags = JSON.parse(webhook.tags) as string[];
    if (tags.includes(from)) await trx.updateTable('webhooks').set({ tags: JSON.stringify(tags.map((key) => (key === from ? to : key))) }).where('id', '=', webhook.id).execute();
  }
  await followCareTriggers(context, trx, (trigger) => (trigger.tag === from ? { ...trigger, tag: to } : undefined));
}

/** Rewrites the tag triggers of the workspace's care plans that `change` answers a new trigger for. */
async function followCareTriggers(context: WorkspaceContext, trx: Transaction<Database>, change: (trigger: TagTrigger) => TagTrigger | undefined): Promise<void> {
  const plans = await trx.selectFrom('care_plans').select(['id', 'trigger']).where('workspace_id', '=', context.workspaceId).execute();
  for (const plan of plans) {
    const trigger = tagTriggerOf(plan.trigger);
    if (!trigger) continue;
    const changed = change(trigger);
    if (changed) await trx.updateTable('care_plans').set({ trigger: JSON.stringify(changed) }).where('id', '=', plan.id).execute();
  }
}

async function touchTag(context: WorkspaceContext, tagId: number, db: Db): Promise<void> {
  await db.updateTable('tags').set({ updated_at: context.now().getTime() }).where('id', '=', tagId).execute();
}

/**
 * The tag's values as stored now, in order. Read in the transaction that changes them: the tag
 * looked up before it may be stale, another operator having added, moved or removed a value
 * meanwhile, and an order written from it would give two values one place.
 */
async function storedValues(trx: Transaction<Database>, tagId: number): Promise<TagValue[]> {
  const rows = await trx.selectFrom('tag_values').selectAll().where('tag_id', '=', tagId).orderBy('sort_order').orderBy('id').execute();
  return rows.map((row) => ({ id: row.id, key: row.key, name: row.name, color: row.color, description: row.description, sortOrder: row.sort_order, condition: row.condition }));
}

/** A value removed by another request since this one found it. */
function valueGone(tag: TagDefinition, keyOrName: string): TagbaseError {
  return new TagbaseError('TAG_VALUE_NOT_FOUND', { tag: tag.key, tagNamed: namedInMessage(tag), value: keyOrName, hint: '' });
}

/** Writes the value order as 0..n-1 following `ordered`. */
async function writeValueOrder(db: Db, ordered: readonly TagValue[]): Promise<void> {
  for (const [index, value] of ordered.entries()) {
    if (value.sortOrder !== index) await db.updateTable('tag_values').set({ sort_order: index }).where('id', '=', value.id).execute();
  }
}

export async function addTagValue(context: WorkspaceContext, keyOrName: string, input: TagValueInput & { position?: number | undefined }): Promise<TagDefinition> {
  const tag = await getTag(context, keyOrName);
  if (tag.kind === 'model') throw setByModel(tag, localized('adding a value', '添加值'), 'values');
  const clash = valueNamingClash(tag.values, input);
  if (clash !== undefined) throw new TagbaseError('TAG_VALUE_EXISTS', { tag: tag.key, tagNamed: namedInMessage(tag), value: clash.taken });
  const position = Math.min(input.position ?? tag.values.length, tag.values.length);
  const withValue = [...tag.values];
  withValue.splice(position, 0, { id: -1, key: input.key, name: input.name, color: input.color ?? null, description: input.description ?? null, sortOrder: position, condition: input.condition ?? null });
  if (tag.kind === 'rule' && input.condition === undefined) throw fieldError('body', 'condition', localized('every value of a rule tag needs a condition', '规则标签的每个值都需要条件'));
  if (tag.kind !== 'rule' && input.condition !== undefined) throw fieldError('body', 'condition', localized(`a ${tag.kind} tag has no conditions`, `${tag.kind} 标签没有条件`));
  await checkRuleTag(context, { ...tag, values: withValue }, tag.key);
  const save = () => writeCatalog(context, 'definitions', async (trx) => {
    const current = await storedValues(trx, tag.id);
    // Checked again against the values as they stand: another request may have added or renamed one since.
    const clashNow = valueNamingClash(current, input);
    if (clashNow !== undefined) throw new TagbaseError('TAG_VALUE_EXISTS', { tag: tag.key, tagNamed: namedInMessage(tag), value: clashNow.taken });
    const at = Math.min(input.position ?? current.length, current.length);
    const inserted = await trx.insertInto('tag_values').values(valueRow(context, tag.id, input, at)).returning('id').executeTakeFirstOrThrow();
    const newValue: TagValue = { id: inserted.id, key: input.key, name: input.name, color: null, description: null, sortOrder: at, condition: input.condition ?? null };
    const ordered = [...current];
    ordered.splice(at, 0, newValue);
    await writeValueOrder(trx, ordered);
    await touchTag(context, tag.id, trx);
    return recordRulePass(context, trx, tag);
  });
  // Another request may add the same value between the check above and the save.
  const pass = await unlessTaken('tag_values', () => new TagbaseError('TAG_VALUE_EXISTS', { tag: tag.key, tagNamed: namedInMessage(tag), value: input.key }), save);
  return afterValuesChanged(context, tag, pass);
}

export async function updateTagValue(context: WorkspaceContext, keyOrName: string, valueKey: string, sentPatch: TagValuePatch): Promise<TagDefinition> {
  assertSomethingToChange(sentPatch, ['key', 'name', 'color', 'description', 'condition', 'position']);
  const tag = await getTag(context, keyOrName);
  const value = getTagValue(tag, valueKey);
  // A condition sent back as it was shown masked is the one saved (src/engine/shown-expressions.ts).
  const sent = sentPatch.condition;
  const patch = typeof sent === 'string' ? { ...sentPatch, condition: expressionAsMeant(await loadExpressionShown(context), [value.condition], sent, 'condition') } : sentPatch;
  const others = tag.values.filter((v) => v.id !== value.id);
  if (tag.kind === 'model') {
    if (patch.key !== undefined && patch.key !== value.key) throw setByModel(tag, localized('a new value key', '改值标识'), 'fixed');
    if (patch.condition !== undefined && patch.condition !== value.condition) throw setByModel(tag, localized('a new condition', '改条件'), 'values');
    if (patch.position !== undefined && patch.position !== tag.values.indexOf(value)) throw setByModel(tag, localized('a new order of the values', '调整值的顺序'), 'fixed');
  }
  assertValueTextsFree(tag, value, others, patch);
  if (tag.kind !== 'rule' && patch.condition !== undefined && patch.condition !== null) throw fieldError('body', 'condition', localized(`a ${tag.kind} tag has no conditions`, `${tag.kind} 标签没有条件`));
  if (tag.kind === 'rule' && patch.condition === null) throw fieldError('body', 'condition', localized('every value of a rule tag needs a condition', '规则标签的每个值都需要条件'));
  const patchedValue = { ...value, key: patch.key ?? value.key, name: patch.name ?? value.name, condition: patch.condition === undefined ? value.condition : patch.condition };
  const reordered = [...others];
  reordered.splice(Math.min(patch.position ?? tag.values.indexOf(value), others.length), 0, patchedValue);
  await checkRuleTag(context, { ...tag, values: reordered }, tag.key);
  const save = () => writeCatalog(context, 'definitions', async (trx) => {
    const current = await storedValues(trx, tag.id);
    const stored = current.find((each) => each.id === value.id);
    if (stored === undefined) throw valueGone(tag, valueKey);
    // Checked again against the values as they stand: another request may have added or renamed one since.
    assertValueTextsFree(tag, stored, current.filter((each) => each.id !== value.id), patch);
    const changes = {
      ...(patch.key !== undefined ? { key: patch.key } : {}),
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.color !== undefined ? { color: patch.color } : {}),
      ...(patch.description !== undefined ? { description: patch.description } : {}),
      ...(patch.condition !== undefined ? { condition: patch.condition } : {}),
    };
    if (Object.keys(changes).length > 0) await trx.updateTable('tag_values').set(changes).where('id', '=', value.id).execute();
    if (tag.scope === 'enterprise' && patch.key !== undefined && patch.key !== stored.key) {
      const [from, to] = [stored.key, patch.key];
      await followCareTriggers(context, trx, (trigger) => (trigger.tag === tag.key && trigger.value === from ? { ...trigger, value: to } : undefined));
    }
    let readers: { tag: PassTag; token: string }[] = [];
    if (patch.position !== undefined) {
      const ordered = current.filter((each) => each.id !== value.id);
      ordered.splice(Math.min(patch.position, ordered.length), 0, stored);
      await writeValueOrder(trx, ordered);
      // `lifecycle >= "成熟客户"` in another tag's rule now means other values: apply it to everyone again.
      const moved = ordered.some((each, index) => current[index]?.id !== each.id);
      if (tag.ordered && moved) readers = await scheduleReaderPasses(context, trx, await loadWorkspaceCatalog(context, trx), readsTagById(tag.id));
    }
    await touchTag(context, tag.id, trx);
    return { own: await recordRulePass(context, trx, tag), readers: readers.filter((reader) => reader.tag.id !== tag.id) };
  });
  // Another request may give another value this key between the check above and the save.
  const passes = await unlessTaken('tag_values', () => new TagbaseError('TAG_VALUE_EXISTS', { tag: tag.key, tagNamed: namedInMessage(tag), value: patch.key ?? value.key }), save);
  for (const reader of passes.readers) await applyRecordedPass(context, reader.tag, reader.token);
  return afterValuesChanged(context, tag, passes.own);
}

/**
 * A new key or name for `value` that another value of the tag already answers to. Only what the
 * patch changes is checked: a clash stored before values were checked so is not the patch's doing.
 */
function assertValueTextsFree(tag: TagDefinition, value: TagValue, others: readonly TagValue[], patch: TagValuePatch): void {
  for (const text of [patch.key, patch.name]) {
    if (text === undefined || text === value.key || text === value.name) continue;
    if (others.some((other) => other.key === text || other.name === text)) throw new TagbaseError('TAG_VALUE_EXISTS', { tag: tag.key, tagNamed: namedInMessage(tag), value: text });
  }
}

/** Records, with a change to an active rule tag's values, that it is to be applied to everyone again. */
async function recordRulePass(context: WorkspaceContext, trx: Transaction<Database>, tag: TagDefinition): Promise<string | undefined> {
  return isComputedTag(tag.kind) && tag.status === 'active' ? scheduleRulePass(context, trx, passTag(tag)) : undefined;
}

/** A rule tag whose values changed is applied to everyone again (`pass`, from `recordRulePass`). */
async function afterValuesChanged(context: WorkspaceContext, tag: TagDefinition, pass: string | undefined): Promise<TagDefinition> {
  if (pass !== undefined) await applyRecordedPass(context, passTag(tag), pass);
  return getTagById(context, tag.id);
}

export type ValueRemoval = {
  onAssigned?: 'remove' | 'move' | undefined;
  moveTo?: string | undefined;
  /** The model itself taking out a value its parameters no longer give (see setByModel). */
  byModel?: boolean;
};

export interface ValueRemovalResult {
  tag: TagDefinition;
  removedAssignments: number;
  movedAssignments: number;
}

/**
 * Removes a value. When customers hold it, the caller must say what happens to their
 * assignments: removed (recorded as removals) or moved to another value (recorded as replacements).
 */
export async function removeTagValue(context: WorkspaceContext, keyOrName: string, valueKey: string, removal: ValueRemoval): Promise<ValueRemovalResult> {
  const tag = await getTag(context, keyOrName);
  const value = getTagValue(tag, valueKey);
  if (tag.kind === 'model' && removal.byModel !== true) throw setByModel(tag, localized('removing a value', '删除值'), 'values');
  if (tag.values.length === 1) throw new TagbaseError('VALIDATION_FAILED', { detail: localized(`tag ${namedInMessage(tag).en} must keep at least one value`, `标签${namedInMessage(tag)['zh-CN']}至少要保留一个值`) });
  const target = removal.onAssigned === 'move' ? getTagValue(tag, removal.moveTo ?? '') : undefined;
  if (target && target.id === value.id) throw fieldError('query', 'move_to', localized('move_to must name another value', 'move_to 必须指向另一个值'));
  await checkRuleTag(context, { ...tag, values: tag.values.filter((v) => v.id !== value.id) }, tag.key);
  const now = context.now().getTime();
  const actor = actorName(context);
  const outcome = await writeCustomers(context, async (trx, changed) => {
    // As stored now: another operator may have removed this value, the one its holders move to, or
    // every other value since the tag was looked up.
    const current = await storedValues(trx, tag.id);
    if (!current.some((each) => each.id === value.id)) throw valueGone(tag, valueKey);
    if (target && !current.some((each) => each.id === target.id)) throw valueGone(tag, removal.moveTo ?? '');
    if (current.length === 1) throw new TagbaseError('VALIDATION_FAILED', { detail: localized(`tag ${namedInMessage(tag).en} must keep at least one value`, `标签${namedInMessage(tag)['zh-CN']}至少要保留一个值`) });
    const expired = await expireHoldersDue(context, trx, tag, current.filter((each) => each.id === value.id || each.id === target?.id), now);
    const held = await trx.selectFrom('assignments').selectAll().where('value_id', '=', value.id).execute();
    if (held.length > 0 && removal.onAssigned === undefined) {
      throw new TagbaseError('TAG_VALUE_IN_USE', { tag: tag.key, value: value.key, valueNamed: valueInMessage(tag, value), count: held.length });
    }
    let moved = 0;
    let removed = 0;
    if (held.length > 0) {
      const alreadyOnTarget = new Set<number>();
      if (target) {
        const rows = await trx.selectFrom('assignments').select('customer_id').where('value_id', '=', target.id).execute();
        for (const row of rows) alreadyOnTarget.add(row.customer_id);
      }
      const history = [];
      for (const assignment of held) {
        const base = { workspace_id: context.workspaceId, customer_id: assignment.customer_id, tag_id: tag.id, source: 'manual', actor, at: now };
        if (target && !alreadyOnTarget.has(assignment.customer_id)) {
          moved++;
          // Named in the label as every replace is: the value it came from is gone with this transaction, and its name with it.
          history.push({ ...base, value_id: target.id, previous_value_id: value.id, action: 'replace', label: `${formatTagLabel(tag.name, value.name)} → ${target.name}`, expires_at: assignment.expires_at });
        } else {
          removed++;
          history.push({ ...base, value_id: value.id, previous_value_id: null, action: 'remove', label: formatTagLabel(tag.name, value.name), expires_at: null });
        }
      }
      if (target) {
        await trx
          .deleteFrom('assignments')
          .where('value_id', '=', value.id)
          .where('customer_id', 'in', (eb) => eb.selectFrom('assignments').select('customer_id').where('value_id', '=', target.id))
          .execute();
        await trx.updateTable('assignments').set({ value_id: target.id }).where('value_id', '=', value.id).execute();
      }
      await trx.deleteFrom('assignments').where('value_id', '=', value.id).execute();
      await insertHistory(trx, history);
    }
    await trx.deleteFrom('tag_values').where('id', '=', value.id).execute();
    await writeValueOrder(trx, current.filter((v) => v.id !== value.id));
    // After the value is gone: the rules that run now must not see it (a rule tag would hand it straight back).
    const affected = [...new Set([...expired, ...held].map((row) => row.customer_id))];
    if (affected.length > 0) await propagateTags(context, trx, affected, new Set([tag.id]));
    await touchTag(context, tag.id, trx);
    const pass = await recordRulePass(context, trx, tag);
    await logCatalogChanged(context, trx, 'definitions');
    for (const id of affected) changed.add(id);
    return { removedAssignments: removed, movedAssignments: moved, pass };
  });
  catalogChangeCommitted(context, 'definitions');
  return { tag: await afterValuesChanged(context, tag, outcome.pass), removedAssignments: outcome.removedAssignments, movedAssignments: outcome.movedAssignments };
}

/**
 * Takes off, recorded as expired as the sweep records them, the assignments of `values` whose
 * expiry has come: from then on they are gone, swept or not, so a value's removal neither counts
 * their holders as holding it nor moves them to another value, and leaves no row of it behind.
 */
async function expireHoldersDue(context: WorkspaceContext, trx: Transaction<Database>, tag: TagDefinition, values: readonly TagValue[], now: number): Promise<{ customer_id: number }[]> {
  const ids = values.map((each) => each.id);
  const due = await trx.selectFrom('assignments').select(['customer_id', 'value_id', 'source', 'expires_at']).where('value_id', 'in', ids).where(expiredBy(now)).execute();
  if (due.length === 0) return [];
  await trx.deleteFrom('assignments').where('value_id', 'in', ids).where(expiredBy(now)).execute();
  const names = new Map(values.map((each) => [each.id, each.name]));
  const history: HistoryRow[] = due.map((row) => ({
    workspace_id: context.workspaceId,
    customer_id: row.customer_id,
    tag_id: tag.id,
    value_id: row.value_id,
    previous_value_id: null,
    action: 'expire',
    label: formatTagLabel(tag.name, names.get(row.value_id) ?? '?'),
    source: row.source,
    actor: 'system',
    at: now,
    expires_at: row.expires_at,
  }));
  await insertHistory(trx, history);
  return due;
}

/** Number of customers holding each value id of the workspace's tags. */
export async function countAssignmentsByValue(context: WorkspaceContext): Promise<Map<number, number>> {
  const now = context.now().getTime();
  const rows = await context.store.db
    .selectFrom('assignments')
    .select(['value_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('workspace_id', '=', context.workspaceId)
    .where(stillHeld(now))
    .groupBy('value_id')
    .execute();
  return new Map(rows.map((row) => [row.value_id, Number(row.n)]));
}

/** Customers holding the tag now (any of its values); an assignment past its expiry is gone, swept or not. */
export async function countTagHolders(context: WorkspaceContext, tagId: number): Promise<number> {
  return holdersNow(context.store.db, tagId, context.now().getTime());
}
