// Tag predicates as EXISTS over the customer's assignments. A customer holds a tag when an
// assignment still held at `now` names one of the tag's known value ids, which is how the
// evaluator's view is built: an assignment whose value the catalog does not know is invisible,
// and so is one whose expiry has come, whether or not the expiry sweep has taken it off yet.
import { sql, type SqlBool } from 'kysely';
import type { BoundTagPredicate } from '../../core/expression/index.js';
import type { Dialect } from '../connect.js';
import { stillHeld } from '../still-held.js';
import { FALSE, all, type Condition } from './predicates.js';

export interface TagIdsLookup {
  id: number;
  values: Map<string, number>;
}

function holdsAnyOf(valueIds: readonly number[], dialect: Dialect, now: number): Condition {
  if (valueIds.length === 0) return FALSE;
  const ids = sql.join(valueIds.map((id) => (dialect === 'postgres' ? sql`${id}::bigint` : sql`${id}`)));
  return sql<SqlBool>`exists (select 1 from assignments as assignments_x where assignments_x.customer_id = customers.id and assignments_x.value_id in (${ids}) and ${stillHeld(now, 'assignments_x')})`;
}

export function tagPredicate(node: BoundTagPredicate, tagIds: ReadonlyMap<string, TagIdsLookup>, dialect: Dialect, now: number): Condition {
  const ids = tagIds.get(node.tag.key);
  const allValueIds = ids ? [...new Set(ids.values.values())] : [];
  const present = holdsAnyOf(allValueIds, dialect, now);
  // A value key the store does not know is a value nobody holds.
  const known = node.valueKeys.flatMap((key) => {
    const id = ids?.values.get(key);
    return id === undefined ? [] : [id];
  });
  switch (node.test) {
    case 'present':
      return present;
    case 'absent':
      return sql<SqlBool>`not ${present}`;
    case 'any':
      return holdsAnyOf([...new Set(known)], dialect, now);
    case 'all':
      if (known.length < node.valueKeys.length) return FALSE;
      return all([present, ...[...new Set(known)].map((id) => holdsAnyOf([id], dialect, now))]);
    case 'none':
      return known.length === 0 ? present : all([present, sql<SqlBool>`not ${holdsAnyOf([...new Set(known)], dialect, now)}`]);
    default: {
      const unreachable: never = node.test;
      return unreachable;
    }
  }
}
