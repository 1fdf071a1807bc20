// Reads customers, their assignments and their metric values from the store. A full build
// walks the workspace's customers by id (keyset pages of `buildSettings.batch`) and fetches the
// assignments and metrics of the same id range, so no statement returns more than a page and
// none binds a list of ids; a refresh loads the few customers it is given one by one.
import { sql, type Transaction } from 'kysely';
import type { AttributeValue } from '../core/expression/index.js';
import { BUILTIN_FIELD_COLUMNS } from '../engine/catalog.js';
import { IDS_PER_QUERY, chunks } from '../store/chunks.js';
import type { Store } from '../store/connect.js';
import type { Database } from '../store/schema.js';
import { selectTuples } from '../store/tuples.js';
import { StringCache, readNumberList, readRows } from './flat-json.js';

/** Tunables of a full build; tests shrink them. */
export const buildSettings = {
  /** Customers per page: enough that statements and awaits do not count, few enough that a page's documents stay small (see loadWorkspacePages). */
  batch: 5_000,
};

/** One live customer as the index stores it; the same fields `loadCustomerViews` gives the evaluator. */
export interface LoadedCustomer {
  id: number;
  fields: [string, unknown][];
  metrics: [string, unknown][];
  /** Tag id and value id of each assignment. */
  assignments: [number, number][];
}

export interface CustomerRow {
  id: number;
  custom: string;
  merged_into: number | null;
  [column: string]: unknown;
}

function parseObject(text: string | null | undefined): [string, unknown][] {
  if (!text) return [];
  const parsed = JSON.parse(text) as unknown;
  return parsed !== null && typeof parsed === 'object' ? Object.entries(parsed as Record<string, AttributeValue>) : [];
}

function fieldsOf(row: CustomerRow): [string, unknown][] {
  // Built-in columns win over a custom value of the same key, as in loadCustomerViews.
  const fields = new Map<string, unknown>(parseObject(row.custom));
  for (const [key, column] of Object.entries(BUILTIN_FIELD_COLUMNS)) fields.set(key, row[column]);
  return [...fields];
}

function assemble(rows: CustomerRow[], assignments: { customer_id: number; tag_id: number; value_id: number }[], metrics: { customer_id: number; metric_values: string }[]): LoadedCustomer[] {
  const byId = new Map<number, LoadedCustomer>();
  for (const row of rows) {
    if (row.merged_into !== null) continue;
    byId.set(row.id, { id: row.id, fields: fieldsOf(row), metrics: [], assignments: [] });
  }
  for (const assignment of assignments) byId.get(assignment.customer_id)?.assignments.push([assignment.tag_id, assignment.value_id]);
  for (const metric of metrics) {
    const customer = byId.get(metric.customer_id);
    if (customer) customer.metrics = parseObject(metric.metric_values);
  }
  return [...byId.values()];
}

/** The customers columns a full build reads, in the order of `CustomerTuple`. */
export const CUSTOMER_COLUMNS = ['id', 'merged_into', 'custom', ...Object.values(BUILTIN_FIELD_COLUMNS)] as const;

/** A customers row as an array of CUSTOMER_COLUMNS: id, merged_into, custom, then the built-in field columns. */
export type CustomerTuple = [number, number | null, string, ...unknown[]];

/**
 * Metric values of a page's customers: the JSON texts, or on SQLite their UTF-8 bytes end to
 * end, customer i's from `ends[i - 1]` (0 for the first) to `ends[i]`.
 */
export type PageMetrics = { customerIds: number[]; texts: string[] } | { customerIds: number[]; bytes: Buffer; ends: number[] };

/** One page of a full build, as the store returns it: the index reads the rows in place. */
export interface WorkspacePage {
  /** In id order, merged ones included (the index skips them). */
  customers: CustomerTuple[];
  /**
   * The page's assignments, merged customers' included, as three arrays of the same length
   * (one entry per assignment): a row each would be ten million arrays at a million
   * customers, and a row per assigned value made the store sort them.
   */
  assignments: { customerIds: ArrayLike<number>; tagIds: ArrayLike<number>; valueIds: ArrayLike<number> };
  metrics: PageMetrics;
}

