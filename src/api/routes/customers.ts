// Customers: batch upsert, list and search, lookup by identity, the portrait, history, merge,
// and tagging one customer.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { roleAllows } from '../../core/access.js';
import { IDENTITY_KINDS, customerInputSchema } from '../../core/customer.js';
import { TagbaseError } from '../../core/errors.js';
import { workspaceTimeNote } from '../../core/time.js';
import { MAX_CUSTOMER_BATCH, MAX_SEARCH_LENGTH, findCustomerByIdentity, listCustomers, upsertCustomers } from '../../engine/customers.js';
import { eraseCustomer, findErasures } from '../../engine/erasure.js';
import { removeIdentity } from '../../engine/identity-removal.js';
import { mergeCustomers } from '../../engine/merge.js';
import { getCustomerHistory, getPortraitJson } from '../../engine/portrait.js';
import { placingUnknownTag } from '../../engine/tag-loading.js';
import { assignTag, removeTag } from '../../engine/tagging.js';
import { accessOf, assertBrowsable } from '../access.js';
import { contextOf, taggingSourceOf, type AppOptions } from '../app.js';
import { batchBody } from '../batch-body.js';
import { ETAG_NOTE, IF_MATCH_DELETE_NOTE, NO_CONTENT } from '../openapi.js';
import { assertMatch } from '../conditional.js';
import { defaultsWhenEmpty, withShortcut } from '../shortcuts.js';
import { expiryTime, isoTime, numberParameter, optionalExpiry, optionalInstant, pageQuery, workspaceHeaders } from './shared.js';

const MAX_CUSTOMER_ID = 128;

const customerParams = withShortcut(z.object({ id: z.string().min(1).max(MAX_CUSTOMER_ID) }), (params) => {
  const id = typeof params === 'object' && params !== null ? (params as { id?: unknown }).id : undefined;
  return typeof id === 'string' && id.length >= 1 && id.length <= MAX_CUSTOMER_ID ? { id } : undefined;
});

const PORTRAIT_PAGE = 20;

const portraitQuery = withShortcut(
  z.object({
    events: numberParameter(z.number().int().min(0).max(500).default(PORTRAIT_PAGE)),
    history: numberParameter(z.number().int().min(0).max(500).default(PORTRAIT_PAGE)),
  }),
  defaultsWhenEmpty(() => ({ events: PORTRAIT_PAGE, history: PORTRAIT_PAGE })),
);

