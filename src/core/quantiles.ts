// The quartiles and median of a metric over a group of customers, as a spreadsheet computes
// them (MEDIAN, QUARTILE.INC, PERCENTILE.INC): the values in ascending order, ranks 0 to n − 1,
// the p-quantile at rank h = (n − 1) × p, interpolated linearly between the two closest ranks.
// Every back end finds the values at those ranks its own way; the figure is made here, once.

/** The quantiles a metric summary gives, by name. */
export const SUMMARY_QUANTILES = { p25: 0.25, median: 0.5, p75: 0.75 } as const;
export type QuantileName = keyof typeof SUMMARY_QUANTILES;
export type Quantiles = Record<QuantileName, number | null>;

const NAMES = Object.keys(SUMMARY_QUANTILES) as QuantileName[];

function rankOf(count: number, p: number): { lower: number; upper: number; fraction: number } {
  const h = (count - 1) * p;
  const lower = Math.floor(h);
  return { lower, upper: Math.min(count - 1, lower + 1), fraction: h - lower };
}

/** The ranks (0-based, ascending, each once) whose values make the summary's quantiles of `count` values. */
export function quantileRanks(count: number): number[] {
  if (count <= 0) return [];
  const ranks = new Set<number>();
  for (const name of NAMES) {
    const { lower, upper } = rankOf(count, SUMMARY_QUANTILES[name]);
    ranks.add(lower);
    ranks.add(upper);
  }
  return [...ranks].sort((a, b) => a - b);
}

/** The quantiles of `count` values from the values at `quantileRanks(count)`; null each when there are none. */
export function quantilesAt(count: number, valueAt: ReadonlyMap<number, number>): Quantiles {
  const figure = (p: number): number | null => {
    if (count <= 0) return null;
    const { lower, upper, fraction } = rankOf(count, p);
    const low = valueAt.get(lower);
    const high = valueAt.get(upper);
    if (low === undefined || high === undefined) throw new Error(`no value at rank ${String(lower)} or ${String(upper)} of ${String(count)}`);
    // Equal ends need no arithmetic: a value read back exactly, whatever its size.
    return fraction === 0 || low === high ? low : low + (high - low) * fraction;
  };
  return { p25: figure(SUMMARY_QUANTILES.p25), median: figure(SUMMARY_QUANTILES.median), p75: figure(SUMMARY_QUANTILES.p75) };
}

/** No quantiles: nobody has a value. */
export const NO_QUANTILES: Quantiles = { p25: null, median: null, p75: null };
