// The in-memory index of one workspace: a bitmap of live customers, one bitmap per tag value
// and per tag, and columns for every field and metric. Customers are keyed by the store's
// own customers.id: those ids are small integers handed out densely by the store, so they
// serve directly as bitmap members and typed-array offsets, with no mapping table to keep in
// step (a workspace that shares the store only leaves gaps in its arrays).
import type { AttributeType, BoundAttributeRef, BoundExpression } from '../core/expression/index.js';
import { systemClock } from '../core/time.js';
import { REACHABILITY_FIELDS, isComputedField, isReachabilityField } from '../core/customer.js';
import { randomBucket } from '../core/random-bucket.js';
import { BUILTIN_METRICS } from '../core/metric.js';
import { BUILTIN_FIELD_ATTRIBUTES, customFieldAttribute, loadCustomMetrics, metricAttribute } from '../engine/catalog.js';
import { BUILTIN_FIELD_COLUMNS, isBuiltinField } from '../store/customer-fields.js';
import type { WorkspaceContext } from '../engine/context.js';
import { listCustomFields } from '../engine/fields.js';
import type { MemberSort, MetricTotal } from '../engine/segments.js';
import { NO_QUANTILES, quantileRanks, quantilesAt } from '../core/quantiles.js';
import type { Store } from '../store/connect.js';
import { NAME_SPELLINGS_AT, buildSettings, loadCustomers, loadWorkspacePages, type LoadedCustomer, type WorkspacePage } from './build.js';
import { FlatJsonReader, MEMBER_FALSE, MEMBER_NUMBER, MEMBER_STRING, MEMBER_TRUE } from './flat-json.js';
import { AttributeColumns, DictionaryColumn, NUMBER_ENCODINGS, NumberColumn, numberArrayMaker, numberMissing, storedBitmap, storedBitmaps, type DictionaryValue, type NumberData, type NumberEncoding } from './columns.js';
import { BlockedNumbers, type NumberBlock, type RawArray } from './number-blocks.js';
import { countPlan, runPlan, type PlanOptions, type PlanSource } from './plan.js';
import { Bitmap, bitmapBytes } from './roaring.js';
import { SnapshotError, type SnapshotReader, type SnapshotWriter } from './snapshot-format.js';
import { StringPool } from './string-pool.js';
import { NameSearchTable, updateNameSearchTable } from './name-search.js';
import { sortedPage } from './sorted-page.js';

export type EvaluateOptions = PlanOptions;

/** What a refresh's phases took, in ms: loading its customers, their values into the columns, the bitmaps brought in step. */
export interface RefreshPhases {
  loadMs: number;
  columnsMs: number;
  bitmapsMs: number;
}

export interface WorkspaceIndexStats {
  workspaceId: number;
  customers: number;
  bitmaps: number;
  /** Bitmaps in CRoaring's serialised size plus typed arrays and dictionary strings: an estimate. */
  bytes: number;
  /** Time to build it from the store, or to load it from a snapshot. */
  buildMs: number;
  origin: 'build' | 'snapshot';
}

interface TagEntry {
  /** Everyone holding any value of the tag. */
  union: Bitmap;
  /** Every value id ever assigned, to tell whether the union may hold values a catalog no longer lists. */
  values: Set<number>;
}

function attributeKey(source: 'field' | 'metric', key: string): string {
  return `${source}\u0000${key}`;
}

const NAME_ATTRIBUTE = attributeKey('field', 'name');
/** Where `name` is among the built-in columns a build reads. */
const NAME_BUILTIN = Object.keys(BUILTIN_FIELD_COLUMNS).indexOf('name');
/** Past this many names not yet in the table, a refresh takes them in (see `nameSpellings`). */
const NAME_KEYS_PENDING = 2_000;

export class WorkspaceIndex {
  readonly all = storedBitmap();
  buildMs = 0;
  origin: 'build' | 'snapshot' = 'build';
  private readonly valueBitmaps = new Map<number, Bitmap>();
  private readonly tagEntries = new Map<number, TagEntry>();
  private readonly attributes = new Map<string, AttributeColumns>();
  /** Declared types, for sorting; predicates take the type from the bound expression. */
  private readonly attributeTypes = new Map<string, AttributeType>();
  private readonly source: PlanSource;
  /**
   * The customer search's table of the name column's values: filled at the end of a build, read
   * from a snapshot, and brought up to date by the next search (or snapshot) after a refresh.
   */
  private nameTable: NameSearchTable | undefined;
  /**
   * The stored keys' spellings (`spelledNameSearchKey`) of names the index took in and its table
   * does not hold yet, by their code in the name column: a build's and a refresh's rows carry
   * them, so that no name is keyed twice nor read again. A build fills it in code order.
   */
  private nameSpellings: string[] = [];
  /**
   * Per reachability field (REACHABILITY_FIELDS, has_phone …), the live customers for whom it is
   * true: a bit or less per customer each, where a boolean column takes a byte.
   */
  private readonly reachable: readonly Bitmap[] = REACHABILITY_FIELDS.map(() => storedBitmap());

