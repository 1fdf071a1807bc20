// Keeps one WorkspaceIndex per workspace in step with the store. The engine reports changes
// after its transactions commit, to this process's observer and to the change log that every
// process shares; the registry only records them and applies them before the next read, so a
// burst of writes costs one batched refresh rather than one per write, and a write made by
// another process (an import beside the server, a second server) is seen by the next read. In
// the server, `followStore` (follow.ts) also catches the indexes up in the background.
import { systemClock, type Clock } from '../core/time.js';
import { CHANGE_LOG_RETENTION_MS, type ChangeObserver, type WorkspaceContext } from '../engine/context.js';
import type { Store } from '../store/connect.js';
import { catalogFingerprint, loadIndexSnapshot, saveIndexSnapshot, type LoadedSnapshot, type SavedSnapshot } from './snapshot.js';
import { WorkspaceIndex, type WorkspaceIndexStats } from './workspace-index.js';

/** Past this many pending customers a rebuild replaces the refresh whatever it costs (the pending set is held in memory). */
const MAX_REFRESH = 100_000;
/** A refresh this small is done whatever a rebuild would cost, and in the background even while the change log is still growing. */
const SMALL_REFRESH = 1000;
/**
 * Between the two, whichever is cheaper: a refresh loads its customers by id, 1,000 to a
 * statement, which costs a customer several times what a build does (`npm run
 * bench:index-refresh` on a quiet two-core machine, 200,000 customers: 57–80 µs against 14 µs
 * from 10,000 changed customers on, more a customer below that). Until this index has been built and
 * refreshed at a size worth timing (RATE_SAMPLE customers), a build is taken to cost what
 * docs/performance.md measured at a million customers (7 s), and a refresh ten times as much a
 * customer: past a tenth of the workspace, a rebuild.
 */
const BUILD_MS_PER_CUSTOMER = 0.007;
const REFRESH_TO_BUILD = 10;
const RATE_SAMPLE = 500;
const MAX_POLL_GAP_MS = CHANGE_LOG_RETENTION_MS / 2;
/** Past this many unread log entries a rebuild is cheaper than reading them. */
const MAX_LOG_READ = 5000;

interface Entry {
  index: WorkspaceIndex | undefined;
  /** Bumped by every catalog change; the index is current when it was built at this generation. */
  generation: number;
  builtGeneration: number;
  building: Promise<void> | undefined;
  refreshing: Promise<void> | undefined;
  pending: Set<number>;
  /** The last change log id this index has taken into account. */
  logPosition: number;
  polledAt: number;
  /** A snapshot is tried once, for the first index of the entry; every later rebuild reads the store. */
  snapshotTried: boolean;
  /** The index and log position the store's snapshot holds, so an unchanged index is not saved again. */
  savedIndex: WorkspaceIndex | undefined;
  savedPosition: number;
  saving: Promise<SavedSnapshot | undefined> | undefined;
  /** Full builds from the store of this entry's index (a snapshot loaded is none). */
  builds: number;
  /** What the last build and the last refresh of at least RATE_SAMPLE customers took a customer, in ms. */
  buildMsPerCustomer: number | undefined;
  refreshMsPerCustomer: number | undefined;
  /**
   * Tags deleted while a build or refresh was reading the store, by id with their values: what
   * it read before the deletion committed may have held one (an assignment past its expiry), so
   * they are dropped again once it is done.
   */
  droppedMeanwhile: Map<number, readonly number[]>;
}

export interface IndexRegistryOptions {
  /**
   * Start each workspace from its snapshot in the store when one is usable (then read the
   * change log after it), and save snapshots on `saveSnapshot`. Off by default: a process
   * that only reads once gains nothing from writing hundreds of MiB.
   */
  snapshots?: boolean;
  /** Told why a snapshot was not used. */
  onSnapshotRejected?: (workspaceId: number, reason: string) => void;
  /** Past this many pending customers a rebuild replaces the refresh (100,000 by default). */
  maxRefresh?: number;
  /**
   * The clock for a caller that brings none (`followStore`): a build or refresh loads the
   * assignments still held by it. The system clock by default.
   */
  now?: Clock;
}

/** Who asks for an index: its workspace, and the clock whose instant decides which assignments are still held. */
export type IndexReader = Pick<WorkspaceContext, 'store' | 'workspaceId'> & Partial<Pick<WorkspaceContext, 'now'>>;

export class IndexRegistry implements ChangeObserver {
  private readonly entries = new Map<number, Entry>();
  private readonly maxRefresh: number;

  /** `store`, when given, is what every index reads; otherwise each read uses its context's store. */
  constructor(
    private readonly store?: Store,
    private readonly options: IndexRegistryOptions = {},
  ) {
    this.maxRefresh = options.maxRefresh ?? MAX_REFRESH;
  }

