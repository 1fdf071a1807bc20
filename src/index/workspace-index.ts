// The in-memory index of one workspace: a bitmap of live customers, one bitmap per tag value
// and per tag, and columns for every field and metric. Customers are keyed by the store's
// own customers.id: those ids are small integers handed out densely by the store, so they
// serve directly as bitmap members and typed-array offsets, with no mapping table to keep in
// step (a workspace that shares the store only leaves gaps in its arrays).
import type { AttributeType, BoundAttributeRef, BoundExpression } from '../core/expression/index.js';
import { systemClock } from '../core/time.js';
import { BUILTIN_METRICS } from '../core/metric.js';
import { BUILTIN_FIELD_ATTRIBUTES, BUILTIN_FIELD_COLUMNS, customFieldAttribute, isBuiltinField, loadCustomMetrics, metricAttribute } from '../engine/catalog.js';
import type { WorkspaceContext } from '../engine/context.js';
import { listCustomFields } from '../engine/fields.js';
import type { MemberSort } from '../engine/segments.js';
import type { Store } from '../store/connect.js';
import { loadCustomers, loadWorkspacePages, type LoadedCustomer, type WorkspacePage } from './build.js';
import { AttributeColumns, DictionaryColumn, NumberColumn, storedBitmap, storedBitmaps, type DictionaryValue } from './columns.js';
import { runPlan, type PlanOptions, type PlanSource } from './plan.js';
import { Bitmap, bitmapBytes } from './roaring.js';
import { SnapshotError, type SnapshotReader, type SnapshotWriter } from './snapshot-format.js';

