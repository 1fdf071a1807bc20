// The audit trail over HTTP, for administrators: who changed what, newest first.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { listAudit, MAX_LISTED_AUDIT } from '../../engine/audit.js';
import { accessOf } from '../access.js';
import { contextOf, type AppOptions } from '../app.js';
import { replyLocale } from '../locale.js';
import { numberParameter, workspaceHeaders } from './shared.js';

export const auditRoutes: FastifyPluginAsyncZod<AppOptions> = async (app, options) => {
  app.get(
    '/audit',
    {
      schema: {
        tags: ['access'],
        summary: 'The audit trail: who changed what, when, newest first',
        description: `Every call that changed something or exported customers (and a signed-in user's refused attempt, status 403), and every \`tagbase\` command that changed stored data or exported customers; in this workspace and outside any (tokens, new workspaces; not for a token limited to some workspaces, which sees its workspace's alone). \`summary\` names the action in the request's language. At most ${MAX_LISTED_AUDIT} per page; \`next_before\` pages on. Administrators only.`,
        headers: workspaceHeaders,
        querystring: z.object({
          limit: numberParameter(z.number().int().min(1).max(MAX_LISTED_AUDIT).default(50)),
          before: numberParameter(z.number().int().min(1).optional()),
          actor: z.string().min(1).max(64).optional(),
        }),
      },
    },
    async (request, reply) => {
      const context = await contextOf(request, options);
      // A store's administrator (a token limited to some workspaces) manages no tokens or workspaces, and reads no one's doings with them.
      const serverWide = (accessOf(request).principal?.workspaces ?? null) === null;
      return listAudit(context.store, { workspaceId: context.workspaceId, ...request.query, serverWide }, replyLocale(reply));
    },
  );
};