  private constructor(readonly workspaceId: number) {
    this.source = {
      all: this.all,
      valueBitmap: (valueId) => this.valueBitmaps.get(valueId),
      tagBitmap: (tagId, values) => {
        const entry = this.tagEntries.get(tagId);
        if (!entry) return undefined;
        const listed = new Set(values.values());
        for (const valueId of entry.values) if (!listed.has(valueId)) return undefined;
        return entry.union;
      },
      attribute: (attribute: BoundAttributeRef) => this.attributes.get(attributeKey(attribute.source, attribute.key)),
      flag: (attribute: BoundAttributeRef) => this.flagHolders(attribute.source, attribute.key),
    };
  }

  /**
   * Loads the workspace's live customers from the store, a page of `buildSettings.batch` at a
   * time, with the assignments still held at `at` (epoch ms; the registry gives its caller's clock).
   */
  static async build(store: Store, workspaceId: number, at = Date.now()): Promise<WorkspaceIndex> {
    const started = performance.now();
    const index = new WorkspaceIndex(workspaceId);
    await index.loadAttributeTypes(store);
    // In the order of CUSTOMER_COLUMNS after id, merged_into and custom.
    const builtins = Object.keys(BUILTIN_FIELD_COLUMNS).map((key) => index.columns('field', key));
    const bucket = index.columns('field', 'random_bucket');
    const reader = new FlatJsonReader();
    for await (const page of loadWorkspacePages(store, workspaceId, buildSettings.batch, at)) index.loadPage(page, builtins, bucket, reader);
    const length = (index.all.maximum() + 1) >>> 0;
    for (const columns of index.attributes.values()) columns.finishLoad(length);
    for (const entry of index.tagEntries.values()) entry.union.addMany(Bitmap.orMany([...entry.values].map((valueId) => index.valueBitmaps.get(valueId) ?? new Bitmap())));
    for (const bitmap of index.storedBitmapsList()) bitmap.runOptimize();
    index.nameSearchTable();
    index.buildMs = performance.now() - started;
    return index;
  }

  /**
   * Writes everything a query reads, as it is now, with no await in between (the index is
   * never half refreshed in a snapshot). Value buckets are left out: they are rebuilt on the
   * first range query, as after a build. Declared types come from the catalog on load.
   */
  writeSnapshot(out: SnapshotWriter): void {
    out.bitmap(this.all);
    out.u32(this.valueBitmaps.size);
    for (const [valueId, bitmap] of this.valueBitmaps) {
      out.f64(valueId);
      out.bitmap(bitmap);
    }
    out.u32(this.tagEntries.size);
    for (const [tagId, entry] of this.tagEntries) {
      out.f64(tagId);
      out.u32(entry.values.size);
      for (const valueId of entry.values) out.f64(valueId);
      out.bitmap(entry.union);
    }
    out.u32(this.attributes.size);
    for (const [name, columns] of this.attributes) {
      out.string(name);
      writeNumbers(out, columns.numbers);
      // Only the values someone holds: an erased customer's name must not live on in the snapshot.
      writeDictionary(out, columns.strings?.compacted(), (value) => out.string(value));
      writeDictionary(out, columns.booleans, (value) => out.u8(value ? 1 : 0));
    }
    out.u32(this.reachable.length);
    this.reachable.forEach((bitmap, i) => {
      out.string(REACHABILITY_FIELDS[i] as string);
      out.bitmap(bitmap);
    });
    // The name table of the name column as written above (its held names, in the same order),
    // so that a search after a start from the snapshot reads no key from the store.
    const names = this.attributes.get(NAME_ATTRIBUTE)?.strings;
    out.u8(names ? 1 : 0);
    if (names) this.nameSearchTable()?.writeSnapshot(out, names.heldCodes());
  }

  /** An index from a snapshot `writeSnapshot` wrote; throws on a payload that does not read back whole. */
  static async fromSnapshot(store: Store, workspaceId: number, input: SnapshotReader): Promise<WorkspaceIndex> {
    const started = performance.now();
    const index = new WorkspaceIndex(workspaceId);
    await index.loadAttributeTypes(store);
    input.bitmap(index.all);
    for (let n = input.count(12); n > 0; n--) {
      const valueId = input.f64();
      index.valueBitmaps.set(valueId, input.bitmap(storedBitmap()));
    }
    for (let n = input.count(16); n > 0; n--) {
      const tagId = input.f64();
      const values = new Set<number>();
      for (let v = input.count(8); v > 0; v--) values.add(input.f64());
      index.tagEntries.set(tagId, { union: input.bitmap(storedBitmap()), values });
    }
    for (let n = input.count(7); n > 0; n--) {
      const name = input.string();
      if (index.attributes.has(name)) throw new SnapshotError(`attribute ${JSON.stringify(name)} twice in the snapshot`);
      const columns = new AttributeColumns();
      columns.numbers = readNumbers(input);
      columns.strings = readDictionary(input, () => input.string(), true);
      columns.booleans = readDictionary(input, () => input.u8() === 1);
      index.attributes.set(name, columns);
    }
    const fields = input.count(5);
    if (fields !== REACHABILITY_FIELDS.length) throw new SnapshotError(`${fields} reachability fields in the snapshot, expected ${REACHABILITY_FIELDS.length}`);
    for (const [i, field] of REACHABILITY_FIELDS.entries()) {
      const name = input.string();
      if (name !== field) throw new SnapshotError(`reachability field ${JSON.stringify(name)} in the snapshot, expected ${JSON.stringify(field)}`);
      input.bitmap(index.reachable[i] as Bitmap);
    }
    const names = index.attributes.get(NAME_ATTRIBUTE)?.strings;
    if ((input.u8() === 1) !== (names !== undefined)) throw new SnapshotError('the name search table and the name column disagree in the snapshot');
    if (names) index.nameTable = NameSearchTable.readSnapshot(names, input);
    input.end();
    index.origin = 'snapshot';
    index.buildMs = performance.now() - started;
    return index;
  }

