// Turns a row of an import file into the input the engine takes. CSV cells are text, so
// identity columns become identities, `custom.*` columns are converted to their declared
// type, and `properties.*` columns are read as JSON scalars when they look like one.
import { createHash } from 'node:crypto';
import { canonicalJson } from '../core/canonical-json.js';
import { BUILTIN_FIELDS, BUILTIN_FIELD_KEYS, IDENTITY_KINDS, type CustomFieldDefinition, type IdentityKind } from '../core/customer.js';
import { BUILTIN_EVENT_PROPERTY_TYPES } from '../core/event-properties.js';
import type { AttributeType } from '../core/expression/index.js';
import { EARLIEST_TIME, readImportTime, spreadsheetDate } from '../core/time.js';
import { isMaskedIdentity } from '../core/access.js';
import { duplicateJsonKeys } from '../core/json-duplicate-keys.js';
import { namedSteps } from '../core/storable-text.js';
import type { ImportKind } from '../core/import-columns.js';
import type { RowProblem } from './import-reasons.js';

export type { ImportKind } from '../core/import-columns.js';

export interface AssignmentRow {
  customer_id: string;
  tag: string;
  value: string;
  expires_at?: string | undefined;
  /** `expires_at` as the file wrote it, to quote back. */
  expiresAtWritten?: string | undefined;
}

/** A row in the shape the engine takes, or why it cannot be put in that shape. */
export type MappedRow<T> = { value: T; problem?: undefined } | { problem: RowProblem; value?: undefined };

const IDENTITY_SET = new Set<string>(IDENTITY_KINDS);
const BUILTIN_SET = new Set<string>(['id', ...BUILTIN_FIELD_KEYS, 'identities', 'custom']);

/**
 * A number as shop exports and spreadsheets write one: `1,299.00`, `¥199`, `￥1,299`, `199元`,
 * `-12.5`. Thousands separators must group by three, so `1,5` is not read as anything.
 */
