// Segments (人群) over HTTP: counting an expression as it is typed, previewing and exporting
// its members, saved segments with snapshots, overlaps, and tagging everyone in a segment.
import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { fieldError, jsonPointer, TagbaseError } from '../../core/errors.js';
import { LOCALES, localized, type Locale } from '../../core/locale.js';
import { assertMaskedReads } from '../../core/masked-asks.js';
import type { BoundExpression } from '../../core/expression/index.js';
import { printString } from '../../core/expression/printer.js';
import { loadWorkspaceCatalog } from '../../engine/catalog.js';
import { searchCustomerIds } from '../../engine/customers.js';
import type { WorkspaceContext } from '../../engine/context.js';
import { MAX_LISTED_EXPORTS, listExports } from '../../engine/export-log.js';
import { loadMemberRows, parseMemberSort, resolveMetricKeys } from '../../engine/segment-members.js';
import {
  compileAsked,
  compileSavedSegment,
  createSegment,
  DEFAULT_SNAPSHOT_PAGE,
  deleteSegment,
  deleteSnapshot,
  getSegment,
  listSegments,
  listSnapshots,
  loadSegmentScope,
  MAX_SNAPSHOT_PAGE,
  overlapOf,
  segmentInputSchema,
  segmentRow,
  segmentPatchSchema,
  segmentsNotFound,
  SNAPSHOT_PARTS,
  compareSnapshot,
  snapshotPartMembers,
  takeSnapshot,
  updateSegment,
  type Audience,
  type SegmentScope,
} from '../../engine/segments.js';
import { DEFAULT_MIN_MEMBERS, segmentInsight } from '../../engine/segment-insight.js';
import { countMatched, countedSegment } from '../../engine/segment-count.js';
import { MAX_SIZE_DAYS, segmentSizeHistory } from '../../engine/segment-sizes.js';
import { DEFAULT_PROFILE_METRICS, MAX_PROFILE_METRICS } from '../../engine/tag-profile.js';
import { MAX_BULK_TAGGING } from '../../engine/tagging.js';
import { assertBrowsable } from '../access.js';
import { contextOf, taggingSourceOf, type AppOptions } from '../app.js';
import { requestLocale } from '../locale.js';
import { toProblem } from '../problems.js';
import { assertMatch, type Conditional } from '../conditional.js';
import { asciiKey, exportDay, exportQuery, metricList, streamMembers } from './member-export.js';
import { ASSIGNING_NEEDS_A_VALUE, REMOVING_TAKES_NO_EXPIRY, assigningHasValue, removingHasNoExpiry, tagEveryone, tagEveryoneFields } from './tag-everyone.js';
import { idParameter, numberParameter, workspaceHeaders } from './shared.js';
import { ETAG_NOTE, IF_MATCH_DELETE_NOTE, IF_MATCH_NOTE, MEMBER_EXPORT, NO_CONTENT, created } from '../openapi.js';
import { sendCreated } from '../location.js';

const expressionBody = z.strictObject({ expression: z.string().trim().min(1).max(8000).describe('A segment expression, e.g. `city in ("广州", "深圳") and spend_365d >= 1000`') });
const segmentParams = z.object({ segment: z.string().min(1).max(128) });
const snapshotParams = segmentParams.extend({ snapshot: idParameter });
const memberQuery = z.object({
  limit: numberParameter(z.number().int().min(1).max(500).default(20)),
  offset: numberParameter(z.number().int().min(0).max(10_000_000).default(0)),
  sort: z.string().max(200).optional().describe('A field or metric: `spend_365d` ascending, `-spend_365d` or `spend_365d:desc` descending'),
  metrics: metricList,
});

