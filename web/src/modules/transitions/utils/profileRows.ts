// The rows of a tag's profile: its values in order, then the tag's holders together and everyone,
// and how their metric figures print.
import { formatMoney, formatNumber, isMoneyMetric } from '../../app/utils/format.js';
import { formatShareValue } from '../../app/utils/metricShares.js';
import { modelValueName, type CatalogValue } from '../../models/utils/modelValueName.js';
import type { GroupProfileJson, TagProfileJson } from './types.js';
import { valueColor } from './valueSlots.js';

export interface ProfileRow {
  /** `value-KEY`, `holders` or `everyone`: the prefix keeps a value keyed `everyone` apart from the total. */
  id: string;
  kind: 'value' | 'holders' | 'everyone';
  /** The value's name; the totals are named by the table. */
  name: string;
  color: string | undefined;
  group: GroupProfileJson;
}

/** A model's tag (`catalog`) names its values by the catalog's English names in English, as the transitions above it. */
export function profileRows(profile: TagProfileJson, catalog: readonly CatalogValue[] = [], lang = 'zh-CN'): ProfileRow[] {
  return [
    ...profile.values.map((value, index) => ({ id: `value-${value.key}`, kind: 'value' as const, name: modelValueName(value, catalog, lang), color: valueColor(value.color, index), group: value })),
    { id: 'holders', kind: 'holders', name: '', color: undefined, group: profile.holders },
    { id: 'everyone', kind: 'everyone', name: '', color: undefined, group: profile.everyone },
  ];
}

/**
 * Money to the cent as everywhere (`formatMoney`); a share (the refund rate) as a percentage to a
 * tenth, so a column's figures line up; counts, days and other ratios with up to two decimals.
 */
export function formatMetricFigure(metricKey: string, value: number, lang: string, share = false): string {
  if (share) return formatShareValue(value, lang, true);
  if (isMoneyMetric(metricKey)) return formatMoney(value, lang);
  return formatNumber(value, lang);
}
