// Who is in a segment, as rows a person reads: the preview page (name, city, tags, the
// metric it is sorted by) and the streamed CSV / JSON Lines export of every member.
import { didYouMean, fieldError } from '../core/errors.js';
import { EXPORT_FIELD_KEYS, EXPORT_FIELD_NAMES, FIXED_MEMBER_FIELDS, isExportField } from '../core/export-fields.js';
import { COMPUTED_FIELD_LABELS, CUSTOMER_TYPE_LABELS, CUSTOMER_TYPE_LABELS_EN, GENDER_LABELS, GENDER_LABELS_EN, REACHABILITY_FIELDS, reachabilityValues, type CustomFieldValue, type Identity, type ReachabilityField } from '../core/customer.js';
import type { Selectable } from 'kysely';
import { CatalogIndex, type AttributeValue } from '../core/expression/index.js';
import { localized, type Locale } from '../core/locale.js';
import { maskPersonalMetricValue } from '../core/masked-properties.js';
import { nearestName } from '../core/names.js';
import { randomBucket } from '../core/random-bucket.js';
import { runsAsFormula } from '../core/spreadsheet.js';
import { englishTagName, englishValueName, type CatalogModel } from '../core/models/model-words.js';
import { formatTagLabel } from '../core/tag.js';
import { toIsoOrNull } from '../core/time.js';
import { IDS_PER_QUERY, chunks } from '../store/chunks.js';
import type { CustomerTable } from '../store/schema.js';
import type { WorkspaceCatalog } from './catalog.js';
import type { WorkspaceContext } from './context.js';
import { finishExport } from './export-log.js';
import { identityValueAsSeen, loadCustomersById, loadIdentities } from './customers.js';
import { listModels } from './models.js';
import type { MemberSort } from './segments.js';
import { stillHeld } from '../store/still-held.js';
import { MAX_SHEET_ROWS, sheetTimeText, writeXlsx, type SheetCell, type SheetColumnKind, type SheetTime } from './xlsx-writer.js';

export interface MemberRow {
  id: string;
  name: string | null;
  type: string | null;
  gender: string | null;
  city: string | null;
  member_level: string | null;
  phone: string | null;
  /** 「name: value」 labels of the tags the acting user may see. */
  tags: string[];
  /** 随机分组号, 0-99, computed from the customer (src/core/random-bucket.ts). */
  random_bucket: number;
  /** 有手机号 …: whether the customer holds an identity of the channel (REACHABILITY_KINDS). */
  has_phone: boolean;
  has_email: boolean;
  has_wechat: boolean;
  has_member_card: boolean;
  /** The requested metrics (and the sort attribute when it is one); null when the customer has no value. */
  metrics: Record<string, AttributeValue>;
  /** The fields asked for (`fields=`), by key, as the importer reads them back; present only when some were. */
  fields?: Record<string, AttributeValue>;
}

/** `spend_365d`, `-spend_365d` or `spend_365d:desc`, by key or display name, resolved against the catalog. */
export function parseMemberSort(catalog: WorkspaceCatalog, text: string | undefined): MemberSort | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  let name = text.trim();
  let direction: MemberSort['direction'] = 'asc';
  if (name.startsWith('-')) [name, direction] = [name.slice(1), 'desc'];
  const suffix = /:(asc|desc)$/i.exec(name);
  if (suffix?.[1]) [name, direction] = [name.slice(0, -suffix[0].length), suffix[1].toLowerCase() as MemberSort['direction']];
  const index = new CatalogIndex(catalog.catalog);
  const subject = index.subject(name);
  if (subject?.kind !== 'attribute') {
    const hint = subject ? localized(` "${name}" is a tag; sort by a field or a metric.`, `「${name}」是标签，请按字段或指标排序。`) : didYouMean(nearestName(name, [...index.subjectNames()].filter((n) => index.subject(n)?.kind === 'attribute')));
    throw fieldError('query', 'sort', localized(`cannot sort by "${name}".${hint.en}`, `不能按「${name}」排序。${hint['zh-CN']}`));
  }
  return { source: subject.source, key: subject.attribute.key, direction };
}

