// Reading the tag library: tags with their values in order, filtered to what the acting
// user may see, found by key or display name.
import type { Kysely, Selectable, Transaction } from 'kysely';
import { TagbaseError, didYouMean, fieldProblem, jsonPointer, namedInMessage, namesInMessage } from '../core/errors.js';
import { localized } from '../core/locale.js';
import { nearestName } from '../core/names.js';
import { findTagValue, isTagVisibleTo, type TagCardinality, type TagDefinition, type TagKind, type TagScope, type TagStatus, type TagValue } from '../core/tag.js';
import type { Database, TagTable } from '../store/schema.js';
import type { WorkspaceContext } from './context.js';

type Db = Kysely<Database> | Transaction<Database>;

export function toTag(row: Selectable<TagTable>, values: TagValue[]): TagDefinition {
  return {
    id: row.id,
    key: row.key,
    name: row.name,
    description: row.description,
    color: row.color,
    groupId: row.group_id,
    scope: row.scope as TagScope,
    owner: row.owner === '' ? null : row.owner,
    cardinality: row.cardinality as TagCardinality,
    ordered: row.ordered === 1,
    defaultExpiryDays: row.default_expiry_days,
    kind: row.kind as TagKind,
    ...(row.model_key === null ? {} : { model: row.model_key }),
    status: row.status as TagStatus,
    values,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Every tag of the workspace that the acting user may see, with its values in order. */
export async function loadTags(context: WorkspaceContext, options: { includeArchived?: boolean } = {}, db: Db = context.store.db): Promise<TagDefinition[]> {
  return (await loadEveryonesTags(context, options, db)).filter((tag) => isTagVisibleTo(tag, context.actor));
}

/** Every tag of the workspace, other staff members' personal ones included (what rules apply), with its values in order. */
export async function loadEveryonesTags(context: WorkspaceContext, options: { includeArchived?: boolean } = {}, db: Db = context.store.db): Promise<TagDefinition[]> {
  let query = db.selectFrom('tags').selectAll().where('workspace_id', '=', context.workspaceId);
  if (!options.includeArchived) query = query.where('status', '=', 'active');
  const rows = await query.orderBy('id').execute();
  const valueRows = await db
    .selectFrom('tag_values')
    .selectAll()
    .where('workspace_id', '=', context.workspaceId)
    .orderBy('tag_id')
    .orderBy('sort_order')
    .orderBy('id')
    .execute();
  const valuesByTag = new Map<number, TagValue[]>();
  for (const row of valueRows) {
    const list = valuesByTag.get(row.tag_id) ?? [];
    list.push({ id: row.id, key: row.key, name: row.name, color: row.color, description: row.description, sortOrder: row.sort_order, condition: row.condition });
    valuesByTag.set(row.tag_id, list);
  }
  return rows.map((row) => toTag(row, valuesByTag.get(row.id) ?? []));
}

/** Finds a visible tag by key or display name; archived tags are found too, so they can be restored. */
export async function getTag(context: WorkspaceContext, keyOrName: string, db: Db = context.store.db): Promise<TagDefinition> {
  const tags = await loadTags(context, { includeArchived: true }, db);
  const mine = (tag: TagDefinition) => (tag.scope === 'personal' ? 0 : 1);
  const found =
    tags.filter((tag) => tag.key === keyOrName).sort((a, b) => mine(a) - mine(b))[0] ??
    tags.find((tag) => tag.name === keyOrName);
  if (!found) {
    const hint = didYouMean(nearestName(keyOrName, tags.flatMap((tag) => [tag.key, tag.name])));
    throw new TagbaseError('TAG_NOT_FOUND', { tag: keyOrName, hint });
  }
  return found;
}

/**
 * One `TAG_NOT_FOUND` for every tag a request's list (`tags` of a webhook) names that does not
 * exist, each in `errors[]` at its place in the list (`path` `tags.N`, `pointer` `#/tags/N`), as
 * `SEGMENT_NOT_FOUND` names several segments. The `detail` starts as the one-tag problem's does,
 * naming the first, and names the others after it.
 */
export function tagsNotFound(list: string, missing: readonly { index: number; tag: string }[]): TagbaseError {
  const [first, ...rest] = missing;
  if (first === undefined) throw new Error('tagsNotFound needs a tag that was not found');
  const others = namesInMessage(rest.map((entry) => entry.tag));
  const params = {
    tag: first.tag,
    ...(rest.length === 0 ? {} : { others: localized(` ${rest.length === 1 ? 'Neither does' : 'Neither do'} ${others.en}.`, `${others['zh-CN']}也不存在。`) }),
  };
  return new TagbaseError(
    'TAG_NOT_FOUND',
    params,
    missing.map(({ index, tag }) => {
      const one = new TagbaseError('TAG_NOT_FOUND', { tag });
      return { index: -1, code: 'TAG_NOT_FOUND', path: `${list}.${String(index)}`, pointer: jsonPointer([list, index]), message: one.messageIn('en'), localized: localized(one.messageIn('en'), one.messageIn('zh-CN')) };
    }),
  );
}

/**
 * Runs `work` for a request whose body names one tag at `path` (`tag`, `trigger.tag`): a
 * `TAG_NOT_FOUND` for that tag comes out placed in `errors[]` at the field, as the tags of a
 * list are (`tagsNotFound`), its detail unchanged. Any other problem passes as it is.
 */
export async function placingUnknownTag<T>(path: string, tag: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof TagbaseError && error.code === 'TAG_NOT_FOUND' && error.items === undefined && error.params.tag === tag) {
      throw fieldProblem('TAG_NOT_FOUND', 'body', path, error.params);
    }
    throw error;
  }
}

export function getTagValue(tag: TagDefinition, keyOrName: string): TagValue {
  const value = findTagValue(tag, keyOrName);
  if (!value) {
    const hint = didYouMean(nearestName(keyOrName, tag.values.flatMap((v) => [v.key, v.name])));
    throw new TagbaseError('TAG_VALUE_NOT_FOUND', { tag: tag.key, tagNamed: namedInMessage(tag), value: keyOrName, hint });
  }
  return value;
}

