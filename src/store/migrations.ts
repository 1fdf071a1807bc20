// Migrations in code, one list for both stores; the only dialect difference is how an
// auto-incrementing id is spelled.
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider, type CreateTableBuilder } from 'kysely';
import { TagbaseError } from '../core/errors.js';
import { localized } from '../core/locale.js';
import type { Dialect } from './connect.js';
import { zonelessTimeLiterals } from './zoneless-time-literals.js';
import { pickedMetricTypes } from './picked-metric-types.js';

type AnyDb = Kysely<unknown>;

function withId<T extends string>(table: CreateTableBuilder<T>, dialect: Dialect): CreateTableBuilder<T> {
  return dialect === 'sqlite'
    ? table.addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    : table.addColumn('id', 'bigserial', (col) => col.primaryKey());
}

function initialSchema(dialect: Dialect): Migration {
  const big = dialect === 'sqlite' ? 'integer' : 'bigint';
  return {
    async up(db: AnyDb) {
      await withId(db.schema.createTable('workspaces'), dialect)
        .addColumn('key', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('created_at', big, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('field_definitions')
        .addColumn('workspace_id', big, (c) => c.notNull().references('workspaces.id'))
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('options', 'text', (c) => c.notNull())
        .addColumn('created_at', big, (c) => c.notNull())
        .addPrimaryKeyConstraint('field_definitions_pk', ['workspace_id', 'key'])
        .execute();

      await withId(db.schema.createTable('customers'), dialect)
        .addColumn('workspace_id', big, (c) => c.notNull().references('workspaces.id'))
        .addColumn('external_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text')
        .addColumn('type', 'text')
        .addColumn('gender', 'text')
        .addColumn('birthday', 'text')
        .addColumn('city', 'text')
        .addColumn('region', 'text')
        .addColumn('occupation', 'text')
        .addColumn('member_level', 'text')
        .addColumn('source_channel', 'text')
        .addColumn('first_seen_at', big)
        .addColumn('custom', 'text', (c) => c.notNull())
        .addColumn('merged_into', big)
        .addColumn('created_at', big, (c) => c.notNull())
        .addColumn('updated_at', big, (c) => c.notNull())
        .addUniqueConstraint('customers_external_id_unique', ['workspace_id', 'external_id'])
        .execute();
      await db.schema.createIndex('customers_name_idx').on('customers').columns(['workspace_id', 'name']).execute();

      await db.schema
        .createTable('identities')
        .addColumn('workspace_id', big, (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('customer_id', big, (c) => c.notNull().references('customers.id'))
        .addPrimaryKeyConstraint('identities_pk', ['workspace_id', 'kind', 'value'])
        .execute();
      await db.schema.createIndex('identities_customer_idx').on('identities').column('customer_id').execute();

      await withId(db.schema.createTable('events'), dialect)
        .addColumn('workspace_id', big, (c) => c.notNull())
        .addColumn('event_key', 'text', (c) => c.notNull())
        .addColumn('customer_id', big, (c) => c.notNull().references('customers.id'))
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('occurred_at', big, (c) => c.notNull())
        .addColumn('received_at', big, (c) => c.notNull())
        .addColumn('properties', 'text', (c) => c.notNull())
        .addUniqueConstraint('events_key_unique', ['workspace_id', 'event_key'])
        .execute();
      await db.schema.createIndex('events_customer_idx').on('events').columns(['customer_id', 'occurred_at']).execute();

      await withId(db.schema.createTable('tag_groups'), dialect)
        .addColumn('workspace_id', big, (c) => c.notNull().references('workspaces.id'))
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('sort_order', 'integer', (c) => c.notNull())
        .addUniqueConstraint('tag_groups_key_unique', ['workspace_id', 'key'])
        .execute();

      await withId(db.schema.createTable('tags'), dialect)
        .addColumn('workspace_id', big, (c) => c.notNull().references('workspaces.id'))
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('color', 'text')
        .addColumn('group_id', big, (c) => c.references('tag_groups.id'))
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('cardinality', 'text', (c) => c.notNull())
        .addColumn('ordered', 'integer', (c) => c.notNull())
        .addColumn('default_expiry_days', 'integer')
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_at', big, (c) => c.notNull())
        .addColumn('updated_at', big, (c) => c.notNull())
        .addUniqueConstraint('tags_key_unique', ['workspace_id', 'owner', 'key'])
        .execute();

      await withId(db.schema.createTable('tag_values'), dialect)
        .addColumn('workspace_id', big, (c) => c.notNull())
        .addColumn('tag_id', big, (c) => c.notNull().references('tags.id'))
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('color', 'text')
        .addColumn('description', 'text')
        .addColumn('sort_order', 'integer', (c) => c.notNull())
        .addUniqueConstraint('tag_values_key_unique', ['tag_id', 'key'])
        .execute();

      await db.schema
        .createTable('assignments')
        .addColumn('workspace_id', big, (c) => c.notNull())
        .addColumn('customer_id', big, (c) => c.notNull().references('customers.id'))
        .addColumn('tag_id', big, (c) => c.notNull().references('tags.id'))
        .addColumn('value_id', big, (c) => c.notNull().references('tag_values.id'))
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('assigned_at', big, (c) => c.notNull())
        .addColumn('expires_at', big)
        .addPrimaryKeyConstraint('assignments_pk', ['customer_id', 'value_id'])
        .execute();
      await db.schema.createIndex('assignments_tag_idx').on('assignments').columns(['tag_id', 'customer_id']).execute();
      await db.schema.createIndex('assignments_value_idx').on('assignments').column('value_id').execute();
      await db.schema.createIndex('assignments_expiry_idx').on('assignments').columns(['workspace_id', 'expires_at']).execute();

      await withId(db.schema.createTable('tag_history'), dialect)
        .addColumn('workspace_id', big, (c) => c.notNull())
        .addColumn('customer_id', big, (c) => c.notNull())
        .addColumn('tag_id', big, (c) => c.notNull())
        .addColumn('value_id', big, (c) => c.notNull())
        .addColumn('previous_value_id', big)
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('at', big, (c) => c.notNull())
        .addColumn('expires_at', big)
        .execute();
      await db.schema.createIndex('tag_history_customer_idx').on('tag_history').columns(['customer_id', 'at']).execute();
      await db.schema.createIndex('tag_history_tag_idx').on('tag_history').columns(['workspace_id', 'tag_id', 'at']).execute();

      await withId(db.schema.createTable('customer_merges'), dialect)
        .addColumn('workspace_id', big, (c) => c.notNull())
        .addColumn('survivor_id', big, (c) => c.notNull())
        .addColumn('merged_id', big, (c) => c.notNull())
        .addColumn('merged_external_id', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('at', big, (c) => c.notNull())
        .addColumn('details', 'text', (c) => c.notNull())
        .execute();
    },
  };
}

/** Metrics, rule conditions, segments and snapshots: what the tag engine keeps. */
function engineSchema(dialect: Dialect): Migration {
  const big = dialect === 'sqlite' ? 'integer' : 'bigint';
  return {
    async up(db: AnyDb) {
      await db.schema.alterTable('workspaces').addColumn('utc_offset_minutes', 'integer', (c) => c.notNull().defaultTo(480)).execute();
      await db.schema.alterTable('tag_values').addColumn('condition', 'text').execute();

      await db.schema
        .createTable('metric_definitions')
        .addColumn('workspace_id', big, (c) => c.notNull().references('workspaces.id'))
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('definition', 'text', (c) => c.notNull())
        .addColumn('created_at', big, (c) => c.notNull())
        .addPrimaryKeyConstraint('metric_definitions_pk', ['workspace_id', 'key'])
        .execute();

      await db.schema
        .createTable('customer_metrics')
        .addColumn('customer_id', big, (c) => c.primaryKey().references('customers.id'))
        .addColumn('workspace_id', big, (c) => c.notNull())
        .addColumn('metric_values', 'text', (c) => c.notNull())
        .addColumn('computed_at', big, (c) => c.notNull())
        .addColumn('valid_until', big)
        .execute();
      await db.schema.createIndex('customer_metrics_due_idx').on('customer_metrics').columns(['workspace_id', 'valid_until']).execute();

      await withId(db.schema.createTable('segments'), dialect)
        .addColumn('workspace_id', big, (c) => c.notNull().references('workspaces.id'))
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('expression', 'text', (c) => c.notNull())
        .addColumn('created_at', big, (c) => c.notNull())
        .addColumn('updated_at', big, (c) => c.notNull())
        .addUniqueConstraint('segments_key_unique', ['workspace_id', 'key'])
        .execute();

      await withId(db.schema.createTable('segment_snapshots'), dialect)
        .addColumn('workspace_id', big, (c) => c.notNull())
        .addColumn('segment_id', big, (c) => c.notNull().references('segments.id'))
        .addColumn('expression', 'text', (c) => c.notNull())
        .addColumn('member_count', big, (c) => c.notNull())
        .addColumn('taken_at', big, (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('segment_snapshot_members')
        .addColumn('snapshot_id', big, (c) => c.notNull().references('segment_snapshots.id'))
        .addColumn('customer_id', big, (c) => c.notNull())
        .addPrimaryKeyConstraint('segment_snapshot_members_pk', ['snapshot_id', 'customer_id'])
        .execute();
    },
  };
}

/** The change log: what every process that keeps an index reads to stay in step with writes made elsewhere. */
function changeLogSchema(dialect: Dialect): Migration {
  const big = dialect === 'sqlite' ? 'integer' : 'bigint';
  return {
    async up(db: AnyDb) {
      await withId(db.schema.createTable('changes'), dialect)
        .addColumn('workspace_id', big, (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('customer_ids', 'text')
        .addColumn('at', big, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('changes_workspace_idx').on('changes').columns(['workspace_id', 'id']).execute();
      await db.schema.createIndex('changes_at_idx').on('changes').column('at').execute();
    },
  };
}

/** Enabled models with their parameters and, for statistical ones, the last thresholds. */
function modelSchema(dialect: Dialect): Migration {
  const big = dialect === 'sqlite' ? 'integer' : 'bigint';
  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable('models')
        .addColumn('workspace_id', big, (c) => c.notNull().references('workspaces.id'))
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('params', 'text', (c) => c.notNull())
        .addColumn('thresholds', 'text')
        .addColumn('thresholds_at', big)
        .addColumn('created_at', big, (c) => c.notNull())
        .addColumn('updated_at', big, (c) => c.notNull())
        .addPrimaryKeyConstraint('models_pk', ['workspace_id', 'key'])
        .execute();
    },
  };
}

/**
 * Snapshots of the in-memory index, so a process starts from one plus the change log after it
 * instead of a full build. A payload runs to hundreds of MiB at a million customers: it is
 * written in parts (a single value would pass V8's string limit as pg's text), under a version
 * that the header names once every part is in, so a reader never mixes two snapshots.
 */
function indexSnapshotSchema(dialect: Dialect): Migration {
  const big = dialect === 'sqlite' ? 'integer' : 'bigint';
  const blob = dialect === 'sqlite' ? 'blob' : 'bytea';
  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable('index_snapshots')
        .addColumn('workspace_id', big, (c) => c.primaryKey().references('workspaces.id'))
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('position', big, (c) => c.notNull())
        .addColumn('polled_at', big, (c) => c.notNull())
        .addColumn('fingerprint', 'text', (c) => c.notNull())
        .addColumn('checksum', 'text', (c) => c.notNull())
        .addColumn('bytes', big, (c) => c.notNull())
        .addColumn('parts', 'integer', (c) => c.notNull())
        .addColumn('created_at', big, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('index_snapshot_parts')
        .addColumn('workspace_id', big, (c) => c.notNull())
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('part', 'integer', (c) => c.notNull())
        .addColumn('data', blob, (c) => c.notNull())
        .addPrimaryKeyConstraint('index_snapshot_parts_pk', ['workspace_id', 'version', 'part'])
        .execute();
      // Out of line but not compressed: pglz made writing 256 MiB take 13 s instead of 2.3 s
      // and reading slower too, for little gain on bitmaps and float arrays.
      if (dialect === 'postgres') await sql`alter table index_snapshot_parts alter column data set storage external`.execute(db);
    },
  };
}

/**
 * Live customers in id order without touching their rows: recomputes, rule passes and the
 * customer list walk them, and through the name index each was a random read of its row plus
 * a sort (two minutes at ten million from a file larger than memory).
 */
const liveCustomersIndex: Migration = {
  async up(db: AnyDb) {
    await db.schema.createIndex('customers_live_idx').on('customers').columns(['workspace_id', 'merged_into', 'id']).execute();
  },
};

/**
 * The sweeper's index of expiring assignments holds only those that expire. Nearly all
 * assignments never do, yet each was in it: ~11 bytes per assignment (about 1 GB at ten
 * million customers), and a page of it written by every assignment inserted or deleted
 * (docs/performance.md). The sweeper's query says `expires_at is not null`, so both stores
 * use it.
 */
const expiringAssignmentsIndex: Migration = {
  async up(db: AnyDb) {
    await db.schema.dropIndex('assignments_expiry_idx').execute();
    await db.schema.createIndex('assignments_expiry_idx').on('assignments').columns(['workspace_id', 'expires_at']).where(sql.ref('expires_at'), 'is not', null).execute();
  },
};

/** Rule passes over everyone, recorded with their progress so that one cut short is finished. */
function rulePassSchema(dialect: Dialect): Migration {
  const big = dialect === 'sqlite' ? 'integer' : 'bigint';
  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable('rule_passes')
        .addColumn('workspace_id', big, (c) => c.notNull().references('workspaces.id'))
        .addColumn('tag_key', 'text', (c) => c.notNull())
        .addColumn('token', 'text', (c) => c.notNull())
        .addColumn('after_id', big, (c) => c.notNull())
        .addColumn('updated_at', big, (c) => c.notNull())
        .addPrimaryKeyConstraint('rule_passes_pk', ['workspace_id', 'tag_key'])
        .execute();
    },
  };
}

/**
 * What a pass has done, out of how many, since when: the console shows a pass that runs on after
 * its save has answered.
 */
function rulePassProgressSchema(dialect: Dialect): Migration {
  const big = dialect === 'sqlite' ? 'integer' : 'bigint';
  return {
    async up(db: AnyDb) {
      await db.schema.alterTable('rule_passes').addColumn('done', big, (c) => c.notNull().defaultTo(0)).execute();
      await db.schema.alterTable('rule_passes').addColumn('total', big, (c) => c.notNull().defaultTo(0)).execute();
      await db.schema.alterTable('rule_passes').addColumn('started_at', big, (c) => c.notNull().defaultTo(0)).execute();
    },
  };
}

/**
 * Customers erased on request: who erased how much when, and a digest of the customer's id, so
 * that an erasure can be shown to have happened without keeping who it was.
 */
function customerErasureSchema(dialect: Dialect): Migration {
  const big = dialect === 'sqlite' ? 'integer' : 'bigint';
  return {
    async up(db: AnyDb) {
      await withId(db.schema.createTable('customer_erasures'), dialect)
        .addColumn('workspace_id', big, (c) => c.notNull().references('workspaces.id'))
        .addColumn('customer_digest', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('at', big, (c) => c.notNull())
        .addColumn('details', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('customer_erasures_digest_idx').on('customer_erasures').columns(['workspace_id', 'customer_digest']).execute();
    },
  };
}

/** Every export of customers: who took which customers out, when, in what format (export control under PIPL). */
function exportLogSchema(dialect: Dialect): Migration {
  const big = dialect === 'sqlite' ? 'integer' : 'bigint';
  return {
    async up(db: AnyDb) {
      await withId(db.schema.createTable('export_log'), dialect)
        .addColumn('workspace_id', big, (c) => c.notNull().references('workspaces.id'))
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('at', big, (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('target', 'text', (c) => c.notNull())
        .addColumn('format', 'text', (c) => c.notNull())
        .addColumn('rows', big, (c) => c.notNull())
        .addColumn('metrics', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('export_log_workspace_idx').on('export_log').columns(['workspace_id', 'id']).execute();
    },
  };
}

/**
 * Webhooks: where to post tag changes, and how far each has got in the tag history (its
 * cursor), so that a delivery that failed is sent again from where it stopped.
 */
function webhookSchema(dialect: Dialect): Migration {
  const big = dialect === 'sqlite' ? 'integer' : 'bigint';
  return {
    async up(db: AnyDb) {
      await withId(db.schema.createTable('webhooks'), dialect)
        .addColumn('workspace_id', big, (c) => c.notNull().references('workspaces.id'))
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('secret', 'text', (c) => c.notNull())
        .addColumn('tags', 'text', (c) => c.notNull())
        .addColumn('cursor', big, (c) => c.notNull())
        .addColumn('failures', big, (c) => c.notNull())
        .addColumn('next_attempt_at', big, (c) => c.notNull())
        .addColumn('last_error', 'text')
        .addColumn('last_delivered_at', big)
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('created_at', big, (c) => c.notNull())
        .execute();
    },
  };
}

/**
 * Access tokens: who may call the API, in which role. Only a SHA-256 of each token is kept;
 * a revoked token stays, so the names in the tag history and export log keep their meaning.
 */
function accessTokenSchema(dialect: Dialect): Migration {
  const big = dialect === 'sqlite' ? 'integer' : 'bigint';
  return {
    async up(db: AnyDb) {
      await withId(db.schema.createTable('access_tokens'), dialect)
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('workspaces', 'text')
        .addColumn('created_at', big, (c) => c.notNull())
        .addColumn('expires_at', big)
        .addColumn('last_used_at', big)
        .addColumn('revoked_at', big)
        .execute();
    },
  };
}

/** The audit trail: one row per change through the API or a recorded command. */
function auditLogSchema(dialect: Dialect): Migration {
  const big = dialect === 'sqlite' ? 'integer' : 'bigint';
  return {
    async up(db: AnyDb) {
      await withId(db.schema.createTable('audit_log'), dialect)
        .addColumn('workspace_id', big, (c) => c.references('workspaces.id'))
        .addColumn('actor', 'text')
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('target', 'text', (c) => c.notNull())
        .addColumn('status', big)
        .addColumn('at', big, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_log_workspace_idx').on('audit_log').columns(['workspace_id', 'id']).execute();
    },
  };
}

/**
 * Care plans and their reminders. A plan's cursor is the last event or tag history id it has
 * read its trigger from (as a webhook's), so that a crash between reading and scheduling
 * schedules nothing twice and misses nothing. Webhooks may post reminders as they fall due.
 */
function careSchema(dialect: Dialect): Migration {
  const big = dialect === 'sqlite' ? 'integer' : 'bigint';
  return {
    async up(db: AnyDb) {
      await withId(db.schema.createTable('care_plans'), dialect)
        .addColumn('workspace_id', big, (c) => c.notNull().references('workspaces.id'))
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('trigger', 'text', (c) => c.notNull())
        .addColumn('condition', 'text')
        .addColumn('cancel_on', 'text')
        .addColumn('quiet_hours', 'text')
        .addColumn('steps', 'text', (c) => c.notNull())
        .addColumn('enabled', big, (c) => c.notNull())
        .addColumn('cursor', big, (c) => c.notNull())
        .addColumn('last_day', big)
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('created_at', big, (c) => c.notNull())
        .addColumn('updated_at', big, (c) => c.notNull())
        .addUniqueConstraint('care_plans_workspace_key', ['workspace_id', 'key'])
        .execute();
      await withId(db.schema.createTable('care_reminders'), dialect)
        .addColumn('workspace_id', big, (c) => c.notNull().references('workspaces.id'))
        .addColumn('plan_id', big, (c) => c.notNull().references('care_plans.id'))
        .addColumn('step', big, (c) => c.notNull())
        .addColumn('customer_id', big, (c) => c.notNull())
        .addColumn('trigger_at', big, (c) => c.notNull())
        .addColumn('due_at', big, (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('template', 'text', (c) => c.notNull())
        .addColumn('condition', 'text')
        .addColumn('trigger_data', 'text', (c) => c.notNull())
        .addColumn('message', 'text')
        .addColumn('reason', 'text')
        .addColumn('resolved_by', 'text')
        .addColumn('resolved_at', big)
        .addColumn('created_at', big, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('care_reminders_due_idx').on('care_reminders').columns(['workspace_id', 'status', 'due_at']).execute();
      await db.schema.createIndex('care_reminders_plan_idx').on('care_reminders').columns(['plan_id', 'status']).execute();
      await db.schema.createIndex('care_reminders_customer_idx').on('care_reminders').columns(['customer_id']).execute();
      // Reminders in the order they fell due (their ids grow in commit order within a workspace,
      // as the tag history's do), and what each webhook posts with its cursor into that log.
      await withId(db.schema.createTable('care_due_log'), dialect)
        .addColumn('workspace_id', big, (c) => c.notNull().references('workspaces.id'))
        .addColumn('reminder_id', big, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('care_due_log_workspace_idx').on('care_due_log').columns(['workspace_id', 'id']).execute();
      await db.schema.alterTable('webhooks').addColumn('topics', 'text', (c) => c.notNull().defaultTo('["tag_changes"]')).execute();
      await db.schema.alterTable('webhooks').addColumn('care_cursor', big, (c) => c.notNull().defaultTo(0)).execute();
    },
  };
}

/** Each saved segment's size once a day, so that its trend can be drawn (see src/engine/segment-sizes.ts). */
function segmentSizeSchema(dialect: Dialect): Migration {
  const big = dialect === 'sqlite' ? 'integer' : 'bigint';
  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable('segment_sizes')
        .addColumn('workspace_id', big, (c) => c.notNull().references('workspaces.id'))
        .addColumn('segment_id', big, (c) => c.notNull().references('segments.id'))
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('members', big, (c) => c.notNull())
        .addColumn('population', big, (c) => c.notNull())
        .addColumn('recorded_at', big, (c) => c.notNull())
        .addPrimaryKeyConstraint('segment_sizes_pk', ['segment_id', 'day'])
        .execute();
      await db.schema.createIndex('segment_sizes_day_idx').on('segment_sizes').columns(['workspace_id', 'day']).execute();
    },
  };
}

/**
 * Event batches accepted before they are applied (`Prefer: respond-async`; see
 * src/engine/event-journal.ts): the durable record the applier works from, and afterwards each
 * batch's result for a while.
 */
function eventJournalSchema(dialect: Dialect): Migration {
  const big = dialect === 'sqlite' ? 'integer' : 'bigint';
  return {
    async up(db: AnyDb) {
      await withId(db.schema.createTable('event_journal'), dialect)
        .addColumn('workspace_id', big, (c) => c.notNull().references('workspaces.id'))
        .addColumn('actor', 'text')
        .addColumn('received_at', big, (c) => c.notNull())
        .addColumn('received', big, (c) => c.notNull())
        .addColumn('event_count', big, (c) => c.notNull())
        .addColumn('events', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', big, (c) => c.notNull().defaultTo(0))
        .addColumn('retry_at', big)
        .addColumn('result', 'text')
        .addColumn('error', 'text')
        .addColumn('applied_at', big)
        .execute();
      await db.schema.createIndex('event_journal_status_idx').on('event_journal').columns(['status', 'id']).execute();
      await db.schema.createIndex('event_journal_workspace_idx').on('event_journal').columns(['workspace_id', 'status', 'id']).execute();
    },
  };
}

/**
 * Who was in each watched saved segment when it was last looked at, and the log of who entered
 * and left it since (see src/engine/segment-watch.ts): the outbox of the `segment_changes`
 * webhook topic.
 */
function segmentWatchSchema(dialect: Dialect): Migration {
  const big = dialect === 'sqlite' ? 'integer' : 'bigint';
  const blob = dialect === 'sqlite' ? 'blob' : 'bytea';
  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable('segment_members_seen')
        .addColumn('segment_id', big, (c) => c.primaryKey())
        .addColumn('workspace_id', big, (c) => c.notNull().references('workspaces.id'))
        .addColumn('members', blob, (c) => c.notNull())
        .addColumn('member_count', big, (c) => c.notNull())
        .addColumn('position', big, (c) => c.notNull())
        .addColumn('seen_at', big, (c) => c.notNull())
        .execute();
      await withId(db.schema.createTable('segment_changes_log'), dialect)
        .addColumn('workspace_id', big, (c) => c.notNull().references('workspaces.id'))
        .addColumn('segment_id', big, (c) => c.notNull())
        .addColumn('segment_key', 'text', (c) => c.notNull())
        .addColumn('customer_id', big, (c) => c.notNull())
        .addColumn('entered', big, (c) => c.notNull())
        .addColumn('at', big, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('segment_changes_log_workspace_idx').on('segment_changes_log').columns(['workspace_id', 'id']).execute();
      await db.schema.alterTable('webhooks').addColumn('segments', 'text', (c) => c.notNull().defaultTo('[]')).execute();
      await db.schema.alterTable('webhooks').addColumn('segment_cursor', big, (c) => c.notNull().defaultTo(0)).execute();
    },
  };
}

/**
 * Each webhook's recent posts and how its receiver answered (see `recordDelivery` in
 * src/engine/webhooks.ts): what someone setting a receiver up, or finding why it stopped, reads.
 */
function webhookDeliverySchema(dialect: Dialect): Migration {
  const big = dialect === 'sqlite' ? 'integer' : 'bigint';
  return {
    async up(db: AnyDb) {
      await withId(db.schema.createTable('webhook_deliveries'), dialect)
        .addColumn('workspace_id', big, (c) => c.notNull().references('workspaces.id'))
        .addColumn('webhook_id', big, (c) => c.notNull())
        .addColumn('topic', 'text', (c) => c.notNull())
        .addColumn('items', big, (c) => c.notNull())
        .addColumn('first_id', big)
        .addColumn('last_id', big)
        .addColumn('status', big)
        .addColumn('error', 'text')
        .addColumn('took_ms', big, (c) => c.notNull())
        .addColumn('at', big, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('webhook_deliveries_webhook_idx').on('webhook_deliveries').columns(['webhook_id', 'id']).execute();
    },
  };
}

/** The names of the migrations, in the order the migrator runs them (by name), the same on either store. */
export function migrationNames(): string[] {
  return Object.keys(migrationsFor('sqlite')).sort();
}

function migrationsFor(dialect: Dialect): Record<string, Migration> {
  return {
    '0001_initial_schema': initialSchema(dialect),
    '0002_engine': engineSchema(dialect),
    '0003_change_log': changeLogSchema(dialect),
    '0004_models': modelSchema(dialect),
    '0005_index_snapshots': indexSnapshotSchema(dialect),
    '0006_live_customers_index': liveCustomersIndex,
    '0007_rule_passes': rulePassSchema(dialect),
    '0008_rule_pass_progress': rulePassProgressSchema(dialect),
    '0009_customer_erasures': customerErasureSchema(dialect),
    '0010_export_log': exportLogSchema(dialect),
    '0011_webhooks': webhookSchema(dialect),
    '0012_access_tokens': accessTokenSchema(dialect),
    '0013_audit_log': auditLogSchema(dialect),
    '0014_expiring_assignments_index': expiringAssignmentsIndex,
    '0015_care': careSchema(dialect),
    '0016_segment_sizes': segmentSizeSchema(dialect),
    '0017_event_journal': eventJournalSchema(dialect),
    '0018_segment_watch': segmentWatchSchema(dialect),
    '0019_webhook_deliveries': webhookDeliverySchema(dialect),
    '0020_webhook_pause': webhookPauseSchema(dialect),
    '0021_tagging_operations': taggingOperationSchema(dialect),
    '0022_model_tags': modelTagSchema(),
    '0023_customers_updated_index': customersUpdatedIndexSchema(),
    '0024_idempotency_keys': idempotencyKeySchema(),
    '0025_snapshot_segments': snapshotSegmentsSchema(),
    '0026_refunds_within_orders': refundsWithinOrders,
    '0027_customer_name_search': customerNameSearchSchema(),
    '0028_workspace_loading': workspaceLoadingSchema(dialect),
    '0029_international_phone_prefix': internationalPhonePrefix,
    '0030_expiries_past_9999': expiriesPast9999,
    '0031_history_merged_from': historyMergedFrom,
    '0032_journal_failed_at': journalFailedAt(dialect),
    '0033_customer_changes': customerChangesSchema(dialect),
    '0034_webhook_claims': webhookClaims,
    '0035_rule_passes_by_tag': rulePassesByTag(dialect),
    '0036_spend_net_of_refunds': spendNetOfRefunds,
    '0037_zoneless_time_literals': zonelessTimeLiterals,
    '0038_picked_metric_types': pickedMetricTypes,
    '0039_workspace_deleting': workspaceDeletingSchema(),
    '0040_segment_expression_view': segmentExpressionViewSchema(),
    '0041_shop_sent_events_no_activity': shopSentEventsNoActivity,
    '0042_segment_snapshots_index': segmentSnapshotsIndexSchema(),
    '0043_webhook_auto_pause': webhookAutoPauseSchema(dialect),
    '0044_export_log_status': exportLogStatusSchema(dialect),
    '0045_history_undone_operation': historyUndoneOperation(dialect),
    '0046_history_caused_by_operation': historyCausedByOperation(dialect),
    '0047_export_log_fields': exportLogFields,
  };
}

/**
 * Phone numbers dialled with the international prefix 00 (`0085291234567`) were kept as written,
 * and the same number written with + (`+85291234567`) became another identity; both are now read
 * as the + form (`normalizeIdentity`). A stored 00 number is rewritten so, or dropped where its
 * customer holds the + form too. One whose + form another customer holds is left as it is: the
 * two records may be one person or two, which only the merchant can tell (a merge, or a
 * correction of either number), and folding them here would merge or mislabel them. Such a number
 * no longer finds its customer by lookup (the + form's owner is found); its customer keeps it.
 * Numbers of 0086 are not touched (they were stored as national numbers), nor short ones that
 * the + form does not take (five digits at least after the prefix, as `normalizeIdentity` asks).
 */
const internationalPhonePrefix: Migration = {
  async up(db: AnyDb) {
    const dialled = sql`kind = 'phone' and value like '00%' and value not like '0086%' and length(value) >= 7`;
    await sql`
      delete from identities where ${dialled} and exists (
        select 1 from identities plus where plus.workspace_id = identities.workspace_id and plus.kind = 'phone'
        and plus.value = '+' || substr(identities.value, 3) and plus.customer_id = identities.customer_id)
    `.execute(db);
    await sql`
      update identities set value = '+' || substr(value, 3) where ${dialled} and not exists (
        select 1 from identities plus where plus.workspace_id = identities.workspace_id and plus.kind = 'phone'
        and plus.value = '+' || substr(identities.value, 3))
    `.execute(db);
  },
};

/**
 * Assignments (and their history) stored with an expiry past the year 9999 — an old
 * `tagbase tag assign --expires-in` of 10^20 days wrote 8.64e27 ms — made that customer's
 * portrait fail, since no date can be written for them. They are made permanent: what the one
 * who gave them evidently meant (a value that lasts), and how they behaved (never swept), where
 * clamping would show a date, 9999-12-31, that nobody chose. Such expiries are refused from now
 * on (`LATEST_EXPIRY_MS` in src/core/tag.ts).
 */
const expiriesPast9999: Migration = {
  async up(db: AnyDb) {
    // 9999-12-31T23:59:59.999Z, as LATEST_EXPIRY_MS: a migration keeps the value it was written with.
    const latest = 253_402_300_799_999;
    await sql`update assignments set expires_at = null where expires_at > ${latest}`.execute(db);
    await sql`update tag_history set expires_at = null where expires_at > ${latest}`.execute(db);
  },
};

/**
 * The copies of values a merge dropped (the merged record's, of a value the survivor holds) are
 * told in the history by the record they came from, `merged_from`, which the console and the
 * command line say in the reader's language. Until now the label carried it in English,
 * `兴趣爱好: 高尔夫 (merge of B)`: those notes are taken off the labels into the column, where a
 * merge of that record at that instant is recorded (a value's own name that reads like a note
 * is left alone).
 */
const historyMergedFrom: Migration = {
  async up(db: AnyDb) {
    await db.schema.alterTable('tag_history').addColumn('merged_from', 'text').execute();
    const rows = await sql<{ id: number; workspace_id: number; label: string; at: number }>`
      select id, workspace_id, label, at from tag_history where action = 'remove' and label like ${'% (merge of %)'}
    `.execute(db);
    for (const row of rows.rows) {
      const merges = await sql<{ merged_external_id: string }>`
        select merged_external_id from customer_merges where workspace_id = ${row.workspace_id} and at = ${row.at} and merged_external_id <> ''
      `.execute(db);
      const merged = merges.rows.map((merge) => merge.merged_external_id).find((id) => row.label.endsWith(` (merge of ${id})`));
      if (merged === undefined) continue;
      const label = row.label.slice(0, row.label.length - ` (merge of ${merged})`.length);
      await sql`update tag_history set label = ${label}, merged_from = ${merged} where id = ${row.id}`.execute(db);
    }
  },
};

/**
 * When an accepted event batch was set aside as failed. Its 30 days of keeping counted from when
 * it was accepted, so a batch that kept failing for most of a month (a store full for weeks, a
 * field's type mended late) was forgotten a day or two after it was set aside. Batches already
 * set aside count from the upgrade: when they failed was not kept, and none is forgotten sooner
 * than before.
 */
function journalFailedAt(dialect: Dialect): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema.alterTable('event_journal').addColumn('failed_at', dialect === 'sqlite' ? 'integer' : 'bigint').execute();
      await sql`update event_journal set failed_at = ${Date.now()} where status = 'failed'`.execute(db);
    },
  };
}

/**
 * What webhooks are told of customers as wholes: a merge (the record that went, and the one it
 * went into) and an erasure (each id the person had), with a cursor per webhook into that log,
 * as into the others. And, in the tag history, the survivor a merge's removal of the merged
 * record's values names, and the record a change moved by a merge was made to (a webhook posts
 * it as that record's). Changes merges moved before stay posted as the survivor's.
 */
function customerChangesSchema(dialect: Dialect): Migration {
  const big = dialect === 'sqlite' ? 'integer' : 'bigint';
  return {
    async up(db: AnyDb) {
      await withId(db.schema.createTable('customer_changes_log'), dialect)
        .addColumn('workspace_id', big, (c) => c.notNull().references('workspaces.id'))
        .addColumn('change', 'text', (c) => c.notNull())
        .addColumn('customer_id', 'text', (c) => c.notNull())
        .addColumn('into_id', 'text')
        .addColumn('at', big, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('customer_changes_log_workspace_idx').on('customer_changes_log').columns(['workspace_id', 'id']).execute();
      await db.schema.alterTable('webhooks').addColumn('customer_cursor', big, (c) => c.notNull().defaultTo(0)).execute();
      await db.schema.alterTable('tag_history').addColumn('merged_into', 'text').execute();
      await db.schema.alterTable('tag_history').addColumn('recorded_for', 'text').execute();
    },
  };
}

/**
 * Which process holds a webhook's claim (a holder token, see src/engine/pass-holders.ts), so that a
 * server started again after a crash takes over at once a post its dead predecessor held,
 * instead of waiting out the claim.
 */
const webhookClaims: Migration = {
  async up(db: AnyDb) {
    await db.schema.alterTable('webhooks').addColumn('claimed_by', 'text').execute();
  },
};

/**
 * Rule passes recorded by the tag's id rather than its key: two staff members' personal tags may
 * share a key, and their passes shared one record, so that one's save stopped the other's pass
 * and either's end or resumption was taken for both. The table is made anew (SQLite cannot change
 * a primary key) and each record carried over to every rule or model tag of its key, at the
 * point it had reached: the pass it stood for applied every tag of that key. The recompute of
 * everyone's metrics (`@metrics`) is recorded under id 0, which no tag has; a record whose tag
 * is gone is dropped, as its run would have applied nothing.
 */
function rulePassesByTag(dialect: Dialect): Migration {
  const big = dialect === 'sqlite' ? 'integer' : 'bigint';
  return {
    async up(db: AnyDb) {
      await db.schema.alterTable('rule_passes').renameTo('rule_passes_by_key').execute();
      await db.schema
        .createTable('rule_passes')
        .addColumn('workspace_id', big, (c) => c.notNull().references('workspaces.id'))
        .addColumn('tag_id', big, (c) => c.notNull())
        .addColumn('tag_key', 'text', (c) => c.notNull())
        .addColumn('token', 'text', (c) => c.notNull())
        .addColumn('after_id', big, (c) => c.notNull())
        .addColumn('updated_at', big, (c) => c.notNull())
        .addColumn('done', big, (c) => c.notNull().defaultTo(0))
        .addColumn('total', big, (c) => c.notNull().defaultTo(0))
        .addColumn('started_at', big, (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint('rule_passes_tag_pk', ['workspace_id', 'tag_id'])
        .execute();
      await sql`
        insert into rule_passes (workspace_id, tag_id, tag_key, token, after_id, updated_at, done, total, started_at)
        select p.workspace_id, t.id, p.tag_key, p.token, p.after_id, p.updated_at, p.done, p.total, p.started_at
        from rule_passes_by_key p join tags t on t.workspace_id = p.workspace_id and t.key = p.tag_key and t.kind in ('rule', 'model')
      `.execute(db);
      await sql`
        insert into rule_passes (workspace_id, tag_id, tag_key, token, after_id, updated_at, done, total, started_at)
        select workspace_id, 0, tag_key, token, after_id, updated_at, done, total, started_at from rule_passes_by_key where tag_key = '@metrics'
      `.execute(db);
      await db.schema.dropTable('rule_passes_by_key').execute();
    },
  };
}

/**
 * A client's `Idempotency-Key` on an event batch, and the digest of the request it came with
 * (see `ingestOnce` in src/engine/event-journal.ts). Unique per workspace while the batch is kept:
 * the key of a request sent again finds what became of the first.
 */
function idempotencyKeySchema(): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema.alterTable('event_journal').addColumn('idempotency_key', 'text').execute();
      await db.schema.alterTable('event_journal').addColumn('request_digest', 'text').execute();
      await db.schema
        .createIndex('event_journal_idempotency_idx')
        .unique()
        .on('event_journal')
        .columns(['workspace_id', 'idempotency_key'])
        .where(sql.ref('idempotency_key'), 'is not', null)
        .execute();
    },
  };
}

/**
 * Refunds now count within what their order paid, and the refund rate is refunded orders over
 * paid orders (a new built-in metric, `refunded_orders_total`). Customers' stored metrics were
 * computed the old way, so every workspace that holds refunds gets a recompute of everyone's
 * metrics recorded, as a new metric definition does; its `updated_at` of 0 makes the next
 * scheduler round (`tagbase serve`'s, or `tagbase tick`) take it up and run it in the background.
 */
const refundsWithinOrders: Migration = {
  async up(db: AnyDb) {
    await sql`
      insert into rule_passes (workspace_id, tag_key, token, after_id, updated_at, done, total, started_at)
      select w.id, '@metrics', 'refunds-within-orders', 0, 0, 0, 0, 0 from workspaces w
      where exists (select 1 from events e where e.workspace_id = w.id and e.type = 'order_refunded')
      on conflict (workspace_id, tag_key) do nothing
    `.execute(db);
  },
};

/**
 * Metrics over every event type (`*`: `last_active_at` and `days_since_last_active`, the activity
 * model's `activity_gap_days`, a shop's own `*` metrics) no longer read the events the shop sends
 * (`SHOP_SENT_EVENT_TYPES`: `coupon_received`), so a workspace that holds any has stored values a
 * coupon moved, and the tags their rules gave (a lost customer sent a coupon made active). Each
 * such workspace gets a recompute of everyone's metrics recorded, as a new metric definition does;
 * its `updated_at` of 0 makes the next scheduler round (`tagbase serve`'s, or `tagbase tick`) take
 * it up. A recompute already recorded starts again from the first customer, since those it passed
 * were computed the old way.
 */
const shopSentEventsNoActivity: Migration = {
  async up(db: AnyDb) {
    await sql`
      insert into rule_passes (workspace_id, tag_id, tag_key, token, after_id, updated_at, done, total, started_at)
      select w.id, 0, '@metrics', 'shop-sent-events-no-activity', 0, 0, 0, 0, 0 from workspaces w
      where exists (select 1 from events e where e.workspace_id = w.id and e.type = 'coupon_received')
      on conflict (workspace_id, tag_id) do update set token = excluded.token, after_id = 0, updated_at = 0, done = 0, total = 0, started_at = 0
    `.execute(db);
  },
};

/**
 * Every spend window (`spend_total`, `spend_30d`, `spend_90d`, `spend_365d`, `spend_this_year`)
 * is now net of refunds (as RFM's M is), and the refund rate counts only refunded orders the
 * customer paid, so that it stays within 100 %. Only customers with a refund hold values that
 * change (`avg_order_value` stays gross); their stored metrics are made due (`valid_until` 0), so that the next
 * scheduler round (`tagbase serve`'s, or `tagbase tick`) recomputes them and their rule tags,
 * as it does when a window moves, and no customer keeps a value of the old meaning.
 */
const spendNetOfRefunds: Migration = {
  async up(db: AnyDb) {
    await sql`
      update customer_metrics set valid_until = 0
      where customer_id in (select customer_id from events where type = 'order_refunded')
    `.execute(db);
  },
};

/**
 * Each customer's name search key (`nameSearchKey` in src/core/name-search.ts): its name folded
 * for width and case, and its pinyin, so that a search finds 魏桂兰 by `wgl` in one scan of keys.
 * The customers there are get theirs afterwards, from the scheduler's rounds (`fillNameSearchKeys`
 * in src/engine/name-search-fill.ts), not here: reading a million names' pinyin took half a minute,
 * and a store would not open meanwhile. Until then a search finds them by their name as before.
 * The index holds the named customers still without a key: those rounds read it, and it is empty
 * once they are done, so that a round on a filled store costs one look.
 */
function customerNameSearchSchema(): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema.alterTable('customers').addColumn('name_search', 'text').execute();
      await db.schema
        .createIndex('customers_name_search_due_idx')
        .on('customers')
        .columns(['workspace_id', 'id'])
        .where(sql.ref('name'), 'is not', null)
        .where(sql.ref('name_search'), 'is', null)
        .execute();
    },
  };
}

/**
 * Until when a workspace is being filled by a long job (the demo store's replay), in wall-clock
 * milliseconds: a lease its loader renews while it works, so that the scheduler of a server in
 * another process leaves the workspace out of its rounds meanwhile (see src/engine/workspaces-loading.ts).
 */
function workspaceLoadingSchema(dialect: Dialect): Migration {
  const big = dialect === 'sqlite' ? 'integer' : 'bigint';
  return {
    async up(db: AnyDb) {
      await db.schema.alterTable('workspaces').addColumn('loading_until', big).execute();
    },
  };
}

/**
 * A workspace being deleted in batches (see src/engine/workspace-deletion.ts): marked first, so
 * that no request reads or writes it half deleted, and so that a deletion a crash interrupted
 * is finished by the next start or the next attempt.
 */
function workspaceDeletingSchema(): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema.alterTable('workspaces').addColumn('deleting', 'text').execute();
    },
  };
}

/**
 * A webhook paused by hand (see `pauseWebhook` in src/engine/webhooks.ts): when and by whom, so
 * that whoever finds it quiet reads why. Its cursors stay, so resuming posts what it missed.
 */
function webhookPauseSchema(dialect: Dialect): Migration {
  const big = dialect === 'sqlite' ? 'integer' : 'bigint';
  return {
    async up(db: AnyDb) {
      await db.schema.alterTable('webhooks').addColumn('paused_at', big).execute();
      await db.schema.alterTable('webhooks').addColumn('paused_by', 'text').execute();
    },
  };
}

/**
 * A webhook failing without a break (see `WEBHOOK_AUTO_PAUSE_MS` in src/engine/webhooks.ts):
 * since when, so that one failing for days is paused by itself, and why a webhook is paused
 * (`failing`, or null when by hand, as every pause before this was).
 */
function webhookAutoPauseSchema(dialect: Dialect): Migration {
  const big = dialect === 'sqlite' ? 'integer' : 'bigint';
  return {
    async up(db: AnyDb) {
      await db.schema.alterTable('webhooks').addColumn('failing_since', big).execute();
      await db.schema.alterTable('webhooks').addColumn('paused_reason', 'text').execute();
    },
  };
}

/**
 * Whether an export ended: logged `in_progress` before its first row, `completed` or `stopped`
 * (its reader gone, a failure) once it ends, when. One a crash cut short stays `in_progress`,
 * where its rows read as the members it began with, as if all had gone. The exports logged
 * before are taken as completed, their end unknown.
 */
function exportLogStatusSchema(dialect: Dialect): Migration {
  const big = dialect === 'sqlite' ? 'integer' : 'bigint';
  return {
    async up(db: AnyDb) {
      await db.schema.alterTable('export_log').addColumn('status', 'text', (c) => c.notNull().defaultTo('completed')).execute();
      await db.schema.alterTable('export_log').addColumn('finished_at', big).execute();
    },
  };
}

/**
 * The customers' fields an export wrote beside its fixed columns (`fields=birthday,email`),
 * comma-separated as its metrics are: the log says which personal data left. The exports logged
 * before wrote none.
 */
const exportLogFields: Migration = {
  async up(db: AnyDb) {
    await db.schema.alterTable('export_log').addColumn('fields', 'text', (c) => c.notNull().defaultTo('')).execute();
  },
};

/**
 * The bulk tagging operation a change of the tag history undid (src/engine/tagging-operations.ts),
 * null for every other change: an undo puts back what was before, and care plans that follow a
 * tag's gains and losses read past it. The undos recorded before are left null.
 */
function historyUndoneOperation(dialect: Dialect): Migration {
  const big = dialect === 'sqlite' ? 'integer' : 'bigint';
  return {
    async up(db: AnyDb) {
      await db.schema.alterTable('tag_history').addColumn('undone_operation', big).execute();
    },
  };
}

/**
 * The bulk tagging operation whose rules a rule tag's change of the tag history followed, in the
 * operation's transaction; null for every other change. Undoing the operation withdraws the care
 * reminders such a change started, as it does those its own changes started. The changes recorded
 * before are left null: their reminders stay, as they did.
 */
function historyCausedByOperation(dialect: Dialect): Migration {
  const big = dialect === 'sqlite' ? 'integer' : 'bigint';
  return {
    async up(db: AnyDb) {
      await db.schema.alterTable('tag_history').addColumn('caused_by_operation', big).execute();
    },
  };
}

/**
 * Which model a model tag belongs to. Its key was the model's until a model's tag could take
 * another key (when a tag of the library already had the model's), so those are filled in so.
 */
function modelTagSchema(): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema.alterTable('tags').addColumn('model_key', 'text').execute();
      await sql`update tags set model_key = key where kind = 'model'`.execute(db);
    },
  };
}

/**
 * Customers by the time they were last written, for the care round that finds today's
 * birthdays among customers written since the day's birthdays were read (src/engine/care.ts).
 */
function customersUpdatedIndexSchema(): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema.createIndex('customers_updated_idx').on('customers').columns(['workspace_id', 'updated_at']).execute();
    },
  };
}