  /**
   * Reloads these customers from the store; one merged or deleted since leaves the index.
   * `phases`, when given, is added what loading them, putting their values in the columns and
   * bringing the bitmaps in step took. Their assignments are those still held at `at` (epoch ms).
   */
  async refreshCustomers(store: Store, ids: readonly number[], phases?: RefreshPhases, at = Date.now()): Promise<void> {
    if (ids.length === 0) return;
    let started = performance.now();
    const loaded = await loadCustomers(store, this.workspaceId, ids, at);
    // Applied with no await in between, so a reader never sees a customer half refreshed.
    let now = performance.now();
    if (phases) phases.loadMs += now - started;
    started = now;
    const refreshed = new Bitmap(ids);
    const holders = this.apply(loaded, refreshed);
    // Many new names at once (an import): into the table now rather than held as keys.
    if (!this.nameTable || this.nameTable.missing > NAME_KEYS_PENDING) this.nameSearchTable();
    now = performance.now();
    if (phases) phases.columnsMs += now - started;
    started = now;
    this.updateBitmaps(refreshed, holders);
    if (phases) phases.bitmapsMs += performance.now() - started;
  }

  /** The customers matching `bound`; the caller owns the bitmap. */
  evaluate(bound: BoundExpression, options: EvaluateOptions): Bitmap {
    const result = runPlan(this.source, bound, options);
    return storedBitmaps.has(result) ? result.clone() : result;
  }

  count(bound: BoundExpression, options: EvaluateOptions): number {
    return countPlan(this.source, bound, options);
  }

  /**
   * One page of `members`, ordered by a field or metric (missing values last, ties by id
   * ascending) or, without a sort, by id.
   */
  sortMembers(members: Bitmap, sort: MemberSort | undefined, offset: number, limit: number): number[] {
    if (limit <= 0 || offset >= members.size) return [];
    if (!sort) return [...members.rangeUint32Array(new Uint32Array(Math.min(limit, members.size - offset)), offset, limit)];
    const ids = members.toUint32Array();
    return sortedPage(ids, this.sortKeys(ids, sort), sort.direction === 'desc', offset, limit);
  }

  /**
   * The customer search's table of distinct names (src/index/name-search.ts), up to date with the
   * name column (no await: the codes it flags are the column's as it is now); undefined while no
   * customer has a name.
   */
  nameSearchTable(): NameSearchTable | undefined {
    const column = this.attributes.get(NAME_ATTRIBUTE)?.strings;
    if (!column) return undefined;
    if (this.nameTable?.column !== column) this.nameTable = new NameSearchTable(column);
    if (this.nameTable.missing > 0) updateNameSearchTable(this.nameTable, this.nameSpellings);
    this.nameSpellings = [];
    return this.nameTable;
  }

  /** Live customers whose name's code is flagged in `codes` (per code, as `NameSearchTable` gives them), ascending. */
  customersWithNameCodes(codes: Uint8Array): Uint32Array {
    const column = this.attributes.get(NAME_ATTRIBUTE)?.strings;
    if (!column) return new Uint32Array(0);
    return Bitmap.and(column.selectCodes(codes, this.all), this.all).toUint32Array();
  }

  /** The customers holding a value; the index's own bitmap, to be read and not changed. */
  valueMembers(valueId: number): Bitmap | undefined {
    return this.valueBitmaps.get(valueId);
  }

  /** The customers holding any value of a tag; the index's own bitmap, to be read and not changed. */
  tagMembers(tagId: number): Bitmap | undefined {
    return this.tagEntries.get(tagId)?.union;
  }

  /**
   * Forgets a deleted tag: its bitmap and every value's (`valueIds`, and those it was seen
   * with). A tag is deleted only once nobody holds it, so no customer's data changes and the
   * rest of the index stands; a snapshot written afterwards no longer lists it.
   */
  dropTag(tagId: number, valueIds: readonly number[] = []): void {
    const entry = this.tagEntries.get(tagId);
    for (const valueId of new Set([...valueIds, ...(entry?.values ?? [])])) this.valueBitmaps.delete(valueId);
    this.tagEntries.delete(tagId);
  }

