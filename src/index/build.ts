// Reads customers, their assignments and their metric values from the store. A full build
// walks the workspace's customers by id (keyset pages of `buildSettings.batch`) and fetches the
// assignments and metrics of the same id range, so no statement returns more than a page and
// none binds a list of ids; a refresh loads the customers it is given 1,000 ids to a statement,
// in the same forms. Both load only the assignments still held when they read (`stillHeld`):
// one past its expiry is gone, whether or not the expiry sweep has taken it off yet.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { AttributeValue } from '../core/expression/index.js';
import { REACHABILITY_FIELDS, REACHABILITY_KINDS } from '../core/customer.js';
import { NAME_KEY_MARK_CODES } from '../core/name-search.js';
import { randomBucket } from '../core/random-bucket.js';
import { BUILTIN_FIELD_COLUMNS } from '../store/customer-fields.js';
import { stillHeld } from '../store/still-held.js';
import { IDS_PER_QUERY, chunks } from '../store/chunks.js';
import type { Store } from '../store/connect.js';
import type { Database } from '../store/schema.js';
import { selectTuples } from '../store/tuples.js';
import { StringCache, readNumberList, readRows } from './flat-json.js';
import { pageSlots, pageStatement, startPageReader, type PageDocuments, type PageReader, type PageStatements } from './page-reader.js';

/** Tunables of a full build; tests shrink them. */
export const buildSettings = {
  /** Customers per page: enough that statements and awaits do not count, few enough that a page's documents stay small (see loadWorkspacePages). */
  batch: 5_000,
  /**
   * Pages a second thread may read ahead of the build on a SQLite file (see loadWorkspacePages);
   * 0 reads every page on the store's own connection.
   */
  readAhead: 2,
};

/** One live customer as the index stores it; the same fields `loadCustomerViews` gives the evaluator. */
export interface LoadedCustomer {
  id: number;
  fields: [string, unknown][];
  metrics: [string, unknown][];
  /** Tag id and value id of each assignment. */
  assignments: [number, number][];
  /** The reachability fields that are true, as `reachabilityBits` gives them. */
  reachability: number;
  /** The spellings of the name's stored search key, as a build reads them (`nameSpellings`); null when it has none yet. */
  nameSpellings: string | null;
}

function parseObject(text: string | null | undefined): [string, unknown][] {
  if (!text) return [];
  const parsed = JSON.parse(text) as unknown;
  return parsed !== null && typeof parsed === 'object' ? Object.entries(parsed as Record<string, AttributeValue>) : [];
}

/** The built-in field keys, in the order of their columns in CUSTOMER_COLUMNS (after id, merged_into and custom). */
const BUILTIN_FIELD_KEYS = Object.keys(BUILTIN_FIELD_COLUMNS);

function fieldsOf(row: CustomerTuple): [string, unknown][] {
  // Built-in columns win over a custom value of the same key, as in loadCustomerViews.
  const custom = row[2];
  const fields = new Map<string, unknown>(custom && custom !== '{}' ? parseObject(custom) : []);
  for (let b = 0; b < BUILTIN_FIELD_KEYS.length; b++) fields.set(BUILTIN_FIELD_KEYS[b] as string, row[3 + b]);
  // Computed from the id, as a full build does; the reachability fields are kept apart, as bitmaps (LoadedCustomer.reachability).
  fields.set('random_bucket', randomBucket(row[0]));
  return [...fields];
}

/** The customers columns a full build reads, in the order of `CustomerTuple`. */
export const CUSTOMER_COLUMNS = ['id', 'merged_into', 'custom', ...Object.values(BUILTIN_FIELD_COLUMNS)] as const;

/**
 * A customers row as an array of CUSTOMER_COLUMNS (id, merged_into, custom, then the built-in
 * field columns), then the spellings of its name's search key (`nameSpellings`).
 */
export type CustomerTuple = [number, number | null, string, ...unknown[]];

