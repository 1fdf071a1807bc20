// An attribute as one SQL value that is NULL exactly when the evaluator sees it as missing
// (absent, null or of another type), so every predicate can be written `COALESCE(…, FALSE)`.
import { sql, type RawBuilder } from 'kysely';
import type { BoundAttributeRef } from '../../core/expression/index.js';
import { REACHABILITY_KINDS, isReachabilityField } from '../../core/customer.js';
import { RANDOM_BUCKETS, RANDOM_BUCKET_MULTIPLIER } from '../../core/random-bucket.js';
import { BUILTIN_FIELD_COLUMNS, isBuiltinField } from '../customer-fields.js';
import type { Dialect } from '../connect.js';

export type Sql = RawBuilder<unknown>;

/** How a present value is represented in SQL: booleans are 1/0 on both stores. */
export type SqlKind = 'number' | 'text' | 'boolean';

export interface TypedValue {
  /** NULL when the customer's value is missing or mistyped. */
  value: Sql;
  kind: SqlKind;
}

const NUMBER_COLUMNS: ReadonlySet<string> = new Set(['first_seen_at']);

export function kindOf(type: BoundAttributeRef['type']): SqlKind {
  switch (type) {
    case 'number':
    case 'timestamp':
      return 'number';
    case 'string':
    case 'enum':
    case 'date':
      return 'text';
    case 'boolean':
      return 'boolean';
    default: {
      const unreachable: never = type;
      return unreachable;
    }
  }
}

/** The typed value of an attribute, or undefined when no customer can ever have it. */
export function typedValue(attribute: BoundAttributeRef, dialect: Dialect): TypedValue | undefined {
  const kind = kindOf(attribute.type);
  if (attribute.source === 'field' && attribute.key === 'random_bucket') return { value: bucketSql(dialect), kind };
  if (attribute.source === 'field' && isReachabilityField(attribute.key)) return { value: reachableSql(REACHABILITY_KINDS[attribute.key]), kind };
  if (attribute.source === 'field' && isBuiltinField(attribute.key)) {
    const column = BUILTIN_FIELD_COLUMNS[attribute.key];
    const value = columnValue(sql.ref(`customers.${column}`), NUMBER_COLUMNS.has(column) ? 'number' : 'text', attribute.type, dialect);
    return value && { value, kind };
  }
  if (attribute.source === 'field') return { value: jsonValue(sql.ref('customers.custom'), attribute.key, attribute.type, dialect), kind };
  // One correlated lookup per predicate: a customer without a metrics row has no metric values.
  const inner = jsonValue(sql.ref('customer_metrics_x.metric_values'), attribute.key, attribute.type, dialect);
  return { value: sql`(select ${inner} from customer_metrics as customer_metrics_x where customer_metrics_x.customer_id = customers.id)`, kind };
}

/**
 * `randomBucket(customers.id)` (src/core/random-bucket.ts) step by step. Every intermediate value
 * is below 2⁵⁹, so both stores compute it in exact 64-bit integers. SQLite has no xor operator:
 * there `a xor b` is `(a | b) - (a & b)`, which names each side twice, so the SQL grows fourfold
 * with each round (64 reads of the id in all), which SQLite evaluates as cheaply as one.
 */
function bucketSql(dialect: Dialect): Sql {
  const xorShift = (x: Sql) => (dialect === 'postgres' ? sql`(${x} # (${x} >> 16))` : sql`((${x} | (${x} >> 16)) - (${x} & (${x} >> 16)))`);
  const round = (x: Sql) => sql`((${xorShift(x)} * ${sql.lit(RANDOM_BUCKET_MULTIPLIER)}) & ${sql.lit(0xffffffff)})`;
  const id = sql`(cast(customers.id as bigint) & ${sql.lit(0xffffffff)})`;
  return sql`(${xorShift(round(round(id)))} % ${sql.lit(RANDOM_BUCKETS)})`;
}

/**
 * 1 when the customer holds an identity of one of these kinds, else 0 (never NULL: a
 * reachability field is never missing). Found through the identities' customer index, a
 * customer having a few identities at most.
 */
