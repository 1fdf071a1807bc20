// `tagbase demo`: writes a generated store through the same engine calls the API uses, so the
// demo exercises the real paths. Re-running with the same seed changes nothing (customers
// upsert, events dedupe by id, assignments already in place stay).
import cliProgress from 'cli-progress';
import { TagbaseError } from '../../core/errors.js';
import type { Locale } from '../../core/locale.js';
import { parseTimestamp, type Clock } from '../../core/time.js';
import type { WorkspaceContext } from '../../engine/context.js';
import { upsertCustomers } from '../../engine/customers.js';
import { ingestEvents } from '../../engine/ingest.js';
import { configureModel, refreshModel } from '../../engine/models.js';
import { applyTemplate } from '../../engine/templates.js';
import { assignTag } from '../../engine/tagging.js';
import { ensureWorkspace } from '../../engine/workspaces.js';
import type { Store } from '../../store/connect.js';
import { cliMessages } from '../messages.js';
import { generateDemoStore } from './generate.js';

/** The models a new demo workspace shows in its portraits. */
const DEMO_MODELS = ['rfm', 'lifecycle', 'personas'] as const;

export interface DemoOptions {
  workspace: string;
  customers: number;
  eventsPerCustomer: number;
  seed: number;
  progress: boolean;
  now: Clock;
  /** The language of the progress bar and the summary; the locale settings' when not given. */
  locale?: Locale | undefined;
}

export interface DemoSummary {
  customers: number;
  events: number;
  assignments: number;
  seconds: number;
}

export async function runDemo(store: Store, options: DemoOptions, log: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Promise<DemoSummary> {
  const started = Date.now();
  const say = cliMessages(options.locale);
  const workspaceId = await ensureWorkspace(store, options.workspace, options.workspace === 'demo' ? '演示商城 Demo store' : options.workspace, options.now);
  const context: WorkspaceContext = { store, workspaceId, workspaceKey: options.workspace, actor: 'demo', now: options.now };
  const demo = generateDemoStore({ customers: options.customers, eventsPerCustomer: options.eventsPerCustomer, seed: options.seed, now: options.now() });

  await applyTemplate(context, 'retail');
  // Enabled before the events arrive, so the models follow them in real time as a live store's would.
  for (const model of DEMO_MODELS) await configureModel(context, model, {});

  const expectedEvents = options.customers * options.eventsPerCustomer;
  const bar = options.progress ? new cliProgress.SingleBar({ format: say('demo.progress'), hideCursor: true, stream: process.stderr }, cliProgress.Presets.shades_classic) : undefined;
  bar?.start(options.customers + expectedEvents, 0, { stage: say('demo.stage.customers') });

  let customers = 0;
  for (const batch of demo.customers()) {
    customers += (await upsertCustomers(context, batch)).received;
    bar?.update(customers, { stage: say('demo.stage.customers') });
  }
  let events = 0;
  for (const batch of demo.events()) {
    events += (await ingestEvents(context, batch)).received;
    bar?.setTotal(Math.max(options.customers + events, options.customers + expectedEvents));
    bar?.update(customers + events, { stage: say('demo.stage.events') });
  }
  bar?.stop();

  let assignments = 0;
  for (const batch of demo.assignments()) {
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
  // RFM's thresholds describe the customers: now that they have bought, compute them and apply the levels.
  await refreshModel(context, 'rfm');
  const seconds = (Date.now() - started) / 1000;
  log(say('demo.summary', { workspace: options.workspace, customers, events, assignments, seconds: seconds.toFixed(1) }));
  return { customers, events, assignments, seconds };
}
