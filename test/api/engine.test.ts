import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { useServer } from './support.js';

const valueTier = {
  key: 'value_tier',
  name: '价值分层',
  kind: 'rule',
  values: [
    { key: 'high', name: '高价值', condition: 'spend_365d >= 1000' },
    { key: 'low', name: '低价值', condition: 'orders_total >= 1' },
  ],
};

forEachStore('API: metrics and rule tags', (h) => {
  const api = useServer(h);

  it('lists metrics declared at the same moment by key, on both stores alike', async () => {
    for (const key of ['views_zeta', 'views_alpha', 'views_mid']) {
      const declared = await api.post('/api/v1/metrics', { key, name: key, aggregation: 'count', event_type: 'product_viewed' });
      expect(declared.status).toBe(201);
    }
    const listed = (await api.get('/api/v1/metrics')).body.items as { key: string; builtin: boolean }[];
    expect(listed.filter((metric) => !metric.builtin).map((metric) => metric.key)).toEqual(['views_alpha', 'views_mid', 'views_zeta']);
    await api.post('/api/v1/customers', { customers: [{ id: 'C1' }] });
    const portrait = (await api.get('/api/v1/customers/C1')).body.metrics as { key: string }[];
    expect(portrait.map((metric) => metric.key).filter((key) => key.startsWith('views_'))).toEqual(['views_alpha', 'views_mid', 'views_zeta']);
  });

  it('shows metrics in the portrait, updated by the ingest request itself', async () => {
    const events = [{ id: 'E1', customer_id: 'C1', type: 'order_paid', occurred_at: '2026-06-01T08:00:00Z', properties: { order_id: 'O1', amount: 1200 } }];
    expect((await api.post('/api/v1/tags', valueTier)).status).toBe(201);
    expect((await api.post('/api/v1/events', { events })).body).toMatchObject({ stored: 1, tags_changed: 1 });
    const portrait = await api.get('/api/v1/customers/C1');
    const metrics = portrait.body.metrics as { key: string; value: unknown }[];
    expect(metrics.find((m) => m.key === 'spend_365d')?.value).toBe(1200);
    expect(metrics.find((m) => m.key === 'last_order_at')?.value).toBe('2026-06-01T08:00:00.000Z');
    // Named in Chinese and in English, for a console in either language.
    expect(metrics.find((m) => m.key === 'spend_365d')).toEqual({ key: 'spend_365d', name: '近365天消费额', name_en: 'Spend, last 365 days, net of refunds', type: 'number', value: 1200 });
    expect(portrait.body.tags).toEqual([expect.objectContaining({ label: '价值分层: 高价值', source: 'rule' })]);
  });

  it('refuses to declare a metric keyed __proto__, whose value every portrait showed as {} and no expression counted', async () => {
    await api.post('/api/v1/events', { events: [{ id: 'P1', customer_id: 'C1', type: 'product_viewed', occurred_at: '2026-06-10T08:00:00Z', properties: { sku: 'S1' } }] });
    const refused = await api.post('/api/v1/metrics', { key: '__proto__', name: '浏览次数', aggregation: 'count', event_type: 'product_viewed' });
    expect(refused.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', errors: [{ path: 'key', pointer: '#/key' }] });
    const chinese = await api.post('/api/v1/metrics', { key: '__proto__', name: '浏览次数', aggregation: 'count', event_type: 'product_viewed' }, { 'accept-language': 'zh-CN' });
    expect(chinese.body.errors?.[0]?.message).toContain('__proto__');
    const portrait = await api.get('/api/v1/customers/C1');
    expect((portrait.body.metrics as { key: string }[]).map((metric) => metric.key)).not.toContain('__proto__');
  });

  it('declares a custom metric with a filter, computes it for everyone, and rules can read it', async () => {
    await api.post('/api/v1/events', {
      events: [
        { id: 'E1', customer_id: 'C1', type: 'product_viewed', occurred_at: '2026-06-10T08:00:00Z', properties: { sku: 'S1', category: '美妆', dwell_seconds: 45 } },
        { id: 'E2', customer_id: 'C1', type: 'product_viewed', occurred_at: '2026-06-11T08:00:00Z', properties: { sku: 'S2', category: '美妆', dwell_seconds: 5 } },
      ],
    });
    const created = await api.post('/api/v1/metrics', { key: 'long_beauty_views_30d', name: '近30天美妆长浏览', aggregation: 'count', event_type: 'product_viewed', filter: 'category = "美妆" and dwell_seconds >= 30', window: { kind: 'days', days: 30 } });
    expect(created).toMatchObject({ status: 201, body: { key: 'long_beauty_views_30d', name_en: null, type: 'number', builtin: false } });
    // Read back in the words it was declared in: snake_case, as every field of the API.
    expect(created.body.formula).toEqual({ kind: 'aggregate', aggregation: 'count', event_type: 'product_viewed', filter: 'category = "美妆" and dwell_seconds >= 30', window: { kind: 'days', days: 30 } });
    const formulas = ((await api.get('/api/v1/metrics')).body.items as { key: string; formula: Record<string, unknown> }[]).map((metric) => metric.formula);
    expect(formulas.flatMap((formula) => Object.keys(formula)).filter((key) => /[A-Z]/.test(key))).toEqual([]);
    expect(formulas).toContainEqual({ kind: 'difference', minuend: 'orders_total', subtrahend: 'one_if_ordered', at_least: 0 });
    const portrait = await api.get('/api/v1/customers/C1');
    expect((portrait.body.metrics as { key: string; value: unknown }[]).find((m) => m.key === 'long_beauty_views_30d')?.value).toBe(1);
    const rule = await api.post('/api/v1/tags', { key: 'beauty_fan', name: '美妆兴趣', kind: 'rule', values: [{ key: 'yes', name: '是', condition: 'long_beauty_views_30d >= 1' }] });
    expect(rule.status).toBe(201);
    expect(rule.body).toMatchObject({ customers: 1 });
    expect((await api.post('/api/v1/metrics', { key: 'long_beauty_views_30d', name: 'x', aggregation: 'count', event_type: 'product_viewed' })).body.code).toBe('METRIC_EXISTS');
    expect((await api.post('/api/v1/metrics', { key: 'bad', name: 'x', aggregation: 'count', event_type: 'product_viewed', filter: 'dwell >= 30' })).body.code).toBe('METRIC_INVALID');
    // A sum or a mean needs something to add up: without a property it would add event times.
    const unsummed = await api.post('/api/v1/metrics', { key: 'paid_sum', name: 'x', aggregation: 'sum', event_type: 'order_paid' }, { 'accept-language': 'zh-CN' });
    expect(unsummed.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', detail: '请求无效：请求体 property：sum 和 avg 汇总的是数值属性（如 amount、items[].quantity）：请在 property 中指定' });
    expect((await api.post('/api/v1/metrics', { key: 'paid_avg', name: 'x', aggregation: 'avg', event_type: 'order_paid', property: '@time' })).body.code).toBe('VALIDATION_FAILED');
    const listed = (await api.get('/api/v1/metrics')).body.items as { key: string; name_en: string | null; builtin: boolean }[];
    expect(listed).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'spend_365d', name: '近365天消费额', name_en: 'Spend, last 365 days, net of refunds', builtin: true })]));
    expect(listed.find((metric) => metric.key === 'long_beauty_views_30d')).toMatchObject({ name: '近30天美妆长浏览', name_en: null, builtin: false });
    // Every built-in metric has an English name.
    expect(listed.filter((metric) => metric.builtin && !metric.name_en)).toEqual([]);
    // A custom metric may be given one too; it is kept with the definition and shown on the portrait.
    const named = await api.post('/api/v1/metrics', { key: 'beauty_views_total', name: '美妆浏览次数', name_en: 'Beauty views', aggregation: 'count', event_type: 'product_viewed', filter: 'category = "美妆"' });
    expect(named).toMatchObject({ status: 201, body: { key: 'beauty_views_total', name_en: 'Beauty views' } });
    expect(((await api.get('/api/v1/metrics')).body.items as { key: string; name_en: string | null }[]).find((metric) => metric.key === 'beauty_views_total')?.name_en).toBe('Beauty views');
    expect(((await api.get('/api/v1/customers/C1')).body.metrics as { key: string }[]).find((metric) => metric.key === 'beauty_views_total')).toEqual({ key: 'beauty_views_total', name: '美妆浏览次数', name_en: 'Beauty views', type: 'number', value: 2 });
    expect((await api.post('/api/v1/metrics', { key: 'blank_en', name: 'x', name_en: ' ', aggregation: 'count', event_type: 'product_viewed' })).body.code).toBe('VALIDATION_FAILED');
  });

  it('answers a bad rule with its position and a suggestion, and changes nothing', async () => {
    const reply = await api.post('/api/v1/tags', { ...valueTier, values: [{ key: 'high', name: '高价值', condition: 'spend_365d >= 1000 and' }] });
    expect(reply.status).toBe(400);
    expect(reply.body.code).toBe('RULE_INVALID');
    expect(reply.body.detail).toContain('column');
    const unknown = await api.post('/api/v1/tags', { ...valueTier, values: [{ key: 'high', name: '高价值', condition: 'spend_356 >= 1000' }] });
    expect(unknown.body.detail).toContain('Did you mean');
    expect((await api.get('/api/v1/tags')).body.items).toEqual([]);
  });

  it('previews a rule before it is saved', async () => {
    await api.post('/api/v1/events', {
      events: [
        { id: 'E1', customer_id: 'C1', type: 'order_paid', occurred_at: '2026-06-01T08:00:00Z', properties: { order_id: 'O1', amount: 1200 } },
        { id: 'E2', customer_id: 'C2', type: 'order_paid', occurred_at: '2026-06-01T08:00:00Z', properties: { order_id: 'O2', amount: 20 } },
      ],
    });
    const preview = await api.post('/api/v1/tags/preview', valueTier);
    expect(preview.body).toEqual({ customers: 2, values: [{ key: 'high', name: '高价值', customers: 1 }, { key: 'low', name: '低价值', customers: 1 }] });
    expect((await api.get('/api/v1/tags')).body.items).toEqual([]);
    expect((await api.post('/api/v1/tags/preview?replacing=nope', valueTier)).body).toMatchObject({ status: 404, code: 'TAG_NOT_FOUND' });
  });
});