function reachableSql(kinds: readonly string[]): Sql {
  const listed = sql.join(kinds.map((kind) => sql`${kind}`));
  return sql`(case when exists (select 1 from identities as identities_x where identities_x.customer_id = customers.id and identities_x.kind in (${listed})) then 1 else 0 end)`;
}

function columnValue(column: Sql, columnKind: 'number' | 'text', type: BoundAttributeRef['type'], dialect: Dialect): Sql | undefined {
  const kind = kindOf(type);
  if (kind !== columnKind) return undefined;
  if (dialect === 'postgres') return type === 'date' ? validDate(column, dialect) : column;
  // SQLite columns take any value whatever their declared type; only the expected one counts.
  const typed = kind === 'number' ? sql`case when typeof(${column}) in ('integer', 'real') then ${column} end` : sql`case when typeof(${column}) = 'text' then ${column} end`;
  return type === 'date' ? validDate(typed, dialect) : typed;
}

function jsonValue(document: Sql, key: string, type: BoundAttributeRef['type'], dialect: Dialect): Sql {
  return dialect === 'sqlite' ? sqliteJsonValue(document, key, type) : postgresJsonValue(document, key, type);
}

function sqlitePath(key: string): string {
  // SQLite JSON paths have no escapes inside a quoted label; keys (KEY_PATTERN) never hold these.
  if (/["\\]/.test(key)) throw new Error(`attribute key ${JSON.stringify(key)} cannot be read from JSON`);
  return `$."${key}"`;
}

function sqliteJsonValue(document: Sql, key: string, type: BoundAttributeRef['type']): Sql {
  const path = sqlitePath(key);
  const jsonType = sql`json_type(${document}, ${path})`;
  const extracted = sql`json_extract(${document}, ${path})`;
  switch (kindOf(type)) {
    case 'number':
      return sql`case when ${jsonType} in ('integer', 'real') then ${extracted} end`;
    case 'boolean':
      return sql`case ${jsonType} when 'true' then 1 when 'false' then 0 end`;
    case 'text': {
      const text = sql`case when ${jsonType} = 'text' then ${extracted} end`;
      return type === 'date' ? validDate(text, 'sqlite') : text;
    }
  }
}

function postgresJsonValue(document: Sql, key: string, type: BoundAttributeRef['type']): Sql {
  const json = sql`((${document})::jsonb -> ${key}::text)`;
  const jsonType = sql`jsonb_typeof(${json})`;
  switch (kindOf(type)) {
    case 'number':
      return sql`case when ${jsonType} = 'number' then (${json})::float8 end`;
    case 'boolean':
      return sql`case when ${jsonType} = 'boolean' then (case when (${json})::boolean then 1 else 0 end) end`;
    case 'text': {
      const text = sql`case when ${jsonType} = 'string' then ((${document})::jsonb ->> ${key}::text) end`;
      return type === 'date' ? validDate(text, 'postgres') : text;
    }
  }
}

/**
 * The text if it is a real `YYYY-MM-DD` date as `isValidDate` sees it, else NULL. `isValidDate`
 * goes through `Date.UTC`, which reads years 0-99 as 1900-1999, so those years are never valid.
 */
function validDate(text: Sql, dialect: Dialect): Sql {
  if (dialect === 'sqlite') {
    // date() normalises an impossible day (2026-02-30 → 2026-03-02), so a round trip proves the date real.
    return sql`case when ${text} glob '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' and ${text} >= '0100' and date(${text}) = ${text} then ${text} end`;
  }
  // PostgreSQL has no date parser that answers NULL instead of raising, so the calendar is spelled out;
  // the nested CASE keeps the integer casts away from text of another shape.
  const year = sql`substr(${text}, 1, 4)::int`;
  const month = sql`substr(${text}, 6, 2)::int`;
  const day = sql`substr(${text}, 9, 2)::int`;
  const leap = sql`((${year} % 4 = 0 and ${year} % 100 <> 0) or ${year} % 400 = 0)`;
  const monthLength = sql`case when ${month} = 2 then (case when ${leap} then 29 else 28 end) when ${month} in (4, 6, 9, 11) then 30 else 31 end`;
  return sql`case when ${text} ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' then (case when ${year} >= 100 and ${month} between 1 and 12 and ${day} between 1 and ${monthLength} then ${text} end) end`;
}
