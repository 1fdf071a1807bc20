// Streaming customers out as a file (a segment, a snapshot, the customers of a tag transition):
// logged in the export log before the first row, for export control, then CSV or JSON Lines.
import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { calendarDate } from '../../core/expression/time-window.js';
import { EXPORT_FIELD_KEYS } from '../../core/export-fields.js';
import { downloadFileName } from '../../core/file-name.js';
import type { WorkspaceCatalog } from '../../engine/catalog.js';
import { actorName, type WorkspaceContext } from '../../engine/context.js';
import { logExport, type ExportEntry } from '../../engine/export-log.js';
import { workspaceUtcOffset } from '../../engine/metrics.js';
import { EXPORT_FORMATS, EXPORT_HEADERS, assertExportable, exportMembers, resolveFieldKeys, resolveMetricKeys, type ExportFormat } from '../../engine/segment-members.js';
import { replyLocale } from '../locale.js';

export const metricList = z
  .string()
  .max(2000)
  .optional()
  .describe('Comma-separated metric keys or names to include, e.g. `spend_365d,orders_total`')
  .transform((text) => (text ?? '').split(',').map((name) => name.trim()).filter(Boolean));

export const fieldList = z
  .string()
  .max(2000)
  .optional()
  .describe(`Comma-separated customer fields to add after the metrics, by key: ${EXPORT_FIELD_KEYS.map((key) => `\`${key}\``).join(', ')}, or a custom field's key or name (\`鞋码\`). A birthday or custom date as \`YYYY-MM-DD\`, \`first_seen_at\` as an ISO time in UTC (by \`names\`, on the workspace's clock: \`2026-12-01 00:00:00\`, a date-and-time cell in a workbook), an identity the customer's first of its kind, masked as \`phone\` is for a role that sees personal data masked. JSON Lines carries them under \`fields\`; by \`names\`, the header names them as the importer reads them (\`生日\`, \`邮箱\`), so the file imports again`)
  .transform((text) => (text ?? '').split(',').map((name) => name.trim()).filter(Boolean));

export const exportQuery = z.object({
  format: z.enum(EXPORT_FORMATS).default('csv'),
  metrics: metricList,
  fields: fieldList,
  header: z.enum(EXPORT_HEADERS).default('keys').describe('How the header row of CSV or a workbook names the columns: `keys` (`id`, `member_level`, `spend_365d`), or `names` in the language of `Accept-Language` (`编号`, `会员等级`, `近365天消费额`), which then labels a model\'s tag in the tags column in that language too (`RFM level: Important value`)'),
});

export const EXPORT_MEDIA_TYPES: Readonly<Record<ExportFormat, string>> = {
  csv: 'text/csv; charset=utf-8',
  jsonl: 'application/x-ndjson; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/**
 * `Content-Disposition` with an ASCII fallback and the UTF-8 name, so 高价值人群.csv survives;
 * without the marks that set the direction of text, which could show another extension. A
 * name beyond ASCII falls back on `asciiName` (`segment-vip-2026-12-06`) for the tools that read
 * no `filename*` (`curl -OJ`, some mail gateways), which saved 高价值人群.csv as `_____.csv`.
 */
export function attachment(reply: FastifyReply, name: string, format: ExportFormat, asciiName = 'export'): void {
  const file = downloadFileName(`${name}.${format}`);
  const ascii = (/^[\x20-\x7e]*$/.test(file) ? file : `${asciiName}.${format}`).replace(/[^\w.-]/g, '_');
  reply.header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${extendedValue(file)}`);
  reply.type(EXPORT_MEDIA_TYPES[format]);
}

/** A key as a file's ASCII name may carry it: as it is when it is ASCII letters, digits, `_` and `-`, otherwise the record's id. */
export function asciiKey(key: string, id: number): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? key : String(id);
}

/** Today in the workspace's zone (`2026-12-06`), which the ASCII name of an export ends with. */
export async function exportDay(context: WorkspaceContext): Promise<string> {
  return calendarDate(context.now().getTime(), await workspaceUtcOffset(context));
}

/**
 * A name as RFC 8187 writes it: percent-encoded UTF-8 of everything but its attr-chars.
 * `encodeURIComponent` leaves `'`, `(`, `)` and `*` as they are, which that grammar does not
 * allow (the `'` ends the charset's part), so a strict reader refused the whole header of a
 * segment named `VIP (上海)` or `Bob's`.
 */
function extendedValue(text: string): string {
  return encodeURIComponent(text).replace(/['()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Logs the export, then streams every customer of `ids` still stored under its own record as the file `name`. */
export async function streamMembers(
  context: WorkspaceContext,
  reply: FastifyReply,
  catalog: WorkspaceCatalog,
  ids: readonly number[],
  name: string,
  query: z.infer<typeof exportQuery>,
  exported: Pick<ExportEntry, 'source' | 'target'>,
  /** The file's name in ASCII, for the tools that read no `filename*`, when `name` is beyond ASCII. */
  asciiName?: string,
) {
  const metricKeys = resolveMetricKeys(catalog, query.metrics);
  const fieldKeys = resolveFieldKeys(catalog, query.fields);
  assertExportable(query.format, ids.length);
  // A HEAD (a link checker, a client asking how many first) takes no customer out: the headers alone, not logged.
  const rowsSent = reply.request.method !== 'HEAD';
  const loggedAs = rowsSent ? await logExport(context, { ...exported, actor: actorName(context), format: query.format, rows: ids.length, metrics: metricKeys, fields: fieldKeys }) : undefined;
  attachment(reply, name, query.format, asciiName);
  // The members when the export began: one erased or merged away while the rows are read is left out of them.
  reply.header('x-tagbase-members', String(ids.length));
  if (!rowsSent) return reply.send();
  return reply.send(Readable.from(exportMembers(context, catalog, ids, query.format, metricKeys, { namesIn: query.header === 'names' ? replyLocale(reply) : undefined, loggedAs, fieldKeys })));
}
