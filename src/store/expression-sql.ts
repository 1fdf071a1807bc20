// The SQL back end of the expression language: a bound expression becomes one WHERE
// condition over `customers` that selects exactly the customers the reference evaluator
// accepts. Every value the expression or the catalog supplies is a bound parameter.
//
// Where the stores cannot follow the evaluator exactly:
// - Text order: only dates are compared with `<` and `>`, and they are ASCII, so PostgreSQL's
//   "C" collation and SQLite's byte order both agree with JavaScript's code-unit order. Were
//   other text ever ordered, SQLite would differ for astral characters against U+E000–U+FFFF.
// - U+0000: PostgreSQL text cannot hold it, so a literal containing it equals nothing there,
//   and a custom-field or metric JSON document containing `\u0000` fails the `::jsonb` cast.
// - Half a surrogate pair (`"\uD800"`): no store holds one, so a literal containing it equals
//   nothing on either store, as in the evaluator, rather than a stored U+FFFD it would be bound as.
// - Segments that read each other in a cycle are compiled in reading order, as the evaluator's
//   per-customer cache answers them when it reads every operand; where `and`/`or` short-circuit
//   would skip the first reading of a cyclic segment, the evaluator may answer it differently.
import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import type { BoundExpression } from '../core/expression/index.js';
import type { Dialect, Store } from './connect.js';
import { FALSE, all, any, attributePredicate, type Condition } from './expression-sql/predicates.js';
import { tagPredicate, type TagIdsLookup } from './expression-sql/tags.js';

export interface SqlCompileOptions {
  dialect: Dialect;
  /** The workspace whose customers the saved segments read more than once are listed from. */
  workspaceId: number;
  /** Tag key → store ids of the tag and of each value key (`WorkspaceCatalog.tagIds`). */
  tagIds: ReadonlyMap<string, TagIdsLookup>;
  /** Epoch ms: what `N days ago` and `within` count from, and the instant whose still-held assignments a tag test reads. */
  now: number;
  /** The workspace's calendar: what "today" and the day of a timestamp mean. */
  utcOffsetMinutes: number;
  /** The bound expression of a saved segment; without one, `segment("…")` is false. */
  segment?: ((key: string) => BoundExpression | undefined) | undefined;
}

/** The expression, or a segment written once: a condition written once per statement. */
interface Reader {
  /** The numbers of the segments written once that the condition reads. */
  reads: Set<number>;
}

/** A segment written once: its condition, and what that condition reads. */
interface SharedSegment extends Reader {
  condition: Condition;
}

interface CompileState {
  options: SqlCompileOptions;
  /** Segments read more than once are written once, as tables (`compileToSql`), rather than at every read. */
  writeOnce: boolean;
  /** How often each segment is read with every segment compiled once (`countSegmentReads`). */
  reads: ReadonlyMap<string, number>;
  /**
   * The segments met so far, in the evaluator's reading order: 'open' while one is expanded, so
   * that it is FALSE to itself (directly or through others), as in the evaluator's per-customer
   * cache; then its condition, written out at every read, or the number of its table.
   */
  segments: Map<string, 'open' | Condition | number>;
  /** The segments written once, numbered from 1 in the order their conditions were finished. */
  shared: SharedSegment[];
  /** The readers being compiled, innermost last: the expression, then segments written once. */
  readers: Reader[];
}

/** The table of the segments written once up to the nth; a condition reading them joins it as `segments_read`. */
const tableOf = (n: number) => `segments_read_${n}`;
const columnOf = (n: number) => `segment_${n}`;

/**
 * Past this many predicates with every segment written out where it is read, the segments read
 * more than once are written once. Below it they are written out, as a short SQL condition over
 * `customers` alone is the quickest to answer and leaves the planner nothing to misjudge.
 */
export const WRITTEN_OUT_PREDICATES = 1000;

