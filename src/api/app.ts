// What every route plugin receives: the store, the clock, and the request's workspace context.
import type { FastifyRequest } from 'fastify';
import { fieldError } from '../core/errors.js';
import { localized } from '../core/locale.js';
import type { Clock } from '../core/time.js';
import type { ChangeObserver, RuleCandidateFinder, RulePassRunner, WorkspaceContext } from '../engine/context.js';
import type { Audience } from '../engine/segments.js';
import { openWorkspace } from '../engine/workspaces.js';
import type { Store } from '../store/connect.js';
import type { AccessTokenDirectory } from '../engine/access-tokens.js';
import { accessOf } from './access.js';
import { ACTOR_HEADER, CLIENT_HEADER, headerValue, workspaceKeyOf } from './headers.js';

export interface AppOptions {
  store: Store;
  now: Clock;
  /** Who matches an expression: the bitmap index. */
  audience: Audience;
  /** Told of every committed change, so the index follows the store. */
  observer?: ChangeObserver | undefined;
  /** Narrows passes of the rules over the whole workspace to the customers they could change. */
  ruleCandidates?: RuleCandidateFinder | undefined;
  /** Runs the rest of a saved rule's pass after the save has answered. */
  rulePasses?: RulePassRunner | undefined;
  /** Drops what the server keeps of a workspace that was deleted (its bitmap index). */
  forgetWorkspace?: ((workspaceId: number) => void) | undefined;
  /** The live access tokens; while there are none the API is open. */
  accessTokens: AccessTokenDirectory;
}

/**
 * The workspace named by the request (the default one when none is), acting as the token's
 * owner — or, while the API asks for no token, as the user the actor header names.
 */
export async function contextOf(request: FastifyRequest, app: AppOptions): Promise<WorkspaceContext> {
  const context = await openWorkspace(app.store, workspaceKeyOf(request), actorOf(request), app.now);
  const unnamedActor = headerValue(request, CLIENT_HEADER) === 'console' ? 'console' : undefined;
  return { ...context, unnamedActor, personalData: accessOf(request).personalData, observer: app.observer, ruleCandidates: app.ruleCandidates, rulePasses: app.rulePasses };
}

/**
 * Where tagging comes from: by hand when a person is named (a token's owner, the actor header)
 * or the web console sent it (without tokens its user may leave the name empty); otherwise an
 * integration through the API.
 */
export function taggingSourceOf(request: FastifyRequest, context: Pick<WorkspaceContext, 'actor'>): 'manual' | 'api' {
  return context.actor !== null || headerValue(request, CLIENT_HEADER) === 'console' ? 'manual' : 'api';
}

/**
 * Whom the audit trail records a call by: who acts (`actorOf`), or the web console for its calls
 * that name nobody, as tag history records them (`console`). A call naming nobody otherwise is
 * stored without a name, and the trail reads it as `api`, as tag history names it.
 */
export function auditActorOf(request: FastifyRequest): string | null {
  return actorOf(request) ?? (headerValue(request, CLIENT_HEADER) === 'console' ? 'console' : null);
}

/** Who acts: the token's owner, or while no token is asked for, whom the actor header names. */
export function actorOf(request: FastifyRequest): string | null {
  const actor = accessOf(request).principal?.name ?? headerValue(request, ACTOR_HEADER) ?? null;
  if (actor !== null && actor.length > 64) throw fieldError('header', ACTOR_HEADER, localized('the actor name is at most 64 characters', '操作人名称最多 64 个字符'));
  // As a token's name may not: a line break would read as a second entry in `tagbase audit`.
  if (actor !== null && /\p{Cc}/u.test(actor)) throw fieldError('header', ACTOR_HEADER, localized('the actor name may not hold control characters (a line break, a tab)', '操作人名称中不能含有控制字符（换行符、制表符）'));
  return actor;
}
