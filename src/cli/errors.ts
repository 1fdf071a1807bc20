// The CLI's error printer: one readable line per error, from the same table as the API, in
// the language of the user's locale settings (Chinese for zh_*, English otherwise).
import { resolve, sep } from 'node:path';
import { formatErrorMessage, isTagbaseError, itemMessage, TagbaseError, type ErrorParams, type ItemError } from '../core/errors.js';
import { DEFAULT_LOCALE, localized, type Locale } from '../core/locale.js';
import { openedStoreLocation, openedStoreRole, openedUnfinishedCopy } from './store-options.js';
import { unfinishedCopyError } from '../store/copy.js';
import { describePermissionDenied, isPermissionDenied } from '../store/permissions.js';
import { isStatementCancelled, isStoreBusy, isStoreNotWritable, isStoreUnavailable, isTransactionConflict, notWritableHint, STATEMENT_CANCELLED, STORE_BUSY, TRANSACTION_CONFLICT } from '../store/unavailable.js';
import { storeDamaged } from '../store/connect.js';

/** The locale POSIX tools would use: LC_ALL, then LC_MESSAGES, then LANG; the first one set wins. */
export function cliLocale(env: NodeJS.ProcessEnv = process.env): Locale {
  const setting = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((value) => value !== undefined && value !== '');
  return setting?.toLowerCase().startsWith('zh') ? 'zh-CN' : DEFAULT_LOCALE;
}

/** The longest user-given value an error line shows whole; a longer one is cut, its length said. */
export const SHOWN_VALUE_LIMIT = 200;