  /** The workspace's index, built on first use and brought up to date with every change reported so far. */
  async get(context: IndexReader): Promise<WorkspaceIndex> {
    const entry = this.entry(context.workspaceId);
    const store = this.store ?? context.store;
    if (entry.index) await this.readChangeLog(entry, store, context.workspaceId);
    for (;;) {
      if (entry.building) {
        await entry.building;
        continue;
      }
      const index = entry.index;
      if (!index || this.needsRebuild(entry)) {
        entry.building = this.rebuild(entry, store, context.workspaceId, this.instantOf(context));
        continue;
      }
      if (entry.refreshing) {
        await entry.refreshing;
        continue;
      }
      if (entry.pending.size > 0) {
        entry.refreshing = this.refresh(entry, index, store, this.instantOf(context));
        continue;
      }
      return index;
    }
  }

  /**
   * Catches the workspace's index up with the change log now, as the next read would, so that
   * the read need not wait (`followStore` calls it when the log has moved). While the log is
   * still `growing` (a load under way in another process), only a small refresh is done: a
   * larger one, or a rebuild, is left for when it is quiet, rather than repeated poll after poll.
   * Nothing for a workspace whose index was never asked for. Whether the index is now current.
   */
  async catchUp(context: IndexReader, options: { growing: boolean }): Promise<boolean> {
    const entry = this.entries.get(context.workspaceId);
    if (!entry?.index || entry.building || entry.refreshing) return false;
    await this.readChangeLog(entry, this.store ?? context.store, context.workspaceId);
    if (options.growing && (this.needsRebuild(entry) || entry.pending.size > SMALL_REFRESH)) return false;
    await this.get(context);
    return true;
  }

  /** Now by the caller's clock, else the registry's: what a build or refresh loads the assignments still held at. */
  private instantOf(context: IndexReader): number {
    return (context.now ?? this.options.now ?? systemClock)().getTime();
  }

  /** Whether the workspace has an index (built, or being built). */
  has(workspaceId: number): boolean {
    return this.entries.has(workspaceId);
  }

  /** Whether the workspace's index holds every change up to the change log's `head`, with nothing left to apply. */
  isCurrent(workspaceId: number, head: number): boolean {
    const entry = this.entries.get(workspaceId);
    if (!entry?.index || entry.building || entry.refreshing) return false;
    return entry.logPosition >= head && entry.pending.size === 0 && !this.needsRebuild(entry);
  }

  /** The last change log id the workspace's index has taken into account (0 before it is built). */
  logPosition(workspaceId: number): number {
    return this.entries.get(workspaceId)?.logPosition ?? 0;
  }

  customersChanged(workspaceId: number, customerIds: readonly number[]): void {
    const entry = this.entries.get(workspaceId);
    // Nothing to keep in step before the first read builds the index from the store.
    if (!entry) return;
    for (const id of customerIds) entry.pending.add(id);
    this.rebuildIfTooMany(entry);
  }

  catalogChanged(workspaceId: number): void {
    const entry = this.entries.get(workspaceId);
    if (entry) entry.generation++;
  }

  tagDeleted(workspaceId: number, tagId: number, valueIds: readonly number[]): void {
    const entry = this.entries.get(workspaceId);
    if (entry) this.dropTag(entry, tagId, valueIds);
  }

  /** How many times the workspace's index was built from the store since it was first asked for. */
  builds(workspaceId: number): number {
    return this.entries.get(workspaceId)?.builds ?? 0;
  }

  /** Drops the workspace's index; the next read builds it again. */
  evict(workspaceId: number): void {
    this.entries.delete(workspaceId);
  }

  /**
   * Saves the workspace's index as its snapshot, once it is up to date with the change log;
   * nothing when snapshots are off, the index was never built, or it has not changed since
   * the last snapshot. Encoding holds the event loop (about a second per 300 MiB).
   */
  async saveSnapshot(context: Pick<WorkspaceContext, 'store' | 'workspaceId'>): Promise<SavedSnapshot | undefined> {
    const entry = this.entries.get(context.workspaceId);
    if (!this.options.snapshots || !entry?.index) return undefined;
    // One save at a time per workspace; a failed one is its caller's to report.
    while (entry.saving) await entry.saving.catch(() => undefined);
    const saving = this.writeSnapshot(entry, context);
    entry.saving = saving;
    try {
      return await saving;
    } finally {
      entry.saving = undefined;
    }
  }

  /** `saveSnapshot` for every workspace with an index (the registry must have been given its store). */
  async saveSnapshots(): Promise<Map<number, SavedSnapshot>> {
    const saved = new Map<number, SavedSnapshot>();
    const store = this.store;
    if (!store) return saved;
    for (const workspaceId of [...this.entries.keys()]) {
      const result = await this.saveSnapshot({ store, workspaceId });
      if (result) saved.set(workspaceId, result);
    }
    return saved;
  }