const insightQuery = z.object({
  metrics: metricList,
  // At least 1: a value no member holds never ranks its tag, whatever is asked.
  min_members: numberParameter(z.number().int().min(1).max(100_000_000).default(DEFAULT_MIN_MEMBERS)).describe(
    `A value fewer of the segment's members hold than this does not rank its tag (it is still listed); 1–100,000,000, ${String(DEFAULT_MIN_MEMBERS)} by default`,
  ),
});
const INSIGHT_DESCRIPTION = `What sets the customers apart: every active tag the caller may see, each value with how many members hold it (\`members\`), their \`share\` of the members, the holders' \`population_share\` of everyone and \`tgi\` = 100 × share / population_share, rounded (null when nobody holds the value or the segment is empty); tags ranked by their largest |tgi − 100| among the values at least \`min_members\` members hold, values in the tag's order. Then each metric's sum, mean, median and quartiles (\`p25\`, \`p75\`; as a spreadsheet's MEDIAN and QUARTILE.INC, interpolating between the closest ranks) among the members and among everyone: number metrics only, at most ${String(MAX_PROFILE_METRICS)}; by default ${DEFAULT_PROFILE_METRICS.map((key) => `\`${key}\``).join(', ')}. From the in-memory index.`;

/** A segment's ETag leaves out the time its count took, measured anew on every call. */
const SEGMENT_TAGGED: Conditional = { volatile: ['took_ms'] };

interface Resolved {
  bound: BoundExpression;
  scope: SegmentScope;
}

export const segmentRoutes: FastifyPluginAsyncZod<AppOptions> = async (app, options) => {
  const audience: Audience = options.audience;

  async function adHoc(context: WorkspaceContext, expression: string): Promise<Resolved> {
    const scope = await loadSegmentScope(context);
    return { bound: compileAsked(context, scope, expression).bound, scope };
  }

  async function saved(context: WorkspaceContext, segment: string): Promise<Resolved & { key: string; name: string; id: number }> {
    const compiled = await compileSavedSegment(context, segment);
    return { bound: compiled.bound, scope: compiled.scope, key: compiled.segment.key, name: compiled.segment.name, id: compiled.id };
  }

  const count = (context: WorkspaceContext, resolved: Resolved) => countMatched(context, audience, resolved);

  /**
   * A saved segment as `GET /segments/{segment}` answers it, in a language. One whose expression
   * no longer reads (a tag it names was archived, say) is still answered, with the problem in
   * the language asked, so that whoever reads it can see what to mend.
   */
  async function savedSegment(context: WorkspaceContext, keyOrName: string, instance: string): Promise<(locale: Locale) => object> {
    const segment = await getSegment(context, keyOrName);
    try {
      const counted = await countedSegment(context, audience, segment.key);
      return () => counted;
    } catch (error) {
      if (!(error instanceof TagbaseError) || !error.code.startsWith('EXPRESSION_')) throw error;
      const population = await audience.population(context);
      return (locale) => ({ ...segment, count: null, population, took_ms: null, problem: toProblem(error, instance, locale) });
    }
  }

  async function preview(request: FastifyRequest, context: WorkspaceContext, resolved: Resolved, query: z.infer<typeof memberQuery>) {
    assertBrowsable(request, query);
    const catalog = resolved.scope.catalog;
    const sort = parseMemberSort(catalog, query.sort);
    assertMaskedReads(context.personalData, sort?.source === 'metric' ? [sort.key] : [], catalog.metrics, 'sort');
    const metricKeys = resolveMetricKeys(catalog, query.metrics);
    if (sort?.source === 'metric' && !metricKeys.includes(sort.key)) metricKeys.push(sort.key);
    const page = await audience.page(context, resolved.bound, resolved.scope, { offset: query.offset, limit: query.limit, sort });
    return { total: page.total, offset: query.offset, limit: query.limit, items: await loadMemberRows(context, catalog, page.ids, metricKeys) };
  }

  // ------------------------------------------------------------ ad-hoc expressions
  app.post(
    '/segments/count',
    {
      schema: {
        tags: ['segments'],
        summary: 'Count the customers an expression matches',
        description: 'Answers from the in-memory bitmap index, typically in well under a millisecond; `took_ms` is the time the count itself took. Bad expressions answer 400 with the line, column, what was found and expected, and a suggestion.',
        headers: workspaceHeaders,
        body: expressionBody,
      },
    },
    async (request) => {
      const context = await contextOf(request, options);
      return count(context, await adHoc(context, request.body.expression));
    },
  );

  app.post(
    '/segments/preview',
    {
      schema: {
        tags: ['segments'],
        summary: 'A page of the customers an expression matches',
        description: 'Sorted by a field or metric (`sort=-spend_365d`), missing values last; each row has the customer’s tags as 「name: value」 and the requested metrics.',
        headers: workspaceHeaders,
        querystring: memberQuery.extend({ q: z.string().trim().max(256).optional().describe('Only customers a search finds as well (`GET /customers?q=`: a name substring or its pinyin, the merchant id, or an identity)') }),
        body: expressionBody,
      },
    },
    async (request) => {
      const context = await contextOf(request, options);
      const resolved = await adHoc(context, request.body.expression);
      const q = request.query.q;
      if (!q) return preview(request, context, resolved, request.query);
      // Checked alone first, so that a mistake is reported where the operator wrote it. The
      // search finds names in the index, as the customer list's does.
      const found = await searchCustomerIds(context, q, audience);
      const within = compileAsked(context, resolved.scope, found.length === 0 ? 'id missing' : `id in (${found.map(printString).join(', ')})`);
      // Joined as trees, not as text: the expression keeps its own comments, and the search adds no
      // level of nesting to one as deep as the language allows.
      return preview(request, context, { bound: { kind: 'and', operands: [resolved.bound, within.bound], span: resolved.bound.span }, scope: resolved.scope }, request.query);
    },
  );

  app.post(
    '/segments/export',
    {
      config: MEMBER_EXPORT,
      schema: {
        tags: ['segments'],
        summary: 'Export the customers an expression matches',
        description: 'Streams CSV (UTF-8 with BOM, for spreadsheets), JSON Lines or an Excel workbook, as `format` asks; the `X-Tagbase-Members` header says how many rows follow.',
        headers: workspaceHeaders,
        querystring: exportQuery,
        body: expressionBody,
      },
    },
    async (request, reply) => {
      const context = await contextOf(request, options);
      const resolved = await adHoc(context, request.body.expression);
      const ids = await audience.members(context, resolved.bound, resolved.scope);
      return streamMembers(context, reply, resolved.scope.catalog, ids, 'segment', request.query, { source: 'expression', target: request.body.expression });
    },
  );

  app.post(
    '/segments/overlap',
    {
      schema: {
        tags: ['segments'],
        summary: 'How two or three saved segments overlap',
        description: 'Sizes of each segment, of every region of the Venn diagram (customers in exactly those segments), of the intersection and of the union.',
        headers: workspaceHeaders,
        body: z.strictObject({ segments: z.array(z.string().min(1).max(128)).min(2).max(3) }),
      },
    },
    async (request) => {
      const context = await contextOf(request, options);
      const named = [];
      // Every segment that does not exist is named in one problem, not only the first.
      const missing: { index: number; segment: string; error: TagbaseError }[] = [];
      // So is every one that no longer reads: its expression's problem alone would say neither which nor that its line is of that expression.
      const unreadable: { index: number; segment: string; error: TagbaseError }[] = [];
      for (const [index, segment] of request.body.segments.entries()) {
        let resolved;
        try {
          resolved = await saved(context, segment);
        } catch (error) {
          if (error instanceof TagbaseError && error.code === 'SEGMENT_NOT_FOUND') {
            missing.push({ index, segment, error });
            continue;
          }
          if (error instanceof TagbaseError && error.code.startsWith('EXPRESSION_')) {
            unreadable.push({ index, segment, error });
            continue;
          }
          throw error;
        }
        if (missing.length === 0 && unreadable.length === 0) named.push({ key: resolved.key, members: await audience.members(context, resolved.bound, resolved.scope) });
      }
      if (missing.length > 0) throw segmentsNotFound(missing);
      const [broken] = unreadable;
      if (broken !== undefined) {
        const rows = await listSegments(context);
        const said = unreadable.map(({ index, segment, error }) => {
          const row = rows.find((candidate) => candidate.key === segment) ?? rows.find((candidate) => candidate.name === segment);
          const named = row === undefined || row.name === row.key ? localized(`segment "${segment}"`, `人群「${segment}」`) : localized(`segment "${row.name}" (${row.key})`, `人群「${row.name}」（${row.key}）`);
          const why = localized(`${named.en}, whose expression no longer reads: ${error.messageIn('en')}`, `${named['zh-CN']}的表达式已无法读取：${error.messageIn('zh-CN')}`);
          return { index: -1, code: error.code, path: `segments.${index}`, pointer: jsonPointer(['segments', index]), message: why.en, localized: why };
        });
        // Each ends as the sentence its diagnostic is.
        const detail = localized(`The overlap cannot be measured: ${said.map((item) => item.localized.en).join(' ')}`, `无法计算重叠：${said.map((item) => item.localized['zh-CN']).join('')}`);
        throw new TagbaseError(broken.error.code, { detail }, said);
      }
      if (new Set(named.map((entry) => entry.key)).size !== named.length) throw fieldError('body', 'segments', localized('name each segment once', '每个人群只能指定一次'));
      return overlapOf(named);
    },
  );

  app.post(
    '/segments/insight',
    {
      schema: {
        tags: ['analysis'],
        summary: 'What sets the customers an expression matches apart: every tag’s values against everyone’s (TGI), and their metrics',
        description: INSIGHT_DESCRIPTION,
        headers: workspaceHeaders,
        querystring: insightQuery,
        body: expressionBody,
      },
    },
    async (request) => {
      const context = await contextOf(request, options);
      return segmentInsight(context, audience, { expression: request.body.expression }, { metrics: request.query.metrics, minMembers: request.query.min_members });
    },
  );

  app.post(
    '/segments/tag',
    {
      schema: {
        tags: ['segments'],
        summary: 'Tag (or untag) everyone an expression or a saved segment matches',
        description: `Resolves the members now, then assigns or removes the value on all of them in one transaction (at most ${MAX_BULK_TAGGING.toLocaleString('en')}), exactly like bulk tagging by list.`,
        headers: workspaceHeaders,
        body: z
          .strictObject({
            expression: z.string().trim().min(1).max(8000).optional(),
            segment: z.string().min(1).max(128).optional(),
            ...tagEveryoneFields,
          })
          .refine((body) => (body.expression === undefined) !== (body.segment === undefined), 'name either an expression or a segment')
          .refine(assigningHasValue, { message: ASSIGNING_NEEDS_A_VALUE, path: ['value'] })
          .refine(removingHasNoExpiry, { message: REMOVING_TAKES_NO_EXPIRY, path: ['expires_at'] }),
      },
    },
    async (request) => {
      const context = await contextOf(request, options);
      const body = request.body;
      const resolved = body.segment !== undefined ? await saved(context, body.segment) : await adHoc(context, body.expression ?? '');
      return tagEveryone(context, await audience.members(context, resolved.bound, resolved.scope), body, taggingSourceOf(request, context));
    },
  );

  // ------------------------------------------------------------ saved segments
  app.get('/segments', { schema: { tags: ['segments'], summary: 'Saved segments', headers: workspaceHeaders } }, async (request) => ({
    items: await listSegments(await contextOf(request, options)),
  }));

  app.post(
    '/segments',
    {
      config: created('The new segment, with its size now', '/segments/{segment}'),
      schema: {
        tags: ['segments'],
        summary: 'Save a segment',
        description: 'A named expression; its members follow the customers as they change. Other expressions may read it as `segment("key")`.',
        headers: workspaceHeaders,
        body: segmentInputSchema,
      },
    },
    async (request, reply) => {
      const context = await contextOf(request, options);
      const segment = await createSegment(context, request.body);
      return sendCreated(reply, { ...segment, ...(await count(context, await saved(context, segment.key))) }, 'segments', segment.key);
    },
  );

  app.get(
    '/segments/:segment',
    {
      config: { conditional: SEGMENT_TAGGED },
      schema: {
        tags: ['segments'],
        summary: 'One saved segment with its live count',
        description: `A segment whose expression no longer reads (a tag it names was archived, say) is still answered, with \`count\` null and \`problem\` saying why, as the count would have failed. ${ETAG_NOTE} Its ETag covers the count and the population too (not \`took_ms\`): it changes as customers join or leave the segment.`,
        headers: workspaceHeaders,
        params: segmentParams,
      },
    },
    async (request) => (await savedSegment(await contextOf(request, options), request.params.segment, request.url))(requestLocale(request)),
  );

  app.patch(
    '/segments/:segment',
    {
      config: { conditional: SEGMENT_TAGGED },
      schema: {
        tags: ['segments'],
        summary: 'Rename a segment or change its expression',
        description: `Any of \`key\`, \`name\`, \`description\` and \`expression\`; a body naming nothing to change (\`{}\`) is \`VALIDATION_FAILED\`. Answers the segment as \`GET /segments/{segment}\` does, with its new ETag. ${IF_MATCH_NOTE}`,
        headers: workspaceHeaders,
        params: segmentParams,
        body: segmentPatchSchema,
      },
    },
    async (request) => {
      const context = await contextOf(request, options);
      await assertMatch(request, async () => {
        const answer = await savedSegment(context, request.params.segment, request.url);
        return LOCALES.map(answer);
      });
      const segment = await updateSegment(context, request.params.segment, request.body);
      return (await savedSegment(context, segment.key, request.url))(requestLocale(request));
    },
  );

  app.delete(
    '/segments/:segment',
    {
      config: { ...NO_CONTENT, deletesTagged: SEGMENT_TAGGED },
      schema: { tags: ['segments'], summary: 'Delete a segment and its snapshots', description: `Refused while another segment, a rule tag, a care plan or a webhook reads it (\`SEGMENT_IN_USE\`). ${IF_MATCH_DELETE_NOTE}`, headers: workspaceHeaders, params: segmentParams },
    },
    async (request, reply) => {
      const context = await contextOf(request, options);
      await assertMatch(request, async () => LOCALES.map(await savedSegment(context, request.params.segment, request.url)));
      await deleteSegment(context, request.params.segment);
      return reply.status(204).send();
    },
  );

  app.get(
    '/segments/:segment/members',
    { schema: { tags: ['segments'], summary: 'A page of a segment’s members', headers: workspaceHeaders, params: segmentParams, querystring: memberQuery } },
    async (request) => {
      const context = await contextOf(request, options);
      return preview(request, context, await saved(context, request.params.segment), request.query);
    },
  );

  app.get(
    '/segments/:segment/export',
    { config: MEMBER_EXPORT, schema: { tags: ['segments'], summary: 'Export a segment’s members (CSV, JSON Lines or an Excel workbook, streamed)', headers: workspaceHeaders, params: segmentParams, querystring: exportQuery } },
    async (request, reply) => {
      const context = await contextOf(request, options);
      const resolved = await saved(context, request.params.segment);
      const ids = await audience.members(context, resolved.bound, resolved.scope);
      // Logged by key however it was named, so that the log lists one segment's exports as one.
      return streamMembers(context, reply, resolved.scope.catalog, ids, resolved.name, request.query, { source: 'segment', target: resolved.key }, `segment-${asciiKey(resolved.key, resolved.id)}-${await exportDay(context)}`);
    },
  );

  app.get(
    '/segments/:segment/insight',
    {
      schema: {
        tags: ['analysis'],
        summary: 'What sets a segment apart: every tag’s values against everyone’s (TGI), and its metrics against everyone’s',
        description: INSIGHT_DESCRIPTION,
        headers: workspaceHeaders,
        params: segmentParams,
        querystring: insightQuery,
      },
    },
    async (request) => {
      const context = await contextOf(request, options);
      return segmentInsight(context, audience, { segment: request.params.segment }, { metrics: request.query.metrics, minMembers: request.query.min_members });
    },
  );

  // ------------------------------------------------------------ snapshots
  app.post(
    '/segments/:segment/snapshots',
    {
      config: created('The snapshot taken'),
      schema: {
        tags: ['segments'],
        summary: 'Freeze the segment’s members now',
        description: 'A static list with the time and the expression that produced it, and the definitions of the saved segments that expression reads (`segments`), as they were: what a campaign was sent to, kept after the live segment, or a segment it reads, moves on.',
        headers: workspaceHeaders,
        params: segmentParams,
      },
    },
    async (request, reply) => reply.status(201).send(await takeSnapshot(await contextOf(request, options), audience, request.params.segment)),
  );

  app.get(
    '/segments/:segment/sizes',
    {
      schema: {
        tags: ['segments'],
        summary: 'A segment’s size day by day',
        description: `Recorded once a day by the server's scheduler (the workspace's calendar day), oldest first; today's is counted now when it has not been recorded yet (\`recorded: false\`). Days the server did not run have no size. At most ${MAX_SIZE_DAYS} days.`,
        headers: workspaceHeaders,
        params: segmentParams,
        querystring: z.object({ days: numberParameter(z.number().int().min(1).max(MAX_SIZE_DAYS).default(30)) }),
      },
    },
    async (request) => segmentSizeHistory(await contextOf(request, options), audience, request.params.segment, request.query.days),
  );

  app.get(
    '/segments/:segment/snapshots',
    {
      schema: {
        tags: ['segments'],
        summary: 'A segment’s snapshots, newest first, a page at a time',
        description: `\`limit\` snapshots (${String(DEFAULT_SNAPSHOT_PAGE)} by default, at most ${String(MAX_SNAPSHOT_PAGE)}); pass a page's \`next_cursor\` as \`cursor\` for the next page, which starts right after its last snapshot (one taken or deleted meanwhile neither repeats nor skips another). \`next_cursor\` is null on the last page.`,
        headers: workspaceHeaders,
        params: segmentParams,
        querystring: z.object({
          limit: numberParameter(z.number().int().min(1).max(MAX_SNAPSHOT_PAGE).default(DEFAULT_SNAPSHOT_PAGE)),
          cursor: z.string().max(128).optional().describe('The `next_cursor` of the previous page'),
        }),
      },
    },
    async (request) => listSnapshots(await contextOf(request, options), request.params.segment, { limit: request.query.limit, cursor: request.query.cursor }),
  );

  app.delete(
    '/segments/:segment/snapshots/:snapshot',
    {
      config: NO_CONTENT,
      schema: {
        tags: ['segments'],
        summary: 'Delete a snapshot and the members it froze',
        description: 'Needs the permission that takes a snapshot. Its comparison and exports answer `SNAPSHOT_NOT_FOUND` afterwards; the export log keeps its exports, named as they were (`vip#12`).',
        headers: workspaceHeaders,
        params: snapshotParams,
      },
    },
    async (request, reply) => {
      await deleteSnapshot(await contextOf(request, options), request.params.segment, request.params.snapshot);
      return reply.status(204).send();
    },
  );

  app.get(
    '/segments/:segment/snapshots/:snapshot/compare',
    {
      schema: {
        tags: ['segments'],
        summary: 'A snapshot against the segment now: how many stayed, joined since and left',
        description: 'What became of a campaign’s audience. Each part’s customers are exported with `GET …/snapshots/{snapshot}/export?part=joined|left|stayed`.',
        headers: workspaceHeaders,
        params: snapshotParams,
      },
    },
    async (request) => compareSnapshot(await contextOf(request, options), audience, request.params.segment, request.params.snapshot),
  );

  app.get(
    '/segments/:segment/snapshots/:snapshot/export',
    {
      config: MEMBER_EXPORT,
      schema: {
        tags: ['segments'],
        summary: 'Export a snapshot’s members, or those who since joined, left or stayed in the segment',
        headers: workspaceHeaders,
        params: snapshotParams,
        querystring: exportQuery.extend({
          part: z.enum(SNAPSHOT_PARTS).default('members').describe('`members`: everyone the snapshot froze; `joined`: in the segment now and not in the snapshot; `left`: in the snapshot and not in the segment now; `stayed`: in both'),
        }),
      },
    },
    async (request, reply) => {
      const context = await contextOf(request, options);
      const segment = await segmentRow(context, request.params.segment);
      const { part } = request.query;
      const ids = await snapshotPartMembers(context, audience, segment.key, request.params.snapshot, part);
      const suffix = part === 'members' ? '' : `-${part}`;
      // Named like the live segment's file (its name), and logged by its key, however the address named it.
      return streamMembers(context, reply, await loadWorkspaceCatalog(context), ids, `${segment.name}-${String(request.params.snapshot)}${suffix}`, request.query, {
        source: 'snapshot',
        target: `${segment.key}#${String(request.params.snapshot)}${part === 'members' ? '' : ` ${part}`}`,
      }, `segment-${asciiKey(segment.key, segment.id)}-snapshot-${String(request.params.snapshot)}${suffix}`);
    },
  );

  // ------------------------------------------------------------ export control
  app.get(
    '/exports',
    {
      schema: {
        tags: ['segments'],
        summary: 'The latest exports of customers, newest first: who exported what, when, how many',
        description: `Every export of members (an expression, a saved segment, a snapshot or a tag transition, from the API, the console or \`tagbase segment export\`) is logged before its first row, \`status\` \`in_progress\` until it ends (\`rows\` the members it began with), then \`completed\` or \`stopped\` (its reader gone, a failure) with \`rows\` the rows it wrote and \`finished_at\`; one a crash or a kill cut short stays \`in_progress\`. At most ${MAX_LISTED_EXPORTS} are listed.`,
        headers: workspaceHeaders,
        querystring: z.object({ limit: numberParameter(z.number().int().min(1).max(MAX_LISTED_EXPORTS).default(50)) }),
      },
    },
    async (request) => ({ items: await listExports(await contextOf(request, options), request.query.limit) }),
  );
};
