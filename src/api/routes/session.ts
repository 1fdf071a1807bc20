// Who the caller is: whether this server asks for tokens, and what the caller's token may do.
// Answered without a token, so that a client (the console) knows whether to ask for one.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ROLE_PERMISSIONS } from '../../core/access.js';
import { resolveAccess } from '../access.js';
import type { AppOptions } from '../app.js';

export const sessionRoutes: FastifyPluginAsyncZod<AppOptions> = async (app, options) => {
  app.get(
    '/session',
    {
      schema: {
        tags: ['access'],
        security: [],
        summary: 'Who the caller is and what it may do',
        description:
          'Answers without a token: `auth_required` says whether this server asks for one (once an administrator has created any with `tagbase token create`). With a token: its `name` (the actor recorded for what it does), `role`, `permissions` and whether personal identifiers reach it whole or masked. An unknown, revoked or expired token is `AUTH_INVALID` (401), its `detail` saying when an expired one expired.',
      },
    },
    async (request) => {
      const access = await resolveAccess(request, options.accessTokens, options.store);
      const authenticated = access.principal !== undefined;
      return {
        auth_required: access.required,
        authenticated,
        name: access.principal?.name ?? null,
        workspaces: access.principal?.workspaces ?? null,
        role: access.required && !authenticated ? null : access.role,
        permissions: access.required && !authenticated ? [] : [...ROLE_PERMISSIONS[access.role]],
        personal_data: access.personalData,
      };
    },
  );
};
