// `tagbase template list|show|apply`: the starter tag libraries from the terminal; `list` and `show`
// print with --json what `GET /api/v1/templates` and `GET /api/v1/templates/{template}` answer.
import type { Locale } from '../core/locale.js';
import type { TagInput } from '../core/tag.js';
import { applyTemplate, describeConflict, listTemplates, showTemplate, templateSummary, templateToJson } from '../engine/templates.js';
import { terminalTable } from './commander-locale.js';
import { cliMessages, type Say } from './messages.js';
import { rulePassBars } from './progress.js';
import { auditCli } from './audit-entry.js';
import { openIndexedWorkspace, openMigratedStore } from './store-options.js';

/** The templates as `GET /api/v1/templates` lists them, as JSON. */
export function templateListJson(): string {
  return JSON.stringify({ items: listTemplates().map(templateSummary) }, null, 2);
}

/** One template with its groups and tags as `GET /api/v1/templates/{template}` answers it, as JSON. */
export function templateJson(keyOrName: string): string {
  return JSON.stringify(templateToJson(showTemplate(keyOrName)), null, 2);
}

export function formatTemplateList(locale?: Locale): string {
  const say = cliMessages(locale);
  // Columns measured as a terminal shows them: a Chinese name takes two columns a character.
  return terminalTable(
    listTemplates().map((template) => [
      template.key,
      say('template.listName', { name: template.name, english: template.name_en }),
      say('template.listAbout', { tags: say('template.tagCount', { count: template.tags.length }), description: locale === 'zh-CN' ? template.description : template.description_en }),
    ]),
  ).join('\n');
}

function describeTag(tag: TagInput, say: Say): string {
  const traits = [
    say(`template.kind.${tag.kind}` as const),
    tag.cardinality === 'multi' ? say('template.multi') : say('template.single'),
    ...(tag.ordered ? [say('template.ordered')] : []),
    ...(tag.default_expiry_days ? [say('template.expires', { days: tag.default_expiry_days })] : []),
  ];
  const values = tag.values.map((value) => (value.condition === undefined ? value.name : `${value.name} ⇐ ${value.condition}`));
  const separator = tag.kind === 'rule' ? '\n      ' : ' / ';
  return say('template.tagLine', { name: tag.name, key: tag.key, traits: traits.join(say('template.separator')), values: `${tag.kind === 'rule' ? separator : ''}${values.join(separator)}` });
}

export function formatTemplate(keyOrName: string, locale?: Locale): string {
  const say = cliMessages(locale);
  const template = showTemplate(keyOrName);
  const lines = locale === 'zh-CN' ? [`${template.name}（${template.name_en}, ${template.key}）`, template.description] : [`${template.name_en} (${template.name}, ${template.key})`, template.description_en];
  for (const group of template.groups) {
    const tags = template.tags.filter((tag) => tag.group === group.key);
    if (tags.length === 0) continue;
    lines.push('', `[${group.name}] ${group.key}`, ...tags.map((tag) => describeTag(tag, say)));
  }
  return lines.join('\n');
}

export async function applyTemplateCommand(keyOrName: string, options: { workspace: string; database?: string | undefined; locale?: Locale | undefined; actor?: string | undefined }): Promise<string> {
  const say = cliMessages(options.locale);
  // Resolving first means an unknown template is reported before a store is opened.
  const template = showTemplate(keyOrName);
  const store = await openMigratedStore(options.database);
  const bars = rulePassBars(process.stderr.isTTY, options.locale);
  try {
    const context = await openIndexedWorkspace(store, options.workspace, 'template', bars.update);
    const result = await applyTemplate(context, keyOrName);
    // Applied as `template`, as before (its tags are the enterprise's); the trail names who applied it.
    await auditCli({ ...context, actor: options.actor ?? 'cli' }, 'template apply', `/templates/${encodeURIComponent(template.key)}/apply`);
    const { created, unchanged, conflicts } = result;
    const lines = [
      say('template.applied', {
        template: result.template,
        workspace: options.workspace,
        groups: created.groups,
        tags: created.tags,
        values: created.values,
        keptGroups: unchanged.groups,
        keptTags: unchanged.tags,
      }),
    ];
    if (conflicts.length > 0) lines.push(say('template.conflicts', { count: conflicts.length }), ...conflicts.map((conflict) => `  ${describeConflict(conflict, options.locale)}`));
    return lines.join('\n');
  } finally {
    bars.stop();
    await store.close();
  }
}