/** Where a CustomerTuple holds its name's spellings: after CUSTOMER_COLUMNS. */
export const NAME_SPELLINGS_AT = CUSTOMER_COLUMNS.length;

/**
 * The spellings of the name's stored key as the index's name table keeps them, each after a
 * space in place of its mark (`spelledNameSearchKey`): the build reads them to key the table, and
 * in a page's JSON each mark would be an escape that sends the value to JSON.parse. The folded
 * name before them is worked out again.
 */
function nameSpellings(dialect: Store['dialect']): RawBuilder<string | null> {
  const { afterName, beforeSpelling } = NAME_KEY_MARK_CODES;
  return dialect === 'postgres'
    ? sql<string | null>`replace(substr(name_search, strpos(name_search, chr(${sql.lit(afterName)})) + 1), chr(${sql.lit(beforeSpelling)}), ' ')`
    : sql<string | null>`replace(substr(name_search, instr(name_search, char(${sql.lit(afterName)})) + 1), char(${sql.lit(beforeSpelling)}), ' ')`;
}

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
  /**
   * The identities in the page's range of ids, merged customers' included: each one's customer
   * id and its field's bit (see `reachabilityBits`), a customer once per identity.
   */
  reachability: { customerIds: ArrayLike<number>; bits: ArrayLike<number> };
}

function jsonArray(value: unknown): number[] {
  // pg hands json back parsed, SQLite as text; over no rows pg's json_agg is null.
  if (typeof value === 'string') return JSON.parse(value) as number[];
  return Array.isArray(value) ? (value as number[]) : [];
}

/** A column of integers as SQLite's group_concat lists them, or as pg's json_agg gives them, or as the read-ahead thread read them. */
function numberList(value: unknown): ArrayLike<number> {
  if (value instanceof Float64Array) return value;
  if (value === null || typeof value === 'string' || Array.isArray(value)) return jsonArray(value);
  const bytes = bytesOf(value);
  return readNumberList(bytes) ?? (JSON.parse(`[${bytes.toString('latin1')}]`) as number[]);
}

function bytesOf(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return Buffer.alloc(0);
}

/** A transaction of the store, or the store itself for a statement only compiled. */
type Db = Kysely<Database>;

/** The customers columns a build reads (CUSTOMER_COLUMNS), then their name's spellings (`nameSpellings`). */
function customerColumns(db: Db, dialect: Store['dialect']) {
  return db.selectFrom('customers').select([...CUSTOMER_COLUMNS, nameSpellings(dialect).as('name_spellings')]);
}

type CustomerSelect = ReturnType<typeof customerColumns>;

/**
 * The page of customers after `after`: `batch` of them, or when `through` is given, those up to
 * that id (a page the read-ahead thread bounded, see loadWorkspacePages).
 */
function customerPage(db: Db, dialect: Store['dialect'], workspaceId: number, after: number, batch: number, through: number | undefined): CustomerSelect {
  const page = customerColumns(db, dialect).where('workspace_id', '=', workspaceId).where('id', '>', after);
  return through === undefined ? page.orderBy('id').limit(batch) : page.where('id', '<=', through).orderBy('id');
}

/**
 * A page of customers on SQLite as one JSON document (an array per customer, CUSTOMER_COLUMNS
 * in order), with whether any first_seen_at is a float, the first and last id and the count.
 */
function customersDocumentQuery(db: Db, workspaceId: number, after: number, batch: number, through: number | undefined) {
  return customersDocumentOf(db, customerPage(db, 'sqlite', workspaceId, after, batch, through));
}