export function spreadsheetNumber(text: string): number | undefined {
  const match = /^\s*(-)?\s*(?:[¥￥$]\s*)?(-)?(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*(?:元)?\s*$/.exec(text);
  if (!match || (match[1] && match[2])) return undefined;
  const number = Number(`${match[1] ?? match[2] ?? ''}${(match[3] ?? '').replaceAll(',', '')}${match[4] ?? ''}`);
  return Number.isFinite(number) ? number : undefined;
}

/** Excel's day 0: a date cell holds the days since, shown as a date only when formatted as one. */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

/**
 * The date of an Excel serial number (45123 → 2023-07-16), as a date cell formatted as a number
 * (or saved so as CSV) shows it; undefined for text that is no such number. Only whole numbers
 * from 3000 to 99999 (1908-03-18 to 2173-10-14): a smaller number may be a year (`1990`), which
 * is left to be refused as written, and a larger one is no date a customer field means.
 */
export function excelSerialDate(text: string): string | undefined {
  if (!/^\s*\d{4,5}\s*$/.test(text)) return undefined;
  const days = Number(text);
  if (days < 3000) return undefined;
  return new Date(EXCEL_EPOCH_MS + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The time of an Excel serial number with its fraction of a day (45291.75 → `2023-12-31 18:00:00`),
 * as a time cell formatted as a number (or saved so as CSV) shows it: the wall-clock time the
 * sheet meant, to the second, without a zone; a whole number is its day alone (`2023-12-31`), so
 * that a time column reads it as a date written alone (its start, or the whole of it for an
 * expiry). Undefined for text that is no such number: the whole days as `excelSerialDate` reads them.
 */
export function excelSerialTime(text: string): string | undefined {
  const match = /^\s*(\d{4,5})(\.\d+)?\s*$/.exec(text);
  if (!match || Number(match[1]) < 3000) return undefined;
  // A CSV holds the serial as the cell showed it, to about ten digits: a second is the finest it means.
  const seconds = Math.round(Number(`${match[1] ?? ''}${match[2] ?? ''}`) * 86_400);
  const iso = new Date(EXCEL_EPOCH_MS + seconds * 1000).toISOString();
  return seconds % 86_400 === 0 && Number(match[2] ?? 0) === 0 ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

/** A date cell as `YYYY-MM-DD` where it is one as spreadsheets write it (`spreadsheetDate`, `excelSerialDate`); otherwise as written, for the engine to refuse. */
function dateCell(text: string): string {
  return excelSerialDate(text) ?? spreadsheetDate(text);
}

function convertCell(value: unknown, field: CustomFieldDefinition | undefined): unknown {
  if (typeof value !== 'string' || !field) return value;
  switch (field.type) {
    case 'number':
      return spreadsheetNumber(value) ?? value;
    case 'date':
      return dateCell(value);
    case 'boolean':
      if (['true', '1', 'yes', '是'].includes(value.toLowerCase())) return true;
      if (['false', '0', 'no', '否'].includes(value.toLowerCase())) return false;
      return value;
    default:
      return value;
  }
}

/**
 * How an import reads times without a zone: in the workspace's, counting them so that the
 * importer can say so; and the masked identifiers it leaves alone, counted likewise.
 */
export interface ImportZone {
  /** The workspace's offset, minutes east of UTC. */
  readonly utcOffsetMinutes: number;
  /** Times read without a zone so far. */
  zonelessTimes: number;
  /** Identifier cells (or values of one) left alone so far, as masked (`isMaskedIdentity`). */
  maskedIdentifiers: number;
}

/**
 * A time cell as UTC ISO 8601 (see `readImportTime`; an Excel serial as `excelSerialTime` reads it), a date alone its day's start or, with `end`
 * (an expiry), the whole of that day; what is not a time is left for the engine to refuse.
 */
function timeCell(value: unknown, zone: ImportZone, edge: 'start' | 'end' = 'start'): unknown {
  if (typeof value !== 'string') return value;
  // A time cell formatted as a number, as Excel's serial (45291.75): read as the time it shows.
  const read = readImportTime(excelSerialTime(value) ?? value, zone.utcOffsetMinutes, edge);
  if (!read) return value;
  if (!read.zoned) zone.zonelessTimes++;
  // A time too early to keep goes on as written (with its offset), so that its refusal names the
  // year of the cell: 1800/1/1 is 1799-12-31 in UTC. Compared as instants: the whole of
  // 9999-12-31 west of UTC ends in the year 10000, written +010000-01-01, which as text sorts first.
  return Date.parse(read.iso) < Date.parse(EARLIEST_TIME) ? read.local : read.iso;
}

/** A number as Excel writes a long one in a General cell saved as CSV (`1.38001E+10`): its last digits are gone. */
const SCIENTIFIC_NOTATION = /^\d+(?:\.\d+)?E\+\d+$/i;

/** The importer's columns of a kind that name a customer or hold an identifier: digits a spreadsheet may write in scientific notation. */
const ID_COLUMNS: Readonly<Record<ImportKind, readonly string[]>> = {
  customers: ['id', ...IDENTITY_KINDS],
  events: ['customer_id'],
  assignments: ['customer_id'],
};

/**
 * The cells of a record (under the importer's columns) that name a customer or hold an
 * identifier written in scientific notation (`1.38001E+10`, of an identity column one of the
 * values it separates with `|`; of a JSON line's `identities`, an entry's value, named by its path
 * `identities.1`): their digits are lost, and read as written they would stand for nobody, or for
 * a customer created under them. Each column or entry once, with the value as written.
 */
export function scientificNotationCells(kind: ImportKind, record: Readonly<Record<string, unknown>>): { column: string; found: string }[] {
  const cells = ID_COLUMNS[kind].flatMap((column) => {
    const cell = record[column];
    if (typeof cell !== 'string') return [];
    const values = column === 'id' || column === 'customer_id' ? [cell] : cell.split('|');
    const found = values.map((value) => value.trim()).find((value) => SCIENTIFIC_NOTATION.test(value));
    return found === undefined ? [] : [{ column, found }];
  });
  if (kind !== 'customers' || !Array.isArray(record.identities)) return cells;
  const entries = (record.identities as unknown[]).flatMap((identity, position) => {
    if (typeof identity !== 'object' || identity === null) return [];
    const { kind: identityKind, value } = identity as { kind?: unknown; value?: unknown };
    if (typeof identityKind !== 'string' || !IDENTITY_SET.has(identityKind) || typeof value !== 'string') return [];
    const found = value.trim();
    return SCIENTIFIC_NOTATION.test(found) ? [{ column: `identities.${position}`, found }] : [];
  });
  return [...cells, ...entries];
}

/**
 * A customer record from CSV columns or a JSON line, in the shape of CustomerInput; times
 * without a zone are in the workspace's.
 */
export function mapCustomerRecord(record: Record<string, unknown>, fields: ReadonlyMap<string, CustomFieldDefinition>, zone: ImportZone): Record<string, unknown> {
  const customer: Record<string, unknown> = {};
  const identities: unknown[] = Array.isArray(record.identities) ? [...(record.identities as unknown[])] : [];
  const custom: Record<string, unknown> = typeof record.custom === 'object' && record.custom !== null ? { ...(record.custom as Record<string, unknown>) } : {};
  for (const [column, value] of Object.entries(record)) {
    if (column === 'identities' || column === 'custom') continue;
    if (IDENTITY_SET.has(column)) {
      const values = typeof value === 'string' ? value.split('|').map((v) => v.trim()).filter(Boolean) : [value];
      const kept = values.filter((item) => !(typeof item === 'string' && isMaskedIdentity(column as IdentityKind, item)));
      // An export for a role that masks identifiers writes 138****5678: left alone, as an empty cell is.
      if (kept.length < values.length) zone.maskedIdentifiers++;
      for (const item of kept) identities.push({ kind: column as IdentityKind, value: item });
    } else if (column.startsWith('custom.')) {
      const key = column.slice('custom.'.length);
      custom[key] = convertCell(value, fields.get(key));
    } else if (column === 'first_seen_at') {
      customer[column] = timeCell(value, zone);
    } else if (BUILTIN_SET.has(column)) {
      customer[column] = BUILTIN_FIELDS[column as keyof typeof BUILTIN_FIELDS] === 'date' && typeof value === 'string' ? dateCell(value) : value;
    } else {
      custom[column] = convertCell(value, fields.get(column));
    }
  }
  const unmasked = identities.filter((identity) => !isMaskedEntry(identity));
  zone.maskedIdentifiers += identities.length - unmasked.length;
  if (unmasked.length > 0) customer.identities = unmasked;
  if (Object.keys(custom).length > 0) customer.custom = custom;
  return customer;
}

/** An entry of a JSON line's `identities` that is masked (`{"kind": "phone", "value": "138****5678"}`). */
function isMaskedEntry(identity: unknown): boolean {
  if (typeof identity !== 'object' || identity === null) return false;
  const { kind, value } = identity as { kind?: unknown; value?: unknown };
  return typeof kind === 'string' && IDENTITY_SET.has(kind) && typeof value === 'string' && isMaskedIdentity(kind as IdentityKind, value);
}

/**
 * Why JSON that `text` writes and that parsed to `parsed` is refused, when it gives a key twice in
 * one object (the API refuses such a body): the first such key at its place, within the column
 * `cell` when a cell holds the JSON, or where on the line both writings begin when `text` is a
 * JSON line of the file. Costs a pass over the text and one over the value when none is.
 */
export function duplicateKeyProblem(text: string, parsed: unknown, cell?: string): RowProblem | undefined {
  const [first, ...others] = duplicateJsonKeys(text, parsed);
  if (first === undefined) return undefined;
  const path = namedSteps(first.place).join('.');
  // A JSON line has no line break: its columns are the file's. A cell's are not.
  const where = cell === undefined ? { column: first.column, firstColumn: first.firstColumn } : { cell };
  return { reason: 'duplicate_key', params: { path, key: first.key, ...where, more: others.length } };
}

/**
 * A `properties.NAME` cell as JSON would have it: a number, a boolean, an object or array, or
 * text. Digits that a number would not keep as written (an order number "00123", or one of 19
 * digits) stay text, as does any cell of a built-in property that is text (`order_id`, `sku`);
 * a built-in number (`amount`, `price`) may carry a currency sign and thousands separators.
 */
function jsonScalar(text: unknown, type: AttributeType | undefined, column: string): MappedRow<unknown> {
  if (typeof text !== 'string' || type === 'string') return { value: text };
  // A built-in amount or count: written as the shop's export writes it (`¥1,299.00`).
  if (type === 'number') return { value: spreadsheetNumber(text) ?? text };
  if (/^-?\d+(\.\d+)?$/.test(text)) return { value: keepsDigits(text) ? Number(text) : text };
  if (text === 'true' || text === 'false') return { value: text === 'true' };
  if (/^[[{]/.test(text)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return { value: text };
    }
    // JSON that gives a key twice is refused with its row, as the `properties` column's is.
    const twice = duplicateKeyProblem(text, parsed, column);
    return twice ? { problem: twice } : { value: parsed };
  }
  return { value: text };
}

/** Whether a cell of digits means the number it reads as: not "00123", nor more digits than a number keeps. */
function keepsDigits(text: string): boolean {
  const whole = text.replace(/^-/, '').split('.')[0] ?? '';
  return !(whole.length > 1 && whole.startsWith('0')) && Number.isSafeInteger(Number(whole));
}

/**
 * An event record: `properties` may be a JSON string (CSV) and `properties.x` columns add to
 * it; an `occurred_at` without a zone is in the workspace's.
 */
export function mapEventRecord(record: Record<string, unknown>, zone: ImportZone): MappedRow<Record<string, unknown>> {
  const event: Record<string, unknown> = {};
  let properties: Record<string, unknown> = {};
  const builtinTypes = typeof record.type === 'string' && Object.hasOwn(BUILTIN_EVENT_PROPERTY_TYPES, record.type) ? BUILTIN_EVENT_PROPERTY_TYPES[record.type] : undefined;
  for (const [column, value] of Object.entries(record)) {
    if (column === 'properties') {
      if (typeof value === 'string') {
        let parsed: unknown;
        try {
          parsed = JSON.parse(value);
        } catch {
          return { problem: { reason: 'properties_invalid_json', params: {} } };
        }
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { problem: { reason: 'properties_not_object', params: {} } };
        const twice = duplicateKeyProblem(value, parsed, 'properties');
        if (twice) return { problem: twice };
        properties = { ...properties, ...(parsed as Record<string, unknown>) };
      } else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
        properties = { ...properties, ...(value as Record<string, unknown>) };
      } else {
        return { problem: { reason: 'properties_not_object', params: {} } };
      }
    } else if (column.startsWith('properties.')) {
      const name = column.slice('properties.'.length);
      const scalar = jsonScalar(value, builtinTypes?.[name], column);
      if (scalar.problem) return scalar;
      properties[name] = scalar.value;
    } else if (column === 'occurred_at') {
      event[column] = timeCell(value, zone);
    } else {
      event[column] = value;
    }
  }
  if (Object.keys(properties).length > 0) event.properties = properties;
  if (event.id === undefined) event.id = contentKey(event);
  return { value: event };
}

/**
 * The id of an event row that has none, from what it says: its customer, type, time and
 * properties. A generated id would store the row again each time the file is imported, and
 * count its order twice; two rows saying exactly the same are one event.
 */
function contentKey(event: Record<string, unknown>): string {
  const { customer_id, type, occurred_at, properties } = event;
  return `import:${createHash('sha256').update(canonicalJson([customer_id, type, occurred_at, properties ?? {}])).digest('hex')}`;
}

/**
 * An assignment row, or why it is not one; an `expires_at` without a zone is in the workspace's,
 * and a date alone (有效期至 2026/12/31) lasts the whole of that day there.
 */
export function mapAssignmentRecord(record: Record<string, unknown>, zone: ImportZone): MappedRow<AssignmentRow> {
  const { customer_id, tag, value, expires_at, ...rest } = record;
  const extra = Object.keys(rest);
  if (extra.length > 0) return { problem: { reason: 'unknown_columns', params: { columns: extra } } };
  for (const [name, cell] of Object.entries({ customer_id, tag, value })) {
    if (typeof cell !== 'string' || cell.trim() === '') return { problem: { reason: 'required', params: { column: name } } };
  }
  if (expires_at !== undefined && typeof expires_at !== 'string') return { problem: { reason: 'expires_at_not_time', params: { column: 'expires_at', found: JSON.stringify(expires_at) } } };
  return { value: { customer_id: String(customer_id), tag: String(tag), value: String(value), expires_at: timeCell(expires_at, zone, 'end') as string | undefined, expiresAtWritten: expires_at } };
}
