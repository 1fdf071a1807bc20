// Customer ids a spreadsheet stripped of their leading zeros: Excel reads 00012 as the number 12,
// and a file re-saved by it names a customer stored as 00012 as 12. An import that finds no
// customer 12 says which stored id it may have meant, rather than only "not found" or creating
// a new customer without a word.
import { IDS_PER_QUERY, chunks } from '../store/chunks.js';
import type { WorkspaceContext } from './context.js';

/** The widest id looked for: Excel keeps 15 digits of a number, and ids are rarely wider. */
const MAX_PADDED_WIDTH = 18;

/** Whether an id is digits alone without a leading zero, as Excel writes a number. */
export function isBareNumber(id: string): boolean {
  return /^[1-9]\d*$/.test(id) && id.length < MAX_PADDED_WIDTH;
}

/**
 * Of `ids`, those that are digits alone (`12`) and for which a customer is stored under the same
 * digits after leading zeros (`00012`), each with that stored id (the shortest, when several
 * are). One indexed lookup of every padding up to MAX_PADDED_WIDTH digits, in batches; the
 * caller passes only ids it found no customer for.
 */
export async function zeroPaddedIds(context: WorkspaceContext, ids: Iterable<string>): Promise<Map<string, string>> {
  const candidates = new Map<string, string>();
  for (const id of new Set(ids)) {
    if (!isBareNumber(id)) continue;
    for (let width = id.length + 1; width <= MAX_PADDED_WIDTH; width++) candidates.set(id.padStart(width, '0'), id);
  }
  const found = new Map<string, string>();
  for (const part of chunks([...candidates.keys()], IDS_PER_QUERY)) {
    const rows = await context.store.db.selectFrom('customers').select('external_id').where('workspace_id', '=', context.workspaceId).where('external_id', 'in', part).execute();
    for (const { external_id: stored } of rows) {
      const id = candidates.get(stored);
      if (id === undefined) continue;
      const earlier = found.get(id);
      if (earlier === undefined || stored.length < earlier.length) found.set(id, stored);
    }
  }
  return found;
}

/**
 * Whether the workspace may hold an id with a leading zero: one indexed look at where such ids
 * sort (from `0` up to `1`; a collation may put a few others there too, which only costs the
 * lookups). Without one, no id of a file can have lost its zeros, and an import of ids of digits
 * (a first import of a million) skips `zeroPaddedIds` altogether.
 */
export async function mayHoldZeroLedIds(context: WorkspaceContext): Promise<boolean> {
  const row = await context.store.db.selectFrom('customers').select('external_id').where('workspace_id', '=', context.workspaceId).where('external_id', '>=', '0').where('external_id', '<', '1').limit(1).executeTakeFirst();
  return row !== undefined;
}
