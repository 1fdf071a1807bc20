// The columns an operator adds to an export of members beyond its fixed ones: metrics and other
// customer fields (docs/api.md, `metrics=` and `fields=`), as kept between visits and as asked.
import { EXPORT_FIELD_KEYS, EXPORT_FIELD_NAMES, isExportField } from '../../../../../src/core/export-fields.js';
import { IDENTITY_KINDS } from '../../../../../src/core/customer.js';

export interface ExportColumns {
  metrics: string[];
  fields: string[];
}

export const NO_EXPORT_COLUMNS: ExportColumns = { metrics: [], fields: [] };

function keys(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return [...new Set(value.filter((item): item is string => typeof item === 'string' && item !== ''))];
}

/** A choice as kept in storage; anything unreadable (another version's, hand-edited) is no choice. */
export function readExportColumns(text: string | null): ExportColumns {
  if (text === null) return NO_EXPORT_COLUMNS;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null) return NO_EXPORT_COLUMNS;
    const { metrics, fields } = parsed as Record<string, unknown>;
    return { metrics: keys(metrics), fields: keys(fields) };
  } catch {
    return NO_EXPORT_COLUMNS;
  }
}

/** What an export's address adds for the choice: `&metrics=…&fields=…`, or nothing for none. */
export function exportColumnsQuery(columns: ExportColumns): string {
  const parts: string[] = [];
  if (columns.metrics.length > 0) parts.push(`&metrics=${encodeURIComponent(columns.metrics.join(','))}`);
  if (columns.fields.length > 0) parts.push(`&fields=${encodeURIComponent(columns.fields.join(','))}`);
  return parts.join('');
}

/**
 * The choice without what the workspace no longer has (a metric or custom field deleted since it
 * was made), which the server would refuse the whole export for. Lists not read yet keep it as it is.
 */
export function keepKnownColumns(columns: ExportColumns, metrics: readonly string[] | undefined, customFields: readonly string[] | undefined): ExportColumns {
  return {
    metrics: metrics === undefined ? columns.metrics : columns.metrics.filter((key) => metrics.includes(key)),
    fields: customFields === undefined ? columns.fields : columns.fields.filter((key) => isExportField(key) || customFields.includes(key)),
  };
}

/** The built-in fields and identities an export can add, each named as the file's column is headed. */
export function builtInExportFields(lang: string): { key: string; name: string; identity: boolean }[] {
  const identities: readonly string[] = IDENTITY_KINDS;
  return EXPORT_FIELD_KEYS.map((key) => ({ key, name: EXPORT_FIELD_NAMES[key][lang === 'en-US' ? 'en' : 'zh-CN'], identity: identities.includes(key) }));
}

/** A field an export added, by name: a built-in one as its column is headed, a custom one as the workspace names it, else its key. */
export function exportFieldName(key: string, lang: string, customFields: readonly { key: string; name: string }[] | undefined): string {
  if (isExportField(key)) return EXPORT_FIELD_NAMES[key][lang === 'en-US' ? 'en' : 'zh-CN'];
  return customFields?.find((field) => field.key === key)?.name ?? key;
}