  /**
   * A metric over `members`: the sum of its values, how many of them have one, and its median
   * and quartiles. Read straight from the metric's column, so a total over a million customers
   * is a pass over a typed array, and its quantiles a walk of the column's value buckets.
   */
  metricTotal(members: Bitmap, metricKey: string): MetricTotal {
    const numbers = this.attributes.get(attributeKey('metric', metricKey))?.numbers;
    if (!numbers) return { sum: 0, customers: 0, quantiles: NO_QUANTILES };
    const withValue = Bitmap.and(members, numbers.present);
    const ids = withValue.toUint32Array();
    const quantiles = quantilesAt(ids.length, numbers.valuesAtRanks(withValue, quantileRanks(ids.length)));
    return { sum: numbers.sumOf(ids), customers: ids.length, quantiles };
  }

  /** Customers holding each tag (any of its values), by tag id. */
  tagSizes(): Map<number, number> {
    const sizes = new Map<number, number>();
    for (const [tagId, entry] of this.tagEntries) if (entry.union.size > 0) sizes.set(tagId, entry.union.size);
    return sizes;
  }

  /** How many customers hold both values. */
  sharedValueHolders(firstValueId: number, secondValueId: number): number {
    const first = this.valueBitmaps.get(firstValueId);
    const second = this.valueBitmaps.get(secondValueId);
    return first && second ? first.andCardinality(second) : 0;
  }

  /** How many customers hold at least one of these tags. */
  holdersOfAny(tagIds: readonly number[]): number {
    const unions = tagIds.flatMap((tagId) => {
      const entry = this.tagEntries.get(tagId);
      return entry ? [entry.union] : [];
    });
    return unions.length === 0 ? 0 : Bitmap.orMany(unions).size;
  }

  /** Customers holding each tag value, by value id: the library's counts without a scan of the assignments. */
  valueCounts(): Map<number, number> {
    const counts = new Map<number, number>();
    for (const [valueId, bitmap] of this.valueBitmaps) if (bitmap.size > 0) counts.set(valueId, bitmap.size);
    return counts;
  }

  stats(): WorkspaceIndexStats {
    let bitmaps = 0;
    let bytes = 0;
    for (const bitmap of this.storedBitmapsList()) {
      bitmaps++;
      bytes += bitmapBytes(bitmap);
    }
    for (const columns of this.attributes.values()) {
      bytes += columns.numbers?.bytes() ?? 0;
      bytes += columns.strings?.bytes(() => 0) ?? 0;
      bytes += columns.booleans?.bytes(() => 0) ?? 0;
    }
    bytes += this.nameTable?.bytes ?? 0;
    return { workspaceId: this.workspaceId, customers: this.all.size, bitmaps, bytes, buildMs: this.buildMs, origin: this.origin };
  }

  /** The customers for whom a reachability field is true; undefined for any other attribute. */
  private flagHolders(source: 'field' | 'metric', key: string): Bitmap | undefined {
    return source === 'field' && isReachabilityField(key) ? this.reachable[REACHABILITY_FIELDS.indexOf(key)] : undefined;
  }

  /** Sort keys per member: the number, or the rank of a string or boolean among the column's values; NaN when missing. */
  private sortKeys(ids: Uint32Array, sort: MemberSort): Float64Array {
    const holders = this.flagHolders(sort.source, sort.key);
    // A reachability field is never missing: false (0) sorts before true (1), as a boolean column's values rank.
    if (holders) return Float64Array.from(ids, (id) => (holders.has(id) ? 1 : 0));
    const keys = new Float64Array(ids.length).fill(NaN);
    const columns = this.attributes.get(attributeKey(sort.source, sort.key));
    if (!columns) return keys;
    const type = this.attributeTypes.get(attributeKey(sort.source, sort.key)) ?? (columns.numbers ? 'number' : columns.strings ? 'string' : 'boolean');
    if (type === 'number' || type === 'timestamp') {
      const numbers = columns.numbers;
      if (numbers) ids.forEach((id, i) => (keys[i] = numbers.get(id) ?? NaN));
      return keys;
    }
    const column = type === 'boolean' ? columns.booleans : columns.strings;
    if (!column) return keys;
    const ranks = column.ranks();
    const valid = type === 'date' ? column.dateValidity() : undefined;
    ids.forEach((id, i) => {
      const code = column.code(id);
      if (code >= 0 && (valid === undefined || valid[code] === 1)) keys[i] = ranks[code] as number;
    });
    return keys;
  }

