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

/**
 * `ids` as few `id in (…)` lists as fit, each at most `room` characters long: a selection
 * gathered over several pages is longer than one expression may be.
 */
export function idsExpressions(ids: readonly string[], room: number): string[] {
  const lists: string[] = [];
  let chunk: string[] = [];
  let length = 'id in ()'.length;
  for (const id of ids) {
    const quoted = JSON.stringify(id);
    const extra = quoted.length + (chunk.length > 0 ? 2 : 0);
    if (chunk.length > 0 && length + extra > room) {
      lists.push(idsExpression(chunk));
      chunk = [];
      length = 'id in ()'.length;
    }
    chunk.push(id);
    length += quoted.length + (chunk.length > 1 ? 2 : 0);
  }
  if (chunk.length > 0 || lists.length === 0) lists.push(idsExpression(chunk));
  return lists;
}
