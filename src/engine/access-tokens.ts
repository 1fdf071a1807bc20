// Access tokens: an administrator creates one per person or integration, in a role; the API
// asks for one as soon as any exists. Only a hash is stored, so a copy of the database does
// not let anyone in.
import { createHash, randomBytes } from 'node:crypto';
import { ROLES, isRole, type Role } from '../core/access.js';
import { displayName, trimDisplayName } from '../core/display-name.js';
import { fieldError, TagbaseError } from '../core/errors.js';
import { localized } from '../core/locale.js';
import { describeIssues, REPORT_INPUT } from '../core/validation.js';
import { DAY_MS, systemClock, toIso, toIsoOrNull, type Clock } from '../core/time.js';
import { sql } from 'kysely';
import type { Store } from '../store/connect.js';
import { recordAudit, type AuditSource } from './audit.js';
import { TOKEN_REVOKE_LOCK } from '../store/advisory-locks.js';

export interface AccessTokenJson {
  id: number;
  name: string;
  role: Role;
  /** The workspaces it may act in; null for every one. */
  workspaces: string[] | null;
  created_at: string;
  /** When it stops being accepted; null for never. */
  expires_at: string | null;
  /** The last request it made, to the minute; null for never. */
  last_used_at: string | null;
  revoked_at: string | null;
}

/** Who a request acts as. */
export interface Principal {
  name: string;
  role: Role;
  /** The workspaces it may act in (a store's staff in their store); null for every one. */
  workspaces: string[] | null;
}

/** Whether `principal` may act in the workspace `key`. */
export function mayActIn(principal: Principal, key: string): boolean {
  return principal.workspaces === null || principal.workspaces.includes(key);
}

function workspacesOf(text: string | null): string[] | null {
  return text === null ? null : (JSON.parse(text) as string[]);
}

/** A token's name is checked as every other name is: trimmed of invisible characters at its ends, something visible, no control character. */
export const TOKEN_NAME = displayName(64);

export function hashAccessToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

const TOKEN_COLUMNS = ['id', 'name', 'role', 'workspaces', 'created_at', 'expires_at', 'last_used_at', 'revoked_at'] as const;

function tokenJson(row: {
  id: number;
  name: string;
  role: string;
  workspaces: string | null;
  created_at: number;
  expires_at: number | null;
  last_used_at: number | null;
  revoked_at: number | null;
}): AccessTokenJson {
  return {
    id: row.id,
    name: row.name,
    role: isRole(row.role) ? row.role : 'viewer',
    workspaces: workspacesOf(row.workspaces),
    created_at: toIso(row.created_at),
    expires_at: toIsoOrNull(row.expires_at),
    last_used_at: toIsoOrNull(row.last_used_at),
    revoked_at: toIsoOrNull(row.revoked_at),
  };
}

/** The longest a token may be made to last, in days. */
export const MAX_TOKEN_DAYS = 3650;

/** Who makes or revokes a token, for the audit trail. */
export interface TokenAuthor {
  actor: string | null;
  source: AuditSource;
  /** The HTTP status the API answers once it is done (201 for a token made), as the trail records every other call's; none from the command line. */
  status?: number | undefined;
}

const FROM_THE_COMMAND_LINE: TokenAuthor = { actor: 'cli', source: 'cli' };

