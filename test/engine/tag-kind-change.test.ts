import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { upsertCustomers } from '../../src/engine/customers.js';
import { getPortrait } from '../../src/engine/portrait.js';
import { assignTag, removeTag } from '../../src/engine/tagging.js';
import { getTag, updateTag } from '../../src/engine/library.js';
import { createSegment } from '../../src/engine/segments.js';
import { configureModel } from '../../src/engine/models.js';
import { tagPatchSchema } from '../../src/core/tag.js';
import type { WorkspaceContext } from '../../src/engine/context.js';
import { defineTag, rejected } from './support.js';

const potential = { key: 'potential', name: '高潜客户', values: [{ key: 'high', name: '高' }, { key: 'low', name: '低' }] };

async function tagsOf(ctx: WorkspaceContext, customer: string) {
  return (await getPortrait(ctx, customer)).tags.filter((tag) => tag.tag === 'potential').map((tag) => [tag.label, tag.source]);
}

forEachStore('changing a tag\'s kind and scope', (h) => {
  it('makes a hand tag a rule tag: hand values stay and pin their customers, the rule gives it to everyone else at once', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'A', city: '杭州' }, { id: 'B', city: '北京' }, { id: 'C', city: '北京' }]);
    await defineTag(ctx, potential);
    await assignTag(ctx, { tag: 'potential', value: 'high', customers: ['C'], source: 'manual' });
    // Every value needs its condition; the conditions are checked as a new rule tag's are.
    const missing = await rejected(updateTag(ctx, 'potential', tagPatchSchema.parse({ kind: 'rule', conditions: { high: 'city = "杭州"' } })));
    expect([missing.code, missing.items?.[0]?.path]).toEqual(['VALIDATION_FAILED', 'conditions']);
    expect(missing.message).toContain('"low"');
    const unknown = await rejected(updateTag(ctx, 'potential', tagPatchSchema.parse({ kind: 'rule', conditions: { high: 'city = "杭州"', low: 'true', mid: 'true' } })));
    expect([unknown.code, unknown.items?.[0]?.path]).toEqual(['VALIDATION_FAILED', 'conditions.mid']);
    expect((await rejected(updateTag(ctx, 'potential', { kind: 'rule', conditions: { high: 'ctiy = "杭州"', low: 'city = "北京"' } }))).code).toBe('RULE_INVALID');
    await defineTag(ctx, { key: 'follow', name: '跟进', kind: 'rule', values: [{ key: 'yes', name: '是', condition: 'potential = "高"' }] });
    expect((await rejected(updateTag(ctx, 'potential', { kind: 'rule', conditions: { high: 'follow = "是"', low: 'city = "北京"' } }))).code).toBe('RULE_CYCLE');
    expect((await getTag(ctx, 'potential')).kind).toBe('manual');

    // By value name as well as key.
    const rule = await updateTag(ctx, 'potential', { kind: 'rule', conditions: { 高: 'city = "杭州"', low: 'city = "北京"' } });
    expect([rule.kind, rule.values.map((value) => value.condition)]).toEqual(['rule', ['city = "杭州"', 'city = "北京"']]);
    expect(await tagsOf(ctx, 'A')).toEqual([['高潜客户: 高', 'rule']]);
    expect(await tagsOf(ctx, 'B')).toEqual([['高潜客户: 低', 'rule']]);
    // Given by hand: kept, and the rule leaves C alone until it is taken off.
    expect(await tagsOf(ctx, 'C')).toEqual([['高潜客户: 高', 'manual']]);
    await upsertCustomers(ctx, [{ id: 'A', city: '北京' }]);
    expect(await tagsOf(ctx, 'A')).toEqual([['高潜客户: 低', 'rule']]);
    await removeTag(ctx, { tag: 'potential', customers: ['C'], source: 'manual' });
    expect(await tagsOf(ctx, 'C')).toEqual([['高潜客户: 低', 'rule']]);
  });

  it('makes a rule tag a hand tag: what the rule gave stays as it is and no longer follows behaviour', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'A', city: '杭州' }, { id: 'B', city: '北京' }]);
    await defineTag(ctx, { ...potential, kind: 'rule', values: [{ key: 'high', name: '高', condition: 'city = "杭州"' }, { key: 'low', name: '低', condition: 'city = "北京"' }] });
    const manual = await updateTag(ctx, 'potential', { kind: 'manual' });
    expect([manual.kind, manual.values.map((value) => value.condition)]).toEqual(['manual', [null, null]]);
    await upsertCustomers(ctx, [{ id: 'A', city: '北京' }, { id: 'C', city: '杭州' }]);
    expect(await tagsOf(ctx, 'A')).toEqual([['高潜客户: 高', 'rule']]);
    expect(await tagsOf(ctx, 'B')).toEqual([['高潜客户: 低', 'rule']]);
    expect(await tagsOf(ctx, 'C')).toEqual([]);
    // An ordinary hand tag: given and taken by hand.
    await assignTag(ctx, { tag: 'potential', value: 'low', customers: ['A'], source: 'manual' });
    expect(await tagsOf(ctx, 'A')).toEqual([['高潜客户: 低', 'manual']]);
    const stored = await h.store().db.selectFrom('rule_passes').select('tag_id').where('tag_id', '=', manual.id).execute();
    expect(stored).toEqual([]);
  });

  it('refuses a change of kind or scope on a model\'s tag', async () => {
    const ctx = h.context();
    await configureModel(ctx, 'rfm', {});
    const tag = await getTag(ctx, 'rfm');
    const kind = await rejected(updateTag(ctx, tag.key, { kind: 'manual' }));
    const scope = await rejected(updateTag(ctx, tag.key, { scope: 'personal' }));
    expect([kind.code, scope.code]).toEqual(['TAG_SET_BY_MODEL', 'TAG_SET_BY_MODEL']);
    expect(tagPatchSchema.safeParse({ kind: 'model' }).success).toBe(false);
    expect(tagPatchSchema.safeParse({ conditions: { high: 'true' } }).success).toBe(false);
  });

  it('makes a shared tag personal only while nothing shared reads it, and a personal tag shared when its key and name are free', async () => {
    const ctx = h.context('导购-王芳');
    await upsertCustomers(ctx, [{ id: 'A' }]);
    await defineTag(ctx, potential);
    await assignTag(ctx, { tag: 'potential', value: 'high', customers: ['A'], source: 'manual' });
    await createSegment(ctx, { key: 'hot', name: '高潜', expression: 'potential = "高"' });
    const read = await rejected(updateTag(ctx, 'potential', { scope: 'personal' }));
    expect([read.code, read.message, read.messageIn('zh-CN')]).toEqual([
      'TAG_SCOPE_IN_USE',
      'Tag "高潜客户" (potential) cannot become personal: segment "高潜" (hot) reads it. A personal tag is seen by its owner alone, so they would stop; keep it shared, or change those first. Nothing was changed.',
      '标签「高潜客户」（potential）不能改为个人标签：人群「高潜」（hot）正在读取它。个人标签只有其所有者可见，它们将因此失效；请保持为企业标签，或先修改它们。未做任何更改。',
    ]);
    await defineTag(ctx, { key: 'other', name: '其他', values: [{ key: 'yes', name: '是' }] });
    expect((await rejected(updateTag(h.context(null), 'other', { scope: 'personal' }))).code).toBe('PERSONAL_TAG_OWNER_REQUIRED');
    const mine = await updateTag(ctx, 'other', { scope: 'personal' });
    expect([mine.scope, mine.owner]).toEqual(['personal', '导购-王芳']);
    expect((await rejected(getTag(h.context('导购-李娜'), 'other'))).code).toBe('TAG_NOT_FOUND');
    // Shared again: everyone sees it.
    expect((await updateTag(ctx, 'other', { scope: 'enterprise' })).owner).toBe(null);
    expect((await getTag(h.context('导购-李娜'), 'other')).scope).toBe('enterprise');
    // A personal tag made shared may not take a key or name another staff member's personal tag has.
    await defineTag(h.context('导购-李娜'), { key: 'vip_mine', name: '我的VIP', scope: 'personal', values: [{ key: 'yes', name: '是' }] });
    await defineTag(ctx, { key: 'vip_mine', name: '我的重点', scope: 'personal', values: [{ key: 'yes', name: '是' }] });
    const taken = await rejected(updateTag(ctx, 'vip_mine', { scope: 'enterprise' }));
    expect(taken.code).toBe('TAG_EXISTS');
    expect((await getTag(ctx, 'vip_mine')).scope).toBe('personal');
    expect((await updateTag(ctx, 'vip_mine', { key: 'vip_wang', scope: 'enterprise' })).scope).toBe('enterprise');
  });
});