/**
 * Metric keys named by the caller, checked against the catalog, each once however often it was
 * named (by key and by name, say): a file's columns are each a metric of their own, as an import
 * reading the file back requires.
 */
export function resolveMetricKeys(catalog: WorkspaceCatalog, names: readonly string[]): string[] {
  const index = new CatalogIndex(catalog.catalog);
  const keys = names.map((name) => {
    const subject = index.subject(name);
    if (subject?.kind === 'attribute' && subject.source === 'metric') return subject.attribute.key;
    const metricNames = catalog.catalog.metrics.flatMap((metric) => [metric.key, metric.name ?? metric.key]);
    const hint = didYouMean(nearestName(name, metricNames));
    throw fieldError('query', 'metrics', localized(`"${name}" is not a metric.${hint.en}`, `「${name}」不是指标。${hint['zh-CN']}`));
  });
  return [...new Set(keys)];
}

/**
 * Field keys named by the caller (`fields=birthday,email,鞋码`): the built-in fields and identities
 * the fixed columns leave out, and the workspace's custom fields, each once, by key or, for a
 * custom field, by its name.
 */
export function resolveFieldKeys(catalog: WorkspaceCatalog, names: readonly string[]): string[] {
  const keys = names.map((name) => {
    if (isExportField(name)) return name;
    const custom = catalog.customFields.find((field) => field.key === name) ?? catalog.customFields.find((field) => field.name === name);
    if (custom) return custom.key;
    if ((FIXED_MEMBER_FIELDS as readonly string[]).includes(name)) {
      throw fieldError('query', 'fields', localized(`"${name}" is a column of every export; name only the fields to add`, `「${name}」是每次导出都有的列，只需列出要添加的字段`));
    }
    const hint = didYouMean(nearestName(name, [...EXPORT_FIELD_KEYS, ...catalog.customFields.flatMap((field) => [field.key, field.name])]));
    throw fieldError('query', 'fields', localized(`"${name}" is not a customer field.${hint.en}`, `「${name}」不是客户字段。${hint['zh-CN']}`));
  });
  return [...new Set(keys)];
}

/**
 * Rows for the given internal ids, in the order given. With `models` (for an English reader), a
 * model's tag is labelled in the catalog's English words (RFM level: Important value), as the
 * console and the command show it; a name the workspace gave a tag or value reads as written.
 */