/**
 * A condition for `.where(…)` on a query over `customers` (the table under that name). It is
 * TRUE or FALSE for every row of the workspace, never NULL. It does not exclude merged customers
 * or other workspaces: the caller's query does.
 *
 * A saved segment is written out where it is read, unless that would write more than
 * WRITTEN_OUT_PREDICATES predicates: a chain of segments each reading the one below twice
 * doubles at every level. Then each segment read more than once is written once, in a chain of
 * common table expressions, one per such segment, each materialised (`as materialized`:
 * PostgreSQL 12 or newer) with a row per customer of the workspace and a column for each such
 * segment a later condition reads; a read is that column. Each table is read only by the next, as
 * SQLite copies a common table expression's query at every reference: tables each reading the
 * one before twice would double again. The condition is then `customers.id in (with … select …)`,
 * one condition whatever query holds it.
 */
export function compileToSql(bound: BoundExpression, options: SqlCompileOptions): Expression<SqlBool> {
  const reads = new Map<string, number>();
  const predicates = countSegmentReads(bound, options, new Set(), reads, new Map());
  const expression: Reader = { reads: new Set() };
  const state: CompileState = { options, writeOnce: predicates > WRITTEN_OUT_PREDICATES, reads, segments: new Map(), shared: [], readers: [expression] };
  const condition = compileNode(bound, state);
  if (state.shared.length === 0) return condition;
  return sql<SqlBool>`customers.id in (with ${sharedTables(state.shared, expression, options.workspaceId)} select customers.id from ${readingShared(state.shared.length)} where customers.workspace_id = ${options.workspaceId} and ${condition})`;
}

/** `customers`, joined (as `segments_read`) to the table of the segments written once up to the nth. */
function readingShared(n: number): RawBuilder<unknown> {
  if (n === 0) return sql`customers`;
  return sql`customers join ${sql.table(tableOf(n))} as segments_read on segments_read.id = customers.id`;
}

/** The common table expressions of the segments written once, each carrying the columns a later condition reads. */
function sharedTables(shared: readonly SharedSegment[], expression: Reader, workspaceId: number): RawBuilder<unknown> {
  // The last table each segment's column is read from: that of the reader finished just before it.
  const lastRead = new Map<number, number>();
  const readers: [number, Reader][] = [...shared.map((segment, index): [number, Reader] => [index + 1, segment]), [shared.length + 1, expression]];
  for (const [number, reader] of readers) for (const read of reader.reads) lastRead.set(read, Math.max(lastRead.get(read) ?? 0, number - 1));
  const tables = shared.map((segment, index) => {
    const number = index + 1;
    const carried: RawBuilder<unknown>[] = [];
    for (let earlier = 1; earlier < number; earlier += 1) if ((lastRead.get(earlier) ?? 0) >= number) carried.push(sql`${sql.ref(`segments_read.${columnOf(earlier)}`)}`);
    const columns = sql.join([sql`customers.id`, ...carried, sql`${segment.condition} as ${sql.id(columnOf(number))}`]);
    return sql`${sql.table(tableOf(number))} as materialized (select ${columns} from ${readingShared(number - 1)} where customers.workspace_id = ${workspaceId})`;
  });
  return sql.join(tables);
}

/**
 * Counts the reads of each segment in the order `compileNode` meets them, so that one is open at
 * exactly the same reads, and answers how many predicates the node holds with every segment
 * written out where it is read (`written`: each segment's own, once counted).
 */
function countSegmentReads(node: BoundExpression, options: SqlCompileOptions, open: Set<string>, reads: Map<string, number>, written: Map<string, number>): number {
  switch (node.kind) {
    case 'and':
    case 'or':
      return node.operands.reduce((sum, operand) => sum + countSegmentReads(operand, options, open, reads, written), 0);
    case 'not':
      return countSegmentReads(node.operand, options, open, reads, written);
    case 'segment': {
      const key = node.segment.key;
      if (open.has(key)) return 0;
      const counted = reads.get(key);
      if (counted !== undefined) {
        reads.set(key, counted + 1);
        return written.get(key) ?? 0;
      }
      const bound = options.segment?.(key);
      if (bound === undefined) return 0;
      open.add(key);
      const predicates = countSegmentReads(bound, options, open, reads, written);
      open.delete(key);
      reads.set(key, 1);
      written.set(key, predicates);
      return predicates;
    }
    default:
      return 1;
  }
}

