// A PostgreSQL role the server lets in but that lacks rights the store needs (SQLSTATE 42501,
// insufficient_privilege): said with the role, the right and the table or schema, and the GRANT
// that gives it, where the driver's words ("permission denied for table workspaces") named none.
import { sql, type Kysely } from 'kysely';
import { TagbaseError } from '../core/errors.js';
import { localized, type LocalizedText } from '../core/locale.js';
import { COPIED_TABLES, SKIPPED_TABLES } from './copy.js';
import { withoutJit } from './catalog-look.js';
import type { Store } from './connect.js';
import type { Database } from './schema.js';

/** What tagbase does with every one of its tables, and with the sequences behind their ids. */
const TABLE_RIGHTS = ['select', 'insert', 'update', 'delete'] as const;

/** Every table of the store, the migrator's own included. */
const STORE_TABLES: readonly string[] = [...COPIED_TABLES.map(({ table }) => table), ...SKIPPED_TABLES, 'kysely_migration', 'kysely_migration_lock'];

export function isPermissionDenied(error: unknown): boolean {
  return error instanceof Error && (error as { code?: unknown }).code === '42501';
}

/**
 * Whether PostgreSQL refused a right on one of the store's tables or sequences ("permission denied
 * for table tags"), which assertRoleRights sees granted back, rather than on its schema or anything else.
 */
export function refusedOnTable(error: unknown): boolean {
  const kind = error instanceof Error ? refusedObject(error.message)?.kind : undefined;
  return kind === 'table' || kind === 'sequence';
}

/** The role the store connects as, the schema its tables are in and that schema's owner. */
export interface RoleInSchema {
  role: string;
  schema: string;
  /** Undefined when the schema is not there. */
  owner: string | undefined;
  /** Whether the role may use the schema at all (USAGE). */
  usage: boolean;
}

export async function roleInSchema(db: Kysely<Database>, named?: string): Promise<RoleInSchema> {
  const { rows } = await sql<{ role: string; schema: string | null }>`select current_user as role, current_schema() as schema`.execute(db);
  const role = rows[0]?.role ?? '';
  // current_schema() skips a schema the role may not use: the refusal names it then.
  const schema = named ?? rows[0]?.schema ?? 'public';
  const { rows: found } = await sql<{ owner: string; usage: boolean }>`select pg_get_userbyid(nspowner) as owner, has_schema_privilege(oid, 'USAGE') as usage from pg_namespace where nspname = ${schema}`.execute(db);
  return { role, schema, owner: found[0]?.owner, usage: found[0]?.usage ?? false };
}

/** The object PostgreSQL named in its refusal: "permission denied for table x", "must be owner of table x". */
function refusedObject(said: string): { kind: string; name: string; owner: boolean } | undefined {
  const found = /^(permission denied for|must be owner of) (schema|table|relation|sequence|view|function|database) "?([^"\s]+)"?/.exec(said);
  if (found === undefined || found === null) return undefined;
  return { kind: found[2] === 'relation' ? 'table' : (found[2] ?? ''), name: found[3] ?? '', owner: found[1] === 'must be owner of' };
}

/** The statements that give `role` what tagbase needs in `schema`, to run as its owner. */
function grants(schema: string, role: string): string {
  const s = quotedName(schema);
  const r = quotedName(role);
  return `grant usage on schema ${s} to ${r}; grant ${TABLE_RIGHTS.join(', ')} on all tables in schema ${s} to ${r}; grant usage on all sequences in schema ${s} to ${r}`;
}

