// The database as a TypeScript type: Kysely checks every query against it. One schema
// for SQLite and PostgreSQL: instants are epoch milliseconds, JSON is text, booleans are 0/1.
import type { ColumnType, Generated } from 'kysely';

export interface WorkspaceTable {
  id: Generated<number>;
  key: string;
  name: string;
  created_at: number;
  /** The merchant's time zone as an offset from UTC: what "today" and hour bands mean. */
  utc_offset_minutes: Generated<number>;
  /** While a long job fills the workspace (the demo store), until when its loader holds it, in wall-clock ms; null otherwise. */
  loading_until: number | null;
  /**
   * While the workspace is being deleted, batch after batch: JSON of who asked, when, what it
   * held and how far the deletion is (`WorkspaceDeletionState`); null otherwise.
   */
  deleting: string | null;
}

export interface FieldDefinitionTable {
  workspace_id: number;
  key: string;
  name: string;
  type: string;
  /** JSON array of allowed values, for enum fields. */
  options: string;
  created_at: number;
}

export interface CustomerTable {
  id: Generated<number>;
  workspace_id: number;
  external_id: string;
  name: string | null;
  /**
   * What the name is found by (`nameSearchKey` in src/core/name-search.ts), written with the name
   * by every write of it. Null for no name, and for a name kept from before keys were until a
   * scheduler round gives it one (src/engine/name-search-fill.ts); a search reads such a name.
   */
  name_search: string | null;
  type: string | null;
  gender: string | null;
  birthday: string | null;
  city: string | null;
  region: string | null;
  occupation: string | null;
  member_level: string | null;
  source_channel: string | null;
  first_seen_at: number | null;
  /** JSON object of custom field values. */
  custom: string;
  /** Set when this customer was merged into another; the row stays so its id keeps resolving. */
  merged_into: number | null;
  created_at: number;
  updated_at: number;
}

export interface IdentityTable {
  workspace_id: number;
  kind: string;
  value: string;
  customer_id: number;
}

export interface EventTable {
  id: Generated<number>;
  workspace_id: number;
  /** The client's event id, unique in a workspace: what makes ingest idempotent. */
  event_key: string;
  customer_id: number;
  type: string;
  occurred_at: number;
  received_at: number;
  properties: string;
}

export interface TagGroupTable {
  id: Generated<number>;
  workspace_id: number;
  key: string;
  name: string;
  description: string | null;
  sort_order: number;
}

export interface TagTable {
  id: Generated<number>;
  workspace_id: number;
  key: string;
  name: string;
  description: string | null;
  color: string | null;
  group_id: number | null;
  scope: string;
  /** Owner of a personal tag; '' for enterprise tags, so that (workspace, owner, key) is unique. */
  owner: string;
  cardinality: string;
  ordered: number;
  default_expiry_days: number | null;
  kind: string;
  status: string;
  /** For a model's tag, the model's key (the tag's own key may differ). */
  model_key: string | null;
  created_at: number;
  updated_at: number;
}

export interface TagValueTable {
  id: Generated<number>;
  workspace_id: number;
  tag_id: number;
  key: string;
  name: string;
  color: string | null;
  description: string | null;
  sort_order: number;
  /** For rule tags: the expression a customer must match to hold this value. */
  condition: string | null;
}

export interface AssignmentTable {
  workspace_id: number;
  customer_id: number;
  tag_id: number;
  value_id: number;
  source: string;
  actor: string;
  assigned_at: number;
  expires_at: number | null;
}

/** A bulk tagging operation and what it changed, kept `UNDO_DAYS` to be undone (src/engine/tagging-operations.ts). */
export interface TaggingOperationTable {
  id: Generated<number>;
  workspace_id: number;
  tag_id: number;
  /** `assign` or `remove`. */
  action: string;
  /** The value assigned or removed; null for a removal of every value. */
  value_id: number | null;
  source: string;
  actor: string;
  at: number;
  /** Customers it changed. */
  customers: number;
  /** JSON: per changed customer, their assignments of the tag before and after. */
  states: string;
  undone_at: number | null;
  undone_by: string | null;
  undone_customers: number | null;
}

