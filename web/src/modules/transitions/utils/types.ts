// The tag transitions and tag profile APIs' answers as the console reads them (GET /tags/{tag}/transitions
// and its members, GET /tags/{tag}/profile).
import type { PreviewRow } from '../../app/utils/types.js';
import type { MetricSummary, ProfileWithin } from '../../../../../src/core/segment-insight.js';

/** One end of a flow: a value of the tag (key null once it is removed from the tag), or null for holding none. */
export type FlowEndJson = { key: string | null; name: string } | null;

export interface ValueMovementJson {
  /** Null for a value removed from the tag since; its name comes from the history. */
  key: string | null;
  name: string;
  color: string | null;
  removed: boolean;
  held_from: number;
  held_to: number;
  gained: number;
  lost: number;
}

export interface FlowJson {
  from: FlowEndJson;
  to: FlowEndJson;
  customers: number;
}

export interface TransitionsJson {
  tag: { key: string; name: string; cardinality: 'single' | 'multi'; ordered: boolean };
  from: string;
  to: string;
  customers_from: number;
  customers_to: number;
  entered: number;
  left: number;
  /** Null for a multi-valued tag, whose customers do not move from one value to another. */
  stayed: number | null;
  moved: number | null;
  values: ValueMovementJson[];
  /** Never none → none; always empty for a multi-valued tag. */
  flows: FlowJson[];
}

export interface FlowMembersJson {
  total: number;
  offset: number;
  limit: number;
  /** The segment member row; the console shows the fields it shares with the preview. */
  items: PreviewRow[];
}

/**
 * One metric over a group of customers; the mean, median and quartiles are over those with a
 * value (the quartiles as a spreadsheet's QUARTILE.INC), null when none has one.
 */
export type MetricTotalsJson = MetricSummary;

/** A group's customers now, their share of every live customer, and its totals per metric key. */
export interface GroupProfileJson {
  customers: number;
  share: number;
  metrics: Record<string, MetricTotalsJson>;
}

export interface ValueProfileJson extends GroupProfileJson {
  key: string;
  name: string;
  color: string | null;
}

export interface TagProfileJson {
  /** The saved segment or expression everyone was narrowed to; null for everyone. */
  within: ProfileWithin | null;
  tag: { key: string; name: string; cardinality: 'single' | 'multi' };
  /** Every live customer. */
  population: number;
  /** The metrics asked for (or the server's default), in the order asked. */
  metrics: { key: string; name: string }[];
  /** The tag's values in its order. */
  values: ValueProfileJson[];
  /** Customers holding any value of the tag: for a multi-valued tag, fewer than the values add up to. */
  holders: GroupProfileJson;
  everyone: GroupProfileJson;
}