function jsonArray(value: unknown): number[] {
  // pg hands json back parsed, SQLite as text; over no rows pg's json_agg is null.
  if (typeof value === 'string') return JSON.parse(value) as number[];
  return Array.isArray(value) ? (value as number[]) : [];
}

/** A column of integers as SQLite's group_concat lists them, or as pg's json_agg gives them. */
function numberList(value: unknown): ArrayLike<number> {
  if (value === null || typeof value === 'string' || Array.isArray(value)) return jsonArray(value);
  const bytes = bytesOf(value);
  return readNumberList(bytes) ?? (JSON.parse(`[${bytes.toString('latin1')}]`) as number[]);
}

function bytesOf(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return Buffer.alloc(0);
}

type Db = Transaction<Database>;

/**
 * A page of customers on SQLite as one JSON document (an array per customer, CUSTOMER_COLUMNS
 * in order): better-sqlite3 makes an array and a string per value of a row, and a value of
 * Chinese text costs a slow UTF-8 decode each. The document is read from its bytes, a value
 * repeated down a column decoded once (`readRows`). A page of no customers gives an empty one.
 * Undefined when the document would not give exactly what the rows give: SQLite writes a
 * floating-point value to JSON in 15 digits, and cannot write a blob at all.
 */
async function customersDocument(store: Store, trx: Db, workspaceId: number, after: number, batch: number, strings: StringCache): Promise<CustomerTuple[] | undefined> {
  const page = trx
    .selectFrom('customers')
    .select(CUSTOMER_COLUMNS)
    .where('workspace_id', '=', workspaceId)
    .where('id', '>', after)
    .orderBy('id')
    .limit(batch)
    .as('page');
  const values = sql.join(CUSTOMER_COLUMNS.map((column) => sql.ref(`page.${column}`)));
  // Text columns hold text (their affinity turns a number into text) or a blob, which makes
  // json_array fail; of the integer ones, which may hold a float, only first_seen_at's value
  // is read. The document comes as bytes: better-sqlite3 decodes long texts slowly.
  const query = trx.selectFrom(page).select([sql<Uint8Array | null>`cast(json_group_array(json_array(${values})) as blob)`.as('rows'), sql<number | null>`sum(typeof(page.first_seen_at) = 'real')`.as('floats')]);
  let result: (readonly [Uint8Array | null, number | null])[];
  try {
    result = await selectTuples(store, trx, query, ['rows', 'floats']);
  } catch {
    // A blob somewhere in the page: it is read as rows.
    return undefined;
  }
  const [rows, floats] = result[0] ?? [];
  if (floats) return undefined;
  const bytes = bytesOf(rows);
  return (readRows(bytes, strings) ?? JSON.parse(bytes.toString('utf8') || '[]')) as CustomerTuple[];
}

async function customerRows(store: Store, trx: Db, workspaceId: number, after: number, batch: number): Promise<CustomerTuple[]> {
  const query = trx.selectFrom('customers').select(CUSTOMER_COLUMNS).where('workspace_id', '=', workspaceId).where('id', '>', after).orderBy('id').limit(batch);
  return (await selectTuples(store, trx, query, CUSTOMER_COLUMNS)) as CustomerTuple[];
}

async function pageMetrics(store: Store, trx: Db, workspaceId: number, first: number, last: number): Promise<PageMetrics> {
  const range = trx.selectFrom('customer_metrics').where('workspace_id', '=', workspaceId).where('customer_id', '>=', first).where('customer_id', '<=', last);
  if (store.dialect === 'postgres') {
    const rows = await selectTuples(store, trx, range.select(['customer_id', 'metric_values']), ['customer_id', 'metric_values']);
    return { customerIds: rows.map((row) => row[0]), texts: rows.map((row) => row[1]) };
  }
  // The texts as bytes, end to end, and their lengths: decoding each into a string and
  // parsing it was most of a build; the index reads the JSON from the bytes (FlatJsonReader).
  const query = trx
    .selectFrom(range.select(['customer_id', 'metric_values']).orderBy('customer_id').as('page'))
    .select([
      sql<string>`json_group_array(page.customer_id)`.as('ids'),
      sql<string>`json_group_array(octet_length(page.metric_values))`.as('lengths'),
      sql<Uint8Array | null>`cast(group_concat(page.metric_values, '') as blob)`.as('bytes'),
    ]);
  const [ids, lengths, bytes] = (await selectTuples(store, trx, query, ['ids', 'lengths', 'bytes']))[0] ?? [];
  const ends = jsonArray(lengths);
  for (let i = 1; i < ends.length; i++) ends[i] = (ends[i] as number) + (ends[i - 1] as number);
  return { customerIds: jsonArray(ids), bytes: bytesOf(bytes), ends };
}