export interface TagHistoryTable {
  id: Generated<number>;
  workspace_id: number;
  customer_id: number;
  tag_id: number;
  value_id: number;
  previous_value_id: number | null;
  action: string;
  /** `name: value` when the change happened, so history stays readable after a value is removed. */
  label: string;
  source: string;
  actor: string;
  at: number;
  expires_at: number | null;
  /** The id of the record a merge dropped this copy of the value from (`action` remove); null otherwise. */
  merged_from: string | null;
  /**
   * On a merge's removal of the merged record's value (source `merge`, under the merged record):
   * the id of the record it went into. Null otherwise.
   */
  merged_into: string | null;
  /**
   * The external id of the record the change was made to, once a merge moved it to the record
   * that one went into (webhooks post it as made); null while it is under that record.
   */
  recorded_for: string | null;
  /**
   * Of a change an undo of a bulk tagging wrote, the operation it undid; null otherwise. Care plans
   * read past such changes: an undo puts back what was before, it is no gain or loss to react to.
   * The changes of rule tags that followed the undo, in its transaction, name it too.
   */
  undone_operation: number | null;
  /**
   * Of a rule tag's change that followed a bulk tagging, in its transaction, that operation; null
   * otherwise. Undoing the operation withdraws the care reminders such a change started.
   */
  caused_by_operation: number | null;
}

export interface CustomerMergeTable {
  id: Generated<number>;
  workspace_id: number;
  survivor_id: number;
  merged_id: number;
  merged_external_id: string;
  actor: string;
  at: number;
  /** JSON summary: how many identities, events, assignments and history rows moved. */
  details: string;
}

export interface MetricDefinitionTable {
  workspace_id: number;
  key: string;
  name: string;
  description: string | null;
  /** JSON of the MetricDefinition (aggregation, event type, property, filter, window). */
  definition: string;
  created_at: number;
}

/** One row per customer: every metric value as JSON, and when they next change by time alone. */
export interface CustomerMetricTable {
  customer_id: number;
  workspace_id: number;
  /** JSON object metric key → number (timestamps as epoch ms) or string; absent means no value. */
  metric_values: string;
  computed_at: number;
  /** When a windowed or clock-derived metric of this customer next changes; null when never. */
  valid_until: number | null;
}

export interface SegmentTable {
  id: Generated<number>;
  workspace_id: number;
  key: string;
  name: string;
  description: string | null;
  expression: string;
  /**
   * How whoever last wrote the expression saw personal data: `full` or `masked`; null for one
   * written before it was recorded, read as masked (see `maskedAsk`, src/core/masked-asks.ts).
   */
  expression_view: string | null;
  created_at: number;
  updated_at: number;
}

export interface SegmentSnapshotTable {
  id: Generated<number>;
  workspace_id: number;
  segment_id: number;
  expression: string;
  /** JSON: the saved segments the expression read, as they were defined when it was taken; null on older snapshots. */
  segments: string | null;
  member_count: number;
  taken_at: number;
  actor: string;
}

/** A saved segment's size on one day of the workspace's calendar, recorded once that day. */
export interface SegmentSizeTable {
  workspace_id: number;
  segment_id: number;
  /** YYYY-MM-DD in the workspace's UTC offset. */
  day: string;
  members: number;
  population: number;
  recorded_at: number;
}

export type JournalStatus = 'pending' | 'applying' | 'applied' | 'failed';

export interface EventJournalTable {
  id: Generated<number>;
  workspace_id: number;
  actor: string | null;
  received_at: number;
  /** Events the request carried, counted before validation. */
  received: number;
  /** Events to apply (the batch's valid events without its own repeats). */
  event_count: number;
  /** The validated events as JSON; null once applied. */
  events: string | null;
  status: JournalStatus;
  attempts: Generated<number>;
  /** A pending batch that failed is tried again from this instant on. */
  retry_at: number | null;
  /** The counts of the applied batch, as `POST /events` answers them (JSON). */
  result: string | null;
  error: string | null;
  applied_at: number | null;
  /** When the batch was set aside as failed; its 30 days of keeping count from then. */
  failed_at: number | null;
  /** The client's `Idempotency-Key`, when the request carried one. */
  idempotency_key: string | null;
  /** SHA-256 of the request's events as sent, to tell a repeat from another request under the same key. */
  request_digest: string | null;
}