/** The customers `customers` selects (CUSTOMER_COLUMNS, then name_spellings, in id order) as one JSON document, as customersDocumentQuery gives them. */
function customersDocumentOf(db: Db, customers: CustomerSelect) {
  const page = customers.as('page');
  const values = sql.join([...CUSTOMER_COLUMNS, 'name_spellings'].map((column) => sql.ref(`page.${column}`)));
  // Text columns hold text (their affinity turns a number into text) or a blob, which makes
  // json_array fail; of the integer ones, which may hold a float, only first_seen_at's value
  // is read. The document comes as bytes: better-sqlite3 decodes long texts slowly.
  return db
    .selectFrom(page)
    .select([
      sql<Uint8Array | null>`cast(json_group_array(json_array(${values})) as blob)`.as('rows'),
      sql<number | null>`sum(typeof(page.first_seen_at) = 'real')`.as('floats'),
      sql<number | null>`min(page.id)`.as('first'),
      sql<number | null>`max(page.id)`.as('last'),
      sql<number>`count(*)`.as('count'),
    ]);
}

/** The last id and the count of the page after `after`, for a page whose document is not usable. */
function pageBoundsQuery(db: Db, workspaceId: number, after: number, batch: number) {
  const page = db.selectFrom('customers').select('id').where('workspace_id', '=', workspaceId).where('id', '>', after).orderBy('id').limit(batch).as('page');
  return db.selectFrom(page).select([sql<number | null>`max(page.id)`.as('last'), sql<number>`count(*)`.as('count')]);
}

/** A page of customers from its JSON document's bytes, a value repeated down a column decoded once. */
function customersOf(bytes: Buffer, strings: StringCache): CustomerTuple[] {
  return (readRows(bytes, strings) ?? JSON.parse(bytes.toString('utf8') || '[]')) as CustomerTuple[];
}

/**
 * A page of customers on SQLite as one JSON document: better-sqlite3 makes an array and a
 * string per value of a row, and a value of Chinese text costs a slow UTF-8 decode each. The
 * document is read from its bytes (`readRows`). A page of no customers gives an empty one.
 * Undefined when the document would not give exactly what the rows give: SQLite writes a
 * floating-point value to JSON in 15 digits, and cannot write a blob at all.
 */
async function customersDocument(store: Store, trx: Db, workspaceId: number, after: number, batch: number, through: number | undefined, strings: StringCache): Promise<CustomerTuple[] | undefined> {
  return documentCustomers(store, trx, customersDocumentQuery(trx, workspaceId, after, batch, through), strings);
}

/** The customers of a document query (customersDocumentOf), or undefined when the document is not usable (see customersDocument). */
async function documentCustomers(store: Store, trx: Db, query: ReturnType<typeof customersDocumentOf>, strings: StringCache): Promise<CustomerTuple[] | undefined> {
  let result: (readonly [Uint8Array | null, number | null])[];
  try {
    result = await selectTuples(store, trx, query, ['rows', 'floats']);
  } catch {
    // A blob somewhere in the page: it is read as rows.
    return undefined;
  }
  const [rows, floats] = result[0] ?? [];
  if (floats) return undefined;
  return customersOf(bytesOf(rows), strings);
}

async function customerRows(store: Store, trx: Db, workspaceId: number, after: number, batch: number, through: number | undefined): Promise<CustomerTuple[]> {
  return (await selectTuples(store, trx, customerPage(trx, store.dialect, workspaceId, after, batch, through), [...CUSTOMER_COLUMNS, 'name_spellings'])) as unknown as CustomerTuple[];
}

type Aggregate = (column: string) => RawBuilder<unknown>;

/** Ids of every assignment still held at `at`, one list per column (see WorkspacePage), of the customers `first` to `last`. */
function assignmentsQuery(db: Db, workspaceId: number, first: number, last: number, agg: Aggregate, at: number) {
  // In key order: that order leads SQLite to the primary key (customer, value), which reads the
  // range in one pass, where the planner may otherwise pick the tag index and visit the range
  // once per tag; and the ids come sorted per value.
  return db
    .selectFrom(
      db
        .selectFrom('assignments')
        .select(['customer_id', 'tag_id', 'value_id'])
        .where('workspace_id', '=', workspaceId)
        .where('customer_id', '>=', first)
        .where('customer_id', '<=', last)
        .where(stillHeld(at))
        .orderBy('customer_id')
        .orderBy('value_id')
        .as('page'),
    )
    .select([agg('customer_id').as('customer_ids'), agg('tag_id').as('tag_ids'), agg('value_id').as('value_ids')]);
}