  /**
   * One page of a full build, read in place: no per-customer objects, and bitmaps filled a
   * run of sorted ids at a time (columns fill theirs in `finishLoad`).
   */
  private loadPage(page: WorkspacePage, builtins: readonly AttributeColumns[], bucket: AttributeColumns, reader: FlatJsonReader): void {
    const customers = page.customers;
    const first = customers[0]?.[0] ?? 0;
    const live = new Uint8Array((customers.at(-1)?.[0] ?? 0) - first + 1);
    const liveIds = new Uint32Array(customers.length);
    let count = 0;
    const names = builtins[NAME_BUILTIN];
    let named = names?.strings?.valueCount ?? 0;
    for (const row of customers) {
      if (row[1] !== null) continue;
      const id = row[0];
      live[id - first] = 1;
      liveIds[count++] = id;
      const text = row[2];
      const custom = text && text !== '{}' ? (JSON.parse(text) as unknown) : null;
      if (custom !== null && typeof custom === 'object') {
        // Built-in columns win over a custom value of the same key, as in loadCustomerViews.
        for (const key in custom) if (Object.hasOwn(custom, key) && !isBuiltinField(key) && !isComputedField(key)) this.columns('field', key).load(id, (custom as Record<string, unknown>)[key]);
      }
      for (let b = 0; b < builtins.length; b++) (builtins[b] as AttributeColumns).load(id, row[3 + b]);
      // A name the column did not hold: its key comes with the row (only a name not keyed yet is worked out later).
      if ((names?.strings?.valueCount ?? 0) > named) {
        named++;
        const name = row[3 + NAME_BUILTIN];
        const spelled = row[NAME_SPELLINGS_AT];
        if (typeof name === 'string' && typeof spelled === 'string') this.nameSpellings[named - 1] = spelled;
      }
      // A byte per customer (values 0-99 take the column's one-byte encoding), computed here rather than stored.
      bucket.load(id, randomBucket(id));
    }
    this.all.addMany(liveIds.subarray(0, count));
    this.loadAssignments(page.assignments, first, live);
    this.loadReachability(page.reachability, first, live);
    const metrics = page.metrics;
    const ids = metrics.customerIds;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i] as number;
      if (id < first || live[id - first] !== 1) continue;
      let text: string;
      if ('bytes' in metrics) {
        const start = i === 0 ? 0 : (metrics.ends[i - 1] as number);
        const end = metrics.ends[i] as number;
        if (start === end) continue;
        if (reader.read(metrics.bytes, start, end)) {
          this.loadMembers(id, reader);
          continue;
        }
        text = metrics.bytes.toString('utf8', start, end);
      } else text = metrics.texts[i] as string;
      if (!text) continue;
      const values = JSON.parse(text) as unknown;
      if (values === null || typeof values !== 'object') continue;
      for (const key in values) if (Object.hasOwn(values, key)) this.columns('metric', key).load(id, (values as Record<string, unknown>)[key]);
    }
  }

  /** A page's reachability bits of live customers, field by field; the ids come in order. */
  private loadReachability(reachability: WorkspacePage['reachability'], first: number, live: Uint8Array): void {
    const { customerIds, bits } = reachability;
    for (const [i, bitmap] of this.reachable.entries()) {
      const bit = 1 << i;
      const ids = new Uint32Array(customerIds.length);
      let n = 0;
      for (let k = 0; k < customerIds.length; k++) {
        const id = customerIds[k] as number;
        // A customer with two phones is listed twice: once is enough.
        if (((bits[k] as number) & bit) === 0 || id < first || live[id - first] !== 1 || (n > 0 && ids[n - 1] === id)) continue;
        ids[n++] = id;
      }
      bitmap.addMany(ids.subarray(0, n));
    }
  }

  /** The members `reader` just read, as metric values of `id`. */
  private loadMembers(id: number, reader: FlatJsonReader): void {
    const { slots, kinds, numbers, strings } = reader;
    const metricColumns = this.metricSlots;
    for (let m = 0; m < reader.count; m++) {
      const slot = slots[m] as number;
      let columns = metricColumns[slot];
      if (!columns) metricColumns[slot] = columns = this.columns('metric', reader.keys[slot] as string);
      switch (kinds[m]) {
        case MEMBER_NUMBER:
          columns.load(id, numbers[m]);
          break;
        case MEMBER_STRING:
          columns.load(id, strings[m]);
          break;
        case MEMBER_TRUE:
          columns.load(id, true);
          break;
        case MEMBER_FALSE:
          columns.load(id, false);
          break;
        default:
          break;
      }
    }
  }

  /** Metric columns by the slot of their key in the build's FlatJsonReader. */
  private metricSlots: (AttributeColumns | undefined)[] = [];

  /**
   * A page's assignments of live customers, value by value. Values are taken in (tag, value)
   * order, as a GROUP BY of the store returned them once, so that the index's maps and
   * snapshots list them in the same order whatever order the rows come in.
   */
  private loadAssignments(assignments: WorkspacePage['assignments'], first: number, live: Uint8Array): void {
    const { customerIds, tagIds, valueIds } = assignments;
    const n = customerIds.length;
    // Each (tag, value) pair gets a group; a value is almost always assigned under one tag.
    const groupOf = new Int32Array(n);
    const groupTags: number[] = [];
    const groupValues: number[] = [];
    const byValue = new Map<number, number>();
    const byPair = new Map<string, number>();
    let sizes = new Uint32Array(256);
    for (let i = 0; i < n; i++) {
      const id = customerIds[i] as number;
      if (id < first || live[id - first] !== 1) {
        groupOf[i] = -1;
        continue;
      }
      const tagId = tagIds[i] as number;
      const valueId = valueIds[i] as number;
      let group = byValue.get(valueId);
      if (group === undefined) {
        group = groupTags.length;
        byValue.set(valueId, group);
        groupTags.push(tagId);
        groupValues.push(valueId);
      } else if (groupTags[group] !== tagId) {
        const pair = `${tagId}/${valueId}`;
        group = byPair.get(pair);
        if (group === undefined) {
          group = groupTags.length;
          byPair.set(pair, group);
          groupTags.push(tagId);
          groupValues.push(valueId);
        }
      }
      if (group >= sizes.length) {
        const grown = new Uint32Array(2 * sizes.length);
        grown.set(sizes);
        sizes = grown;
      }
      groupOf[i] = group;
      sizes[group] = (sizes[group] as number) + 1;
    }
    const groups = groupTags.length;
    const starts = new Uint32Array(groups + 1);
    for (let g = 0; g < groups; g++) starts[g + 1] = (starts[g] as number) + (sizes[g] as number);
    const next = starts.slice(0, groups);
    const ids = new Uint32Array(starts[groups] as number);
    for (let i = 0; i < n; i++) {
      const group = groupOf[i] as number;
      if (group < 0) continue;
      const at = next[group] as number;
      next[group] = at + 1;
      ids[at] = customerIds[i] as number;
    }
    const order = Array.from({ length: groups }, (_, g) => g).sort((a, b) => (groupTags[a] as number) - (groupTags[b] as number) || (groupValues[a] as number) - (groupValues[b] as number));
    for (const group of order) {
      const tagId = groupTags[group] as number;
      const valueId = groupValues[group] as number;
      const members = ids.subarray(starts[group], starts[group + 1]);
      if (!isSorted(members)) members.sort();
      let values = this.valueBitmaps.get(valueId);
      if (!values) this.valueBitmaps.set(valueId, (values = storedBitmap()));
      values.addMany(members);
      let entry = this.tagEntries.get(tagId);
      if (!entry) this.tagEntries.set(tagId, (entry = { union: storedBitmap(), values: new Set() }));
      entry.values.add(valueId);
    }
  }

  /**
   * Gives each refreshed customer (those of `refreshed` still live are `loaded`) its values in
   * the columns, in place of the ones it held, clearing a column it has no value in now and
   * every column of one no longer live; and gives back, per bitmap, the refreshed customers who
   * hold it now (in `loaded`'s order). Clearing every column and setting it again, as this
   * once did, cost a customer as much as a change: a column in blocks took the missing value
   * into a sparse block's sorted arrays and out again, shifting them each time, so a refresh
   * grew with the square of its customers per block, and left such blocks as plain arrays.
   * Bitmaps and map entries are made in the order the customers' rows list them, as one
   * customer at a time made them.
   */
  private apply(loaded: readonly LoadedCustomer[], refreshed: Bitmap): Map<Bitmap, number[]> {
    const holders = new Map<Bitmap, number[]>();
    const hold = (bitmap: Bitmap, id: number): void => {
      const ids = holders.get(bitmap);
      if (ids) ids.push(id);
      else holders.set(bitmap, [id]);
    };
    const gone = refreshed.clone();
    /** The columns each customer gave a value, by the customer's place in `loaded` plus one. */
    const given = new Map<AttributeColumns, number>();
    for (const [at, customer] of loaded.entries()) {
      const { id } = customer;
      hold(this.all, id);
      for (const [tagId, valueId] of customer.assignments) {
        let values = this.valueBitmaps.get(valueId);
        if (!values) this.valueBitmaps.set(valueId, (values = storedBitmap()));
        hold(values, id);
        let entry = this.tagEntries.get(tagId);
        if (!entry) this.tagEntries.set(tagId, (entry = { union: storedBitmap(), values: new Set() }));
        hold(entry.union, id);
        entry.values.add(valueId);
      }
      const named = this.attributes.get(NAME_ATTRIBUTE)?.strings?.valueCount ?? 0;
      for (const [key, value] of customer.fields) {
        const columns = this.columns('field', key);
        columns.replace(id, value);
        given.set(columns, at + 1);
      }
      // A name the index did not hold: kept with its stored key for the table (see `nameSpellings`).
      const names = this.attributes.get(NAME_ATTRIBUTE)?.strings;
      if (customer.nameSpellings !== null && names && names.valueCount > named) this.nameSpellings[names.code(id)] = customer.nameSpellings;
      for (const [key, value] of customer.metrics) {
        const columns = this.columns('metric', key);
        columns.replace(id, value);
        given.set(columns, at + 1);
      }
      for (const columns of this.attributes.values()) if (given.get(columns) !== at + 1) columns.clear(id);
      for (const [i, bitmap] of this.reachable.entries()) if ((customer.reachability & (1 << i)) !== 0) hold(bitmap, id);
      gone.remove(id);
    }
    // Merged or deleted since.
    for (const id of gone) for (const columns of this.attributes.values()) columns.clear(id);
    return holders;
  }

  /**
   * Brings every bitmap but the columns' in step for the refreshed customers: takes out those
   * who no longer hold it and adds those who newly do, a sorted run at a time. A bitmap none of
   * them holds or held is not touched, nor one whose holders among them are unchanged, so it
   * keeps the containers its build chose. Taking every refreshed customer out of every bitmap
   * one list at a time, as this once did, cost each of the index's bitmaps the whole list.
   */
  private updateBitmaps(refreshed: Bitmap, holders: Map<Bitmap, number[]>): void {
    const update = (bitmap: Bitmap): void => {
      const ids = holders.get(bitmap);
      if (!ids) {
        if (bitmap.intersects(refreshed)) bitmap.andNotInPlace(refreshed);
        return;
      }
      const now = new Bitmap(Uint32Array.from(ids).sort());
      const before = Bitmap.and(bitmap, refreshed);
      if (before.isEqual(now)) return;
      bitmap.andNotInPlace(Bitmap.andNot(before, now));
      bitmap.orInPlace(Bitmap.andNot(now, before));
    };
    update(this.all);
    for (const bitmap of this.valueBitmaps.values()) update(bitmap);
    for (const entry of this.tagEntries.values()) update(entry.union);
    for (const bitmap of this.reachable) update(bitmap);
  }

  /** Per source and key without building the combined key: a build asks tens of millions of times. */
  private readonly columnCache = { field: new Map<string, AttributeColumns>(), metric: new Map<string, AttributeColumns>() };

  private columns(source: 'field' | 'metric', key: string): AttributeColumns {
    const cached = this.columnCache[source].get(key);
    if (cached) return cached;
    const name = attributeKey(source, key);
    let columns = this.attributes.get(name);
    if (!columns) this.attributes.set(name, (columns = new AttributeColumns()));
    this.columnCache[source].set(key, columns);
    return columns;
  }

  private *storedBitmapsList(): Generator<Bitmap> {
    yield this.all;
    yield* this.valueBitmaps.values();
    for (const entry of this.tagEntries.values()) yield entry.union;
    yield* this.reachable;
    for (const columns of this.attributes.values()) {
      for (const column of [columns.numbers, columns.strings, columns.booleans]) {
        if (!column) continue;
        yield column.present;
        if ('bitmaps' in column) yield* column.bitmaps ?? [];
      }
    }
  }

  private async loadAttributeTypes(store: Store): Promise<void> {
    const context: WorkspaceContext = { store, workspaceId: this.workspaceId, workspaceKey: '', actor: null, now: systemClock };
    const [customFields, customMetrics] = await Promise.all([listCustomFields(context), loadCustomMetrics(context)]);
    for (const attribute of [...BUILTIN_FIELD_ATTRIBUTES, ...customFields.map(customFieldAttribute)]) this.attributeTypes.set(attributeKey('field', attribute.key), attribute.type);
    for (const metric of [...BUILTIN_METRICS, ...customMetrics]) this.attributeTypes.set(attributeKey('metric', metric.key), metricAttribute(metric).type);
  }
}