export interface SegmentSnapshotMemberTable {
  snapshot_id: number;
  customer_id: number;
}

/**
 * `customers`: these customers' derived state moved; `catalog`: what indexes are built from may
 * have changed, so they rebuild; `library`: tag definitions changed, which compiled catalogs
 * must reload but no index depends on; `tag_deleted`: a tag nobody held was deleted, which
 * indexes drop without a rebuild.
 */
export type ChangeKind = 'customers' | 'catalog' | 'library' | 'tag_deleted';

/** One committed change: customers whose derived state moved, or a catalog change (tags, fields, metrics). */
export interface ChangeTable {
  id: Generated<number>;
  workspace_id: number;
  kind: ChangeKind;
  /** JSON array of internal customer ids, for `customers`; for `tag_deleted`, the tag's id and then its values' ids. */
  customer_ids: string | null;
  at: number;
}

export interface ModelTable {
  workspace_id: number;
  key: string;
  /** JSON of the model's parameters, defaults filled in. */
  params: string;
  /** JSON of the thresholds computed from the data (RFM), with the population they describe. */
  thresholds: string | null;
  thresholds_at: number | null;
  created_at: number;
  updated_at: number;
}

/**
 * A rule tag being applied to everyone, batch by batch: how far it got, so that a pass cut
 * short by a crash is finished by the scheduler. `token` names the run that owns it; saving the
 * rule again starts a new run and the old one stops at its next batch.
 */
export interface RulePassTable {
  workspace_id: number;
  /** The tag whose rule is applied (personal tags of two staff members may share a key); 0 for the recompute of everyone's metrics. */
  tag_id: number;
  /** The tag's key when the pass was recorded (`@metrics` for the recompute), as messages name it. */
  tag_key: string;
  token: string;
  /** Customers up to this id are done. */
  after_id: number;
  /** The owner's last batch; a pass silent for longer than the lease is taken over. */
  updated_at: number;
  /** Customers evaluated so far, of `total` (0 until the first batch has counted them). */
  done: ColumnType<number, number | undefined, number>;
  total: ColumnType<number, number | undefined, number>;
  /** When the rule was saved. */
  started_at: ColumnType<number, number | undefined, number>;
}

/** The latest snapshot of a workspace's index: what it reflects and how to check its parts. */
export interface IndexSnapshotTable {
  workspace_id: number;
  /** Names the parts of this snapshot; parts of any other version are leftovers. */
  version: string;
  /** The change log id the snapshot reflects: entries after it are read on load. */
  position: number;
  /** When the log was last read for `position`; past the log's retention the snapshot is not used. */
  polled_at: number;
  /** Hash of the catalog and the payload format the snapshot was taken with. */
  fingerprint: string;
  /** CRC-32 of the payload's parts (see `checksumOf` in src/index/snapshot.ts). */
  checksum: string;
  bytes: number;
  parts: number;
  created_at: number;
}

export interface IndexSnapshotPartTable {
  workspace_id: number;
  version: string;
  part: number;
  data: Buffer;
}

export interface CustomerErasureTable {
  id: Generated<number>;
  workspace_id: number;
  /** SHA-256 of the erased customer's id, hex (see `customerDigest`). */
  customer_digest: string;
  actor: string;
  at: number;
  /** JSON summary: how many records, identities, events, assignments and history rows went. */
  details: string;
}

