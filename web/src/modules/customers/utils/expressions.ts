// Expressions the console writes for the user: "these customers", "holds this value".
import type { TagJson } from '../../app/utils/types';

/** The longest expression the API takes. */
export const MAX_EXPRESSION = 8000;

export const EVERYONE = 'id exists';

export function idsExpression(ids: readonly string[]): string {
  return ids.length === 0 ? 'id missing' : `id in (${ids.map((id) => JSON.stringify(id)).join(', ')})`;
}

/** Whether a customer holds `value` of `tag`: `in` for single-valued tags, `has any` for multi-valued. */
export function holdsExpression(tag: TagJson, value: string): string {
  return `\`${tag.key}\` ${tag.cardinality === 'multi' ? 'has any' : 'in'} (${JSON.stringify(value)})`;
}