function compileNode(node: BoundExpression, state: CompileState): Condition {
  switch (node.kind) {
    case 'and':
      return all(node.operands.map((operand) => compileNode(operand, state)));
    case 'or':
      return any(node.operands.map((operand) => compileNode(operand, state)));
    case 'not':
      return sql<SqlBool>`(not ${compileNode(node.operand, state)})`;
    case 'tag':
      return tagPredicate(node, state.options.tagIds, state.options.dialect, state.options.now);
    case 'segment':
      return compileSegment(node.segment.key, state);
    case 'compare':
    case 'in':
    case 'between':
    case 'presence':
    case 'withinLast':
    case 'withinAnniversary':
      return attributePredicate(node, state.options);
    default: {
      const unreachable: never = node;
      return unreachable;
    }
  }
}

function compileSegment(key: string, state: CompileState): Condition {
  const known = state.segments.get(key);
  if (known === 'open') return FALSE;
  if (typeof known === 'number') return readShared(known, state);
  if (known !== undefined) return known;
  const bound = state.options.segment?.(key);
  if (bound === undefined) return FALSE;
  state.segments.set(key, 'open');
  if (!state.writeOnce || (state.reads.get(key) ?? 0) < 2) {
    const condition = compileNode(bound, state);
    state.segments.set(key, condition);
    return condition;
  }
  const reader: Reader = { reads: new Set() };
  state.readers.push(reader);
  const condition = compileNode(bound, state);
  state.readers.pop();
  state.shared.push({ condition, reads: reader.reads });
  state.segments.set(key, state.shared.length);
  return readShared(state.shared.length, state);
}

/** A read of the nth segment written once, by the reader being compiled. */
function readShared(number: number, state: CompileState): Condition {
  state.readers.at(-1)?.reads.add(number);
  return sql<SqlBool>`(${sql.ref(`segments_read.${columnOf(number)}`)})`;
}

/** Compile options for a query on a store; the dialect is the store's. */
export type SqlQueryOptions = Omit<SqlCompileOptions, 'dialect' | 'workspaceId'> & { dialect?: Dialect | undefined };

/** A store, or a transaction with its store's dialect. */
export type StoreLike = Pick<Store, 'db' | 'dialect'>;

/** `bound` compiled for a query over the workspace's customers on `store`. */
export function compileFor(store: StoreLike, workspaceId: number, bound: BoundExpression, options: SqlQueryOptions): Expression<SqlBool> {
  if (options.dialect !== undefined && options.dialect !== store.dialect) throw new Error(`expression compiled for ${options.dialect} but the store is ${store.dialect}`);
  return compileToSql(bound, { ...options, dialect: store.dialect, workspaceId });
}

/** Internal ids of the workspace's live customers that match, ascending. */
export async function selectCustomerIds(store: StoreLike, workspaceId: number, bound: BoundExpression, options: SqlQueryOptions): Promise<number[]> {
  const rows = await store.db
    .selectFrom('customers')
    .select('customers.id')
    .where('customers.workspace_id', '=', workspaceId)
    .where('customers.merged_into', 'is', null)
    .where(compileFor(store, workspaceId, bound, options))
    .orderBy('customers.id')
    .execute();
  return rows.map((row) => Number(row.id));
}

/** How many of the workspace's live customers match. */
export async function countCustomers(store: StoreLike, workspaceId: number, bound: BoundExpression, options: SqlQueryOptions): Promise<number> {
  const row = await store.db
    .selectFrom('customers')
    .select((eb) => eb.fn.countAll<number | string>().as('count'))
    .where('customers.workspace_id', '=', workspaceId)
    .where('customers.merged_into', 'is', null)
    .where(compileFor(store, workspaceId, bound, options))
    .executeTakeFirst();
  return Number(row?.count ?? 0);
}
