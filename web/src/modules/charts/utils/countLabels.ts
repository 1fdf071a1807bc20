// Counts written on a chart as the rest of the console writes them: ECharts prints a label's raw
// value (2423), where the tables beside the chart say 2,423.
import { formatNumber } from '../../app/utils/format';

interface LabelParams {
  name: string;
  value: unknown;
}

const countOf = (params: LabelParams, lang: string) => (typeof params.value === 'number' ? formatNumber(params.value, lang) : String(params.value ?? ''));

/** A bar's label: its count alone. */
export function countLabel(lang: string): (params: LabelParams) => string {
  return (params) => countOf(params, lang);
}
