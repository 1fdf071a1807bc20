// Webhooks: tag changes, segment changes, care reminders and customers merged or erased posted to an integrator's URL (see src/engine/webhooks.ts).
import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  listWebhookDeliveries,
  listWebhooks,
  pauseWebhook,
  resumeWebhook,
  retryWebhook,
  rotateWebhookSecret,
  testWebhook,
  updateWebhook,
  webhookInputSchema,
  webhookPatchSchema,
  webhookSecretSchema,
} from '../../engine/webhooks.js';
import type { WorkspaceContext } from '../../engine/context.js';
import { contextOf, type AppOptions } from '../app.js';
import { idParameter, workspaceHeaders } from './shared.js';
import { ETAG_NOTE, IF_MATCH_DELETE_NOTE, IF_MATCH_NOTE, NO_CONTENT, created } from '../openapi.js';
import { assertMatch } from '../conditional.js';

const webhookParams = z.object({ webhook: idParameter });

/** What an action on a webhook says of If-Match: checked against the webhook's ETag, as `GET /webhooks/{webhook}` gives it. */
const IF_MATCH_ACTION_NOTE =
  'With `If-Match: <ETag>` (as `GET /webhooks/{webhook}` gave it) it is done only if the webhook is still as it was read: otherwise `412 PRECONDITION_FAILED`, and nothing is done.';

