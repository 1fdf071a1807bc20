// The tag library over HTTP: groups, tags, values, and bulk tagging by customer list.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { tagGroupInputSchema, tagGroupPatchSchema, tagInputSchema, tagPatchSchema, tagValueInputSchema, tagValuePatchSchema, type TagDefinition, type TagGroup } from '../../core/tag.js';
import { toIso, workspaceTimeNote } from '../../core/time.js';
import type { WorkspaceContext } from '../../engine/context.js';
import type { Audience } from '../../engine/segments.js';
import {
  addTagValue,
  createTag,
  createTagGroup,
  deleteTagGroup,
  getTag,
  getTagGroup,
  listTagGroups,
  loadTags,
  removeTagValue,
  updateTag,
  updateTagGroup,
  updateTagValue,
} from '../../engine/library.js';
import { MAX_BULK_TAGGING, assignTag, removeTag } from '../../engine/tagging.js';
import { UNDO_DAYS, listTaggingOperations, undoTaggingOperation } from '../../engine/tagging-operations.js';
import { previewRuleTag } from '../../engine/rule-tags.js';
import { tagReaders, tagWorkUnderWay } from '../../engine/tag-readers.js';
import { rulePassesInProgress, type RulePassProgress } from '../../engine/rule-passes.js';
import { loadWorkspaceCatalog } from '../../engine/catalog.js';
import { DEFAULT_PROFILE_METRICS, MAX_PROFILE_METRICS, tagProfile, tagProfileToJson } from '../../engine/tag-profile.js';
import { DEFAULT_TRANSITION_DAYS, flowCustomers, flowMembers, tagTransitions, transitionsToJson } from '../../engine/transitions.js';
import { assertBrowsable } from '../access.js';
import { auditActorOf, contextOf, taggingSourceOf, type AppOptions } from '../app.js';
import { deleteTag } from '../../engine/tag-deletion.js';
import { loadExpressionShown, type ExpressionShown } from '../../engine/shown-expressions.js';
import { asciiKey, exportDay, exportQuery, metricList, streamMembers } from './member-export.js';
import { ASSIGNING_NEEDS_A_VALUE, REMOVING_TAKES_NO_EXPIRY, assigningHasValue, removingHasNoExpiry, tagEveryone, tagEveryoneFields } from './tag-everyone.js';
import { expiryTime, FIRST_BATCH_TEXT, idParameter, isoTime, numberParameter, optionalExpiry, optionalInstant, passToJson, workspaceHeaders } from './shared.js';
import { ETAG_NOTE, IF_MATCH_DELETE_NOTE, IF_MATCH_NOTE, MEMBER_EXPORT, NO_CONTENT, created } from '../openapi.js';
import { assertMatch } from '../conditional.js';
import { sendCreated } from '../location.js';

function groupToJson(group: TagGroup) {
  return { key: group.key, name: group.name, description: group.description, sort_order: group.sortOrder };
}

function tagToJson(tag: TagDefinition, groups: Map<number, TagGroup>, counts: { values: Map<number, number>; tags: Map<number, number> }, pass: RulePassProgress | undefined, shown: ExpressionShown) {
  const group = tag.groupId === null ? undefined : groups.get(tag.groupId);
  return {
    key: tag.key,
    name: tag.name,
    description: tag.description,
    color: tag.color,
    group: group?.key ?? null,
    scope: tag.scope,
    owner: tag.owner,
    cardinality: tag.cardinality,
    ordered: tag.ordered,
    default_expiry_days: tag.defaultExpiryDays,
    kind: tag.kind,
    model: tag.model ?? null,
    status: tag.status,
    // Each holder once: a customer holding two values of a multi-valued tag is one customer.
    customers: counts.tags.get(tag.id) ?? 0,
    values: tag.values.map((value) => ({
      key: value.key,
      name: value.name,
      color: value.color,
      description: value.description,
      // Masked for a role that sees personal data masked, as a saved segment's expression is.
      condition: value.condition === null ? null : shown(value.condition),
      order: value.sortOrder,
      customers: counts.values.get(value.id) ?? 0,
    })),
    created_at: toIso(tag.createdAt),
    updated_at: toIso(tag.updatedAt),
    // Counts above follow the pass as it goes; null once the rule holds for everyone.
    rule_pass: passToJson(pass),
  };
}

