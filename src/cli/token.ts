// `tagbase token create|list|revoke`: access tokens from the terminal. Only whoever can open
// the store can make one, which is what makes the first administrator.
import { TagbaseError } from '../core/errors.js';
import { trimDisplayName } from '../core/display-name.js';
import type { Locale } from '../core/locale.js';
import { formatUtcOffset, minuteInZone, minuteWithZone } from '../core/time.js';
import { createAccessToken, listAccessTokens, revokeAccessToken, type AccessTokenJson } from '../engine/access-tokens.js';
import { DEFAULT_UTC_OFFSET_MINUTES, DEFAULT_WORKSPACE, listWorkspaces } from '../engine/workspaces.js';
import type { Store } from '../store/connect.js';
import { terminalTable } from './commander-locale.js';
import { cliLocale } from './errors.js';
import { cliMessages, type Say } from './messages.js';
import type { SecretShown } from './secret.js';
import { withMigratedStore } from './store-options.js';

export interface TokenCommandOptions {
  database?: string | undefined;
  locale?: Locale | undefined;
  /** `list`: print the tokens as `GET /api/v1/tokens` lists them (never the tokens themselves) as JSON. */
  json?: boolean | undefined;
  /** Who acts, as the audit trail names them ('cli' when not given). */
  actor?: string | undefined;
}

/** Whom a token's entry in the audit trail names: the engine writes it with the change. */
const author = (options: TokenCommandOptions) => ({ actor: options.actor ?? 'cli', source: 'cli' as const });

const liveCount = async (store: Store) => (await listAccessTokens(store)).filter((token) => token.revoked_at === null).length;

/**
 * Tokens belong to no workspace: their times are written in the default workspace's zone, the
 * one a command without -w acts in, and that zone is named.
 */
async function tokenUtcOffset(store: Store): Promise<number> {
  return (await listWorkspaces(store)).find((workspace) => workspace.key === DEFAULT_WORKSPACE)?.utc_offset_minutes ?? DEFAULT_UTC_OFFSET_MINUTES;
}

export function createTokenCommand(name: string, role: string, options: TokenCommandOptions & { expiresIn?: number | undefined; workspace?: string[] | undefined }): Promise<SecretShown> {
  const say = cliMessages(options.locale);
  return withMigratedStore(options.database, async (store) => {
    const made = await createAccessToken(store, { name, role, expiresInDays: options.expiresIn, workspaces: options.workspace }, new Date(), author(options));
    const after = [say('token.sendAs')];
    if (made.expires_at !== null) {
      const offset = await tokenUtcOffset(store);
      after.push(say('token.expiresAt', { at: minuteWithZone(Date.parse(made.expires_at), offset, options.locale ?? cliLocale()) }));
    }
    if ((await liveCount(store)) === 1) after.push(say('token.firstCreated'));
    return { before: [say('token.created', { name: made.name, role: made.role })], secret: made.token, after };
  });
}

export function listTokensCommand(options: TokenCommandOptions): Promise<string> {
  const say = cliMessages(options.locale);
  return withMigratedStore(options.database, async (store) => {
    const tokens = await listAccessTokens(store);
    if (options.json) return JSON.stringify({ items: tokens }, null, 2);
    if (tokens.length === 0) return say('token.none');
    return formatTokens(tokens, say, await tokenUtcOffset(store), Date.now());
  });
}

/** One row a token, its times to the minute in `utcOffsetMinutes` (named once, at the end), as the other lists write them. */
export function formatTokens(tokens: readonly AccessTokenJson[], say: Say, utcOffsetMinutes: number, now: number): string {
  const time = (iso: string) => minuteInZone(Date.parse(iso), utcOffsetMinutes);
  // One column each, aligned as the other lists are; a column no token has a word in is left out.
  const rows = tokens.map((token) => [
    token.name,
    token.role,
    say('token.createdAt', { created: time(token.created_at) }),
    token.workspaces === null ? '' : say('token.onlyIn', { keys: token.workspaces }),
    token.expires_at === null ? '' : say(Date.parse(token.expires_at) <= now ? 'token.expiredAt' : 'token.expiresOn', { at: time(token.expires_at) }),
    token.last_used_at === null ? say('token.neverUsed') : say('token.usedAt', { at: time(token.last_used_at) }),
    token.revoked_at === null ? '' : say('token.revokedAt', { at: time(token.revoked_at) }),
  ]);
  return [...terminalTable(rows), say('customer.zone', { zone: formatUtcOffset(utcOffsetMinutes) })].join('\n');
}

/**
 * `tagbase token revoke NAME --yes`: only with --yes, as `segment delete` and `care remove`,
 * since a revoked token never works again; without, says which token would stop working. A
 * token that is not there (or already revoked) is said first: a --yes asked for would revoke nothing.
 */
export function revokeTokenCommand(name: string, options: TokenCommandOptions & { yes: boolean }): Promise<{ text: string; done: boolean }> {
  const say = cliMessages(options.locale);
  return withMigratedStore(options.database, async (store) => {
    if (!options.yes) {
      const liveTokens = (await listAccessTokens(store)).filter((token) => token.revoked_at === null);
      const live = liveTokens.find((token) => token.name === trimDisplayName(name));
      if (live === undefined) throw new TagbaseError('ACCESS_TOKEN_NOT_FOUND', { name: trimDisplayName(name) });
      // Said before, not only after: revoking the last one opens the API to anyone who can reach it.
      const lines = [say('token.revokeAsk', { name: live.name }), ...(liveTokens.length === 1 ? [say('token.revokeAskLast')] : [])];
      return { text: lines.join('\n'), done: false };
    }
    const revoked = await revokeAccessToken(store, name, new Date(), author(options));
    const lines = [say('token.revoked', { name: revoked.name })];
    if ((await liveCount(store)) === 0) lines.push(say('token.lastRevoked'));
    return { text: lines.join('\n'), done: true };
  });
}