export async function loadMemberRows(
  context: WorkspaceContext,
  catalog: WorkspaceCatalog,
  ids: readonly number[],
  metricKeys: readonly string[],
  models: readonly CatalogModel[] = [],
  /** Leave out an id merged into another customer, rather than answer the survivor in its place. */
  ownRecordsOnly = false,
  /** The fields asked for (`resolveFieldKeys`), which the rows then carry. */
  fieldKeys: readonly string[] = [],
): Promise<MemberRow[]> {
  const labels = new Map<number, string>();
  for (const tag of catalog.tags) for (const value of tag.values) labels.set(value.id, formatTagLabel(englishTagName(tag, models), englishValueName(tag, value, models)));
  const { db } = context.store;
  const now = context.now().getTime();
  const [customers, identities] = await Promise.all([loadCustomersById(db, ids), loadIdentities(db, ids)]);
  const tags = new Map<number, string[]>();
  const metrics = new Map<number, Record<string, AttributeValue>>();
  for (const part of chunks([...ids], IDS_PER_QUERY)) {
    // Without the expired values the expiry sweep has not taken off yet, as the portrait shows them.
    const assignments = await db
      .selectFrom('assignments')
      .select(['customer_id', 'value_id'])
      .where('customer_id', 'in', part)
      .where(stillHeld(now))
      .orderBy('tag_id')
      .orderBy('value_id')
      .execute();
    for (const assignment of assignments) {
      const label = labels.get(assignment.value_id);
      if (label !== undefined) tags.set(assignment.customer_id, [...(tags.get(assignment.customer_id) ?? []), label]);
    }
    if (metricKeys.length === 0) continue;
    const rows = await db.selectFrom('customer_metrics').select(['customer_id', 'metric_values']).where('customer_id', 'in', part).execute();
    for (const row of rows) metrics.set(row.customer_id, JSON.parse(row.metric_values) as Record<string, AttributeValue>);
  }
  return ids.flatMap((id) => {
    const customer = customers.get(id);
    if (!customer || (ownRecordsOnly && customer.id !== id)) return [];
    const values = metrics.get(id) ?? {};
    const phone = identities.get(id)?.find((identity) => identity.kind === 'phone');
    return [
      {
        id: customer.external_id,
        name: customer.name,
        type: customer.type,
        gender: customer.gender,
        city: customer.city,
        member_level: customer.member_level,
        phone: phone === undefined ? null : identityValueAsSeen(phone, context.personalData),
        tags: tags.get(id) ?? [],
        random_bucket: randomBucket(customer.id),
        ...reachabilityValues((identities.get(id) ?? []).map((identity) => identity.kind)),
        metrics: Object.fromEntries(metricKeys.map((key) => [key, readableMetric(context, catalog, key, values[key], identities.get(id) ?? [])])),
        ...(fieldKeys.length === 0 ? {} : { fields: fieldValues(context, customer, identities.get(id) ?? [], fieldKeys) }),
      },
    ];
  });
}

/**
 * The fields as the importer reads them back: a birthday as its date, the first seen time as an
 * ISO time like the timestamp metrics beside it, an identity the first of its kind (masked, as
 * the phone, for a role that sees personal data masked), a custom field as it is stored.
 */
function fieldValues(context: WorkspaceContext, customer: Selectable<CustomerTable>, identities: readonly Identity[], fieldKeys: readonly string[]): Record<string, AttributeValue> {
  const custom = fieldKeys.some((key) => !isExportField(key)) ? (JSON.parse(customer.custom) as Record<string, CustomFieldValue>) : {};
  const value = (key: string): AttributeValue => {
    if (!isExportField(key)) return custom[key] ?? null;
    switch (key) {
      case 'birthday':
      case 'region':
      case 'occupation':
      case 'source_channel':
        return customer[key];
      case 'first_seen_at':
        return toIsoOrNull(customer.first_seen_at);
      default: {
        const identity = identities.find((candidate) => candidate.kind === key);
        return identity === undefined ? null : identityValueAsSeen(identity, context.personalData);
      }
    }
  };
  return Object.fromEntries(fieldKeys.map((key) => [key, value(key)]));
}

/**
 * Timestamps leave as ISO times, like every other instant the API writes; a value picked from an
 * event's property (the last `receiver_phone`) as the portrait's events show it to the role.
 */
function readableMetric(context: WorkspaceContext, catalog: WorkspaceCatalog, key: string, value: AttributeValue, identities: readonly Identity[]): AttributeValue {
  if (value === undefined || value === null) return null;
  const type = catalog.catalog.metrics.find((metric) => metric.key === key)?.type;
  if (type === 'timestamp' && typeof value === 'number') return toIsoOrNull(value);
  if (context.personalData !== 'masked' || typeof value === 'boolean') return value;
  const definition = catalog.metrics.find((metric) => metric.key === key);
  return definition === undefined ? value : maskPersonalMetricValue(definition, value, identities);
}

