// `tagbase tag list`: the tag library as a terminal reads it — each group's tags with their key,
// kind and values, and how many customers hold each value — or as JSON with --json, so that a
// script finds the keys the API and expressions take.
import type { Locale } from '../core/locale.js';
import { englishTagName, englishValueName } from '../core/models/model-words.js';
import type { TagDefinition, TagGroup } from '../core/tag.js';
import { countAssignmentsByValue, listTagGroups, loadTags } from '../engine/library.js';
import type { WorkspaceContext } from '../engine/context.js';
import { terminalTable } from './commander-locale.js';
import { catalogWords } from './customer.js';
import type { Say } from './messages.js';
import { inCommandWorkspace } from './store-options.js';

export interface TagListOptions {
  workspace: string;
  database?: string | undefined;
  locale?: Locale | undefined;
  json?: boolean | undefined;
  archived?: boolean | undefined;
}

export function listTagsCommand(options: TagListOptions): Promise<string> {
  return inCommandWorkspace(options, (context, say) => tagLibraryText(context, say, options));
}

interface ListedTag {
  key: string;
  name: string;
  group: string | null;
  kind: string;
  cardinality: string;
  ordered: boolean;
  scope: string;
  owner: string | null;
  status: string;
  values: { key: string; name: string; customers: number }[];
}

/** A model's tag and its values read in the catalog's English words for an English reader (`locale`, English unless given), as the console lists them; the JSON keeps the stored names. */
export async function tagLibraryText(context: WorkspaceContext, say: Say, options: Pick<TagListOptions, 'json' | 'archived' | 'locale'> = {}): Promise<string> {
  const [tags, groups, counts] = await Promise.all([loadTags(context, { includeArchived: options.archived ?? false }), listTagGroups(context), countAssignmentsByValue(context)]);
  const groupOf = new Map(groups.map((group) => [group.id, group]));
  const listed = tags.map((tag) => listedTag(tag, tag.groupId === null ? undefined : groupOf.get(tag.groupId), counts));
  if (options.json) return JSON.stringify(listed, null, 2);
  if (listed.length === 0) return say('tagList.none', { workspace: context.workspaceKey });
  const models = await catalogWords(context, options.locale ?? 'en');

  // Enterprise tags by group in the library's order, then those in no group, then staff members' personal tags.
  const sections: { title: string; tags: ListedTag[] }[] = [];
  const enterprise = listed.filter((tag) => tag.scope === 'enterprise');
  for (const group of [...groups].sort((a, b) => a.sortOrder - b.sortOrder)) {
    const inGroup = enterprise.filter((tag) => tag.group === group.key);
    if (inGroup.length > 0) sections.push({ title: group.name, tags: inGroup });
  }
  const ungrouped = enterprise.filter((tag) => tag.group === null);
  if (ungrouped.length > 0) sections.push({ title: say('tagList.ungrouped'), tags: ungrouped });
  const personal = listed.filter((tag) => tag.scope !== 'enterprise');
  if (personal.length > 0) sections.push({ title: say('tagList.personal'), tags: personal });

  const lines = [say('tagList.heading', { count: listed.length, workspace: context.workspaceKey })];
  for (const section of sections) {
    lines.push('', section.title);
    for (const tag of section.tags) {
      const traits = [say(`tagList.kind.${tag.kind as 'manual' | 'rule' | 'model'}`), say(tag.cardinality === 'multi' ? 'tagList.multi' : 'tagList.single')];
      if (tag.ordered) traits.push(say('tagList.ordered'));
      if (tag.owner !== null) traits.push(say('tagList.owner', { owner: tag.owner }));
      if (tag.status !== 'active') traits.push(say('tagList.archived'));
      lines.push(`  ${englishTagName(tag, models)}  ${tag.key}  ${say('tagList.traits', { traits: traits.join(say('tagList.traitSeparator')) })}`);
      if (tag.values.length === 0) lines.push(`    ${say('tagList.noValues')}`);
      const rows = tag.values.map((value) => [englishValueName(tag, value, models), value.key, value.customers.toLocaleString('en')]);
      lines.push(...terminalTable(rows, (column) => column === 2).map((line) => `    ${line}`));
    }
  }
  return lines.join('\n');
}

function listedTag(tag: TagDefinition, group: TagGroup | undefined, counts: ReadonlyMap<number, number>): ListedTag {
  return {
    key: tag.key,
    name: tag.name,
    group: group?.key ?? null,
    kind: tag.kind,
    cardinality: tag.cardinality,
    ordered: tag.ordered,
    scope: tag.scope,
    owner: tag.owner,
    status: tag.status,
    values: tag.values.map((value) => ({ key: value.key, name: value.name, customers: counts.get(value.id) ?? 0 })),
  };
}