export const webhookRoutes: FastifyPluginAsyncZod<AppOptions> = async (app, options) => {
  /** The request's workspace, once an If-Match it sends names the webhook's current ETag (412 otherwise, before anything is done). */
  const matchedContext = async (request: FastifyRequest, webhook: number): Promise<WorkspaceContext> => {
    const context = await contextOf(request, options);
    await assertMatch(request, async () => [await getWebhook(context, webhook)]);
    return context;
  };

  app.post(
    '/webhooks',
    {
      config: created('The new webhook, with its signing secret'),
      schema: {
        tags: ['webhooks'],
        summary: 'Post the workspace’s tag changes, customers entering and leaving saved segments, care reminders as they fall due, or customers merged away or erased, to a URL from now on',
        description:
          'Answers the webhook with its `secret` (given, or made here; shown only now): each post carries `X-Tagbase-Signature: sha256=<hex HMAC-SHA256 of the raw body>`, `X-Tagbase-Timestamp` (seconds since 1970) with `X-Tagbase-Signature-Timed: sha256=<hex HMAC-SHA256 of "{timestamp}.{raw body}">` for a receiver that turns replays away, and `X-Tagbase-Topic` (docs/api.md shows a receiver that checks them). Delivery is at least once, in order: a receiver drops a change whose `id` and `at` it has seen together (a reminder: `id` and `due_at`). `topics`: `tag_changes` (posts `{changes}`), `segment_changes` (posts `{changes}` of customers who `entered` or `left` a saved segment, within about a second), `care_reminders` (posts `{reminders}` as care reminders fall due), `customer_changes` (posts `{changes}` of customers `merged` into another, naming it as `into`, or `erased` on request, by id alone), or several; without `topics`, what the filters name: `segment_changes` for `segments` alone, both for `tags` and `segments`, `tag_changes` otherwise. `tags` limits the tag changes to those tags, by key or name (every shared tag by default), `segments` the segment changes to those saved segments, by key or name (every one by default).',
        headers: workspaceHeaders,
        body: webhookInputSchema,
      },
    },
    async (request, reply) => reply.status(201).send(await createWebhook(await contextOf(request, options), request.body, options.audience)),
  );

  app.get(
    '/webhooks',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'The workspace’s webhooks and how their deliveries are going',
        description:
          'Without secrets. `failures`, `last_error` and `failing_since` (when the failures in a row began) say how a failing webhook goes, `next_attempt_at` when it tries again. `paused_at`, `paused_by` and `paused_reason` are set while it is paused: `manual` by hand, `failing` when it paused itself after 3 days of failures in a row (`paused_by` `system`); resuming it posts what it has not delivered.',
        headers: workspaceHeaders,
      },
    },
    async (request) => ({ items: await listWebhooks(await contextOf(request, options)) }),
  );

  app.get(
    '/webhooks/:webhook',
    {
      config: { conditional: {} },
      schema: {
        tags: ['webhooks'],
        summary: 'One webhook and how its deliveries are going',
        description: `As the list answers each webhook, without its secret. ${ETAG_NOTE} Its ETag covers how its deliveries go too (\`failures\`, \`last_delivered_at\`, …): it changes as posts are made.`,
        headers: workspaceHeaders,
        params: webhookParams,
      },
    },
    async (request) => getWebhook(await contextOf(request, options), request.params.webhook),
  );

  app.patch(
    '/webhooks/:webhook',
    {
      config: { conditional: {} },
      schema: {
        tags: ['webhooks'],
        summary: 'Change where a webhook posts and what, keeping what it has not delivered yet',
        description: `Any of \`url\`, \`tags\`, \`segments\` and \`topics\`, as when made; a body naming none is \`VALIDATION_FAILED\`. What was not delivered yet goes to the new URL through the new filters; a topic added starts from now. A new URL ends the pause after failures. The secret stays. Answers the webhook as \`GET /webhooks/{webhook}\` does, with its new ETag. ${IF_MATCH_NOTE}`,
        headers: workspaceHeaders,
        params: webhookParams,
        body: webhookPatchSchema,
      },
    },
    async (request) => {
      const context = await matchedContext(request, request.params.webhook);
      return updateWebhook(context, request.params.webhook, request.body, options.audience);
    },
  );

  app.post(
    '/webhooks/:webhook/test',
    {
      // Checks If-Match, so that the URL tested is the one read; its answer is no representation of the
      // webhook. It changes nothing of it: waiting on a slow receiver, it holds back no other change.
      config: { deletesTagged: { changesNothing: true } },
      schema: {
        tags: ['webhooks'],
        summary: 'Post a test to a webhook now and say how its receiver answered',
        description:
          'Posts `{"webhook", "workspace", "test": true, "sent_at"}`, signed as every post is, with `X-Tagbase-Topic: test`, and answers `{delivered, status, error, took_ms}` whatever the receiver did: `delivered` when it answered 2xx, `status` null when it could not be reached or did not answer within 10 s. The webhook’s deliveries are left as they were. ' + IF_MATCH_ACTION_NOTE,
        headers: workspaceHeaders,
        params: webhookParams,
      },
    },
    async (request) => {
      const context = await matchedContext(request, request.params.webhook);
      return testWebhook(context, request.params.webhook);
    },
  );

  app.get(
    '/webhooks/:webhook/deliveries',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'A webhook’s last 100 posts and how its receiver answered, newest first',
        description:
          'Each delivery, retry and test post: `{id, topic, items, first_id, last_id, delivered, status, error, took_ms, at}`. `topic` is `test` for a test post; `first_id` and `last_id` are the ids of the first and last change or reminder in the post, as the receiver saw them.',
        headers: workspaceHeaders,
        params: webhookParams,
      },
    },
    async (request) => ({ items: await listWebhookDeliveries(await contextOf(request, options), request.params.webhook) }),
  );

  app.post(
    '/webhooks/:webhook/secret',
    {
      // Checks If-Match; its answer shows the secret, which `GET` does not: no representation of the webhook, and no ETag.
      config: { deletesTagged: {} },
      schema: {
        tags: ['webhooks'],
        summary: 'Give a webhook a new signing secret',
        description:
          'Answers the webhook with its new `secret` (the one sent, at least 16 characters, or 64 hex characters made here), shown only now. Posts from now on are signed with it; a post the receiver refuses while it still checks the old secret is retried like any failed post, so nothing is lost while it is switched over. The secret is no part of what `GET /webhooks/{webhook}` answers: its ETag stays. ' + IF_MATCH_ACTION_NOTE,
        headers: workspaceHeaders,
        params: webhookParams,
        body: webhookSecretSchema.nullish(),
      },
    },
    async (request) => {
      const context = await matchedContext(request, request.params.webhook);
      return rotateWebhookSecret(context, request.params.webhook, request.body ?? {});
    },
  );

  app.post(
    '/webhooks/:webhook/pause',
    {
      config: { conditional: {} },
      schema: {
        tags: ['webhooks'],
        summary: 'Stop a webhook posting for a while, keeping its place',
        description:
          'Answers the webhook with `paused_at` and `paused_by`. Nothing is posted to it until it is resumed; what happens meanwhile is kept and posted then, in order. Pausing a paused webhook changes nothing. Its answer carries the webhook’s new ETag. ' + IF_MATCH_ACTION_NOTE,
        headers: workspaceHeaders,
        params: webhookParams,
      },
    },
    async (request) => {
      const context = await matchedContext(request, request.params.webhook);
      return pauseWebhook(context, request.params.webhook);
    },
  );

  app.post(
    '/webhooks/:webhook/resume',
    {
      config: { conditional: {} },
      schema: {
        tags: ['webhooks'],
        summary: 'Let a paused webhook post again, starting with what it missed',
        description: 'Answers the webhook. The next delivery round (within a second) posts everything it has not delivered yet. A webhook that paused itself after failing for 3 days loses its `paused_reason` and `failing_since`: the 3 days start again from its next failure. Resuming a webhook that is not paused changes nothing. Its answer carries the webhook’s new ETag. ' + IF_MATCH_ACTION_NOTE,
        headers: workspaceHeaders,
        params: webhookParams,
      },
    },
    async (request) => {
      const context = await matchedContext(request, request.params.webhook);
      return resumeWebhook(context, request.params.webhook);
    },
  );

  app.post(
    '/webhooks/:webhook/retry',
    {
      config: { conditional: {} },
      schema: {
        tags: ['webhooks'],
        summary: 'Try a failing webhook again now, instead of when its pause runs out',
        description:
          'Answers the webhook. A failing webhook waits longer after each failure in a row (5 s, doubling, up to an hour); after its receiver is fixed, this makes the next delivery round (within a second) post. `failures` stays until a post gets through. A paused webhook is refused with `WEBHOOK_PAUSED` (409): resume it instead. Its answer carries the webhook’s new ETag. ' + IF_MATCH_ACTION_NOTE,
        headers: workspaceHeaders,
        params: webhookParams,
      },
    },
    async (request) => {
      const context = await matchedContext(request, request.params.webhook);
      return retryWebhook(context, request.params.webhook);
    },
  );

  app.delete(
    '/webhooks/:webhook',
    { config: { ...NO_CONTENT, deletesTagged: {} }, schema: { tags: ['webhooks'], summary: 'Stop a webhook', description: IF_MATCH_DELETE_NOTE, headers: workspaceHeaders, params: webhookParams } },
    async (request, reply) => {
      const context = await matchedContext(request, request.params.webhook);
      await deleteWebhook(context, request.params.webhook);
      return reply.status(204).send();
    },
  );
};