export type EvaluateOptions = PlanOptions;

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
    };
  }

  /** Loads the workspace's live customers from the store, BUILD_BATCH at a time. */
  static async build(store: Store, workspaceId: number): Promise<WorkspaceIndex> {
    const started = performance.now();
    const index = new WorkspaceIndex(workspaceId);
    await index.loadAttributeTypes(store);
    const builtins = Object.entries(BUILTIN_FIELD_COLUMNS).map(([key, column]) => [column, index.columns('field', key)] as const);
    for await (const page of loadWorkspacePages(store, workspaceId)) index.loadPage(page, builtins);
    const length = (index.all.maximum() + 1) >>> 0;
    for (const columns of index.attributes.values()) columns.finishLoad(length);
    for (const entry of index.tagEntries.values()) entry.union.addMany(Bitmap.orMany([...entry.values].map((valueId) => index.valueBitmaps.get(valueId) ?? new Bitmap())));
    for (const bitmap of index.storedBitmapsList()) bitmap.runOptimize();
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
      const numbers = columns.numbers;
      out.u8(numbers ? (numbers.values instanceof Float64Array ? 8 : 4) : 0);
      if (numbers) {
        out.array(numbers.values);
        out.bitmap(numbers.present);
      }
      writeDictionary(out, columns.strings, (value) => out.string(value));
      writeDictionary(out, columns.booleans, (value) => out.u8(value ? 1 : 0));
    }
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
      const width = input.u8();
      if (width !== 0) {
        if (width !== 4 && width !== 8) throw new SnapshotError('number column of unknown width');
        const numbers = (columns.numbers = new NumberColumn());
        numbers.restore(width === 4 ? input.float32() : input.float64());
        input.bitmap(numbers.present);
      }
      columns.strings = readDictionary(input, () => input.string());
      columns.booleans = readDictionary(input, () => input.u8() === 1);
      index.attributes.set(name, columns);
    }
    input.end();
    index.origin = 'snapshot';
    index.buildMs = performance.now() - started;
    return index;
  }

  /** Reloads these customers from the store; one merged or deleted since leaves the index. */
  async refreshCustomers(store: Store, ids: readonly number[]): Promise<void> {
    if (ids.length === 0) return;
    const loaded = await loadCustomers(store, this.workspaceId, ids);
    // Applied with no await in between, so a reader never sees a customer half refreshed.
    this.remove(ids);
    for (const customer of loaded) this.apply(customer);
  }

  /** The customers matching `bound`; the caller owns the bitmap. */
  evaluate(bound: BoundExpression, options: EvaluateOptions): Bitmap {
    const result = runPlan(this.source, bound, options);
    return storedBitmaps.has(result) ? result.clone() : result;
  }

  count(bound: BoundExpression, options: EvaluateOptions): number {
    return runPlan(this.source, bound, options).size;
  }

  /**
   * One page of `members`, ordered by a field or metric (missing values last, ties by id
   * ascending) or, without a sort, by id.
   */
  sortMembers(members: Bitmap, sort: MemberSort | undefined, offset: number, limit: number): number[] {
    if (limit <= 0 || offset >= members.size) return [];
    if (!sort) return [...members.rangeUint32Array(new Uint32Array(Math.min(limit, members.size - offset)), offset, limit)];
    const ids = members.toUint32Array();
    const keys = this.sortKeys(ids, sort);
    const withValue: number[] = [];
    const missing: number[] = [];
    for (let i = 0; i < ids.length; i++) (Number.isNaN(keys[i]) ? missing : withValue).push(i);
    const direction = sort.direction === 'desc' ? -1 : 1;
    withValue.sort((a, b) => ((keys[a] as number) - (keys[b] as number)) * direction || (ids[a] as number) - (ids[b] as number));
    return [...withValue, ...missing].slice(offset, offset + limit).map((i) => ids[i] as number);
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
    return { workspaceId: this.workspaceId, customers: this.all.size, bitmaps, bytes, buildMs: this.buildMs, origin: this.origin };
  }

  /** Sort keys per member: the number, or the rank of a string or boolean among the column's values; NaN when missing. */
  private sortKeys(ids: Uint32Array, sort: MemberSort): Float64Array {
    const keys = new Float64Array(ids.length).fill(NaN);
    const columns = this.attributes.get(attributeKey(sort.source, sort.key));
    if (!columns) return keys;
    const type = this.attributeTypes.get(attributeKey(sort.source, sort.key)) ?? (columns.numbers ? 'number' : columns.strings ? 'string' : 'boolean');
    if (type === 'number' || type === 'timestamp') {
      const values = columns.numbers?.values;
      if (values) ids.forEach((id, i) => (keys[i] = id < values.length ? (values[id] as number) : NaN));
      return keys;
    }
    const column = type === 'boolean' ? columns.booleans : columns.strings;
    if (!column) return keys;
    const ranks = column.ranks();
    const valid = type === 'date' ? column.dateValidity() : undefined;
    ids.forEach((id, i) => {
      const code = id < column.codes.length ? (column.codes[id] as number) : -1;
      if (code >= 0 && (valid === undefined || valid[code] === 1)) keys[i] = ranks[code] as number;
    });
    return keys;
  }

  /**
   * One page of a full build, read in place: no per-customer objects, and bitmaps filled a
   * run of sorted ids at a time (columns fill theirs in `finishLoad`).
   */
  private loadPage(page: WorkspacePage, builtins: readonly (readonly [string, AttributeColumns])[]): void {
    const first = page.customers[0]?.id ?? 0;
    const live = new Uint8Array((page.customers.at(-1)?.id ?? 0) - first + 1);
    const liveIds: number[] = [];
    for (const row of page.customers) {
      if (row.merged_into !== null) continue;
      const id = row.id;
      live[id - first] = 1;
      liveIds.push(id);
      const custom = row.custom ? (JSON.parse(row.custom) as unknown) : null;
      if (custom !== null && typeof custom === 'object') {
        // Built-in columns win over a custom value of the same key, as in loadCustomerViews.
        for (const key in custom) if (Object.hasOwn(custom, key) && !isBuiltinField(key)) this.columns('field', key).load(id, (custom as Record<string, unknown>)[key]);
      }
      for (const [column, columns] of builtins) columns.load(id, row[column]);
    }
    this.all.addMany(liveIds);
    for (const group of page.assignments) {
      const ids = new Uint32Array(group.ids.length);
      let n = 0;
      for (const id of group.ids) if (id >= first && live[id - first] === 1) ids[n++] = id;
      if (n === 0) continue;
      let values = this.valueBitmaps.get(group.value_id);
      if (!values) this.valueBitmaps.set(group.value_id, (values = storedBitmap()));
      values.addMany(ids.subarray(0, n).sort());
      let entry = this.tagEntries.get(group.tag_id);
      if (!entry) this.tagEntries.set(group.tag_id, (entry = { union: storedBitmap(), values: new Set() }));
      entry.values.add(group.value_id);
    }
    for (const row of page.metrics) {
      const id = row.customer_id;
      if (id < first || live[id - first] !== 1 || !row.metric_values) continue;
      const metrics = JSON.parse(row.metric_values) as unknown;
      if (metrics === null || typeof metrics !== 'object') continue;
      for (const key in metrics) if (Object.hasOwn(metrics, key)) this.columns('metric', key).load(id, (metrics as Record<string, unknown>)[key]);
    }
  }

  private apply(customer: LoadedCustomer): void {
    const { id } = customer;
    this.all.add(id);
    for (const [tagId, valueId] of customer.assignments) {
      let values = this.valueBitmaps.get(valueId);
      if (!values) this.valueBitmaps.set(valueId, (values = storedBitmap()));
      values.add(id);
      let entry = this.tagEntries.get(tagId);
      if (!entry) this.tagEntries.set(tagId, (entry = { union: storedBitmap(), values: new Set() }));
      entry.union.add(id);
      entry.values.add(valueId);
    }
    for (const [key, value] of customer.fields) this.columns('field', key).set(id, value);
    for (const [key, value] of customer.metrics) this.columns('metric', key).set(id, value);
  }

  private remove(ids: readonly number[]): void {
    this.all.removeMany(ids);
    for (const bitmap of this.valueBitmaps.values()) bitmap.removeMany(ids);
    for (const entry of this.tagEntries.values()) entry.union.removeMany(ids);
    for (const columns of this.attributes.values()) for (const id of ids) columns.clear(id);
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

/** Exported for the format tests. */
export function writeDictionary<T extends DictionaryValue>(out: SnapshotWriter, column: DictionaryColumn<T> | undefined, value: (value: T) => void): void {
  out.u8(column ? 1 : 0);
  if (!column) return;
  // Codes as narrow as the dictionary allows, shifted by one so that -1 (no value) is 0: most
  // dictionaries have a handful of values, and their codes were a fifth of the payload.
  const width = column.values.length < 0xff ? 1 : column.values.length < 0xffff ? 2 : 4;
  out.u8(width);
  if (width === 4) out.array(column.codes);
  else {
    const codes = column.codes;
    const narrow = width === 1 ? new Uint8Array(codes.length) : new Uint16Array(codes.length);
    for (let id = 0; id < codes.length; id++) narrow[id] = (codes[id] as number) + 1;
    out.array(narrow);
  }
  out.u32(column.values.length);
  for (const item of column.values) value(item);
  out.u8(column.bitmaps ? 1 : 0);
  for (const bitmap of column.bitmaps ?? []) out.bitmap(bitmap);
  out.bitmap(column.present);
}

export function readDictionary<T extends DictionaryValue>(input: SnapshotReader, value: () => T): DictionaryColumn<T> | undefined {
  if (input.u8() === 0) return undefined;
  const column = new DictionaryColumn<T>();
  const width = input.u8();
  let codes: Int32Array<ArrayBuffer>;
  if (width === 4) codes = input.int32();
  else if (width === 1 || width === 2) {
    const narrow = width === 1 ? input.uint8() : input.uint16();
    codes = new Int32Array(narrow.length);
    for (let id = 0; id < narrow.length; id++) codes[id] = (narrow[id] as number) - 1;
  } else throw new SnapshotError('dictionary codes of unknown width');
  const values: T[] = [];
  for (let n = input.count(1); n > 0; n--) values.push(value());
  const bitmaps = input.u8() === 1 ? values.map(() => input.bitmap(storedBitmap())) : undefined;
  input.bitmap(column.present);
  let low = 0;
  let high = -1;
  for (let id = 0; id < codes.length; id++) {
    const code = codes[id] as number;
    if (code < low) low = code;
    if (code > high) high = code;
  }
  if (low < -1 || high >= values.length) throw new SnapshotError('dictionary code out of range');
  if (!column.restore(codes, values, bitmaps)) throw new SnapshotError('dictionary does not read back whole');
  return column;
}
