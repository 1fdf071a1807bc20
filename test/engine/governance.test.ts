import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import type { WorkspaceContext } from '../../src/engine/context.js';
import { upsertCustomers } from '../../src/engine/customers.js';
import { governanceReport, normaliseTagName, storeMembership } from '../../src/engine/governance.js';
import { createSegment } from '../../src/engine/segments.js';
import { createTagGroup, getTag, updateTag } from '../../src/engine/library.js';
import { assignTag } from '../../src/engine/tagging.js';
import { indexAudience } from '../../src/index/audience.js';
import { IndexRegistry } from '../../src/index/registry.js';
import { defineTag, rejected } from './support.js';

const ids = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `C${from + i}`);

async function customers(ctx: WorkspaceContext, count: number): Promise<void> {
  await upsertCustomers(ctx, ids(1, count).map((id) => ({ id })));
}

async function flag(ctx: WorkspaceContext, key: string, members: string[], extra: { group?: string } = {}): Promise<void> {
  await defineTag(ctx, { key, name: key, ...extra, values: [{ key: 'yes', name: '是' }] });
  if (members.length > 0) await assignTag(ctx, { tag: key, value: 'yes', customers: members, source: 'manual' });
}

forEachStore('tag governance', (h) => {
  it('finds nothing in a tidy library', async () => {
    const ctx = h.context();
    await customers(ctx, 30);
    await createTagGroup(ctx, { key: 'g', name: '分组' });
    await flag(ctx, 'big', ids(1, 30), { group: 'g' });
    await flag(ctx, 'small', ids(1, 20), { group: 'g' });
    const report = await governanceReport(ctx);
    expect(report).toMatchObject({ findings: 0, unusedTags: [], emptyValues: [], overlappingTags: [], rulesReadingArchivedTags: [], crowdedGroups: [], duplicateTags: [], promotionCandidates: [] });
    expect(report.options).toEqual({ jaccard: 0.9, min_members: 20, group_budget: 30, min_owners: 3 });
  });

  it('lists tags nobody holds, but not archived ones', async () => {
    const ctx = h.context();
    await customers(ctx, 1);
    await flag(ctx, 'held', ['C1']);
    await flag(ctx, 'unused', []);
    await flag(ctx, 'retired', []);
    await updateTag(ctx, 'retired', { status: 'archived' });
    const report = await governanceReport(ctx);
    expect(report.unusedTags).toEqual([{ tag: 'unused', name: 'unused', kind: 'manual', model: null, group: null }]);
    expect(report.findings).toBe(1);
  });

  it('lists values nobody holds, and rule values that never match', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'C1', city: '上海' }]);
    await defineTag(ctx, { key: 'stage', name: '阶段', values: [{ key: 'pre', name: '售前' }, { key: 'post', name: '售后' }] });
    await assignTag(ctx, { tag: 'stage', value: 'pre', customers: ['C1'], source: 'manual' });
    await defineTag(ctx, {
      key: 'city_rule',
      name: '所在城市',
      kind: 'rule',
      values: [
        { key: 'sh', name: '上海', condition: 'city = "上海"' },
        { key: 'mars', name: '火星', condition: 'city = "火星"' },
      ],
    });
    const report = await governanceReport(ctx);
    expect(report.emptyValues).toEqual([
      { tag: 'stage', name: '阶段', kind: 'manual', model: null, value: 'post', valueName: '售后' },
      { tag: 'city_rule', name: '所在城市', kind: 'rule', model: null, value: 'mars', valueName: '火星' },
    ]);
    expect(report.unusedTags).toEqual([]);
  });

  it('finds tags whose members nearly coincide, above the size floor only', async () => {
    const ctx = h.context();
    await customers(ctx, 60);
    await flag(ctx, 'golfers', ids(1, 25));
    await flag(ctx, 'golf_fans', ids(1, 24));
    await flag(ctx, 'golf_club', ids(2, 26));
    await flag(ctx, 'everyone', ids(1, 60));
    await flag(ctx, 'tiny_a', ids(50, 59));
    await flag(ctx, 'tiny_b', ids(50, 59));
    const report = await governanceReport(ctx);
    const pairs = report.overlappingTags.map((pair) => [pair.first.tag, pair.second.tag, pair.shared, pair.jaccard]);
    // Each of these tags is a flag of one value, so its holders are the value's.
    // golf_fans and golf_club share 23 of 26 (0.885): under the threshold, so not listed.
    expect(pairs).toEqual([
      ['golf_fans', 'golfers', 24, 0.96],
      ['golfers', 'golf_club', 24, 0.923],
    ]);
    expect(report.overlappingTags[0]).toMatchObject({ first: { tag: 'golf_fans', value: 'yes', valueName: '是', customers: 24 }, second: { tag: 'golfers', value: 'yes', customers: 25 } });
    expect((await governanceReport(ctx, { jaccard: 0.95 })).overlappingTags).toHaveLength(1);
    expect((await governanceReport(ctx, { min_members: 5 })).overlappingTags.map((pair) => pair.first.tag)).toContain('tiny_a');
    // The server reads who holds what from the index; it must report exactly what SQL counts.
    const membership = await indexAudience(new IndexRegistry(ctx.store)).tagMembership(ctx);
    for (const options of [{}, { jaccard: 0.5 }, { min_members: 5 }]) {
      expect(await governanceReport(ctx, options, membership)).toEqual(await governanceReport(ctx, options));
    }
  });

  it('compares the holders of values, so tags that divide the same customers are not taken for one another', async () => {
    const ctx = h.context();
    await customers(ctx, 40);
    // Two tags that each divide all 40 customers, as a model or a banding rule does: held by
    // everyone as tags, saying different things in their values.
    await defineTag(ctx, { key: 'spend', name: '年消费额', values: [{ key: 'low', name: '低' }, { key: 'high', name: '高' }] });
    await assignTag(ctx, { tag: 'spend', value: 'low', customers: ids(1, 20), source: 'manual' });
    await assignTag(ctx, { tag: 'spend', value: 'high', customers: ids(21, 40), source: 'manual' });
    await defineTag(ctx, { key: 'frequency', name: '消费频率', values: [{ key: 'low', name: '低频' }, { key: 'high', name: '高频' }] });
    await assignTag(ctx, { tag: 'frequency', value: 'low', customers: ids(1, 10), source: 'manual' });
    await assignTag(ctx, { tag: 'frequency', value: 'high', customers: ids(11, 40), source: 'manual' });
    expect((await governanceReport(ctx)).overlappingTags).toEqual([]);
    // A value that names the same customers as another tag's value is a finding.
    await flag(ctx, 'big_spender', ids(21, 40));
    const report = await governanceReport(ctx);
    expect(report.overlappingTags).toEqual([
      {
        first: { tag: 'spend', name: '年消费额', value: 'high', valueName: '高', customers: 20 },
        second: { tag: 'big_spender', name: 'big_spender', value: 'yes', valueName: '是', customers: 20 },
        shared: 20,
        jaccard: 1,
      },
    ]);
    const membership = await indexAudience(new IndexRegistry(ctx.store)).tagMembership(ctx);
    expect(await governanceReport(ctx, {}, membership)).toEqual(report);
  });

  it('counts a value as held by nobody from its expiry on, before the expiry sweep takes it off, as the index does', async () => {
    const ctx = h.context();
    await customers(ctx, 20);
    const until = h.clock.now().getTime() + 60_000;
    await flag(ctx, 'vip', ids(1, 20));
    await defineTag(ctx, { key: 'promo', name: 'promo', values: [{ key: 'yes', name: '是' }] });
    await assignTag(ctx, { tag: 'promo', value: 'yes', customers: ids(1, 20), source: 'manual', expiresAt: until });
    await defineTag(ctx, { key: 'stage', name: '阶段', values: [{ key: 'pre', name: '售前' }, { key: 'post', name: '售后' }] });
    await assignTag(ctx, { tag: 'stage', value: 'pre', customers: ['C1'], source: 'manual', expiresAt: until });
    await assignTag(ctx, { tag: 'stage', value: 'post', customers: ['C2'], source: 'manual' });
    expect((await governanceReport(ctx)).overlappingTags.map((pair) => [pair.first.tag, pair.second.tag].sort())).toEqual([['promo', 'vip']]);
    // At the expiry, with no sweep run: the rows are still in the store.
    h.clock.advance(60_000);
    const [promo, stage] = await Promise.all([getTag(ctx, 'promo'), getTag(ctx, 'stage')]);
    const [promoYes, pre] = [promo.values[0]?.id ?? -1, stage.values[0]?.id ?? -1];
    const membership = storeMembership(ctx);
    const [valueCounts, tagSizes] = await Promise.all([membership.valueCounts(), membership.tagSizes()]);
    expect([valueCounts.get(promoYes) ?? 0, valueCounts.get(pre) ?? 0, tagSizes.get(promo.id) ?? 0, tagSizes.get(stage.id)]).toEqual([0, 0, 0, 1]);
    expect(await membership.sharedValueHolders([[promoYes, promoYes]])).toEqual([0]);
    const report = await governanceReport(ctx);
    expect(report.unusedTags.map((tag) => tag.tag)).toEqual(['promo']);
    expect(report.emptyValues.map((value) => [value.tag, value.value])).toEqual([['stage', 'pre']]);
    expect(report.overlappingTags).toEqual([]);
    expect(await governanceReport(ctx, {}, await indexAudience(new IndexRegistry(ctx.store)).tagMembership(ctx))).toEqual(report);
    expect(await ctx.store.db.selectFrom('assignments').select('customer_id').where('workspace_id', '=', ctx.workspaceId).where('expires_at', 'is not', null).execute()).toHaveLength(21);
  });

  it('says a workspace without customers has none, instead of calling each tag unused', async () => {
    const ctx = h.context();
    await flag(ctx, 'vip', []);
    await defineTag(ctx, { key: 'stage', name: '阶段', values: [{ key: 'pre', name: '售前' }] });
    const report = await governanceReport(ctx);
    expect(report).toMatchObject({ customers: 0, unusedTags: [], emptyValues: [], findings: 0 });
    expect(await governanceReport(ctx, {}, await indexAudience(new IndexRegistry(ctx.store)).tagMembership(ctx))).toEqual(report);
    await customers(ctx, 2);
    expect((await governanceReport(ctx)).unusedTags.map((tag) => tag.tag)).toEqual(['vip', 'stage']);
    expect((await governanceReport(ctx)).customers).toBe(2);
  });

  it('finds rules that read archived tags, directly or through a segment', async () => {
    const ctx = h.context();
    await customers(ctx, 1);
    await flag(ctx, 'vip', ['C1']);
    await flag(ctx, 'loyal', ['C1']);
    await createSegment(ctx, { key: 'loyal_people', name: '忠诚人群', expression: 'loyal = "yes"' });
    await defineTag(ctx, { key: 'care', name: '关怀', kind: 'rule', values: [{ key: 'gold', name: '金', condition: 'vip = "yes"' }, { key: 'silver', name: '银', condition: 'segment("loyal_people")' }] });
    await defineTag(ctx, { key: 'fine', name: '正常', kind: 'rule', values: [{ key: 'x', name: 'X', condition: 'loyal exists' }] });
    expect((await governanceReport(ctx)).rulesReadingArchivedTags).toEqual([]);
    await updateTag(ctx, 'vip', { status: 'archived' });
    expect((await governanceReport(ctx)).rulesReadingArchivedTags).toEqual([{ tag: 'care', name: '关怀', archivedTags: ['vip'], values: ['gold'] }]);
    await updateTag(ctx, 'loyal', { status: 'archived' });
    const report = await governanceReport(ctx);
    expect(report.rulesReadingArchivedTags).toEqual([
      { tag: 'care', name: '关怀', archivedTags: ['loyal', 'vip'], values: ['gold', 'silver'] },
      { tag: 'fine', name: '正常', archivedTags: ['loyal'], values: ['x'] },
    ]);
  });

  it('finds groups over the tag budget', async () => {
    const ctx = h.context();
    await customers(ctx, 1);
    await createTagGroup(ctx, { key: 'crowded', name: '拥挤' });
    for (const key of ['a', 'b', 'c']) await flag(ctx, key, ['C1'], { group: 'crowded' });
    expect((await governanceReport(ctx)).crowdedGroups).toEqual([]);
    expect((await governanceReport(ctx, { group_budget: 2 })).crowdedGroups).toEqual([{ group: 'crowded', name: '拥挤', tags: 3, budget: 2 }]);
  });

  it('groups shared tags whose names read as one, leaving out archived and personal ones', async () => {
    const ctx = h.context();
    await customers(ctx, 1);
    await createTagGroup(ctx, { key: 'value', name: '价值' });
    const named = async (key: string, name: string, extra: { group?: string; scope?: 'personal' } = {}, owner?: string) => {
      const at = owner === undefined ? ctx : h.context(owner);
      await defineTag(at, { key, name, ...extra, values: [{ key: 'yes', name: '是' }] });
      await assignTag(at, { tag: key, value: 'yes', customers: ['C1'], source: 'manual' });
    };
    await named('high_value', '高价值', { group: 'value' });
    await named('high_value_2', '高 价值');
    await named('vip_level', 'VIP等级');
    await named('tea', '喝茶');
    // A name differing only in width or case is refused at creation; one saved before that check is kept as it was.
    expect((await rejected(defineTag(ctx, { key: 'vip_level_2', name: 'ｖｉｐ等级', values: [{ key: 'yes', name: '是' }] }))).code).toBe('TAG_NAME_TAKEN');
    await named('vip_level_2', 'VIP等级（旧）');
    await ctx.store.db.updateTable('tags').set({ name: 'ｖｉｐ等级' }).where('workspace_id', '=', ctx.workspaceId).where('key', '=', 'vip_level_2').execute();
    // Archived, or a staff member's own: not the shared library's to tidy.
    await named('high_value_old', '高价值！');
    await updateTag(ctx, 'high_value_old', { status: 'archived' });
    await named('mine', '高-价值', { scope: 'personal' }, '王芳');
    // Punctuation alone reads as nothing, and is nobody's duplicate.
    await named('dash', '—');
    await named('dots', '…');
    const report = await governanceReport(ctx);
    expect(report.duplicateTags).toEqual([
      {
        normalisedName: '高价值',
        tags: [
          { tag: 'high_value', name: '高价值', kind: 'manual', group: 'value' },
          { tag: 'high_value_2', name: '高 价值', kind: 'manual', group: null },
        ],
      },
      {
        normalisedName: 'vip等级',
        tags: [
          { tag: 'vip_level', name: 'VIP等级', kind: 'manual', group: null },
          { tag: 'vip_level_2', name: 'ｖｉｐ等级', kind: 'manual', group: null },
        ],
      },
    ]);
    expect(report.findings).toBe(2);
    expect(JSON.stringify(report)).not.toContain('mine');
    // Renamed apart, or one archived, they are no longer a finding.
    await updateTag(ctx, 'vip_level_2', { status: 'archived' });
    await updateTag(ctx, 'high_value_2', { name: '高价值（门店）' });
    expect(await governanceReport(ctx)).toMatchObject({ duplicateTags: [], findings: 0 });
  });

  it('suggests promoting a personal tag several staff made under near-same names', async () => {
    const make = (owner: string, key: string, name: string) => defineTag(h.context(owner), { key, name, scope: 'personal', values: [{ key: 'yes', name: '是' }] });
    await make('王芳', 'golf_buddy', '高尔夫球友');
    await make('李娜', 'qiuyou', '高尔夫 球友');
    expect((await governanceReport(h.context())).promotionCandidates).toEqual([]);
    await make('张伟', 'golf', '高尔夫球友们');
    await make('张伟', 'golf2', '高尔夫球友！');
    await make('刘洋', 'tea', '喝茶');
    const report = await governanceReport(h.context());
    expect(report.promotionCandidates).toEqual([
      {
        names: ['高尔夫球友', '高尔夫 球友', '高尔夫球友们', '高尔夫球友！'],
        owners: ['张伟', '李娜', '王芳'].sort(),
        tags: [
          { tag: 'golf_buddy', name: '高尔夫球友', owner: '王芳' },
          { tag: 'qiuyou', name: '高尔夫 球友', owner: '李娜' },
          { tag: 'golf', name: '高尔夫球友们', owner: '张伟' },
          { tag: 'golf2', name: '高尔夫球友！', owner: '张伟' },
        ],
        enterpriseTag: null,
      },
    ]);
    expect((await governanceReport(h.context(), { min_owners: 4 })).promotionCandidates).toEqual([]);
    expect(normaliseTagName(' ＶＩＰ 客户！')).toBe('vip客户');
  });

  it('pairs customers holding one phone written with 00 and with +, masked for roles that mask', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [
      { id: 'C1', identities: [{ kind: 'phone', value: '+85212345678' }] },
      { id: 'C2' },
      { id: 'C3' },
      { id: 'C4', identities: [{ kind: 'phone', value: '+85287654321' }] },
    ]);
    // As migration 0029 left them (the API would store both as the + form): inserted directly.
    const idOf = async (external: string) => (await ctx.store.db.selectFrom('customers').select('id').where('workspace_id', '=', ctx.workspaceId).where('external_id', '=', external).executeTakeFirstOrThrow()).id;
    await ctx.store.db
      .insertInto('identities')
      .values([
        { workspace_id: ctx.workspaceId, kind: 'phone', value: '0085212345678', customer_id: await idOf('C2') },
        // Nobody holds its + form, and C4 holds its own number both ways: neither is a finding.
        { workspace_id: ctx.workspaceId, kind: 'phone', value: '0085299998888', customer_id: await idOf('C3') },
        { workspace_id: ctx.workspaceId, kind: 'phone', value: '0085287654321', customer_id: await idOf('C4') },
      ])
      .execute();
    const report = await governanceReport(ctx);
    expect(report.samePhoneTwoWays).toEqual([{ customer: 'C2', other: 'C1', phone: '+85212345678' }]);
    expect(report.findings).toBe(1);
    expect((await governanceReport({ ...ctx, personalData: 'masked' })).samePhoneTwoWays).toEqual([{ customer: 'C2', other: 'C1', phone: '+852****5678' }]);
  });

  it('refuses thresholds out of range', async () => {
    const ctx = h.context();
    expect((await rejected(governanceReport(ctx, { jaccard: 2 }))).code).toBe('VALIDATION_FAILED');
    expect((await rejected(governanceReport(ctx, { jaccard: 0 }))).code).toBe('VALIDATION_FAILED');
    expect((await rejected(governanceReport(ctx, { min_owners: 1 }))).code).toBe('VALIDATION_FAILED');
    expect((await rejected(governanceReport(ctx, { group_budget: 1.5 }))).code).toBe('VALIDATION_FAILED');
  });
});