/** A name as a statement needs it: as it is when PostgreSQL would read it back unchanged, in double quotes otherwise. */
function quotedName(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/** `as the owner (x), run …` */
function asOwner(owner: string | undefined, statements: string): LocalizedText {
  return owner === undefined
    ? localized(`run \`${statements}\``, `请执行 \`${statements}\``)
    : localized(`as the schema's owner ${owner}, run \`${statements}\`; or connect as ${owner}`, `请以模式的所有者 ${owner} 的身份执行 \`${statements}\`；或以 ${owner} 的身份连接`);
}

/** Run migrations as the owner: a role that may not make or change tables cannot bring the store up to date. */
function migrateAsOwner(owner: string | undefined): LocalizedText {
  const who = owner ?? 'the owner of the schema';
  const whoZh = owner ?? '该模式的所有者';
  return localized(
    `run \`tagbase migrate\` once with a URL naming ${who}, then start again with this one`,
    `请用指向 ${whoZh} 的地址运行一次 \`tagbase migrate\`，再用此地址启动`,
  );
}

/**
 * The refusal as STORE_PERMISSION_DENIED, naming the URL, the role, what it may not do and how to
 * give it the right, the role and schema asked of the database. `migrating`: the refusal came
 * while the store's migrations ran.
 */
export async function permissionDenied(db: Kysely<Database>, error: unknown, location: string, migrating = false): Promise<TagbaseError | undefined> {
  if (!isPermissionDenied(error)) return undefined;
  const object = refusedObject((error as Error).message);
  const session = await roleInSchema(db, object?.kind === 'schema' ? object.name : undefined).catch(() => undefined);
  return describePermissionDenied(error, location, session, migrating);
}

/** The same, with the role and schema known beforehand (undefined: not known, the URL's role said without its name). */
export function describePermissionDenied(error: unknown, location: string, session: RoleInSchema | undefined, migrating = false): TagbaseError {
  const said = error instanceof Error ? error.message : String(error);
  const object = refusedObject(said);
  const role = session?.role;
  const schema = object?.kind === 'schema' ? object.name : (session?.schema ?? 'public');
  const pg = `${said}, SQLSTATE 42501`;
  const theRole = role === undefined ? localized("the URL's role", '地址中的用户') : localized(`the role ${role}`, `用户 ${role} `);
  let what: LocalizedText;
  let remedy: LocalizedText;
  if (object?.owner === true) {
    what = localized(`may not change the ${object.kind} ${object.name}, which the store's migrations do`, `无权修改${kindZh(object.kind)} ${object.name}，而数据库迁移需要修改它`);
    remedy = migrateAsOwner(session?.owner);
  } else if (object?.kind === 'schema' && session?.usage === true && session.schema === schema) {
    // It may use the schema: what it was refused is making tables there, a migration's work.
    what = localized(`may not create tables in the schema ${schema}, which the store's migrations do`, `无权在模式 ${schema} 中建表，而数据库迁移需要建表`);
    remedy = migrateAsOwner(session.owner);
  } else if (object?.kind === 'schema') {
    what = localized(`may not use the schema ${schema}`, `无权使用模式 ${schema}`);
    remedy = asOwner(session?.owner, grants(schema, role ?? '<role>'));
  } else {
    const named = object === undefined ? localized("one of the store's tables", '数据库中的某张表') : localized(`the ${object.kind} ${object.name}`, `${kindZh(object.kind)} ${object.name} `);
    what = localized(`lacks a right tagbase needs on ${named.en}, which it reads and writes`, `缺少 tagbase 读写${named['zh-CN']}所需的权限`);
    remedy = migrating ? migrateAsOwner(session?.owner) : asOwner(session?.owner, grants(schema, role ?? '<role>'));
  }
  return new TagbaseError('STORE_PERMISSION_DENIED', {
    detail: localized(`${location}: ${theRole.en} ${what.en} (${pg}): ${remedy.en}`, `${location}：${theRole['zh-CN']}${what['zh-CN']}（${pg}）：${remedy['zh-CN']}`),
  });
}

function kindZh(kind: string): string {
  return kind === 'table' ? '表' : kind === 'sequence' ? '序列' : kind === 'schema' ? '模式' : kind === 'view' ? '视图' : kind === 'function' ? '函数' : kind;
}

/**
 * Throws STORE_PERMISSION_DENIED when the role lacks a right tagbase needs on one of the store's
 * tables or sequences (a role made for reporting, which may read but not write, above all): a
 * server that writes stops at its start, naming them, rather than answering reads and failing
 * its first change, its background jobs over and over. SQLite has no roles: nothing to check.
 */
export async function assertRoleRights(store: Store): Promise<void> {
  if (store.dialect !== 'postgres') return;
  const session = await roleInSchema(store.db);
  const { rows } = await withoutJit(store.db, (connection) =>
    sql<{ name: string; kind: string; missing: string[] }>`
    select c.relname as name, c.relkind as kind, array_remove(array[
      case when c.relkind = 'S' then case when not has_sequence_privilege(c.oid, 'USAGE') then 'usage' end
           when not has_table_privilege(c.oid, 'SELECT') then 'select' end,
      case when c.relkind <> 'S' and not has_table_privilege(c.oid, 'INSERT') then 'insert' end,
      case when c.relkind <> 'S' and not has_table_privilege(c.oid, 'UPDATE') then 'update' end,
      case when c.relkind <> 'S' and not has_table_privilege(c.oid, 'DELETE') then 'delete' end
    ], null) as missing
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = ${session.schema} and case when c.relkind = 'S'
      -- The sequences behind the store's ids: others in a schema shared with another application are not its concern.
      then exists (select 1 from pg_depend d join pg_class t on t.oid = d.refobjid where d.objid = c.oid and d.deptype in ('a', 'i') and t.relname = any(${[...STORE_TABLES]}::text[]))
      else c.relkind in ('r', 'p') and c.relname = any(${[...STORE_TABLES]}::text[]) end
    order by c.relkind, c.relname`.execute(connection),
  );
  const lacking = rows.filter((row) => row.missing.length > 0);
  if (lacking.length === 0) return;
  const tables = lacking.filter((row) => row.kind !== 'S');
  const sequences = lacking.filter((row) => row.kind === 'S');
  // Said to read only when it may write none of the store's tables (a role made for reporting);
  // a right or two revoked on a table or two is said as just those, table by table.
  const storeTables = rows.filter((row) => row.kind !== 'S');
  const readsOnly = storeTables.length > 0 && storeTables.every((row) => row.missing.join(', ') === 'insert, update, delete');
  const listed = (list: { name: string }[]) => list.slice(0, 3).map((row) => row.name).join(', ') + (list.length > 3 ? ', …' : '');
  // Tables lacking the same rights together, in the order the first of each comes.
  const byRights = new Map<string, { name: string }[]>();
  for (const row of tables) byRights.set(row.missing.join(', '), [...(byRights.get(row.missing.join(', ')) ?? []), row]);
  const where = [
    ...[...byRights].map(([rights, list]) =>
      list.length === 1
        ? localized(`${rights} on the table ${listed(list)}`, `对表 ${listed(list)} 的 ${rights} 权限`)
        : localized(`${rights} on ${list.length} tables (${listed(list)})`, `对 ${list.length} 张表（${listed(list)}）的 ${rights} 权限`),
    ),
    sequences.length > 0 ? localized(`usage on ${sequences.length} ${sequences.length === 1 ? 'sequence' : 'sequences'} (${listed(sequences)})`, `对 ${sequences.length} 个序列（${listed(sequences)}）的 usage 权限`) : undefined,
  ].filter((part) => part !== undefined);
  const lacks = localized(where.map((part) => part.en).join(' and '), where.map((part) => part['zh-CN']).join('，以及'));
  const what = readsOnly
    ? localized(`may read the store but not write it: it lacks ${lacks.en}`, `可以读取数据库但不能写入：它缺少${lacks['zh-CN']}`)
    : localized(`lacks ${lacks.en}`, `缺少${lacks['zh-CN']}`);
  const remedy = asOwner(session.owner, grants(session.schema, session.role));
  throw new TagbaseError('STORE_PERMISSION_DENIED', {
    detail: localized(
      `${store.location}: the role ${session.role} ${what.en}, and tagbase writes to every table of the store: ${remedy.en}`,
      `${store.location}：用户 ${session.role} ${what['zh-CN']}，而 tagbase 需要写入数据库中的每一张表：${remedy['zh-CN']}`,
    ),
  });
}
