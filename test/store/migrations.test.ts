// Migrations on a store that already has a schema: one a newer version brought up is refused in
// words, on either store.
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { formatCliError } from '../../src/cli/errors.js';
import { configureModel } from '../../src/engine/models.js';
import { getTag } from '../../src/engine/library.js';
import { openWorkspace, ensureWorkspace } from '../../src/engine/workspaces.js';
import { openTestStore, storeKinds } from '../support/stores.js';

for (const kind of storeKinds()) {
  describe(`migrations [${kind}]`, () => {
    it('run again on an up-to-date store apply nothing', async () => {
      const { store, dispose } = await openTestStore(kind);
      try {
        expect((await store.migrate()).applied).toEqual([]);
      } finally {
        await dispose();
      }
    });

    it('name the model of each model tag made before a model tag could take a key of its own', async () => {
      const { store, dispose } = await openTestStore(kind);
      try {
        const clock = () => new Date('2026-06-15T10:00:00Z');
        await ensureWorkspace(store, 'shop', 'Shop', clock);
        const context = await openWorkspace(store, 'shop', 'tester', clock);
        await configureModel(context, 'vip', {});
        // The store as the version before had it: no model_key, and the migrations since not yet run.
        await sql`alter table tags drop column model_key`.execute(store.db);
        await sql`drop index customers_updated_idx`.execute(store.db);
        await sql`drop index event_journal_idempotency_idx`.execute(store.db);
        await sql`alter table event_journal drop column idempotency_key`.execute(store.db);
        await sql`alter table event_journal drop column request_digest`.execute(store.db);
        await sql`alter table segment_snapshots drop column segments`.execute(store.db);
        await sql`delete from kysely_migration where name in ('0022_model_tags', '0023_customers_updated_index', '0024_idempotency_keys', '0025_snapshot_segments')`.execute(store.db);
        expect((await store.migrate()).applied).toEqual(['0022_model_tags', '0023_customers_updated_index', '0024_idempotency_keys', '0025_snapshot_segments']);
        expect((await getTag(context, 'vip')).model).toBe('vip');
      } finally {
        await dispose();
      }
    });

    it('refuse a store a newer version brought up, naming the migration this version lacks, where Kysely said "corrupted migrations"', async () => {
      const { store, dispose } = await openTestStore(kind);
      try {
        await sql`insert into kysely_migration (name, timestamp) values ('9999_from_a_newer_version', '2030-01-01T00:00:00.000Z')`.execute(store.db);
        const failure = await store.migrate().then(
          () => undefined,
          (error: unknown) => error,
        );
        expect(failure).toMatchObject({ code: 'VALIDATION_FAILED' });
        expect(formatCliError(failure, 'en')).toBe(
          'error VALIDATION_FAILED: the store was brought up to date by a newer version of tagbase (its migration 9999_from_a_newer_version is not in this one): run that version or a later one; this one does not open the store, so that nothing is written in a layout it does not know',
        );
        expect(formatCliError(failure, 'zh-CN')).toContain('更新版本的 tagbase');
      } finally {
        await dispose();
      }
    });
  });
}
