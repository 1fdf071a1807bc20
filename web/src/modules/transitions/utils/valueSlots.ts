// The rows and columns of a single-valued tag's flows: its values in order (those removed from the
// tag since, after them), then holding none; and how many customers went from each to each.
import { modelValueName, type CatalogValue } from '../../models/utils/modelValueName.js';
import type { FlowEndJson, FlowJson, TransitionsJson, ValueMovementJson } from './types.js';

export interface ValueSlot {
  /** Unique within one answer: the value's key, `-` for none, or the name of a value removed since. */
  id: string;
  name: string;
  color: string;
  /** What the members endpoint takes for this end (the key, `-` for none); null for a removed value, whose customers it cannot list. */
  memberParam: string | null;
  /** How the value's holders changed; undefined for none. */
  movement: ValueMovementJson | undefined;
}

export const NONE_ID = '-';

/** Distinct enough to tell neighbouring values apart in a chart; a value's own colour comes first. */
const PALETTE = ['#1677ff', '#52c41a', '#fa8c16', '#722ed1', '#13c2c2', '#eb2f96', '#faad14', '#2f54eb', '#fa541c', '#a0d911'];
const NONE_COLOR = '#bfbfbf';

/** A value's chip and node colour: its own, else the palette's by its place in the tag, so each page's parts agree. */
export function valueColor(color: string | null, index: number): string {
  return color ?? PALETTE[index % PALETTE.length] ?? NONE_COLOR;
}

export function slotId(end: FlowEndJson): string {
  if (end === null) return NONE_ID;
  return end.key ?? `removed:${end.name}`;
}

/**
 * Every value of the answer in its order, then none. A model's tag (`catalog`, its values as the
 * model's catalog names them) reads by the catalog's English names in English, as on the overview.
 */
export function valueSlots(answer: TransitionsJson, noneName: string, catalog: readonly CatalogValue[] = [], lang = 'zh-CN'): ValueSlot[] {
  const values = answer.values.map((value, index) => ({
    id: slotId(value),
    name: value.key === null ? value.name : modelValueName({ key: value.key, name: value.name }, catalog, lang),
    color: valueColor(value.color, index),
    memberParam: value.key,
    movement: value,
  }));
  return [...values, { id: NONE_ID, name: noneName, color: NONE_COLOR, memberParam: NONE_ID, movement: undefined }];
}

export function flowKey(fromId: string, toId: string): string {
  return `${fromId}>${toId}`;
}

export function flowCounts(flows: readonly FlowJson[]): Map<string, number> {
  return new Map(flows.map((flow) => [flowKey(slotId(flow.from), slotId(flow.to)), flow.customers]));
}
