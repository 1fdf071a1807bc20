// The customer search's name matching in memory: the distinct names of the index's name column
// with their search keys (src/core/name-search.ts), packed into a few long strings that a query
// is looked for in, so that a search reads each distinct name once and no customer row at all.
// The keys come with the customers the index reads (a build's pages, a refresh's rows) and with
// its snapshot, so that no search reads them from the store.
import { foldName, nameSearchKey, nameSearchTerms, spelledNameSearchKey } from '../core/name-search.js';
import type { DictionaryColumn } from './columns.js';
import { SnapshotError, type SnapshotReader, type SnapshotWriter } from './snapshot-format.js';

/** A run of consecutive codes: each code's folded name, then its spellings, packed end to end. */
interface Chunk {
  first: number;
  /** Each folded name followed by a mark it cannot hold, so that a match stays inside one name. */
  names: string;
  /** Where each code's entry in `names` ends (its mark), ascending. */
  nameEnds: Uint32Array;
  /** Each name's spellings, each after a space (`spelledNameSearchKey`): a term is looked for after one. */
  spellings: string;
  /** Where each code's entry in `spellings` ends, ascending. */
  spellingEnds: Uint32Array;
}

/** Chunks past this many are packed into one: each chunk is a string search per query. */
const MAX_CHUNKS = 8;
const NAME_MARK = '\u001f';

export class NameSearchTable {
  private chunks: Chunk[] = [];
  /** Codes below this are in the chunks. */
  private covered = 0;
  /** Names keyed by working their key out, the store having given none: an index counter for tests and stats. */
  workedOut = 0;

  constructor(readonly column: DictionaryColumn<string>) {}

  /** Codes of the column not in the table yet: names written since it was last brought up to date. */
  get missing(): number {
    return this.column.valueCount - this.covered;
  }

  /**
   * Takes in the column's codes the table does not hold yet, keyed by `keyOf` (a name's key as
   * stored, or worked out from the name when the store gave none, as `spelledNameSearchKey` gives it).
   */
  extend(keyOf: (code: number, name: string) => { folded: string; spelled: string }): void {
    const end = this.column.valueCount;
    if (end <= this.covered) return;
    const names: string[] = [];
    const spellings: string[] = [];
    const nameEnds = new Uint32Array(end - this.covered);
    const spellingEnds = new Uint32Array(end - this.covered);
    let namesLength = 0;
    let spellingsLength = 0;
    for (let code = this.covered; code < end; code++) {
      const key = keyOf(code, this.column.value(code));
      names.push(key.folded, NAME_MARK);
      spellings.push(key.spelled);
      namesLength += key.folded.length;
      nameEnds[code - this.covered] = namesLength;
      namesLength += 1;
      spellingsLength += key.spelled.length;
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
      if (spelling !== undefined) markEntries(chunk.spellings, chunk.spellingEnds, ` ${spelling}`, chunk.first, matched);
    }
    return matched;
  }

  /**
   * Writes the entries of the codes flagged in `held` (every code when undefined), in code order:
   * the table of the column `compacted()` gives, which is what a snapshot stores. The table
   * must hold every code of its column (`updateNameSearchTable`).
   */
  writeSnapshot(out: SnapshotWriter, held: Uint8Array | undefined): void {
    if (this.covered !== this.column.valueCount) throw new Error('the name table is behind its column');
    const chunk = this.chunks.length === 1 && held === undefined ? this.chunks[0] : this.chunks.length === 0 ? undefined : packChunks(this.chunks, held);
    out.u32(chunk?.nameEnds.length ?? 0);
    out.string(chunk?.names ?? '');
    out.array(chunk?.nameEnds ?? new Uint32Array(0));
    out.string(chunk?.spellings ?? '');
    out.array(chunk?.spellingEnds ?? new Uint32Array(0));
  }