/** A new token in `role`, lasting `expiresInDays` when given; the token is in the answer and nowhere else. */
export async function createAccessToken(
  store: Store,
  input: { name: string; role: string; expiresInDays?: number | undefined; workspaces?: readonly string[] | undefined },
  now: Date,
  by: TokenAuthor = FROM_THE_COMMAND_LINE,
): Promise<AccessTokenJson & { token: string }> {
  const days = input.expiresInDays;
  if (days !== undefined && !(Number.isInteger(days) && days >= 1 && days <= MAX_TOKEN_DAYS)) {
    throw fieldError('body', 'expires_in_days', localized(`a token lasts 1 to ${MAX_TOKEN_DAYS} whole days`, `令牌有效期为 1 到 ${MAX_TOKEN_DAYS} 整天`));
  }
  const expiresAt = days === undefined ? null : now.getTime() + days * DAY_MS;
  const workspaces = input.workspaces === undefined ? null : [...new Set(input.workspaces.map((key) => key.trim()))];
  if (workspaces !== null && workspaces.length === 0) throw fieldError('body', 'workspaces', localized('name at least one workspace, or none for every workspace', '请至少指定一个工作空间，或不指定以适用于全部工作空间'));
  const checked = TOKEN_NAME.safeParse(input.name, REPORT_INPUT);
  if (!checked.success) throw fieldError('body', 'name', describeIssues(checked.error));
  const name = checked.data;
  if (!isRole(input.role)) throw fieldError('body', 'role', localized(`the role is one of ${ROLES.join(', ')}`, `角色只能是 ${ROLES.join('、')} 之一`));
  const role = input.role;
  const token = `tb_${randomBytes(32).toString('base64url')}`;
  return store.db.transaction().execute(async (trx) => {
    const taken = await trx.selectFrom('access_tokens').select('id').where('name', '=', name).where('revoked_at', 'is', null).executeTakeFirst();
    if (taken) throw new TagbaseError('ACCESS_TOKEN_NAME_TAKEN', { name });
    for (const key of workspaces ?? []) {
      if (!(await trx.selectFrom('workspaces').select('id').where('key', '=', key).executeTakeFirst())) throw new TagbaseError('WORKSPACE_NOT_FOUND', { workspace: key });
    }
    const row = await trx
      .insertInto('access_tokens')
      .values({ name, role, token_hash: hashAccessToken(token), workspaces: workspaces === null ? null : JSON.stringify(workspaces), created_at: now.getTime(), expires_at: expiresAt, last_used_at: null, revoked_at: null })
      .returning(TOKEN_COLUMNS)
      .executeTakeFirstOrThrow();
    const lasting = (days === undefined ? '' : `, ${days}d`) + (workspaces === null ? '' : `, ${workspaces.join(' ')}`);
    await recordAudit(trx, { workspaceId: null, actor: by.actor, source: by.source, action: 'token create', target: `${name} (${role}${lasting})`, status: by.status ?? null, at: now.getTime() });
    return { ...tokenJson(row), token };
  });
}

/** Every token, revoked ones too (their names stay in the history), newest first. */
export async function listAccessTokens(store: Store): Promise<AccessTokenJson[]> {
  const rows = await store.db.selectFrom('access_tokens').select(TOKEN_COLUMNS).orderBy('id', 'desc').execute();
  return rows.map(tokenJson);
}


/** An administrator of every workspace: over the API, only such a token manages tokens. */
function managesTokens(token: { role: string; workspaces: string | null }): boolean {
  return token.role === 'admin' && token.workspaces === null;
}

/** Whether a live token is still accepted at `now`: an expired one signs nobody in, so it keeps no administrator. */
const acceptedAt = (now: Date) => (token: { expires_at: number | null }) => token.expires_at === null || token.expires_at > now.getTime();

/**
 * Revokes the live token named `name`; a running server refuses it within `TOKEN_CACHE_MS`.
 * With `keepAnAdministrator` (the API's revoke) it refuses, `LAST_ADMIN_TOKEN`, to revoke the
 * last live administrator token for every workspace that is still accepted (not expired) while
 * other tokens stay live. That is
 * checked in the revoking transaction, once revokes are serialized (SQLite's one writer: the
 * update comes first; PostgreSQL: an advisory lock), so two revokes at once cannot each see the
 * other's token still live and both go through.
 */
export async function revokeAccessToken(store: Store, name: string, now: Date, by: TokenAuthor = FROM_THE_COMMAND_LINE, options: { keepAnAdministrator?: boolean } = {}): Promise<AccessTokenJson> {
  return store.db.transaction().execute(async (trx) => {
    if (store.dialect === 'postgres') await sql`select pg_advisory_xact_lock(${TOKEN_REVOKE_LOCK}, 0)`.execute(trx);
    const row = await trx
      .updateTable('access_tokens')
      .set({ revoked_at: now.getTime() })
      .where('name', '=', trimDisplayName(name))
      .where('revoked_at', 'is', null)
      .returning(TOKEN_COLUMNS)
      .executeTakeFirst();
    if (!row) throw new TagbaseError('ACCESS_TOKEN_NOT_FOUND', { name: trimDisplayName(name) });
    if (options.keepAnAdministrator && managesTokens(row) && acceptedAt(now)(row)) {
      const live = await trx.selectFrom('access_tokens').select(['role', 'workspaces', 'expires_at']).where('revoked_at', 'is', null).execute();
      // Thrown inside the transaction: the revoke is rolled back.
      if (live.length > 0 && !live.some((token) => managesTokens(token) && acceptedAt(now)(token))) throw new TagbaseError('LAST_ADMIN_TOKEN', { name: row.name });
    }
    await recordAudit(trx, { workspaceId: null, actor: by.actor, source: by.source, action: 'token revoke', target: row.name, status: by.status ?? null, at: now.getTime() });
    return tokenJson(row);
  });
}

