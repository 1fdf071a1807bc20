// Bulk tagging can be undone for a week: each customer it changed gets back what they held of
// the tag before, with its source, author, time and expiry, unless they changed since.
import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { upsertCustomers } from '../../src/engine/customers.js';
import { assignTag, removeTag } from '../../src/engine/tagging.js';
import { listTaggingOperations, undoTaggingOperation } from '../../src/engine/tagging-operations.js';
import { getCustomerHistory, getPortrait } from '../../src/engine/portrait.js';
import { eraseCustomer } from '../../src/engine/erasure.js';
import { mergeCustomers } from '../../src/engine/merge.js';
import { removeTagValue, updateTag } from '../../src/engine/library.js';
import { defineTag, interests, rejected, stage } from './support.js';

const DAY = 86_400_000;

forEachStore('undoing bulk tagging', (h) => {
  it('puts back each customer’s value as it was, source, author and expiry, and leaves one changed since', async () => {
    const ctx = h.context('导购-王芳');
    await upsertCustomers(ctx, [{ id: 'A' }, { id: 'B' }, { id: 'C' }, { id: 'D' }]);
    await defineTag(ctx, stage);
    const expiresAt = h.clock.now().getTime() + 30 * DAY;
    await assignTag(ctx, { tag: 'stage', value: 'pre', customers: ['A'], source: 'import', expiresAt });
    await assignTag(ctx, { tag: 'stage', value: 'during', customers: ['B', 'C'], source: 'manual' });
    const before = await getPortrait(ctx, 'A');
    h.clock.advance(DAY);
    const bulk = await assignTag(h.context('运营-小张'), { tag: 'stage', value: 'after', customers: ['A', 'B', 'C', 'D'], source: 'manual', undoable: true });
    expect(bulk).toMatchObject({ changed: 4, replaced: 3, operation: expect.any(Number) });
    // Changed since by someone else: left as it is.
    h.clock.advance(1000);
    await assignTag(ctx, { tag: 'stage', value: 'pre', customers: ['C'], source: 'manual' });
    const [listed] = await listTaggingOperations(ctx);
    expect(listed).toMatchObject({ id: bulk.operation, action: 'assign', tag: 'stage', tag_name: '服务阶段', value: 'after', value_name: '售后', actor: '运营-小张', customers: 4, undone_at: null });

    const undone = await undoTaggingOperation(h.context('店长-李娜'), bulk.operation ?? 0);
    expect(undone).toMatchObject({ undone: 3, skipped: 1, operation: { undone_by: '店长-李娜', undone_customers: 3 } });
    const a = await getPortrait(ctx, 'A');
    expect(a.tags).toEqual(before.tags);
    expect(a.tags[0]).toMatchObject({ value: 'pre', source: 'import', actor: '导购-王芳', expires_at: new Date(expiresAt).toISOString() });
    expect((await getPortrait(ctx, 'B')).tags.map((tag) => tag.value)).toEqual(['during']);
    expect((await getPortrait(ctx, 'C')).tags.map((tag) => tag.value)).toEqual(['pre']);
    expect((await getPortrait(ctx, 'D')).tags).toEqual([]);
    // The history says who undid it: a replacement back, and a removal where there was nothing before.
    expect((await getCustomerHistory(ctx, 'A', { limit: 1 })).items[0]).toMatchObject({ action: 'replace', value: 'pre', previous_value: 'after', actor: '店长-李娜', source: 'import' });
    expect((await getCustomerHistory(ctx, 'D', { limit: 1 })).items[0]).toMatchObject({ action: 'remove', value: 'after', actor: '店长-李娜' });
    expect((await rejected(undoTaggingOperation(ctx, bulk.operation ?? 0))).code).toBe('TAGGING_OPERATION_UNDONE');
  });

  it('brings back values a bulk removal took, and not one whose expiry has passed since', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'A' }, { id: 'B' }]);
    await defineTag(ctx, interests);
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['A', 'B'], source: 'manual' });
    await assignTag(ctx, { tag: 'interests', value: 'yoga', customers: ['A'], source: 'manual', expiresAt: h.clock.now().getTime() + DAY });
    const removed = await removeTag(ctx, { tag: 'interests', customers: ['A', 'B'], source: 'manual', undoable: true });
    expect(removed).toMatchObject({ removed: 3, operation: expect.any(Number) });
    h.clock.advance(2 * DAY);
    expect(await undoTaggingOperation(ctx, removed.operation ?? 0)).toMatchObject({ undone: 2, skipped: 0 });
    expect((await getPortrait(ctx, 'A')).tags.map((tag) => tag.value)).toEqual(['golf']);
    expect((await getPortrait(ctx, 'B')).tags.map((tag) => tag.value)).toEqual(['golf']);
  });

  it('gives nothing back to a customer erased or merged into another since, and undoes the rest', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'A' }, { id: 'B' }, { id: 'C' }, { id: 'D' }]);
    await defineTag(ctx, stage);
    await assignTag(ctx, { tag: 'stage', value: 'pre', customers: ['A', 'B', 'C', 'D'], source: 'manual' });
    const removed = await removeTag(ctx, { tag: 'stage', customers: ['A', 'B', 'C', 'D'], source: 'manual', undoable: true });
    await eraseCustomer(ctx, 'A');
    await mergeCustomers(ctx, 'C', 'B');
    // Neither the erased customer (whose record is gone) nor the merged-away one is given a tag back.
    expect(await undoTaggingOperation(ctx, removed.operation ?? 0)).toMatchObject({ undone: 2, skipped: 2 });
    expect((await getPortrait(ctx, 'C')).tags.map((tag) => tag.value)).toEqual(['pre']);
    expect((await getPortrait(ctx, 'D')).tags.map((tag) => tag.value)).toEqual(['pre']);
    const held = await ctx.store.db.selectFrom('assignments').select('customer_id').where('workspace_id', '=', ctx.workspaceId).execute();
    expect(held).toHaveLength(2);
  });

  it('gives nothing back to a customer whose earlier value was removed from the tag since, and undoes the rest', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'A' }, { id: 'B' }]);
    await defineTag(ctx, stage);
    await assignTag(ctx, { tag: 'stage', value: 'pre', customers: ['A'], source: 'manual' });
    const bulk = await assignTag(ctx, { tag: 'stage', value: 'during', customers: ['A', 'B'], source: 'manual', undoable: true });
    // Nobody holds 售前 any more: it is removed from the library, a decision taken after the bulk tagging.
    await removeTagValue(ctx, 'stage', 'pre', {});
    expect(await undoTaggingOperation(ctx, bulk.operation ?? 0)).toMatchObject({ undone: 1, skipped: 1 });
    expect((await getPortrait(ctx, 'A')).tags.map((tag) => tag.value)).toEqual(['during']);
    expect((await getPortrait(ctx, 'B')).tags).toEqual([]);
  });

  it('never leaves a customer two values of a tag made single-valued since', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'A' }, { id: 'B' }]);
    await defineTag(ctx, interests);
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['A', 'B'], source: 'manual' });
    await assignTag(ctx, { tag: 'interests', value: 'yoga', customers: ['A'], source: 'manual' });
    const removed = await removeTag(ctx, { tag: 'interests', value: 'golf', customers: ['A', 'B'], source: 'manual', undoable: true });
    await updateTag(ctx, 'interests', { cardinality: 'single' });
    // A would hold 高尔夫 and 瑜伽 again, which the tag no longer allows: left as it is; B gets 高尔夫 back.
    expect(await undoTaggingOperation(ctx, removed.operation ?? 0)).toMatchObject({ undone: 1, skipped: 1 });
    expect((await getPortrait(ctx, 'A')).tags.map((tag) => tag.value)).toEqual(['yoga']);
    expect((await getPortrait(ctx, 'B')).tags.map((tag) => tag.value)).toEqual(['golf']);
  });

  it('records only bulk tagging that changed someone, and forgets it after a week', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'A' }]);
    await defineTag(ctx, stage);
    expect(await assignTag(ctx, { tag: 'stage', value: 'pre', customers: ['A'], source: 'manual' })).not.toHaveProperty('operation');
    expect(await assignTag(ctx, { tag: 'stage', value: 'pre', customers: ['A'], source: 'manual', undoable: true })).not.toHaveProperty('operation');
    const bulk = await assignTag(ctx, { tag: 'stage', value: 'after', customers: ['A'], source: 'manual', undoable: true });
    h.clock.advance(8 * DAY);
    expect(await listTaggingOperations(ctx)).toEqual([]);
    expect((await rejected(undoTaggingOperation(ctx, bulk.operation ?? 0))).code).toBe('TAGGING_OPERATION_NOT_FOUND');
    expect((await rejected(undoTaggingOperation(ctx, 999_999))).code).toBe('TAGGING_OPERATION_NOT_FOUND');
  });
});
