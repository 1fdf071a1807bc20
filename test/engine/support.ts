import { sql, type Kysely } from 'kysely';
import { expect } from 'vitest';
import { TagbaseError } from '../../src/core/errors.js';
import { computeMetrics, type MetricEvent } from '../../src/core/metric-compute.js';
import { tagInputSchema, type TagInput } from '../../src/core/tag.js';
import type { WorkspaceContext } from '../../src/engine/context.js';
import { upsertCustomers } from '../../src/engine/customers.js';
import { createTag } from '../../src/engine/library.js';
import { loadMetricPlan, workspaceUtcOffset } from '../../src/engine/metrics.js';
import { applyRulesToEveryone } from '../../src/engine/propagate.js';
import type { Database } from '../../src/store/schema.js';
import type { StoreKind } from '../support/stores.js';

/** The error a call fails with; fails the test if it succeeds or throws something else. */
export async function rejected(promise: Promise<unknown>): Promise<TagbaseError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TagbaseError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

export function defineTag(context: WorkspaceContext, input: Partial<TagInput> & Pick<TagInput, 'key' | 'name' | 'values'>) {
  return createTag(context, tagInputSchema.parse(input));
}

export const interests = {
  key: 'interests',
  name: '兴趣爱好',
  cardinality: 'multi' as const,
  values: [
    { key: 'golf', name: '高尔夫' },
    { key: 'fishing', name: '钓鱼' },
    { key: 'yoga', name: '瑜伽' },
  ],
};

/**
 * `interests` and rule tags over a metric (value_tier), the clock (recent, dormant) and another
 * tag (golf_vip): a library whose tags a recompute must give as real time gives them.
 */
export async function defineRuleTags(context: WorkspaceContext): Promise<void> {
  await defineTag(context, interests);
  await defineTag(context, {
    key: 'value_tier',
    name: '价值分层',
    kind: 'rule',
    values: [
      { key: 'high', name: '高', condition: 'spend_365d >= 1000' },
      { key: 'mid', name: '中', condition: 'spend_365d >= 300' },
      { key: 'low', name: '低', condition: 'orders_total >= 1' },
    ],
  });
  await defineTag(context, { key: 'recent', name: '近期活跃', kind: 'rule', values: [{ key: 'yes', name: '是', condition: 'last_active_at after 30 days ago' }] });
  await defineTag(context, { key: 'dormant', name: '沉睡', kind: 'rule', values: [{ key: 'yes', name: '是', condition: 'days_since_last_order >= 60' }] });
  await defineTag(context, { key: 'golf_vip', name: '高尔夫贵宾', kind: 'rule', cardinality: 'multi', values: [{ key: 'yes', name: '是', condition: 'value_tier = "high" and interests has any ("golf")' }, { key: 'south', name: '华南', condition: 'city = "广州"' }] });
}

/** The workspace of `context` with the `interests` tag and one customer, A, to tag with it. */
export async function addInterestsAndCustomerA(context: WorkspaceContext): Promise<WorkspaceContext> {
  await defineTag(context, interests);
  await upsertCustomers(context, [{ id: 'A' }]);
  return context;
}

export const stage = {
  key: 'stage',
  name: '服务阶段',
  ordered: true,
  values: [
    { key: 'pre', name: '售前' },
    { key: 'during', name: '售中' },
    { key: 'after', name: '售后' },
  ],
};

/**
 * Makes the store refuse to insert rows of `table` whose `column` holds `value`, as a full disk
 * or a broken constraint would (the error says "refused"). Resolves to what stops it.
 */
export async function refuseInserts(kind: StoreKind, db: Kysely<Database>, table: 'events' | 'event_journal', column: string, value: string | number): Promise<() => Promise<void>> {
  const name = sql.raw(`refuse_${table}`);
  const on = sql.raw(table);
  const when = sql.raw(`new.${column} = ${typeof value === 'number' ? value : `'${value.replace(/'/g, "''")}'`}`);
  if (kind === 'sqlite') {
    await sql`create trigger ${name} before insert on ${on} when ${when} begin select raise(abort, 'refused'); end`.execute(db);
    return async () => {
      await sql`drop trigger ${name}`.execute(db);
    };
  }
  await sql`create function ${name}() returns trigger language plpgsql as $$ begin if ${when} then raise exception 'refused'; end if; return new; end $$`.execute(db);
  await sql`create trigger ${name} before insert on ${on} for each row execute function ${name}()`.execute(db);
  return async () => {
    await sql`drop trigger ${name} on ${on}`.execute(db);
    await sql`drop function ${name}()`.execute(db);
  };
}