/**
 * The identities of the customers `first` to `last`, as two lists: customer ids in order, and
 * each identity's bit (see `reachabilityBits`; 0 for a kind no field reads). No workspace or
 * kind condition: with one, SQLite walked the workspace's identities of those kinds by the
 * primary key for every page rather than the page's by the customer index; the index keeps only
 * the page's live customers.
 */
function identitiesQuery(db: Db, first: number, last: number, agg: Aggregate) {
  return db
    .selectFrom(db.selectFrom('identities').select(['customer_id', identityBit().as('bit')]).where('customer_id', '>=', first).where('customer_id', '<=', last).orderBy('customer_id').as('page'))
    .select([agg('customer_id').as('customer_ids'), agg('bit').as('bits')]);
}

/** An identity's bit (see `reachabilityBits`) by its kind; 0 for a kind no field reads. */
function identityBit(): RawBuilder<number> {
  return sql<number>`case ${sql.ref('kind')} ${sql.join(
    REACHABILITY_FIELDS.flatMap((field, i) => REACHABILITY_KINDS[field].map((kind) => sql`when ${kind} then ${sql.lit(1 << i)}`)),
    sql` `,
  )} else 0 end`;
}

function reachabilityOf(customerIds: unknown, bits: unknown): WorkspacePage['reachability'] {
  return { customerIds: numberList(customerIds), bits: numberList(bits) };
}

function assignmentsOf(customerIds: unknown, tagIds: unknown, valueIds: unknown): WorkspacePage['assignments'] {
  return { customerIds: numberList(customerIds), tagIds: numberList(tagIds), valueIds: numberList(valueIds) };
}

type MetricRows = ReturnType<typeof metricRows>;

function metricRows(db: Db) {
  return db.selectFrom('customer_metrics').select(['customer_id', 'metric_values']);
}

function metricsRange(db: Db, workspaceId: number, first: number, last: number) {
  return db.selectFrom('customer_metrics').where('workspace_id', '=', workspaceId).where('customer_id', '>=', first).where('customer_id', '<=', last);
}

/**
 * On SQLite, the metric values of the customers `first` to `last` as their ids and lengths
 * (JSON lists) and their texts as bytes, end to end: decoding each into a string and parsing
 * it was most of a build; the index reads the JSON from the bytes (FlatJsonReader).
 */
function metricBytesQuery(db: Db, workspaceId: number, first: number, last: number) {
  return metricBytesOf(db, metricsRange(db, workspaceId, first, last).select(['customer_id', 'metric_values']).orderBy('customer_id'));
}

/** The metric values `rows` selects (customer_id and metric_values, in id order) as metricBytesQuery gives them. */
function metricBytesOf(db: Db, rows: MetricRows) {
  return db
    .selectFrom(rows.as('page'))
    .select([
      sql<string>`json_group_array(page.customer_id)`.as('ids'),
      sql<string>`json_group_array(octet_length(page.metric_values))`.as('lengths'),
      sql<Uint8Array | null>`cast(group_concat(page.metric_values, '') as blob)`.as('bytes'),
    ]);
}

function metricsOf(ids: unknown, lengths: unknown, bytes: unknown): PageMetrics {
  const ends = jsonArray(lengths);
  for (let i = 1; i < ends.length; i++) ends[i] = (ends[i] as number) + (ends[i - 1] as number);
  return { customerIds: jsonArray(ids), bytes: bytesOf(bytes), ends };
}

async function pageMetrics(store: Store, trx: Db, workspaceId: number, first: number, last: number): Promise<PageMetrics> {
  if (store.dialect === 'postgres') {
    const rows = await selectTuples(store, trx, metricsRange(trx, workspaceId, first, last).select(['customer_id', 'metric_values']), ['customer_id', 'metric_values']);
    return { customerIds: rows.map((row) => row[0]), texts: rows.map((row) => row[1]) };
  }
  const [ids, lengths, bytes] = (await selectTuples(store, trx, metricBytesQuery(trx, workspaceId, first, last), ['ids', 'lengths', 'bytes']))[0] ?? [];
  return metricsOf(ids, lengths, bytes);
}