function isSorted(ids: Uint32Array): boolean {
  for (let i = 1; i < ids.length; i++) if ((ids[i - 1] as number) > (ids[i] as number)) return false;
  return true;
}

/** Exported for the format tests. */
export function writeNumbers(out: SnapshotWriter, column: NumberColumn | undefined): void {
  // The encoding's position in NUMBER_ENCODINGS, plus one; 0 for no number column.
  out.u8(column ? NUMBER_ENCODINGS.indexOf(column.encoding) + 1 : 0);
  if (!column) return;
  // A column that grew since the build is written, and read back, as small as it can be.
  column.compact();
  const stored = column.stored;
  if ('blocked' in stored) {
    const { blocked } = stored;
    out.u8(NUMBER_LAYOUT_BLOCKS);
    out.u8(blocked.blockBits);
    out.u32(blocked.length);
    out.u32(blocked.blocks.length);
    for (const block of blocked.blocks) {
      if (block.kind === 'dense') {
        out.u8(0);
        out.array(block.values);
      } else {
        out.u8(1);
        out.f64(block.common);
        out.array(block.offsets.subarray(0, block.size));
        out.array(block.values.subarray(0, block.size));
      }
    }
  } else {
    out.u8(NUMBER_LAYOUT_ARRAY);
    out.array(stored.values);
    if (stored.encoding === 'milliseconds') out.array(stored.remainders);
  }
  out.bitmap(column.present);
}

