import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { upsertCustomers } from '../../src/engine/customers.js';
import { ingestEvents } from '../../src/engine/ingest.js';
import { getCustomerHistory, getPortrait } from '../../src/engine/portrait.js';
import { assignTag, removeTag } from '../../src/engine/tagging.js';
import { getTag, removeTagValue, updateTag, updateTagValue } from '../../src/engine/library.js';
import { previewRuleTag } from '../../src/engine/rule-tags.js';
import { applyRulesInBatches } from '../../src/engine/propagate.js';
import { BackgroundRulePasses, RULE_PASS_LEASE_MS, passTag, rulePassesInProgress, runRulePass, scheduleRulePass } from '../../src/engine/rule-passes.js';
import type { RulePassRunner } from '../../src/engine/context.js';
import { tickWorkspace } from '../../src/engine/maintenance.js';
import { currentHolder, holderToken, type PassHolder } from '../../src/engine/pass-holders.js';
import { goneProcess } from '../support/gone-process.js';
import { defineTag, interests, rejected, stage } from './support.js';
import { createSegment, getSegment, updateSegment } from '../../src/engine/segments.js';
import { tagInputSchema } from '../../src/core/tag.js';

const order = (id: string, customer: string, at: string, amount: number) => ({ id, customer_id: customer, type: 'order_paid', occurred_at: at, properties: { order_id: id, amount } });

const valueTier = {
  key: 'value_tier',
  name: '价值分层',
  kind: 'rule' as const,
  ordered: true,
  values: [
    { key: 'high', name: '高价值', condition: 'spend_365d >= 1000' },
    { key: 'mid', name: '中价值', condition: 'spend_365d >= 300' },
    { key: 'low', name: '低价值', condition: 'orders_total >= 1' },
  ],
};

/** What a tag's pass is recorded under. */
async function passOf(ctx: Parameters<typeof getTag>[0], key: string) {
  return passTag(await getTag(ctx, key));
}

/** A process of this host as it was while it ran, once it has ended. */
async function tagsOf(ctx: Parameters<typeof getPortrait>[0], id: string): Promise<string[]> {
  return (await getPortrait(ctx, id)).tags.map((t) => `${t.tag}=${t.value}`).sort();
}

