import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { upsertCustomers } from '../../src/engine/customers.js';
import { assignTag, removeTag, sweepExpiredAssignments, tagNobody } from '../../src/engine/tagging.js';
import { getCustomerHistory, getPortrait } from '../../src/engine/portrait.js';
import { updateTag } from '../../src/engine/library.js';
import { configureModel } from '../../src/engine/models.js';
import { defineTag, interests, rejected, stage } from './support.js';

const DAY = 86_400_000;

forEachStore('manual tagging', (h) => {
  it('adds values of a multi-valued tag and shows them as name: value', async () => {
    const ctx = h.context('导购-王芳');
    await upsertCustomers(ctx, [{ id: 'C1' }]);
    await defineTag(ctx, interests);
    await assignTag(ctx, { tag: 'interests', value: '高尔夫', customers: ['C1'], source: 'manual' });
    h.clock.advance(7 * DAY);
    await assignTag(ctx, { tag: '兴趣爱好', value: 'fishing', customers: ['C1'], source: 'manual' });
    const portrait = await getPortrait(ctx, 'C1');
    expect(portrait.tags.map((t) => t.label)).toEqual(['兴趣爱好: 高尔夫', '兴趣爱好: 钓鱼']);
    expect(portrait.tags[0]).toMatchObject({ source: 'manual', actor: '导购-王芳', expires_at: null });
    expect(portrait.recent_history.map((e) => e.action)).toEqual(['add', 'add']);
  });

  it('replaces the value of a single-valued tag and records the replacement', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'C1' }]);
    await defineTag(ctx, stage);
    await assignTag(ctx, { tag: 'stage', value: 'pre', customers: ['C1'], source: 'manual' });
    const result = await assignTag(ctx, { tag: 'stage', value: 'after', customers: ['C1'], source: 'api' });
    expect(result).toMatchObject({ matched: 1, replaced: 1, added: 0, changed: 1 });
    const portrait = await getPortrait(ctx, 'C1');
    expect(portrait.tags.map((t) => t.value)).toEqual(['after']);
    expect(portrait.recent_history[0]).toMatchObject({ action: 'replace', value: 'after', previous_value: 'pre', source: 'api' });
  });

  it('takes an expired assignment as gone before a change by hand, swept or not', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'C1' }, { id: 'C2' }]);
    await defineTag(ctx, stage);
    await assignTag(ctx, { tag: 'stage', value: 'pre', customers: ['C1', 'C2'], source: 'manual', expiresAt: h.clock.now().getTime() + DAY });
    h.clock.advance(2 * DAY);
    // Given again after its expiry: added again, not left as it was.
    expect(await assignTag(ctx, { tag: 'stage', value: 'pre', customers: ['C1'], source: 'manual' })).toMatchObject({ added: 1, unchanged: 0, changed: 1 });
    expect((await getPortrait(ctx, 'C1')).recent_history.map((e) => e.action)).toEqual(['add', 'expire', 'add']);
    // Removed after its expiry: nothing was held to remove; the expiry is recorded.
    expect(await removeTag(ctx, { tag: 'stage', customers: ['C2'], source: 'manual' })).toMatchObject({ removed: 0 });
    expect((await getPortrait(ctx, 'C2')).recent_history.map((e) => e.action)).toEqual(['expire', 'add']);
    expect((await getPortrait(ctx, 'C2')).tags).toEqual([]);
  });

  it('bulk-assigns to many customers in one call, counting what changed', async () => {
    const ctx = h.context();
    const ids = Array.from({ length: 3000 }, (_, i) => `C${i}`);
    await upsertCustomers(ctx, ids.map((id) => ({ id })));
    await defineTag(ctx, stage);
    await assignTag(ctx, { tag: 'stage', value: 'pre', customers: ids.slice(0, 1000), source: 'manual' });
    await assignTag(ctx, { tag: 'stage', value: 'after', customers: ids.slice(0, 500), source: 'manual' });
    const result = await assignTag(ctx, { tag: 'stage', value: 'after', customers: ids, source: 'manual' });
    expect(result).toEqual({ matched: 3000, added: 2000, replaced: 500, unchanged: 500, renewed: 0, changed: 2500 });
    const removal = await removeTag(ctx, { tag: 'stage', customers: ids.slice(0, 10), source: 'manual' });
    expect(removal).toEqual({ matched: 10, removed: 10 });
  });

  it('changes nothing when one of the customers is unknown', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'C1' }, { id: 'C2' }]);
    await defineTag(ctx, stage);
    const error = await rejected(assignTag(ctx, { tag: 'stage', value: 'pre', customers: ['C1', 'nobody', 'C2'], source: 'manual' }));
    expect(error.code).toBe('CUSTOMER_NOT_FOUND');
    expect((await getPortrait(ctx, 'C1')).tags).toEqual([]);
  });

  it('lists every unknown customer with its place in the list, not only the first five', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'C1' }]);
    await defineTag(ctx, stage);
    const unknown = Array.from({ length: 7 }, (_, i) => `ghost-${i}`);
    const error = await rejected(assignTag(ctx, { tag: 'stage', value: 'pre', customers: ['C1', ...unknown], source: 'manual' }));
    expect(error.code).toBe('CUSTOMERS_NOT_FOUND');
    expect(error.message).toContain('7 customer ids do not exist');
    expect(error.items?.map((item) => [item.index, item.code, item.path])).toEqual(unknown.map((_, i) => [i + 1, 'CUSTOMER_NOT_FOUND', 'customers']));
    expect(error.items?.[6]?.localized).toEqual({ en: 'Customer "ghost-6" does not exist.', 'zh-CN': '客户「ghost-6」不存在。' });
    const removal = await rejected(removeTag(ctx, { tag: 'stage', customers: ['ghost-0', 'C1'], source: 'manual' }));
    expect(removal.code).toBe('CUSTOMER_NOT_FOUND');
    expect(removal.items?.map((item) => item.index)).toEqual([0]);
  });

  it('names unknown tags and values with a suggestion', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'C1' }]);
    await defineTag(ctx, interests);
    const unknownTag = await rejected(assignTag(ctx, { tag: 'interest', value: 'golf', customers: ['C1'], source: 'manual' }));
    expect(unknownTag.code).toBe('TAG_NOT_FOUND');
    expect(unknownTag.message).toContain('interests');
    const unknownValue = await rejected(assignTag(ctx, { tag: 'interests', value: 'gollf', customers: ['C1'], source: 'manual' }));
    expect(unknownValue.code).toBe('TAG_VALUE_NOT_FOUND');
    expect(unknownValue.message).toContain('"golf"');
  });

  it('refuses archived and non-manual tags', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'C1' }]);
    await defineTag(ctx, stage);
    await configureModel(ctx, 'vip', {});
    await updateTag(ctx, 'stage', { status: 'archived' });
    expect((await rejected(assignTag(ctx, { tag: 'stage', value: 'pre', customers: ['C1'], source: 'manual' }))).code).toBe('TAG_ARCHIVED');
    expect((await rejected(assignTag(ctx, { tag: 'vip', value: 'vip', customers: ['C1'], source: 'manual' }))).code).toBe('TAG_NOT_MANUAL');
  });

  it('expires assignments: the sweeper removes them and records the expiry', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'C1' }, { id: 'C2' }]);
    await defineTag(ctx, { ...interests, default_expiry_days: 30 });
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['C1', 'C2'], source: 'manual' });
    await assignTag(ctx, { tag: 'interests', value: 'yoga', customers: ['C1'], source: 'manual', expiresAt: null });
    expect((await getPortrait(ctx, 'C1')).tags.find((t) => t.value === 'golf')?.expires_at).toBe('2026-07-15T10:00:00.000Z');
    // Given again with another expiry, a held value keeps its place and says its expiry moved.
    expect(await assignTag(ctx, { tag: 'interests', value: 'yoga', customers: ['C1'], source: 'manual', expiresAt: h.clock.now().getTime() + 60 * DAY })).toMatchObject({ unchanged: 1, renewed: 1, changed: 0 });
    expect(await assignTag(ctx, { tag: 'interests', value: 'yoga', customers: ['C1'], source: 'manual', expiresAt: null })).toMatchObject({ unchanged: 1, renewed: 1 });
    expect(await assignTag(ctx, { tag: 'interests', value: 'yoga', customers: ['C1'], source: 'manual', expiresAt: null })).toMatchObject({ unchanged: 1, renewed: 0 });
    h.clock.advance(29 * DAY);
    expect(await sweepExpiredAssignments(ctx)).toBe(0);
    h.clock.advance(DAY);
    expect(await sweepExpiredAssignments(ctx)).toBe(2);
    expect((await getPortrait(ctx, 'C1')).tags.map((t) => t.value)).toEqual(['yoga']);
    const history = (await getCustomerHistory(ctx, 'C1', { limit: 10 })).items;
    expect(history[0]).toMatchObject({ action: 'expire', value: 'golf', actor: 'system' });
  });

  it('rejects an expiry in the past', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'C1' }]);
    await defineTag(ctx, stage);
    const error = await rejected(assignTag(ctx, { tag: 'stage', value: 'pre', customers: ['C1'], source: 'manual', expiresAt: h.clock.now().getTime() - 1 }));
    expect(error.code).toBe('VALIDATION_FAILED');
  });

  it('refuses an expiry past the year 9999, which no date can be written for, and takes the last moment of 9999', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'C1' }]);
    await defineTag(ctx, stage);
    for (const expiresAt of [Date.parse('9999-12-31T23:00:00-05:00'), 8.64e27]) {
      for (const call of [assignTag(ctx, { tag: 'stage', value: 'pre', customers: ['C1'], source: 'manual', expiresAt }), tagNobody(ctx, { tag: 'stage', value: 'pre', action: 'assign', expiresAt })]) {
        const error = await rejected(call);
        expect(error.code).toBe('VALIDATION_FAILED');
        expect(error.items?.[0]).toMatchObject({ path: 'expires_at', message: expect.stringContaining('expires_at must be no later than 9999-12-31T23:59:59Z') as unknown });
      }
    }
    expect((await getPortrait(ctx, 'C1')).tags).toEqual([]);
    await assignTag(ctx, { tag: 'stage', value: 'pre', customers: ['C1'], source: 'manual', expiresAt: Date.parse('9999-12-31T23:59:59.999Z') });
    expect((await getPortrait(ctx, 'C1')).tags[0]?.expires_at).toBe('9999-12-31T23:59:59.999Z');
  });

  it('keeps personal tags visible to their owner only', async () => {
    const alice = h.context('alice');
    const bob = h.context('bob');
    await upsertCustomers(alice, [{ id: 'C1' }]);
    await defineTag(alice, { key: 'golf_buddy', name: '球友', scope: 'personal', values: [{ key: 'yes', name: '是' }] });
    await assignTag(alice, { tag: 'golf_buddy', value: 'yes', customers: ['C1'], source: 'manual' });
    expect((await getPortrait(alice, 'C1')).tags.map((t) => t.label)).toEqual(['球友: 是']);
    expect((await getPortrait(bob, 'C1')).tags).toEqual([]);
    expect((await getPortrait(bob, 'C1')).recent_history).toEqual([]);
    expect((await rejected(assignTag(bob, { tag: 'golf_buddy', value: 'yes', customers: ['C1'], source: 'manual' }))).code).toBe('TAG_NOT_FOUND');
    // Bob may make his own personal tag with the same key.
    await defineTag(bob, { key: 'golf_buddy', name: '球友', scope: 'personal', values: [{ key: 'yes', name: '是' }] });
  });
});