/** Counts come from the index: counting millions of assignment rows in SQL took seconds per page. */
async function renderTags(context: WorkspaceContext, audience: Audience, tags: TagDefinition[]) {
  const membership = await audience.tagMembership(context);
  const [groups, values, sizes, passes, shown] = await Promise.all([listTagGroups(context), membership.valueCounts(), membership.tagSizes(), rulePassesInProgress(context), loadExpressionShown(context)]);
  const byId = new Map(groups.map((group) => [group.id, group]));
  const counts = { values, tags: sizes };
  return tags.map((tag) => tagToJson(tag, byId, counts, passes.get(tag.id), shown));
}

async function renderTag(context: WorkspaceContext, audience: Audience, tag: TagDefinition) {
  const [rendered] = await renderTags(context, audience, [tag]);
  return rendered;
}

/** For every save that may apply a rule tag to everyone again. */
const RULE_PASS_NOTE = `A rule tag is then applied to everyone: the answer comes once the first ${FIRST_BATCH_TEXT} customers are done; the rest goes on in the background, and the tag's \`rule_pass\` (\`{done, total, started_at, updated_at}\`) shows its progress until it is \`null\`.`;

const tagParams = z.object({ tag: z.string().min(1).max(128) });
const periodQuery = z.object({
  from: isoTime.optional().describe(`Start of the period (${workspaceTimeNote()}); ${DEFAULT_TRANSITION_DAYS} days before \`to\` when absent`),
  to: isoTime.optional().describe(`End of the period (${workspaceTimeNote('end')}); now when absent or later than now`),
});
/** `-` stands for holding none of the tag's values: no value key can be `-`. */
const flowEnd = z
  .string()
  .min(1)
  .max(128)
  .transform((text) => (text === '-' ? null : text));
const flowQuery = periodQuery.extend({
  from_value: flowEnd.describe('The value held at the start (key or name), or `-` for none'),
  to_value: flowEnd.describe('The value held at the end (key or name), or `-` for none'),
});
const flowMembersQuery = flowQuery.extend({
  limit: numberParameter(z.number().int().min(1).max(500).default(20)),
  offset: numberParameter(z.number().int().min(0).max(10_000_000).default(0)),
});

/** The period a query names, as the engine takes it: a day alone given as `to` is the whole of that day. */
async function periodOf(context: WorkspaceContext, query: { from?: string | undefined; to?: string | undefined }) {
  return { from: (await optionalInstant(context, query.from)) ?? undefined, to: (await optionalInstant(context, query.to, 'end')) ?? undefined };
}

/** The flow a query names, as the engine takes it. */
async function flowOf(context: WorkspaceContext, query: z.infer<typeof flowQuery>) {
  return { ...(await periodOf(context, query)), fromValue: query.from_value, toValue: query.to_value };
}

const valueParams = tagParams.extend({ value: z.string().min(1).max(128) });
const groupParams = z.object({ group: z.string().min(1).max(128) });

const removalChoice = z.enum(['remove', 'move']);
/**
 * Query parameters are snake_case everywhere else; `onAssigned` and `moveTo` are the spellings of
 * before, still read so that clients written against them go on working.
 */
