// The demo store (`tagbase demo`, and the console's "load the demo" for a new installation):
// writes a generated store through the same engine calls the API uses, so the demo exercises
// the real paths. Re-running with the same seed changes nothing (customers upsert, events
// dedupe by id, assignments already in place stay). It fills only a workspace without customers
// or one it filled before (told by its entry in the audit trail): its generated customers are
// C000001, C000002, … and would overwrite a shop's own of those ids. Nor does it start where
// something not its own holds a key or name of what it makes (see obstacles.ts).
import { TagbaseError } from '../../core/errors.js';
import { DAY_MS, parseTimestamp, type Clock } from '../../core/time.js';
import type { Audience } from '../segments.js';
import type { WorkspaceContext } from '../../engine/context.js';
import { whileLoading } from '../workspaces-loading.js';
import { upsertCustomers } from '../../engine/customers.js';
import { ingestEvents } from '../../engine/ingest.js';
import { configureModel, listModels, refreshModel } from '../../engine/models.js';
import { applyTemplate } from '../../engine/templates.js';
import { assignTag } from '../../engine/tagging.js';
import { ensureWorkspace } from '../../engine/workspaces.js';
import { tickWorkspace } from '../../engine/maintenance.js';
import { runCare } from '../../engine/care.js';
import { recordSegmentSizes } from '../../engine/segment-sizes.js';
import { indexAudience } from '../../index/audience.js';
import { IndexRegistry } from '../../index/registry.js';
import type { Store } from '../../store/connect.js';
import { recordAudit, type AuditSource } from '../audit.js';
import { ensureDemoCarePlans } from './care.js';
import { ensureDemoSegments } from './segments.js';
import { generateDemoStore } from './generate.js';
import { assertRoomForDemo, DEMO_AUDIT_ACTION, DEMO_MODELS, filledByDemo } from './obstacles.js';

/**
 * Days before now up to which a new demo store is replayed first (see runDemo). The last three are
 * inside the last quarter, month and week as a segment's sizes count them (`sizes?days=90` is today
 * and the 89 days before it), so that those charts show the day the replay stood still. The first
 * is just before the quarter as a period counts back (the transitions' 近90天 starts 90 days ago):
 * without it, nobody held a level at that period's start, and every customer only entered one.
 */
const DEMO_CHECKPOINT_DAYS = [91, 89, 29, 6] as const;

/**
 * Customers or events the demo writes at once, the event loop let through between two writes: a
 * SQLite write runs without yielding, and a server filling a demo of 20,000 customers in its own
 * batches of thousands answered nothing else, /healthz included, for seconds at a time.
 */
export const DEMO_WRITE_CHUNK = 500;

/** `items` in runs of DEMO_WRITE_CHUNK, each written by `write` once the event loop has had a turn. */
async function writeInChunks<T>(items: readonly T[], write: (chunk: T[]) => Promise<void>): Promise<void> {
  for (let start = 0; start < items.length; start += DEMO_WRITE_CHUNK) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    await write(items.slice(start, start + DEMO_WRITE_CHUNK));
  }
}

/** Days before now the demo's care plans start: the last checkpoint. */
const CARE_PLANS_START_DAYS = DEMO_CHECKPOINT_DAYS.at(-1) ?? 7;

export interface DemoOptions {
  workspace: string;
  customers: number;
  eventsPerCustomer: number;
  seed: number;
  now: Clock;
  /** Told, batch by batch, how far the demo has come. */
  onProgress?: ((progress: DemoProgress) => void) | undefined;
  /** A running server's observer, so that its index follows the demo as it is written. */
  observer?: WorkspaceContext['observer'];
  /** Who matches an expression, for the segments' daily sizes; an index of the store's own when not given. */
  audience?: Audience | undefined;
  /** Who loads it and through which door, for the audit trail: the command line's `cli` unless told. */
  actor?: string | null | undefined;
  source?: AuditSource | undefined;
  /** Stops the demo between two batches (a server shutting down); what was written stays, and a second run fills in the rest. */
  signal?: AbortSignal | undefined;
}

/** Rows written so far out of about `total` (customers and events; the total grows if the events do). */
export interface DemoProgress {
  stage: 'customers' | 'events';
  done: number;
  total: number;
}

export interface DemoSummary {
  customers: number;
  events: number;
  assignments: number;
  seconds: number;
}

export async function runDemo(store: Store, options: DemoOptions): Promise<DemoSummary> {
  const started = Date.now();
  const workspaceId = await ensureWorkspace(store, options.workspace, options.workspace === 'demo' ? '演示商城 Demo store' : options.workspace, options.now);
  return whileLoading(store, workspaceId, () => loadDemo(store, options, workspaceId, started));
}