function aggregate(store: Store): Aggregate {
  return store.dialect === 'postgres' ? (column) => sql<unknown>`json_agg(${sql.ref(column)})` : (column) => sql<unknown>`cast(group_concat(${sql.ref(column)}) as blob)`;
}

/**
 * The page after `after` (or up to `through`, see customerPage) on the store's own connection,
 * in one transaction: on SQLite it lets the rows come back as arrays (selectTuples), and the
 * three statements see the same customers. Undefined for a page of no customers.
 */
async function readPage(store: Store, workspaceId: number, at: number, after: number, batch: number, through: number | undefined, strings: StringCache): Promise<WorkspacePage | undefined> {
  return store.db.transaction().setAccessMode('read only').execute(async (trx): Promise<WorkspacePage | undefined> => {
    const customers = (store.dialect === 'sqlite' ? await customersDocument(store, trx, workspaceId, after, batch, through, strings) : undefined) ?? (await customerRows(store, trx, workspaceId, after, batch, through));
    const first = customers[0]?.[0];
    const last = customers.at(-1)?.[0];
    if (first === undefined || last === undefined) return undefined;
    const [assignments, metrics, identities] = await Promise.all([
      selectTuples(store, trx, assignmentsQuery(trx, workspaceId, first, last, aggregate(store), at), ['customer_ids', 'tag_ids', 'value_ids']),
      pageMetrics(store, trx, workspaceId, first, last),
      selectTuples(store, trx, identitiesQuery(trx, first, last, aggregate(store)), ['customer_ids', 'bits']),
    ]);
    const [customerIds, tagIds, valueIds] = assignments[0] ?? [];
    const [identityIds, bits] = identities[0] ?? [];
    return { customers, assignments: assignmentsOf(customerIds, tagIds, valueIds), metrics, reachability: reachabilityOf(identityIds, bits) };
  });
}

/** A page the read-ahead thread read, in the form readPage gives it. */
function pageOf(documents: PageDocuments, strings: StringCache): WorkspacePage {
  return {
    customers: customersOf(bytesOf(documents.rows), strings),
    assignments: assignmentsOf(documents.customerIds, documents.tagIds, documents.valueIds),
    metrics: metricsOf(documents.metricIds, documents.metricLengths, documents.metrics),
    reachability: reachabilityOf(documents.identityIds, documents.identityBits),
  };
}

/** The statements of readPage on SQLite, compiled for the read-ahead thread. */
function pageStatements(store: Store, workspaceId: number, batch: number, at: number): PageStatements {
  const { after, first, last } = pageSlots;
  return {
    customers: pageStatement(customersDocumentQuery(store.db, workspaceId, after, batch, undefined)),
    bounds: pageStatement(pageBoundsQuery(store.db, workspaceId, after, batch)),
    assignments: pageStatement(assignmentsQuery(store.db, workspaceId, first, last, aggregate(store), at)),
    metrics: pageStatement(metricBytesQuery(store.db, workspaceId, first, last)),
    identities: pageStatement(identitiesQuery(store.db, first, last, aggregate(store))),
  };
}

/**
 * Every customer of the workspace, a page at a time, in id order. Pages are small enough
 * that what they allocate is reused from page to page: at 50,000 customers the documents of a
 * page ran past 32 MiB, where the allocator maps fresh memory for each, and faulting it in cost
 * as much as reading it.
 *
 * On a SQLite file, the pages after the first are read by a second thread on its own read-only
 * connection, `buildSettings.readAhead` pages ahead, while this one reads them into the index:
 * producing the documents was 40 % of a build. Each page is still one read transaction, as on
 * the store's connection, and every page is read after the build began (a caller that notes the
 * change log's position first sees every change after it). A page whose document is not usable
 * is read here, over the same ids; when the thread cannot start, the build reads on here.
 */
