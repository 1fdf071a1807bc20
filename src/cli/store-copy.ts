// `tagbase store copy --to URL`: the whole store, every workspace, into an empty store of either
// kind: a SQLite store moved to PostgreSQL as the shop grows, or a PostgreSQL store handed to a laptop.
import { existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { TagbaseError } from '../core/errors.js';
import { localized, type Locale } from '../core/locale.js';
import { DEFAULT_WORKSPACE } from '../engine/workspaces.js';
import { isPostgresUrl, openStore, withoutPassword, type Store } from '../store/connect.js';
import { appliedMigrations, migrationGap } from '../store/checks.js';
import { beginCopy, copyStore, emptyTarget, finishCopy, tablesHoldingRows, unfinishedCopy, UnstorableTextInSource, type TableCopied, type UnstorableText } from '../store/copy.js';
import { endBySignal, holdInterrupt } from './interrupt.js';
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
 * file it made, and empties any other store it had begun to write (left migrated and empty), so
 * that the same command runs again once the cause is put right; where that fails too (the store
 * out of reach), it says so: the target stays marked as holding an unfinished copy, which the
 * next copy empties itself, as it does a target of a copy killed outright. A SIGINT or SIGTERM
 * stops the copy after the statement under way, which then puts the target right as a failure
 * does, says so in a line and ends by the signal.
 */
export async function storeCopyCommand(options: StoreCopyOptions): Promise<string> {
  const stopping = new AbortController();
  const release = holdInterrupt((signal) => stopping.abort(new CopyStopped(signal)));
  try {
    return await copyInto(options, stopping.signal);
  } catch (error) {
    if (error instanceof CopyStopped) endBySignal(error.signal);
    throw error;
  } finally {
    release();
  }
}

/** A copy stopped by a signal: the target put right, the process to end by the signal. */
class CopyStopped extends Error {
  constructor(readonly signal: NodeJS.Signals) {
    super(`the copy was stopped by ${signal}`);
    this.name = 'CopyStopped';
  }
}

async function copyInto(options: StoreCopyOptions, stop: AbortSignal): Promise<string> {
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
      const prepare = async () => {
        await into.migrate();
        const unfinished = await unfinishedCopy(into);
        if (unfinished !== undefined) {
          // Marked by a copy as it began, and only by one: nothing in it is anyone's but that copy's.
          await emptyTarget(into);
          process.stderr.write(`${say('storeCopy.emptiedUnfinished', { target, from: unfinished.source })}\n`);
        }
        const holding = await tablesHoldingRows(into, DEFAULT_WORKSPACE);
        if (holding.length > 0) throw notEmpty(target, holding);
        stop.throwIfAborted();
        writing = true;
        await beginCopy(into, source, new Date());
      };
      const report = await copyStore(from, into, { onTable: tableProgress(say, options.locale, stop), beforeWriting: prepare, stop }).catch((error: unknown) => {
        throw error instanceof UnstorableTextInSource ? unstorableRefused(source, target, error.places) : error;
      });
      const differing = report.tables.filter((entry) => entry.source !== entry.target);
      if (differing.length > 0) {
        const listed = differing.map((entry) => `${entry.table} ${entry.source} → ${entry.target}`).join(', ');
        throw new TagbaseError('INTERNAL', { detail: localized(`the copy's rows do not match the source's: ${listed}`, `副本的行数与源数据库不一致：${listed}`) });
      }
      stop.throwIfAborted();
      await finishCopy(into);
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      return say('storeCopy.done', { source, target, tables: report.tables.length, rows: report.rows, seconds });
    } catch (error) {
      const stopped = error instanceof CopyStopped;
      // A line of its own, written before the process ends by the signal (standard error is written at once to a file, pipe or terminal).
      const tell = (line: string) => process.stderr.write(`${line}\n`);
      if (made && file !== undefined) {
        await into.close();
        closed = true;
        for (const path of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) rmSync(path, { force: true });
        // A file refused before anything was written into it goes without a word: the error says why.
        if (writing || stopped) tell(say(stopped ? 'storeCopy.stoppedRemoved' : 'storeCopy.removed', { target }));
      } else if (writing) {
        // What the copy wrote is taken out again, so that once the cause is put right the same command runs into the same store.
        const emptied = await emptyTarget(into).then(
          () => true,
          () => false,
        );
        tell(say(emptied ? (stopped ? 'storeCopy.stoppedEmptied' : 'storeCopy.emptied') : 'storeCopy.leftPartial', { target }));
      } else if (stopped) {
        tell(say('storeCopy.stoppedBefore', { target }));
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

/**
 * The refusal of a SQLite source holding text the target would not get as it is, each kind in
 * a sentence of its own: where, and how to take it out.
 */
function unstorableRefused(source: string, target: string, found: readonly UnstorableText[]): TagbaseError {
  const row = (place: UnstorableText) =>
    Object.entries(place.first)
      .map(([column, value]) => `${column} ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`)
      .join(', ');
  const listed = (places: readonly UnstorableText[]) => ({
    en: places.map((place) => `${place.table}.${place.column} in ${place.rows === 1 ? `the row ${row(place)}` : `${place.rows} rows, the first ${row(place)}`}`).join('; '),
    zh: places.map((place) => `${place.table}.${place.column}${place.rows === 1 ? `（${row(place)} 这一行）` : `（${place.rows} 行，第一行 ${row(place)}）`}`).join('；'),
  });
  const nul = found.filter((place) => place.kind === 'nul');
  const surrogate = found.filter((place) => place.kind === 'surrogate');
  const en: string[] = [];
  const zh: string[] = [];
  if (nul.length > 0) {
    const [first] = nul;
    const places = listed(nul);
    // SQLite's text functions (replace, substr) stop at a NUL, so the statement cuts the value's bytes round the first one.
    const bytes = first === undefined ? '' : `cast(${first.column} as blob)`;
    const statement = first === undefined ? '' : `update ${first.table} set ${first.column} = cast(substr(${bytes}, 1, instr(${bytes}, x'00') - 1) || substr(${bytes}, instr(${bytes}, x'00') + 1) as text) where typeof(${first.column}) = 'text' and instr(${bytes}, x'00') > 0`;
    en.push(
      `${source} holds text with the NUL character (U+0000), which PostgreSQL cannot store: ${places.en}. Nothing was written into ${target}. Take the character out of those values in the source (tagbase refuses it on the way in: it came from an older version or another program), then copy again; for example, with the server stopped, \`sqlite3 ${source} "${statement}"\` takes one out of each value of ${first?.table}.${first?.column} (run it until it changes no row; likewise for any other column named)`,
    );
    zh.push(
      `${source} 中有含 NUL 字符（U+0000）的文本，PostgreSQL 无法保存：${places.zh}。${target} 中未写入任何数据。请先在源数据库中去掉这些值里的该字符（tagbase 不接受这样的输入，它来自旧版本或其他程序），再复制；例如停止服务器后运行 \`sqlite3 ${source} "${statement}"\`，每运行一次从 ${first?.table}.${first?.column} 的每个值中去掉一个（运行到不再改动任何行为止；其他列同理）`,
    );
  }
  if (surrogate.length > 0) {
    const places = listed(surrogate);
    const written = nul.length > 0 ? { en: '', zh: '' } : { en: ` Nothing was written into ${target}.`, zh: `${target} 中未写入任何数据。` };
    en.push(
      `${nul.length > 0 ? 'It also holds' : `${source} holds`} text with a lone UTF-16 surrogate (U+D800–U+DFFF without its pair, half of a character), which no store keeps as it is: the copy would hold U+FFFD (�) in its place: ${places.en}.${written.en} Put those values right in the source (tagbase refuses such text on the way in: it came from an older version or another program), writing them again whole or without the broken character, then copy again`,
    );
    zh.push(
      `${nul.length > 0 ? '其中还有' : `${source} 中有`}含落单代理项（U+D800–U+DFFF 未成对，半个字符）的文本，任何数据库都无法原样保存，副本中会变成 U+FFFD（�）：${places.zh}。${written.zh}请先在源数据库中改正这些值（tagbase 不接受这样的输入，它来自旧版本或其他程序），重新写入完整的值或去掉这个残缺的字符，再复制`,
    );
  }
  return new TagbaseError('VALIDATION_FAILED', { detail: localized(en.join('. '), zh.join('。')) });
}

/** A line per table on standard error once it is copied, and a bar while it is on a terminal. */
function tableProgress(say: ReturnType<typeof cliMessages>, locale: Locale | undefined, stop: AbortSignal): (progress: TableCopied) => void {
  let bar: { table: string; progress: Progress } | undefined;
  return ({ table, rows, total, finished }) => {
    // Once stopped, the bar a signal took down is not drawn again.
    if (stop.aborted) return;
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
