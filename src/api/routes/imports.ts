// Imports over HTTP, for the console's import page: the CSV or JSON Lines text of a file in
// one JSON body, with its columns optionally renamed to the importer's names, run through the
// same importer as `tagbase import`. Good rows land; bad ones come back with line and reason,
// the reason in the request's language.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { fieldError } from '../../core/errors.js';
import { localized } from '../../core/locale.js';
import { MAX_LISTED_REJECTIONS } from '../../core/import-columns.js';
import { TEMPLATE_FILE_FORMATS, importTemplate, templateFile } from '../../engine/import-template.js';
import { importRows, parseRows, withImporterColumns, wordRejectionsEverywhere } from '../../engine/imports.js';
import { contextOf, type AppOptions } from '../app.js';
import type { Answer } from '../openapi.js';
import { replyLocale } from '../locale.js';
import { attachment } from './member-export.js';
import { workspaceHeaders } from './shared.js';

export const IMPORT_BODY_LIMIT = 16 * 1024 * 1024;
/** The answer lists at most this many rejected rows; `rejected` counts them all. */

const importBody = z
  .object({
    text: z.string().min(1).describe('The file: CSV with a header row, or JSON Lines'),
    format: z.enum(['csv', 'jsonl']).default('csv'),
    columns: z
      .record(z.string().min(1).max(200), z.string().max(200))
      .optional()
      .describe('File column → importer column (`phone`, `custom.shoe_size`, `properties.amount` …); an empty name leaves the column out'),
  })
  .strict();

/** A template is a file (CSV by default, or a workbook) or, with `format=json`, JSON: the document lists all three. */
const TEMPLATE_ANSWER: Answer = {
  status: 200,
  description: 'The header row alone as a CSV file (`format=csv`, the default; UTF-8 with a byte-order mark) or an Excel workbook (`format=xlsx`), sent as an attachment; with `format=json`, `{name, header, example}`.',
  media: ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/json'],
  headers: { 'Content-Disposition': { type: 'string', description: 'For a file: `attachment`, with its name in ASCII and in UTF-8 (`filename*`).' } },
};

