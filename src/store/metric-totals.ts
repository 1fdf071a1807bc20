// Metric totals in SQL, for callers without the in-memory index: over the live customers a group
// (a tag value's holders, a tag's, everyone) and an expression select, per number metric how many
// have a value, their sum, and the values at the ranks its median and quartiles are made of.
// The figures come from src/core/quantiles.ts, as the index's do, so both give the same answer.
import { sql, type Expression, type SqlBool } from 'kysely';
import { NO_QUANTILES, quantileRanks, quantilesAt, type Quantiles } from '../core/quantiles.js';
import type { BoundExpression } from '../core/expression/index.js';
import { compileFor, type SqlQueryOptions, type StoreLike } from './expression-sql.js';
import { TRUE, all, type Condition } from './expression-sql/predicates.js';
import { typedValue } from './expression-sql/values.js';
import { stillHeld } from './still-held.js';

/** Customers counted together: the holders of a tag value, of any value of a tag, or everyone. */
export type CustomerGroup = { valueId: number } | { tagId: number } | 'everyone';

/** A metric over a group: the sum over those with a value, how many have one, and its quartiles and median (src/core/quantiles.ts). */
export interface MetricTotal {
  sum: number;
  customers: number;
  quantiles: Quantiles;
}

/** The customers of a group at `now` (epoch ms), as a condition on `customers`: an assignment past its expiry is gone, swept or not. */
export function groupCondition(group: CustomerGroup, now: number): Condition {
  if (group === 'everyone') return TRUE;
  const held = 'valueId' in group ? sql`assignments_g.value_id = ${group.valueId}` : sql`assignments_g.tag_id = ${group.tagId}`;
  return sql<SqlBool>`exists (select 1 from assignments as assignments_g where assignments_g.customer_id = customers.id and ${held} and ${stillHeld(now, 'assignments_g')})`;
}

/** The live customers of the workspace a group at `now` and, when given, an expression select. */
export function selection(store: StoreLike, workspaceId: number, group: CustomerGroup, now: number, within: { bound: BoundExpression; options: SqlQueryOptions } | undefined): Condition {
  const conditions = [groupCondition(group, now)];
  if (within) conditions.push(compileFor(store, workspaceId, within.bound, within.options) as Condition);
  return all(conditions);
}

/** How many live customers of the workspace `where` selects. */
export async function countSelected(store: StoreLike, workspaceId: number, where: Expression<SqlBool>): Promise<number> {
  const { rows } = await sql<{ n: number | string }>`select count(*) as n from customers where customers.workspace_id = ${workspaceId} and customers.merged_into is null and ${where}`.execute(store.db);
  return Number(rows[0]?.n ?? 0);
}

/** A number metric over the live customers `where` selects: its sum and count over those with a value, and its quartiles. */
export async function metricTotalInSql(store: StoreLike, workspaceId: number, where: Expression<SqlBool>, metricKey: string): Promise<MetricTotal> {
  // Not NULL exactly when the index holds a number for the customer: a value of another type is no value.
  const value = typedValue({ source: 'metric', key: metricKey, name: metricKey, type: 'number' }, store.dialect)?.value;
  if (value === undefined) return { sum: 0, customers: 0, quantiles: NO_QUANTILES };
  const valued = sql`select ${value} as v from customers where customers.workspace_id = ${workspaceId} and customers.merged_into is null and ${where}`;
  const { rows: totals } = await sql<{ n: number | string; total: number | string | null }>`select count(v) as n, sum(v) as total from (${valued}) as valued`.execute(store.db);
  const customers = Number(totals[0]?.n ?? 0);
  const sum = Number(totals[0]?.total ?? 0);
  const ranks = quantileRanks(customers);
  if (ranks.length === 0) return { sum, customers, quantiles: NO_QUANTILES };
  // One sort: each value's rank in ascending order (ties in any order, as they are equal).
  const ranked = sql`select v, row_number() over (order by v) - 1 as r from (${valued}) as valued where v is not null`;
  const { rows } = await sql<{ v: number | string; r: number | string }>`select v, r from (${ranked}) as ranked where r in (${sql.join(ranks)})`.execute(store.db);
  const valueAt = new Map(rows.map((row) => [Number(row.r), Number(row.v)]));
  return { sum, customers, quantiles: quantilesAt(customers, valueAt) };
}

/** How many of the live customers `where` selects hold each value at `now` (epoch ms), by value id. */
export async function holdersByValue(store: StoreLike, workspaceId: number, valueIds: readonly number[], now: number, where: Expression<SqlBool>): Promise<Map<number, number>> {
  if (valueIds.length === 0) return new Map();
  const { rows } = await sql<{ value_id: number | string; n: number | string }>`select assignments.value_id, count(distinct assignments.customer_id) as n from assignments join customers on customers.id = assignments.customer_id where assignments.value_id in (${sql.join(valueIds)}) and ${stillHeld(now)} and customers.workspace_id = ${workspaceId} and customers.merged_into is null and ${where} group by assignments.value_id`.execute(store.db);
  return new Map(rows.map((row) => [Number(row.value_id), Number(row.n)]));
}