export interface ExportLogTable {
  id: Generated<number>;
  workspace_id: number;
  actor: string;
  at: number;
  /** What was exported: `expression`, `segment` or `snapshot`. */
  source: string;
  /** The expression, the segment's key, or `segment#snapshot`. */
  target: string;
  format: string;
  rows: number;
  /** Metric keys exported beside the fields, comma-separated. */
  metrics: string;
  /** The customers' fields exported beside the fixed columns (`fields=`), comma-separated; '' for none. */
  fields: ColumnType<string, string | undefined, string>;
  /** `in_progress` until it ends, then `completed` or `stopped` (ExportStatus). */
  status: ColumnType<string, string | undefined, string>;
  /** When it ended; null while in progress, and for exports logged before this was kept. */
  finished_at: number | null;
}

export interface WebhookTable {
  id: Generated<number>;
  workspace_id: number;
  url: string;
  /** The HMAC-SHA256 key the deliveries are signed with. */
  secret: string;
  /** JSON array of the tag keys delivered; empty for every shared tag. */
  tags: string;
  /** The last tag history id delivered (or passed over). */
  cursor: number;
  /** JSON array of what the webhook posts: `tag_changes`, `care_reminders`. */
  topics: Generated<string>;
  /** The last care_due_log id delivered (or passed over). */
  care_cursor: Generated<number>;
  /** JSON array of the ids of the saved segments whose changes are delivered; empty for every one. */
  segments: Generated<string>;
  /** The last segment_changes_log id delivered (or passed over). */
  segment_cursor: Generated<number>;
  /** The last customer_changes_log id delivered (or passed over). */
  customer_cursor: Generated<number>;
  /** Failed attempts in a row since the last delivery. */
  failures: number;
  next_attempt_at: number;
  /** The process holding the claim to post (a pass holder token) until `next_attempt_at`; null when none does. */
  claimed_by: string | null;
  last_error: string | null;
  last_delivered_at: number | null;
  /** When it was paused (by hand, or by itself after failing for days); null while it posts. A paused webhook keeps its cursors. */
  paused_at: number | null;
  paused_by: string | null;
  /** Why it is paused: `failing` when it paused itself after failing for days; null by hand. */
  paused_reason: string | null;
  /** When the failures in a row began (its first failed post since the last delivered); null while it is not failing. */
  failing_since: number | null;
  actor: string;
  created_at: number;
}

export interface AccessTokenTable {
  id: Generated<number>;
  /** Who acts with it: the name the tag history and the export log record. */
  name: string;
  role: string;
  /** SHA-256 of the token, hex; the token itself is shown once and never stored. */
  token_hash: string;
  /** JSON array of the workspace keys it may act in; null for every workspace. */
  workspaces: string | null;
  created_at: number;
  /** After this the token is refused; it still asks for tokens until it is revoked. */
  expires_at: number | null;
  /** Written at most once a minute per token, not per request. */
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  workspace_id: number | null;
  actor: string | null;
  /** `api` or `cli`. */
  source: string;
  action: string;
  target: string;
  status: number | null;
  at: number;
}

/** A care plan: a trigger, an optional condition and the steps it reminds of. */
export interface CarePlanTable {
  id: Generated<number>;
  workspace_id: number;
  key: string;
  name: string;
  description: string | null;
  /** JSON: the trigger as the API takes it. */
  trigger: string;
  condition: string | null;
  /** JSON: the cancel rule, or null. */
  cancel_on: string | null;
  /** JSON: hours in which nothing falls due, or null. */
  quiet_hours: string | null;
  /** JSON array of steps. */
  steps: string;
  enabled: number;
  /** The last event id (event triggers) or tag history id (tag triggers) read. */
  cursor: number;
  /** Birthday triggers: the last local day whose greetings were scheduled. */
  last_day: number | null;
  actor: string;
  created_at: number;
  updated_at: number;
}

/** One step of a plan for one customer: scheduled, then due (or skipped), then done or dismissed. */
export interface CareReminderTable {
  id: Generated<number>;
  workspace_id: number;
  plan_id: number;
  /** The step's position in the plan, from 0. */
  step: number;
  customer_id: number;
  trigger_at: number;
  due_at: number;
  status: string;
  /** The step's message as it was when scheduled, rendered when due. */
  template: string;
  /** The step's own condition as it was when scheduled, checked when due. */
  condition: string | null;
  /** JSON: the trigger event's properties the plan reads. */
  trigger_data: string;
  message: string | null;
  reason: string | null;
  resolved_by: string | null;
  resolved_at: number | null;
  created_at: number;
}

