// `tagbase template list|show|apply`: the starter tag libraries from the terminal.
import { systemClock } from '../core/time.js';
import type { TagInput } from '../core/tag.js';
import { applyTemplate, describeConflict, listTemplates, showTemplate } from '../engine/templates.js';
import { openWorkspace } from '../engine/workspaces.js';
import { openMigratedStore } from './store-options.js';

export function formatTemplateList(): string {
  return listTemplates()
    .map((template) => `${template.key.padEnd(12)} ${template.name}（${template.name_en}）  ${template.tags.length} tags — ${template.description}`)
    .join('\n');
}

function describeTag(tag: TagInput): string {
  const traits = [tag.kind, tag.cardinality === 'multi' ? 'multi' : 'single', ...(tag.ordered ? ['ordered'] : []), ...(tag.default_expiry_days ? [`expires after ${tag.default_expiry_days} days`] : [])];
  const values = tag.values.map((value) => (value.condition === undefined ? value.name : `${value.name} ⇐ ${value.condition}`));
  const separator = tag.kind === 'rule' ? '\n      ' : ' / ';
  return `  ${tag.name} (${tag.key}; ${traits.join(', ')}): ${tag.kind === 'rule' ? separator : ''}${values.join(separator)}`;
}

export function formatTemplate(keyOrName: string): string {
  const template = showTemplate(keyOrName);
  const lines = [`${template.name}（${template.name_en}, ${template.key}）`, template.description];
  for (const group of template.groups) {
    const tags = template.tags.filter((tag) => tag.group === group.key);
    if (tags.length === 0) continue;
    lines.push('', `[${group.name}] ${group.key}`, ...tags.map(describeTag));
  }
  return lines.join('\n');
}

export async function applyTemplateCommand(keyOrName: string, options: { workspace: string; database?: string | undefined }): Promise<string> {
  // Resolving first means an unknown template is reported before a store is opened.
  showTemplate(keyOrName);
  const store = await openMigratedStore(options.database);
  try {
    const context = await openWorkspace(store, options.workspace, 'template', systemClock);
    const result = await applyTemplate(context, keyOrName);
    const { created, unchanged, conflicts } = result;
    const lines = [
      `template ${result.template} → workspace ${options.workspace}: created ${created.groups} group(s), ${created.tags} tag(s), ${created.values} value(s); ${unchanged.groups} group(s) and ${unchanged.tags} tag(s) already in place`,
    ];
    if (conflicts.length > 0) lines.push(`${conflicts.length} conflict(s), left as they are in the workspace:`, ...conflicts.map((conflict) => `  ${describeConflict(conflict)}`));
    return lines.join('\n');
  } finally {
    await store.close();
  }
}
