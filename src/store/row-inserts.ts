// Multi-row inserts whose SQL text is compiled once per store and row count. Kysely builds and
// walks a tree of a node per value for every statement: for an ingest batch's events and
// metrics rows (thousands of values) that was a measurable share of the batch, to produce the
// same text batch after batch, since chunked statements have fixed sizes.
import type { Compilable, CompiledQuery, Kysely, QueryResult, Transaction } from 'kysely';
import type { Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

interface CompiledText {
  sql: string;
  query: CompiledQuery['query'];
  queryId: CompiledQuery['queryId'];
}

/**
 * Row counts whose text is kept, per insert and store: a full chunk and the few sizes a steady
 * stream of batches repeats. A text runs to tens of kilobytes, and batches of every size would
 * otherwise keep one per size.
 */
const TEXTS_KEPT = 16;

/**
 * An insert of rows of one shape (`columns`, each row binding them in that order), as `build`
 * writes it with Kysely. The first statement of each row count is compiled by Kysely and its
 * text kept, once its parameters are seen to be the rows' values column by column; later ones
 * bind the rows' values to that text. A row without a value for a column (which Kysely writes as
 * `default`), a store with plugins, or a text whose parameters are not the rows' values goes
 * through Kysely every time, so the statement run is always the one `build` makes.
 */
export class RowInsert<Row extends object, Result = unknown> {
  /** Per store (its adapter, one per Kysely instance and its transactions): texts by row count, or null where Kysely must compile each time. */
  readonly #texts = new WeakMap<object, Map<number, CompiledText | null>>();

  constructor(
    private readonly columns: readonly (keyof Row & string)[],
    private readonly build: (db: Db, rows: readonly Row[]) => Compilable<Result>,
  ) {}

  async execute(db: Db, rows: readonly Row[]): Promise<QueryResult<Result>> {
    const executor = db.getExecutor();
    const parameters = executor.plugins.length === 0 ? this.#parameters(rows) : undefined;
    if (parameters === undefined) return db.executeQuery(this.build(db, rows));
    let texts = this.#texts.get(executor.adapter);
    if (!texts) {
      texts = new Map();
      this.#texts.set(executor.adapter, texts);
    }
    const known = texts.get(rows.length);
    if (known) {
      // Most recently used last, so that the oldest entry is the first in the map.
      texts.delete(rows.length);
      texts.set(rows.length, known);
      return db.executeQuery<Result>({ sql: known.sql, parameters, query: known.query, queryId: known.queryId });
    }
    const compiled = this.build(db, rows).compile();
    if (known === undefined) {
      texts.set(rows.length, sameParameters(compiled.parameters, parameters) ? { sql: compiled.sql, query: compiled.query, queryId: compiled.queryId } : null);
      // Over the limit, the map holds at least one key.
      if (texts.size > TEXTS_KEPT) texts.delete(texts.keys().next().value as number);
    }
    return db.executeQuery(compiled);
  }

  /** The rows' values, row by row and column by column; undefined when a row lacks one or has others. */
  #parameters(rows: readonly Row[]): unknown[] | undefined {
    const columns = this.columns;
    const parameters: unknown[] = new Array<unknown>(rows.length * columns.length);
    let at = 0;
    for (const row of rows) {
      let keys = 0;
      for (const key in row) if (Object.hasOwn(row, key)) keys++;
      if (keys !== columns.length) return undefined;
      for (const column of columns) {
        const value = row[column];
        if (value === undefined) return undefined;
        parameters[at++] = value;
      }
    }
    return parameters;
  }
}

function sameParameters(compiled: readonly unknown[], values: readonly unknown[]): boolean {
  if (compiled.length !== values.length) return false;
  for (let k = 0; k < values.length; k++) if (!Object.is(compiled[k], values[k])) return false;
  return true;
}