async function loadDemo(store: Store, options: DemoOptions, workspaceId: number, started: number): Promise<DemoSummary> {
  const context: WorkspaceContext = { store, workspaceId, workspaceKey: options.workspace, actor: 'demo', now: options.now, observer: options.observer };
  const demo = generateDemoStore({ customers: options.customers, eventsPerCustomer: options.eventsPerCustomer, seed: options.seed, now: options.now() });

  // A new demo store is replayed as it would have been lived: up to each checkpoint in the past
  // with the clock standing there, then to now. Its tag history then shows customers moving
  // between RFM levels and lifecycle stages over the last week, month and quarter. A second run
  // only fills in what is missing, at the present.
  const fresh = (await store.db.selectFrom('customers').select('id').where('workspace_id', '=', workspaceId).limit(1).execute()).length === 0;
  const present = options.now().getTime();
  if (!fresh && !(await filledByDemo(store, workspaceId))) throw new TagbaseError('WORKSPACE_NOT_DEMO', { workspace: options.workspace });
  // Before anything is written: a care plan, segment or tag of the demo's key or name that is not
  // the demo's own would stop it halfway, at the same place on every run.
  await assertRoomForDemo(store, workspaceId, options.workspace, options.source ?? 'cli');
  if (fresh) await recordAudit(store.db, { workspaceId, actor: options.actor === undefined ? 'cli' : options.actor, source: options.source ?? 'cli', action: DEMO_AUDIT_ACTION, target: options.workspace, status: null, at: present });
  const checkpoints = fresh ? [...DEMO_CHECKPOINT_DAYS.map((days) => present - days * DAY_MS), present] : [present];
  const at = (instant: number): WorkspaceContext => (instant === present ? context : { ...context, now: () => new Date(instant) });

  const first = at(checkpoints[0] ?? present);
  await applyTemplate(first, 'retail');
  // Enabled before the events arrive, so the models follow them in real time as a live store's would.
  // On a second run, a model the workspace already has keeps the parameters someone chose since.
  const enabled = fresh ? new Set<string>() : new Set((await listModels(first)).filter((model) => model.enabled).map((model) => model.key));
  for (const model of DEMO_MODELS) if (!enabled.has(model)) await configureModel(first, model, {});
  // Saved from the start, each segment gets a size on every day the replay stands still.
  await ensureDemoSegments(first);
  const audience = options.audience ?? indexAudience(new IndexRegistry(store));

  const expectedEvents = options.customers * options.eventsPerCustomer;
  let customers = 0;
  let events = 0;
  let previous = -Infinity;
  const report = (stage: DemoProgress['stage']) => options.onProgress?.({ stage, done: customers + events, total: Math.max(options.customers + events, options.customers + expectedEvents) });
  report('customers');
  for (const checkpoint of checkpoints) {
    const phase = at(checkpoint);
    const last = checkpoint === present;
    const inPhase = (time: number | undefined) => time === undefined || Number.isNaN(time) ? previous === -Infinity : time > previous && (last || time <= checkpoint);
    // Windows moved and rules that read the clock changed while the store stood still.
    if (previous !== -Infinity) await tickWorkspace(phase, { clockRules: true });
    // The care plans start with the last week, so that its orders, coupons and birthdays leave reminders.
    // A run that finishes one stopped midway has no past checkpoints left to replay: its plans start
    // a week ago all the same (plans already there stay as they are).
    if (last) await ensureDemoCarePlans(at(previous !== -Infinity ? previous : present - CARE_PLANS_START_DAYS * DAY_MS));
    for (const batch of demo.customers()) {
      const due = batch.filter((customer) => inPhase(customer.first_seen_at === undefined || customer.first_seen_at === null ? undefined : Date.parse(customer.first_seen_at)));
      options.signal?.throwIfAborted();
      await writeInChunks(due, async (chunk) => {
        const { received } = await upsertCustomers(phase, chunk);
        customers += received;
        report('customers');
      });
      report('customers');
    }
    for (const batch of demo.events()) {
      const due = batch.filter((event) => inPhase(Date.parse(event.occurred_at)));
      options.signal?.throwIfAborted();
      await writeInChunks(due, async (chunk) => {
        const { received } = await ingestEvents(phase, chunk);
        events += received;
        report('events');
      });
      report('events');
    }
    // RFM's thresholds describe the customers: now that they have bought, compute them and apply the levels.
    if (customers > 0) await refreshModel(phase, 'rfm');
    await recordSegmentSizes(phase, audience);
    previous = checkpoint;
  }

  let assignments = 0;
  for (const batch of demo.assignments()) {
    options.signal?.throwIfAborted();
    const groups = new Map<string, { actor: string; source: 'manual' | 'import'; tag: string; value: string; expiresAt: number | undefined; customers: string[] }>();
    for (const row of batch) {
      const key = `${row.actor}\u0000${row.source}\u0000${row.tag}\u0000${row.value}\u0000${row.expires_at ?? ''}`;
      const expiresAt = row.expires_at === undefined ? undefined : parseTimestamp(row.expires_at);
      const group = groups.get(key) ?? { actor: row.actor, source: row.source, tag: row.tag, value: row.value, expiresAt, customers: [] };
      group.customers.push(row.customer_id);
      groups.set(key, group);
    }
    for (const group of groups.values()) {
      const actorContext = { ...context, actor: group.actor };
      const result = await assignTag(actorContext, { tag: group.tag, value: group.value, customers: group.customers, expiresAt: group.expiresAt, source: group.source });
      assignments += result.changed;
    }
  }
  if (customers === 0) throw new TagbaseError('VALIDATION_FAILED', { detail: 'the demo generated no customers' });
  await runCare(context);
  return { customers, events, assignments, seconds: (Date.now() - started) / 1000 };
}