// C0 and C1 control characters, DEL, and the bidi embeddings, overrides and isolates: each can
// move the cursor, clear the screen or reorder what follows on a terminal.
// eslint-disable-next-line no-control-regex -- these are the characters it finds
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const NAMED_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** `text` with every control character written visibly: ESC as `\x1b`, a line break as `\n`, U+202E as `\u202e`. */
export function escapeControls(text: string): string {
  return text.replace(CONTROL_CHARACTERS, (character) => {
    const named = NAMED_ESCAPES[character];
    if (named !== undefined) return named;
    const code = character.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/**
 * A user-given value as an error line shows it: its control characters escaped, and when longer
 * than SHOWN_VALUE_LIMIT characters, its start followed by `…` and how long it is, so a 100 KB id
 * makes a line, not 100 KB of one.
 */
export function shownValue(value: string, locale: Locale = DEFAULT_LOCALE): string {
  const characters = Array.from(value);
  if (characters.length <= SHOWN_VALUE_LIMIT) return escapeControls(value);
  const start = escapeControls(characters.slice(0, SHOWN_VALUE_LIMIT).join(''));
  const count = characters.length.toLocaleString(locale);
  return locale === 'zh-CN' ? `${start}…（共 ${count} 个字符）` : `${start}… (${count} characters)`;
}

/**
 * Text that may hold a value already written into a sentence (a validation's detail, an item's
 * message, a path): each run longer than SHOWN_VALUE_LIMIT without spaces or Chinese text in it
 * (so a Chinese sentence is never cut) is cut as a value is.
 */
export function cutLongRuns(text: string, locale: Locale = DEFAULT_LOCALE): string {
  const runs = new RegExp(`[^\\s\\u3000-\\u9fff\\uff00-\\uffef]{${SHOWN_VALUE_LIMIT + 1},}`, 'gu');
  return text.replace(runs, (run) => shownValue(run, locale));
}

/** One line of an error as the terminal gets it: long runs cut (see `cutLongRuns`), control characters escaped. */
export function terminalLine(line: string, locale: Locale = DEFAULT_LOCALE): string {
  return escapeControls(cutLongRuns(line, locale));
}

/**
 * The parameters that are sentences tagbase writes (why a tag may not go, what to do next), which
 * may pass 200 characters and still be read whole: only a long run of a value inside one is cut.
 */
const SENTENCE_PARAMS: ReadonlySet<string> = new Set(['detail', 'reason', 'hint', 'remedy']);

/** An error's parameters with every text in them as a line shows it: a value by `shownValue`, a sentence (see SENTENCE_PARAMS) by `cutLongRuns`. */
function shownParams(params: ErrorParams, locale: Locale): ErrorParams {
  const shown: ErrorParams = {};
  for (const [name, value] of Object.entries(params)) {
    const show = (text: string) => (SENTENCE_PARAMS.has(name) ? cutLongRuns(text, locale) : shownValue(text, locale));
    if (value === undefined || typeof value === 'number') shown[name] = value;
    else if (typeof value === 'string') shown[name] = show(value);
    else shown[name] = { en: show(value.en), 'zh-CN': show(value['zh-CN']) };
  }
  return shown;
}

/**
 * The error's lines, every user-given text in them shown safely: a parameter (an id, a name) as
 * `shownValue` shows it, a sentence holding values with its long runs cut, and no control
 * character reaching the terminal.
 */
export function formatCliError(error: unknown, locale: Locale = cliLocale()): string {
  return formatCliErrorLines(error, locale).split('\n').map(escapeControls).join('\n');
}

function formatCliErrorLines(error: unknown, locale: Locale): string {
  // A store busy or lost under the command is said as the API says it, not in the driver's words.
  if (isStoreBusy(error)) return formatCliErrorLines(new TagbaseError('STORE_UNAVAILABLE', { detail: STORE_BUSY }), locale);
  if (isStatementCancelled(error)) return formatCliErrorLines(new TagbaseError('STORE_UNAVAILABLE', { detail: STATEMENT_CANCELLED }), locale);
  if (isTransactionConflict(error)) return formatCliErrorLines(new TagbaseError('STORE_UNAVAILABLE', { detail: TRANSACTION_CONFLICT }), locale);
  if (!isTagbaseError(error) && isStoreNotWritable(error)) return formatCliErrorLines(storeNotWritable(error), locale);
  if (!isTagbaseError(error) && isPermissionDenied(error)) return formatCliErrorLines(describePermissionDenied(error, openedStoreLocation() ?? '', openedStoreRole()), locale);
  const folder = storeFolderNotMade(error);
  if (folder !== undefined) return formatCliErrorLines(folder, locale);
  const notStore = notASqliteStore(error);
  if (notStore !== undefined) return formatCliErrorLines(notStore, locale);
  // Damage a read met after the store opened (the check at opening reads only the first pages of each table).
  const damaged = isTagbaseError(error) ? undefined : storeDamaged(error, openedStoreLocation() ?? '');
  if (damaged !== undefined) return formatCliErrorLines(damaged, locale);
  if (!isTagbaseError(error) && isStoreUnavailable(error)) return formatCliErrorLines(new TagbaseError('STORE_UNAVAILABLE', { detail: (error as Error).message }), locale);
  // A workspace missing from a store a copy did not finish is missing for that: said with the copy
  // to run again, not with a `workspace create` that would write into what the next copy empties.
  const unfinished = openedUnfinishedCopy();
  if (isTagbaseError(error) && error.code === 'WORKSPACE_NOT_FOUND' && unfinished !== undefined) return formatCliErrorLines(unfinishedCopyError(unfinished.store, unfinished.copy), locale);
  const zh = locale === 'zh-CN';
  if (isTagbaseError(error)) {
    const message = cliMessage(error, locale);
    const lines = [zh ? `错误 ${error.code}：${message}` : `error ${error.code}: ${message}`];
    // An item at index -1 is a refused argument or option rather than a batch's item: it has no
    // place to name (its path is the API's body field or header), and when the first line says
    // it already, it is left out; so is an expression's first problem, which the first line
    // already gives with its line and column.
    const items = (error.items ?? []).filter((item) => (item.line !== undefined || item.index >= 0 || !message.includes(itemMessage(item, locale))) && !saysFirstLine(item, message, locale));
    for (const item of items.slice(0, 10)) {
      const where = item.line !== undefined ? (zh ? `第 ${item.line} 行` : `line ${item.line}`) : item.index < 0 ? undefined : zh ? `第 ${item.index} 项` : `item ${item.index}`;
      const named = [where, item.path].filter((part) => part !== undefined && part !== '').join(' ');
      lines.push(`  ${cutLongRuns(named, locale)}${named === '' ? '' : zh ? '：' : ': '}${cutLongRuns(itemMessage(item, locale), locale)}`);
    }
    return lines.join('\n');
  }
  const file = fileProblem(error, locale);
  if (file !== undefined) return file;
  const message = cutLongRuns(error instanceof Error ? error.message : String(error), locale);
  return zh ? `错误：${message}` : `error: ${message}`;
}

/**
 * Whether an expression's problem is one the first line already says, place and all ("line 1,
 * column 7: …", or "the plan's condition: line 1, column 7: …" among a care plan's conditions).
 */
function saysFirstLine(item: ItemError, message: string, locale: Locale): boolean {
  if (item.line === undefined || item.column === undefined) return false;
  const text = itemMessage(item, locale);
  return message.includes(locale === 'zh-CN' ? `第 ${item.line} 行第 ${item.column} 列：${text}` : `line ${item.line}, column ${item.column}: ${text}`);
}

/**
 * A SQLite path that names a file of something else (a CSV, a backup's folder mixed up with a
 * file): said of the store the command was given and where to change it, rather than in the
 * driver's words alone ("file is not a database"), which name neither.
 */
function notASqliteStore(error: unknown): TagbaseError | undefined {
  if (isTagbaseError(error) || (error as { code?: unknown } | undefined)?.code !== 'SQLITE_NOTADB') return undefined;
  const where = openedStoreLocation() ?? '';
  return new TagbaseError('VALIDATION_FAILED', {
    detail: localized(
      `${where}: not a SQLite database (file is not a database): check --database or TAGBASE_DATABASE_URL, which name a SQLite file or a postgres:// URL`,
      `${where}：不是 SQLite 数据库（file is not a database）：请检查 --database 或 TAGBASE_DATABASE_URL，它们应指向 SQLite 数据库文件或 postgres:// 地址`,
    ),
  });
}

/**
 * The store refused a write (a read-only file or folder, a full disk, a read-only PostgreSQL):
 * said with the store it is, when the command opened one, and what to check.
 */
function storeNotWritable(error: unknown): TagbaseError {
  const where = openedStoreLocation();
  const hint = notWritableHint(error);
  const message = error instanceof Error ? error.message : String(error);
  const said = (colon: string) => (where === undefined ? message : `${where}${colon}${message}`);
  return new TagbaseError('STORE_NOT_WRITABLE', { detail: localized(`${said(': ')}: ${hint.en}`, `${said('：')}：${hint['zh-CN']}`) });
}

/**
 * The folder a new SQLite store goes in could not be made (/proc/x, a path under a file, a folder
 * this user may not write): said of the store, not only of the folder the system names.
 */
function storeFolderNotMade(error: unknown): TagbaseError | undefined {
  const { code, path, syscall } = (error ?? {}) as NodeJS.ErrnoException;
  const where = openedStoreLocation();
  const problem = code === undefined ? undefined : FILE_PROBLEMS[code];
  if (syscall !== 'mkdir' || problem === undefined || typeof path !== 'string' || where === undefined || !resolve(where).startsWith(resolve(path) + sep)) return undefined;
  return new TagbaseError('STORE_NOT_WRITABLE', {
    detail: localized(
      `${where}: the folder ${path} cannot be made (${problem.en}); give a path in a folder this user may write`,
      `${where}：无法创建目录 ${path}（${problem.zh}）；请给出运行它的用户可以写入的目录中的路径`,
    ),
  });
}

/**
 * A refused input says what is wrong with it: "the request is not valid" (or "the request body
 * is not valid JSON") is how the API puts it, not the command line, whose input is a file or an argument.
 */
function cliMessage(error: TagbaseError, locale: Locale): string {
  // On the server's machine every workspace may be named: said with the commands that list and make them.
  if (error.code === 'WORKSPACE_NOT_FOUND') {
    const key = shownValue(String(error.params.workspace ?? ''), locale);
    const hint = locale === 'zh-CN' ? `用 tagbase workspace list 查看已有的工作空间，或用 tagbase workspace create ${key} 新建。` : ` tagbase workspace list shows those there are; tagbase workspace create ${key} makes it.`;
    return `${formatErrorMessage(error.code, shownParams(error.params, locale), locale)}${hint}`;
  }
  const detail = error.params.detail;
  if ((error.code !== 'VALIDATION_FAILED' && error.code !== 'MALFORMED_JSON') || detail === undefined) return formatErrorMessage(error.code, shownParams(error.params, locale), locale);
  return cutLongRuns(typeof detail === 'object' ? detail[locale] : String(detail), locale);
}

/** What the system said of a file the command was given (to read, or to write), in words instead of Node's `ENOENT: …, open 'x.csv'`. */
const FILE_PROBLEMS: Readonly<Record<string, { en: string; zh: string }>> = {
  ENOENT: { en: 'no such file or directory', zh: '文件或目录不存在' },
  EACCES: { en: 'permission denied', zh: '没有权限' },
  EPERM: { en: 'permission denied', zh: '没有权限' },
  EISDIR: { en: 'is a directory, not a file', zh: '是目录，不是文件' },
  ENOTDIR: { en: 'a part of the path is not a directory', zh: '路径中有一段不是目录' },
  ENOSPC: { en: 'no space left on the disk', zh: '磁盘空间不足' },
  EDQUOT: { en: 'the disk quota is used up', zh: '已用完磁盘配额' },
  EFBIG: { en: 'the file is larger than its file system allows', zh: '文件超出文件系统允许的大小' },
  EROFS: { en: 'the file system is read-only', zh: '文件系统是只读的' },
};

function fileProblem(error: unknown, locale: Locale): string | undefined {
  const { code, path } = (error ?? {}) as NodeJS.ErrnoException;
  const problem = code === undefined ? undefined : FILE_PROBLEMS[code];
  if (problem === undefined || typeof path !== 'string') return undefined;
  const shown = shownValue(path, locale);
  return locale === 'zh-CN' ? `错误：${shown}：${problem.zh}` : `error: ${shown}: ${problem.en}`;
}
