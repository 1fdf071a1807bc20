// How the console prints numbers and times.
export function formatTime(iso: string | null | undefined, lang: string): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString(lang, { hour12: false, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
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
