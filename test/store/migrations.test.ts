// Migrations on a store that already has a schema: one a newer version brought up is refused in
// words, on either store.
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { formatCliError } from '../../src/cli/errors.js';
import { configureModel } from '../../src/engine/models.js';
import { getTag } from '../../src/engine/library.js';
import { assignTag, removeTag } from '../../src/engine/tagging.js';
import { undoTaggingOperation } from '../../src/engine/tagging-operations.js';
import { mergeCustomers } from '../../src/engine/merge.js';
import { openWorkspace, ensureWorkspace, createWorkspace } from '../../src/engine/workspaces.js';
import { clearEngineCache } from '../../src/engine/engine-cache.js';
import { createSegment, listSnapshots, takeSnapshot } from '../../src/engine/segments.js';
import { createMetric } from '../../src/engine/metrics.js';
import { ingestEvents } from '../../src/engine/ingest.js';
import { tickWorkspace } from '../../src/engine/maintenance.js';
import { getCustomerHistory, getPortrait, getPortraitJson } from '../../src/engine/portrait.js';
import { findCustomerByIdentity, searchCustomerIds, upsertCustomers } from '../../src/engine/customers.js';
import type { WorkspaceContext } from '../../src/engine/context.js';
import type { Store } from '../../src/store/connect.js';
import { migrationNames } from '../../src/store/migrations.js';
import { createWebhook, listWebhooks, pauseWebhook } from '../../src/engine/webhooks.js';
import { listExports, logExport } from '../../src/engine/export-log.js';
import { indexAudience } from '../../src/index/audience.js';
import { IndexRegistry } from '../../src/index/registry.js';
import { openTestStore, storeKinds } from '../support/stores.js';
import { defineTag } from '../engine/support.js';

/** The migrations from `first` to the last, in the order they run: what an upgrade from the version before `first` applies. */
function migrationsFrom(first: string): string[] {
  const names = migrationNames();
  const at = names.indexOf(first);
  if (at < 0) throw new Error(`no migration ${first}`);
  return names.slice(at);
}

const clock = () => new Date('2026-06-15T10:00:00Z');

/** Opens the workspace (made if new) as the tester, at the tests' clock. */
async function openTestWorkspace(store: Store, key = 'shop', name = 'Shop'): Promise<WorkspaceContext> {
  await ensureWorkspace(store, key, name, clock);
  return openWorkspace(store, key, 'tester', clock);
}

/** Takes the store back to before spend_365d was net of refunds (migration 0036): it changed data only. */
async function undoSpendNetOfRefunds(store: Store): Promise<void> {
  await undoZonelessTimeLiterals(store);
  await sql`delete from kysely_migration where name = '0036_spend_net_of_refunds'`.execute(store.db);
}

/**
 * Takes the store back to before a workspace could be marked as being deleted (migration 0039)
 * and a segment kept how its expression's author saw personal data (0040): a column each.
 */
async function undoDeletingAndExpressionView(store: Store): Promise<void> {
  await undoShopSentEventsNoActivity(store);
  await store.db.schema.alterTable('segments').dropColumn('expression_view').execute();
  await sql`delete from kysely_migration where name = '0040_segment_expression_view'`.execute(store.db);
  await store.db.schema.alterTable('workspaces').dropColumn('deleting').execute();
  await sql`delete from kysely_migration where name = '0039_workspace_deleting'`.execute(store.db);
}

/** Takes the store back to before metrics over every event type left out the coupons the shop sends (migration 0041): it recorded passes only. */
async function undoShopSentEventsNoActivity(store: Store): Promise<void> {
  await undoSegmentSnapshotsIndex(store);
  await sql`delete from kysely_migration where name = '0041_shop_sent_events_no_activity'`.execute(store.db);
}

/** Takes the store back to before a segment's snapshots were indexed in the order their list reads them (migration 0042). */
async function undoSegmentSnapshotsIndex(store: Store): Promise<void> {
  await undoWebhookAutoPause(store);
  await sql`drop index segment_snapshots_segment_idx`.execute(store.db);
  await sql`delete from kysely_migration where name = '0042_segment_snapshots_index'`.execute(store.db);
}

/** Takes the store back to before a webhook kept since when it fails and why it is paused (migration 0043): a column each. */
async function undoWebhookAutoPause(store: Store): Promise<void> {
  await undoExportLogStatus(store);
  await store.db.schema.alterTable('webhooks').dropColumn('paused_reason').execute();
  await store.db.schema.alterTable('webhooks').dropColumn('failing_since').execute();
  await sql`delete from kysely_migration where name = '0043_webhook_auto_pause'`.execute(store.db);
}

/** Takes the store back to before the export log kept whether an export ended (migration 0044): a column each. */
async function undoExportLogStatus(store: Store): Promise<void> {
  await undoHistoryUndoneOperation(store);
  await store.db.schema.alterTable('export_log').dropColumn('finished_at').execute();
  await store.db.schema.alterTable('export_log').dropColumn('status').execute();
  await sql`delete from kysely_migration where name = '0044_export_log_status'`.execute(store.db);
}

/** Takes the store back to before the export log named the customers' fields an export wrote (migration 0047): a column. */
async function undoExportLogFields(store: Store): Promise<void> {
  await store.db.schema.alterTable('export_log').dropColumn('fields').execute();
  await sql`delete from kysely_migration where name = '0047_export_log_fields'`.execute(store.db);
}

/** Takes the store back to before the tag history named the bulk tagging a rule tag's change followed (migration 0046): a column. */
async function undoHistoryCausedByOperation(store: Store): Promise<void> {
  await undoExportLogFields(store);
  await store.db.schema.alterTable('tag_history').dropColumn('caused_by_operation').execute();
  await sql`delete from kysely_migration where name = '0046_history_caused_by_operation'`.execute(store.db);
}

/** Takes the store back to before the tag history named the bulk tagging an undo's change undid (migration 0045): a column. */
async function undoHistoryUndoneOperation(store: Store): Promise<void> {
  await undoHistoryCausedByOperation(store);
  await store.db.schema.alterTable('tag_history').dropColumn('undone_operation').execute();
  await sql`delete from kysely_migration where name = '0045_history_undone_operation'`.execute(store.db);
}

/** Takes the store back to before a first or last of a property recorded its type (migration 0038): it changed data and recorded passes only. */
async function undoPickedMetricTypes(store: Store): Promise<void> {
  await undoDeletingAndExpressionView(store);
  await sql`delete from kysely_migration where name = '0038_picked_metric_types'`.execute(store.db);
}

