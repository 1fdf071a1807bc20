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
// - Segments that read each other in a cycle are compiled in reading order, as the evaluator's
//   per-customer cache answers them when it reads every operand; where `and`/`or` short-circuit
//   would skip the first reading of a cyclic segment, the evaluator may answer it differently.
import { sql, type Expression, type SqlBool } from 'kysely';
import type { BoundExpression } from '../core/expression/index.js';
import type { Dialect, Store } from './connect.js';
import { FALSE, all, any, attributePredicate, type Condition } from './expression-sql/predicates.js';
import { tagPredicate, type TagIdsLookup } from './expression-sql/tags.js';

export interface SqlCompileOptions {
  dialect: Dialect;
  /** Tag key → store ids of the tag and of each value key (`WorkspaceCatalog.tagIds`). */
  tagIds: ReadonlyMap<string, TagIdsLookup>;
  /** Epoch ms: what `N days ago` and `within` count from. */
  now: number;
  /** The workspace's calendar: what "today" and the day of a timestamp mean. */
  utcOffsetMinutes: number;
  /** The bound expression of a saved segment; without one, `segment("…")` is false. */
  segment?: ((key: string) => BoundExpression | undefined) | undefined;
}

interface CompileState {
  options: SqlCompileOptions;
  /**
   * Segments compiled so far, as the evaluator's per-customer cache: FALSE while a segment is
   * being expanded, so a segment that reads itself (directly or through others) sees false.
   */
  segments: Map<string, Condition>;
}

/**
 * A condition for `.where(…)` on a query over `customers` (the table under that name). It is
 * TRUE or FALSE for every row, never NULL. It does not exclude merged customers or other
 * workspaces: the caller's query does.
 */
export function compileToSql(bound: BoundExpression, options: SqlCompileOptions): Expression<SqlBool> {
  return compileNode(bound, { options, segments: new Map() });
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
      return tagPredicate(node, state.options.tagIds, state.options.dialect);
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
  const cached = state.segments.get(key);
  if (cached !== undefined) return cached;
  const bound = state.options.segment?.(key);
  if (bound === undefined) return FALSE;
  state.segments.set(key, FALSE);
  const condition = compileNode(bound, state);
  state.segments.set(key, condition);
  return condition;
}

/** Compile options for a query on a store; the dialect is the store's. */
export type SqlQueryOptions = Omit<SqlCompileOptions, 'dialect'> & { dialect?: Dialect | undefined };

/** A store, or a transaction with its store's dialect. */
export type StoreLike = Pick<Store, 'db' | 'dialect'>;

function compileFor(store: StoreLike, bound: BoundExpression, options: SqlQueryOptions): Expression<SqlBool> {
  if (options.dialect !== undefined && options.dialect !== store.dialect) throw new Error(`expression compiled for ${options.dialect} but the store is ${store.dialect}`);
  return compileToSql(bound, { ...options, dialect: store.dialect });
}

/** Internal ids of the workspace's live customers that match, ascending. */
export async function selectCustomerIds(store: StoreLike, workspaceId: number, bound: BoundExpression, options: SqlQueryOptions): Promise<number[]> {
  const rows = await store.db
    .selectFrom('customers')
    .select('customers.id')
    .where('customers.workspace_id', '=', workspaceId)
    .where('customers.merged_into', 'is', null)
    .where(compileFor(store, bound, options))
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
    .where(compileFor(store, bound, options))
    .executeTakeFirst();
  return Number(row?.count ?? 0);
}