  stats(): WorkspaceIndexStats[] {
    return [...this.entries.values()].flatMap((entry) => (entry.index ? [entry.index.stats()] : []));
  }

  private entry(workspaceId: number): Entry {
    let entry = this.entries.get(workspaceId);
    if (!entry) {
      entry = {
        index: undefined,
        generation: 0,
        builtGeneration: -1,
        building: undefined,
        refreshing: undefined,
        pending: new Set(),
        logPosition: 0,
        polledAt: 0,
        snapshotTried: false,
        savedIndex: undefined,
        savedPosition: -1,
        saving: undefined,
        builds: 0,
        buildMsPerCustomer: undefined,
        refreshMsPerCustomer: undefined,
        droppedMeanwhile: new Map(),
      };
      this.entries.set(workspaceId, entry);
    }
    return entry;
  }

  private needsRebuild(entry: Entry): boolean {
    return !entry.index || entry.builtGeneration !== entry.generation || this.refreshTooLarge(entry);
  }

  private refreshTooLarge(entry: Entry): boolean {
    const size = entry.pending.size;
    if (size > this.maxRefresh) return true;
    // Before the first build lands there is nothing to weigh against: the build reads what it reads.
    if (!entry.index || size <= SMALL_REFRESH) return false;
    const buildMs = entry.buildMsPerCustomer ?? BUILD_MS_PER_CUSTOMER;
    const refreshMs = entry.refreshMsPerCustomer ?? buildMs * REFRESH_TO_BUILD;
    return size * refreshMs > entry.index.all.size * buildMs;
  }

  private async rebuild(entry: Entry, store: Store, workspaceId: number, at: number): Promise<void> {
    const generation = entry.generation;
    try {
      if (this.options.snapshots && !entry.snapshotTried) {
        entry.snapshotTried = true;
        if (await this.loadSnapshot(entry, store, workspaceId, generation)) return;
      }
      // The build reads the store after every change reported so far was committed; changes
      // reported while it runs stay pending and are refreshed afterwards.
      const covered = [...entry.pending];
      entry.pending.clear();
      entry.droppedMeanwhile.clear();
      let position: number;
      let polledAt: number;
      let index: WorkspaceIndex;
      try {
        // Read before the build: a change logged while it runs is read again afterwards, never missed.
        const last = await store.db.selectFrom('changes').select((eb) => eb.fn.max('id').as('id')).where('workspace_id', '=', workspaceId).executeTakeFirst();
        position = Number(last?.id ?? 0);
        polledAt = Date.now();
        index = await WorkspaceIndex.build(store, workspaceId, at);
      } catch (error) {
        // The index stays the one before the build while the log position already covers the
        // entries these customers came from: dropped, the next read would answer without them
        // (an import's thousands, when the store's connection was lost half way through the
        // build its size called for), and so would every snapshot saved after it.
        for (const id of covered) entry.pending.add(id);
        throw error;
      }
      for (const [tagId, valueIds] of entry.droppedMeanwhile) index.dropTag(tagId, valueIds);
      entry.droppedMeanwhile.clear();
      entry.index = index;
      entry.builds++;
      if (index.all.size >= RATE_SAMPLE) entry.buildMsPerCustomer = index.buildMs / index.all.size;
      entry.logPosition = Math.max(entry.logPosition, position);
      entry.polledAt = polledAt;
      entry.builtGeneration = generation;
    } finally {
      entry.building = undefined;
    }
  }

  /**
   * Takes the snapshot as the index when it is usable, then reads the log after its position,
   * so what follows (refreshes, or a rebuild for a catalog entry) is what it would be after a
   * build at that position. Pending changes are kept: the snapshot may predate them.
   */
  private async loadSnapshot(entry: Entry, store: Store, workspaceId: number, generation: number): Promise<boolean> {
    let loaded: LoadedSnapshot;
    try {
      loaded = await loadIndexSnapshot(store, workspaceId, await catalogFingerprint(store, workspaceId));
    } catch (error) {
      loaded = { rejected: `reading the snapshot failed: ${error instanceof Error ? error.message : String(error)}` };
    }
    if (!('rejected' in loaded) && Date.now() - loaded.polledAt > MAX_POLL_GAP_MS) loaded = { rejected: 'the change log may no longer hold what followed the snapshot' };
    if ('rejected' in loaded) {
      this.options.onSnapshotRejected?.(workspaceId, loaded.rejected);
      return false;
    }
    entry.index = loaded.index;
    entry.logPosition = loaded.position;
    entry.polledAt = loaded.polledAt;
    entry.builtGeneration = generation;
    entry.savedIndex = loaded.index;
    entry.savedPosition = loaded.position;
    await this.readChangeLog(entry, store, workspaceId);
    return true;
  }

