// Access tokens over HTTP, for administrators: the console's 访问令牌 page. The command line
// (`tagbase token`) does the same where the store can be opened.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ROLES } from '../../core/access.js';
import { TagbaseError } from '../../core/errors.js';
import { MAX_TOKEN_DAYS, TOKEN_NAME, createAccessToken, listAccessTokens, revokeAccessToken, type TokenAuthor } from '../../engine/access-tokens.js';
import { accessOf } from '../access.js';
import { auditActorOf, type AppOptions } from '../app.js';
import { created } from '../openapi.js';
import { actorHeader } from './shared.js';

const tokenParams = z.object({ name: z.string().min(1).max(64) });

export const tokenRoutes: FastifyPluginAsyncZod<AppOptions> = async (app, options) => {
  // Recorded in the change's own transaction, with the status it is answered with, as other calls are.
  const author = (request: Parameters<typeof auditActorOf>[0], status: number): TokenAuthor => ({ actor: auditActorOf(request), source: 'api', status });

  app.get('/tokens', { schema: { tags: ['access'], summary: 'Access tokens, revoked ones too, newest first (never the tokens themselves)' } }, async () => ({
    items: await listAccessTokens(options.store),
  }));

  app.post(
    '/tokens',
    {
      config: created('The new token (`tb_…`), shown this once'),
      schema: {
        tags: ['access'],
        summary: 'Make an access token',
        description:
          'Answers the token (`tb_…`) once; only its SHA-256 is stored. With `expires_in_days` it is refused from then on (`AUTH_INVALID`); an expired token still makes the API ask for tokens until it is revoked. With `workspaces` it acts only in those (a store\'s staff in their store), and manages no tokens or workspaces. While the API is open (no live token), the first token made here must be an `admin` one: from the moment it exists every call needs a token, and the caller signs in with it. `ACCESS_TOKEN_NAME_TAKEN` when a live token has the name.',
        headers: actorHeader,
        body: z.strictObject({
          name: TOKEN_NAME,
          role: z.enum(ROLES),
          expires_in_days: z.number().int().min(1).max(MAX_TOKEN_DAYS).optional(),
          workspaces: z.array(z.string().min(1).max(64)).min(1).max(1000).optional(),
        }),
      },
    },
    async (request, reply) => {
      const { name, role, expires_in_days: expiresInDays, workspaces } = request.body;
      if (!accessOf(request).required && (role !== 'admin' || workspaces !== undefined)) throw new TagbaseError('FIRST_TOKEN_NOT_ADMIN');
      const made = await createAccessToken(options.store, { name, role, expiresInDays, workspaces }, options.now(), author(request, 201));
      options.accessTokens.invalidate();
      return reply.status(201).send(made);
    },
  );

  app.delete(
    '/tokens/:name',
    {
      schema: {
        tags: ['access'],
        summary: 'Revoke the live token of that name; revoking the last one opens the API again',
        description: '`LAST_ADMIN_TOKEN` (409) for the last live administrator token that has not expired while other tokens are live (an expired one does not count; `tagbase token revoke` still can).',
        headers: actorHeader,
        params: tokenParams,
      },
    },
    async (request) => {
      // Over the API only an administrator of every workspace manages tokens: the last one must not lock them all out.
      const revoked = await revokeAccessToken(options.store, request.params.name, options.now(), author(request, 200), { keepAnAdministrator: true });
      options.accessTokens.invalidate();
      return revoked;
    },
  );
};
