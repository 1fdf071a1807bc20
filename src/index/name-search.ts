// The customer search's name matching in memory: the distinct names of the index's name column
// with their search keys (src/core/name-search.ts), packed into a few long strings that a query
// is looked for in, so that a search reads each distinct name once and no customer row at all.
import { nameSearchKey, nameSearchTerms, spellingNeedle, splitNameSearchKey } from '../core/name-search.js';
import type { Store } from '../store/connect.js';
import type { DictionaryColumn } from './columns.js';

/** A run of consecutive codes: each code's folded name, then its spellings, packed end to end. */
interface Chunk {
  first: number;
  /** Each folded name followed by a mark it cannot hold, so that a match stays inside one name. */
  names: string;
  /** Where each code's entry in `names` ends (its mark), ascending. */
  nameEnds: Uint32Array;
  /** Each spellings part as stored (it starts with the name's end mark, which no term holds). */
  spellings: string;
  /** Where each code's entry in `spellings` ends, ascending. */
  spellingEnds: Uint32Array;
}

/** Tunables of the table; tests shrink them. */
export const nameSearchSettings = {
  /**
   * Past this many names missing from the table their keys are read from the store: working out
   * a name's pinyin takes ~60 µs, a million names a minute, and each stored key is that work done.
   */
  keysWorkedOut: 2000,
};

/** Chunks past this many are packed into one: each chunk is a string search per query. */
const MAX_CHUNKS = 8;
const NAME_MARK = '\u001f';

export class NameSearchTable {
  private chunks: Chunk[] = [];
  /** Codes below this are in the chunks. */
  private covered = 0;

  constructor(readonly column: DictionaryColumn<string>) {}

  /** Codes of the column not in the table yet: names written since it was last brought up to date. */
  get missing(): number {
    return this.column.valueCount - this.covered;
  }

  /**
   * Takes in the column's codes the table does not hold yet, keyed by `keyOf` (a name's key as
   * stored, or worked out from the name when the store gave none).
   */
  extend(keyOf: (name: string) => string): void {
    const end = this.column.valueCount;
    if (end <= this.covered) return;
    const names: string[] = [];
    const spellings: string[] = [];
    const nameEnds = new Uint32Array(end - this.covered);
    const spellingEnds = new Uint32Array(end - this.covered);
    let namesLength = 0;
    let spellingsLength = 0;
    for (let code = this.covered; code < end; code++) {
      const key = splitNameSearchKey(keyOf(this.column.value(code)));
      names.push(key.folded, NAME_MARK);
      spellings.push(key.spellings);
      namesLength += key.folded.length;
      nameEnds[code - this.covered] = namesLength;
      namesLength += 1;
      spellingsLength += key.spellings.length;
      spellingEnds[code - this.covered] = spellingsLength;
    }
    this.chunks.push({ first: this.covered, names: names.join(''), nameEnds, spellings: spellings.join(''), spellingEnds });
    this.covered = end;
    if (this.chunks.length > MAX_CHUNKS) this.chunks = [packChunks(this.chunks)];
  }

  /**
   * One flag per code of the table: 1 where that name matches `q` as the store's search matches
   * its key (`nameSearchPatterns`): the folded name holds the query, or one of its spellings
   * starts with the query's letters.
   */
  matchingCodes(q: string): Uint8Array {
    const matched = new Uint8Array(this.covered);
    const { inName, spelling } = nameSearchTerms(q);
    for (const chunk of this.chunks) {
      if (inName !== undefined) markEntries(chunk.names, chunk.nameEnds, inName, chunk.first, matched);
      if (spelling !== undefined) markEntries(chunk.spellings, chunk.spellingEnds, spellingNeedle(spelling), chunk.first, matched);
    }
    return matched;
  }

  /** Characters held and offsets: two bytes a character, since names are mostly Han. */
  get bytes(): number {
    let bytes = 0;
    for (const chunk of this.chunks) bytes += (chunk.names.length + chunk.spellings.length) * 2 + chunk.nameEnds.byteLength + chunk.spellingEnds.byteLength;
    return bytes;
  }
}

/** Flags the entry of every occurrence of `needle` in `text`, each entry once. */
function markEntries(text: string, ends: Uint32Array, needle: string, first: number, matched: Uint8Array): void {
  for (let at = text.indexOf(needle); at >= 0; ) {
    const entry = entryAt(ends, at);
    matched[first + entry] = 1;
    // The next occurrence in a later entry: this one is found already.
    at = text.indexOf(needle, (ends[entry] as number) + 1);
  }
}

/** The entry holding position `at`: the first whose end is past it (a match never holds an end mark). */
function entryAt(ends: Uint32Array, at: number): number {
  let lo = 0;
  let hi = ends.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((ends[mid] as number) <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function packChunks(chunks: readonly Chunk[]): Chunk {
  const count = chunks.reduce((sum, chunk) => sum + chunk.nameEnds.length, 0);
  const nameEnds = new Uint32Array(count);
  const spellingEnds = new Uint32Array(count);
  let offset = 0;
  let namesLength = 0;
  let spellingsLength = 0;
  for (const chunk of chunks) {
    for (let k = 0; k < chunk.nameEnds.length; k++) {
      nameEnds[offset + k] = (chunk.nameEnds[k] as number) + namesLength;
      spellingEnds[offset + k] = (chunk.spellingEnds[k] as number) + spellingsLength;
    }
    offset += chunk.nameEnds.length;
    namesLength += chunk.names.length;
    spellingsLength += chunk.spellings.length;
  }
  return { first: chunks[0]?.first ?? 0, names: chunks.map((chunk) => chunk.names).join(''), nameEnds, spellings: chunks.map((chunk) => chunk.spellings).join(''), spellingEnds };
}

/**
 * Brings `table` up to date with its column, with no await: the keys of names written since it
 * was last are worked out as every write of a name works them out, unless `stored` (what
 * `loadNameSearchKeys` read, when `wantsStoredKeys`) holds them.
 */
export function updateNameSearchTable(table: NameSearchTable, stored?: ReadonlyMap<string, string>): void {
  table.extend((name) => stored?.get(name) ?? nameSearchKey(name) ?? '');
}

/** Whether so many names are missing from `table` (a first search) that their keys are better read from the store. */
export function wantsStoredKeys(table: NameSearchTable): boolean {
  return table.missing > nameSearchSettings.keysWorkedOut;
}

/** Each distinct name of the workspace's live customers with its stored key. */
export async function loadNameSearchKeys(store: Store, workspaceId: number): Promise<Map<string, string>> {
  const keys = new Map<string, string>();
  const rows = await store.db
    .selectFrom('customers')
    .select(['name', 'name_search'])
    .where('workspace_id', '=', workspaceId)
    .where('merged_into', 'is', null)
    .where('name_search', 'is not', null)
    .execute();
  for (const row of rows) if (row.name !== null && row.name_search !== null) keys.set(row.name, row.name_search);
  return keys;
}