export const customerRoutes: FastifyPluginAsyncZod<AppOptions> = async (app, options) => {
  app.post(
    '/customers',
    {
      bodyLimit: 32 * 1024 * 1024,
      config: { itemsIn: 'customers', rowsCheckedIn: 'customers' },
      schema: {
        tags: ['customers'],
        summary: 'Upsert customers in a batch',
        description: `Creates or updates up to ${MAX_CUSTOMER_BATCH.toLocaleString('en')} customers by the merchant's id. Omitted fields keep their value; null clears. Identities are added and must not belong to another customer. The whole batch is rejected when any item is bad, and nothing of it is stored: \`errors[]\` lists every problem of every item at once (its fields, its custom fields, identities that belong to another customer).`,
        headers: workspaceHeaders,
        body: batchBody('customers', customerInputSchema, MAX_CUSTOMER_BATCH),
      },
    },
    async (request) => {
      const context = await contextOf(request, options);
      // Unchecked so far (see batchBody): the engine tells every problem of every item at once.
      const items: readonly unknown[] = request.body.customers;
      const { received, created, updated, unchanged } = await upsertCustomers(context, items);
      // Here `updated` has always counted every customer that was there, changed or not.
      return { received, created, updated: updated + unchanged };
    },
  );

  app.get(
    '/customers',
    {
      schema: {
        tags: ['customers'],
        summary: 'List and search customers',
        description:
          'In the order customers were created; searches by name (a substring, full-width letters and digits as plain ones, or its pinyin: `weiguilan`, `guil`, `wgl`, `gl` find 魏桂兰), merchant id or any identity (phone, email, WeChat id, …). Page by `offset`, or pass the `next_cursor` of a page as `cursor` to continue after it. Without `q`, the total and the page come from the in-memory index, so a page a million rows deep is as fast as the first.',
        headers: workspaceHeaders,
        querystring: pageQuery.extend({
          q: z.string().max(MAX_SEARCH_LENGTH).optional(),
          cursor: z.string().max(64).optional().describe('The `next_cursor` of the previous page; `offset` then counts from there'),
        }),
      },
    },
    async (request) => {
      assertBrowsable(request, request.query);
      const page = await listCustomers(await contextOf(request, options), request.query, options.audience);
      // A role that reads the first rows only may not continue by a cursor: offering one that can only be refused misleads.
      return roleAllows(accessOf(request).role, 'export') ? page : { ...page, next_cursor: null };
    },
  );

  app.get(
    '/customers/lookup',
    {
      schema: {
        tags: ['customers'],
        summary: 'Find a customer by an identity',
        headers: workspaceHeaders,
        querystring: z.object({ kind: z.enum(IDENTITY_KINDS), value: z.string().min(1).max(256) }),
      },
    },
    async (request) => findCustomerByIdentity(await contextOf(request, options), request.query.kind, request.query.value),
  );

  app.get(
    '/customers/:id',
    {
      config: { conditional: {} },
      schema: {
        tags: ['customers'],
        summary: "A customer's portrait",
        description: `Fields, identities, tags as \`name: value\` with source, actor, time and expiry, recent events and recent tag history. ${ETAG_NOTE}`,
        headers: workspaceHeaders,
        params: customerParams,
        querystring: portraitQuery,
      },
    },
    async (request, reply) => {
      const text = await getPortraitJson(await contextOf(request, options), request.params.id, request.query);
      // Already JSON: the type Fastify gives the objects it serializes, so the reply is the same.
      reply.type('application/json; charset=utf-8');
      return text;
    },
  );

  app.get(
    '/customers/:id/history',
    {
      schema: {
        tags: ['customers'],
        summary: "A customer's tag history, newest first",
        headers: workspaceHeaders,
        params: customerParams,
        description: 'Page by passing a page\'s `next_cursor` as `cursor`: the next page starts right after its last change (changes of one instant are never split or repeated); `next_cursor` is null on the last page. `before` keeps only changes before a time.',
        querystring: z.object({
          limit: numberParameter(z.number().int().min(1).max(1000).default(100)),
          before: isoTime.optional().describe(`Only changes before this time (${workspaceTimeNote()})`),
          cursor: z.string().max(128).optional().describe('The `next_cursor` of the previous page'),
        }),
      },
    },
    async (request) => {
      const context = await contextOf(request, options);
      const before = (await optionalInstant(context, request.query.before)) ?? undefined;
      return getCustomerHistory(context, request.params.id, { limit: request.query.limit, before, cursor: request.query.cursor });
    },
  );

  app.post(
    '/customers/:id/merge',
    {
      schema: {
        tags: ['customers'],
        summary: 'Merge another customer into this one',
        description: 'Identities, events, tags and history of `from` move to this customer; `from` keeps resolving to it.',
        headers: workspaceHeaders,
        params: customerParams,
        body: z.strictObject({ from: z.string().min(1).max(128) }),
      },
    },
    async (request) => mergeCustomers(await contextOf(request, options), request.params.id, request.body.from),
  );

  app.delete(
    '/customers/:id',
    {
      config: { deletesTagged: {} },
      schema: {
        tags: ['customers'],
        summary: 'Erase a customer on request (PIPL, GDPR)',
        description:
          `Erases the person for good: this record and every record merged into it, with their identities, events, tags, tag history, metrics and places in segment snapshots. Answers how much went. What stays is that an erasure happened (see \`GET /erasures\`), without the id. Events sent again later make a new customer. ${IF_MATCH_DELETE_NOTE} The ETag is the portrait's as \`GET /customers/{id}\` answers it without \`events\` or \`history\`.`,
        headers: workspaceHeaders,
        params: customerParams,
      },
    },
    async (request) => {
      const context = await contextOf(request, options);
      await assertMatch(request, async () => [JSON.parse(await getPortraitJson(context, request.params.id, { events: PORTRAIT_PAGE, history: PORTRAIT_PAGE })) as unknown]);
      return eraseCustomer(context, request.params.id);
    },
  );

  app.delete(
    '/customers/:id/identities/:kind/:value',
    {
      config: NO_CONTENT,
      schema: {
        tags: ['customers'],
        summary: 'Take one identity away from a customer',
        description:
          'For a phone number changed, a member card cancelled, an e-mail address to be forgotten: the customer no longer has it (`has_phone` … and the rules reading them follow) and it may be given to another customer. `value` is URL-encoded and read as stored values are (`+86 138-0013-8000` is `13800138000`), or as a role that sees identifiers masked is shown it (`138****5678`), which names the identity when only one of the customer\'s identities of that kind looks so.',
        headers: workspaceHeaders,
        params: customerParams.extend({ kind: z.enum(IDENTITY_KINDS), value: z.string().min(1).max(256) }),
      },
    },
    async (request, reply) => {
      const { id, kind, value } = request.params;
      await removeIdentity(await contextOf(request, options), id, kind, value);
      return reply.status(204).send();
    },
  );

  app.get(
    '/erasures',
    {
      schema: {
        tags: ['customers'],
        summary: 'Whether a customer id was erased: the erasures recorded under it, newest first',
        headers: workspaceHeaders,
        querystring: z.object({ customer: z.string().min(1).max(MAX_CUSTOMER_ID) }),
      },
    },
    async (request) => ({ items: await findErasures(await contextOf(request, options), request.query.customer) }),
  );

  app.post(
    '/customers/:id/tags',
    {
      schema: {
        tags: ['tagging'],
        summary: 'Tag one customer',
        description: 'A single-valued tag replaces its current value; a multi-valued tag adds one. `expires_at` null means never; absent uses the tag default.',
        headers: workspaceHeaders,
        params: customerParams,
        body: z.strictObject({ tag: z.string().min(1), value: z.string().min(1), expires_at: expiryTime.nullable().optional() }),
      },
    },
    async (request) => {
      const context = await contextOf(request, options);
      const { tag, value, expires_at } = request.body;
      const expiresAt = await optionalExpiry(context, expires_at);
      return placingUnknownTag('tag', tag, () => oneCustomer(assignTag(context, { tag, value, customers: [request.params.id], expiresAt, source: taggingSourceOf(request, context) })));
    },
  );

  app.delete(
    '/customers/:id/tags/:tag',
    {
      schema: {
        tags: ['tagging'],
        summary: 'Remove a tag (every value, or only `value`) from one customer',
        headers: workspaceHeaders,
        params: customerParams.extend({ tag: z.string().min(1) }),
        querystring: z.object({ value: z.string().min(1).optional() }),
      },
    },
    async (request) => {
      const context = await contextOf(request, options);
      return oneCustomer(removeTag(context, { tag: request.params.tag, value: request.query.value, customers: [request.params.id], source: taggingSourceOf(request, context) }));
    },
  );
};

/**
 * Tagging of the one customer the address names goes through bulk tagging's list of one. An
 * unknown id is placed where it is, the path parameter `id` (`index` -1, no pointer: it is in no
 * body), not as the entry 0 of a `customers` list the request does not have.
 */
async function oneCustomer<T>(tagging: Promise<T>): Promise<T> {
  try {
    return await tagging;
  } catch (error) {
    if (!(error instanceof TagbaseError) || error.code !== 'CUSTOMER_NOT_FOUND') throw error;
    const placed = (error.items ?? []).map(({ inItem: _entry, ...item }) => ({ ...item, index: -1, path: 'id' }));
    throw new TagbaseError('CUSTOMER_NOT_FOUND', error.params, placed);
  }
}
