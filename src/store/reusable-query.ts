// Statements compiled once per store and then run with new values. Building and
// compiling a statement with subqueries in the query builder took ~0.2 ms, longer than SQLite
// took to answer it; a read that runs on every request should pay that once.
import type { Compilable, CompiledQuery, Kysely, Transaction } from 'kysely';
import type { Store } from './connect.js';
import type { Database } from './schema.js';

/** Stands in for a value while the statement is built; found again among the compiled parameters. */
class Slot {
  constructor(readonly key: string) {}
}

interface Compiled<Row> {
  query: CompiledQuery<Row>;
  /** Per compiled parameter: the key of the value it takes, or undefined for a constant. */
  keys: (string | undefined)[];
}

/**
 * A select whose values vary per run: `build` receives stand-ins for `keys` in place of the
 * values and must pass each one to the builder as a plain value (never inside a list or a raw
 * fragment), so that it becomes exactly one bound parameter.
 */
export function reusableQuery<Values extends Record<string, unknown>, Row>(keys: readonly (keyof Values & string)[], build: (store: Store, values: Values) => Compilable<Row>) {
  const compiled = new WeakMap<Store, Compiled<Row>>();
  function compile(store: Store): Compiled<Row> {
    const slots = Object.fromEntries(keys.map((key) => [key, new Slot(key)]));
    // The stand-ins are only carried into the parameter list, never read as values.
    const query = build(store, slots as unknown as Values).compile();
    const found = query.parameters.map((parameter) => (parameter instanceof Slot ? parameter.key : undefined));
    const missing = keys.filter((key) => !found.includes(key));
    if (missing.length > 0) throw new Error(`reusable query: ${missing.join(', ')} did not become bound parameters`);
    return { query, keys: found };
  }
  /** Runs on `db` when given: a transaction of the store runs the same text. */
  return async (store: Store, values: Values, db: Kysely<Database> | Transaction<Database> = store.db): Promise<Row[]> => {
    let entry = compiled.get(store);
    if (!entry) {
      entry = compile(store);
      compiled.set(store, entry);
    }
    const { query, keys: slotKeys } = entry;
    const parameters = query.parameters.map((constant, i) => {
      const key = slotKeys[i];
      return key === undefined ? constant : values[key];
    });
    const run: CompiledQuery<Row> = { ...query, parameters };
    return (await db.executeQuery(run)).rows;
  };
}
