// Reads customers, their assignments and their metric values from the store. A full build
// walks the workspace's customers by id (keyset pages of BUILD_BATCH) and fetches the
// assignments and metrics of the same id range, so no statement returns more than a page and
// none binds a list of ids; a refresh loads the few customers it is given one by one.
import { sql } from 'kysely';
import type { AttributeValue } from '../core/expression/index.js';
import { BUILTIN_FIELD_COLUMNS } from '../engine/catalog.js';
import { IDS_PER_QUERY, chunks } from '../store/chunks.js';
import type { Store } from '../store/connect.js';

/** Customers per page of a full build: large enough that statements and awaits do not count. */
export const BUILD_BATCH = 50_000;

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

/** One page of a full build, as the store returns it: the index reads the rows in place. */
export interface WorkspacePage {
  /** In id order, merged ones included (the index skips them). */
  customers: CustomerRow[];
  /** Per assigned value: the page's customers holding it, merged ones included, in no order. */
  assignments: { tag_id: number; value_id: number; ids: number[] }[];
  metrics: { customer_id: number; metric_values: string }[];
}

/** Every customer of the workspace, a page at a time, in id order. */
export async function* loadWorkspacePages(store: Store, workspaceId: number, batch = BUILD_BATCH): AsyncGenerator<WorkspacePage> {
  const { db } = store;
  // One row per assigned value rather than per assignment: a million customers hold ten
  // million assignments, and a row object each is most of what a build would spend.
  const ids = store.dialect === 'postgres' ? sql<unknown>`json_agg(customer_id)` : sql<unknown>`json_group_array(customer_id)`;
  let after = -1;
  for (;;) {
    const customers = (await db
      .selectFrom('customers')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('id', '>', after)
      .orderBy('id')
      .limit(batch)
      .execute()) as CustomerRow[];
    const first = customers[0];
    const last = customers.at(-1);
    if (!first || !last) return;
    const [assignments, metrics] = await Promise.all([
      db
        .selectFrom('assignments')
        .select(['tag_id', 'value_id', ids.as('ids')])
        .where('workspace_id', '=', workspaceId)
        .where('customer_id', '>=', first.id)
        .where('customer_id', '<=', last.id)
        .groupBy(['tag_id', 'value_id'])
        .execute(),
      db
        .selectFrom('customer_metrics')
        .select(['customer_id', 'metric_values'])
        .where('workspace_id', '=', workspaceId)
        .where('customer_id', '>=', first.id)
        .where('customer_id', '<=', last.id)
        .execute(),
    ]);
    yield {
      customers,
      // pg hands json back parsed, SQLite as text.
      assignments: assignments.map((row) => ({ tag_id: row.tag_id, value_id: row.value_id, ids: (typeof row.ids === 'string' ? JSON.parse(row.ids) : row.ids) as number[] })),
      metrics,
    };
    after = last.id;
    if (customers.length < batch) return;
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
