// Migration 0037: a time without an offset in an expression (`last_order_at >= "2026-01-31 08:00"`)
// was read as UTC, and is now read on the workspace's clock, as every time a request sends is
// (`literalInstant` in src/core/expression/time-window.ts). Segments, care plans and the index
// read their expressions anew at each use, but a rule tag's values were applied to customers with
// the old meaning and stay so until each customer next changes. So every active rule tag whose
// conditions hold such a time, or read a saved segment that does (directly or through others),
// in a workspace not at UTC (where both meanings are one), gets a pass over everyone recorded,
// from the start, as a save of the rule does; its `updated_at` of 0 makes the next scheduler round
// (`tagbase serve`'s, or `tagbase tick`) take it up and run it in the background. A pass already
// recorded starts again from the start, since the customers it passed had the old meaning.
import { sql, type Kysely, type Migration } from 'kysely';
import { parseExpression } from '../core/expression/index.js';
import { readWrittenTime } from '../core/time.js';

type AnyDb = Kysely<unknown>;

/** What an expression's text holds that the change concerns; undefined for text that does not parse (it never ran). */
interface Reads {
  zonelessTime: boolean;
  /** The names `segment("…")` gives, key or name. */
  segments: string[];
}

/** A time of day without `Z` or an offset, as the checker binds a timestamp's literal (`readWrittenTime`). */
function isZonelessTime(text: string): boolean {
  const written = readWrittenTime(text);
  return written !== undefined && !written.zoned && !written.dateAlone;
}

/**
 * Read from the syntax tree, without the catalog: any string literal of that form counts, so a
 * text field compared with one (never seen in practice) gets a spare pass, which changes nothing.
 */
export function expressionReads(source: string): Reads | undefined {
  const ast = parseExpression(source).ast;
  if (ast === undefined) return undefined;
  const reads: Reads = { zonelessTime: false, segments: [] };
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    const record = node as Record<string, unknown>;
    if (record.kind === 'string' && typeof record.value === 'string' && isZonelessTime(record.value)) reads.zonelessTime = true;
    if (record.kind === 'segment') {
      const named = record.segment as { value?: unknown } | undefined;
      if (typeof named?.value === 'string') reads.segments.push(named.value);
    }
    for (const [key, value] of Object.entries(record)) if (key !== 'span') visit(value);
  };
  visit(ast);
  return reads;
}

/** The rule tags (by id, with their keys) of one workspace whose meaning the change moves. */
export function rulesToPass(segments: readonly { key: string; name: string; expression: string }[], conditions: readonly { tagId: number; tagKey: string; condition: string }[]): Map<number, string> {
  const segmentReads = new Map<string, Reads | undefined>(segments.map((segment) => [segment.key, expressionReads(segment.expression)]));
  // `segment("…")` names a segment by key or by name, as the catalog looks it up.
  const byName = new Map<string, string>();
  for (const segment of segments) byName.set(segment.name, segment.key);
  for (const segment of segments) byName.set(segment.key, segment.key);
  const moved = new Set([...segmentReads].filter(([, reads]) => reads?.zonelessTime === true).map(([key]) => key));
  const readsMoved = (reads: Reads | undefined) => reads !== undefined && (reads.zonelessTime || reads.segments.some((name) => moved.has(byName.get(name) ?? '')));
  for (let grew = true; grew; ) {
    grew = false;
    for (const [key, reads] of segmentReads) {
      if (moved.has(key) || !readsMoved(reads)) continue;
      moved.add(key);
      grew = true;
    }
  }
  const tags = new Map<number, string>();
  for (const { tagId, tagKey, condition } of conditions) if (readsMoved(expressionReads(condition))) tags.set(tagId, tagKey);
  return tags;
}

/** The token of the passes it records: no process holds it, so the scheduler takes them up once their lease has passed, at once for `updated_at` 0. */
export const ZONELESS_TIME_PASS_TOKEN = 'zoneless-time-literals';

export const zonelessTimeLiterals: Migration = {
  async up(db: AnyDb) {
    const workspaces = await sql<{ id: number }>`select id from workspaces where utc_offset_minutes <> 0 order by id`.execute(db);
    for (const { id } of workspaces.rows) {
      const workspaceId = Number(id);
      const conditions = await sql<{ tag_id: number; tag_key: string; condition: string }>`
        select t.id as tag_id, t.key as tag_key, v.condition as condition from tags t join tag_values v on v.tag_id = t.id
        where t.workspace_id = ${workspaceId} and t.kind in ('rule', 'model') and t.status = 'active' and v.condition is not null
      `.execute(db);
      if (conditions.rows.length === 0) continue;
      const segments = await sql<{ key: string; name: string; expression: string }>`select key, name, expression from segments where workspace_id = ${workspaceId}`.execute(db);
      const tags = rulesToPass(
        segments.rows,
        conditions.rows.map((row) => ({ tagId: Number(row.tag_id), tagKey: row.tag_key, condition: row.condition })),
      );
      for (const [tagId, tagKey] of tags) {
        await sql`
          insert into rule_passes (workspace_id, tag_id, tag_key, token, after_id, updated_at, done, total, started_at)
          values (${workspaceId}, ${tagId}, ${tagKey}, ${ZONELESS_TIME_PASS_TOKEN}, 0, 0, 0, 0, 0)
          on conflict (workspace_id, tag_id) do update set token = excluded.token, after_id = 0, updated_at = 0, done = 0, total = 0, started_at = 0
        `.execute(db);
      }
    }
  },
};
