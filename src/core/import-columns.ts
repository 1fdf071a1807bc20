// The columns the importer reads per kind (see `tagbase import`), and a first guess at which
// one a file's column means, from its name in English or Chinese. The console proposes these
// guesses for the operator to correct; `tagbase import` reads the columns it recognises so.
import { COMPUTED_FIELD_LABELS } from './computed-fields.js';

export type ImportKind = 'customers' | 'events' | 'assignments';

/**
 * Rejected rows an import over HTTP lists, at most, per request; the console sends files in
 * pieces of as many rows, so that every rejected row of every piece is listed.
 */
export const MAX_LISTED_REJECTIONS = 1000;

/**
 * The first columns of a report of an import's rejected rows (`tagbase import`'s FILE.rejected.csv
 * and the console's download): the row's line in the file, its code and its reason, before the
 * row's own cells. A file whose header starts with them is such a report put right, and is
 * imported with those three columns left out, so that it imports again as it stands.
 */
export const REJECTED_REPORT_COLUMNS = ['line', 'code', 'reason'] as const;

/** Whether a header is a report's of rejected rows (see `REJECTED_REPORT_COLUMNS`); a column `line` elsewhere is the file's own. */
export function isRejectedReport(header: readonly string[]): boolean {
  return REJECTED_REPORT_COLUMNS.every((column, index) => header[index] === column);
}

/**
 * What stands between the reasons of a row refused for several in a report's `reason` cell, in
 * either language. Not "; " nor "；", which many a single reason holds itself (`customer "12" does
 * not exist; there is …`): no message a reason is worded from holds this (a test reads them all),
 * so each reason ends where it stands; a cell a reason quotes is as the file has it.
 */
export const REJECTED_REASONS_SEPARATOR = ' | ';

/**
 * A rejected row's `code` and `reason` cells in a report: the row is written once however many
 * reasons refused it (written once per reason, a report put right imported the row as often),
 * its codes each once, apart by a space, and its reasons in order, apart by `REJECTED_REASONS_SEPARATOR`.
 */
export function rejectedRowCells(reasons: readonly { code: string; reason: string }[]): { code: string; reason: string } {
  return {
    code: [...new Set(reasons.map((reason) => reason.code))].join(' '),
    reason: reasons.map((reason) => reason.reason).join(REJECTED_REASONS_SEPARATOR),
  };
}

export const TARGETS: Record<ImportKind, string[]> = {
  customers: ['id', 'name', 'type', 'gender', 'birthday', 'city', 'region', 'occupation', 'member_level', 'source_channel', 'first_seen_at', 'phone', 'email', 'wechat_unionid', 'wechat_openid', 'wecom_external_userid', 'platform_nick', 'member_card'],
  events: ['id', 'customer_id', 'type', 'occurred_at', 'properties'],
  assignments: ['customer_id', 'tag', 'value', 'expires_at'],
};

/** Columns without which no row of the kind can be imported. */
export const REQUIRED_TARGETS: Record<ImportKind, string[]> = {
  customers: ['id'],
  events: ['customer_id', 'type', 'occurred_at'],
  assignments: ['customer_id', 'tag', 'value'],
};

/**
 * The custom field a customer column is read into (`custom.鞋码` or `鞋码` → `鞋码`), or undefined
 * for a column that is none: skipped (''), a built-in field or identity, or the JSON shapes'
 * own `identities` and `custom`.
 */
export function customFieldOf(column: string): string | undefined {
  if (column === '' || TARGETS.customers.includes(column) || column === 'identities' || column === 'custom') return undefined;
  return column.startsWith('custom.') ? column.slice('custom.'.length) : column;
}

/**
 * The tags, random bucket and reachability columns of a customers export, under each of their
 * headers (`--header keys`, and by name in Chinese and English).
 */
const EXPORTED_ONLY_COLUMNS = new Set([
  'tags',
  '标签',
  'Tags',
  ...Object.entries(COMPUTED_FIELD_LABELS).flatMap(([key, names]) => [key, ...Object.values(names)]),
]);

/**
 * Whether a customers file's column is one an export of customers writes and an import cannot
 * take: its tags (imported as assignments), its random bucket and reachability (computed from the
 * customer and their identities) or a metric (computed from events), by key or name. The importer and the console's import page
 * leave such a column out, so that an exported file, edited, imports again; mapped to a field
 * by hand, the random bucket is still refused, as any write of it.
 */
