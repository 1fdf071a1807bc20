// A file to fill in for an import: the header row the importer reads for a kind, in the
// language asked for (`编号, 姓名, 手机…` or `id, name, phone…`), with the workspace's own
// custom fields among the columns. Operators start from it rather than from guessing which
// headers the importer knows. The file holds the header alone: an example row left in by
// mistake would become a customer 张伟 in the store, so the example (one row that imports as
// it stands) is shown beside the download instead.
import type { CustomFieldDefinition } from '../core/customer.js';
import { fieldHeadings, guessTarget, type ImportKind } from '../core/import-columns.js';
import type { Locale } from '../core/locale.js';
import type { TagDefinition } from '../core/tag.js';
import { toIso } from '../core/time.js';
import type { WorkspaceContext } from './context.js';
import { listCustomFields } from './fields.js';
import { csvLine } from './segment-members.js';
import { loadTags } from './tag-loading.js';
import { writeXlsx } from './xlsx-writer.js';

export interface ImportTemplate {
  /** The file's name without its extension, in the language of the header. */
  name: string;
  header: string[];
  /** One row of example values, in the header's order; empty cells are left unset. */
  example: string[];
}

/** A column of a template: its header in each language (an importer's name for it in Chinese, its key in English) and an example. */
interface TemplateColumn {
  header: Readonly<Record<Locale, string>>;
  example: Readonly<Record<Locale, string>>;
}

const column = (zh: string, en: string, exampleZh: string, exampleEn = exampleZh): TemplateColumn => ({ header: { 'zh-CN': zh, en }, example: { 'zh-CN': exampleZh, en: exampleEn } });

const EXAMPLE_CUSTOMER = 'C0001';

// The Chinese headers are those the importer reads as its own columns (src/core/import-columns.ts).
const CUSTOMER_COLUMNS: readonly TemplateColumn[] = [
  column('编号', 'id', EXAMPLE_CUSTOMER),
  column('姓名', 'name', '张伟', 'Zhang Wei'),
  column('类型', 'type', '个人', 'individual'),
  column('性别', 'gender', '男', 'male'),
  column('生日', 'birthday', '1990-05-17'),
  column('城市', 'city', '上海', 'Shanghai'),
  column('地区', 'region', '华东', 'East China'),
  column('职业', 'occupation', '教师', 'Teacher'),
  column('会员等级', 'member_level', '金卡', 'Gold'),
  column('来源渠道', 'source_channel', '门店', 'Store'),
  column('注册时间', 'first_seen_at', '2024-03-08 14:30'),
  column('手机', 'phone', '13800138000'),
  column('邮箱', 'email', 'zhangwei@example.com'),
  column('会员卡号', 'member_card', 'VIP0001'),
];

const EVENT_COLUMNS: readonly TemplateColumn[] = [
  column('客户', 'customer_id', EXAMPLE_CUSTOMER),
  column('事件', 'type', 'order_paid'),
  column('时间', 'occurred_at', '2026-06-01 20:15'),
  // Any other column is one of the event's properties, under its key.
  column('order_id', 'order_id', 'DD20260601001'),
  column('amount', 'amount', '299'),
  column('channel', 'channel', 'online'),
];

const TEMPLATE_NAMES: Readonly<Record<ImportKind, Readonly<Record<Locale, string>>>> = {
  customers: { 'zh-CN': '客户导入模板', en: 'customers-template' },
  events: { 'zh-CN': '行为事件导入模板', en: 'events-template' },
  assignments: { 'zh-CN': '标签分配导入模板', en: 'assignments-template' },
};

/** The template of `kind` in `locale`, with the workspace's custom fields and, for assignments, one of its own tags. */
export async function importTemplate(context: WorkspaceContext, kind: ImportKind, locale: Locale): Promise<ImportTemplate> {
  const columns = kind === 'customers' ? [...CUSTOMER_COLUMNS, ...customFieldColumns(await listCustomFields(context))] : kind === 'events' ? EVENT_COLUMNS : assignmentColumns(await loadTags(context), context.now());
  return {
    name: TEMPLATE_NAMES[kind][locale],
    header: columns.map((entry) => entry.header[locale]),
    example: columns.map((entry) => entry.example[locale]),
  };
}

/**
 * The custom fields: in Chinese under the name the console shows where an import reads that name
 * as the field (not when a built-in column or another field has it too), otherwise, and in
 * English, under the key. An enum's first option as the example, other kinds left empty.
 */
function customFieldColumns(fields: readonly CustomFieldDefinition[]): TemplateColumn[] {
  const headings = fieldHeadings(fields);
  return fields.map((field) => {
    const byName = guessTarget('customers', field.name, headings) === `custom.${field.key}`;
    return column(byName ? field.name.trim() : field.key, field.key, field.type === 'enum' ? (field.options[0] ?? '') : '');
  });
}

/**
 * The example assigns a value of the workspace's first active manual tag (rule and model tags are
 * not set by hand), so that the row imports as it is; a workspace without one gets the columns
 * and an empty example.
 */
function assignmentColumns(tags: readonly TagDefinition[], now: Date): TemplateColumn[] {
  const tag = tags.find((candidate) => candidate.kind === 'manual' && candidate.status === 'active' && candidate.scope === 'enterprise' && candidate.values.length > 0);
  const inAYear = toIso(now.getTime() + 365 * 86_400_000).slice(0, 10);
  return [
    column('客户', 'customer_id', tag ? EXAMPLE_CUSTOMER : ''),
    column('标签', 'tag', tag?.name ?? ''),
    column('标签值', 'value', tag?.values[0]?.name ?? ''),
    column('过期时间', 'expires_at', tag ? inAYear : ''),
  ];
}

export const TEMPLATE_FILE_FORMATS = ['csv', 'xlsx'] as const;
export type TemplateFileFormat = (typeof TEMPLATE_FILE_FORMATS)[number];

/** The template's header as a file: CSV (UTF-8 with a byte-order mark, as exports are) or a workbook of one sheet. */
export async function templateFile(template: ImportTemplate, format: TemplateFileFormat): Promise<Buffer> {
  if (format === 'csv') return Buffer.from('\uFEFF' + csvLine(template.header), 'utf8');
  const parts: Uint8Array[] = [];
  for await (const part of writeXlsx(template.name, template.header, noRows())) parts.push(part);
  return Buffer.concat(parts);
}

// eslint-disable-next-line require-yield -- a sheet of the header alone
async function* noRows(): AsyncGenerator<string[][]> {
  return;
}
