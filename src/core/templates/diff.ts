// How a workspace's tag differs from the template's: each difference is a conflict that
// applying reports and leaves alone, because the workspace may hold an operator's decision.
import type { TagDefinition, TagGroup, TagGroupInput, TagInput } from '../tag.js';

export interface TemplateConflict {
  group?: string;
  tag?: string;
  value?: string;
  /** What differs: `name`, `color`, `cardinality`, `scope`, `value`, `value_order`, …; `name_taken` when another tag (`workspace`) has the template tag's name. */
  field: string;
  template: string | null;
  workspace: string | null;
}

function show(value: string | number | boolean | null | undefined): string | null {
  return value === null || value === undefined ? null : String(value);
}

export function diffGroup(template: TagGroupInput, existing: TagGroup): TemplateConflict[] {
  const conflicts: TemplateConflict[] = [];
  if (template.name !== existing.name) conflicts.push({ group: template.key, field: 'name', template: template.name, workspace: existing.name });
  if ((template.description ?? null) !== existing.description) conflicts.push({ group: template.key, field: 'description', template: show(template.description), workspace: existing.description });
  return conflicts;
}

/** Differences between a template tag and the workspace's enterprise tag of the same key. */
export function diffTag(template: TagInput, existing: TagDefinition, existingGroupKey: string | null): TemplateConflict[] {
  const conflicts: TemplateConflict[] = [];
  const tag = template.key;
  const compare = (field: string, wanted: string | number | boolean | null | undefined, actual: string | number | boolean | null | undefined) => {
    if (show(wanted) !== show(actual)) conflicts.push({ tag, field, template: show(wanted), workspace: show(actual) });
  };
  compare('status', 'active', existing.status);
  compare('kind', template.kind, existing.kind);
  compare('name', template.name, existing.name);
  compare('description', template.description, existing.description);
  compare('color', template.color?.toLowerCase(), existing.color?.toLowerCase());
  compare('group', template.group, existingGroupKey);
  compare('cardinality', template.cardinality, existing.cardinality);
  compare('ordered', template.ordered, existing.ordered);
  compare('default_expiry_days', template.default_expiry_days, existing.defaultExpiryDays);

  const held = new Map(existing.values.map((value) => [value.key, value]));
  for (const value of template.values) {
    const current = held.get(value.key);
    if (!current) {
      // Without a record of what an earlier apply wrote, a missing value cannot be told from
      // one an operator removed, so it is reported rather than brought back.
      conflicts.push({ tag, value: value.key, field: 'value', template: value.name, workspace: null });
      continue;
    }
    const compareValue = (field: string, wanted: string | null | undefined, actual: string | null) => {
      if (show(wanted) !== show(actual)) conflicts.push({ tag, value: value.key, field, template: show(wanted), workspace: actual });
    };
    compareValue('name', value.name, current.name);
    compareValue('color', value.color?.toLowerCase(), current.color?.toLowerCase() ?? null);
    compareValue('description', value.description, current.description);
    compareValue('condition', value.condition, current.condition);
  }
  const wanted = new Set(template.values.map((value) => value.key));
  for (const value of existing.values) {
    if (!wanted.has(value.key)) conflicts.push({ tag, value: value.key, field: 'value', template: null, workspace: value.name });
  }
  const templateOrder = template.values.map((value) => value.key).filter((key) => held.has(key));
  const workspaceOrder = existing.values.map((value) => value.key).filter((key) => wanted.has(key));
  if (templateOrder.join('\u0000') !== workspaceOrder.join('\u0000')) conflicts.push({ tag, field: 'value_order', template: templateOrder.join(', '), workspace: workspaceOrder.join(', ') });
  return conflicts;
}

/** One readable line: `tag taste, value spicy: name is "辣" here, "麻辣" in the template`. */
export function describeConflict(conflict: TemplateConflict): string {
  const subject = [conflict.group !== undefined ? `group ${conflict.group}` : undefined, conflict.tag !== undefined ? `tag ${conflict.tag}` : undefined, conflict.value !== undefined ? `value ${conflict.value}` : undefined]
    .filter((part) => part !== undefined)
    .join(', ');
  const quote = (text: string | null) => (text === null ? 'none' : `"${text}"`);
  if (conflict.field === 'name_taken') return `${subject}: its name ${quote(conflict.template)} is taken here by tag ${conflict.workspace ?? ''}; not created`;
  if (conflict.field === 'value' && conflict.workspace === null) return `${subject}: missing here (the template has ${quote(conflict.template)}); left out`;
  if (conflict.field === 'value' && conflict.template === null) return `${subject}: ${quote(conflict.workspace)} is not in the template; kept`;
  return `${subject}: ${conflict.field} is ${quote(conflict.workspace)} here, ${quote(conflict.template)} in the template; kept`;
}