export function isExportedOnlyColumn(column: string, metricNames: ReadonlySet<string>): boolean {
  return EXPORTED_ONLY_COLUMNS.has(column) || metricNames.has(column);
}

/** The columns every row of the kind needs that none of a file's columns, under the importer's names, is. */
export function missingRequiredColumns(kind: ImportKind, importerColumns: readonly string[]): string[] {
  return REQUIRED_TARGETS[kind].filter((target) => !importerColumns.includes(target));
}

const ALIASES: Record<string, string> = {
  // 客户编号 is the customer's id in every kind of file: a customers file reads it as `id` (below).
  编号: 'id', 客户编号: 'customer_id', 姓名: 'name', 名称: 'name', 类型: 'type', 性别: 'gender', 生日: 'birthday', 出生日期: 'birthday', 城市: 'city', 地区: 'region', 省份: 'region',
  职业: 'occupation', 会员等级: 'member_level', 来源渠道: 'source_channel', 手机: 'phone', 手机号: 'phone', 电话: 'phone', 邮箱: 'email', 客户: 'customer_id', 客户id: 'customer_id',
  事件: 'type', 时间: 'occurred_at', 发生时间: 'occurred_at', 标签: 'tag', 标签值: 'value', 值: 'value', 过期时间: 'expires_at',
  // The English headers of an export of customers (`header=names`) that are not the keys themselves.
  'member level': 'member_level',
  // The names of the fields an export adds when asked (`fields=`, src/core/export-fields.ts), in lower case, as headings are matched.
  'source channel': 'source_channel', 'first seen at': 'first_seen_at', 'wechat unionid': 'wechat_unionid', 'wechat openid': 'wechat_openid',
  'wecom external userid': 'wecom_external_userid', 'platform nickname': 'platform_nick', 'member card': 'member_card',
  '微信 unionid': 'wechat_unionid', '微信 openid': 'wechat_openid', 平台昵称: 'platform_nick',
  注册时间: 'first_seen_at', 首次到店时间: 'first_seen_at', 下单时间: 'occurred_at', 付款时间: 'occurred_at', 支付时间: 'occurred_at', 到期时间: 'expires_at', 有效期至: 'expires_at',
  // As member and customer lists of shop systems and CRMs head them.
  会员编号: 'customer_id', 会员号: 'customer_id', 会员id: 'customer_id', 客户姓名: 'name', 会员姓名: 'name', 客户名称: 'name',
  手机号码: 'phone', 联系电话: 'phone', 联系手机: 'phone', 电话号码: 'phone', mobile: 'phone', 'phone number': 'phone', 电子邮箱: 'email', 'e-mail': 'email', 会员卡号: 'member_card',
  // As WeCom (企业微信) names a customer its staff added, in its API and its customer lists; in lower case, as headings are matched.
  external_userid: 'wecom_external_userid', 企微外部联系人id: 'wecom_external_userid', 企业微信外部联系人id: 'wecom_external_userid', 外部联系人id: 'wecom_external_userid',
  所在城市: 'city', 注册渠道: 'source_channel', 注册日期: 'first_seen_at', 入会时间: 'first_seen_at', 开卡时间: 'first_seen_at', 成交时间: 'occurred_at',
};

/** Names of an event's own columns, which in a customers file would name the customer's (类型 is a customer's type there). */
const EVENT_ALIASES: Record<string, string> = {
  事件类型: 'type', 行为类型: 'type', 事件编号: 'id', 事件id: 'id',
};

/**
 * A heading without the marks an import template of another system puts on a column to fill in
 * (`*编号`, `客户编号*`, `姓名（必填）`, `手机(选填)`), so that such a template, filled, imports.
 */
function withoutFillMarks(column: string): string {
  return column
    .trim()
    .replace(/^[*＊]+\s*/, '')
    .replace(/\s*(?:[*＊]+|[(（]\s*(?:必填|选填|可选|非必填|required|optional)\s*[)）])$/i, '')
    .trim();
}

/** Another name of one of the importer's columns of `kind`, by a heading as written or in lower case. */
function aliasOf(kind: ImportKind | undefined, column: string): string | undefined {
  const trimmed = withoutFillMarks(column);
  const lower = trimmed.toLowerCase();
  const own = kind === 'events' || kind === undefined ? (EVENT_ALIASES[trimmed] ?? EVENT_ALIASES[lower]) : undefined;
  return own ?? ALIASES[trimmed] ?? ALIASES[lower];
}

/**
 * Whether a file's column heading names one of the importer's columns of any kind, by its own
 * name or another (`id`, `姓名`, `下单时间`, `custom.鞋码`): how a header is told from a title above it.
 */