export const EXPORT_FORMATS = ['csv', 'jsonl', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Refuses, before anything is logged or written, an export that its format cannot hold: a workbook past Excel's rows. */
export function assertExportable(format: ExportFormat, rows: number): void {
  const most = MAX_SHEET_ROWS - 1;
  if (format !== 'xlsx' || rows <= most) return;
  throw fieldError(
    'query',
    'format',
    localized(
      `a workbook holds at most ${most.toLocaleString('en')} customers and this export has ${rows.toLocaleString('en')}: export CSV or JSON Lines instead`,
      `一个 Excel 工作簿最多容纳 ${most.toLocaleString('en')} 位客户，本次导出有 ${rows.toLocaleString('en')} 位：请改为导出 CSV 或 JSON Lines`,
    ),
  );
}

/** How a CSV export's header row names its columns: by key (for scripts), or by name in a language (for people). */
export const EXPORT_HEADERS = ['keys', 'names'] as const;
export type ExportHeader = (typeof EXPORT_HEADERS)[number];

/** The computed fields a member row ends with, in this order. */
const COMPUTED_COLUMNS = ['random_bucket', ...REACHABILITY_FIELDS] as const;

/**
 * The member columns by key, as a file headed by keys and JSON Lines name them. The computed
 * fields come after the tags, so that the columns files had before them keep their places.
 */
const MEMBER_COLUMN_KEYS = ['id', 'name', 'type', 'gender', 'city', 'member_level', 'phone', 'tags', ...COMPUTED_COLUMNS] as const;

/**
 * The member columns by name. The Chinese are those `tagbase import` and the console read as the
 * importer's own columns (编号 as id, 手机 as phone), so an exported file can be edited and imported;
 * the tags, the random bucket and the reachability (有手机号 …), which no import writes, it leaves
 * out (`isExportedOnlyColumn`).
 */
const MEMBER_COLUMN_NAMES: Readonly<Record<Locale, readonly string[]>> = {
  en: ['ID', 'Name', 'Type', 'Gender', 'City', 'Member level', 'Phone', 'Tags', ...COMPUTED_COLUMNS.map((field) => COMPUTED_FIELD_LABELS[field].en)],
  'zh-CN': ['编号', '姓名', '类型', '性别', '城市', '会员等级', '手机', '标签', ...COMPUTED_COLUMNS.map((field) => COMPUTED_FIELD_LABELS[field]['zh-CN'])],
};

function headerRow(catalog: WorkspaceCatalog, metricKeys: readonly string[], fieldKeys: readonly string[], namesIn: Locale | undefined): string[] {
  if (!namesIn) return [...MEMBER_COLUMN_KEYS, ...metricKeys, ...fieldKeys];
  const metricName = (key: string) => {
    const metric = catalog.metrics.find((candidate) => candidate.key === key);
    return (namesIn === 'en' ? metric?.name_en : undefined) ?? metric?.name ?? key;
  };
  // A custom field by the name the importer matches it by, which is one in both languages.
  const fieldName = (key: string) => (isExportField(key) ? EXPORT_FIELD_NAMES[key][namesIn] : (catalog.customFields.find((field) => field.key === key)?.name ?? key));
  return [...MEMBER_COLUMN_NAMES[namesIn], ...metricKeys.map(metricName), ...fieldKeys.map(fieldName)];
}

const EXPORT_BATCH = 2000;

export interface ExportMembersOptions {
  /** After each batch: the rows written so far, and how many of the members were read. */
  onRows?: (written: number, read: number) => void;
  /** A header of column names in this language, rather than keys. */
  namesIn?: Locale | undefined;
  /** The customers' fields to add after the metrics (`resolveFieldKeys`). */
  fieldKeys?: readonly string[] | undefined;
  /** The export log's entry of this export, which says once the file ends (or stops) the rows written and whether that was all. */
  loggedAs?: number | undefined;
}

/**
 * The members as a file, a batch of rows at a time, so a segment of a million customers
 * streams without being held in memory: CSV text, JSON Lines, or the bytes of a workbook. CSV
 * starts with a BOM so spreadsheet programs read the Chinese correctly; the header of CSV and
 * of a workbook names the columns by key unless `namesIn` asks for names, and then the tags
 * column speaks that language too (a model's tag in the catalog's English words).
 *
 * The members were counted before the first batch is read: one erased meanwhile is left out, and
 * so is one merged into another customer (its row would be the survivor's, a second time or with
 * none of its tags), so a row is written only for a customer still stored under its own record.
 */
export async function* exportMembers(
  context: WorkspaceContext,
  catalog: WorkspaceCatalog,
  ids: readonly number[],
  format: ExportFormat,
  metricKeys: readonly string[],
  options: ExportMembersOptions = {},
): AsyncGenerator<string | Uint8Array> {
  const { onRows, namesIn, loggedAs, fieldKeys = [] } = options;
  let written = 0;
  let read = 0;
  // A sheet headed for an English reader labels a model's tag in English too; one headed by keys,
  // and JSON Lines, are read by scripts and keep the stored names.
  const models = namesIn === 'en' && format !== 'jsonl' ? await listModels(context) : [];
  const batches = async function* () {
    for (const part of chunks([...ids], EXPORT_BATCH)) {
      const rows = await loadMemberRows(context, catalog, part, metricKeys, models, true, fieldKeys);
      written += rows.length;
      read += part.length;
      onRows?.(written, read);
      yield rows;
    }
  };
  const header = headerRow(catalog, metricKeys, fieldKeys, namesIn);
  // Read by people, the customer's type and gender are in their words too (个人, 女; Individual, Female), which an import reads back as the same.
  const cells = (row: MemberRow) => memberCells(row, metricKeys, fieldKeys, namesIn);
  // Read by people, times are on the workspace's clock, and dates and times date cells in a
  // workbook; scripts, and JSON Lines, keep ISO times in UTC.
  const kinds = namesIn !== undefined && format !== 'jsonl' ? timeColumnKinds(catalog, metricKeys, fieldKeys) : [];
  const sheetCells = (row: MemberRow): SheetCell[] => cells(row).map((value, index) => sheetTime(value, kinds[index], catalog.utcOffsetMinutes) ?? value);
  const csvCells = (row: MemberRow): AttributeValue[] =>
    cells(row).map((value, index) => {
      const time = sheetTime(value, kinds[index], catalog.utcOffsetMinutes);
      return time === undefined ? value : sheetTimeText(time);
    });
  // Left false by a reader that stops taking rows (a cancelled download) or a failure: the log says the export stopped.
  let completed = false;
  try {
    if (format === 'xlsx') {
      yield* writeXlsx(namesIn === 'zh-CN' ? '客户' : 'Customers', header, mapBatches(batches(), (rows) => rows.map(sheetCells)), kinds);
    } else {
      if (format === 'csv') yield '\uFEFF' + csvLine(header);
      for await (const rows of batches()) {
        yield format === 'jsonl' ? rows.map((row) => JSON.stringify(row) + '\n').join('') : rows.map((row) => csvLine(csvCells(row))).join('');
      }
    }
    completed = true;
  } finally {
    if (loggedAs !== undefined) await finishExport(context, loggedAs, written, completed ? 'completed' : 'stopped');
  }
}

async function* mapBatches<T, U>(batches: AsyncIterable<T>, map: (batch: T) => U): AsyncGenerator<U> {
  for await (const batch of batches) yield map(batch);
}

/**
 * Which columns of a member row hold a time (a timestamp metric, the first seen time) or a date
 * (a birthday, a custom date field), by the row's place; the fixed columns hold neither.
 */
function timeColumnKinds(catalog: WorkspaceCatalog, metricKeys: readonly string[], fieldKeys: readonly string[]): (SheetColumnKind | undefined)[] {
  const metricKind = (key: string) => (catalog.catalog.metrics.find((metric) => metric.key === key)?.type === 'timestamp' ? 'dateTime' : undefined);
  const fieldKind = (key: string): SheetColumnKind | undefined => {
    if (key === 'first_seen_at') return 'dateTime';
    if (key === 'birthday') return 'date';
    return !isExportField(key) && catalog.customFields.find((field) => field.key === key)?.type === 'date' ? 'date' : undefined;
  };
  return [...MEMBER_COLUMN_KEYS.map(() => undefined), ...metricKeys.map(metricKind), ...fieldKeys.map(fieldKind)];
}

/**
 * A time column's ISO time as the workspace's clock reads it (`utcOffsetMinutes` east of UTC), a
 * date column's `YYYY-MM-DD` as that day; undefined for any other cell, which stays as it is.
 */
function sheetTime(value: AttributeValue, kind: SheetColumnKind | undefined, utcOffsetMinutes: number): SheetTime | undefined {
  if (kind === undefined || typeof value !== 'string') return undefined;
  const ms = kind === 'date' ? (/^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : NaN) : Date.parse(value);
  if (Number.isNaN(ms)) return undefined;
  return kind === 'date' ? { wallClock: ms, withTime: false } : { wallClock: ms + utcOffsetMinutes * 60_000, withTime: true };
}

/** Yes and no as a file headed for people writes them, which an import reads back as true and false. */
const YES_NO: Readonly<Record<Locale, readonly [string, string]>> = { en: ['yes', 'no'], 'zh-CN': ['是', '否'] };

/** A customer's type and gender as a file headed for people writes them, the console's words (个人, Female), which an import reads back. */
const TYPE_WORDS: Readonly<Record<Locale, Readonly<Record<string, string>>>> = { en: CUSTOMER_TYPE_LABELS_EN, 'zh-CN': CUSTOMER_TYPE_LABELS };
const GENDER_WORDS: Readonly<Record<Locale, Readonly<Record<string, string>>>> = { en: GENDER_LABELS_EN, 'zh-CN': GENDER_LABELS };

function memberCells(row: MemberRow, metricKeys: readonly string[], fieldKeys: readonly string[], namesIn: Locale | undefined): AttributeValue[] {
  const reachable = (field: ReachabilityField) => (namesIn === undefined ? row[field] : YES_NO[namesIn][row[field] ? 0 : 1]);
  // A custom yes-or-no field in words too, for a file headed by names, as the reachability.
  const field = (key: string) => {
    const value = row.fields?.[key] ?? null;
    return namesIn !== undefined && typeof value === 'boolean' ? YES_NO[namesIn][value ? 0 : 1] : value;
  };
  return [
    row.id,
    row.name,
    namesIn === undefined ? row.type : inWords(TYPE_WORDS[namesIn], row.type),
    namesIn === undefined ? row.gender : inWords(GENDER_WORDS[namesIn], row.gender),
    row.city,
    row.member_level,
    row.phone,
    row.tags.join('; '),
    row.random_bucket,
    ...REACHABILITY_FIELDS.map(reachable),
    ...metricKeys.map((key) => row.metrics[key]),
    ...fieldKeys.map(field),
  ];
}

function inWords(labels: Readonly<Record<string, string>>, value: string | null): string | null {
  return value === null ? null : (labels[value] ?? value);
}

export function csvLine(cells: readonly AttributeValue[]): string {
  return cells.map(csvCell).join(',') + '\r\n';
}

/**
 * RFC 4180 quoting, and a leading apostrophe on text a spreadsheet would run as a formula
 * (`runsAsFormula`), which an import takes off again.
 */
export function csvCell(value: AttributeValue): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && runsAsFormula(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Merchant ids of the given internal ids, for the tagging calls that take them. */
export async function externalIdsOf(context: WorkspaceContext, ids: readonly number[]): Promise<string[]> {
  const customers = await loadCustomersById(context.store.db, ids);
  return [...new Set(ids.flatMap((id) => customers.get(id)?.external_id ?? []))];
}
