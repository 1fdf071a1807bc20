// `tagbase token create|list|revoke`: access tokens from the terminal. Only whoever can open
// the store can make one, which is what makes the first administrator.
import type { Locale } from '../core/locale.js';
import { createAccessToken, listAccessTokens, revokeAccessToken } from '../engine/access-tokens.js';
import type { Store } from '../store/connect.js';
import { terminalTable } from './commander-locale.js';
import { cliMessages } from './messages.js';
import { withMigratedStore } from './store-options.js';

export interface TokenCommandOptions {
  database?: string | undefined;
  locale?: Locale | undefined;
}

const liveCount = async (store: Store) => (await listAccessTokens(store)).filter((token) => token.revoked_at === null).length;

export function createTokenCommand(name: string, role: string, options: TokenCommandOptions & { expiresIn?: number | undefined; workspace?: string[] | undefined }): Promise<string> {
  const say = cliMessages(options.locale);
  return withMigratedStore(options.database, async (store) => {
    const made = await createAccessToken(store, { name, role, expiresInDays: options.expiresIn, workspaces: options.workspace }, new Date());
    const lines = [say('token.created', { name: made.name, role: made.role, token: made.token })];
    if (made.expires_at !== null) lines.push(say('token.expiresAt', { at: made.expires_at }));
    if ((await liveCount(store)) === 1) lines.push(say('token.firstCreated'));
    return lines.join('\n');
  });
}

export function listTokensCommand(options: TokenCommandOptions): Promise<string> {
  const say = cliMessages(options.locale);
  return withMigratedStore(options.database, async (store) => {
    const tokens = await listAccessTokens(store);
    if (tokens.length === 0) return say('token.none');
    // One column each, aligned as the other lists are; a column no token has a word in is left out.
    const rows = tokens.map((token) => [
      token.name,
      token.role,
      say('token.createdAt', { created: token.created_at }),
      token.workspaces === null ? '' : say('token.onlyIn', { keys: token.workspaces.join(', ') }),
      token.expires_at === null ? '' : say(Date.parse(token.expires_at) <= Date.now() ? 'token.expiredAt' : 'token.expiresOn', { at: token.expires_at }),
      token.last_used_at === null ? say('token.neverUsed') : say('token.usedAt', { at: token.last_used_at }),
      token.revoked_at === null ? '' : say('token.revokedAt', { at: token.revoked_at }),
    ]);
    return terminalTable(rows).join('\n');
  });
}

export function revokeTokenCommand(name: string, options: TokenCommandOptions): Promise<string> {
  const say = cliMessages(options.locale);
  return withMigratedStore(options.database, async (store) => {
    const revoked = await revokeAccessToken(store, name, new Date());
    const lines = [say('token.revoked', { name: revoked.name })];
    if ((await liveCount(store)) === 0) lines.push(say('token.lastRevoked'));
    return lines.join('\n');
  });
}