/** Takes the store back to before a time without an offset in an expression was the workspace's (migration 0037): it recorded passes only. */
async function undoZonelessTimeLiterals(store: Store): Promise<void> {
  await undoPickedMetricTypes(store);
  await sql`delete from kysely_migration where name = '0037_zoneless_time_literals'`.execute(store.db);
}

/**
 * Takes the store back to before rule passes were recorded by tag id (migration 0035): one record
 * per workspace and key, `records` as given (the ones the store held are dropped).
 */
async function undoRulePassesByTag(store: Store, records: { workspace_id: number; tag_key: string; token: string; after_id: number; done: number; total: number }[] = []): Promise<void> {
  await undoSpendNetOfRefunds(store);
  await sql`drop table rule_passes`.execute(store.db);
  await sql`
    create table rule_passes (
      workspace_id bigint not null references workspaces (id), tag_key text not null, token text not null, after_id bigint not null, updated_at bigint not null,
      done bigint not null default 0, total bigint not null default 0, started_at bigint not null default 0, constraint rule_passes_pk primary key (workspace_id, tag_key)
    )
  `.execute(store.db);
  for (const record of records) {
    await sql`insert into rule_passes (workspace_id, tag_key, token, after_id, updated_at, done, total, started_at) values (${record.workspace_id}, ${record.tag_key}, ${record.token}, ${record.after_id}, 0, ${record.done}, ${record.total}, 0)`.execute(store.db);
  }
  await sql`delete from kysely_migration where name = '0035_rule_passes_by_tag'`.execute(store.db);
}

/** Takes the store back to before a webhook's claim named the process holding it (migration 0034), and the migrations after it. */
async function undoWebhookClaims(store: Store): Promise<void> {
  await undoRulePassesByTag(store);
  await sql`alter table webhooks drop column claimed_by`.execute(store.db);
  await sql`delete from kysely_migration where name = '0034_webhook_claims'`.execute(store.db);
}

/** Takes the store back to before webhooks were told of customers merged away or erased (migration 0033), and the migrations after it. */
async function undoCustomerChanges(store: Store): Promise<void> {
  await undoWebhookClaims(store);
  await sql`drop table customer_changes_log`.execute(store.db);
  await sql`alter table webhooks drop column customer_cursor`.execute(store.db);
  await sql`alter table tag_history drop column merged_into`.execute(store.db);
  await sql`alter table tag_history drop column recorded_for`.execute(store.db);
  await sql`delete from kysely_migration where name = '0033_customer_changes'`.execute(store.db);
}

/** Takes the store back to before a failed event batch kept when it was set aside (migration 0032), and the migrations after it. */
async function undoJournalFailedAt(store: Store): Promise<void> {
  await undoCustomerChanges(store);
  await sql`alter table event_journal drop column failed_at`.execute(store.db);
  await sql`delete from kysely_migration where name = '0032_journal_failed_at'`.execute(store.db);
}

/** Takes the store back to before the history told a merge's dropped copies by a column of their own (migration 0031), and the migrations after it. */
async function undoHistoryMergedFrom(store: Store): Promise<void> {
  await undoJournalFailedAt(store);
  await sql`alter table tag_history drop column merged_from`.execute(store.db);
  await sql`delete from kysely_migration where name = '0031_history_merged_from'`.execute(store.db);
}

/** Takes the store back to before names had search keys (migration 0027) and the migrations after it. */
async function undoNameSearchKeys(store: Store): Promise<void> {
  await undoHistoryMergedFrom(store);
  await sql`delete from kysely_migration where name in ('0029_international_phone_prefix', '0030_expiries_past_9999')`.execute(store.db);
  await sql`alter table workspaces drop column loading_until`.execute(store.db);
  await sql`delete from kysely_migration where name = '0028_workspace_loading'`.execute(store.db);
  await sql`drop index customers_name_search_due_idx`.execute(store.db);
  await sql`alter table customers drop column name_search`.execute(store.db);
  await sql`delete from kysely_migration where name = '0027_customer_name_search'`.execute(store.db);
}

