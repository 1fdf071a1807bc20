// How a workspace's tag differs from the template's: each difference is a conflict that
// applying reports and leaves alone, because the workspace may hold an operator's decision.
import type { Locale } from '../locale.js';
import type { TagDefinition, TagGroup, TagGroupInput, TagInput } from '../tag.js';

export interface TemplateConflict {
  group?: string;
  tag?: string;
  value?: string;
  /**
   * What differs: `name`, `color`, `cardinality`, `scope`, `value`, `value_order`, …; `name_taken`
   * when another tag (`workspace`; null for another staff member's personal tag, which only they
   * see) has the template tag's name; `key` when the workspace holds the tag under a key an
   * earlier version of the template gave it.
   */
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

/** What differs, in Chinese: the field names are the API's words, which a Chinese line would otherwise leave in English. */
const FIELDS_ZH: Readonly<Record<string, string>> = {
  key: '标识',
  name: '名称',
  description: '说明',
  color: '颜色',
  group: '分组',
  status: '状态',
  kind: '类型',
  cardinality: '单选/多选',
  ordered: '有序',
  default_expiry_days: '默认有效天数',
  condition: '条件',
  value_order: '值的顺序',
  scope: '范围',
};

/** The words a conflict quotes that are the API's own (active, single, rule …), in Chinese. */
const WORDS_ZH: Readonly<Record<string, string>> = {
  active: '启用',
  archived: '已归档',
  single: '单选',
  multi: '多选',
  manual: '手动',
  rule: '规则',
  model: '模型',
  enterprise: '企业',
  personal: '个人',
  true: '是',
  false: '否',
};

/**
 * One readable line: `tag taste, value spicy: name is "辣" here, "麻辣" in the template`; in
 * Chinese `标签 taste，值 spicy：名称这里是“辣”，模板中是“麻辣”；保留`. The command line prints it
 * and the console lists it after an apply.
 */
export function describeConflict(conflict: TemplateConflict, locale: Locale = 'en'): string {
  const zh = locale === 'zh-CN';
  const subject = [
    conflict.group !== undefined ? (zh ? `分组 ${conflict.group}` : `group ${conflict.group}`) : undefined,
    conflict.tag !== undefined ? (zh ? `标签 ${conflict.tag}` : `tag ${conflict.tag}`) : undefined,
    conflict.value !== undefined ? (zh ? `值 ${conflict.value}` : `value ${conflict.value}`) : undefined,
  ]
    .filter((part) => part !== undefined)
    .join(zh ? '，' : ', ');
  const quote = (text: string | null) => (text === null ? (zh ? '无' : 'none') : zh ? `“${WORDS_ZH[text] ?? text.replace(/^personal \((.*)\)$/, '个人（$1）')}”` : `"${text}"`);
  const holder = conflict.workspace ?? '';
  if (conflict.field === 'name_taken' && conflict.tag === undefined) {
    // A group of the template's name under another key: the template's tags were put in that group.
    return zh ? `${subject}：名称${quote(conflict.template)}在这里已是分组 ${holder} 的名称；其标签放入该分组` : `${subject}: its name ${quote(conflict.template)} is taken here by group ${holder}; its tags go there`;
  }
  if (conflict.field === 'name_taken' && conflict.workspace === null) {
    // Another staff member's personal tag, which only they see: told of without its key.
    return zh ? `${subject}：名称${quote(conflict.template)}在这里已被其他员工的个人标签使用；未创建` : `${subject}: its name ${quote(conflict.template)} is taken here by another staff member's personal tag; not created`;
  }
  if (conflict.field === 'name_taken') {
    // Another tag of that name (its key), or a field or metric that expressions read by it (`field:city`).
    const [kind, key] = holder.includes(':') ? [holder.slice(0, holder.indexOf(':')), holder.slice(holder.indexOf(':') + 1)] : ['tag', holder];
    const kindZh = ({ tag: '标签', field: '字段', metric: '指标' } as Record<string, string | undefined>)[kind] ?? kind;
    return zh ? `${subject}：名称${quote(conflict.template)}在这里已被${kindZh} ${key} 使用；未创建` : `${subject}: its name ${quote(conflict.template)} is taken here by ${kind} ${key}; not created`;
  }
  if (conflict.field === 'value' && conflict.workspace === null) return zh ? `${subject}：这里没有（模板中是${quote(conflict.template)}）；不添加` : `${subject}: missing here (the template has ${quote(conflict.template)}); left out`;
  if (conflict.field === 'value' && conflict.template === null) return zh ? `${subject}：${quote(conflict.workspace)}不在模板中；保留` : `${subject}: ${quote(conflict.workspace)} is not in the template; kept`;
  return zh
    ? `${subject}：${FIELDS_ZH[conflict.field] ?? conflict.field}这里是${quote(conflict.workspace)}，模板中是${quote(conflict.template)}；保留`
    : `${subject}: ${conflict.field} is ${quote(conflict.workspace)} here, ${quote(conflict.template)} in the template; kept`;
}