forEachStore('API: a metric declared over many customers', (h) => {
  const api = useServer(h, { rulePassBatch: 2 });

  it('answers after the first chunk, shows the recompute going on, and gives everyone the value once it is done', async () => {
    const customers = ['A', 'B', 'C', 'D', 'E', 'F'];
    await api.post('/api/v1/events', { events: customers.map((customer, k) => ({ id: `V${k}`, customer_id: customer, type: 'product_viewed', occurred_at: '2026-06-14T08:00:00Z', properties: { sku: 'S1', category: '美妆', dwell_seconds: 40 } })) });
    const created = await api.post('/api/v1/metrics', { key: 'views_total', name: '浏览次数', aggregation: 'count', event_type: 'product_viewed' });
    expect(created.status).toBe(201);
    // The rest may already have gone on in the background; the first chunk is in the answer.
    const recompute = created.body.recompute as { done: number; total: number } | null;
    if (recompute !== null) expect(recompute.total).toBe(6);
    if (recompute !== null) expect(recompute.done).toBeGreaterThanOrEqual(2);
    await expect.poll(async () => (await api.get('/api/v1/metrics')).body.recompute, { timeout: 20_000 }).toBeNull();
    for (const customer of customers) {
      const portrait = await api.get(`/api/v1/customers/${customer}`);
      expect((portrait.body.metrics as { key: string; value: unknown }[]).find((m) => m.key === 'views_total')?.value).toBe(1);
    }
  });

  it('types the first or last of a text property as text, so that a segment can compare it with text', async () => {
    const declared = await api.post('/api/v1/metrics', { key: 'last_channel', name: '最近下单渠道', aggregation: 'last', event_type: 'order_paid', property: 'channel' });
    expect(declared.body.type).toBe('string');
    const firstCategory = await api.post('/api/v1/metrics', { key: 'first_category', name: '首单品类', aggregation: 'first', event_type: 'order_paid', property: 'items[].category' });
    expect(firstCategory.body.type).toBe('string');
    const lastBand = await api.post('/api/v1/metrics', { key: 'last_band', name: '最近下单时段', aggregation: 'last', event_type: 'order_paid', property: '@hour_band' });
    expect(lastBand.body.type).toBe('string');
    expect((await api.post('/api/v1/metrics', { key: 'last_amount', name: '最近一单金额', aggregation: 'last', event_type: 'order_paid', property: 'amount' })).body.type).toBe('number');
    const day = 86_400_000;
    const at = (days: number) => new Date(h.clock.now().getTime() - days * day).toISOString();
    await api.post('/api/v1/events', {
      events: [
        { id: 'c1', customer_id: 'C1', type: 'order_paid', occurred_at: at(9), properties: { order_id: 'O1', amount: 80, channel: 'offline', items: [{ sku: 'S1', category: '美妆' }] } },
        { id: 'c2', customer_id: 'C1', type: 'order_paid', occurred_at: at(2), properties: { order_id: 'O2', amount: 120, channel: 'online', items: [{ sku: 'S2', category: '数码' }] } },
        { id: 'c3', customer_id: 'C2', type: 'order_paid', occurred_at: at(1), properties: { order_id: 'O3', amount: 50, channel: 'offline', items: [{ sku: 'S3', category: '美妆' }] } },
      ],
    });
    const count = async (expression: string) => (await api.post('/api/v1/segments/count', { expression })).body;
    expect(await count('last_channel = "online"')).toMatchObject({ count: 1 });
    expect(await count('last_channel in ("online", "offline")')).toMatchObject({ count: 2 });
    expect(await count('first_category = "美妆"')).toMatchObject({ count: 2 });
    expect(await count('last_amount >= 100')).toMatchObject({ count: 1 });
    const metrics = (await api.get('/api/v1/customers/C1')).body.metrics as { key: string; type: string; value: unknown }[];
    expect(metrics.find((metric) => metric.key === 'last_channel')).toMatchObject({ type: 'string', value: 'online' });
    expect(metrics.find((metric) => metric.key === 'first_category')).toMatchObject({ type: 'string', value: '美妆' });
  });

  it('types the first or last of a property of a shop\'s own event type by what its events hold, or as declared, and stores, filters and exports text as text', async () => {
    const day = 86_400_000;
    const at = (days: number) => new Date(h.clock.now().getTime() - days * day).toISOString();
    await api.post('/api/v1/events', {
      events: [
        { id: 'd1', customer_id: 'C1', type: 'delivered', occurred_at: at(3), properties: { city: '杭州', weight: 3 } },
        { id: 'd2', customer_id: 'C2', type: 'delivered', occurred_at: at(2), properties: { city: '上海', weight: 12 } },
        { id: 'd3', customer_id: 'C3', type: 'delivered', occurred_at: at(1), properties: { city: 310000, weight: 7.5 } },
      ],
    });
    const declare = (body: Record<string, unknown>) => api.post('/api/v1/metrics', { event_type: 'delivered', aggregation: 'last', ...body });
    expect((await declare({ key: 'last_city', name: '最近收货城市', property: 'city' })).body.type).toBe('string');
    expect((await declare({ key: 'last_weight', name: '最近包裹重量', property: 'weight' })).body.type).toBe('number');
    const declared = await declare({ key: 'weight_text', name: '最近包裹重量文本', property: 'weight', value_type: 'string' });
    expect(declared.body).toMatchObject({ type: 'string', formula: { value_type: 'string' } });
    // No event holds it yet: text keeps whatever comes.
    expect((await declare({ key: 'last_note', name: '最近备注', event_type: 'noted', property: 'note' })).body.type).toBe('string');
    await expect.poll(async () => (await api.get('/api/v1/metrics')).body.recompute, { timeout: 20_000 }).toBeNull();
    const count = async (expression: string) => (await api.post('/api/v1/segments/count', { expression })).body;
    expect(await count('last_city = "杭州"')).toMatchObject({ count: 1 });
    expect(await count('last_city in ("杭州", "310000")')).toMatchObject({ count: 2 });
    expect(await count('last_weight > 5')).toMatchObject({ count: 2 });
    expect(await count('weight_text = "7.5"')).toMatchObject({ count: 1 });
    const mismatch = await api.post('/api/v1/segments/count', { expression: 'last_city > 3' });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.code).toBe('EXPRESSION_TYPE');
    const metrics = (await api.get('/api/v1/customers/C3')).body.metrics as { key: string; type: string; value: unknown }[];
    expect(metrics.find((metric) => metric.key === 'last_city')).toMatchObject({ type: 'string', value: '310000' });
    expect(metrics.find((metric) => metric.key === 'weight_text')).toMatchObject({ type: 'string', value: '7.5' });
    const sorted = await api.post('/api/v1/segments/preview?sort=-last_city', { expression: 'last_city exists' });
    expect((sorted.body.items as { id: string; metrics: Record<string, unknown> }[]).map((item) => [item.id, item.metrics.last_city])).toEqual([['C1', '杭州'], ['C2', '上海'], ['C3', '310000']]);
    const jsonl = (await api.post('/api/v1/segments/export?format=jsonl&metrics=last_city,last_weight', { expression: 'last_city exists' })).text;
    const exported = jsonl.trim().split('\n').map((line) => (JSON.parse(line) as { metrics: Record<string, unknown> }).metrics);
    expect(exported.map((row) => row.last_city).sort()).toEqual(['310000', '上海', '杭州']);
    expect(exported.map((row) => row.last_weight).sort()).toEqual([12, 3, 7.5]);
    const wrongType = await declare({ key: 'channel_number', name: '渠道数', event_type: 'order_paid', property: 'channel', value_type: 'number' });
    expect(wrongType.body.errors?.[0]).toMatchObject({ path: 'value_type', message: expect.stringContaining('channel of order_paid holds text') });
    const notPicked = await declare({ key: 'weight_sum', name: '重量合计', aggregation: 'sum', property: 'weight', value_type: 'string' });
    expect(notPicked.body.errors?.[0]).toMatchObject({ path: 'value_type' });
    const inChinese = await api.post('/api/v1/metrics', { key: 'channel_number', name: '渠道数', aggregation: 'last', event_type: 'order_paid', property: 'channel', value_type: 'number' }, { 'accept-language': 'zh-CN' });
    expect(inChinese.body.detail).toContain('order_paid 的 channel 是文本：它的 value_type 是 string');
    const notPickedInChinese = await api.post('/api/v1/metrics', { key: 'weight_sum', name: '重量合计', aggregation: 'sum', event_type: 'delivered', property: 'weight', value_type: 'string' }, { 'accept-language': 'zh-CN' });
    expect(notPickedInChinese.body.detail).toContain('value_type 只能由取事件属性的 first 或 last 声明');
  });

  it('refuses to add up or compare a text property, or to count values without naming the property, in English and Chinese', async () => {
    const sumOfChannel = await api.post('/api/v1/metrics', { key: 'channel_sum', name: '渠道合计', aggregation: 'sum', event_type: 'order_paid', property: 'channel' });
    expect(sumOfChannel.status).toBe(400);
    expect(sumOfChannel.body.errors?.[0]).toMatchObject({ path: 'property', message: expect.stringContaining('channel of order_paid is text') });
    const maxOfCategory = await api.post('/api/v1/metrics', { key: 'top_category', name: '最大品类', aggregation: 'max', event_type: 'order_paid', property: 'items[].category' }, { 'accept-language': 'zh-CN' });
    expect(maxOfCategory.status).toBe(400);
    expect(maxOfCategory.body.detail).toContain('order_paid 的 items[].category 是文本');
    const noProperty = await api.post('/api/v1/metrics', { key: 'favourite_thing', name: '最常见', aggregation: 'most_frequent', event_type: 'order_paid' }, { 'accept-language': 'zh-CN' });
    expect(noProperty.status).toBe(400);
    expect(noProperty.body.detail).toContain('most_frequent 统计的是某个属性的取值');
    expect((await api.post('/api/v1/metrics', { key: 'kinds_bought', name: '品类数', aggregation: 'distinct_count', event_type: 'order_paid' })).body.errors?.[0]).toMatchObject({ path: 'property', message: expect.stringContaining('distinct_count counts the values of a property') });
    expect((await api.post('/api/v1/metrics', { key: 'top_item_price', name: '最高单品价', aggregation: 'max', event_type: 'order_paid', property: 'items[].price' })).status).toBe(201);
    expect(((await api.get('/api/v1/metrics')).body.items as { key: string }[]).map((metric) => metric.key)).not.toContain('channel_sum');
  });
});