/**
 * How whoever last wrote a saved segment's expression saw personal data, so that what one a
 * role that sees it masked wrote asks counts as its reader's (src/core/masked-asks.ts). Segments
 * saved before are not known to be an administrator's and are read as masked ones.
 */
function segmentExpressionViewSchema(): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema.alterTable('segments').addColumn('expression_view', 'text').execute();
    },
  };
}

/**
 * The definitions of the saved segments a snapshot's expression read, kept with it (see
 * `takeSnapshot` in src/engine/segments.ts); snapshots taken before have none.
 */
function snapshotSegmentsSchema(): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema.alterTable('segment_snapshots').addColumn('segments', 'text').execute();
    },
  };
}

/**
 * A segment's snapshots in the order its list pages through them, newest first (`listSnapshots`
 * in src/engine/segments.ts): without it a page read and sorted every snapshot of the table.
 */
function segmentSnapshotsIndexSchema(): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema.createIndex('segment_snapshots_segment_idx').on('segment_snapshots').columns(['segment_id', 'taken_at', 'id']).execute();
    },
  };
}

/** Bulk tagging operations, kept a week to be undone (see src/engine/tagging-operations.ts). */
function taggingOperationSchema(dialect: Dialect): Migration {
  const big = dialect === 'sqlite' ? 'integer' : 'bigint';
  return {
    async up(db: AnyDb) {
      await withId(db.schema.createTable('tagging_operations'), dialect)
        .addColumn('workspace_id', big, (c) => c.notNull().references('workspaces.id'))
        .addColumn('tag_id', big, (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('value_id', big)
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('at', big, (c) => c.notNull())
        .addColumn('customers', big, (c) => c.notNull())
        .addColumn('states', 'text', (c) => c.notNull())
        .addColumn('undone_at', big)
        .addColumn('undone_by', 'text')
        .addColumn('undone_customers', big)
        .execute();
      await db.schema.createIndex('tagging_operations_workspace_idx').on('tagging_operations').columns(['workspace_id', 'at']).execute();
    },
  };
}

class InCodeMigrations implements MigrationProvider {
  constructor(private readonly dialect: Dialect) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrationsFor(this.dialect);
  }
}

/**
 * The store holds a migration this version does not have: a newer tagbase brought it up (an
 * instance upgraded before this one, say, on the same PostgreSQL), and this one cannot know what
 * that changed. Said in words, where Kysely says "corrupted migrations".
 */
function newerStore(error: unknown): TagbaseError | undefined {
  const missing = error instanceof Error ? /^corrupted migrations: previously executed migration (.+) is missing$/.exec(error.message)?.[1] : undefined;
  if (missing === undefined) return undefined;
  return new TagbaseError('VALIDATION_FAILED', {
    detail: localized(
      `the store was brought up to date by a newer version of tagbase (its migration ${missing} is not in this one): run that version or a later one; this one does not open the store, so that nothing is written in a layout it does not know`,
      `此数据库已由更新版本的 tagbase 升级（本版本没有其迁移 ${missing}）：请运行该版本或更新的版本；本版本不打开此数据库，以免按它不了解的结构写入数据`,
    ),
  });
}

export interface MigrationReport {
  applied: string[];
}

/**
 * Brings the schema up to date; safe to run on every start. On PostgreSQL the bookkeeping
 * tables live in the store's own schema (`pgSchema`: the test's, or the connection's current
 * one): otherwise the migrator finds another schema's lock table through the catalog and never
 * creates its own.
 */
export async function migrateToLatest(db: Kysely<unknown>, dialect: Dialect, pgSchema?: string): Promise<MigrationReport> {
  const applied: string[] = [];
  for (let attempt = 1; ; attempt += 1) {
    const migrator = new Migrator({ db, provider: new InCodeMigrations(dialect), ...(pgSchema ? { migrationTableSchema: pgSchema } : {}) });
    const { error, results } = await migrator.migrateToLatest();
    applied.push(...(results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName));
    if (!error) return { applied };
    // Only the migrator's own look at the catalog is tried again, never a migration that failed.
    const lookFailed = !(results ?? []).some((r) => r.status === 'Error');
    if (attempt < MIGRATION_ATTEMPTS && lookFailed && catalogChangedWhileRead(error)) {
      // A little later each time: sessions changing the catalog one change after another (a busy
      // test database, several stores upgrading at once) hit a look that follows at once again.
      await new Promise((resolve) => setTimeout(resolve, attempt * 20));
      continue;
    }
    throw newerStore(error) ?? (error instanceof Error ? error : new Error(String(error)));
  }
}

/** Whether the store lacks a migration of this version (a new store, or one a version before this one made). */
export async function hasPendingMigrations(db: Kysely<unknown>, dialect: Dialect, pgSchema?: string): Promise<boolean> {
  const migrations = await new Migrator({ db, provider: new InCodeMigrations(dialect), ...(pgSchema ? { migrationTableSchema: pgSchema } : {}) }).getMigrations();
  return migrations.some((migration) => migration.executedAt === undefined);
}

/** Tries of a migration whose look at the catalog another session's change made fail (see catalogChangedWhileRead). */
const MIGRATION_ATTEMPTS = 8;

/**
 * Whether the migrator's look at the catalog failed because another session changed it
 * meanwhile: Kysely's migrator looks for its own tables among every table of the database,
 * calling `has_schema_privilege` and `pg_get_serial_sequence` by name, and a schema, table or
 * column another session drops between the catalog read and those calls fails the look with
 * "schema … does not exist" (SQLSTATE 3F000), "relation … does not exist" (42P01) or "column …
 * of relation … does not exist" (42703). Trying again reads the catalog as it now is, and goes
 * on from the last migration applied.
 */
export function catalogChangedWhileRead(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return code === '3F000' || code === '42P01' || code === '42703';
}