export const importRoutes: FastifyPluginAsyncZod<AppOptions> = async (app, options) => {
  app.get(
    '/imports/:kind/template',
    {
      config: { answers: [TEMPLATE_ANSWER] },
      schema: {
        tags: ['imports'],
        summary: 'The header row to fill in for an import, and an example row',
        description:
          "The columns an import of the kind reads, headed in the language of `Accept-Language` (Chinese: `编号, 姓名, 类型, 性别, …, 手机, 邮箱, 会员卡号`; English: the keys), a customers template's columns ending with the workspace's custom fields (in Chinese by the name an import reads as the field, otherwise by key). `format=csv` (UTF-8 with a byte-order mark) or `xlsx` is a file of the header row alone; `format=json` answers `{name, header, example}`, `example` one row that imports as it stands (an assignments example names the workspace's first manual tag, and is empty when it has none), for showing beside the download.",
        headers: workspaceHeaders,
        params: z.object({ kind: z.enum(['customers', 'events', 'assignments']) }),
        querystring: z.object({ format: z.enum([...TEMPLATE_FILE_FORMATS, 'json']).default('csv') }),
      },
    },
    async (request, reply) => {
      const context = await contextOf(request, options);
      const template = await importTemplate(context, request.params.kind, replyLocale(reply));
      const { format } = request.query;
      if (format === 'json') return template;
      attachment(reply, template.name, format, `${request.params.kind}-template`);
      return reply.send(await templateFile(template, format));
    },
  );

  app.post(
    '/imports/:kind',
    {
      bodyLimit: IMPORT_BODY_LIMIT,
      config: { rowsCheckedIn: 'text' },
      schema: {
        tags: ['imports'],
        summary: 'Import customers, events or assignments from CSV or JSON Lines text',
        description: `Columns as for \`tagbase import\`. Rows are written in transactions of 1,000; importing again is safe. Times without a zone (\`2026/6/1 20:15\`, \`2026-06-01 20:15:00\`) are read in the workspace's zone, as shop and spreadsheet exports write them. A column \`columns\` does not name is read as \`tagbase import\` reads it (\`手机\` as \`phone\`, a custom field's name as \`custom.KEY\`). Answers \`{rows, accepted, rejected, columns_read_as, columns_left_out, titles, rejections: [{line, code, reason, localized}], zoneless_times, utc_offset_minutes}\`, and for customers \`created\`, \`updated\` and \`unchanged\` (customers new to the workspace, those that were there and whose fields or identities the file changed, and those that were there and already held every field and identity the file gave them, which are not written again), \`repeated_ids\` (a warning: \`[{id, lines}]\`, each id on more than one row that landed, whose last row's values stand) and \`masked_identifiers\` (a warning: how many identifier cells were masked as an export for a role that masks them writes them, \`138****5678\` or \`z***@example.com\`, and left alone as if empty, the customer's stored identifiers unchanged), for events \`duplicates\` (rows that landed whose event was stored before, by its id or, without one, by what it says, and not stored again); for customers and events, when there are any, \`leading_zeros_lost\` (a warning: \`[{id, stored, line}]\`, each id of digits alone, such as \`12\`, that created a customer where one is stored under the same digits with leading zeros, \`00012\`, as a file re-saved by Excel writes them, with the first such row's line; what is created is unchanged; an assignment for such an id is refused naming the stored one); a file whose header takes two rows (a merged cell 联系方式 over 手机 and 邮箱 below it) is refused whole (\`VALIDATION_FAILED\`), as its second row would be read as a customer; \`zoneless_times\` and \`masked_identifiers\` count rows that landed; \`columns_left_out\` names the columns of a customers export that are not imported (its tags, random bucket and metrics), \`titles\` the title rows left out above a CSV header (\`[{row, text}]\`), listing at most ${MAX_LISTED_REJECTIONS} rejected rows, each \`reason\` in the language of \`Accept-Language\` and \`localized\` in every language (\`{en, zh-CN}\`). Bodies up to 16 MB.`,
        headers: workspaceHeaders,
        params: z.object({ kind: z.enum(['customers', 'events', 'assignments']) }),
        body: importBody,
      },
    },
    async (request, reply) => {
      const context = await contextOf(request, options);
      const { text, format, columns = {} } = request.body;
      const targets = Object.values(columns).filter(Boolean);
      const twice = targets.find((target, index) => targets.indexOf(target) !== index);
      if (twice !== undefined) throw fieldError('body', 'columns', localized(`two columns are mapped to "${twice}"`, `有两列都映射到了「${twice}」`));
      // A whole JSON array sent as JSON Lines would be rejected line by line, each `[` or `{`
      // unreadable; said once, with what to send instead, as `tagbase import` says it.
      if (format === 'jsonl' && /^\uFEFF?\s*\[/.test(text)) {
        throw fieldError('body', 'text', localized('holds one JSON array; JSON Lines is one object per line (jq -c \'.[]\' turns an array into lines)', '是一个 JSON 数组；JSON Lines 每行一个对象（jq -c \'.[]\' 可以把数组拆成行）'));
      }
      const readAs = new Map<string, string>();
      const leftOut = new Set<string>();
      let header: string[] | undefined;
      let titles: { row: number; text: string }[] = [];
      const rows = parseRows(text, format, { onHeader: (found) => (header = found), onTitles: (found) => (titles = found) });
      const result = await importRows(context, request.params.kind, withImporterColumns(context, request.params.kind, rows, columns, readAs, () => header, leftOut), { batchSize: 1000 });
      const { zonelessTimes, utcOffsetMinutes, customers, repeatedIds, maskedIdentifiers, duplicates, lostLeadingZeros, ...counts } = result;
      return {
        ...counts,
        ...customers,
        ...(repeatedIds ? { repeated_ids: repeatedIds.slice(0, MAX_LISTED_REJECTIONS) } : {}),
        ...(request.params.kind === 'customers' ? { masked_identifiers: maskedIdentifiers } : {}),
        ...(duplicates === undefined ? {} : { duplicates }),
        ...(lostLeadingZeros ? { leading_zeros_lost: lostLeadingZeros.slice(0, MAX_LISTED_REJECTIONS) } : {}),
        columns_read_as: Object.fromEntries(readAs),
        columns_left_out: [...leftOut],
        titles,
        rejections: wordRejectionsEverywhere(result.rejections.slice(0, MAX_LISTED_REJECTIONS), replyLocale(reply)),
        zoneless_times: zonelessTimes,
        utc_offset_minutes: utcOffsetMinutes,
      };
    },
  );
};
