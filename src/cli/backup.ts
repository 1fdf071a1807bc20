// `tagbase backup FILE`: a consistent copy of a SQLite store, taken while the server runs.
import { existsSync, linkSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { TagbaseError } from '../core/errors.js';
import { systemClock } from '../core/time.js';
import { localized } from '../core/locale.js';
import { appliedMigrations } from '../store/checks.js';
import { isPostgresUrl, withoutPassword } from '../store/connect.js';
import { databaseUrl, withStoreAsItIs } from './store-options.js';

/**
 * Writes the store into `file` with `VACUUM INTO`: one read transaction, so the copy is the
 * store as of one moment even while the server writes (copying `tagbase.db` by hand misses what
 * is still in its `-wal` file), and compacted. A file already there is never overwritten. The
 * copy is a store of its own: restore it by stopping the server and putting it in the store's place.
 * The store is copied as it is, never migrated first.
 */
export async function backupStore(database: string | undefined, file: string): Promise<{ location: string; bytes: number }> {
  const url = databaseUrl(database);
  if (isPostgresUrl(url)) {
    const shown = withoutPassword(url);
    throw new TagbaseError('VALIDATION_FAILED', {
      detail: localized(
        `${shown} is a PostgreSQL store: back it up with PostgreSQL's own tools (pg_dump --format=custom --file=${file} "URL"), and restore it with pg_restore`,
        `${shown} 是 PostgreSQL 数据库：请用 PostgreSQL 自带的工具备份（pg_dump --format=custom --file=${file} "URL"），用 pg_restore 恢复`,
      ),
    });
  }
  // An empty name (a variable left unset in a script) would be written as a file named by spaces where the command runs.
  if (file.trim() === '') {
    throw new TagbaseError('VALIDATION_FAILED', {
      detail: localized('name the file to write the backup to, such as /backups/tagbase-2026-12-01.db', '请给出要写入备份的文件名，例如 /backups/tagbase-2026-12-01.db'),
    });
  }
  // A folder given for the file (`tagbase backup /backups/`) is a mistake, not a file to keep.
  if (existsSync(file) && statSync(file).isDirectory()) {
    const example = join(file, `tagbase-${systemClock().toISOString().slice(0, 10)}.db`);
    throw new TagbaseError('VALIDATION_FAILED', {
      detail: localized(`${file} is a folder: name the file to write in it, such as ${example}`, `${file} 是目录：请给出要在其中写入的文件名，例如 ${example}`),
    });
  }
  if (existsSync(file)) throw alreadyThere(file);
  // As it is: a store an older version made is copied in its layout, not brought up to date
  // first (the backup before an upgrade is what that version can open again).
  return withStoreAsItIs(database, async (store) => {
    // A SQLite file no tagbase made (another program's, or an empty one) is the wrong file, not a store to keep.
    if ((await appliedMigrations(store)) === undefined) {
      throw new TagbaseError('VALIDATION_FAILED', {
        detail: localized(
          `${store.location} is a SQLite file but no tagbase store (it has no migrations table): check --database or TAGBASE_DATABASE_URL`,
          `${store.location} 是 SQLite 文件，但不是 tagbase 数据库（没有迁移记录表）：请检查 --database 或 TAGBASE_DATABASE_URL`,
        ),
      });
    }
    // Written under another name and given its own once whole: a copy cut short (a full disk, the
    // command killed) must never lie under the name a restore would take, nor keep it from the next try.
    const partial = `${file}.${process.pid}.partial`;
    try {
      await sql`vacuum into ${partial}`.execute(store.db);
      placeWithoutOverwriting(partial, file);
    } catch (error) {
      rmSync(partial, { force: true });
      rmSync(`${partial}-journal`, { force: true });
      if (error instanceof TagbaseError) throw error;
      // The store was only read: what failed is writing the copy (no such folder, no room, no permission).
      const code = String((error as { code?: unknown }).code ?? '');
      if (!/^SQLITE_(CANTOPEN|FULL|READONLY|IOERR)/.test(code)) throw error;
      const said = (error instanceof Error ? error.message : String(error)).replaceAll(partial, file);
      throw new TagbaseError('VALIDATION_FAILED', {
        detail: localized(
          `the backup cannot be written to ${file} (${said}): check that its folder exists, may be written by the user this runs as, and has room`,
          `无法把备份写入 ${file}（${said}）：请检查其所在目录是否存在、运行它的用户能否写入，以及磁盘是否还有空间`,
        ),
      });
    }
    return { location: store.location, bytes: statSync(file).size };
  });
}

/**
 * Gives the finished copy its name, never over a file that appeared there meanwhile: a hard link
 * fails where the name is taken. A file system without hard links gets a rename, after a look.
 */
function placeWithoutOverwriting(partial: string, file: string): void {
  try {
    linkSync(partial, file);
    rmSync(partial);
    return;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw alreadyThere(file);
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EXDEV') throw error;
  }
  if (existsSync(file)) throw alreadyThere(file);
  renameSync(partial, file);
}

function alreadyThere(file: string): TagbaseError {
  return new TagbaseError('VALIDATION_FAILED', { detail: localized(`${file} already exists; a backup never overwrites a file: name another one`, `${file} 已存在；备份不会覆盖已有文件，请换一个文件名`) });
}