export function isImporterColumn(column: string): boolean {
  const lower = withoutFillMarks(column).toLowerCase();
  if (lower === '') return false;
  return Object.values(TARGETS).some((targets) => targets.includes(lower)) || aliasOf(undefined, column) !== undefined || /^(custom|properties)\./.test(lower);
}

/**
 * A workspace's custom fields as a customers file may head their columns: by key, or by the
 * name the console shows (`入会日期` for `joined`), trimmed and in any case of Latin letters.
 */
export interface FieldHeadings {
  readonly keys: ReadonlySet<string>;
  /** Each name as `headingOf` has it, with the keys of the fields so named: more than one, and the name heads none of them. */
  readonly byName: ReadonlyMap<string, readonly string[]>;
}

export function fieldHeadings(fields: readonly { key: string; name: string }[]): FieldHeadings {
  const byName = new Map<string, string[]>();
  for (const field of fields) {
    const name = headingOf(field.name);
    if (name === '') continue;
    byName.set(name, [...(byName.get(name) ?? []), field.key]);
  }
  return { keys: new Set(fields.map((field) => field.key)), byName };
}

/** A column's heading as a field's name is matched against it: trimmed, Latin letters in lower case. */
function headingOf(column: string): string {
  return column.trim().toLowerCase();
}

/**
 * The keys of the custom fields a customers file's column is headed with the name of, when it is
 * not a declared field's key: one, the field it is read as (unless another column is that field
 * already); several, none of them, as which is meant cannot be told.
 */
export function fieldsNamedBy(column: string, fields: FieldHeadings): readonly string[] {
  if (fields.keys.has(column.trim())) return [];
  return fields.byName.get(headingOf(column)) ?? [];
}

/**
 * The importer's column for a file's column; columns it does not know keep their name. A
 * customers column is read as a built-in field by its key or another name of it first, then
 * as a custom field of `fields` by its key, then by its name (`入会日期` as `custom.joined`).
 */
export function guessTarget(kind: ImportKind, column: string, fields?: FieldHeadings): string {
  const lower = withoutFillMarks(column).toLowerCase();
  if (TARGETS[kind].includes(lower)) return lower;
  const alias = aliasOf(kind, column);
  if (alias && TARGETS[kind].includes(alias)) return alias;
  if (kind === 'customers' && lower.startsWith('custom.')) return column;
  if (kind === 'events' && lower.startsWith('properties.')) return column;
  // A customers file's `customer_id` (or `客户`) is the customer's own id, as an events file's is.
  if (kind === 'customers' && (alias ?? lower) === 'customer_id') return 'id';
  if (kind === 'events') return `properties.${column.trim()}`;
  const named = kind === 'customers' && fields ? fieldsNamedBy(column, fields) : [];
  if (named.length === 1) return `custom.${named[0] ?? ''}`;
  return column.trim();
}

/**
 * A column of the importer's as one of its names: a customer's custom field as `custom.KEY`,
 * whether the column is headed `KEY` or `custom.KEY`, so that two columns of one field are told.
 */
export function sameColumnAs(kind: ImportKind, column: string): string {
  const field = kind === 'customers' ? customFieldOf(column) : undefined;
  return field === undefined ? column : `custom.${field}`;
}

/**
 * For `tagbase import`: the columns of a row that are another name of one of the importer's own
 * (`手机` for `phone`, `Name` for `name`, `渠道` of an event for `properties.渠道`, a custom
 * field's name for `custom.KEY`), each with that column. A column the row already has under
 * the importer's name wins (`joined` over the name of the field `joined`); of two other names
 * for one column, the first.
 */
export function recognisedColumns(kind: ImportKind, columns: readonly string[], fields?: FieldHeadings): Map<string, string> {
  const renamed = new Map<string, string>();
  const taken = new Set(columns.map((column) => sameColumnAs(kind, column)));
  for (const column of columns) {
    const target = guessTarget(kind, column, fields);
    // Of events, a column that is none of the importer's is one of the event's properties, as the
    // console proposes; of customers, a custom field named by the column.
    const known = TARGETS[kind].includes(target) || (kind === 'events' && target.startsWith('properties.')) || (kind === 'customers' && target.startsWith('custom.'));
    if (target === column || !known || taken.has(sameColumnAs(kind, target))) continue;
    renamed.set(column, target);
    taken.add(sameColumnAs(kind, target));
  }
  return renamed;
}
