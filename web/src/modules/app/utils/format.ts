// How the console prints numbers and times.
import { joinList, listSeparator, type Locale } from '../../../../../src/core/locale.js';

/**
 * A moment to the minute in the workspace's time zone (`utcOffsetMinutes` east of UTC), where its
 * days, windows and reminders are counted: an operator abroad, or a browser set to UTC, reads the
 * shop's clock, not their own. Without the workspace's zone (a server that does not say it), in the
 * browser's. As year-month-day in both languages, as the date pickers, the day-by-day charts and
 * the dates alone are written: the US month/day order read 12/02 and 11/02 as February beside a
 * picker showing 2026-11-02, and Chinese locales wrote 2026/12/04 beside 2026-12-04. `_lang` is
 * kept for the callers, which say the language they show.
 */
export function formatTime(iso: string | null | undefined, _lang: string, utcOffsetMinutes?: number): string {
  if (!iso) return '—';
  const instant = Date.parse(iso);
  if (Number.isNaN(instant)) return iso;
  // The workspace's wall clock, read through the UTC fields of a date shifted by its offset.
  const at = new Date(utcOffsetMinutes === undefined ? instant : instant + utcOffsetMinutes * 60_000);
  const timeZone = utcOffsetMinutes === undefined ? undefined : 'UTC';
  const two = (n: number) => String(n).padStart(2, '0');
  const [year, month, day, hour, minute] = timeZone ? [at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate(), at.getUTCHours(), at.getUTCMinutes()] : [at.getFullYear(), at.getMonth(), at.getDate(), at.getHours(), at.getMinutes()];
  return `${year}-${two(month + 1)}-${two(day)} ${two(hour)}:${two(minute)}`;
}

/** Today's date (`YYYY-MM-DD`) on the workspace's calendar: what a day picker may not go past; the browser's day without the workspace's zone. */
export function workspaceToday(utcOffsetMinutes: number | undefined, now: number = Date.now()): string {
  const two = (n: number) => String(n).padStart(2, '0');
  if (utcOffsetMinutes === undefined) {
    const local = new Date(now);
    return `${local.getFullYear()}-${two(local.getMonth() + 1)}-${two(local.getDate())}`;
  }
  return new Date(now + utcOffsetMinutes * 60_000).toISOString().slice(0, 10);
}

export function formatNumber(value: number, lang: string): string {
  return value.toLocaleString(lang, { maximumFractionDigits: 2 });
}

/** Names listed as the language lists them: `A、B和C` in Chinese, `A, B, and C` in English. */
export function formatList(items: readonly string[], lang: string): string {
  return new Intl.ListFormat(lang, { type: 'conjunction' }).format(items);
}

/**
 * Names one after another as the command line lists them (`joinList`): 「甲、乙、丙」 in Chinese,
 * `a, b, c` in English, with no "and" or 和. `cutShort` says more were left out: 「甲、乙……」, `a, b, …`.
 */
export function joinNames(items: readonly string[], lang: string, cutShort = false): string {
  const locale: Locale = lang === 'en-US' ? 'en' : 'zh-CN';
  return joinList(items, locale) + (cutShort ? (locale === 'en' ? `${listSeparator(locale)}…` : '……') : '');
}

// The built-in metrics that are amounts of money, the RFM model's among them; a custom metric's
// unit is not known, so it prints as a number.
const MONEY_PREFIXES = ['spend', 'avg_order_value', 'refund_amount', 'max_order_amount', 'rfm_monetary', 'rfm_paid_amount', 'rfm_refund_amount'];

export function isMoneyMetric(metricKey: string): boolean {
  return MONEY_PREFIXES.some((prefix) => metricKey.startsWith(prefix));
}

/**
 * Money to the cent, always with both decimals, wherever the console shows it (a portrait, a tag's
 * profile): one amount reads alike on every page, and a column's amounts line up.
 */
export function formatMoney(value: number, lang: string): string {
  return value.toLocaleString(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/**
 * An integer input's digits grouped as the language groups them (20,000 rather than 20000), as the
 * text around it writes numbers, and read back without the grouping: the formatter and the parser
 * of an antd InputNumber.
 */
export function groupedIntegerInput(lang: string) {
  const group = new Intl.NumberFormat(lang).formatToParts(10_000).find((part) => part.type === 'group')?.value ?? ',';
  return {
    formatter: (value: number | string | undefined) => (value === undefined || value === '' ? '' : String(value).replace(/\B(?=(\d{3})+(?!\d))/g, group)),
    // The digits as text, as antd's own examples parse: an emptied input is then empty, not 0.
    parser: (text: string | undefined) => (text ?? '').split(group).join('').replace(/\s/g, '') as unknown as number,
  };
}

/**
 * A part of a whole to a tenth of a percent. Some but not all is never rounded to 0.0% or 100.0%:
 * 19,996 of 20,000 customers tagged read as everyone tagged, the four left to tag out of sight.
 */
export function formatShare(part: number, whole: number): string {
  if (whole === 0) return '—';
  const share = (part / whole) * 100;
  if (part > 0 && share < 0.05) return '<0.1%';
  if (part < whole && share >= 99.95) return '>99.9%';
  return `${share.toFixed(1)}%`;
}

/**
 * Columns of a Descriptions list inside a half-width card: antd's default of three from `md` up
 * squeezed long English labels until values stood one character per line.
 */
export const CARD_DESCRIPTION_COLUMNS = { xs: 1, sm: 2, md: 2, lg: 2, xl: 2, xxl: 3 } as const;

/** Han characters and the CJK punctuation around them: Chinese text sets no space between two of them. */
const HAN = /[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]/u;

/**
 * A message with its blanks filled. A number is a count or an amount, written as the language writes
 * numbers (5,000 customers, not 5000); a number that is a name, such as an id, is passed as a string.
 *
 * A Chinese message spaces its blanks (「已完成对 {customer} 的提醒」) because most values are
 * numbers, ids or Latin names, which Chinese sets apart by a space; a value that begins or ends in
 * Chinese (张三) loses the space on that side, so that it reads 已完成对张三的提醒.
 */
export function fillMessage(template: string, lang: string, vars: Record<string, string | number> = {}): string {
  return template.replace(/( ?)\{(\w+)\}( ?)/g, (whole, before: string, name: string, after: string, offset: number) => {
    const value = vars[name];
    if (value === undefined) return whole;
    const text = typeof value === 'number' ? formatNumber(value, lang) : value;
    if (lang === 'en-US' || text === '') return before + text + after;
    const joinsBefore = before !== '' && HAN.test(template.charAt(offset - 1)) && HAN.test(text.charAt(0));
    const joinsAfter = after !== '' && HAN.test(template.charAt(offset + whole.length)) && HAN.test(text.charAt(text.length - 1));
    return (joinsBefore ? '' : before) + text + (joinsAfter ? '' : after);
  });
}