export async function* loadWorkspacePages(store: Store, workspaceId: number, batch = buildSettings.batch, at = Date.now()): AsyncGenerator<WorkspacePage> {
  const strings = new StringCache();
  // The first page here: a workspace of one page never starts a thread, and the thread starts
  // while this one reads the first page into the index.
  const page = await readPage(store, workspaceId, at, -1, batch, undefined, strings);
  const last = page?.customers.at(-1)?.[0];
  if (!page || last === undefined) return;
  const ahead = buildSettings.readAhead;
  const reader = page.customers.length === batch && ahead > 0 ? startPageReader(store, pageStatements(store, workspaceId, batch, at), last, batch, ahead) : undefined;
  try {
    yield page;
    if (page.customers.length < batch) return;
    yield* readPagesAfter(store, workspaceId, at, batch, last, reader, strings);
  } finally {
    // Also when the build is abandoned or fails: no thread outlives it.
    await reader?.close();
  }
}

async function* readPagesAfter(store: Store, workspaceId: number, at: number, batch: number, start: number, reader: PageReader | undefined, strings: StringCache): AsyncGenerator<WorkspacePage> {
  let after = start;
  let ahead = reader;
  for (;;) {
    const read = await ahead?.next();
    if (read?.kind === 'page') {
      if (read.count === 0 || read.last === null) return;
      yield pageOf(read, strings);
      if (read.count < batch) return;
      after = read.last;
      continue;
    }
    if (read?.kind === 'fallback') {
      const page = await readPage(store, workspaceId, at, after, batch, read.through, strings);
      if (page) yield page;
      if (read.count < batch) return;
      after = read.through;
      continue;
    }
    // No thread, or one that did not start: the rest is read here.
    ahead = undefined;
    const page = await readPage(store, workspaceId, at, after, batch, undefined, strings);
    const last = page?.customers.at(-1)?.[0];
    if (!page || last === undefined) return;
    yield page;
    if (page.customers.length < batch) return;
    after = last;
  }
}

/** The given customers as they are at `at`; ids that are merged, deleted or of another workspace are left out. */
export async function loadCustomers(store: Store, workspaceId: number, ids: readonly number[], at = Date.now()): Promise<LoadedCustomer[]> {
  const loaded: LoadedCustomer[] = [];
  const strings = new StringCache();
  // In id order, so that each statement reads one stretch of the tables' keys rather than
  // pages all over them (pending ids come in the order they were logged), and so that a
  // chunk's rows of each table come in the same order and are read side by side.
  const sorted = Uint32Array.from(ids).sort();
  for (const part of chunks(Array.from(sorted), IDS_PER_QUERY)) customersOfChunk(await readChunk(store, workspaceId, part, at, strings), loaded);
  return loaded;
}

/**
 * The customers of `ids` (ascending), with the statements and forms of a build's page: on
 * SQLite the customers as one JSON document, and the assignments, metrics and identities each
 * as one row of lists, in one read transaction (rows as arrays, see selectTuples). Read a row
 * per customer and value into objects, as this once did, better-sqlite3's decoding of every
 * column and the objects were most of a refresh's loading. On PostgreSQL the four statements
 * run side by side on the pool, as before.
 */
