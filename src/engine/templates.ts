// Applying a tag library template: creates the groups, tags and values the workspace lacks,
// and reports everything that exists in another shape as a conflict without touching it —
// the workspace's version may be an operator's deliberate edit. Applying again is a no-op.
// Each creation is its own library call (and transaction), so an interrupted apply is
// finished by running it again.
import { diffGroup, diffTag, showTemplate, type TagTemplate, type TemplateConflict } from '../core/templates/index.js';
import type { WorkspaceContext } from './context.js';
import { TagbaseError } from '../core/errors.js';
import { createTag, createTagGroup, listTagGroups, tagNamedAlready } from './library.js';
import { oneSetupAtATime } from './setup-queue.js';
import { toTag } from './tag-loading.js';
import { loadExpressionShown } from './shown-expressions.js';
import type { TagDefinition } from '../core/tag.js';

export { listTemplates, showTemplate, describeConflict, type TagTemplate, type TemplateConflict } from '../core/templates/index.js';

/** A template in a list, as `GET /api/v1/templates` lists it and `tagbase template list --json` prints it: how many groups, tags and values it makes. */
export function templateSummary(template: TagTemplate) {
  return {
    key: template.key,
    name: template.name,
    name_en: template.name_en,
    description: template.description,
    description_en: template.description_en,
    groups: template.groups.length,
    tags: template.tags.length,
    values: template.tags.reduce((sum, tag) => sum + tag.values.length, 0),
  };
}

/** One template with its groups and tags, as `GET /api/v1/templates/{template}` answers it and `tagbase template show --json` prints it. */
export function templateToJson(template: TagTemplate) {
  return { key: template.key, name: template.name, name_en: template.name_en, description: template.description, description_en: template.description_en, groups: template.groups, tags: template.tags };
}

export interface TemplateCounts {
  groups: number;
  tags: number;
  values: number;
}

export interface TemplateApplication {
  template: string;
  created: TemplateCounts;
  /** Groups and tags that were already there exactly as the template has them (values: theirs). */
  unchanged: TemplateCounts;
  conflicts: TemplateConflict[];
}

/**
 * Every tag of the workspace with one of `keys`, whoever owns it: a personal tag of any staff
 * member blocks an enterprise tag of the same key, so it must be seen even when the actor cannot.
 */
async function tagsByKey(context: WorkspaceContext, keys: readonly string[]): Promise<Map<string, TagDefinition[]>> {
  const byKey = new Map<string, TagDefinition[]>();
  if (keys.length === 0) return byKey;
  const rows = await context.store.db.selectFrom('tags').selectAll().where('workspace_id', '=', context.workspaceId).where('key', 'in', [...keys]).orderBy('id').execute();
  const ids = rows.map((row) => row.id);
  const valueRows =
    ids.length === 0 ? [] : await context.store.db.selectFrom('tag_values').selectAll().where('tag_id', 'in', ids).orderBy('tag_id').orderBy('sort_order').orderBy('id').execute();
  for (const row of rows) {
    const values = valueRows
      .filter((value) => value.tag_id === row.id)
      .map((value) => ({ id: value.id, key: value.key, name: value.name, color: value.color, description: value.description, sortOrder: value.sort_order, condition: value.condition }));
    const list = byKey.get(row.key) ?? [];
    list.push(toTag(row, values));
    byKey.set(row.key, list);
  }
  return byKey;
}

export async function applyTemplate(context: WorkspaceContext, keyOrName: string): Promise<TemplateApplication> {
  const template: TagTemplate = showTemplate(keyOrName);
  return oneSetupAtATime(context, () => applyKnownTemplate(context, template));
}

