// Migration 0038: a `first` or `last` of an event property now records what it holds
// (`valueType` in the formula, src/core/metric.ts). Custom metrics declared before read as a
// number whatever their events held, unless the property was a built-in event type's text
// property: a receiver's city or phone was then taken for no value by the index, SQL and the
// evaluator alike, and could not be compared with text. Each such stored definition gets the type
// that declaring it now would give: the built-in property's, else what the latest events of the
// type hold (`seenValueType`). Where that is text, the metric's type changes, so the workspace
// gets a recompute of everyone's metrics recorded, as declaring a metric does: it stores the
// values as text and applies every rule tag again, and the scheduler's next round (`tagbase
// serve`'s, or `tagbase tick`) takes it up at once (`updated_at` 0). The changed definition also
// changes the catalog's fingerprint, so an index snapshot taken before is rebuilt, not loaded.
import { sql, type Kysely, type Migration } from 'kysely';
import { isBuiltinMetricKey, knownPropertyType, seenValueType, type MetricDefinition, type PickedValueType } from '../core/metric.js';

type AnyDb = Kysely<unknown>;

/** As many of the type's latest events as declaring a metric reads (`PROPERTY_TYPE_SAMPLE`). */
const SAMPLE = 2_000;

/** The token of the recompute it records: no process holds it, so the scheduler takes it up once its lease has passed, at once for `updated_at` 0. */
export const PICKED_METRIC_TYPES_PASS_TOKEN = 'picked-metric-types';

/** The property whose value a stored definition picks without a recorded type; undefined for any other. */
function untypedPick(definition: MetricDefinition): { eventType: string; property: string } | undefined {
  const formula = definition.formula;
  if (formula.kind !== 'aggregate' || (formula.aggregation !== 'first' && formula.aggregation !== 'last')) return undefined;
  if (formula.property === undefined || formula.valueType !== undefined || formula.property.split('[].').some((name) => name.startsWith('@'))) return undefined;
  return { eventType: formula.eventType, property: formula.property };
}

export const pickedMetricTypes: Migration = {
  async up(db: AnyDb) {
    const rows = await sql<{ workspace_id: number; key: string; definition: string }>`select workspace_id, key, definition from metric_definitions order by workspace_id, key`.execute(db);
    const recompute = new Set<number>();
    for (const row of rows.rows) {
      const workspaceId = Number(row.workspace_id);
      // One under a built-in key gives way to the built-in metric (`loadCustomMetrics`): it is never read.
      if (isBuiltinMetricKey(row.key)) continue;
      let definition: MetricDefinition;
      try {
        definition = JSON.parse(row.definition) as MetricDefinition;
      } catch {
        continue;
      }
      const picked = untypedPick(definition);
      if (picked === undefined || definition.formula.kind !== 'aggregate') continue;
      let valueType: PickedValueType | undefined = knownPropertyType(picked.eventType, picked.property);
      if (valueType === undefined) {
        const events =
          picked.eventType === '*'
            ? await sql<{ properties: string }>`select properties from events where workspace_id = ${workspaceId} order by id desc limit ${SAMPLE}`.execute(db)
            : await sql<{ properties: string }>`select properties from events where workspace_id = ${workspaceId} and type = ${picked.eventType} order by id desc limit ${SAMPLE}`.execute(db);
        valueType = seenValueType(events.rows.map((event) => event.properties), picked.property);
        // It read as a number before: text changes its type.
        if (valueType === 'string') recompute.add(workspaceId);
      }
      const typed: MetricDefinition = { ...definition, formula: { ...definition.formula, valueType } };
      await sql`update metric_definitions set definition = ${JSON.stringify(typed)} where workspace_id = ${workspaceId} and key = ${row.key}`.execute(db);
    }
    for (const workspaceId of recompute) {
      await sql`
        insert into rule_passes (workspace_id, tag_id, tag_key, token, after_id, updated_at, done, total, started_at)
        values (${workspaceId}, 0, '@metrics', ${PICKED_METRIC_TYPES_PASS_TOKEN}, 0, 0, 0, 0, 0)
        on conflict (workspace_id, tag_id) do update set token = excluded.token, after_id = 0, updated_at = 0, done = 0, total = 0, started_at = 0
      `.execute(db);
    }
  },
};
