// Workspaces (made, read, renamed, deleted) and custom field declarations.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { createCustomField, customFieldInputSchema, listCustomFields } from '../../engine/fields.js';
import { DEFAULT_UTC_OFFSET_MINUTES, MAX_WORKSPACE_NAME, WORKSPACE_KEY_PATTERN, WORKSPACE_KEY_RULE, createWorkspace, listWorkspaces } from '../../engine/workspaces.js';
import { currentWorkspace, updateWorkspace, utcOffsetSchema, workspacePatchSchema } from '../../engine/workspace-settings.js';
import { TagbaseError } from '../../core/errors.js';
import { deleteWorkspace, workspaceToDelete } from '../../engine/workspace-deletion.js';
import { auditActorOf, contextOf, type AppOptions } from '../app.js';
import { accessOf } from '../access.js';
import { actorHeader, workspaceHeaders } from './shared.js';
import { ETAG_NOTE, IF_MATCH_NOTE, created } from '../openapi.js';
import { assertMatch } from '../conditional.js';
import { visibleName } from '../../core/display-name.js';

export const workspaceRoutes: FastifyPluginAsyncZod<AppOptions> = async (app, options) => {
  app.get('/workspaces', { schema: { tags: ['workspaces'], summary: 'List workspaces (those the token may act in)' } }, async (request) => {
    const allowed = accessOf(request).principal?.workspaces ?? null;
    const items = await listWorkspaces(options.store);
    return { items: allowed === null ? items : items.filter((workspace) => allowed.includes(workspace.key)) };
  });

  app.post(
    '/workspaces',
    {
      config: created('The new workspace'),
      schema: {
        tags: ['workspaces'],
        summary: 'Create a workspace',
        description: `\`utc_offset_minutes\` is its time zone, minutes east of UTC in quarter hours (${DEFAULT_UTC_OFFSET_MINUTES}, China time, when left out): its days and windows are counted in it.`,
        headers: actorHeader,
        body: z.strictObject({
          key: z.string().regex(WORKSPACE_KEY_PATTERN, WORKSPACE_KEY_RULE),
          name: visibleName(MAX_WORKSPACE_NAME),
          utc_offset_minutes: utcOffsetSchema.optional(),
        }),
      },
    },
    async (request, reply) => reply.status(201).send(await createWorkspace(options.store, request.body.key, request.body.name, options.now, request.body.utc_offset_minutes)),
  );

  app.delete(
    '/workspaces/:key',
    {
      schema: {
        tags: ['workspaces'],
        summary: 'Delete a workspace and everything in it',
        description:
          'Its customers, events, tags and their history, segments and their snapshots, metrics, models, care plans and reminders, webhooks and their deliveries, imports, its export log and audit entries all go, and cannot be brought back. The workspace is first marked as being deleted: from then on every call naming it is refused (`WORKSPACE_DELETING`, 409) and `GET /workspaces` lists it with `deleting: {deleted_rows, total_rows}`; its rows then go in batches of a few thousand, each in a short transaction of its own, so that a large workspace never holds up the store\'s other writers, and the call answers once the workspace is gone. A deletion interrupted (a crash, a stop) is finished by the next call, `tagbase workspace delete` or the next start of `tagbase serve`; calling it again while it runs waits for it. The key is typed again as `confirm` (`?confirm=shop-hz`), or the call is refused (`WORKSPACE_NOT_CONFIRMED`, 400). The default workspace is never deleted (`WORKSPACE_DEFAULT_KEPT`, 409); an unknown key is `WORKSPACE_NOT_FOUND`. Tokens limited to this workspace alone are revoked when it is marked; one that also acts elsewhere loses it from its list. The store\'s audit trail keeps the deletion. Administrators of every workspace only.',
        headers: actorHeader,
        params: z.object({ key: z.string().min(1).max(64) }),
        querystring: z.object({ confirm: z.string().max(64).optional() }),
      },
    },
    async (request) => {
      const { key } = request.params;
      // Refused as it would be (the default one, an unknown key) before the confirmation is looked at.
      await workspaceToDelete(options.store, key);
      if (request.query.confirm !== key) throw new TagbaseError('WORKSPACE_NOT_CONFIRMED', { workspace: key });
      const deleted = await deleteWorkspace(options.store, key, options.now, { actor: auditActorOf(request), source: 'api', status: 200 }, options.forgetWorkspace);
      options.accessTokens.invalidate();
      return deleted;
    },
  );

  app.get(
    '/workspace',
    {
      config: { conditional: {} },
      schema: {
        tags: ['workspaces'],
        summary: 'The workspace: its key, name and time zone',
        description: `The workspace \`X-Tagbase-Workspace\` names, as \`GET /workspaces\` lists it and \`PATCH /workspace\` answers it. ${ETAG_NOTE}`,
        headers: workspaceHeaders,
      },
    },
    async (request) => currentWorkspace(await contextOf(request, options)),
  );

  app.patch(
    '/workspace',
    {
      config: { conditional: {} },
      schema: {
        tags: ['workspaces'],
        summary: 'Rename the workspace, or move it to another time zone',
        description:
          `Any of \`name\` and \`utc_offset_minutes\` (minutes east of UTC, in quarter hours, from -720 to 840); a body naming neither is \`VALIDATION_FAILED\`. A new time zone recounts every customer's days (windows, this year, birthdays, days since) and so recomputes their metrics and rule tags: the first chunk before this answers, the rest in the background, as when a metric is declared. Administrators only. Answers the workspace as \`GET /workspace\` does, with its new ETag. ${IF_MATCH_NOTE}`,
        headers: workspaceHeaders,
        body: workspacePatchSchema,
      },
    },
    async (request) => {
      const context = await contextOf(request, options);
      await assertMatch(request, async () => [await currentWorkspace(context)]);
      return updateWorkspace(context, request.body);
    },
  );

  app.get('/fields', { schema: { tags: ['customers'], summary: 'Custom field declarations', headers: workspaceHeaders } }, async (request) => ({
    items: await listCustomFields(await contextOf(request, options)),
  }));

  app.post(
    '/fields',
    { config: created('The declared field'), schema: { tags: ['customers'], summary: 'Declare a custom field', headers: workspaceHeaders, body: customFieldInputSchema } },
    async (request, reply) => reply.status(201).send(await createCustomField(await contextOf(request, options), request.body)),
  );
};
