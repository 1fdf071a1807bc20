import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { upsertCustomers } from '../../src/engine/customers.js';
import { ingestEvents } from '../../src/engine/ingest.js';
import { configureModel, disableModel, getModel, listModels, refreshModel } from '../../src/engine/models.js';
import { getCustomerHistory, getPortrait } from '../../src/engine/portrait.js';
import { assignTag } from '../../src/engine/tagging.js';
import { getTag, updateTagValue } from '../../src/engine/library.js';
import { createMetric, listMetrics } from '../../src/engine/metrics.js';
import type { WorkspaceContext } from '../../src/engine/context.js';
import { MODEL_KINDS } from '../../src/core/models/catalog.js';
import { startScheduler } from '../../src/engine/scheduler.js';
import { tickWorkspace } from '../../src/engine/maintenance.js';
import { defineTag, rejected } from './support.js';

const NOW = Date.parse('2026-06-15T10:00:00Z');
const DAY = 86_400_000;
const at = (daysAgo: number) => new Date(NOW - daysAgo * DAY).toISOString();

let sequence = 0;
const order = (customer: string, daysAgo: number, amount: number) => ({ id: `O${++sequence}`, customer_id: customer, type: 'order_paid', occurred_at: at(daysAgo), properties: { order_id: `order-${sequence}`, amount } });
const refund = (customer: string, daysAgo: number, amount: number) => ({ id: `R${++sequence}`, customer_id: customer, type: 'order_refunded', occurred_at: at(daysAgo), properties: { order_id: `order-${sequence}`, amount } });
/** `count` orders worth `total` together, the last `recency` days ago and the others ten days apart before it. */
const orders = (customer: string, recency: number, count: number, total: number) => Array.from({ length: count }, (_, index) => order(customer, recency + index * 10, total / count));

/**
 * R (days), F (orders in 365 days), M (net spend) by hand; with the means R 58.75, F 3 and
 * M 1,893.75 every one of the eight levels is reached once.
 */
async function seedRfm(ctx: WorkspaceContext) {
  await ingestEvents(ctx, [
    ...orders('A', 2, 5, 6000), // 重要价值: R 2, F 5, M 6000 − 1000 refunded = 5000
    refund('A', 10, 1000),
    refund('A', 500, 700), // outside the window: does not count
    ...orders('B', 3, 1, 3000), // 重要发展: R 3, F 1, M 3000
    ...orders('C', 60, 6, 4000), // 重要保持: R 60, F 6, M 4000
    ...orders('D', 90, 1, 2500), // 重要挽留: R 90, F 1, M 2500
    ...orders('E', 5, 4, 200), // 一般价值: R 5, F 4, M 200
    ...orders('F', 10, 1, 100), // 一般发展: R 10, F 1, M 100
    ...orders('G', 100, 5, 300), // 一般保持: R 100, F 5, M 300
    ...orders('H', 200, 1, 50), // 一般挽留: R 200, F 1, M 50
    ...orders('I', 400, 2, 9000), // bought only before the window: no level
    { id: 'V1', customer_id: 'J', type: 'product_viewed', occurred_at: at(1), properties: { sku: 'S1', category: '美妆', dwell_seconds: 40 } },
  ]);
}

async function levelsOf(ctx: WorkspaceContext, tag = 'rfm'): Promise<Record<string, string>> {
  const levels: Record<string, string> = {};
  const customers = await ctx.store.db.selectFrom('customers').select('external_id').where('workspace_id', '=', ctx.workspaceId).where('merged_into', 'is', null).execute();
  for (const id of customers.map((c) => c.external_id).sort()) {
    const held = (await getPortrait(ctx, id)).tags.filter((t) => t.tag === tag).map((t) => t.value_name);
    if (held.length > 0) levels[id] = held.join('+');
  }
  return levels;
}

