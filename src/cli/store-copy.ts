// `tagbase store copy --to URL`: the whole store, every workspace, into an empty store of either
// kind: a SQLite store moved to PostgreSQL as the shop grows, or a PostgreSQL store handed to a laptop.
import { existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { TagbaseError } from '../core/errors.js';
import { localized, type Locale } from '../core/locale.js';
import { DEFAULT_WORKSPACE } from '../engine/workspaces.js';
import { isPostgresUrl, openStore, withoutPassword, type Store } from '../store/connect.js';
import { appliedMigrations, migrationGap } from '../store/checks.js';
import { clearEmptyTarget, copyStore, tablesHoldingRows, type TableCopied } from '../store/copy.js';
import { cliMessages } from './messages.js';
import { progressBar, type Progress } from './progress.js';
import { databaseUrl, existingStoreUrl } from './store-options.js';

export interface StoreCopyOptions {
  database?: string | undefined;
  to: string;
  locale?: Locale | undefined;
}

/**
 * Copies the store `--database` names (as every command finds it) into `--to`, which it migrates
 * first and which must hold nothing. The source is opened as it is and only read; it must be up
 * to date with this version, so that both stores end in one layout. A line per table goes to
 * standard error as it is copied; the summary is returned. A copy that fails removes a SQLite
 * file it made, and says that anything else it wrote into is to be dropped before copying again.
 */
export async function storeCopyCommand(options: StoreCopyOptions): Promise<string> {
  const say = cliMessages(options.locale);
  const sourceUrl = existingStoreUrl(options.database);
  if (options.to.trim() === '') {
    throw new TagbaseError('VALIDATION_FAILED', {
      detail: localized('--to is empty: name the store to copy into, a SQLite file or a postgres:// URL', '--to 为空：请指定要复制到的数据库，SQLite 文件或 postgres:// URL'),
    });
  }
  const targetUrl = databaseUrl(options.to);
  const source = shown(sourceUrl);
  const target = shown(targetUrl);
  if (sameStore(sourceUrl, targetUrl)) {
    throw new TagbaseError('VALIDATION_FAILED', {
      detail: localized(`--to names the store copied from (${source}): name another, empty store`, `--to 指向的就是被复制的数据库（${source}）：请指定另一个空的数据库`),
    });
  }
  const started = Date.now();
  const from = await openStore(sourceUrl);
  try {
    await assertCopyable(from, source);
    const file = isPostgresUrl(targetUrl) ? undefined : resolve(targetUrl.startsWith('sqlite:') ? targetUrl.slice('sqlite:'.length) : targetUrl);
    const made = file !== undefined && !existsSync(file);
    const into = await openStore(targetUrl);
    let closed = false;
    let writing = false;
    try {
      await into.migrate();
      const holding = await tablesHoldingRows(into, DEFAULT_WORKSPACE);
      if (holding.length > 0) throw notEmpty(target, holding);
      writing = true;
      await clearEmptyTarget(into);
      const report = await copyStore(from, into, tableProgress(say, options.locale));
      const differing = report.tables.filter((entry) => entry.source !== entry.target);
      if (differing.length > 0) {
        const listed = differing.map((entry) => `${entry.table} ${entry.source} → ${entry.target}`).join(', ');
        throw new TagbaseError('INTERNAL', { detail: localized(`the copy's rows do not match the source's: ${listed}`, `副本的行数与源数据库不一致：${listed}`) });
      }
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      return say('storeCopy.done', { source, target, tables: report.tables.length, rows: report.rows, seconds });
    } catch (error) {
      await into.close();
      closed = true;
      if (made && file !== undefined) {
        for (const path of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) rmSync(path, { force: true });
        process.stderr.write(`${say('storeCopy.removed', { target })}\n`);
      } else if (writing) {
        process.stderr.write(`${say('storeCopy.leftPartial', { target })}\n`);
      }
      throw error;
    } finally {
      if (!closed) await into.close();
    }
  } finally {
    await from.close();
  }
}

/** A store as messages name it: a path as given, a URL without its password. */
function shown(url: string): string {
  return isPostgresUrl(url) ? withoutPassword(url) : url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : url;
}

function sameStore(a: string, b: string): boolean {
  if (isPostgresUrl(a) || isPostgresUrl(b)) return a === b;
  return resolve(shown(a)) === resolve(shown(b));
}

/** The source is a tagbase store in this version's layout: not one a migration is missing from, nor one a newer version brought up. */
async function assertCopyable(store: Store, source: string): Promise<void> {
  const applied = await appliedMigrations(store);
  if (applied === undefined) {
    throw new TagbaseError('VALIDATION_FAILED', {
      detail: localized(`${source} is no tagbase store (it has no migrations table): check --database or TAGBASE_DATABASE_URL`, `${source} 不是 tagbase 数据库（没有迁移记录表）：请检查 --database 或 TAGBASE_DATABASE_URL`),
    });
  }
  const { pending, unknown } = migrationGap(applied);
  if (unknown.length > 0) {
    throw new TagbaseError('VALIDATION_FAILED', {
      detail: localized(
        `${source} was brought up to date by a newer version of tagbase (its migration ${unknown[0]} is not in this one): copy it with that version or a later one`,
        `${source} 已由更新版本的 tagbase 升级（本版本没有其迁移 ${unknown[0]}）：请用该版本或更新的版本复制`,
      ),
    });
  }
  if (pending.length > 0) {
    const command = `tagbase migrate --database ${source}`;
    throw new TagbaseError('VALIDATION_FAILED', {
      detail: localized(
        `${source} is not up to date with this version (${pending.length} ${pending.length === 1 ? 'migration' : 'migrations'} to apply, from ${pending[0]}): run \`${command}\` first (or start the server on it once), then copy it; the copy is made in this version's layout`,
        `${source} 尚未更新到本版本的表结构（还有 ${pending.length} 个迁移未应用，从 ${pending[0]} 起）：请先运行 \`${command}\`（或在其上启动一次服务器），再复制；副本按本版本的表结构建立`,
      ),
    });
  }
}

function notEmpty(target: string, tables: readonly string[]): TagbaseError {
  const listed = tables.join(', ');
  return new TagbaseError('VALIDATION_FAILED', {
    detail: localized(
      `${target} already holds data (${listed}): copy into an empty store, a new PostgreSQL database or schema, or a SQLite file that is not there yet; a copy that stopped partway is dropped first`,
      `${target} 中已有数据（${listed}）：请复制到空的数据库中，即新的 PostgreSQL 数据库或模式，或尚不存在的 SQLite 文件；中途停止的副本请先删除`,
    ),
  });
}

/** A line per table on standard error once it is copied, and a bar while it is on a terminal. */
function tableProgress(say: ReturnType<typeof cliMessages>, locale: Locale | undefined): (progress: TableCopied) => void {
  let bar: { table: string; progress: Progress } | undefined;
  return ({ table, rows, total, finished }) => {
    if (bar?.table !== table) {
      bar?.progress.stop();
      bar = { table, progress: progressBar(table, process.stderr.isTTY === true, locale) };
    }
    if (!finished) {
      bar.progress.update(rows, total);
      return;
    }
    bar.progress.stop();
    bar = undefined;
    process.stderr.write(`${say('storeCopy.table', { table, rows, total })}\n`);
  };
}