forEachStore('rule tags', (h) => {
  it('applies a new rule tag to everyone, first matching value wins', async () => {
    const ctx = h.context();
    await ingestEvents(ctx, [order('E1', 'A', '2026-06-01T00:00:00Z', 1200), order('E2', 'B', '2026-06-01T00:00:00Z', 400), order('E3', 'C', '2026-06-01T00:00:00Z', 50)]);
    await upsertCustomers(ctx, [{ id: 'D' }]);
    await defineTag(ctx, valueTier);
    expect(await tagsOf(ctx, 'A')).toEqual(['value_tier=high']);
    expect(await tagsOf(ctx, 'B')).toEqual(['value_tier=mid']);
    expect(await tagsOf(ctx, 'C')).toEqual(['value_tier=low']);
    expect(await tagsOf(ctx, 'D')).toEqual([]);
    const portrait = await getPortrait(ctx, 'A');
    expect(portrait.tags[0]).toMatchObject({ source: 'rule', actor: 'rule:value_tier', label: '价值分层: 高价值' });
  });

  it('changes the value in real time as events arrive, and records it', async () => {
    const ctx = h.context();
    await defineTag(ctx, valueTier);
    const first = await ingestEvents(ctx, [order('E1', 'A', '2026-06-01T00:00:00Z', 100)]);
    expect(first.tags_changed).toBe(1);
    expect(await tagsOf(ctx, 'A')).toEqual(['value_tier=low']);
    await ingestEvents(ctx, [order('E2', 'A', '2026-06-10T00:00:00Z', 950)]);
    expect(await tagsOf(ctx, 'A')).toEqual(['value_tier=high']);
    const history = (await getCustomerHistory(ctx, 'A', { limit: 5 })).items;
    expect(history.map((e) => [e.action, e.value, e.previous_value])).toEqual([
      ['replace', 'high', 'low'],
      ['add', 'low', null],
    ]);
  });

  it('evaluates rules that read other tags in dependency order, in the same request', async () => {
    const ctx = h.context();
    await defineTag(ctx, valueTier);
    await defineTag(ctx, interests);
    await defineTag(ctx, {
      key: 'golf_vip',
      name: '高尔夫贵宾',
      kind: 'rule',
      values: [{ key: 'yes', name: '是', condition: 'value_tier = "高价值" and interests has any ("高尔夫")' }],
    });
    await upsertCustomers(ctx, [{ id: 'A' }]);
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['A'], source: 'manual' });
    expect(await tagsOf(ctx, 'A')).toEqual(['interests=golf']);
    await ingestEvents(ctx, [order('E1', 'A', '2026-06-01T00:00:00Z', 5000)]);
    expect(await tagsOf(ctx, 'A')).toEqual(['golf_vip=yes', 'interests=golf', 'value_tier=high']);
    await removeTag(ctx, { tag: 'interests', customers: ['A'], source: 'manual' });
    expect(await tagsOf(ctx, 'A')).toEqual(['value_tier=high']);
  });

  it('reads fields, so a changed city moves the tag', async () => {
    const ctx = h.context();
    await defineTag(ctx, { key: 'south', name: '华南客户', kind: 'rule', values: [{ key: 'yes', name: '是', condition: 'city in ("广州", "深圳")' }] });
    await upsertCustomers(ctx, [{ id: 'A', city: '北京' }]);
    expect(await tagsOf(ctx, 'A')).toEqual([]);
    await upsertCustomers(ctx, [{ id: 'A', city: '深圳' }]);
    expect(await tagsOf(ctx, 'A')).toEqual(['south=yes']);
  });

  it('refuses conditions that do not compile, with the position, and cycles between rules', async () => {
    const ctx = h.context();
    const bad = await rejected(defineTag(ctx, { key: 'x', name: 'X', kind: 'rule', values: [{ key: 'a', name: 'A', condition: 'spend_365 >= 1' }] }));
    expect(bad.code).toBe('RULE_INVALID');
    expect(bad.message).toContain('spend_365d');
    expect(bad.message).toContain('column 1');
    // Every value whose condition does not compile is told at once, not the first alone.
    const both = await rejected(
      defineTag(ctx, { key: 'y', name: 'Y', kind: 'rule', values: [{ key: 'a', name: 'A', condition: 'spend_365 >= 1' }, { key: 'b', name: 'B', condition: 'orders_total >= 1' }, { key: 'c', name: 'C', condition: 'ctiy = "上海"' }] }),
    );
    expect(both.items?.map((item) => item.path)).toEqual(['a:1:1', 'c:1:1']);
    await defineTag(ctx, { key: 'p', name: 'P', kind: 'rule', values: [{ key: 'a', name: 'A', condition: 'orders_total >= 1' }] });
    await defineTag(ctx, { key: 'q', name: 'Q', kind: 'rule', values: [{ key: 'a', name: 'A', condition: 'p = "A"' }] });
    const cycle = await rejected(updateTagValue(ctx, 'p', 'a', { condition: 'q = "A"' }));
    expect(cycle.code).toBe('RULE_CYCLE');
    expect((await getTag(ctx, 'p')).values[0]?.condition).toBe('orders_total >= 1');
    expect(tagInputSchema.safeParse({ key: 'm', name: 'M', values: [{ key: 'a', name: 'A', condition: 'orders_total >= 1' }] }).success).toBe(false);
    expect(tagInputSchema.safeParse({ key: 'm', name: 'M', kind: 'rule', values: [{ key: 'a', name: 'A' }] }).success).toBe(false);
  });

  it('refuses a shared rule tag that reads a personal tag, directly or through a segment, which only its owner sees', async () => {
    const ctx = h.context('导购A');
    await upsertCustomers(ctx, [{ id: 'A' }]);
    await defineTag(ctx, { key: 'follow', name: '跟进', scope: 'personal', values: [{ key: 'yes', name: '是' }] });
    await assignTag(ctx, { tag: 'follow', value: 'yes', customers: ['A'], source: 'manual' });
    const direct = await rejected(defineTag(ctx, { key: 'hot', name: '热门', kind: 'rule', values: [{ key: 'yes', name: '是', condition: '跟进 exists' }] }));
    expect(direct.code).toBe('RULE_INVALID');
    expect(direct.message).toContain('personal tag "跟进"');
    // Saving such a segment is refused (see the segments' test); one saved before that was is seen through.
    await ctx.store.db.insertInto('segments').values({ workspace_id: ctx.workspaceId, key: 'mine', name: '我的跟进', description: null, expression: 'follow exists', created_at: 0, updated_at: 0 }).execute();
    const through = await rejected(defineTag(ctx, { key: 'hot', name: '热门', kind: 'rule', values: [{ key: 'yes', name: '是', condition: 'segment("mine")' }] }));
    expect(through.code).toBe('RULE_INVALID');
    // The owner's own rule tag may read it: both are theirs alone.
    await defineTag(ctx, { key: 'my_hot', name: '我的热门', kind: 'rule', scope: 'personal', values: [{ key: 'yes', name: '是', condition: '跟进 exists' }] });
    expect(await tagsOf(ctx, 'A')).toEqual(['follow=yes', 'my_hot=yes']);
  });

  it("keeps a staff member's personal rule tags current whoever acts: an integrator's events, a colleague's tagging and segment edits, the clock", async () => {
    const owner = h.context('导购A');
    const integrator = h.context(null);
    const colleague = h.context('导购B');
    await defineTag(owner, interests);
    await createSegment(owner, { key: 'golfers', name: '高尔夫', expression: 'interests has any ("golf")' });
    // The colleague has a personal tag of the same key, which the owner's rules must not read.
    await defineTag(colleague, { key: 'mine', name: '我的', scope: 'personal', values: [{ key: 'yes', name: '是' }] });
    await defineTag(owner, { key: 'mine', name: '我的', scope: 'personal', values: [{ key: 'yes', name: '是' }] });
    await defineTag(owner, {
      key: 'my_watch',
      name: '我的关注',
      kind: 'rule',
      scope: 'personal',
      cardinality: 'multi',
      values: [
        { key: 'buyer', name: '买家', condition: 'orders_total >= 1' },
        { key: 'golf', name: '高尔夫', condition: 'segment("golfers")' },
        { key: 'mine', name: '我的', condition: 'mine exists' },
        { key: 'quiet', name: '沉默', condition: 'orders_total >= 1 and last_order_at before 30 days ago' },
      ],
    });
    const watched = async (id: string) => (await getPortrait(owner, id)).tags.filter((t) => t.tag === 'my_watch').map((t) => t.value).sort();
    await ingestEvents(integrator, [order('E1', 'A', '2026-06-01T00:00:00Z', 100)]);
    expect(await watched('A')).toEqual(['buyer']);
    await ingestEvents(colleague, [order('E2', 'B', '2026-06-01T00:00:00Z', 100)]);
    expect(await watched('B')).toEqual(['buyer']);
    await assignTag(colleague, { tag: 'interests', value: 'golf', customers: ['A'], source: 'manual' });
    expect(await watched('A')).toEqual(['buyer', 'golf']);
    await assignTag(colleague, { tag: 'mine', value: 'yes', customers: ['B'], source: 'manual' });
    expect(await watched('B')).toEqual(['buyer']);
    await updateSegment(colleague, 'golfers', { expression: 'interests has any ("golf") or orders_total >= 1' });
    expect(await watched('B')).toEqual(['buyer', 'golf']);
    h.clock.advance(30 * 86_400_000);
    await tickWorkspace(integrator, { clockRules: true });
    expect(await watched('A')).toEqual(['buyer', 'golf', 'quiet']);
    // Nobody else sees it.
    expect((await getPortrait(colleague, 'A')).tags.map((t) => t.tag)).toEqual(['interests']);
  });

  it('refuses to rename a tag that a rule reads', async () => {
    const ctx = h.context();
    await defineTag(ctx, interests);
    await defineTag(ctx, { key: 'golfer', name: '高尔夫人群', kind: 'rule', values: [{ key: 'yes', name: '是', condition: 'interests has any ("golf")' }] });
    expect((await rejected(updateTag(ctx, 'interests', { key: 'hobbies' }))).code).toBe('RULE_INVALID');
  });

  it('pins a rule tag by hand until the manual value is removed', async () => {
    const ctx = h.context('店长');
    await defineTag(ctx, valueTier);
    await ingestEvents(ctx, [order('E1', 'A', '2026-06-01T00:00:00Z', 100)]);
    await assignTag(ctx, { tag: 'value_tier', value: 'high', customers: ['A'], source: 'manual' });
    expect((await getPortrait(ctx, 'A')).tags).toEqual([expect.objectContaining({ value: 'high', source: 'manual' })]);
    await ingestEvents(ctx, [order('E2', 'A', '2026-06-02T00:00:00Z', 250)]);
    expect(await tagsOf(ctx, 'A')).toEqual(['value_tier=high']);
    await removeTag(ctx, { tag: 'value_tier', customers: ['A'], source: 'manual' });
    expect((await getPortrait(ctx, 'A')).tags).toEqual([expect.objectContaining({ value: 'mid', source: 'rule' })]);
  });

  it('previews how many customers each value would hold, writing nothing', async () => {
    const ctx = h.context();
    await ingestEvents(ctx, [order('E1', 'A', '2026-06-01T00:00:00Z', 1200), order('E2', 'B', '2026-06-01T00:00:00Z', 1500), order('E3', 'C', '2026-06-01T00:00:00Z', 50)]);
    const tag = await defineTag(ctx, valueTier);
    const preview = await previewRuleTag(ctx, { ...tag, values: tag.values.map((v) => (v.key === 'high' ? { ...v, condition: 'spend_365d >= 1300' } : v)) }, tag.key);
    expect(preview).toEqual({
      customers: 3,
      values: [
        { key: 'high', name: '高价值', customers: 1 },
        { key: 'mid', name: '中价值', customers: 1 },
        { key: 'low', name: '低价值', customers: 1 },
      ],
    });
    expect(await tagsOf(ctx, 'A')).toEqual(['value_tier=high']);
  });

  it('previews a customer who holds the tag by hand under the value they hold, as the saved rule leaves them', async () => {
    const ctx = h.context();
    await ingestEvents(ctx, [order('E1', 'A', '2026-06-01T00:00:00Z', 1200), order('E2', 'B', '2026-06-01T00:00:00Z', 1500), order('E3', 'C', '2026-06-01T00:00:00Z', 50)]);
    const tag = await defineTag(ctx, valueTier);
    await assignTag(ctx, { tag: 'value_tier', value: 'low', customers: ['A'], source: 'manual' });
    const preview = await previewRuleTag(ctx, tag, tag.key);
    expect(preview.values.map((value) => [value.key, value.customers])).toEqual([
      ['high', 1],
      ['mid', 0],
      ['low', 2],
    ]);
    await updateTagValue(ctx, 'value_tier', 'high', { condition: 'spend_365d >= 1000' });
    expect([await tagsOf(ctx, 'A'), await tagsOf(ctx, 'B'), await tagsOf(ctx, 'C')]).toEqual([['value_tier=low'], ['value_tier=high'], ['value_tier=low']]);
  });

  it('changing a condition re-applies the rule to everyone', async () => {
    const ctx = h.context();
    await ingestEvents(ctx, [order('E1', 'A', '2026-06-01T00:00:00Z', 1200)]);
    await defineTag(ctx, valueTier);
    await updateTagValue(ctx, 'value_tier', 'high', { condition: 'spend_365d >= 2000' });
    expect(await tagsOf(ctx, 'A')).toEqual(['value_tier=mid']);
  });

  it('re-applies a rule that compares an ordered tag when that tag\'s values are put in a new order', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'A' }, { id: 'B' }]);
    await defineTag(ctx, stage);
    await assignTag(ctx, { tag: 'stage', value: 'pre', customers: ['A'], source: 'manual' });
    await assignTag(ctx, { tag: 'stage', value: 'after', customers: ['B'], source: 'manual' });
    await defineTag(ctx, { key: 'late', name: '后期', kind: 'rule', values: [{ key: 'yes', name: '是', condition: 'stage >= "during"' }] });
    expect(await tagsOf(ctx, 'A')).toEqual(['stage=pre']);
    // 售前 moves last: during < after < pre, so A's 售前 is now at or above 售中.
    await updateTagValue(ctx, 'stage', 'pre', { position: 2 });
    expect(await tagsOf(ctx, 'A')).toEqual(['late=yes', 'stage=pre']);
    await updateTagValue(ctx, 'stage', 'after', { position: 0 });
    expect(await tagsOf(ctx, 'B')).toEqual(['stage=after']);
    expect(await tagsOf(ctx, 'A')).toEqual(['late=yes', 'stage=pre']);
  });

  it('re-applies the rules that read a tag, directly or through a segment, when the tag is brought back from the archive', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'A' }, { id: 'B' }]);
    await defineTag(ctx, stage);
    await assignTag(ctx, { tag: 'stage', value: 'pre', customers: ['A'], source: 'manual' });
    await createSegment(ctx, { key: 'pre_sale', name: '售前客户', expression: 'stage = "pre"' });
    await defineTag(ctx, { key: 'buyer', name: '购买状态', kind: 'rule', values: [
      { key: 'browsing', name: '只看不买', condition: 'orders_total = 0 and stage exists' },
      { key: 'bought', name: '已购买', condition: 'orders_total >= 1' },
    ] });
    await defineTag(ctx, { key: 'follow', name: '跟进', kind: 'rule', values: [{ key: 'yes', name: '是', condition: 'segment("pre_sale") and orders_total = 0' }] });
    expect(await tagsOf(ctx, 'A')).toEqual(['buyer=browsing', 'follow=yes', 'stage=pre']);
    // Archived, stage stops both rules, which keep what they gave: A's order changes nothing yet.
    await updateTag(ctx, 'stage', { status: 'archived' });
    await ingestEvents(ctx, [order('E1', 'A', '2026-06-10T00:00:00Z', 80)]);
    expect(await tagsOf(ctx, 'A')).toEqual(['buyer=browsing', 'follow=yes']);
    await updateTag(ctx, 'stage', { status: 'active' });
    expect(await tagsOf(ctx, 'A')).toEqual(['buyer=bought', 'stage=pre']);
    const history = (await getCustomerHistory(ctx, 'A', { limit: 10 })).items;
    expect(history.slice(0, 2).map((entry) => [entry.action, entry.label, entry.source, entry.actor]).sort()).toEqual([
      ['remove', '跟进: 是', 'rule', 'rule:follow'],
      ['replace', '购买状态: 只看不买 → 已购买', 'rule', 'rule:buyer'],
    ]);
  });

  it('re-applies a rule that reads a saved segment when the segment\'s expression changes', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'A', city: '广州' }, { id: 'B', city: '深圳' }]);
    await createSegment(ctx, { key: 'gz', name: '广州人', expression: 'city = "广州"' });
    await createSegment(ctx, { key: 'around', name: '珠三角', expression: 'segment("gz")' });
    await defineTag(ctx, { key: 'local', name: '本地', kind: 'rule', values: [{ key: 'yes', name: '是', condition: 'segment("珠三角")' }] });
    expect([await tagsOf(ctx, 'A'), await tagsOf(ctx, 'B')]).toEqual([['local=yes'], []]);
    await updateSegment(ctx, 'gz', { expression: 'city = "深圳"' });
    expect([await tagsOf(ctx, 'A'), await tagsOf(ctx, 'B')]).toEqual([[], ['local=yes']]);
  });

  it('refuses a segment\'s new expression that reads a rule tag whose rule reads the segment, which would stop every rule', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'A', city: '广州' }]);
    await createSegment(ctx, { key: 'gz', name: '广州人', expression: 'city = "广州"' });
    await defineTag(ctx, { key: 'local', name: '本地', kind: 'rule', values: [{ key: 'yes', name: '是', condition: 'segment("gz")' }] });
    const refused = await rejected(updateSegment(ctx, 'gz', { expression: 'local exists or city = "深圳"' }));
    expect(refused.code).toBe('RULE_CYCLE');
    expect(refused.message).toBe('Tag rules would read each other in a cycle: local → local, through segment "gz".');
    expect(refused.messageIn('zh-CN')).toBe('标签规则之间会形成循环引用：local → local，经由人群「gz」。');
    expect((await getSegment(ctx, 'gz')).expression).toBe('city = "广州"');
    // The workspace still takes customers and runs its rules.
    await upsertCustomers(ctx, [{ id: 'B', city: '广州' }]);
    expect(await tagsOf(ctx, 'B')).toEqual(['local=yes']);
  });

  it('removes a value of a rule tag that customers hold, and the rule moves them to the next match', async () => {
    const ctx = h.context();
    await ingestEvents(ctx, [order('E1', 'A', '2026-06-01T00:00:00Z', 1200), order('E2', 'B', '2026-06-01T00:00:00Z', 400)]);
    await defineTag(ctx, valueTier);
    const removal = await removeTagValue(ctx, 'value_tier', 'high', { onAssigned: 'remove' });
    expect(removal.removedAssignments).toBe(1);
    expect(await tagsOf(ctx, 'A')).toEqual(['value_tier=mid']);
    expect(await tagsOf(ctx, 'B')).toEqual(['value_tier=mid']);
  });

  it('passes the rules over everyone in transactions of a batch each, each logged with its customers', async () => {
    const ctx = h.context();
    await ingestEvents(ctx, ['A', 'B', 'C', 'D', 'E'].map((customer, k) => order(`E${k}`, customer, '2026-06-01T00:00:00Z', 1200)));
    await defineTag(ctx, valueTier);
    const ids = new Map((await ctx.store.db.selectFrom('customers').select(['id', 'external_id']).where('workspace_id', '=', ctx.workspaceId).execute()).map((row) => [row.id, row.external_id]));
    // Tags lost behind the rules' back (a restored backup, a hand edit): the next pass gives them back.
    await ctx.store.db.deleteFrom('assignments').where('workspace_id', '=', ctx.workspaceId).execute();
    const last = await ctx.store.db.selectFrom('changes').select((eb) => eb.fn.max('id').as('id')).where('workspace_id', '=', ctx.workspaceId).executeTakeFirstOrThrow();
    expect(await applyRulesInBatches(ctx, { all: true }, { batchSize: 2 })).toEqual({ changed: 5, finished: true });
    const entries = await ctx.store.db.selectFrom('changes').select('customer_ids').where('workspace_id', '=', ctx.workspaceId).where('id', '>', Number(last.id)).orderBy('id').execute();
    expect(entries.map((entry) => (JSON.parse(entry.customer_ids ?? '[]') as number[]).map((id) => ids.get(id)))).toEqual([['A', 'B'], ['C', 'D'], ['E']]);
    for (const customer of ['A', 'B', 'C', 'D', 'E']) expect(await tagsOf(ctx, customer)).toEqual(['value_tier=high']);
  });

  it('records a pass over everyone until it ends, and the scheduler finishes one cut short from where it stopped', async () => {
    const ctx = h.context();
    await ingestEvents(ctx, ['A', 'B', 'C', 'D', 'E'].map((customer, k) => order(`E${k}`, customer, '2026-06-01T00:00:00Z', 1200)));
    await defineTag(ctx, valueTier);
    const passes = () => ctx.store.db.selectFrom('rule_passes').select(['tag_key', 'after_id']).where('workspace_id', '=', ctx.workspaceId).execute();
    expect(await passes()).toEqual([]);
    const idOf = async (customer: string) => (await ctx.store.db.selectFrom('customers').select('id').where('workspace_id', '=', ctx.workspaceId).where('external_id', '=', customer).executeTakeFirstOrThrow()).id;
    // A save whose pass committed its first batch (A, B) and then died with the process: the
    // tags it removed from C, D and E are not back yet.
    await ctx.store.db.deleteFrom('assignments').where('workspace_id', '=', ctx.workspaceId).execute();
    const token = await scheduleRulePass(ctx, ctx.store.db, await passOf(ctx, 'value_tier'));
    await ctx.store.db.updateTable('rule_passes').set({ after_id: await idOf('B') }).where('token', '=', token).execute();
    // Within its lease the pass may still be running elsewhere: left alone.
    h.clock.advance(RULE_PASS_LEASE_MS - 1000);
    expect((await tickWorkspace(ctx, { clockRules: false })).rulePassesResumed).toEqual([]);
    expect(await tagsOf(ctx, 'C')).toEqual([]);
    h.clock.advance(2000);
    expect(await tickWorkspace(ctx, { clockRules: false })).toMatchObject({ rulePassesResumed: [{ key: 'value_tier', owner: null }], tagsChanged: 3 });
    for (const customer of ['C', 'D', 'E']) expect(await tagsOf(ctx, customer)).toEqual(['value_tier=high']);
    // A and B were done by the first run, by its record: not evaluated again.
    for (const customer of ['A', 'B']) expect(await tagsOf(ctx, customer)).toEqual([]);
    expect(await passes()).toEqual([]);
  });

  it('takes over at once a pass whose process on this host is gone; one held elsewhere or still running waits the lease', async () => {
    const ctx = h.context();
    await ingestEvents(ctx, ['A', 'B', 'C'].map((customer, k) => order(`E${k}`, customer, '2026-06-01T00:00:00Z', 1200)));
    await defineTag(ctx, valueTier);
    const here = currentHolder();
    const gone = await goneProcess();
    // A pass cut short before its first batch, recorded by `holder`; the clock does not move.
    const cutShort = async (holder: PassHolder) => {
      await ctx.store.db.deleteFrom('assignments').where('workspace_id', '=', ctx.workspaceId).execute();
      const token = await scheduleRulePass(ctx, ctx.store.db, await passOf(ctx, 'value_tier'));
      await ctx.store.db.updateTable('rule_passes').set({ token: holderToken(holder) }).where('token', '=', token).execute();
    };
    const resumed = async () => (await tickWorkspace(ctx, { clockRules: false })).rulePassesResumed.map((tag) => tag.key);

    // The same process id on another host: nothing here can tell whether it still runs.
    await cutShort({ ...gone, host: `not-${here.host}` });
    expect(await resumed()).toEqual([]);
    // This very process: it is running the pass.
    await cutShort(here);
    expect(await resumed()).toEqual([]);
    expect(await tagsOf(ctx, 'C')).toEqual([]);
    // A process of this host that has ended.
    await cutShort(gone);
    expect(await resumed()).toEqual(['value_tier']);
    for (const customer of ['A', 'B', 'C']) expect(await tagsOf(ctx, customer)).toEqual(['value_tier=high']);
    expect(await rulePassesInProgress(ctx)).toEqual(new Map());
    // This process's id, held by a process that started at another moment (the id reused after
    // a restart): gone where the start can be read (Linux), otherwise left to the lease.
    await cutShort({ ...here, birth: here.birth?.replace(/\d+$/, (ticks) => String(Number(ticks) + 1)) });
    expect(await resumed()).toEqual(here.birth === undefined ? [] : ['value_tier']);
    // Held on another host, once the lease has run out.
    await cutShort({ ...gone, host: `not-${here.host}` });
    h.clock.advance(RULE_PASS_LEASE_MS + 1000);
    expect(await resumed()).toEqual(['value_tier']);
    for (const customer of ['A', 'B', 'C']) expect(await tagsOf(ctx, customer)).toEqual(['value_tier=high']);
  });

  it('gives way to the pass of a later save of the rule, which finishes and removes the record', async () => {
    const ctx = h.context();
    await ingestEvents(ctx, ['A', 'B', 'C'].map((customer, k) => order(`E${k}`, customer, '2026-06-01T00:00:00Z', 1200)));
    await defineTag(ctx, valueTier);
    await ctx.store.db.deleteFrom('assignments').where('workspace_id', '=', ctx.workspaceId).execute();
    const tag = await passOf(ctx, 'value_tier');
    const first = await scheduleRulePass(ctx, ctx.store.db, tag);
    const second = await scheduleRulePass(ctx, ctx.store.db, tag);
    expect(await runRulePass(ctx, tag, first, { batchSize: 1 })).toEqual({ changed: 0, finished: false });
    expect(await tagsOf(ctx, 'A')).toEqual([]);
    expect(await runRulePass(ctx, tag, second, { batchSize: 1 })).toEqual({ changed: 3, finished: true });
    for (const customer of ['A', 'B', 'C']) expect(await tagsOf(ctx, customer)).toEqual(['value_tier=high']);
    expect(await ctx.store.db.selectFrom('rule_passes').selectAll().where('workspace_id', '=', ctx.workspaceId).execute()).toEqual([]);
  });

  it("keeps the passes of two staff members' personal rule tags of one key apart: neither's save stops, ends or resumes the other's", async () => {
    const later: ((signal: AbortSignal) => Promise<unknown>)[] = [];
    const runner: RulePassRunner = { firstBatchSize: 1, batchSize: 1, start: (work) => later.push(work) };
    const owner = { ...h.context('导购-王芳'), rulePasses: runner };
    const colleague = { ...h.context('导购-李娜'), rulePasses: runner };
    await ingestEvents(owner, ['A', 'B', 'C'].map((customer, k) => order(`E${k}`, customer, '2026-06-01T00:00:00Z', 1200)));
    const big = (name: string) => ({ key: 'big', name, kind: 'rule' as const, scope: 'personal' as const, values: [{ key: 'yes', name: '是', condition: 'spend_365d >= 1000' }] });
    await defineTag(owner, big('我的大客户'));
    await defineTag(colleague, big('她的大客户'));
    const [mine, hers] = [await passOf(owner, 'big'), await passOf(colleague, 'big')];
    expect([mine.owner, hers.owner]).toEqual(['导购-王芳', '导购-李娜']);
    // Each save ran its first batch (A) and left the rest recorded as its own pass: the
    // colleague's save did not take over the owner's.
    const recorded = await rulePassesInProgress(owner);
    expect([recorded.get(mine.id)?.done, recorded.get(hers.id)?.done]).toEqual([1, 1]);
    // The owner's pass goes on to the end: it applies the owner's tag alone and ends its own record.
    await later[0]?.(new AbortController().signal);
    for (const customer of ['A', 'B', 'C']) expect(await tagsOf(owner, customer)).toEqual(['big=yes']);
    expect(await tagsOf(colleague, 'C')).toEqual([]);
    expect([...(await rulePassesInProgress(owner)).keys()]).toEqual([hers.id]);
    // The colleague's, cut short with its process, is resumed as the colleague's, and told so.
    const seen: [string, string | null, number][] = [];
    h.clock.advance(RULE_PASS_LEASE_MS + 1000);
    const tick = await tickWorkspace({ ...h.context(), rulePassProgress: (tag, done) => void seen.push([tag.key, tag.owner, done]) }, { clockRules: false });
    expect(tick.rulePassesResumed).toEqual([{ id: hers.id, key: 'big', owner: '导购-李娜' }]);
    expect(seen).toEqual([['big', '导购-李娜', 3]]);
    for (const customer of ['A', 'B', 'C']) expect(await tagsOf(colleague, customer)).toEqual(['big=yes']);
    expect(await rulePassesInProgress(owner)).toEqual(new Map());
  });

  it("tagging by hand applies the rules that read the tag tagged, not a colleague's personal rule tag of the same key nor the rules reading that", async () => {
    const owner = h.context('导购-王芳');
    const colleague = h.context('导购-李娜');
    await upsertCustomers(owner, [{ id: 'A' }]);
    await defineTag(owner, { key: 'big', name: '大客户', scope: 'personal', values: [{ key: 'yes', name: '是' }] });
    await defineTag(owner, { key: 'mine', name: '我的', kind: 'rule', scope: 'personal', values: [{ key: 'yes', name: '是', condition: 'tagged("big")' }] });
    // The colleague's rules read the clock: nothing but the clock's own pass should move them.
    const old = 'first_seen_at before 10 days ago';
    await defineTag(colleague, { key: 'big', name: '老客户', kind: 'rule', scope: 'personal', values: [{ key: 'yes', name: '是', condition: old }] });
    await defineTag(colleague, { key: 'near', name: '老或大', kind: 'rule', scope: 'personal', values: [{ key: 'yes', name: '是', condition: `tagged("big") or ${old}` }] });
    h.clock.advance(11 * 86_400_000);
    await assignTag(owner, { tag: 'big', value: 'yes', customers: ['A'], source: 'manual' });
    expect(await tagsOf(owner, 'A')).toEqual(['big=yes', 'mine=yes']);
    expect(await tagsOf(colleague, 'A')).toEqual([]);
    await removeTag(owner, { tag: 'big', value: 'yes', customers: ['A'], source: 'manual' });
    expect([await tagsOf(owner, 'A'), await tagsOf(colleague, 'A')]).toEqual([[], []]);
    await tickWorkspace(h.context(null), { clockRules: true });
    expect(await tagsOf(colleague, 'A')).toEqual(['big=yes', 'near=yes']);
  });

  it("a tag brought back from the archive applies again the rules that read it, not a colleague's rule reading a personal tag of the same key", async () => {
    const later: ((signal: AbortSignal) => Promise<unknown>)[] = [];
    const runner: RulePassRunner = { firstBatchSize: 1, batchSize: 1, start: (work) => later.push(work) };
    const owner = { ...h.context('导购-王芳'), rulePasses: runner };
    const colleague = { ...h.context('导购-李娜'), rulePasses: runner };
    await ingestEvents(owner, ['A', 'B', 'C'].map((customer, k) => order(`E${k}`, customer, '2026-06-01T00:00:00Z', 1200)));
    const big = { key: 'big', name: '大客户', scope: 'personal' as const, values: [{ key: 'yes', name: '是' }] };
    await defineTag(owner, big);
    await defineTag(colleague, big);
    const reading = (key: string) => ({ key, name: key, kind: 'rule' as const, scope: 'personal' as const, values: [{ key: 'yes', name: '是', condition: 'tagged("big")' }] });
    await defineTag(owner, reading('mine_reads_big'));
    await defineTag(colleague, reading('hers_reads_big'));
    while (later.length > 0) await later.shift()?.(new AbortController().signal);
    expect(await rulePassesInProgress(owner)).toEqual(new Map());
    await updateTag(owner, 'big', { status: 'archived' });
    await updateTag(owner, 'big', { status: 'active' });
    // The owner's rule reads the owner's tag: applied to everyone again. The colleague's reads hers, which did not move.
    expect([...(await rulePassesInProgress(owner)).keys()]).toEqual([(await passOf(owner, 'mine_reads_big')).id]);
  });

  it('with a runner, a save answers after the first batch and the rest of the pass goes on in the background, its progress recorded', async () => {
    const later: ((signal: AbortSignal) => Promise<unknown>)[] = [];
    const runner: RulePassRunner = { firstBatchSize: 2, batchSize: 2, start: (work) => later.push(work) };
    const ctx = { ...h.context(), rulePasses: runner };
    await ingestEvents(ctx, ['A', 'B', 'C', 'D', 'E'].map((customer, k) => order(`E${k}`, customer, '2026-06-01T00:00:00Z', 1200)));
    h.clock.advance(1000);
    await defineTag(ctx, valueTier);
    expect(await tagsOf(ctx, 'A')).toEqual(['value_tier=high']);
    expect(await tagsOf(ctx, 'B')).toEqual(['value_tier=high']);
    expect(await tagsOf(ctx, 'C')).toEqual([]);
    const now = h.clock.now().getTime();
    expect(await rulePassesInProgress(ctx)).toEqual(new Map([[(await passOf(ctx, 'value_tier')).id, { done: 2, total: 5, startedAt: now, updatedAt: now }]]));
    expect(later).toHaveLength(1);
    await later[0]?.(new AbortController().signal);
    for (const customer of ['A', 'B', 'C', 'D', 'E']) expect(await tagsOf(ctx, customer)).toEqual(['value_tier=high']);
    expect(await rulePassesInProgress(ctx)).toEqual(new Map());
  });

  it('runs the whole pass in the save when it fits in one batch, leaving nothing for the background', async () => {
    const later: unknown[] = [];
    const ctx = { ...h.context(), rulePasses: { firstBatchSize: 5, start: (work: unknown) => later.push(work) } };
    await ingestEvents(ctx, ['A', 'B', 'C', 'D', 'E'].map((customer, k) => order(`E${k}`, customer, '2026-06-01T00:00:00Z', 1200)));
    await defineTag(ctx, valueTier);
    expect(later).toEqual([]);
    for (const customer of ['A', 'B', 'C', 'D', 'E']) expect(await tagsOf(ctx, customer)).toEqual(['value_tier=high']);
    expect(await rulePassesInProgress(ctx)).toEqual(new Map());
  });

  it('stops background passes between batches when the process stops, and hands them to the next tick at once', async () => {
    const errors: unknown[] = [];
    const runner = new BackgroundRulePasses((error) => errors.push(error), { firstBatchSize: 1, batchSize: 1 });
    const ctx = { ...h.context(), rulePasses: runner };
    await ingestEvents(ctx, ['A', 'B', 'C', 'D', 'E'].map((customer, k) => order(`E${k}`, customer, '2026-06-01T00:00:00Z', 1200)));
    await defineTag(ctx, valueTier);
    await runner.stop();
    expect(errors).toEqual([]);
    // Wherever the pass stopped, its record (if it did not reach the end) waits for no lease.
    for (const pass of (await rulePassesInProgress(ctx)).values()) expect(pass.updatedAt).toBe(0);
    await tickWorkspace({ ...ctx, rulePasses: undefined }, { clockRules: false });
    for (const customer of ['A', 'B', 'C', 'D', 'E']) expect(await tagsOf(ctx, customer)).toEqual(['value_tier=high']);
    expect(await rulePassesInProgress(ctx)).toEqual(new Map());
    // A stopped runner starts nothing more: a save runs its first batch and leaves the rest recorded.
    await updateTag(ctx, 'value_tier', { status: 'archived' });
    await updateTag(ctx, 'value_tier', { status: 'active' });
    expect((await rulePassesInProgress(ctx)).get((await passOf(ctx, 'value_tier')).id)).toMatchObject({ done: 1, total: 5 });
  });

  it('tells the context after each batch of a pass run here how far it is, from where a resumed run started', async () => {
    const seen: [string, number, number][] = [];
    const ctx = { ...h.context(), rulePassProgress: (tag: { key: string }, done: number, total: number) => void seen.push([tag.key, done, total]) };
    await ingestEvents(ctx, ['A', 'B', 'C', 'D', 'E'].map((customer, k) => order(`E${k}`, customer, '2026-06-01T00:00:00Z', 1200)));
    await defineTag(ctx, valueTier);
    expect(seen).toEqual([['value_tier', 5, 5]]);
    seen.length = 0;
    const tag = await passOf(ctx, 'value_tier');
    const token = await scheduleRulePass(ctx, ctx.store.db, tag);
    expect(await runRulePass(ctx, tag, token, { batchSize: 2, maxBatches: 1 })).toMatchObject({ finished: false });
    expect(await runRulePass(ctx, tag, token, { batchSize: 2 })).toMatchObject({ finished: true });
    expect(seen).toEqual([
      ['value_tier', 2, 5],
      ['value_tier', 4, 5],
      ['value_tier', 5, 5],
    ]);
  });
});