const valueRemovalQuery = z
  .object({
    on_assigned: removalChoice.optional().describe('What happens to the assignments of customers holding the value: `remove` or `move`'),
    move_to: z.string().min(1).optional().describe('With `on_assigned=move`: the value the assignments move to'),
    onAssigned: removalChoice.optional().describe('Deprecated spelling of `on_assigned`'),
    moveTo: z.string().min(1).optional().describe('Deprecated spelling of `move_to`'),
  })
  .refine((query) => query.on_assigned === undefined || query.onAssigned === undefined || query.on_assigned === query.onAssigned, {
    message: 'on_assigned and onAssigned say different things; send on_assigned alone',
    path: ['on_assigned'],
  })
  .refine((query) => query.move_to === undefined || query.moveTo === undefined || query.move_to === query.moveTo, {
    message: 'move_to and moveTo say different things; send move_to alone',
    path: ['move_to'],
  })
  .refine((query) => (query.on_assigned ?? query.onAssigned) !== 'move' || (query.move_to ?? query.moveTo) !== undefined, {
    message: 'on_assigned=move needs move_to, the value the assignments move to',
    path: ['move_to'],
  });

function valueRemoval(query: z.infer<typeof valueRemovalQuery>) {
  return { onAssigned: query.on_assigned ?? query.onAssigned, moveTo: query.move_to ?? query.moveTo };
}
// More than MAX_BULK_TAGGING ids is BATCH_TOO_LARGE (413), which the engine answers: the limit is
// the document's (`maxItems`), not the schema's, which would answer it as VALIDATION_FAILED.
const customerList = z.array(z.string().min(1).max(128)).min(1).meta({ maxItems: MAX_BULK_TAGGING });