forEachStore('models', (h) => {
  it('classifies a hand-computed example into all eight RFM levels with mean thresholds', async () => {
    h.clock.set(new Date(NOW).toISOString());
    const ctx = h.context('运营');
    await seedRfm(ctx);
    const model = await configureModel(ctx, 'rfm', {});
    expect(model).toMatchObject({ enabled: true, params: { window_days: 365, recency: 'mean', frequency: 'mean', monetary: 'mean' } });
    expect(model.thresholds).toMatchObject({ recency: 58.75, frequency: 3, monetary: 1893.75, customers: 8 });
    expect(await levelsOf(ctx)).toEqual({
      A: '重要价值客户',
      B: '重要发展客户',
      C: '重要保持客户',
      D: '重要挽留客户',
      E: '一般价值客户',
      F: '一般发展客户',
      G: '一般保持客户',
      H: '一般挽留客户',
    });
    const portrait = await getPortrait(ctx, 'A');
    expect(portrait.tags.find((t) => t.tag === 'rfm')).toMatchObject({ kind: 'model', source: 'model', actor: 'model:rfm', explanation: 'R 2 天 ≤ 58.75 · F 5 ≥ 3 · M 5,000 ≥ 1,893.75', explanation_en: 'R 2 days ≤ 58.75 · F 5 ≥ 3 · M 5,000 ≥ 1,893.75' });
    const tag = await getTag(ctx, 'rfm');
    expect(tag).toMatchObject({ kind: 'model', ordered: true, cardinality: 'single' });
    expect(tag.values.map((v) => v.name)).toEqual(['一般挽留客户', '一般保持客户', '一般发展客户', '一般价值客户', '重要挽留客户', '重要保持客户', '重要发展客户', '重要价值客户']);
    expect(tag.values.at(-1)?.description).toBe('important value');
    expect(tag.description).toMatch(/^按最近一次消费（距上次支付订单的天数）.*\nRFM level: Eight levels from recency/s);
  });

  it('scores R, F and M 1–5 by quintile as metrics, and re-scores when the thresholds move', async () => {
    h.clock.set(new Date(NOW).toISOString());
    const ctx = h.context();
    await seedRfm(ctx);
    const model = await configureModel(ctx, 'rfm', {});
    expect(model.thresholds?.quintiles).toEqual({ recency: [3, 10, 60, 100], frequency: [1, 1, 4, 5], monetary: [100, 300, 2500, 4000] });
    const scores = async (id: string) => {
      const metrics = (await getPortrait(ctx, id)).metrics;
      return ['rfm_r_score', 'rfm_f_score', 'rfm_m_score'].map((key) => metrics.find((m) => m.key === key)?.value ?? null);
    };
    expect(await scores('A')).toEqual([5, 4, 5]);
    // R mirrors F and M: recencies 2, 3 | 5, 10 | 60 | 90, 100 | 200 score 5 to 1, so C's 60 scores 3.
    expect(await scores('B')).toEqual([5, 1, 4]);
    expect(await scores('C')).toEqual([3, 5, 4]);
    expect(await scores('D')).toEqual([2, 1, 3]);
    expect(await scores('H')).toEqual([1, 1, 1]);
    expect(await scores('I')).toEqual([null, null, null]);
    // Scores are attributes like any metric: segments can read them.
    await ingestEvents(ctx, orders('L', 1, 7, 20_000));
    expect(await scores('L')).toEqual([5, 5, 5]);
    // A rule that reads a score follows it when the thresholds move.
    await defineTag(ctx, { key: 'most_recent', name: '最近购买', kind: 'rule', values: [{ key: 'yes', name: '是', condition: 'rfm_r_score = 5' }] });
    expect(Object.keys(await levelsOf(ctx, 'most_recent')).sort()).toEqual(['A', 'B', 'L']);
    // With L, the cut-offs are 2, 5, 60, 100: B's 3 is in the second bucket.
    await refreshModel(ctx, 'rfm');
    expect(await scores('A')).toEqual([5, 3, 4]);
    expect(await scores('B')).toEqual([4, 1, 3]);
    expect(Object.keys(await levelsOf(ctx, 'most_recent')).sort()).toEqual(['A', 'L']);
  });

  it('leaves no recompute of everyone\'s metrics behind once it has re-scored them, on enabling and on a refresh', async () => {
    h.clock.set(new Date(NOW).toISOString());
    const ctx = h.context();
    await seedRfm(ctx);
    const passes = () => ctx.store.db.selectFrom('rule_passes').select('tag_key').where('workspace_id', '=', ctx.workspaceId).execute();
    await configureModel(ctx, 'rfm', {});
    expect(await passes()).toEqual([]);
    h.clock.advance(DAY);
    await refreshModel(ctx, 'rfm');
    expect(await passes()).toEqual([]);
    // So the scheduler, once a pass's lease is out, has nothing to finish.
    h.clock.advance(DAY);
    expect(await tickWorkspace(ctx, { clockRules: false })).toMatchObject({ metricsPassResumed: false, rulePassesResumed: [] });
  });

  it('names the metrics a model declares in English too, and renames those declared before they had English names', async () => {
    h.clock.set(new Date(NOW).toISOString());
    const ctx = h.context();
    await seedRfm(ctx);
    await configureModel(ctx, 'rfm', { window_days: 450 });
    const englishNames = async () => Object.fromEntries((await listMetrics(ctx)).filter((metric) => metric.key.startsWith('rfm_')).map((metric) => [metric.key, metric.name_en]));
    const named = {
      rfm_frequency: 'RFM F: orders, last 450 days',
      rfm_paid_amount: 'RFM paid amount, last 450 days',
      rfm_refund_amount: 'RFM refunded amount, last 450 days',
      rfm_monetary: 'RFM M: net spend, last 450 days',
      rfm_r_score: 'RFM R score (1–5)',
      rfm_f_score: 'RFM F score (1–5)',
      rfm_m_score: 'RFM M score (1–5)',
    };
    expect(await englishNames()).toEqual(named);
    expect((await getPortrait(ctx, 'A')).metrics.find((metric) => metric.key === 'rfm_f_score')).toEqual({ key: 'rfm_f_score', name: 'RFM·F 分（1–5）', name_en: 'RFM F score (1–5)', type: 'number', value: 4 });
    // As a workspace that enabled the model before metrics had English names has them stored.
    for (const row of await ctx.store.db.selectFrom('metric_definitions').select(['key', 'definition']).where('workspace_id', '=', ctx.workspaceId).execute()) {
      const { name_en: _dropped, ...definition } = JSON.parse(row.definition) as { name_en?: string };
      await ctx.store.db.updateTable('metric_definitions').set({ definition: JSON.stringify(definition) }).where('workspace_id', '=', ctx.workspaceId).where('key', '=', row.key).execute();
    }
    expect(Object.values(await englishNames()).every((name) => name === undefined)).toBe(true);
    await configureModel(ctx, 'rfm', { window_days: 450 });
    expect(await englishNames()).toEqual(named);
    // Renamed, not recomputed: the values stay as they were.
    expect((await getPortrait(ctx, 'A')).metrics.find((metric) => metric.key === 'rfm_f_score')).toMatchObject({ name_en: 'RFM F score (1–5)', value: 4 });
    expect((await configureModel(ctx, 'interests', { categories: ['美妆'] })).enabled).toBe(true);
    expect((await listMetrics(ctx)).filter((metric) => metric.key.startsWith('interest_')).map((metric) => metric.name_en).sort()).toEqual(['美妆 long views', '美妆 views']);
  });

  it('puts a customer exactly on a threshold on the high side, with fixed and median thresholds', async () => {
    h.clock.set(new Date(NOW).toISOString());
    const ctx = h.context();
    await seedRfm(ctx);
    // R 60 ≤ 60 is recent; F 4 ≥ 4 is frequent; M 3000 ≥ 3000 is high.
    const fixed = await configureModel(ctx, 'rfm', { recency: 60, frequency: 4, monetary: 3000 });
    expect(fixed.thresholds).toMatchObject({ recency: 60, frequency: 4, monetary: 3000 });
    const levels = await levelsOf(ctx);
    expect(levels).toMatchObject({ B: '重要发展客户', C: '重要价值客户', E: '一般价值客户', D: '一般挽留客户' });
    const median = await configureModel(ctx, 'RFM等级', { frequency: 'median' });
    expect(median.params).toMatchObject({ recency: 'mean', frequency: 'median', monetary: 'mean' });
    expect(median.thresholds).toMatchObject({ recency: 58.75, frequency: 2.5, monetary: 1893.75 });
  });

  it('changes the level in real time when a customer orders, and records it', async () => {
    h.clock.set(new Date(NOW).toISOString());
    const ctx = h.context();
    await seedRfm(ctx);
    await configureModel(ctx, 'rfm', {});
    const result = await ingestEvents(ctx, [order('D', 0, 100), order('D', 0, 100)]);
    expect(result.tags_changed).toBe(1);
    expect((await levelsOf(ctx)).D).toBe('重要价值客户');
    const [latest] = (await getCustomerHistory(ctx, 'D', { limit: 1 })).items;
    expect(latest).toMatchObject({ action: 'replace', label: 'RFM等级: 重要挽留客户 → 重要价值客户', source: 'model', actor: 'model:rfm' });
    // A refund that takes M under the threshold moves the level down at once.
    await ingestEvents(ctx, [refund('B', 0, 2000)]);
    expect((await levelsOf(ctx)).B).toBe('一般发展客户');
  });

  it('refreshes thresholds on demand, with their time, and gives the window to the metrics', async () => {
    h.clock.set(new Date(NOW).toISOString());
    const ctx = h.context();
    await seedRfm(ctx);
    await configureModel(ctx, 'rfm', { window_days: 450 });
    // I's orders 400 and 410 days ago are inside a 450-day window now.
    expect((await getModel(ctx, 'rfm')).thresholds?.customers).toBe(9);
    expect((await levelsOf(ctx)).I).toBe('重要挽留客户');
    h.clock.set(new Date(NOW + 3 * DAY).toISOString());
    await ingestEvents(ctx, orders('K', 0, 10, 50_000));
    const refreshed = await refreshModel(ctx, 'rfm');
    expect(refreshed.thresholds?.customers).toBe(10);
    expect(refreshed.thresholds?.computed_at).toBe(new Date(NOW + 3 * DAY).toISOString());
    expect((await levelsOf(ctx)).K).toBe('重要价值客户');
  });

  it('rejects bad parameters, unknown models, clashes and manual tagging with clear errors', async () => {
    const ctx = h.context();
    expect((await rejected(configureModel(ctx, 'lifecyle', {}))).message).toContain('Did you mean "lifecycle"?');
    const invalid = await rejected(configureModel(ctx, 'rfm', { window_days: 0 }));
    expect(invalid.code).toBe('MODEL_INVALID');
    expect(invalid.message).toContain('window_days');
    expect((await rejected(configureModel(ctx, 'rfm', { recency: 'average' }))).code).toBe('MODEL_INVALID');
    // A misspelt parameter is named with the nearest one and every one the model takes.
    const misspelt = await rejected(configureModel(ctx, 'value_tier', { hgh: 3000 }));
    expect([misspelt.code, misspelt.message]).toEqual(['MODEL_INVALID', 'Model "value_tier": it has no parameter "hgh". Did you mean "high"? Its parameters: high, middle']);
    expect(misspelt.messageIn('zh-CN')).toBe('模型「value_tier」：没有参数「hgh」。您是不是要找「high」？它的参数有：high、middle');
    expect((await rejected(configureModel(ctx, 'personas', { home_cty: '上海' }))).message).toContain('Did you mean "home_city"?');
    const misordered = await rejected(configureModel(ctx, 'lifecycle', { decline_days: 200, lost_days: 100 }));
    expect(misordered.message).toContain('lost_days: must be more than decline_days');
    expect(misordered.messageIn('zh-CN')).toContain('lost_days：必须大于 decline_days');
    const unordered = await rejected(configureModel(ctx, 'spend_band', { bounds: [1000, 500] }));
    expect(unordered.message).toContain('bounds: each bound must be greater than the one before');
    expect(unordered.messageIn('zh-CN')).toContain('bounds：每个分界值都要大于前一个');
    expect((await rejected(configureModel(ctx, 'vip', { spend: 1 }))).code).toBe('MODEL_INVALID');
    // A spend of 0 is reached by every customer, those who never bought included: a bound is more than 0.
    const zero = await rejected(configureModel(ctx, 'vip', { spend_365d: 0 }));
    expect([zero.code, zero.message, zero.messageIn('zh-CN')]).toEqual(['MODEL_INVALID', 'Model "vip": spend_365d: more than 0', '模型「vip」：spend_365d：须大于 0']);
    expect((await rejected(configureModel(ctx, 'value_tier', { middle: 0, high: 100 }))).message).toContain('middle: more than 0');
    expect((await rejected(configureModel(ctx, 'spend_band', { bounds: [0, 100] }))).message).toContain('bounds.0: more than 0');
    expect((await rejected(refreshModel(ctx, 'rfm'))).code).toBe('MODEL_NOT_ENABLED');
    await defineTag(ctx, { key: 'lifecycle', name: '手工生命周期', values: [{ key: 'a', name: 'A' }] });
    // The tag holding the key is named, and the ways out are said: another key for the model's tag, or for that one; not another name.
    const taken = await rejected(configureModel(ctx, 'lifecycle', {}));
    expect([taken.code, taken.message]).toEqual([
      'MODEL_CONFLICT',
      expect.stringContaining('the manual tag "手工生命周期" already uses the key "lifecycle"; give the model\'s tag another key ({"tag_key": "lifecycle_model"}), or give that tag another key first (PATCH /api/v1/tags/lifecycle)'),
    ]);
    expect(taken.messageIn('zh-CN')).toContain('手工标签「手工生命周期」已使用标识「lifecycle」，请给模型的标签另取标识（{"tag_key": "lifecycle_model"}），或先给该标签换一个标识');
    expect((await rejected(configureModel(ctx, 'lifecycle', {}, { tagKey: 'lifecycle' }))).message).toContain('already uses the key "lifecycle"; choose another tag_key');
    const badKey = await rejected(configureModel(ctx, 'lifecycle', {}, { tagKey: 'life cycle' }));
    expect([badKey.code, badKey.message]).toEqual(['MODEL_INVALID', expect.stringContaining('tag_key: a key is 1-64 letters')]);
    expect(badKey.messageIn('zh-CN')).toContain('tag_key：标识为 1–64 个汉字');
    // A tag of another key already called what the model's tag is called: refused before anything is declared.
    await defineTag(ctx, { key: 'value_levels', name: '价值分层', values: [{ key: 'a', name: 'A' }] });
    const named = await rejected(configureModel(ctx, 'value_tier', {}));
    expect([named.code, named.message]).toEqual(['MODEL_CONFLICT', expect.stringContaining('tag "value_levels" is already called "价值分层"')]);
    expect((await ctx.store.db.selectFrom('models').selectAll().where('workspace_id', '=', ctx.workspaceId).where('key', '=', 'value_tier').execute()).length).toBe(0);
    // A metric someone else declared under a model's key is never overwritten.
    await createMetric(ctx, { key: 'rfm_frequency', name: '自定义', aggregation: 'count', event_type: 'order_paid', window: { kind: 'days', days: 30 } });
    const clash = await rejected(configureModel(ctx, 'rfm', {}));
    expect(clash.code).toBe('MODEL_CONFLICT');
    expect(clash.message).toContain('rfm_frequency');
    await upsertCustomers(ctx, [{ id: 'X' }]);
    await configureModel(ctx, 'vip', {});
    // Said in words in either language, where the Chinese named the kind in English (类型是 model) and both said rule tags could not be assigned by hand.
    const byHand = await rejected(assignTag(ctx, { tag: 'vip', value: 'vip', customers: ['X'], source: 'manual' }));
    expect([byHand.code, byHand.message]).toEqual(['TAG_NOT_MANUAL', 'Tag "VIP" (vip) is a model\'s tag: its model alone sets it, from its parameters; manual and rule tags can be assigned by hand.']);
    expect(byHand.messageIn('zh-CN')).toBe('标签「VIP」（vip）是模型的标签，只由模型按参数打标；手动标签和规则标签才能手动打标。');
  });

  it('refuses a model whose tag\'s name another staff member\'s personal tag holds without naming that tag, and names it to its owner', async () => {
    const staff = h.context('导购-王芳');
    await defineTag(staff, { key: 'my_levels', name: '价值分层', scope: 'personal', values: [{ key: 'a', name: 'A' }] });
    const refused = await rejected(configureModel(h.context('店长'), 'value_tier', {}));
    expect(refused.code).toBe('MODEL_CONFLICT');
    expect(refused.message).toBe('Model "value_tier" cannot be enabled: another staff member\'s personal tag is already called "价值分层", the name of this model\'s tag; its owner would have to rename it first');
    expect(refused.messageIn('zh-CN')).toContain('其他员工的个人标签已叫「价值分层」，与这个模型的标签同名，需由其本人先改名');
    expect((await rejected(configureModel(staff, 'value_tier', {}))).message).toContain('tag "my_levels" is already called "价值分层"');
  });

  it('runs every model on one store: lifecycle, VIP, activity, tiers, bands, personas and interests', async () => {
    h.clock.set(new Date(NOW).toISOString());
    const ctx = h.context();
    await seedRfm(ctx);
    await upsertCustomers(ctx, [{ id: 'P', city: '杭州' }, { id: 'A', city: '杭州' }]);
    await ingestEvents(ctx, [
      { id: 'C1', customer_id: 'P', type: 'cart_added', occurred_at: at(2), properties: { sku: 'S9' } },
      { id: 'V2', customer_id: 'J', type: 'product_viewed', occurred_at: at(3), properties: { sku: 'S2', category: '数码', dwell_seconds: 5 } },
      { id: 'V3', customer_id: 'J', type: 'product_viewed', occurred_at: at(4), properties: { sku: 'S3', category: '数码', dwell_seconds: 5 } },
      { id: 'V4', customer_id: 'J', type: 'product_viewed', occurred_at: at(5), properties: { sku: 'S4', category: '数码', dwell_seconds: 5 } },
      { id: 'V5', customer_id: 'B', type: 'product_viewed', occurred_at: at(5), properties: { sku: 'S4', category: '数码', dwell_seconds: 5 } },
    ]);
    for (const kind of MODEL_KINDS) await configureModel(ctx, kind.key, kind.key === 'personas' ? { home_city: '杭州' } : {});
    expect((await listModels(ctx)).every((model) => model.enabled)).toBe(true);
    // D's last order is exactly decline_days ago: still active. G's is ten days more.
    expect(await levelsOf(ctx, 'lifecycle')).toMatchObject({ A: '成熟客户', B: '新客户', C: '成熟客户', D: '成长客户', G: '衰退客户', H: '流失客户', I: '流失客户', J: '潜在客户' });
    expect(await levelsOf(ctx, 'vip')).toEqual({ A: 'VIP客户' });
    expect(await levelsOf(ctx, 'activity')).toMatchObject({ A: '活跃', C: '不活跃', H: '流失' });
    expect(await levelsOf(ctx, 'value_tier')).toMatchObject({ A: '高价值', B: '中价值', E: '低价值' });
    expect(await levelsOf(ctx, 'frequency_tier')).toMatchObject({ A: '中频', B: '低频', C: '中频' });
    expect((await levelsOf(ctx, 'frequency_tier')).I).toBeUndefined();
    expect(await levelsOf(ctx, 'spend_band')).toMatchObject({ A: '5,000元以上', B: '2,000–5,000元', H: '500元以下' });
    expect(await levelsOf(ctx, 'freshness')).toMatchObject({ A: '0–5天', F: '6–15天', C: '31–90天', H: '90天以上' });
    const personas = await levelsOf(ctx, 'personas');
    expect(personas.B).toBe('新客+大额客户');
    expect(personas.A?.split('+')).toEqual(expect.arrayContaining(['本地客户']));
    expect((await getPortrait(ctx, 'P')).tags.map((t) => t.label)).toEqual(expect.arrayContaining(['客户画像: 加购未买', '客户画像: 本地客户']));
    // J viewed 数码 three times (min_views) and 美妆 once for 40 s (dwell): both interests.
    expect((await levelsOf(ctx, 'interests')).J?.split('+').sort()).toEqual(['数码', '美妆'].sort());
    expect((await levelsOf(ctx, 'interests')).B).toBeUndefined();
    expect(personas.P).toContain('加购未买');
    // Narrowing the categories removes the values the model no longer has, with their assignments.
    await configureModel(ctx, 'interests', { categories: ['美妆'] });
    expect((await levelsOf(ctx, 'interests')).J).toBe('美妆');
    await disableModel(ctx, 'vip');
    expect((await getTag(ctx, 'vip')).status).toBe('archived');
    expect((await getModel(ctx, 'vip')).enabled).toBe(false);
  });

  it('applies the rule tags reading a model\'s tag to everyone again when the model is enabled again', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'A', city: '深圳' }]);
    await ingestEvents(ctx, [{ id: 'o1', customer_id: 'A', type: 'order_paid', occurred_at: new Date(h.clock.now().getTime() - 5 * 86_400_000).toISOString(), properties: { order_id: 'O1', amount: 500 } }]);
    await configureModel(ctx, 'rfm', {});
    await defineTag(ctx, { key: 'local_rfm', name: '本地RFM客户', kind: 'rule', values: [{ key: 'yes', name: '是', condition: 'rfm exists and city = "广州"' }] });
    const labels = async () => (await getPortrait(ctx, 'A')).tags.map((tag) => tag.label).sort();
    expect(await labels()).toEqual(['RFM等级: 重要价值客户']);
    // Off, the model's tag is archived and the rule reading it stops: the move to 广州 gives nothing yet.
    await disableModel(ctx, 'rfm');
    await upsertCustomers(ctx, [{ id: 'A', city: '广州' }]);
    expect(await labels()).toEqual([]);
    // On again, A's RFM level is what it was, and the rule reading it runs for everyone.
    await configureModel(ctx, 'rfm', {});
    expect(await labels()).toEqual(['RFM等级: 重要价值客户', '本地RFM客户: 是']);
  });

  it('names the bands by their new bounds when the bounds change, keeping a name an operator gave', async () => {
    h.clock.set(new Date(NOW).toISOString());
    const ctx = h.context('运营');
    // P spends 6,000, Q 1,500, R 100 and S 700; P and Q bought 1 and 3 days ago, R 20.
    await ingestEvents(ctx, [order('P', 1, 6000), order('Q', 3, 1500), order('R', 20, 100), order('S', 40, 700)]);
    await configureModel(ctx, 'spend_band', {});
    await configureModel(ctx, 'freshness', {});
    expect(await levelsOf(ctx, 'spend_band')).toEqual({ P: '5,000元以上', Q: '1,000–2,000元', R: '500元以下', S: '500–1,000元' });
    await updateTagValue(ctx, 'spend_band', 'band_2', { name: '中等消费' });
    await configureModel(ctx, 'spend_band', { bounds: [500, 1000] });
    await configureModel(ctx, 'freshness', { bounds: [2, 10] });
    // band_3 now holds everyone from 1,000 up: it is no longer called 1,000–2,000元.
    expect(await levelsOf(ctx, 'spend_band')).toEqual({ P: '1,000元以上', Q: '1,000元以上', R: '500元以下', S: '中等消费' });
    expect((await getTag(ctx, 'spend_band')).values.map((value) => [value.key, value.name, value.description])).toEqual([
      ['band_1', '500元以下', 'under 500'],
      ['band_2', '中等消费', '500 to 1,000'],
      ['band_3', '1,000元以上', '1,000 and over'],
    ]);
    expect(await levelsOf(ctx, 'freshness')).toEqual({ P: '0–2天', Q: '3–10天', R: '10天以上', S: '10天以上' });
    const [latest] = (await getCustomerHistory(ctx, 'P', { limit: 1 })).items;
    expect(latest?.label).toBe('消费金额段: 5,000元以上 → 1,000元以上');
  });

  it('names the bands by their new bounds when a model switched off comes back with other bounds, keeping a name an operator gave', async () => {
    h.clock.set(new Date(NOW).toISOString());
    const ctx = h.context('运营');
    await ingestEvents(ctx, [order('P', 1, 6000), order('Q', 3, 1500), order('R', 20, 100), order('S', 40, 700)]);
    await configureModel(ctx, 'spend_band', {});
    await configureModel(ctx, 'freshness', {});
    await updateTagValue(ctx, 'spend_band', 'band_2', { name: '中等消费' });
    await disableModel(ctx, 'spend_band');
    await disableModel(ctx, 'freshness');
    await configureModel(ctx, 'spend_band', { bounds: [500, 1000] });
    await configureModel(ctx, 'freshness', { bounds: [2, 10] });
    expect((await getTag(ctx, 'spend_band')).values.map((value) => [value.key, value.name, value.description])).toEqual([
      ['band_1', '500元以下', 'under 500'],
      ['band_2', '中等消费', '500 to 1,000'],
      ['band_3', '1,000元以上', '1,000 and over'],
    ]);
    expect(await levelsOf(ctx, 'spend_band')).toEqual({ P: '1,000元以上', Q: '1,000元以上', R: '500元以下', S: '中等消费' });
    expect(await levelsOf(ctx, 'freshness')).toEqual({ P: '0–2天', Q: '3–10天', R: '10天以上', S: '10天以上' });
  });

  it('gives a model\'s tag a key of its own where the library has a tag of the model\'s key, and keeps it', async () => {
    h.clock.set(new Date(NOW).toISOString());
    const ctx = h.context('运营');
    // 兴趣爱好 learnt in conversation (the retail template's tag) holds the key of the model of interests read from browsing.
    await defineTag(ctx, { key: 'interests', name: '兴趣爱好', values: [{ key: 'golf', name: '高尔夫' }] });
    await upsertCustomers(ctx, [{ id: 'J' }]);
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['J'], source: 'manual' });
    await ingestEvents(ctx, [{ id: 'V1', customer_id: 'J', type: 'product_viewed', occurred_at: at(1), properties: { sku: 'S1', category: '美妆', dwell_seconds: 40 } }]);
    expect((await rejected(configureModel(ctx, 'interests', {}))).code).toBe('MODEL_CONFLICT');
    const enabled = await configureModel(ctx, 'interests', {}, { tagKey: 'browsing_interests' });
    expect(enabled).toMatchObject({ enabled: true, tag_key: 'browsing_interests' });
    expect((await getTag(ctx, 'browsing_interests')).model).toBe('interests');
    expect((await getTag(ctx, 'interests')).model).toBeUndefined();
    expect(await levelsOf(ctx, 'browsing_interests')).toEqual({ J: '美妆' });
    expect(await levelsOf(ctx, 'interests')).toEqual({ J: '高尔夫' });
    expect((await getCustomerHistory(ctx, 'J', { limit: 50 })).items.find((item) => item.tag === 'browsing_interests')).toMatchObject({ source: 'model', actor: 'model:interests' });
    // New parameters reach the same tag; its key stays what it was given.
    expect(await configureModel(ctx, 'interests', { dwell_seconds: 60 })).toMatchObject({ tag_key: 'browsing_interests' });
    expect(await levelsOf(ctx, 'browsing_interests')).toEqual({});
    const moved = await rejected(configureModel(ctx, 'interests', {}, { tagKey: 'other' }));
    expect([moved.code, moved.message]).toEqual(['MODEL_INVALID', expect.stringContaining('its tag has the key "browsing_interests", which stays')]);
    // Off and on again: the model's own tag is archived and comes back, history and all; the library's tag is left alone.
    await disableModel(ctx, 'interests');
    expect((await getTag(ctx, 'browsing_interests')).status).toBe('archived');
    expect((await getTag(ctx, 'interests')).status).toBe('active');
    expect((await getModel(ctx, 'interests')).tag_key).toBeNull();
    expect(await configureModel(ctx, 'interests', {})).toMatchObject({ enabled: true, tag_key: 'browsing_interests' });
    expect(await levelsOf(ctx, 'browsing_interests')).toEqual({ J: '美妆' });
    expect((await listModels(ctx)).find((model) => model.key === 'interests')?.tag_key).toBe('browsing_interests');
  });

  it('marks customers won back after a long absence, and trendsetters who buy new products early', async () => {
    h.clock.set(new Date(NOW).toISOString());
    const ctx = h.context();
    const launched = (daysAgo: number) => new Date(NOW - daysAgo * DAY).toISOString();
    await ingestEvents(ctx, [
      { id: 'W1', customer_id: 'W', type: 'app_opened', occurred_at: at(200), properties: {} },
      { id: 'W2', customer_id: 'W', type: 'app_opened', occurred_at: at(2), properties: {} },
      { id: 'S1', customer_id: 'S', type: 'app_opened', occurred_at: at(20), properties: {} },
      { id: 'S2', customer_id: 'S', type: 'app_opened', occurred_at: at(2), properties: {} },
      { id: 'T1', customer_id: 'T', type: 'order_paid', occurred_at: at(10), properties: { order_id: 'T1', amount: 300, items: [{ sku: 'N1', category: '服装', launched_at: launched(20) }] } },
      { id: 'U1', customer_id: 'U', type: 'order_paid', occurred_at: at(10), properties: { order_id: 'U1', amount: 300, items: [{ sku: 'N2', category: '服装', launched_at: launched(200) }, { sku: 'N3', category: '服装' }] } },
    ]);
    await configureModel(ctx, 'activity', {});
    await configureModel(ctx, 'personas', {});
    expect(await levelsOf(ctx, 'activity')).toMatchObject({ W: '挽回', S: '活跃' });
    const personas = await levelsOf(ctx, 'personas');
    expect(personas.T?.split('+')).toContain('潮流先锋');
    expect(personas.U?.split('+') ?? []).not.toContain('潮流先锋');
    // The next visit shows a normal rhythm again.
    await ingestEvents(ctx, [{ id: 'W3', customer_id: 'W', type: 'app_opened', occurred_at: at(1), properties: {} }]);
    expect((await levelsOf(ctx, 'activity')).W).toBe('活跃');
  });

  it('lets the scheduler refresh thresholds once they are a day old', async () => {
    h.clock.set(new Date(NOW).toISOString());
    const ctx = h.context();
    await seedRfm(ctx);
    await configureModel(ctx, 'rfm', {});
    const scheduler = startScheduler(h.store(), h.clock.now, { intervalMs: 2 ** 30 });
    try {
      h.clock.set(new Date(NOW + 12 * 3_600_000).toISOString());
      await scheduler.tick({ clockRules: true });
      expect((await getModel(ctx, 'rfm')).thresholds?.computed_at).toBe(new Date(NOW).toISOString());
      h.clock.set(new Date(NOW + 25 * 3_600_000).toISOString());
      await scheduler.tick({ clockRules: true });
      // A day later every R is one day longer, and so is their mean.
      expect((await getModel(ctx, 'rfm')).thresholds).toMatchObject({ recency: 59.75, computed_at: new Date(NOW + 25 * 3_600_000).toISOString() });
    } finally {
      scheduler.stop();
    }
  });

  it('keeps the events that arrive while a refresh re-scores customers', async () => {
    // A refresh reads customers' metrics, re-scores them and writes them back. On PostgreSQL,
    // batches of events committed between the read and the write were overwritten by the
    // values from before them (84 of 300 customers in this run, before the fix).
    const ctx = h.context();
    const customers = Array.from({ length: 300 }, (_, i) => `C${i}`);
    await ingestEvents(ctx, customers.flatMap((customer, i) => [order(customer, 40, 10 + i), order(customer, 10, 5 + (i % 7) * 100)]));
    await configureModel(ctx, 'rfm', {});
    for (let round = 0; round < 5; round++) {
      await Promise.all([
        refreshModel(ctx, 'rfm'),
        ...[0, 1, 2].map(async (k) => {
          for (let j = 0; j < 3; j++) await ingestEvents(ctx, customers.filter((_, i) => (i + k + j) % 5 === 0).map((customer) => order(customer, 1, 333)));
        }),
      ]);
    }
    const counted = await ctx.store.db
      .selectFrom('events')
      .select(['customer_id', (eb) => eb.fn.countAll<number>().as('orders')])
      .where('workspace_id', '=', ctx.workspaceId)
      .groupBy('customer_id')
      .execute();
    const stored = new Map(
      (await ctx.store.db.selectFrom('customer_metrics').select(['customer_id', 'metric_values']).where('workspace_id', '=', ctx.workspaceId).execute()).map((row) => [row.customer_id, JSON.parse(row.metric_values) as { orders_total: number }]),
    );
    expect(counted).toHaveLength(300);
    for (const row of counted) expect(stored.get(row.customer_id)?.orders_total).toBe(Number(row.orders));
  });

  it('enables a model asked for twice at once, while it is refreshed', async () => {
    // Each takes several transactions; the second used to fail with METRIC_EXISTS.
    const ctx = h.context();
    await ingestEvents(ctx, [...orders('A', 5, 4, 4000), ...orders('B', 200, 1, 80)]);
    await Promise.all([configureModel(ctx, 'rfm', {}), configureModel(ctx, 'rfm', {})]);
    const [refreshed, again] = await Promise.all([refreshModel(ctx, 'rfm'), configureModel(ctx, 'rfm', {})]);
    expect(refreshed.enabled).toBe(true);
    expect(again.enabled).toBe(true);
    expect((await getTag(ctx, 'rfm')).status).toBe('active');
    // One that fails does not hold up the next.
    const [disabled, enabled] = await Promise.allSettled([disableModel(ctx, 'lifecycle'), configureModel(ctx, 'lifecycle', {})]);
    expect(disabled.status === 'rejected' && (disabled.reason as { code?: string }).code).toBe('MODEL_NOT_ENABLED');
    expect(enabled.status).toBe('fulfilled');
  });
});

