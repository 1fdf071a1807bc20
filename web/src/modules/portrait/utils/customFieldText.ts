// A custom field's value as the console writes values of its type: numbers grouped, yes or no in
// the reader's language, dates year first as the API gives them (a calendar day, in no zone).
import { formatList, formatNumber } from '../../app/utils/format';
import type { SessionState } from '../../app/utils/sessionContext';

/** A value a custom field holds; a list from a server that has list fields. */
export type CustomValue = string | number | boolean | null | readonly (string | number | boolean)[];

export function customFieldText(t: SessionState['t'], lang: string, value: CustomValue): string {
  if (value === null || value === '') return '—';
  if (Array.isArray(value)) return formatList(value.map((item) => customFieldText(t, lang, item)), lang);
  if (typeof value === 'boolean') return t(value ? 'portrait.yes' : 'portrait.no');
  if (typeof value === 'number') return formatNumber(value, lang);
  return String(value);
}
