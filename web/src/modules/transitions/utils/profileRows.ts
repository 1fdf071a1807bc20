// The rows of a tag's profile: its values in order, then the tag's holders together and everyone,
// and how their metric figures print.
import { formatNumber } from '../../app/utils/format';
import { formatShareValue } from '../../app/utils/metricShares';
import type { GroupProfileJson, TagProfileJson } from './types';
import { valueColor } from './valueSlots';

export interface ProfileRow {
  /** `value-KEY`, `holders` or `everyone`: the prefix keeps a value keyed `everyone` apart from the total. */
  id: string;
  kind: 'value' | 'holders' | 'everyone';
  /** The value's name; the totals are named by the table. */
  name: string;
  color: string | undefined;
  group: GroupProfileJson;
}

export function profileRows(profile: TagProfileJson): ProfileRow[] {
  return [
    ...profile.values.map((value, index) => ({ id: `value-${value.key}`, kind: 'value' as const, name: value.name, color: valueColor(value.color, index), group: value })),
    { id: 'holders', kind: 'holders', name: '', color: undefined, group: profile.holders },
    { id: 'everyone', kind: 'everyone', name: '', color: undefined, group: profile.everyone },
  ];
}

// The built-in metrics that are amounts of money; a custom metric's unit is not known, so it prints as a number.
const MONEY_PREFIXES = ['spend', 'avg_order_value', 'refund_amount', 'max_order_amount'];

/**
 * Money to the cent, always with both decimals so a column's amounts line up; a share (the refund
 * rate) as a percentage to a tenth, for the same reason; counts, days and other ratios with up to two.
 */
export function formatMetricFigure(metricKey: string, value: number, lang: string, share = false): string {
  if (share) return formatShareValue(value, lang, true);
  if (MONEY_PREFIXES.some((prefix) => metricKey.startsWith(prefix))) return value.toLocaleString(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return formatNumber(value, lang);
}