/** Reminders in the order they fell due: the outbox webhooks read care reminders from. */
/** Customers merged away or erased, as webhooks with the `customer_changes` topic post them; dropped once every such webhook has them. */
export interface CustomerChangesLogTable {
  id: Generated<number>;
  workspace_id: number;
  /** `merged` or `erased`. */
  change: string;
  /** The external id of the record merged away or erased (kept only until delivered). */
  customer_id: string;
  /** Of a merge, the external id of the record it went into; null otherwise. */
  into_id: string | null;
  at: number;
}

export interface CareDueLogTable {
  id: Generated<number>;
  workspace_id: number;
  reminder_id: number;
}

/** A watched segment's members when last looked at (see src/engine/segment-watch.ts). */
export interface SegmentMembersSeenTable {
  segment_id: number;
  workspace_id: number;
  /** The members' internal ids, serialised by the audience that looked (a roaring bitmap). */
  members: Buffer;
  member_count: number;
  /** The change log position the looking index had read up to: a process behind it does not overwrite. */
  position: number;
  seen_at: number;
}

/** Customers entering and leaving watched segments, in commit order: the outbox of the `segment_changes` webhook topic. */
export interface SegmentChangesLogTable {
  id: Generated<number>;
  workspace_id: number;
  segment_id: number;
  /** The segment's key when the change was seen, so a change outlives the segment's deletion. */
  segment_key: string;
  customer_id: number;
  /** 1 entered, 0 left. */
  entered: number;
  at: number;
}

/** One post to a webhook (a delivery or a test) and how its receiver answered; the last 100 per webhook are kept. */
export interface WebhookDeliveryTable {
  id: Generated<number>;
  workspace_id: number;
  webhook_id: number;
  /** `tag_changes`, `segment_changes`, `care_reminders` or `test`. */
  topic: string;
  /** Changes or reminders in the post. */
  items: number;
  /** The ids of the first and last change or reminder posted; null for a test. */
  first_id: number | null;
  last_id: number | null;
  /** The receiver's HTTP status; null when it could not be reached or did not answer in time. */
  status: number | null;
  /** What went wrong; null when the receiver answered 2xx. */
  error: string | null;
  took_ms: number;
  at: number;
}

export interface Database {
  workspaces: WorkspaceTable;
  field_definitions: FieldDefinitionTable;
  customers: CustomerTable;
  identities: IdentityTable;
  events: EventTable;
  tag_groups: TagGroupTable;
  tags: TagTable;
  tag_values: TagValueTable;
  assignments: AssignmentTable;
  tag_history: TagHistoryTable;
  tagging_operations: TaggingOperationTable;
  customer_merges: CustomerMergeTable;
  customer_erasures: CustomerErasureTable;
  export_log: ExportLogTable;
  webhooks: WebhookTable;
  webhook_deliveries: WebhookDeliveryTable;
  segment_members_seen: SegmentMembersSeenTable;
  segment_changes_log: SegmentChangesLogTable;
  access_tokens: AccessTokenTable;
  audit_log: AuditLogTable;
  metric_definitions: MetricDefinitionTable;
  customer_metrics: CustomerMetricTable;
  segments: SegmentTable;
  segment_snapshots: SegmentSnapshotTable;
  segment_snapshot_members: SegmentSnapshotMemberTable;
  segment_sizes: SegmentSizeTable;
  event_journal: EventJournalTable;
  changes: ChangeTable;
  models: ModelTable;
  index_snapshots: IndexSnapshotTable;
  index_snapshot_parts: IndexSnapshotPartTable;
  rule_passes: RulePassTable;
  care_plans: CarePlanTable;
  care_reminders: CareReminderTable;
  care_due_log: CareDueLogTable;
  customer_changes_log: CustomerChangesLogTable;
}
