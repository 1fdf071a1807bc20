// Keeps one WorkspaceIndex per workspace in step with the store. The engine reports changes
// after its transactions commit, to this process's observer and to the change log that every
// process shares; the registry only records them and applies them before the next read, so a
// burst of writes costs one batched refresh rather than one per write, and a write made by
// another process (an import beside the server, a second server) is seen by the next read.
import { CHANGE_LOG_RETENTION_MS, type ChangeObserver, type WorkspaceContext } from '../engine/context.js';
import type { Store } from '../store/connect.js';
import { WorkspaceIndex, type WorkspaceIndexStats } from './workspace-index.js';

/** Past this many pending customers (or this share of the workspace) a rebuild is cheaper than a refresh. */
const MAX_REFRESH = 100_000;
const MAX_REFRESH_SHARE = 0.25;
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
}

export class IndexRegistry implements ChangeObserver {
  private readonly entries = new Map<number, Entry>();

  /** `store`, when given, is what every index reads; otherwise each read uses its context's store. */
  constructor(private readonly store?: Store) {}

  /** The workspace's index, built on first use and brought up to date with every change reported so far. */
  async get(context: Pick<WorkspaceContext, 'store' | 'workspaceId'>): Promise<WorkspaceIndex> {
    const entry = this.entry(context.workspaceId);
    const store = this.store ?? context.store;
    if (entry.index) await this.readChangeLog(entry, store, context.workspaceId);
    for (;;) {
      if (entry.building) {
        await entry.building;
        continue;
      }
      const index = entry.index;
      if (!index || entry.builtGeneration !== entry.generation || this.refreshTooLarge(entry, index)) {
        entry.building = this.rebuild(entry, store, context.workspaceId);
        continue;
      }
      if (entry.refreshing) {
        await entry.refreshing;
        continue;
      }
      if (entry.pending.size > 0) {
        entry.refreshing = this.refresh(entry, index, store);
        continue;
      }
      return index;
    }
  }

  customersChanged(workspaceId: number, customerIds: readonly number[]): void {
    const entry = this.entries.get(workspaceId);
    // Nothing to keep in step before the first read builds the index from the store.
    if (!entry) return;
    for (const id of customerIds) entry.pending.add(id);
  }

  catalogChanged(workspaceId: number): void {
    const entry = this.entries.get(workspaceId);
    if (entry) entry.generation++;
  }

  /** Drops the workspace's index; the next read builds it again. */
  evict(workspaceId: number): void {
    this.entries.delete(workspaceId);
  }

  stats(): WorkspaceIndexStats[] {
    return [...this.entries.values()].flatMap((entry) => (entry.index ? [entry.index.stats()] : []));
  }

  private entry(workspaceId: number): Entry {
    let entry = this.entries.get(workspaceId);
    if (!entry) {
      entry = { index: undefined, generation: 0, builtGeneration: -1, building: undefined, refreshing: undefined, pending: new Set(), logPosition: 0, polledAt: 0 };
      this.entries.set(workspaceId, entry);
    }
    return entry;
  }

  private refreshTooLarge(entry: Entry, index: WorkspaceIndex): boolean {
    return entry.pending.size > MAX_REFRESH || (entry.pending.size > 1000 && entry.pending.size > index.all.size * MAX_REFRESH_SHARE);
  }

  private async rebuild(entry: Entry, store: Store, workspaceId: number): Promise<void> {
    const generation = entry.generation;
    // The build reads the store after every change reported so far was committed; changes
    // reported while it runs stay pending and are refreshed afterwards.
    entry.pending.clear();
    try {
      // Read before the build: a change logged while it runs is read again afterwards, never missed.
      const last = await store.db.selectFrom('changes').select((eb) => eb.fn.max('id').as('id')).where('workspace_id', '=', workspaceId).executeTakeFirst();
      const position = Number(last?.id ?? 0);
      const polledAt = Date.now();
      entry.index = await WorkspaceIndex.build(store, workspaceId);
      entry.logPosition = Math.max(entry.logPosition, position);
      entry.polledAt = polledAt;
      entry.builtGeneration = generation;
    } finally {
      entry.building = undefined;
    }
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
      if (row.kind === 'catalog') entry.generation++;
      else for (const id of JSON.parse(row.customer_ids ?? '[]') as number[]) entry.pending.add(id);
      entry.logPosition = Math.max(entry.logPosition, row.id);
    }
  }

  private async refresh(entry: Entry, index: WorkspaceIndex, store: Store): Promise<void> {
    const ids = [...entry.pending];
    entry.pending.clear();
    try {
      await index.refreshCustomers(store, ids);
    } catch (error) {
      for (const id of ids) entry.pending.add(id);
      throw error;
    } finally {
      entry.refreshing = undefined;
    }
  }
}
