// The store's own checks, for `tagbase doctor`: that it answers, that its schema is the one this
// version writes (no migration pending, none from a newer version), and that its SQLite file is
// whole (`PRAGMA quick_check`) or its PostgreSQL server new enough.
import { sql } from 'kysely';
import type { Store } from './connect.js';
import { isStoreDamage } from './connect.js';
import { migrationNames } from './migrations.js';

/** The oldest PostgreSQL the store runs on (materialised common table expressions came with 12). */
export const POSTGRES_MIN_VERSION = 12;

/** Problems `PRAGMA quick_check` lists at most; a badly damaged file can give thousands. */
const QUICK_CHECK_PROBLEMS = 10;

export type StoreCheck =
  | { check: 'reachable'; ok: boolean; dialect: Store['dialect']; location: string; error?: unknown }
  | { check: 'migrations'; ok: boolean; applied: number; pending: string[]; unknown: string[] }
  | { check: 'integrity'; ok: boolean; problems: string[] }
  | { check: 'server_version'; ok: boolean; version: string; major: number };

/**
 * Runs the checks in order, stopping after one that makes the next meaningless (a store that does
 * not answer). Reads only: a pending migration is reported, not applied. The integrity check reads
 * every page of a SQLite file, about as long as reading the file from disk.
 */
export async function checkStore(store: Store): Promise<StoreCheck[]> {
  const reached = { check: 'reachable', dialect: store.dialect, location: store.location } as const;
  try {
    await sql`select 1`.execute(store.db);
  } catch (error) {
    return [{ ...reached, ok: false, error }];
  }
  const checks: StoreCheck[] = [{ ...reached, ok: true }, await checkMigrations(store)];
  checks.push(store.dialect === 'sqlite' ? await checkIntegrity(store) : await checkServerVersion(store));
  return checks;
}

/** Opening the store failed before any check could run (a file damaged at its start, say). */
export function unreachableStore(dialect: Store['dialect'], location: string, error: unknown): StoreCheck[] {
  return [{ check: 'reachable', ok: false, dialect, location, error }];
}

async function checkMigrations(store: Store): Promise<StoreCheck> {
  const applied = (await appliedMigrations(store)) ?? [];
  const { pending, unknown } = migrationGap(applied);
  return { check: 'migrations', ok: pending.length === 0 && unknown.length === 0, applied: applied.length, pending, unknown };
}

/** The migrations the store records as applied; undefined in a store no version has brought up yet (no migrations table). */
export async function appliedMigrations(store: Store): Promise<string[] | undefined> {
  try {
    const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(store.db);
    return rows.map((row) => row.name);
  } catch (error) {
    if (isMissingTable(error)) return undefined;
    throw error;
  }
}

/** Against this version's migrations: those the store has still to apply, in order, and those it has that this version does not know (a newer version's). */
export function migrationGap(applied: readonly string[]): { pending: string[]; unknown: string[] } {
  const known = migrationNames();
  return { pending: known.filter((name) => !applied.includes(name)), unknown: applied.filter((name) => !known.includes(name)).sort() };
}

function isMissingTable(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return code === '42P01' || (error instanceof Error && /^no such table/.test(error.message));
}

async function checkIntegrity(store: Store): Promise<StoreCheck> {
  try {
    const { rows } = await sql<{ quick_check: string }>`pragma quick_check(${sql.raw(String(QUICK_CHECK_PROBLEMS))})`.execute(store.db);
    const problems = rows.map((row) => row.quick_check).filter((said) => said !== 'ok');
    return { check: 'integrity', ok: problems.length === 0, problems };
  } catch (error) {
    // Damage that stops the check itself (a page of the schema unreadable) is a finding like the others.
    if (!isStoreDamage(error)) throw error;
    return { check: 'integrity', ok: false, problems: [error instanceof Error ? error.message : String(error)] };
  }
}

async function checkServerVersion(store: Store): Promise<StoreCheck> {
  const { rows } = await sql<{ version: string; number: string }>`select current_setting('server_version') as version, current_setting('server_version_num') as number`.execute(store.db);
  return serverVersionCheck(rows[0]?.version ?? '', rows[0]?.number ?? '0');
}

/** The check of a server that says `server_version` (`16.4 (Debian 16.4-1)`) and `server_version_num` (`160004`). */
export function serverVersionCheck(version: string, number: string): StoreCheck {
  const major = Math.floor(Number(number) / 10_000);
  return { check: 'server_version', ok: major >= POSTGRES_MIN_VERSION, version: version.split(' ')[0] ?? version, major };
}