/** How a snapshot lays out a number column's values: one array, or blocks of 65,536 ids. */
const NUMBER_LAYOUT_ARRAY = 0;
const NUMBER_LAYOUT_BLOCKS = 1;

/** Reads what writeNumbers wrote. */
export function readNumbers(input: SnapshotReader): NumberColumn | undefined {
  const position = input.u8();
  if (position === 0) return undefined;
  const encoding = NUMBER_ENCODINGS[position - 1];
  if (encoding === undefined) throw new SnapshotError('number column of unknown encoding');
  const column = new NumberColumn();
  const layout = input.u8();
  if (layout === NUMBER_LAYOUT_ARRAY) column.restore(readNumberData(input, encoding));
  else if (layout === NUMBER_LAYOUT_BLOCKS) column.restore({ encoding, blocked: readNumberBlocks(input, encoding) });
  else throw new SnapshotError(`number column of unknown layout ${layout}`);
  input.bitmap(column.present);
  return column;
}

function readNumberBlocks(input: SnapshotReader, encoding: NumberEncoding): BlockedNumbers {
  // A milliseconds column's blocks hold each time whole, as a double.
  const readValues = (): RawArray => (encoding === 'milliseconds' ? input.float64() : readNumberData(input, encoding).values);
  const blockBits = input.u8();
  if (blockBits < 1 || blockBits > 16) throw new SnapshotError(`number column blocks of 2^${blockBits} ids`);
  const blockIds = 1 << blockBits;
  const length = input.u32();
  const count = input.u32();
  if (count !== Math.ceil(length / blockIds)) throw new SnapshotError('number column blocks do not cover its ids');
  const blocks: NumberBlock[] = [];
  for (let index = 0; index < count; index++) {
    const kind = input.u8();
    if (kind === 0) {
      const values = readValues();
      if (values.length !== blockIds) throw new SnapshotError('number column block of the wrong size');
      blocks.push({ kind: 'dense', values });
    } else if (kind === 1) {
      const common = input.f64();
      const offsets = input.uint16();
      const values = readValues();
      if (values.length !== offsets.length) throw new SnapshotError('number column block with values not one per id');
      for (let i = 0; i < offsets.length; i++) if ((offsets[i] as number) >= blockIds || (i > 0 && (offsets[i - 1] as number) >= (offsets[i] as number))) throw new SnapshotError('number column block with ids out of order');
      blocks.push({ kind: 'sparse', common, offsets, values, size: offsets.length });
    } else throw new SnapshotError(`number column block of unknown kind ${kind}`);
  }
  return BlockedNumbers.of(blockBits, blocks, length, numberMissing(encoding), numberArrayMaker(encoding));
}