async function readChunk(store: Store, workspaceId: number, ids: readonly number[], at: number, strings: StringCache): Promise<WorkspacePage> {
  const agg = aggregate(store);
  const read = async (db: Db): Promise<WorkspacePage> => {
    const customers = customerColumns(db, store.dialect).where('workspace_id', '=', workspaceId).where('id', 'in', ids).orderBy('id');
    // No workspace condition on assignments and identities: with one, SQLite (which keeps no
    // statistics here) walked every assignment of the workspace by the expiry index instead of
    // the customers' primary key, 190 ms a query at 1.2 million assignments. Only what belongs
    // to the customers read is kept (customersOfChunk).
    const assignments = db
      .selectFrom(db.selectFrom('assignments').select(['customer_id', 'tag_id', 'value_id']).where('customer_id', 'in', ids).where(stillHeld(at)).orderBy('customer_id').orderBy('value_id').as('page'))
      .select([agg('customer_id').as('customer_ids'), agg('tag_id').as('tag_ids'), agg('value_id').as('value_ids')]);
    const identities = db
      .selectFrom(db.selectFrom('identities').select(['customer_id', identityBit().as('bit')]).where('customer_id', 'in', ids).orderBy('customer_id').as('page'))
      .select([agg('customer_id').as('customer_ids'), agg('bit').as('bits')]);
    const metrics = metricRows(db).where('workspace_id', '=', workspaceId).where('customer_id', 'in', ids).orderBy('customer_id');
    const [rows, [assigned], metricValues, [identified]] = await Promise.all([
      (store.dialect === 'sqlite' ? documentCustomers(store, db, customersDocumentOf(db, customers), strings) : Promise.resolve(undefined)).then(
        async (document) => document ?? ((await selectTuples(store, db, customers, [...CUSTOMER_COLUMNS, 'name_spellings'])) as unknown as CustomerTuple[]),
      ),
      selectTuples(store, db, assignments, ['customer_ids', 'tag_ids', 'value_ids']),
      store.dialect === 'postgres'
        ? selectTuples(store, db, metrics, ['customer_id', 'metric_values']).then((found): PageMetrics => ({ customerIds: found.map((row) => row[0]), texts: found.map((row) => row[1]) }))
        : selectTuples(store, db, metricBytesOf(db, metrics), ['ids', 'lengths', 'bytes']).then(([found]): PageMetrics => metricsOf(found?.[0], found?.[1], found?.[2])),
      selectTuples(store, db, identities, ['customer_ids', 'bits']),
    ]);
    return { customers: rows, assignments: assignmentsOf(assigned?.[0], assigned?.[1], assigned?.[2]), metrics: metricValues, reachability: reachabilityOf(identified?.[0], identified?.[1]) };
  };
  return store.dialect === 'sqlite' ? store.db.transaction().setAccessMode('read only').execute(read) : read(store.db);
}

/**
 * The live customers of a chunk, appended to `loaded` in id order: the customers' rows and each
 * table's rows are all in id order, so each customer's are read where the last one's ended.
 */
function customersOfChunk(page: WorkspacePage, loaded: LoadedCustomer[]): void {
  const { assignments, metrics, reachability } = page;
  const metricIds = metrics.customerIds;
  let a = 0;
  let m = 0;
  let r = 0;
  for (const row of page.customers) {
    const id = row[0];
    if (row[1] !== null) continue;
    const held: [number, number][] = [];
    while (a < assignments.customerIds.length && (assignments.customerIds[a] as number) < id) a++;
    for (; a < assignments.customerIds.length && assignments.customerIds[a] === id; a++) held.push([assignments.tagIds[a] as number, assignments.valueIds[a] as number]);
    let values: [string, unknown][] = [];
    while (m < metricIds.length && (metricIds[m] as number) < id) m++;
    if (m < metricIds.length && metricIds[m] === id) {
      values = parseObject('bytes' in metrics ? metrics.bytes.toString('utf8', m === 0 ? 0 : metrics.ends[m - 1], metrics.ends[m]) : metrics.texts[m]);
      m++;
    }
    let bits = 0;
    while (r < reachability.customerIds.length && (reachability.customerIds[r] as number) < id) r++;
    for (; r < reachability.customerIds.length && reachability.customerIds[r] === id; r++) bits |= reachability.bits[r] as number;
    const spelled = row[NAME_SPELLINGS_AT];
    loaded.push({ id, fields: fieldsOf(row), metrics: values, assignments: held, reachability: bits, nameSpellings: typeof spelled === 'string' ? spelled : null });
  }
}
