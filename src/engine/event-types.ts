// The event types a workspace actually receives, read from its latest events: what a care plan
// or a metric can name, with the properties those events carry. A shop's own types
// (`live_room_entered`) are typed by hand, and a type no event has is a plan that never starts.
import { BUILTIN_EVENT_TYPES, SHOP_SENT_EVENT_TYPES } from '../core/event.js';
import { seenValueType, type PickedValueType } from '../core/metric.js';
import { toIso } from '../core/time.js';
import type { WorkspaceContext } from './context.js';

/** How many of the latest events are read: enough to see every type a shop sends in a day, few enough to answer a form at once. */
export const EVENT_TYPE_SAMPLE = 20_000;

/** Property names listed per type, the most frequent first. */
const MAX_LISTED_PROPERTIES = 40;

export interface SeenEventType {
  type: string;
  builtin: boolean;
  /** Events of this type among those read. */
  events: number;
  last_at: string;
  /** The property names those events carry, the most frequent first. */
  properties: string[];
}

export interface SeenEventTypes {
  items: SeenEventType[];
  /** How many events were read: the latest, at most `sample_limit`. */
  sampled: number;
  sample_limit: number;
}

const BUILTIN: ReadonlySet<string> = new Set(BUILTIN_EVENT_TYPES);

export async function seenEventTypes(context: WorkspaceContext, sampleLimit = EVENT_TYPE_SAMPLE): Promise<SeenEventTypes> {
  const rows = await context.store.db
    .selectFrom('events')
    .select(['type', 'occurred_at', 'properties'])
    .where('workspace_id', '=', context.workspaceId)
    .orderBy('id', 'desc')
    .limit(sampleLimit)
    .execute();
  const byType = new Map<string, { events: number; lastAt: number; properties: Map<string, number> }>();
  for (const row of rows) {
    let seen = byType.get(row.type);
    if (!seen) byType.set(row.type, (seen = { events: 0, lastAt: Number(row.occurred_at), properties: new Map() }));
    seen.events++;
    seen.lastAt = Math.max(seen.lastAt, Number(row.occurred_at));
    for (const name of propertyNames(row.properties)) seen.properties.set(name, (seen.properties.get(name) ?? 0) + 1);
  }
  const items = [...byType]
    .map(([type, seen]) => ({
      type,
      builtin: BUILTIN.has(type),
      events: seen.events,
      last_at: toIso(seen.lastAt),
      properties: [...seen.properties]
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .slice(0, MAX_LISTED_PROPERTIES)
        .map(([name]) => name),
    }))
    .sort((a, b) => b.events - a.events || a.type.localeCompare(b.type));
  return { items, sampled: rows.length, sample_limit: sampleLimit };
}

function propertyNames(text: string): string[] {
  try {
    const properties = JSON.parse(text) as unknown;
    return typeof properties === 'object' && properties !== null && !Array.isArray(properties) ? Object.keys(properties) : [];
  } catch {
    return [];
  }
}

/** How many of an event type's latest events are read to find what a property holds. */
export const PROPERTY_TYPE_SAMPLE = 2_000;

/**
 * What `property` (`receiver_city`, `items[].sku`) holds in the latest events of `eventType`, as
 * `seenValueType` reads them; for `*`, of the events a `*` metric reads (what the shop sends left out).
 */
export async function seenPropertyType(context: WorkspaceContext, eventType: string, property: string, sampleLimit = PROPERTY_TYPE_SAMPLE): Promise<PickedValueType> {
  let query = context.store.db.selectFrom('events').select('properties').where('workspace_id', '=', context.workspaceId);
  query = eventType === '*' ? query.where('type', 'not in', SHOP_SENT_EVENT_TYPES) : query.where('type', '=', eventType);
  const rows = await query.orderBy('id', 'desc').limit(sampleLimit).execute();
  return seenValueType(rows.map((row) => row.properties), property);
}