/** How long a server trusts what it read of the tokens; a token made or revoked by the CLI counts after this. */
export const TOKEN_CACHE_MS = 2_000;

/** How often a server writes down when its tokens were last used. */
export const TOKEN_USE_WRITE_MS = 60_000;

interface LiveToken extends Principal {
  expiresAt: number | null;
}

/**
 * The live tokens as a server checks them on every request: read once per `TOKEN_CACHE_MS`
 * rather than once per request, which would add a query to every portrait read. When each was
 * last used is kept here and written once per `TOKEN_USE_WRITE_MS`, for the same reason.
 */
export class AccessTokenDirectory {
  private tokens = new Map<string, LiveToken>();
  private readAt = -Infinity;
  private reading: Promise<void> | undefined;
  private usedAt = new Map<string, number>();
  private usageWrittenAt = performance.now();

  constructor(
    private readonly store: Store,
    private readonly maxAgeMs = TOKEN_CACHE_MS,
    private readonly now: Clock = systemClock,
  ) {}

  /**
   * Whether the API asks for a token: once any token exists that is not revoked. An expired
   * token still counts, so that tokens running out never opens the API.
   */
  async required(): Promise<boolean> {
    await this.fresh();
    return this.tokens.size > 0;
  }

  /** Who `token` belongs to, or undefined for a token that is unknown, expired or revoked. */
  async principalOf(token: string): Promise<Principal | undefined> {
    await this.fresh();
    const at = this.now().getTime();
    const hash = hashAccessToken(token);
    const live = this.tokens.get(hash);
    if (!live || (live.expiresAt !== null && live.expiresAt <= at)) return undefined;
    this.usedAt.set(hash, at);
    // Behind the request, never failing it: a missed write only leaves "last used" a minute older.
    if (performance.now() - this.usageWrittenAt >= TOKEN_USE_WRITE_MS) void this.writeUsage().catch(() => undefined);
    return { name: live.name, role: live.role, workspaces: live.workspaces };
  }

  /** When `token`, a live token's, stopped being accepted; undefined when it is not one that has expired. */
  async expiredAt(token: string): Promise<Date | undefined> {
    await this.fresh();
    const expiresAt = this.tokens.get(hashAccessToken(token))?.expiresAt ?? null;
    return expiresAt !== null && expiresAt <= this.now().getTime() ? new Date(expiresAt) : undefined;
  }

  /** Forgets what was read, so a change made in this process counts at once. */
  invalidate(): void {
    this.readAt = -Infinity;
  }

  /** Writes down when tokens were last used (also when the server stops). */
  async writeUsage(): Promise<void> {
    this.usageWrittenAt = performance.now();
    const used = [...this.usedAt];
    this.usedAt.clear();
    for (const [hash, at] of used) {
      await this.store.db
        .updateTable('access_tokens')
        .set({ last_used_at: at })
        .where('token_hash', '=', hash)
        .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', at)]))
        .execute();
    }
  }

  private async fresh(): Promise<void> {
    if (performance.now() - this.readAt < this.maxAgeMs) return;
    this.reading ??= this.read().finally(() => {
      this.reading = undefined;
    });
    await this.reading;
  }

  private async read(): Promise<void> {
    const startedAt = performance.now();
    const rows = await this.store.db.selectFrom('access_tokens').select(['name', 'role', 'token_hash', 'workspaces', 'expires_at']).where('revoked_at', 'is', null).execute();
    this.tokens = new Map(
      rows
        .filter((row) => isRole(row.role))
        .map((row) => [row.token_hash, { name: row.name, role: row.role as Role, workspaces: workspacesOf(row.workspaces), expiresAt: row.expires_at }]),
    );
    this.readAt = startedAt;
  }
}