for (const kind of storeKinds()) {
  describe(`migrations [${kind}]`, () => {
    it('run again on an up-to-date store apply nothing', async () => {
      const { store, dispose } = await openTestStore(kind);
      try {
        expect((await store.migrate()).applied).toEqual([]);
      } finally {
        await dispose();
      }
    });

    it('name the model of each model tag made before a model tag could take a key of its own', async () => {
      const { store, dispose } = await openTestStore(kind);
      try {
        const context = await openTestWorkspace(store);
        await configureModel(context, 'vip', {});
        // The store as the version before had it: no model_key, and the migrations since not yet run.
        await sql`alter table tags drop column model_key`.execute(store.db);
        await sql`drop index customers_updated_idx`.execute(store.db);
        await sql`drop index event_journal_idempotency_idx`.execute(store.db);
        await sql`alter table event_journal drop column idempotency_key`.execute(store.db);
        await sql`alter table event_journal drop column request_digest`.execute(store.db);
        await sql`alter table segment_snapshots drop column segments`.execute(store.db);
        await undoNameSearchKeys(store);
        await sql`delete from kysely_migration where name in ('0022_model_tags', '0023_customers_updated_index', '0024_idempotency_keys', '0025_snapshot_segments', '0026_refunds_within_orders')`.execute(store.db);
        expect((await store.migrate()).applied).toEqual(migrationsFrom('0022_model_tags'));
        expect((await getTag(context, 'vip')).model).toBe('vip');
      } finally {
        await dispose();
      }
    });

    it('record a recompute of the metrics of each workspace holding refunds, which the next scheduler round runs', async () => {
      const { store, dispose } = await openTestStore(kind);
      try {
        const context = await openTestWorkspace(store);
        const quiet = await openTestWorkspace(store, 'quiet', 'Quiet');
        const event = (id: string, type: string, order: string, amount: number) => ({ id, customer_id: 'A', type, occurred_at: '2026-06-01T08:00:00Z', properties: { order_id: order, amount } });
        await ingestEvents(context, [event('P1', 'order_paid', 'O1', 100), event('P2', 'order_paid', 'O2', 100), event('R1', 'order_refunded', 'O1', 60), event('R2', 'order_refunded', 'O1', 60)]);
        await ingestEvents(quiet, [event('P1', 'order_paid', 'O1', 100)]);
        // Metrics as the version before stored them: two refunds of two orders, 120 refunded.
        const refundRate = async () => (await getPortrait(context, 'A')).metrics.find((metric) => metric.key === 'refund_rate')?.value;
        const row = await store.db.selectFrom('customer_metrics').select(['customer_id', 'metric_values']).where('workspace_id', '=', context.workspaceId).executeTakeFirstOrThrow();
        const old: Record<string, unknown> = { ...(JSON.parse(row.metric_values) as Record<string, unknown>), refund_rate: 1 };
        delete old.refunded_orders_total;
        await store.db.updateTable('customer_metrics').set({ metric_values: JSON.stringify(old) }).where('customer_id', '=', row.customer_id).execute();
        expect(await refundRate()).toBe(1);
        await undoNameSearchKeys(store);
        await sql`delete from kysely_migration where name = '0026_refunds_within_orders'`.execute(store.db);
        expect((await store.migrate()).applied).toEqual(migrationsFrom('0026_refunds_within_orders'));
        const passes = await store.db.selectFrom('rule_passes').select(['workspace_id', 'tag_key']).execute();
        expect(passes.map((pass) => [Number(pass.workspace_id), pass.tag_key])).toEqual([[context.workspaceId, '@metrics']]);
        expect((await tickWorkspace(context, { clockRules: false })).metricsPassResumed).toBe(true);
        expect(await refundRate()).toBe(0.5);
        expect(await store.db.selectFrom('rule_passes').selectAll().execute()).toEqual([]);
      } finally {
        await dispose();
      }
    });

    it('give the customers a store kept from before names had search keys theirs in the scheduler round after the upgrade, finding them by name meanwhile', async () => {
      const { store, dispose } = await openTestStore(kind);
      try {
        const context = await openTestWorkspace(store);
        await upsertCustomers(context, [
          { id: 'C1', name: '单田芳' },
          { id: 'C2', name: 'ＡＢＣ公司' },
          { id: 'C3' },
        ]);
        // The store as the version before had it: no key, and the migration not yet run.
        await undoNameSearchKeys(store);
        expect((await store.migrate()).applied).toEqual(migrationsFrom('0027_customer_name_search'));
        const keys = async () => (await store.db.selectFrom('customers').select(['external_id', 'name_search']).orderBy('id').execute()).map((row) => [row.external_id, row.name_search === null ? null : 'key']);
        expect(await keys()).toEqual([['C1', null], ['C2', null], ['C3', null]]);
        expect(await searchCustomerIds(context, '田芳')).toEqual(['C1']);
        expect(await searchCustomerIds(context, 'stf')).toEqual([]);
        expect((await tickWorkspace(context, { clockRules: false })).nameKeysFilled).toBe(2);
        expect(await keys()).toEqual([['C1', 'key'], ['C2', 'key'], ['C3', null]]);
        expect(await searchCustomerIds(context, 'stf')).toEqual(['C1']);
        expect(await searchCustomerIds(context, 'shantianfang')).toEqual(['C1']);
        expect(await searchCustomerIds(context, 'abc')).toEqual(['C2']);
      } finally {
        await dispose();
      }
    });

    it('fold the phone numbers a store kept as dialled with 00 into the same numbers with +, leaving one another customer already holds as it is', async () => {
      const { store, dispose } = await openTestStore(kind);
      try {
        const context = await openTestWorkspace(store);
        await upsertCustomers(context, [{ id: 'HK' }, { id: 'UK' }, { id: 'SG' }, { id: 'SG2' }, { id: 'SHORT' }]);
        const ids = new Map((await store.db.selectFrom('customers').select(['id', 'external_id']).execute()).map((row) => [row.external_id, Number(row.id)]));
        const phone = (customer: string, value: string) => ({ workspace_id: context.workspaceId, kind: 'phone', value, customer_id: ids.get(customer) ?? 0 });
        // As the version before stored them: 00… kept as written.
        await store.db
          .insertInto('identities')
          .values([phone('HK', '0085291234567'), phone('UK', '00447700900123'), phone('UK', '+447700900123'), phone('SG', '006581234567'), phone('SG2', '+6581234567'), phone('SHORT', '00123')])
          .execute();
        await undoHistoryMergedFrom(store);
        await sql`delete from kysely_migration where name in ('0029_international_phone_prefix', '0030_expiries_past_9999')`.execute(store.db);
        expect((await store.migrate()).applied).toEqual(migrationsFrom('0029_international_phone_prefix'));
        const phones = async (customer: string) =>
          (await store.db.selectFrom('identities').select('value').where('customer_id', '=', ids.get(customer) ?? 0).orderBy('value').execute()).map((row) => row.value);
        expect(await phones('HK')).toEqual(['+85291234567']);
        expect(await phones('UK')).toEqual(['+447700900123']);
        // Two customers would become one number: neither is changed, nor are they merged.
        expect(await phones('SG')).toEqual(['006581234567']);
        expect(await phones('SG2')).toEqual(['+6581234567']);
        expect(await phones('SHORT')).toEqual(['00123']);
        expect((await findCustomerByIdentity(context, 'phone', '00852 9123 4567')).id).toBe('HK');
        expect((await findCustomerByIdentity(context, 'phone', '+852 9123 4567')).id).toBe('HK');
        expect((await findCustomerByIdentity(context, 'phone', '0065 8123 4567')).id).toBe('SG2');
      } finally {
        await dispose();
      }
    });

    it('make the assignments a store kept with an expiry past the year 9999 permanent, so that the portrait reads again', async () => {
      const { store, dispose } = await openTestStore(kind);
      try {
        const context = await openTestWorkspace(store);
        await upsertCustomers(context, [{ id: 'A' }]);
        await defineTag(context, { key: 'interests', name: '爱好', cardinality: 'multi', values: [{ key: 'golf', name: '高尔夫' }, { key: 'tea', name: '茶' }, { key: 'yoga', name: '瑜伽' }] });
        const last = Date.parse('9999-12-31T23:59:59.999Z');
        for (const value of ['golf', 'tea', 'yoga']) await assignTag(context, { tag: 'interests', value, customers: ['A'], source: 'manual', expiresAt: value === 'yoga' ? last : null });
        // As an old `tagbase tag assign --expires-in` stored them: 10^20 days ahead (more than a
        // PostgreSQL bigint holds, so there the largest one does), and the year 20000.
        const absurd = kind === 'sqlite' ? 8.64e27 : 9e18;
        const valueIds = new Map((await store.db.selectFrom('tag_values').select(['id', 'key']).execute()).map((row) => [row.key, Number(row.id)]));
        const expire = async (table: 'assignments' | 'tag_history', value: string, at: number) =>
          sql`update ${sql.table(table)} set expires_at = ${at} where value_id = ${valueIds.get(value) ?? 0}`.execute(store.db);
        for (const table of ['assignments', 'tag_history'] as const) {
          await expire(table, 'golf', absurd);
          await expire(table, 'tea', Date.UTC(20000, 0, 1));
        }
        await expect(getPortraitJson(context, 'A')).rejects.toThrow();
        await undoHistoryMergedFrom(store);
        await sql`delete from kysely_migration where name = '0030_expiries_past_9999'`.execute(store.db);
        expect((await store.migrate()).applied).toEqual(migrationsFrom('0030_expiries_past_9999'));
        const portrait = await getPortrait(context, 'A');
        expect(portrait.tags.map((tag) => [tag.value, tag.expires_at])).toEqual([['golf', null], ['tea', null], ['yoga', '9999-12-31T23:59:59.999Z']]);
        expect((await getCustomerHistory(context, 'A', { limit: 10 })).items.map((item) => [item.value, item.expires_at]).sort()).toEqual([['golf', null], ['tea', null], ['yoga', '9999-12-31T23:59:59.999Z']]);
      } finally {
        await dispose();
      }
    });

    it('tell the copies a merge dropped by the record they came from, taking the English note off their labels', async () => {
      const { store, dispose } = await openTestStore(kind);
      try {
        const context = await openTestWorkspace(store);
        await upsertCustomers(context, [{ id: 'A' }, { id: 'B(2)' }]);
        await defineTag(context, { key: 'interests', name: '爱好', cardinality: 'multi', values: [{ key: 'golf', name: '高尔夫' }, { key: 'tea', name: '茶 (merge of Z)' }] });
        await assignTag(context, { tag: 'interests', value: 'golf', customers: ['A', 'B(2)'], source: 'manual' });
        await assignTag(context, { tag: 'interests', value: 'tea', customers: ['A'], source: 'manual' });
        await mergeCustomers(context, 'A', 'B(2)');
        // As the version before wrote it: the note in English after the label.
        await undoHistoryMergedFrom(store);
        await sql`update tag_history set label = ${'爱好: 高尔夫 (merge of B(2))'} where action = 'remove'`.execute(store.db);
        expect((await store.migrate()).applied).toEqual(migrationsFrom('0031_history_merged_from'));
        const history = (await getCustomerHistory(context, 'A', { limit: 10 })).items.map((item) => [item.action, item.label, item.merged_from]);
        // Both records' adds (B(2)'s moved to A), and the copy the merge dropped. A value's own
        // name that reads like a note is not one: no merge of Z was made.
        expect(history.sort()).toEqual([['add', '爱好: 茶 (merge of Z)', null], ['add', '爱好: 高尔夫', null], ['add', '爱好: 高尔夫', null], ['remove', '爱好: 高尔夫', 'B(2)']].sort());
      } finally {
        await dispose();
      }
    });

    it('keep failed event batches set aside before the upgrade 30 days from the upgrade, since when they failed was not kept', async () => {
      const { store, dispose } = await openTestStore(kind);
      try {
        const workspaceId = await ensureWorkspace(store, 'shop', 'Shop', clock);
        await undoJournalFailedAt(store);
        const acceptedAt = Date.now() - 29 * 86_400_000;
        const row = { workspace_id: workspaceId, actor: null, received_at: acceptedAt, received: 1, event_count: 1, events: '{"duplicates":0,"events":[]}', attempts: 8, error: 'refused' };
        await sql`insert into event_journal (workspace_id, actor, received_at, received, event_count, events, status, attempts, error) values (${row.workspace_id}, ${row.actor}, ${row.received_at}, ${row.received}, ${row.event_count}, ${row.events}, ${'failed'}, ${row.attempts}, ${row.error}), (${row.workspace_id}, ${row.actor}, ${row.received_at}, ${row.received}, ${row.event_count}, ${row.events}, ${'pending'}, ${0}, ${null})`.execute(store.db);
        const before = Date.now();
        expect((await store.migrate()).applied).toEqual(migrationsFrom('0032_journal_failed_at'));
        const rows = await store.db.selectFrom('event_journal').select(['status', 'failed_at']).where('workspace_id', '=', workspaceId).orderBy('id').execute();
        expect(rows.map((entry) => entry.status)).toEqual(['failed', 'pending']);
        expect(Number(rows[0]?.failed_at)).toBeGreaterThanOrEqual(before);
        expect(rows[1]?.failed_at).toBeNull();
      } finally {
        await dispose();
      }
    });

    it("record each rule pass kept by key under every rule tag of that key, two staff members' personal tags each at the point the pass had reached, and the metrics' recompute under no tag", async () => {
      const { store, dispose } = await openTestStore(kind);
      try {
        const context = await openTestWorkspace(store);
        await ingestEvents(context, [{ id: 'E1', customer_id: 'A', type: 'order_paid', occurred_at: '2026-06-01T08:00:00Z', properties: { order_id: 'O1', amount: 1200 } }]);
        const rule = (key: string, scope: 'enterprise' | 'personal' = 'enterprise') => ({ key, name: `${key}-${scope}`, kind: 'rule' as const, scope, values: [{ key: 'yes', name: '是', condition: 'spend_365d >= 1000' }] });
        await defineTag(context, rule('vip'));
        await defineTag(await openWorkspace(store, 'shop', '导购-王芳', clock), { ...rule('big', 'personal'), name: '我的大客户' });
        await defineTag(await openWorkspace(store, 'shop', '导购-李娜', clock), { ...rule('big', 'personal'), name: '她的大客户' });
        await defineTag(context, { key: 'plain', name: '普通', values: [{ key: 'yes', name: '是' }] });
        const tags = new Map((await store.db.selectFrom('tags').select(['id', 'key', 'owner']).execute()).map((row) => [`${row.key}/${row.owner}`, Number(row.id)]));
        const workspace = context.workspaceId;
        const record = (tag_key: string, after_id: number) => ({ workspace_id: workspace, tag_key, token: `run of ${tag_key}`, after_id, done: after_id, total: 9 });
        // The store as the version before had it: passes by key, one of a key two personal tags share, one of a tag since deleted.
        await undoRulePassesByTag(store, [record('vip', 3), record('big', 5), record('@metrics', 1), record('gone', 2), record('plain', 4)]);
        expect((await store.migrate()).applied).toEqual(migrationsFrom('0035_rule_passes_by_tag'));
        const rows = await store.db.selectFrom('rule_passes').select(['tag_id', 'tag_key', 'token', 'after_id', 'done', 'total']).orderBy('tag_id').execute();
        expect(rows.map((row) => [Number(row.tag_id), row.tag_key, row.token, Number(row.after_id), Number(row.done), Number(row.total)])).toEqual(
          [
            [0, '@metrics', 'run of @metrics', 1, 1, 9],
            [tags.get('vip/'), 'vip', 'run of vip', 3, 3, 9],
            [tags.get('big/导购-王芳'), 'big', 'run of big', 5, 5, 9],
            [tags.get('big/导购-李娜'), 'big', 'run of big', 5, 5, 9],
          ].sort((a, b) => Number(a[0]) - Number(b[0])),
        );
        // The next round finishes them, each as its own tag's.
        const later = () => new Date('2026-06-15T11:00:00Z');
        const tick = await tickWorkspace(await openWorkspace(store, 'shop', 'tester', later), { clockRules: false });
        expect([tick.rulePassesResumed.map((tag) => [tag.key, tag.owner]), tick.metricsPassResumed]).toEqual([
          [
            ['big', '导购-王芳'],
            ['big', '导购-李娜'],
            ['vip', null],
          ],
          true,
        ]);
        expect(await store.db.selectFrom('rule_passes').selectAll().execute()).toEqual([]);
      } finally {
        await dispose();
      }
    });

    it('make due the stored metrics of each customer with a refund, which the next scheduler round recomputes: every spend window net of refunds, the refund rate within 100 %', async () => {
      const { store, dispose } = await openTestStore(kind);
      try {
        const context = await openTestWorkspace(store);
        const event = (id: string, customer: string, type: string, order: string, amount: number) => ({ id, customer_id: customer, type, occurred_at: '2026-06-01T08:00:00Z', properties: { order_id: order, amount } });
        await ingestEvents(context, [event('P1', 'A', 'order_paid', 'O1', 100), event('R1', 'A', 'order_refunded', 'O1', 40), event('R2', 'A', 'order_refunded', 'O-old', 50), event('P2', 'B', 'order_paid', 'O2', 70)]);
        // Metrics as the version before stored them: every spend window gross, two refunded orders of one paid.
        const metricsOf = async (id: string) => Object.fromEntries((await getPortrait(context, id)).metrics.map((metric) => [metric.key, metric.value]));
        const rows = await store.db.selectFrom('customer_metrics').select(['customer_id', 'metric_values']).where('workspace_id', '=', context.workspaceId).execute();
        for (const row of rows) {
          const values = JSON.parse(row.metric_values) as Record<string, unknown>;
          const windows = ['spend_total', 'spend_30d', 'spend_90d', 'spend_365d', 'spend_this_year'];
          const gross = Object.fromEntries(windows.map((key) => [key, values[`${key}_paid`]]));
          // Only the hidden parts spend_365d read were stored then.
          const kept = Object.fromEntries(Object.entries(values).filter(([key]) => !/^spend_.*_(paid|refunded)$/.test(key) || key.startsWith('spend_365d_')));
          const old = values.refunds_total === undefined || values.refunds_total === 0 ? kept : { ...kept, ...gross, refund_rate: 2 };
          await store.db.updateTable('customer_metrics').set({ metric_values: JSON.stringify(old), valid_until: Date.parse('2027-01-01T00:00:00Z') }).where('customer_id', '=', row.customer_id).execute();
        }
        expect(await metricsOf('A')).toMatchObject({ spend_total: 100, spend_30d: 100, spend_90d: 100, spend_365d: 100, spend_this_year: 100, refund_rate: 2 });
        await undoSpendNetOfRefunds(store);
        expect((await store.migrate()).applied).toEqual(migrationsFrom('0036_spend_net_of_refunds'));
        const report = await tickWorkspace(context, { clockRules: false });
        expect(report.metricsRefreshed).toBe(1);
        expect(await metricsOf('A')).toMatchObject({ spend_total: 10, spend_30d: 10, spend_90d: 10, spend_365d: 10, spend_this_year: 10, avg_order_value: 100, refund_rate: 1 });
        expect(await metricsOf('B')).toMatchObject({ spend_total: 70, spend_30d: 70, spend_365d: 70, avg_order_value: 70 });
      } finally {
        await dispose();
      }
    });

    it("record a pass from the start for each active rule tag that reads a time without an offset, itself or through saved segments, in a workspace not at UTC: the next round applies the workspace's clock", async () => {
      const { store, dispose } = await openTestStore(kind);
      try {
        // Made at UTC, where both readings are one, so the tags are as the version before applied them.
        await createWorkspace(store, 'shop', 'Shop', clock, 0);
        await createWorkspace(store, 'london', 'London', clock, 0);
        const context = await openWorkspace(store, 'shop', 'tester', clock);
        const london = await openWorkspace(store, 'london', 'tester', clock);
        // A came at 10:00 in the shop's zone (UTC+8) on 1 June, which is 02:00 UTC.
        for (const ctx of [context, london]) await upsertCustomers(ctx, [{ id: 'A', first_seen_at: '2026-06-01T02:00:00Z' }]);
        await createSegment(context, { key: 'early_seg', name: '早客', expression: 'first_seen_at < "2026-06-01 08:00"' });
        await createSegment(context, { key: 'outer', name: '外层', expression: 'segment("早客") or first_seen_at missing' });
        const rule = (key: string, condition: string) => ({ key, name: key, kind: 'rule' as const, values: [{ key: 'yes', name: '是', condition }] });
        for (const [key, condition] of [
          ['early', 'first_seen_at < "2026-06-01 08:00"'],
          ['early_t', 'first_seen_at >= "2026-05-01T00:00:00" and first_seen_at < "2026-06-01T08:00:00"'],
          ['via_segment', 'segment("outer")'],
          ['zoned', 'first_seen_at < "2026-06-01T08:00:00Z"'],
          ['dated', 'first_seen_at < "2026-06-02"'],
          ['archived', 'first_seen_at < "2026-06-01 08:00"'],
        ] as const) {
          await defineTag(context, rule(key, condition));
        }
        await defineTag(london, rule('early', 'first_seen_at < "2026-06-01 08:00"'));
        await store.db.updateTable('tags').set({ status: 'archived' }).where('key', '=', 'archived').execute();
        // The archived tag has no pass; what it held is out of sight here.
        const held = async (ctx: typeof context) => (await getPortrait(ctx, 'A')).tags.map((tag) => tag.tag).filter((tag) => tag !== 'archived').sort();
        expect(await held(context)).toEqual(['dated', 'early', 'early_t', 'via_segment', 'zoned']);
        // The shop is at UTC+8 as the version before left it; started again, nothing compiled is kept.
        await store.db.updateTable('workspaces').set({ utc_offset_minutes: 480 }).where('key', '=', 'shop').execute();
        clearEngineCache(store);
        await store.db.insertInto('rule_passes').values({ workspace_id: context.workspaceId, tag_id: (await getTag(context, 'early')).id, tag_key: 'early', token: 'run of early', after_id: 5, updated_at: 1, done: 5, total: 9, started_at: 1 }).execute();
        await undoZonelessTimeLiterals(store);
        expect((await store.migrate()).applied).toEqual(migrationsFrom('0037_zoneless_time_literals'));
        const passes = await store.db.selectFrom('rule_passes').select(['workspace_id', 'tag_key', 'after_id', 'done', 'updated_at']).orderBy('tag_key').execute();
        expect(passes.map((pass) => [Number(pass.workspace_id), pass.tag_key, Number(pass.after_id), Number(pass.done), Number(pass.updated_at)])).toEqual([
          [context.workspaceId, 'early', 0, 0, 0],
          [context.workspaceId, 'early_t', 0, 0, 0],
          [context.workspaceId, 'via_segment', 0, 0, 0],
        ]);
        const tick = await tickWorkspace(await openWorkspace(store, 'shop', 'tester', clock), { clockRules: false });
        expect(tick.rulePassesResumed.map((tag) => tag.key)).toEqual(['early', 'early_t', 'via_segment']);
        // 08:00 in the shop is 00:00 UTC: A came after it. A time with Z and a date alone read as before.
        expect(await held(context)).toEqual(['dated', 'zoned']);
        expect(await held(london)).toEqual(['early']);
        expect(await store.db.selectFrom('rule_passes').selectAll().execute()).toEqual([]);
      } finally {
        await dispose();
      }
    });

    it("record the type of a first or last of a property declared before types were, and recompute the metrics and rules of a workspace where it becomes text", async () => {
      const { store, dispose } = await openTestStore(kind);
      try {
        const context = await openTestWorkspace(store);
        const quiet = await openTestWorkspace(store, 'quiet', 'Quiet');
        const delivered = (id: string, customer: string, properties: Record<string, unknown>) => ({ id, customer_id: customer, type: 'delivered', occurred_at: '2026-06-01T08:00:00Z', properties });
        await ingestEvents(context, [delivered('D1', 'A', { city: '杭州', weight: 3 }), delivered('D2', 'B', { city: 310000, weight: 5 })]);
        await ingestEvents(quiet, [delivered('D1', 'A', { city: '杭州', weight: 3 })]);
        for (const ctx of [context, quiet]) await createMetric(ctx, { key: 'last_weight', name: '最近重量', aggregation: 'last', event_type: 'delivered', property: 'weight', window: { kind: 'all' } });
        await createMetric(context, { key: 'last_city', name: '最近城市', aggregation: 'last', event_type: 'delivered', property: 'city', window: { kind: 'all' } });
        await createMetric(context, { key: 'last_channel', name: '最近渠道', aggregation: 'last', event_type: 'order_paid', property: 'channel', window: { kind: 'all' } });
        await defineTag(context, { key: 'has_city', name: '有城市', kind: 'rule', values: [{ key: 'yes', name: '是', condition: 'last_city exists' }] });
        for (const ctx of [context, quiet]) await tickWorkspace(ctx, { clockRules: false });
        // As the version before stored them: no type, so a number; B's city as the number it came as, A's text taken for no value.
        const definitions = await store.db.selectFrom('metric_definitions').select(['workspace_id', 'key', 'definition']).execute();
        for (const row of definitions) {
          const definition = JSON.parse(row.definition) as { formula: Record<string, unknown> };
          delete definition.formula.valueType;
          await store.db.updateTable('metric_definitions').set({ definition: JSON.stringify(definition) }).where('workspace_id', '=', row.workspace_id).where('key', '=', row.key).execute();
        }
        const idOf = async (external: string) => (await store.db.selectFrom('customers').select('id').where('workspace_id', '=', context.workspaceId).where('external_id', '=', external).executeTakeFirstOrThrow()).id;
        const [a, b] = [await idOf('A'), await idOf('B')];
        const metricsRow = await store.db.selectFrom('customer_metrics').select('metric_values').where('customer_id', '=', b).executeTakeFirstOrThrow();
        await store.db.updateTable('customer_metrics').set({ metric_values: JSON.stringify({ ...(JSON.parse(metricsRow.metric_values) as object), last_city: 310000 }) }).where('customer_id', '=', b).execute();
        await store.db.deleteFrom('assignments').where('customer_id', '=', a).where('tag_id', '=', (await getTag(context, 'has_city')).id).execute();
        // Whatever the declarations left to the background is done.
        await store.db.deleteFrom('rule_passes').execute();
        clearEngineCache(store);
        await undoPickedMetricTypes(store);
        expect((await store.migrate()).applied).toEqual(migrationsFrom('0038_picked_metric_types'));
        const types = await store.db.selectFrom('metric_definitions').select(['workspace_id', 'key', 'definition']).orderBy('workspace_id').orderBy('key').execute();
        expect(types.map((row) => [Number(row.workspace_id), row.key, (JSON.parse(row.definition) as { formula: { valueType?: string } }).formula.valueType])).toEqual([
          [context.workspaceId, 'last_channel', 'string'],
          [context.workspaceId, 'last_city', 'string'],
          [context.workspaceId, 'last_weight', 'number'],
          [quiet.workspaceId, 'last_weight', 'number'],
        ]);
        const passes = await store.db.selectFrom('rule_passes').select(['workspace_id', 'tag_key']).execute();
        expect(passes.map((pass) => [Number(pass.workspace_id), pass.tag_key])).toEqual([[context.workspaceId, '@metrics']]);
        const tick = await tickWorkspace(await openWorkspace(store, 'shop', 'tester', clock), { clockRules: false });
        expect(tick.metricsPassResumed).toBe(true);
        const portrait = async (id: string) => getPortrait(context, id);
        expect((await portrait('B')).metrics.find((metric) => metric.key === 'last_city')).toMatchObject({ type: 'string', value: '310000' });
        expect((await portrait('A')).tags.map((tag) => tag.tag)).toContain('has_city');
        expect(await store.db.selectFrom('rule_passes').selectAll().execute()).toEqual([]);
      } finally {
        await dispose();
      }
    });

    it("record a recompute of everyone's metrics for each workspace holding coupons the shop sent, which no longer count as the customer's activity", async () => {
      const { store, dispose } = await openTestStore(kind);
      try {
        const context = await openTestWorkspace(store);
        const quiet = await openTestWorkspace(store, 'quiet', 'Quiet');
        await configureModel(context, 'activity', {});
        const event = (id: string, type: string, occurredAt: string, properties: Record<string, unknown>) => ({ id, customer_id: 'A', type, occurred_at: occurredAt, properties });
        await ingestEvents(context, [event('P1', 'order_paid', '2025-12-01T08:00:00Z', { order_id: 'O1', amount: 100 }), event('K1', 'coupon_received', '2026-06-14T08:00:00Z', { coupon_id: 'WB' })]);
        await ingestEvents(quiet, [event('P1', 'order_paid', '2025-12-01T08:00:00Z', { order_id: 'O1', amount: 100 })]);
        const activity = async () => (await getPortrait(context, 'A')).tags.find((tag) => tag.tag === 'activity')?.value;
        expect(await activity()).toBe('lost');
        // Metrics and tags as the version before stored them: the coupon made A active again.
        const row = await store.db.selectFrom('customer_metrics').select(['customer_id', 'metric_values']).where('workspace_id', '=', context.workspaceId).executeTakeFirstOrThrow();
        const old = { ...(JSON.parse(row.metric_values) as Record<string, unknown>), last_active_at: Date.parse('2026-06-14T08:00:00Z'), days_since_last_active: 1, activity_gap_days: 195 };
        await store.db.updateTable('customer_metrics').set({ metric_values: JSON.stringify(old) }).where('customer_id', '=', row.customer_id).execute();
        const lost = (await getTag(context, 'activity')).values.find((value) => value.key === 'lost');
        const wonBack = (await getTag(context, 'activity')).values.find((value) => value.key === 'won_back');
        await store.db.updateTable('assignments').set({ value_id: wonBack?.id ?? -1 }).where('customer_id', '=', row.customer_id).where('value_id', '=', lost?.id ?? -1).execute();
        expect(await activity()).toBe('won_back');
        await store.db.deleteFrom('rule_passes').execute();
        clearEngineCache(store);
        await undoShopSentEventsNoActivity(store);
        expect((await store.migrate()).applied).toEqual(migrationsFrom('0041_shop_sent_events_no_activity'));
        const passes = await store.db.selectFrom('rule_passes').select(['workspace_id', 'tag_id', 'tag_key']).execute();
        expect(passes.map((pass) => [Number(pass.workspace_id), Number(pass.tag_id), pass.tag_key])).toEqual([[context.workspaceId, 0, '@metrics']]);
        expect((await tickWorkspace(await openWorkspace(store, 'shop', 'tester', clock), { clockRules: false })).metricsPassResumed).toBe(true);
        const metrics = Object.fromEntries((await getPortrait(context, 'A')).metrics.map((metric) => [metric.key, metric.value]));
        expect([metrics.last_active_at, metrics.days_since_last_active, metrics.activity_gap_days ?? null]).toEqual(['2025-12-01T08:00:00.000Z', 196, null]);
        expect(await activity()).toBe('lost');
        expect(await store.db.selectFrom('rule_passes').selectAll().execute()).toEqual([]);
      } finally {
        await dispose();
      }
    });

    it("index a segment's snapshots by segment, time and id in a store kept from before, its list of snapshots reading as it did", async () => {
      const { store, dispose } = await openTestStore(kind);
      try {
        const context = await openTestWorkspace(store);
        await upsertCustomers(context, [{ id: 'A', city: '上海' }]);
        await createSegment(context, { key: 'sh', name: '上海客户', expression: 'city = "上海"' });
        const audience = indexAudience(new IndexRegistry(store));
        for (let i = 0; i < 3; i += 1) await takeSnapshot(context, audience, 'sh');
        const before = await listSnapshots(context, 'sh', { limit: 2 });
        await undoSegmentSnapshotsIndex(store);
        expect((await store.migrate()).applied).toEqual(migrationsFrom('0042_segment_snapshots_index'));
        const indexed =
          kind === 'sqlite'
            ? (await sql<{ name: string }>`select name from pragma_index_info('segment_snapshots_segment_idx')`.execute(store.db)).rows.map((column) => column.name)
            : (await sql<{ indexdef: string }>`select indexdef from pg_indexes where indexname = 'segment_snapshots_segment_idx' and schemaname = current_schema()`.execute(store.db)).rows.map((row) => row.indexdef);
        expect(indexed).toEqual(kind === 'sqlite' ? ['segment_id', 'taken_at', 'id'] : [expect.stringMatching(/\(segment_id, taken_at, id\)$/)]);
        expect(await listSnapshots(context, 'sh', { limit: 2 })).toEqual(before);
      } finally {
        await dispose();
      }
    });

    it('read a webhook paused before the upgrade as paused by hand', async () => {
      const { store, dispose } = await openTestStore(kind);
      try {
        const context = await openTestWorkspace(store);
        const paused = await createWebhook(context, { url: 'https://crm.example.com/paused' });
        await pauseWebhook(context, paused.id);
        await undoWebhookAutoPause(store);
        expect((await store.migrate()).applied).toEqual(migrationsFrom('0043_webhook_auto_pause'));
        expect((await listWebhooks(context)).find((webhook) => webhook.id === paused.id)).toMatchObject({ paused_by: 'tester', paused_reason: 'manual', failing_since: null });
      } finally {
        await dispose();
      }
    });

    it('read an export logged before the upgrade as completed, its end unknown, and log the next in progress', async () => {
      const { store, dispose } = await openTestStore(kind);
      try {
        const context = await openTestWorkspace(store);
        await undoExportLogStatus(store);
        await sql`insert into export_log (workspace_id, actor, at, source, target, format, rows, metrics) values (${context.workspaceId}, ${'运营-小李'}, ${Date.parse('2026-06-01T00:00:00Z')}, ${'segment'}, ${'vip'}, ${'csv'}, ${3}, ${''})`.execute(store.db);
        expect((await store.migrate()).applied).toEqual(migrationsFrom('0044_export_log_status'));
        expect(await listExports(context, 5)).toEqual([expect.objectContaining({ target: 'vip', rows: 3, status: 'completed', finished_at: null })]);
        await logExport(context, { actor: 'api', source: 'segment', target: 'vip', format: 'csv', rows: 3, metrics: [] });
        expect((await listExports(context, 1))[0]).toMatchObject({ status: 'in_progress', finished_at: null });
      } finally {
        await dispose();
      }
    });

    it('keep the history written before the upgrade as it was, no change of it an undo, and name the operation the next undo undid', async () => {
      const { store, dispose } = await openTestStore(kind);
      try {
        const context = await openTestWorkspace(store);
        await undoHistoryUndoneOperation(store);
        await upsertCustomers(context, [{ id: 'A' }]);
        await defineTag(context, { key: 'vip', name: '贵宾', values: [{ key: 'yes', name: '是' }] });
        await sql`insert into tag_history (workspace_id, customer_id, tag_id, value_id, action, label, source, actor, at) select ${context.workspaceId}, c.id, t.id, v.id, ${'add'}, ${'贵宾: 是'}, ${'manual'}, ${'运营-小李'}, ${Date.parse('2026-06-01T00:00:00Z')} from customers c, tags t, tag_values v where c.external_id = ${'A'} and t.key = ${'vip'} and v.tag_id = t.id`.execute(store.db);
        expect((await store.migrate()).applied).toEqual(migrationsFrom('0045_history_undone_operation'));
        expect((await getCustomerHistory(context, 'A', { limit: 5 })).items).toEqual([expect.objectContaining({ action: 'add', value: 'yes', actor: '运营-小李' })]);
        expect((await store.db.selectFrom('tag_history').select('undone_operation').execute()).map((row) => row.undone_operation)).toEqual([null]);
        const bulk = await assignTag(context, { tag: 'vip', value: 'yes', customers: ['A'], source: 'manual', undoable: true });
        await undoTaggingOperation(context, bulk.operation ?? 0);
        const undone = await store.db.selectFrom('tag_history').select(['action', 'undone_operation']).where('undone_operation', 'is not', null).execute();
        expect(undone.map((row) => [row.action, Number(row.undone_operation)])).toEqual([['remove', bulk.operation]]);
      } finally {
        await dispose();
      }
    });

    it('keep the history written before the upgrade as it was, no change of it caused by an operation, and name the bulk tagging the next rule tag change followed', async () => {
      const { store, dispose } = await openTestStore(kind);
      try {
        const context = await openTestWorkspace(store);
        await undoHistoryCausedByOperation(store);
        await upsertCustomers(context, [{ id: 'A' }]);
        await defineTag(context, { key: 'vip', name: '贵宾', values: [{ key: 'yes', name: '是' }] });
        await defineTag(context, { key: 'focus', name: '重点跟进', kind: 'rule', values: [{ key: 'yes', name: '是', condition: 'vip = "是"' }] });
        await assignTag(context, { tag: 'vip', value: 'yes', customers: ['A'], source: 'manual' });
        expect((await store.migrate()).applied).toEqual(migrationsFrom('0046_history_caused_by_operation'));
        expect((await store.db.selectFrom('tag_history').select('caused_by_operation').execute()).map((row) => row.caused_by_operation)).toEqual([null, null]);
        await removeTag(context, { tag: 'vip', customers: ['A'], source: 'manual' });
        const bulk = await assignTag(context, { tag: 'vip', value: 'yes', customers: ['A'], source: 'manual', undoable: true });
        const caused = await store.db.selectFrom('tag_history').select(['tag_id', 'action', 'actor', 'caused_by_operation']).where('caused_by_operation', 'is not', null).execute();
        expect(caused.map((row) => [row.action, row.actor, Number(row.caused_by_operation)])).toEqual([['add', 'rule:focus', bulk.operation]]);
      } finally {
        await dispose();
      }
    });

    it('read an export logged before the upgrade as writing no fields, and log the fields of the next', async () => {
      const { store, dispose } = await openTestStore(kind);
      try {
        const context = await openTestWorkspace(store);
        await undoExportLogFields(store);
        await sql`insert into export_log (workspace_id, actor, at, source, target, format, rows, metrics, status) values (${context.workspaceId}, ${'运营-小李'}, ${Date.parse('2026-06-01T00:00:00Z')}, ${'segment'}, ${'vip'}, ${'csv'}, ${3}, ${'spend_365d'}, ${'completed'})`.execute(store.db);
        expect((await store.migrate()).applied).toEqual(['0047_export_log_fields']);
        expect(await listExports(context, 5)).toEqual([expect.objectContaining({ target: 'vip', metrics: ['spend_365d'], fields: [] })]);
        await logExport(context, { actor: 'api', source: 'segment', target: 'vip', format: 'csv', rows: 3, metrics: [], fields: ['birthday', 'email'] });
        expect((await listExports(context, 1))[0]).toMatchObject({ metrics: [], fields: ['birthday', 'email'] });
      } finally {
        await dispose();
      }
    });

    it('refuse a store a newer version brought up, naming the migration this version lacks, where Kysely said "corrupted migrations"', async () => {
      const { store, dispose } = await openTestStore(kind);
      try {
        await sql`insert into kysely_migration (name, timestamp) values ('9999_from_a_newer_version', '2030-01-01T00:00:00.000Z')`.execute(store.db);
        const failure = await store.migrate().then(
          () => undefined,
          (error: unknown) => error,
        );
        expect(failure).toMatchObject({ code: 'VALIDATION_FAILED' });
        expect(formatCliError(failure, 'en')).toBe(
          'error VALIDATION_FAILED: the store was brought up to date by a newer version of tagbase (its migration 9999_from_a_newer_version is not in this one): run that version or a later one; this one does not open the store, so that nothing is written in a layout it does not know',
        );
        expect(formatCliError(failure, 'zh-CN')).toContain('更新版本的 tagbase');
      } finally {
        await dispose();
      }
    });
  });
}
