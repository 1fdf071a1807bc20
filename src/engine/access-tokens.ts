// Access tokens: an administrator creates one per person or integration, in a role; the API
// asks for one as soon as any exists. Only a hash is stored, so a copy of the database does
// not let anyone in.
import { createHash, randomBytes } from 'node:crypto';
import { ROLES, isRole, type Role } from '../core/access.js';
import { TagbaseError } from '../core/errors.js';
import { localized } from '../core/locale.js';
import type { Store } from '../store/connect.js';
import { recordAudit, type AuditSource } from './audit.js';

export interface AccessTokenJson {
  id: number;
  name: string;
  role: Role;
  created_at: string;
  revoked_at: string | null;
}

/** Who a request acts as. */
export interface Principal {
  name: string;
  role: Role;
}

const NAME_PATTERN = /^[^\p{Cc}]{1,64}$/u;

export function hashAccessToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function tokenJson(row: { id: number; name: string; role: string; created_at: number; revoked_at: number | null }): AccessTokenJson {
  return {
    id: Number(row.id),
    name: row.name,
    role: isRole(row.role) ? row.role : 'viewer',
    created_at: new Date(Number(row.created_at)).toISOString(),
    revoked_at: row.revoked_at === null ? null : new Date(Number(row.revoked_at)).toISOString(),
  };
}

/** Who makes or revokes a token, for the audit trail. */
export interface TokenAuthor {
  actor: string | null;
  source: AuditSource;
}

const FROM_THE_COMMAND_LINE: TokenAuthor = { actor: 'cli', source: 'cli' };

/** A new token in `role`; the token is in the answer and nowhere else. */
export async function createAccessToken(store: Store, input: { name: string; role: string }, now: Date, by: TokenAuthor = FROM_THE_COMMAND_LINE): Promise<AccessTokenJson & { token: string }> {
  const name = input.name.trim();
  if (!NAME_PATTERN.test(name)) throw new TagbaseError('VALIDATION_FAILED', { detail: localized('a token name is 1-64 characters', '令牌名称为 1–64 个字符') });
  if (!isRole(input.role)) throw new TagbaseError('VALIDATION_FAILED', { detail: localized(`the role is one of ${ROLES.join(', ')}`, `角色只能是 ${ROLES.join('、')} 之一`) });
  const role = input.role;
  const token = `tb_${randomBytes(32).toString('base64url')}`;
  return store.db.transaction().execute(async (trx) => {
    const taken = await trx.selectFrom('access_tokens').select('id').where('name', '=', name).where('revoked_at', 'is', null).executeTakeFirst();
    if (taken) throw new TagbaseError('ACCESS_TOKEN_NAME_TAKEN', { name });
    const row = await trx
      .insertInto('access_tokens')
      .values({ name, role, token_hash: hashAccessToken(token), created_at: now.getTime(), revoked_at: null })
      .returning(['id', 'name', 'role', 'created_at', 'revoked_at'])
      .executeTakeFirstOrThrow();
    await recordAudit(trx, { workspaceId: null, ...by, action: 'token create', target: `${name} (${role})`, status: null, at: now.getTime() });
    return { ...tokenJson(row), token };
  });
}

/** Every token, revoked ones too (their names stay in the history), newest first. */
export async function listAccessTokens(store: Store): Promise<AccessTokenJson[]> {
  const rows = await store.db.selectFrom('access_tokens').select(['id', 'name', 'role', 'created_at', 'revoked_at']).orderBy('id', 'desc').execute();
  return rows.map(tokenJson);
}

/** Revokes the live token named `name`; a running server refuses it within `TOKEN_CACHE_MS`. */
export async function revokeAccessToken(store: Store, name: string, now: Date, by: TokenAuthor = FROM_THE_COMMAND_LINE): Promise<AccessTokenJson> {
  return store.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('access_tokens')
      .set({ revoked_at: now.getTime() })
      .where('name', '=', name.trim())
      .where('revoked_at', 'is', null)
      .returning(['id', 'name', 'role', 'created_at', 'revoked_at'])
      .executeTakeFirst();
    if (!row) throw new TagbaseError('ACCESS_TOKEN_NOT_FOUND', { name: name.trim() });
    await recordAudit(trx, { workspaceId: null, ...by, action: 'token revoke', target: row.name, status: null, at: now.getTime() });
    return tokenJson(row);
  });
}

/** How long a server trusts what it read of the tokens; a token made or revoked by the CLI counts after this. */
export const TOKEN_CACHE_MS = 2_000;

/**
 * The live tokens as a server checks them on every request: read once per `TOKEN_CACHE_MS`
 * rather than once per request, which would add a query to every portrait read.
 */
export class AccessTokenDirectory {
  private principals = new Map<string, Principal>();
  private readAt = -Infinity;
  private reading: Promise<void> | undefined;

  constructor(
    private readonly store: Store,
    private readonly maxAgeMs = TOKEN_CACHE_MS,
  ) {}

  /** Whether the API asks for a token: once any live token exists. */
  async required(): Promise<boolean> {
    await this.fresh();
    return this.principals.size > 0;
  }

  /** Who `token` belongs to, or undefined for a token that is unknown or revoked. */
  async principalOf(token: string): Promise<Principal | undefined> {
    await this.fresh();
    return this.principals.get(hashAccessToken(token));
  }

  /** Forgets what was read, so a change made in this process counts at once. */
  invalidate(): void {
    this.readAt = -Infinity;
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
    const rows = await this.store.db.selectFrom('access_tokens').select(['name', 'role', 'token_hash']).where('revoked_at', 'is', null).execute();
    this.principals = new Map(rows.filter((row) => isRole(row.role)).map((row) => [row.token_hash, { name: row.name, role: row.role as Role }]));
    this.readAt = startedAt;
  }
}