async function applyKnownTemplate(context: WorkspaceContext, template: TagTemplate): Promise<TemplateApplication> {
  const result: TemplateApplication = { template: template.key, created: { groups: 0, tags: 0, values: 0 }, unchanged: { groups: 0, tags: 0, values: 0 }, conflicts: [] };

  const groups = new Map((await listTagGroups(context)).map((group) => [group.key, group]));
  const groupAlias = new Map<string, string>();
  for (const group of template.groups) {
    const existing = groups.get(group.key);
    if (!existing) {
      try {
        const created = await createTagGroup(context, group);
        groups.set(created.key, created);
        result.created.groups++;
      } catch (error) {
        // Another group already goes by the template group's name: its tags go there, said as a conflict.
        if (!(error instanceof TagbaseError && error.code === 'TAG_GROUP_NAME_TAKEN')) throw error;
        const holder = String(error.params.group);
        groupAlias.set(group.key, holder);
        result.conflicts.push({ group: group.key, field: 'name_taken', template: group.name, workspace: holder });
      }
      continue;
    }
    const conflicts = diffGroup(group, existing);
    if (conflicts.length === 0) result.unchanged.groups++;
    result.conflicts.push(...conflicts);
  }
  const groupKeys = new Map([...groups.values()].map((group) => [group.id, group.key]));

  const existingTags = await tagsByKey(context, template.tags.flatMap((tag) => [tag.key, ...(template.formerKeys.get(tag.key) ?? [])]));
  for (const tag of template.tags) {
    const sameKey = existingTags.get(tag.key) ?? [];
    // Applied in an earlier version, under a key the template has since changed: that tag is
    // this one, told apart by its key, rather than a reason to make a second.
    // A model's tag under that key (spend_band, freshness) is the model's own, never one a template made.
    const former =
      sameKey.length > 0
        ? undefined
        : (template.formerKeys.get(tag.key) ?? []).flatMap((key) => existingTags.get(key) ?? []).find((candidate) => candidate.scope === 'enterprise' && candidate.kind !== 'model');
    if (former) {
      result.conflicts.push({ tag: tag.key, field: 'key', template: tag.key, workspace: former.key }, ...diffTag(tag, former, former.groupId === null ? null : (groupKeys.get(former.groupId) ?? null)));
      continue;
    }
    const enterprise = sameKey.find((candidate) => candidate.scope === 'enterprise');
    if (enterprise?.kind === 'model') {
      // A model's tag took the key first: said once, rather than as every way the model's tag is not the template's.
      result.conflicts.push({ tag: tag.key, field: 'kind', template: tag.kind, workspace: 'model' });
      continue;
    }
    if (enterprise) {
      // A tag filed under the workspace's group of the template group's name, as applying put it there, is where the template has it.
      const conflicts = diffTag({ ...tag, group: tag.group ? (groupAlias.get(tag.group) ?? tag.group) : tag.group }, enterprise, enterprise.groupId === null ? null : (groupKeys.get(enterprise.groupId) ?? null));
      if (conflicts.length === 0) {
        result.unchanged.tags++;
        result.unchanged.values += enterprise.values.length;
      }
      result.conflicts.push(...conflicts);
      continue;
    }
    if (sameKey.length > 0) {
      // Only the acting user's own is named: another staff member's personal tag is seen by them alone.
      const own = sameKey.some((candidate) => candidate.owner !== null && candidate.owner === context.actor);
      result.conflicts.push({ tag: tag.key, field: 'scope', template: 'enterprise', workspace: own ? `personal (${context.actor ?? ''})` : 'personal' });
      continue;
    }
    // A tag of another key already called so: creating this one would make the name ambiguous (null: another staff member's personal tag).
    const namedSo = await tagNamedAlready(context, tag.name, 'enterprise', '');
    if (namedSo !== undefined) {
      result.conflicts.push({ tag: tag.key, field: 'name_taken', template: tag.name, workspace: namedSo });
      continue;
    }
    try {
      await createTag(context, { ...tag, group: tag.group ? (groupAlias.get(tag.group) ?? tag.group) : tag.group });
    } catch (error) {
      // Its key or name already means a field or a metric in expressions (`NAME_IN_USE`).
      if (!(error instanceof TagbaseError && error.code === 'NAME_IN_USE')) throw error;
      result.conflicts.push({ tag: tag.key, field: 'name_taken', template: String(error.params.name), workspace: String(error.params.subject) });
      continue;
    }
    result.created.tags++;
    result.created.values += tag.values.length;
  }
  // A workspace's condition is shown as its tag is: masked for a role that sees personal data masked.
  const shown = await loadExpressionShown(context);
  result.conflicts = result.conflicts.map((conflict) => (conflict.field === 'condition' && conflict.workspace !== null ? { ...conflict, workspace: shown(conflict.workspace) } : conflict));
  return result;
}
