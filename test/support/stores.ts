// Runs one test body on every store: SQLite always, PostgreSQL when TAGBASE_TEST_PG_URL names
// a server. Under CI the PostgreSQL run is mandatory: a missing URL fails instead of skipping.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, it } from 'vitest';
import { sql } from 'kysely';
import { openStore, type Store } from '../../src/store/connect.js';
import { ensureWorkspace } from '../../src/engine/workspaces.js';
import type { WorkspaceContext } from '../../src/engine/context.js';

export type StoreKind = 'sqlite' | 'postgres';

export function storeKinds(): StoreKind[] {
  const url = process.env.TAGBASE_TEST_PG_URL;
  if (!url && process.env.CI) throw new Error('TAGBASE_TEST_PG_URL must name a PostgreSQL server under CI');
  return url ? ['sqlite', 'postgres'] : ['sqlite'];
}

/** A clock the test moves by hand. */
export class TestClock {
  constructor(public current = new Date('2026-06-15T10:00:00Z')) {}
  readonly now = (): Date => new Date(this.current.getTime());
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
  set(iso: string): void {
    this.current = new Date(iso);
  }
}

export interface StoreHarness {
  kind: StoreKind;
  store(): Store;
  clock: TestClock;
  /** A fresh workspace for the current test, acting as `actor`. */
  context(actor?: string | null): WorkspaceContext;
  workspaceKey(): string;
}

/** Opens a private store of the given kind: an in-memory SQLite, or a fresh PostgreSQL schema. */
export async function openTestStore(kind: StoreKind): Promise<{ store: Store; dispose(): Promise<void> }> {
  if (kind === 'sqlite') {
    const store = await openStore(':memory:');
    await store.migrate();
    return { store, dispose: () => store.close() };
  }
  const url = process.env.TAGBASE_TEST_PG_URL ?? '';
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const store = await openStore(url, { pgSchema: schema, poolSize: 4 });
  await store.migrate();
  return {
    store,
    async dispose() {
      await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(store.db);
      await store.close();
    },
  };
}

export function forEachStore(name: string, body: (harness: StoreHarness) => void): void {
  for (const kind of storeKinds()) {
    describe(`${name} [${kind}]`, () => {
      let opened: Awaited<ReturnType<typeof openTestStore>> | undefined;
      let workspace: { key: string; id: number } | undefined;
      let counter = 0;
      const clock = new TestClock();
      const harness: StoreHarness = {
        kind,
        clock,
        store() {
          if (!opened) throw new Error('store is not open yet');
          return opened.store;
        },
        context(actor: string | null = 'tester') {
          if (!opened || !workspace) throw new Error('store is not open yet');
          return { store: opened.store, workspaceId: workspace.id, workspaceKey: workspace.key, actor, now: clock.now };
        },
        workspaceKey() {
          if (!workspace) throw new Error('store is not open yet');
          return workspace.key;
        },
      };
      beforeAll(async () => {
        opened = await openTestStore(kind);
      });
      afterAll(async () => {
        await opened?.dispose();
      });
      beforeEach(async () => {
        clock.set('2026-06-15T10:00:00Z');
        counter++;
        const key = `w${counter}`;
        workspace = { key, id: await ensureWorkspace(harness.store(), key, key, clock.now) };
      });
      body(harness);
    });
  }
}

export { it };
