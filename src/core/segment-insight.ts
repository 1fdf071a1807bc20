// What a segment's insight (人群洞察) answers, and the metric summary a tag profile shares with it:
// declared once, for the engine that computes them and the console that reads them. Types only,
// so the console's bundle takes nothing of the server from here.

/**
 * A metric over a group: how many have a value, their sum and mean, and the median and quartiles
 * of their values (src/core/quantiles.ts); mean and quantiles null when none has one.
 */
export interface MetricSummary {
  sum: number;
  mean: number | null;
  median: number | null;
  p25: number | null;
  p75: number | null;
  customers: number;
}

/** The saved segment or expression a profile or an insight was narrowed to, as it is named back. */
export type ProfileWithin = { segment: string; name: string } | { expression: string };

export interface InsightValue {
  key: string;
  name: string;
  color: string | null;
  /** The segment's members holding the value. */
  members: number;
  /** Of the segment's members, 0–1 (0 for an empty segment). */
  share: number;
  /** Of everyone, 0–1. */
  population_share: number;
  /** 100 × share / population_share, rounded; null when nobody holds the value or the segment is empty. */
  tgi: number | null;
}

export interface InsightTag {
  key: string;
  name: string;
  /** The tag group's key. */
  group: string | null;
  /** In the tag's own order. */
  values: InsightValue[];
}

export interface InsightMetric {
  key: string;
  name: string;
  members: MetricSummary;
  everyone: MetricSummary;
}

/** `GET /segments/{segment}/insight` and `POST /segments/insight`, as answered. */
export interface SegmentInsight {
  within: ProfileWithin;
  /** The segment's members. */
  members: number;
  /** Every live customer. */
  population: number;
  min_members: number;
  /** The most distinctive first. */
  tags: InsightTag[];
  metrics: InsightMetric[];
}