function readNumberData(input: SnapshotReader, encoding: NumberEncoding | undefined): NumberData {
  switch (encoding) {
    case 'uint8':
      return { encoding, values: input.uint8() };
    case 'uint16':
      return { encoding, values: input.uint16() };
    case 'int32':
    case 'cents':
      return { encoding, values: input.int32() };
    case 'seconds':
      return { encoding, values: input.uint32() };
    case 'milliseconds': {
      const values = input.uint32();
      const remainders = input.uint16();
      if (remainders.length !== values.length) throw new SnapshotError('number column with milliseconds not one per id');
      for (let id = 0; id < remainders.length; id++) if ((remainders[id] as number) >= 1000) throw new SnapshotError('number column with a remainder of 1,000 milliseconds or more');
      return { encoding, values, remainders };
    }
    case 'float32':
      return { encoding, values: input.float32() };
    case 'float64':
      return { encoding, values: input.float64() };
    case undefined:
      throw new SnapshotError('number column of unknown encoding');
    default: {
      const unreachable: never = encoding;
      return unreachable;
    }
  }
}

/** Exported for the format tests. */
export function writeDictionary<T extends DictionaryValue>(out: SnapshotWriter, column: DictionaryColumn<T> | undefined, value: (value: T) => void): void {
  out.u8(column ? 1 : 0);
  if (!column) return;
  const { codes, values } = column.stored;
  // Codes are stored as the column keeps them: shifted by one (0 is no value), 1, 2 or 4 bytes.
  out.u8(codes.BYTES_PER_ELEMENT);
  out.array(codes);
  if (values instanceof StringPool) {
    out.u8(1);
    const { data, starts, sorted } = values.parts();
    out.array(data);
    out.array(starts);
    out.array(sorted);
  } else {
    out.u8(0);
    out.u32(values.length);
    for (const item of values) value(item);
  }
  out.u8(column.bitmaps ? 1 : 0);
  for (const bitmap of column.bitmaps ?? []) out.bitmap(bitmap);
  out.bitmap(column.present);
}

/** Reads what writeDictionary wrote; `value` reads one listed value (a pool holds strings only, so only a string column may have one). */
export function readDictionary<T extends DictionaryValue>(input: SnapshotReader, value: () => T, pooled = false): DictionaryColumn<T> | undefined {
  if (input.u8() === 0) return undefined;
  const column = new DictionaryColumn<T>();
  const width = input.u8();
  const codes = width === 1 ? input.uint8() : width === 2 ? input.uint16() : width === 4 ? input.int32() : undefined;
  if (!codes) throw new SnapshotError('dictionary codes of unknown width');
  let values: T[] | StringPool;
  if (input.u8() === 1) {
    if (!pooled) throw new SnapshotError('pooled values in a column that cannot have them');
    const pool = StringPool.fromParts(input.uint8(), input.uint32(), input.uint32());
    if (!pool) throw new SnapshotError('pooled dictionary values do not read back whole');
    values = pool;
  } else {
    values = [];
    for (let n = input.count(1); n > 0; n--) values.push(value());
  }
  const count = values instanceof StringPool ? values.size : values.length;
  const bitmaps = input.u8() === 1 ? Array.from({ length: count }, () => input.bitmap(storedBitmap())) : undefined;
  input.bitmap(column.present);
  for (let id = 0; id < codes.length; id++) if ((codes[id] as number) < 0) throw new SnapshotError('dictionary code out of range');
  if (!column.restore(codes, values, bitmaps)) throw new SnapshotError('dictionary code out of range, or bitmaps not one per value');
  return column;
}