  private async writeSnapshot(entry: Entry, context: Pick<WorkspaceContext, 'store' | 'workspaceId'>): Promise<SavedSnapshot | undefined> {
    const store = this.store ?? context.store;
    // A few tries: a write landing between bringing the index up to date and encoding it
    // leaves it behind the log for a moment.
    for (let attempt = 0; attempt < 3; attempt++) {
      // Read before the log: a catalog change after it is in the log past the saved position.
      const fingerprint = await catalogFingerprint(store, context.workspaceId);
      // Evicted meanwhile: `get` would build a new index just to save it.
      if (this.entries.get(context.workspaceId) !== entry) return undefined;
      const index = await this.get(context);
      if (this.entries.get(context.workspaceId) !== entry) return undefined;
      const current = entry.index === index && !entry.building && !entry.refreshing && entry.pending.size === 0 && entry.builtGeneration === entry.generation;
      if (!current) continue;
      if (entry.savedIndex === index && entry.savedPosition === entry.logPosition) return undefined;
      const at = { position: entry.logPosition, polledAt: entry.polledAt };
      // Encoded before its first await, so this is the index at `at`.
      const saved = await saveIndexSnapshot(store, index, at, fingerprint);
      // Not stored (a customer it held was erased meanwhile): the next save tries again.
      if (!saved) return undefined;
      entry.savedIndex = index;
      entry.savedPosition = at.position;
      return saved;
    }
    return undefined;
  }

  /** Takes in the changes other processes (and this one) logged since the last read. */
  private async readChangeLog(entry: Entry, store: Store, workspaceId: number): Promise<void> {
    const polledAt = Date.now();
    if (polledAt - entry.polledAt > MAX_POLL_GAP_MS) {
      entry.generation++;
      return;
    }
    const rows = await store.db
      .selectFrom('changes')
      .select(['id', 'kind', 'customer_ids'])
      .where('workspace_id', '=', workspaceId)
      .where('id', '>', entry.logPosition)
      .orderBy('id')
      .limit(MAX_LOG_READ + 1)
      .execute();
    entry.polledAt = polledAt;
    if (rows.length > MAX_LOG_READ) {
      entry.generation++;
      return;
    }
    for (const row of rows) {
      // Past what a refresh is worth, the rebuild that follows reads everything the rest of the log
      // says (its position is read before it starts): no need to parse it. Not while a build runs:
      // what is logged meanwhile may postdate what it read, and stays to be applied after it.
      if (!entry.building && entry.builtGeneration !== entry.generation) {
        entry.pending.clear();
        break;
      }
      if (row.kind === 'catalog') entry.generation++;
      // A library change alters no customer's data: what it changed in assignments is logged apart.
      else if (row.kind === 'library') continue;
      else if (row.kind === 'tag_deleted') {
        const [tagId, ...valueIds] = JSON.parse(row.customer_ids ?? '[]') as number[];
        if (tagId !== undefined) this.dropTag(entry, tagId, valueIds);
      } else for (const id of JSON.parse(row.customer_ids ?? '[]') as number[]) entry.pending.add(id);
      entry.logPosition = Math.max(entry.logPosition, row.id);
      this.rebuildIfTooMany(entry);
    }
  }

  /** Drops a deleted tag from the index as it is, and from the one being built when it lands. */
  private dropTag(entry: Entry, tagId: number, valueIds: readonly number[]): void {
    entry.index?.dropTag(tagId, valueIds);
    if (entry.building || entry.refreshing) entry.droppedMeanwhile.set(tagId, valueIds);
  }

  /**
   * Past what a refresh is worth, pending customers are dropped for a rebuild, which reads
   * everything committed before it starts: a pass of the rules over millions of customers,
   * reported batch by batch, would otherwise be held here id by id until the next read.
   */
  private rebuildIfTooMany(entry: Entry): void {
    if (!this.refreshTooLarge(entry)) return;
    entry.pending.clear();
    entry.generation++;
  }

  private async refresh(entry: Entry, index: WorkspaceIndex, store: Store, at: number): Promise<void> {
    const ids = [...entry.pending];
    entry.pending.clear();
    try {
      const started = performance.now();
      await index.refreshCustomers(store, ids, undefined, at);
      if (ids.length >= RATE_SAMPLE) entry.refreshMsPerCustomer = (performance.now() - started) / ids.length;
      if (!entry.building) {
        for (const [tagId, valueIds] of entry.droppedMeanwhile) index.dropTag(tagId, valueIds);
        entry.droppedMeanwhile.clear();
      }
    } catch (error) {
      for (const id of ids) entry.pending.add(id);
      throw error;
    } finally {
      entry.refreshing = undefined;
    }
  }
}