/** What a pass over everyone, with no index, would still change. */
export async function leftToChange(context: WorkspaceContext): Promise<number> {
  const plain = { ...context, observer: undefined, ruleCandidates: undefined };
  // Measured, then rolled back by throwing: the check must not repair what it checks.
  return context.store.db
    .transaction()
    .execute(async (trx) => {
      const pass = await applyRulesToEveryone(plain, trx, { all: true });
      throw Object.assign(new Error('rolled back'), { changed: pass.changed.size });
    })
    .catch((error: { changed?: number }) => {
      if (error.changed === undefined) throw error;
      return error.changed;
    });
}

/**
 * Holds the stored metrics to `computeMetrics` over all of each customer's events, as they are
 * now; resolves to how many customers have stored metrics.
 */
export async function expectMetricsTrueToEvents(ctx: WorkspaceContext): Promise<number> {
  const db = ctx.store.db;
  const plan = await loadMetricPlan(ctx);
  const offset = await workspaceUtcOffset(ctx);
  const now = ctx.now().getTime();
  const events = await db.selectFrom('events').select(['customer_id', 'type', 'occurred_at', 'properties']).where('workspace_id', '=', ctx.workspaceId).orderBy('id').execute();
  const byCustomer = new Map<number, MetricEvent[]>();
  for (const event of events) {
    const list = byCustomer.get(event.customer_id) ?? [];
    list.push({ type: event.type, occurredAt: event.occurred_at, properties: JSON.parse(event.properties) as Record<string, unknown> });
    byCustomer.set(event.customer_id, list);
  }
  const rows = await db.selectFrom('customer_metrics').select(['customer_id', 'metric_values', 'valid_until']).where('workspace_id', '=', ctx.workspaceId).execute();
  for (const row of rows) {
    const expected = computeMetrics(plan, byCustomer.get(row.customer_id) ?? [], now, offset);
    const kept = Object.fromEntries(Object.entries(expected.values).filter(([, value]) => value !== null));
    expect({ id: row.customer_id, values: JSON.parse(row.metric_values) as unknown, validUntil: row.valid_until }).toEqual({ id: row.customer_id, values: kept, validUntil: expected.validUntil });
  }
  return rows.length;
}

/** Every customer's stored metrics and tags in the workspace, ordered: what two runs that should agree are compared by. */
export async function storedMetricsAndTags(ctx: WorkspaceContext) {
  const db = ctx.store.db;
  const metrics = await db
    .selectFrom('customer_metrics')
    .innerJoin('customers', 'customers.id', 'customer_metrics.customer_id')
    .select(['customers.external_id', 'customer_metrics.metric_values', 'customer_metrics.valid_until'])
    .where('customer_metrics.workspace_id', '=', ctx.workspaceId)
    .orderBy('customers.external_id')
    .execute();
  const tags = await db
    .selectFrom('assignments')
    .innerJoin('customers', 'customers.id', 'assignments.customer_id')
    .innerJoin('tags', 'tags.id', 'assignments.tag_id')
    .innerJoin('tag_values', 'tag_values.id', 'assignments.value_id')
    .select(['customers.external_id', 'tags.key as tag', 'tag_values.key as value', 'assignments.source'])
    .where('assignments.workspace_id', '=', ctx.workspaceId)
    .execute();
  return {
    metrics: metrics.map((row) => ({ id: row.external_id, values: JSON.parse(row.metric_values) as unknown, validUntil: row.valid_until })),
    tags: tags.map((row) => `${row.external_id} ${row.tag}=${row.value} (${row.source})`).sort(),
  };
}