  /** The table `writeSnapshot` wrote for `column` (read from the same snapshot); throws unless it holds every code. */
  static readSnapshot(column: DictionaryColumn<string>, input: SnapshotReader): NameSearchTable {
    const count = input.count(8);
    const chunk: Chunk = { first: 0, names: input.string(), nameEnds: input.uint32(), spellings: input.string(), spellingEnds: input.uint32() };
    if (count !== column.valueCount || chunk.nameEnds.length !== count || chunk.spellingEnds.length !== count) throw new SnapshotError(`${count} names in the search table, ${column.valueCount} in the name column`);
    if (!ascendingWithin(chunk.nameEnds, chunk.names.length) || !ascendingWithin(chunk.spellingEnds, chunk.spellings.length)) throw new SnapshotError('the name search table does not read back whole');
    const table = new NameSearchTable(column);
    if (count > 0) table.chunks = [chunk];
    table.covered = count;
    return table;
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
    // The next occurrence in a later entry (a spellings entry starts right at the previous one's end): this one is found already.
    at = text.indexOf(needle, ends[entry] as number);
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

/** Ends that never go back and stay within a text of `length` characters. */
function ascendingWithin(ends: Uint32Array, length: number): boolean {
  let previous = 0;
  for (const end of ends) {
    if (end < previous || end > length) return false;
    previous = end;
  }
  return true;
}

/** The chunks as one, keeping only the codes flagged in `held` (all when undefined), renumbered from 0 in order. */
function packChunks(chunks: readonly Chunk[], held?: Uint8Array): Chunk {
  const names: string[] = [];
  const spellings: string[] = [];
  const nameEnds: number[] = [];
  const spellingEnds: number[] = [];
  let namesLength = 0;
  let spellingsLength = 0;
  for (const chunk of chunks) {
    if (held === undefined) {
      // Whole chunks: their texts as they are, their ends moved along.
      names.push(chunk.names);
      spellings.push(chunk.spellings);
      for (const end of chunk.nameEnds) nameEnds.push(end + namesLength);
      for (const end of chunk.spellingEnds) spellingEnds.push(end + spellingsLength);
      namesLength += chunk.names.length;
      spellingsLength += chunk.spellings.length;
      continue;
    }
    for (let k = 0; k < chunk.nameEnds.length; k++) {
      if (held[chunk.first + k] !== 1) continue;
      // An entry's name runs from past the previous one's mark to its own end; its spellings from the previous end.
      const nameStart = k === 0 ? 0 : (chunk.nameEnds[k - 1] as number) + 1;
      const nameEnd = chunk.nameEnds[k] as number;
      const spellingStart = k === 0 ? 0 : (chunk.spellingEnds[k - 1] as number);
      const spellingEnd = chunk.spellingEnds[k] as number;
      names.push(chunk.names.slice(nameStart, nameEnd + 1));
      spellings.push(chunk.spellings.slice(spellingStart, spellingEnd));
      namesLength += nameEnd - nameStart;
      nameEnds.push(namesLength);
      namesLength += 1;
      spellingsLength += spellingEnd - spellingStart;
      spellingEnds.push(spellingsLength);
    }
  }
  return { first: chunks[0]?.first ?? 0, names: names.join(''), nameEnds: Uint32Array.from(nameEnds), spellings: spellings.join(''), spellingEnds: Uint32Array.from(spellingEnds) };
}

/**
 * Brings `table` up to date with its column, with no await: each name missing from it is keyed
 * by `known` (by code, the spellings of the keys the store gave with the customers the index read, as
 * `spelledNameSearchKey` gives them; the folded name is worked out again, as the key was made)
 * or else worked out, as every write of a name works it out (~60 µs: only a name the store holds
 * no key for yet).
 */
export function updateNameSearchTable(table: NameSearchTable, known?: readonly (string | undefined)[]): void {
  table.extend((code, name) => {
    const spelled = known?.[code];
    if (spelled !== undefined) return { folded: foldName(name), spelled };
    table.workedOut++;
    return spelledNameSearchKey(nameSearchKey(name) ?? '');
  });
}
