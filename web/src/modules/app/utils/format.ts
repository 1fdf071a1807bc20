// How the console prints numbers and times.
/**
 * A moment in the browser's time zone, to the minute. In English as year-month-day, as the date
 * pickers and the day-by-day charts write days: the US month/day order read 12/02 and 11/02 as
 * February beside a picker showing 2026-11-02.
 */
export function formatTime(iso: string | null | undefined, lang: string): string {
  if (!iso) return '—';
  const at = new Date(iso);
  if (lang !== 'en-US') return at.toLocaleString(lang, { hour12: false, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
  const two = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())} ${two(at.getHours())}:${two(at.getMinutes())}`;
}

export function formatNumber(value: number, lang: string): string {
  return value.toLocaleString(lang, { maximumFractionDigits: 2 });
}

export function formatShare(part: number, whole: number): string {
  return whole === 0 ? '—' : `${((part / whole) * 100).toFixed(1)}%`;
}

/**
 * Columns of a Descriptions list inside a half-width card: antd's default of three from `md` up
 * squeezed long English labels until values stood one character per line.
 */
export const CARD_DESCRIPTION_COLUMNS = { xs: 1, sm: 2, md: 2, lg: 2, xl: 2, xxl: 3 } as const;