/**
 * Every customer of the workspace, a page at a time, in id order. Pages are small enough
 * that what they allocate is reused from page to page: at 50,000 customers the documents of a
 * page ran past 32 MiB, where the allocator maps fresh memory for each, and faulting it in cost
 * as much as reading it.
 */
export async function* loadWorkspacePages(store: Store, workspaceId: number, batch = buildSettings.batch): AsyncGenerator<WorkspacePage> {
  const agg = store.dialect === 'postgres' ? (column: string) => sql<unknown>`json_agg(${sql.ref(column)})` : (column: string) => sql<unknown>`cast(group_concat(${sql.ref(column)}) as blob)`;
  const strings = new StringCache();
  let after = -1;
  for (;;) {
    // One transaction per page: on SQLite it lets the rows come back as arrays (selectTuples),
    // and the three statements see the same customers.
    const page = await store.db.transaction().execute(async (trx): Promise<WorkspacePage | undefined> => {
      const customers = (store.dialect === 'sqlite' ? await customersDocument(store, trx, workspaceId, after, batch, strings) : undefined) ?? (await customerRows(store, trx, workspaceId, after, batch));
      const first = customers[0]?.[0];
      const last = customers.at(-1)?.[0];
      if (first === undefined || last === undefined) return undefined;
      const [assignments, metrics] = await Promise.all([
        selectTuples(
          store,
          trx,
          // In key order: that order leads SQLite to the primary key (customer, value), which
          // reads the range in one pass, where the planner may otherwise pick the tag index
          // and visit the range once per tag; and the ids come sorted per value.
          trx
            .selectFrom(
              trx
                .selectFrom('assignments')
                .select(['customer_id', 'tag_id', 'value_id'])
                .where('workspace_id', '=', workspaceId)
                .where('customer_id', '>=', first)
                .where('customer_id', '<=', last)
                .orderBy('customer_id')
                .orderBy('value_id')
                .as('page'),
            )
            .select([agg('customer_id').as('customer_ids'), agg('tag_id').as('tag_ids'), agg('value_id').as('value_ids')]),
          ['customer_ids', 'tag_ids', 'value_ids'],
        ),
        pageMetrics(store, trx, workspaceId, first, last),
      ]);
      const [customerIds, tagIds, valueIds] = assignments[0] ?? [];
      return { customers, assignments: { customerIds: numberList(customerIds), tagIds: numberList(tagIds), valueIds: numberList(valueIds) }, metrics };
    });
    if (!page) return;
    yield page;
    const last = page.customers.at(-1);
    if (!last || page.customers.length < batch) return;
    after = last[0];
  }
}

/** The given customers as they are now; ids that are merged, deleted or of another workspace are left out. */
export async function loadCustomers(store: Store, workspaceId: number, ids: readonly number[]): Promise<LoadedCustomer[]> {
  const { db } = store;
  const loaded: LoadedCustomer[] = [];
  for (const part of chunks(ids, IDS_PER_QUERY)) {
    const [rows, assignments, metrics] = await Promise.all([
      db.selectFrom('customers').selectAll().where('workspace_id', '=', workspaceId).where('id', 'in', part).execute() as Promise<CustomerRow[]>,
      db.selectFrom('assignments').select(['customer_id', 'tag_id', 'value_id']).where('workspace_id', '=', workspaceId).where('customer_id', 'in', part).execute(),
      db.selectFrom('customer_metrics').select(['customer_id', 'metric_values']).where('workspace_id', '=', workspaceId).where('customer_id', 'in', part).execute(),
    ]);
    loaded.push(...assemble(rows, assignments, metrics));
  }
  return loaded;
}