export const tagRoutes: FastifyPluginAsyncZod<AppOptions> = async (app, options) => {
  /** Transitions count those who kept their value from the index, reading only the period's changes. */
  const holdersOf = (context: WorkspaceContext) => (valueIds: readonly number[]) => options.audience.valueHolders(context, valueIds);

  // ------------------------------------------------------------ groups
  app.get('/tag-groups', { schema: { tags: ['tag library'], summary: 'List tag groups', headers: workspaceHeaders } }, async (request) => ({
    items: (await listTagGroups(await contextOf(request, options))).map(groupToJson),
  }));

  app.post(
    '/tag-groups',
    { config: created('The new group', '/tag-groups/{group}'), schema: { tags: ['tag library'], summary: 'Create a tag group', description: 'Groups only organise the library; tags stay flat.', headers: workspaceHeaders, body: tagGroupInputSchema } },
    async (request, reply) => {
      const group = await createTagGroup(await contextOf(request, options), request.body);
      return sendCreated(reply, groupToJson(group), 'tag-groups', group.key);
    },
  );

  app.patch(
    '/tag-groups/:group',
    {
      config: { conditional: {} },
      schema: { tags: ['tag library'], summary: 'Rename or reorder a tag group', description: `A body naming nothing to change (\`{}\`) is \`VALIDATION_FAILED\`. ${IF_MATCH_NOTE}`, headers: workspaceHeaders, params: groupParams, body: tagGroupPatchSchema },
    },
    async (request) => {
      const context = await contextOf(request, options);
      await assertMatch(request, async () => [groupToJson(await getTagGroup(context, request.params.group))]);
      return groupToJson(await updateTagGroup(context, request.params.group, request.body));
    },
  );

  app.get(
    '/tag-groups/:group',
    { config: { conditional: {} }, schema: { tags: ['tag library'], summary: 'One tag group', description: ETAG_NOTE, headers: workspaceHeaders, params: groupParams } },
    async (request) => groupToJson(await getTagGroup(await contextOf(request, options), request.params.group)),
  );

  app.delete(
    '/tag-groups/:group',
    { config: { ...NO_CONTENT, deletesTagged: {} }, schema: { tags: ['tag library'], summary: 'Delete an empty tag group', description: IF_MATCH_DELETE_NOTE, headers: workspaceHeaders, params: groupParams } },
    async (request, reply) => {
      const context = await contextOf(request, options);
      await assertMatch(request, async () => [groupToJson(await getTagGroup(context, request.params.group))]);
      await deleteTagGroup(context, request.params.group);
      return reply.status(204).send();
    },
  );

  // ------------------------------------------------------------ tags
  app.get(
    '/tags',
    {
      schema: {
        tags: ['tag library'],
        summary: 'List tags',
        description: 'Enterprise tags and the acting user’s personal tags, with customer counts per value.',
        headers: workspaceHeaders,
        querystring: z.object({ archived: z.enum(['true', 'false']).default('false') }),
      },
    },
    async (request) => {
      const context = await contextOf(request, options);
      return { items: await renderTags(context, options.audience, await loadTags(context, { includeArchived: request.query.archived === 'true' })) };
    },
  );

  app.post(
    '/tags',
    { config: created('The new tag, as `GET /tags/{tag}` answers it', '/tags/{tag}'), schema: { tags: ['tag library'], summary: 'Create a tag with its preset values', description: RULE_PASS_NOTE, headers: workspaceHeaders, body: tagInputSchema } },
    async (request, reply) => {
      const context = await contextOf(request, options);
      const tag = await createTag(context, request.body);
      return sendCreated(reply, await renderTag(context, options.audience, tag), 'tags', tag.key);
    },
  );

  app.post(
    '/tags/preview',
    {
      schema: {
        tags: ['tag library'],
        summary: 'Preview a rule tag',
        description: 'How many customers each value of the rule tag in the body would hold if it were saved (`customers`: how many were evaluated, everyone); writes nothing. Name the tag being edited with `replacing` (404 when there is no such tag).',
        headers: workspaceHeaders,
        querystring: z.object({ replacing: z.string().min(1).optional() }),
        body: tagInputSchema,
      },
    },
    async (request) => {
      const context = await contextOf(request, options);
      const input = request.body;
      const now = context.now().getTime();
      // The tag being edited must exist: an unknown one would preview beside its old self.
      const replacing = request.query.replacing === undefined ? undefined : (await getTag(context, request.query.replacing)).key;
      return previewRuleTag(
        context,
        {
          id: -1,
          key: input.key,
          name: input.name,
          description: null,
          color: null,
          groupId: null,
          scope: input.scope,
          owner: null,
          cardinality: input.cardinality,
          ordered: input.ordered,
          defaultExpiryDays: null,
          kind: input.kind,
          status: 'active',
          values: input.values.map((value, index) => ({ id: -1 - index, key: value.key, name: value.name, color: null, description: null, sortOrder: index, condition: value.condition ?? null })),
          createdAt: now,
          updatedAt: now,
        },
        replacing,
      );
    },
  );

  app.get(
    '/tags/:tag',
    {
      config: { conditional: {} },
      schema: {
        tags: ['tag library'],
        summary: 'One tag, by key or display name',
        description:
          'A role that sees personal data masked is shown its values\' conditions with the personal data in them masked, as saved segments\' expressions are (`last_receiver_phone = "139****5678"`); a condition sent back as shown keeps the one saved. ' +
          `${ETAG_NOTE} Its ETag covers the customer counts and \`rule_pass\` too: it changes as customers gain or lose the tag.`,
        headers: workspaceHeaders,
        params: tagParams,
      },
    },
    async (request) => {
      const context = await contextOf(request, options);
      return renderTag(context, options.audience, await getTag(context, request.params.tag));
    },
  );

  app.get(
    '/tags/:tag/readers',
    {
      schema: {
        tags: ['tag library'],
        summary: 'What reads a tag, and what is still under way with it',
        description:
          'Each saved segment, care plan (its conditions, trigger or messages, in `reads`) and other rule tag that reads the tag, by key and name, directly or through saved segments; ' +
          "how many of other staff members' personal rule tags read it (theirs, so not named); the webhooks posting its changes by its key (`webhooks`, by id): what archiving it would stop. " +
          'Besides, the webhooks posting every shared tag that have not yet posted all of its changes (`pending_webhook_posts`, `[{id, due}]`: `due` when it is neither paused nor waiting to try again after failures, so that a deletion has it post them first) and whether a pass of its rule is under way (`rule_pass_running`). ' +
          'Deleting the tag is refused (`TAG_NOT_DELETABLE`) while any of these is so (a pending webhook that is due only if it cannot post them then), or a customer holds it, or it is a model\'s tag.',
        headers: workspaceHeaders,
        params: tagParams,
      },
    },
    async (request) => {
      const context = await contextOf(request, options);
      const tag = await getTag(context, request.params.tag);
      return { ...(await tagReaders(context, tag)), ...(await tagWorkUnderWay(context, context.store.db, tag)) };
    },
  );

  app.get(
    '/tags/:tag/profile',
    {
      schema: {
        tags: ['analysis'],
        summary: 'Each value’s customers and what they are worth: counts, and metric sums, means, medians and quartiles',
        description: `Per value of the tag, how many customers hold it, their share of everyone, and for each metric the sum, mean, median and quartiles (\`p25\`, \`p75\`; as a spreadsheet's MEDIAN and QUARTILE.INC, interpolating between the closest ranks) over those with a value; the same for the tag's holders together and for everyone. With \`segment\` or \`expression\`, "everyone" is the customers it matches. From the in-memory index. Number metrics only, at most ${MAX_PROFILE_METRICS}; by default ${DEFAULT_PROFILE_METRICS.map((key) => `\`${key}\``).join(', ')}.`,
        headers: workspaceHeaders,
        params: tagParams,
        querystring: z
          .object({
            metrics: metricList,
            segment: z.string().min(1).max(128).optional().describe('Only the customers of this saved segment (key or name)'),
            expression: z.string().trim().min(1).max(8000).optional().describe('Only the customers this expression matches'),
          })
          .refine((query) => query.segment === undefined || query.expression === undefined, 'name a segment or an expression, not both'),
      },
    },
    async (request) => {
      const context = await contextOf(request, options);
      const { segment, expression } = request.query;
      const among = segment !== undefined ? { segment } : expression !== undefined ? { expression } : undefined;
      return tagProfileToJson(await tagProfile(context, options.audience, request.params.tag, request.query.metrics, among));
    },
  );

  app.get(
    '/tags/:tag/transitions',
    {
      schema: {
        tags: ['analysis'],
        summary: 'How customers moved between the tag’s values over a period',
        description:
          'What every live customer held at the start and at the end of the period, read back from the tag history: per value, how many held it at each end, gained and lost it; for a single-valued tag also the flows between values (`null` for holding none; a value since removed from the tag has a `null` key and its name from the history).',
        headers: workspaceHeaders,
        params: tagParams,
        querystring: periodQuery,
      },
    },
    async (request) => {
      const context = await contextOf(request, options);
      return transitionsToJson(await tagTransitions(context, request.params.tag, await periodOf(context, request.query), holdersOf(context)));
    },
  );

  app.get(
    '/tags/:tag/transitions/members',
    {
      schema: {
        tags: ['analysis'],
        summary: 'A page of the customers of one flow between a tag’s values (or of a multi-valued tag’s gain, keep or loss of one value)',
        description: 'The customers who held `from_value` at the start of the period and `to_value` at its end, in the order they were created, as segment members are listed.',
        headers: workspaceHeaders,
        params: tagParams,
        querystring: flowMembersQuery,
      },
    },
    async (request) => {
      const context = await contextOf(request, options);
      const { query } = request;
      assertBrowsable(request, query);
      const page = await flowMembers(context, request.params.tag, { ...await flowOf(context, query), offset: query.offset, limit: query.limit }, holdersOf(context));
      return { total: page.total, offset: query.offset, limit: query.limit, items: page.items };
    },
  );

  app.post(
    '/tags/:tag/transitions/tag',
    {
      schema: {
        tags: ['analysis'],
        summary: 'Tag (or untag) the customers of one flow between a tag’s values',
        description: `The customers of the flow now (\`from_value\` at \`from\`, \`to_value\` at \`to\`), then \`tag\`/\`value\` assigned or removed on all of them in one transaction (at most ${MAX_BULK_TAGGING.toLocaleString('en')}), exactly like bulk tagging by list: 重要价值客户 who became 重要保持客户 this month get a win-back tag.`,
        headers: workspaceHeaders,
        params: tagParams,
        body: z
          .strictObject({ from: periodQuery.shape.from, to: periodQuery.shape.to, from_value: flowEnd, to_value: flowEnd, ...tagEveryoneFields })
          .refine(assigningHasValue, { message: ASSIGNING_NEEDS_A_VALUE, path: ['value'] })
          .refine(removingHasNoExpiry, { message: REMOVING_TAKES_NO_EXPIRY, path: ['expires_at'] }),
      },
    },
    async (request) => {
      const context = await contextOf(request, options);
      const flow = await flowCustomers(context, request.params.tag, await flowOf(context, request.body), holdersOf(context));
      return tagEveryone(context, flow.ids, request.body, taggingSourceOf(request, context));
    },
  );

  app.get(
    '/tags/:tag/transitions/export',
    {
      config: MEMBER_EXPORT,
      schema: {
        tags: ['analysis'],
        summary: 'Export the customers of one flow between a tag’s values (CSV, JSON Lines or an Excel workbook, streamed)',
        description: 'As the members above, every one, in the format of segment exports; logged in the export log (`source` `transition`) before the first row.',
        headers: workspaceHeaders,
        params: tagParams,
        querystring: flowQuery.extend(exportQuery.shape),
      },
    },
    async (request, reply) => {
      const context = await contextOf(request, options);
      const { query } = request;
      const flow = await flowCustomers(context, request.params.tag, await flowOf(context, query), holdersOf(context));
      const end = (key: string | null) => key ?? '-';
      return streamMembers(context, reply, await loadWorkspaceCatalog(context), flow.ids, `${flow.tag.key}-${end(flow.fromValue)}-${end(flow.toValue)}`, query, {
        source: 'transition',
        target: `${flow.tag.key}:${end(flow.fromValue)}→${end(flow.toValue)}@${toIso(flow.from)}/${toIso(flow.to)}`,
      }, `tag-${asciiKey(flow.tag.key, flow.tag.id)}-transition-${await exportDay(context)}`);
    },
  );

  app.patch(
    '/tags/:tag',
    {
      config: { conditional: {} },
      schema: {
        tags: ['tag library'],
        summary: 'Change a tag',
        description:
          'Rename (assignments are kept), regroup, change cardinality or expiry, archive (`status: "archived"`) or restore. ' +
          'Change the kind: `{"kind": "rule", "conditions": {"<value key or name>": "<expression>", …}}` makes a manual tag a rule tag, every value given its condition, checked as a new rule tag\'s are (`RULE_INVALID`, `RULE_CYCLE`); its holders keep what they hold, pinned as values given by hand on a rule tag are, and the rule is applied to everyone else at once. `{"kind": "manual"}` stops a rule tag\'s rule: what it gave stays with the customers as it is, no longer following their behaviour. ' +
          'A body naming nothing to change (`{}`) is `VALIDATION_FAILED`. ' +
          'Change the scope: `"personal"` makes a shared tag the acting user\'s own, refused (`TAG_SCOPE_IN_USE`) while a saved segment, care plan, shared rule tag, another staff member\'s rule or a webhook reads it; `"enterprise"` shares a personal tag, its key and name then checked against everyone\'s tags. A model\'s tag keeps its kind and scope (`TAG_SET_BY_MODEL`). ' +
          `${RULE_PASS_NOTE} Answers the tag as \`GET /tags/{tag}\` does, with its new ETag. ${IF_MATCH_NOTE}`,
        headers: workspaceHeaders,
        params: tagParams,
        body: tagPatchSchema,
      },
    },
    async (request) => {
      const context = await contextOf(request, options);
      await assertMatch(request, async () => [await renderTag(context, options.audience, await getTag(context, request.params.tag))]);
      return renderTag(context, options.audience, await updateTag(context, request.params.tag, request.body));
    },
  );

  app.delete(
    '/tags/:tag',
    {
      config: { deletesTagged: {} },
      schema: {
        tags: ['tag library'],
        summary: 'Delete a tag nothing depends on',
        description:
          'Deletes the tag with its values, its customers\' tag history and its bulk tagging operations, for good, when no customer holds it (an assignment past its expiry counts as gone), no saved segment, care plan, other tag\'s rule or webhook reads it, no webhook paused or failing has yet to post a change of it (one that is due posts them first), and it is no model\'s tag. Otherwise `TAG_NOT_DELETABLE` (409), saying what holds it, and nothing changes. Answers `{key, name, values, history}`: what went. The audit trail records the tag\'s definition. ' + IF_MATCH_DELETE_NOTE,
        headers: workspaceHeaders,
        params: tagParams,
      },
    },
    async (request) => {
      const context = await contextOf(request, options);
      await assertMatch(request, async () => [await renderTag(context, options.audience, await getTag(context, request.params.tag))]);
      return deleteTag(context, request.params.tag, { actor: auditActorOf(request), source: 'api', status: 200 });
    },
  );

  app.post(
    '/tags/:tag/values',
    {
      config: created('The tag with its new value'),
      schema: {
        tags: ['tag library'],
        summary: 'Add a value',
        description: RULE_PASS_NOTE,
        headers: workspaceHeaders,
        params: tagParams,
        body: tagValueInputSchema.extend({ position: z.number().int().min(0).optional() }),
      },
    },
    async (request, reply) => {
      const context = await contextOf(request, options);
      return reply.status(201).send(await renderTag(context, options.audience, await addTagValue(context, request.params.tag, request.body)));
    },
  );

  app.patch(
    '/tags/:tag/values/:value',
    {
      config: { conditional: {} },
      schema: {
        tags: ['tag library'],
        summary: 'Rename, recolour or move a value',
        description: `A body naming nothing to change (\`{}\`) is \`VALIDATION_FAILED\`. ${RULE_PASS_NOTE} Answers the tag as \`GET /tags/{tag}\` does, with its new ETag; the ETag for \`If-Match\` is the tag's. ${IF_MATCH_NOTE}`,
        headers: workspaceHeaders,
        params: valueParams,
        body: tagValuePatchSchema,
      },
    },
    async (request) => {
      const context = await contextOf(request, options);
      await assertMatch(request, async () => [await renderTag(context, options.audience, await getTag(context, request.params.tag))]);
      return renderTag(context, options.audience, await updateTagValue(context, request.params.tag, request.params.value, request.body));
    },
  );

  app.delete(
    '/tags/:tag/values/:value',
    {
      config: { deletesTagged: {} },
      schema: {
        tags: ['tag library'],
        summary: 'Remove a value',
        description: `When customers hold the value, say what happens to their assignments: \`on_assigned=remove\`, or \`on_assigned=move&move_to=<value>\`. Without it the call fails with TAG_VALUE_IN_USE and changes nothing. ${RULE_PASS_NOTE} The ETag for \`If-Match\` is the tag's. ${IF_MATCH_DELETE_NOTE}`,
        headers: workspaceHeaders,
        params: valueParams,
        querystring: valueRemovalQuery,
      },
    },
    async (request) => {
      const context = await contextOf(request, options);
      await assertMatch(request, async () => [await renderTag(context, options.audience, await getTag(context, request.params.tag))]);
      const result = await removeTagValue(context, request.params.tag, request.params.value, valueRemoval(request.query));
      return { tag: await renderTag(context, options.audience, result.tag), removed_assignments: result.removedAssignments, moved_assignments: result.movedAssignments };
    },
  );

  // ------------------------------------------------------------ bulk tagging
  app.post(
    '/tags/:tag/assign',
    {
      bodyLimit: 16 * 1024 * 1024,
      // A customer missing is pointed at in the list (`#/customers/3`).
      config: { itemsIn: 'customers' },
      schema: {
        tags: ['tagging'],
        summary: 'Assign a value to many customers',
        description: `Up to ${MAX_BULK_TAGGING.toLocaleString('en')} customers in one transaction; unknown customers fail the call and change nothing. Answers how many changed, and the \`operation\` that undoes it (\`POST /tagging/operations/{operation}/undo\`, for ${UNDO_DAYS} days).`,
        headers: workspaceHeaders,
        params: tagParams,
        body: z.strictObject({ value: z.string().min(1), customers: customerList, expires_at: expiryTime.nullable().optional() }),
      },
    },
    async (request) => {
      const context = await contextOf(request, options);
      const { value, customers, expires_at } = request.body;
      return assignTag(context, { tag: request.params.tag, value, customers, expiresAt: await optionalExpiry(context, expires_at), source: taggingSourceOf(request, context), undoable: true });
    },
  );

  app.post(
    '/tags/:tag/unassign',
    {
      bodyLimit: 16 * 1024 * 1024,
      // A customer missing is pointed at in the list (`#/customers/3`).
      config: { itemsIn: 'customers' },
      schema: {
        tags: ['tagging'],
        summary: 'Remove a tag (or one value) from many customers',
        description: `Answers how many lost it, and the \`operation\` that undoes it (\`POST /tagging/operations/{operation}/undo\`, for ${UNDO_DAYS} days).`,
        headers: workspaceHeaders,
        params: tagParams,
        body: z.strictObject({ value: z.string().min(1).optional(), customers: customerList }),
      },
    },
    async (request) => {
      const context = await contextOf(request, options);
      return removeTag(context, { tag: request.params.tag, value: request.body.value, customers: request.body.customers, source: taggingSourceOf(request, context), undoable: true });
    },
  );

  app.get(
    '/tagging/operations',
    {
      schema: {
        tags: ['tagging'],
        summary: 'The bulk tagging of the last days, newest first, each with whether it was undone',
        description: `Every bulk assign or removal (\`/tags/{tag}/assign\`, \`/tags/{tag}/unassign\`, \`/segments/tag\`, \`/tags/{tag}/transitions/tag\`) of the last ${UNDO_DAYS} days that changed someone: \`{items: [{id, action, tag, tag_name, value, value_name, source, actor, at, customers, undone_at, undone_by, undone_customers, undoable_until}]}\`, at most 50.`,
        headers: workspaceHeaders,
      },
    },
    async (request) => ({ items: await listTaggingOperations(await contextOf(request, options)) }),
  );

  app.post(
    '/tagging/operations/:operation/undo',
    {
      schema: {
        tags: ['tagging'],
        summary: 'Undo a bulk tagging operation',
        description: `Puts back what each customer the operation changed held of its tag before it (the same values, sources and expiries), for every customer who still holds what it left; one changed since is left as it is and counted in \`skipped\`. The care reminders the operation started for the customers put back, not yet due, are withdrawn (\`skipped\` with \`reason\` \`undone\`, \`resolved_by\` the one undoing), and so are those the rule tags reading the tag started where the undo changes them back; those already due stay. Answers \`{undone, skipped, reminders_withdrawn, operation}\`. In one transaction; the tag history records each change (posted to webhooks as any other), rules reading the tag follow, and no care plan reacts to them nor to the rule tags' changes back: an undo puts back what was before. \`TAGGING_OPERATION_NOT_FOUND\` (404) for an unknown operation or one more than ${UNDO_DAYS} days old, \`TAGGING_OPERATION_UNDONE\` (409) for one already undone.`,
        headers: workspaceHeaders,
        params: z.object({ operation: idParameter }),
      },
    },
    async (request) => undoTaggingOperation(await contextOf(request, options), request.params.operation),
  );
};
