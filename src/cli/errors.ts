// The CLI's error printer: one readable line per error, from the same table as the API, in
// the language of the user's locale settings (Chinese for zh_*, English otherwise).
import { isTagbaseError, itemMessage } from '../core/errors.js';
import { DEFAULT_LOCALE, type Locale } from '../core/locale.js';

/** The locale POSIX tools would use: LC_ALL, then LC_MESSAGES, then LANG; the first one set wins. */
export function cliLocale(env: NodeJS.ProcessEnv = process.env): Locale {
  const setting = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((value) => value !== undefined && value !== '');
  return setting?.toLowerCase().startsWith('zh') ? 'zh-CN' : DEFAULT_LOCALE;
}

export function formatCliError(error: unknown, locale: Locale = cliLocale()): string {
  const zh = locale === 'zh-CN';
  if (isTagbaseError(error)) {
    const lines = [zh ? `错误 ${error.code}：${error.messageIn(locale)}` : `error ${error.code}: ${error.message}`];
    for (const item of error.items?.slice(0, 10) ?? []) {
      const where = item.line !== undefined ? (zh ? `第 ${item.line} 行` : `line ${item.line}`) : zh ? `第 ${item.index} 项` : `item ${item.index}`;
      lines.push(`  ${where}${item.path ? ` ${item.path}` : ''}${zh ? '：' : ': '}${itemMessage(item, locale)}`);
    }
    return lines.join('\n');
  }
  const message = error instanceof Error ? error.message : String(error);
  return zh ? `错误：${message}` : `error: ${message}`;
}
