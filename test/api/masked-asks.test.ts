import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { ensureRoleTokens, useServer, type Reply } from './support.js';

forEachStore('API: roles that see personal data masked cannot recover it by probing', (h) => {
  const api = useServer(h, { tokensReadEveryMs: 0 });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const tokens = { admin: '', operator: '', viewer: '' };
  const masked = () => [tokens.operator, tokens.viewer];
  const six = ['13900000001', '13900000002', '13900000003', '13900000004', '13900000005', '13912345678'].map((phone) => `"${phone}"`);

  // Each test has a workspace of its own; tokens belong to the server and outlive it.
  const seed = async () => {
    await ensureRoleTokens(h, tokens);
    const admin = bearer(tokens.admin);
    const customers = [
      { id: 'C1', name: '张伟', city: '上海' },
      { id: 'C2', name: '李娜', city: '上海' },
    ];
    expect((await api.post('/api/v1/customers', { customers }, admin)).status).toBe(200);
    const metrics = [
      { key: 'last_receiver_phone', name: '最近收货手机', aggregation: 'last', property: 'receiver_phone' },
      { key: 'usual_address', name: '常用收货地址', aggregation: 'most_frequent', property: '收货地址' },
      { key: 'mobile_number', name: '手机号码', aggregation: 'last', property: 'mobile', value_type: 'number' },
      { key: 'last_contact', name: '最近联系方式', aggregation: 'last', property: 'contact' },
      { key: 'largest_amount', name: '最大金额', aggregation: 'max', property: 'amount' },
    ];
    for (const metric of metrics) expect((await api.post('/api/v1/metrics', { ...metric, event_type: 'order' }, admin)).status).toBe(201);
    const events = [
      { id: 'E1', customer_id: 'C1', type: 'order', occurred_at: '2026-06-10T08:00:00Z', properties: { receiver_phone: '13912345678', 收货地址: '浙江省杭州市西湖区文三路 100 号', mobile: 13912345678, contact: '13912345678', amount: 300 } },
      { id: 'E2', customer_id: 'C2', type: 'order', occurred_at: '2026-06-10T09:00:00Z', properties: { receiver_phone: '13800000000', 收货地址: '上海市浦东新区世纪大道 1 号', mobile: 13800000000, contact: '微信', amount: 80 } },
    ];
    expect((await api.post('/api/v1/events', { events }, admin)).status).toBe(200);
    expect((await api.post('/api/v1/tags', { key: 'stage', name: '服务阶段', values: [{ key: 'pre', name: '售前' }] }, admin)).status).toBe(201);
  };
  /** The column (1-based) of the last comparison of a metric picked from a property: where each refused one below is refused. */
  const lastComparison = (expression: string) => Math.max(...['mobile_number', 'largest_amount', 'last_receiver_phone', 'usual_address'].map((name) => expression.lastIndexOf(name))) + 1;

  const count = (expression: string, token: string, language = 'en') => api.post('/api/v1/segments/count', { expression }, { ...bearer(token), 'accept-language': language });
  const refusedAt = (reply: Reply, column: number, path = 'expression') => {
    expect(reply.status, reply.text).toBe(403);
    expect(reply.body).toMatchObject({ status: 403, code: 'PERSONAL_DATA_MASKED' });
    expect(reply.body.errors?.[0]).toMatchObject({ code: 'PERSONAL_DATA_MASKED', path, line: 1, column });
  };

  it('refuses ordered comparisons of personal data, and more than five whole values of it, to the roles that see it masked; whole-value lookups stay', async () => {
    await seed();
    const refused = [
      // An ordered comparison would tell the digits one by one.
      'mobile_number >= 13850000000',
      'mobile_number between 13800000000 and 13899999999',
      'city = "上海" and mobile_number < 2',
      // A metric whose name says nothing, compared in order with what would be masked.
      'largest_amount >= 13850000000',
      // Six whole values at once are a sweep, not a lookup: in a list or one by one.
      `last_receiver_phone in (${six.join(', ')})`,
      six.map((phone) => `last_receiver_phone = ${phone}`).join(' or '),
      `last_contact in (${six.slice(0, 3).join(', ')}) or last_receiver_phone not in (${six.slice(3).join(', ')})`,
      `usual_address in ("a", "b", "c", "d", "e", "f")`,
    ].map((expression) => ({ expression, column: lastComparison(expression) }));
    for (const token of masked()) {
      for (const { expression, column } of refused) refusedAt(await count(expression, token), column);
      // Lookups by whole values, and what holds no personal data, are answered.
      expect((await count('last_receiver_phone = "13912345678"', token)).body.count).toBe(1);
      expect((await count(`last_receiver_phone in (${six.slice(1).join(', ')})`, token)).body.count).toBe(1);
      expect((await count('last_receiver_phone != "13912345678" and last_contact exists', token)).body.count).toBe(1);
      expect((await count('largest_amount > 100 and largest_amount between 1 and 1000', token)).body.count).toBe(1);
      expect((await count('last_contact in ("微信", "电话", "邮件", "短信", "到店", "其他", "未知")', token)).body.count).toBe(1);
      expect((await count('mobile_number exists and usual_address = "浙江省杭州市西湖区文三路 100 号"', token)).body.count).toBe(1);
    }
    // Whoever sees it whole asks what they like.
    for (const { expression } of refused) expect((await count(expression, tokens.admin)).status).toBe(200);
    expect((await count('mobile_number >= 13850000000', tokens.admin)).body.count).toBe(1);
  });

  it('says what is refused and where, in English and Chinese, and records the attempt', async () => {
    await seed();
    const ordered = await count('city = "上海" and mobile_number >= 13850000000', tokens.viewer);
    refusedAt(ordered, 17);
    expect(ordered.body.detail).toBe(
      'line 1, column 17: metric "手机号码" (mobile_number) holds personal data, which your role sees masked; compare it only with whole values (=, != or in), not with <, <=, >, >=, before, after or between, which would tell what the mask hides',
    );
    expect(ordered.body.errors?.[0]).toMatchObject({ offset: 16, length: 28, reason: 'masked_ordered', pointer: '#/expression' });
    // Placed by its line and column, the entry says what without where, as a diagnostic does.
    expect(ordered.body.errors?.[0]?.message).toBe(
      'metric "手机号码" (mobile_number) holds personal data, which your role sees masked; compare it only with whole values (=, != or in), not with <, <=, >, >=, before, after or between, which would tell what the mask hides',
    );
    const zh = await count('city = "上海" and mobile_number >= 13850000000', tokens.viewer, 'zh-CN');
    expect(zh.body.title).toBe('个人数据对该角色遮盖显示');
    expect(zh.body.detail).toBe('第 1 行第 17 列：指标「手机号码」（mobile_number）含个人数据，你的角色只能看到遮盖后的值；只能与完整的值比较（=、!= 或 in），不能用 <、<=、>、>=、before、after 或 between，否则会透露被遮盖的部分');
    const swept = await count(`last_receiver_phone in (${six.join(', ')})`, tokens.operator, 'zh-CN');
    expect(swept.body.detail).toBe('第 1 行第 1 列：你的角色只能看到遮盖后的个人数据，一个表达式最多只能与 5 个完整的值（手机号、邮箱、身份证号、地址）比较，如同查找；这个表达式让指标「最近收货手机」（last_receiver_phone）等与 6 个值比较');
    const audit = await api.get('/api/v1/audit?limit=5', bearer(tokens.admin));
    expect(audit.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ actor: '导购', action: 'POST /segments/count', status: 403 }), expect.objectContaining({ actor: '分析', action: 'POST /segments/count', status: 403 })]));
  });

  it('holds every route that takes an expression or a sort from a masked role to it', async () => {
    await seed();
    const ordered = 'mobile_number >= 13850000000';
    for (const token of masked()) {
      const as = bearer(token);
      refusedAt(await api.post('/api/v1/segments/preview', { expression: ordered }, as), 1);
      refusedAt(await api.post('/api/v1/segments/preview?q=张伟', { expression: ordered }, as), 1);
      refusedAt(await api.post('/api/v1/segments/insight', { expression: ordered }, as), 1);
      refusedAt(await api.get(`/api/v1/tags/stage/profile?expression=${encodeURIComponent(ordered)}`, as), 1);
      // Members sorted by personal data, read in order, would tell it too.
      for (const sort of ['last_receiver_phone', '-mobile_number', 'usual_address:desc', '最近收货手机']) {
        const sorted = await api.post(`/api/v1/segments/preview?sort=${encodeURIComponent(sort)}`, { expression: 'city = "上海"' }, as);
        expect(sorted.body).toMatchObject({ status: 403, code: 'PERSONAL_DATA_MASKED', errors: [{ path: 'sort' }] });
      }
      expect((await api.post('/api/v1/segments/preview?sort=-largest_amount&metrics=last_receiver_phone', { expression: 'city = "上海"' }, as)).body.items).toEqual([
        expect.objectContaining({ id: 'C1', metrics: { largest_amount: 300, last_receiver_phone: '139****5678' } }),
        expect.objectContaining({ id: 'C2' }),
      ]);
      // A sum or mean of one member is that member's value.
      const summed = await api.post('/api/v1/segments/insight?metrics=mobile_number', { expression: 'id = "C1"' }, as);
      expect(summed.body).toMatchObject({ status: 403, code: 'PERSONAL_DATA_MASKED', errors: [{ path: 'metrics' }] });
      expect((await api.post('/api/v1/segments/insight?metrics=largest_amount', { expression: 'id = "C1"' }, as)).status).toBe(200);
    }
    const operator = bearer(tokens.operator);
    refusedAt(await api.post('/api/v1/segments/export?format=csv', { expression: ordered }, operator), 1);
    refusedAt(await api.post('/api/v1/segments/tag', { expression: ordered, tag: 'stage', value: 'pre' }, operator), 1);
    refusedAt(await api.post('/api/v1/segments', { key: 'probe', name: '试探', expression: ordered }, operator), 1);
    // Written by a role that sees personal data masked, a rule or a care plan would count it too.
    const rule = { key: 'probe_rule', name: '试探规则', kind: 'rule', values: [{ key: 'yes', name: '是', condition: `city = "上海" and ${ordered}` }] };
    const ruleRefused = await api.post('/api/v1/tags', rule, operator);
    expect(ruleRefused.body).toMatchObject({ status: 403, code: 'PERSONAL_DATA_MASKED', errors: [{ path: 'yes:1:17', offset: 16 }] });
    expect(ruleRefused.body.detail).toMatch(/^the condition of value "试探规则: 是" \(probe_rule\.yes\): line 1, column 17: metric "手机号码"/);
    expect((await api.post('/api/v1/tags/preview', rule, operator)).body).toMatchObject({ code: 'PERSONAL_DATA_MASKED', errors: [{ path: 'yes:1:17' }] });
    const plan = { key: 'probe_plan', name: '试探计划', trigger: { kind: 'event', event_type: 'order' }, steps: [{ after: '1d', message: '回访 {name}', condition: ordered }] };
    expect((await api.post('/api/v1/care/plans', plan, operator)).body).toMatchObject({ status: 403, code: 'PERSONAL_DATA_MASKED', errors: [{ path: 'steps.0.condition', pointer: '#/steps/0/condition' }] });
    // Nothing was saved.
    expect((await api.get('/api/v1/segments/probe', bearer(tokens.admin))).status).toBe(404);
    expect((await api.get('/api/v1/tags/probe_rule', bearer(tokens.admin))).status).toBe(404);
    expect((await api.get('/api/v1/care/plans/probe_plan', bearer(tokens.admin))).status).toBe(404);
    // An administrator does all of it.
    const admin = bearer(tokens.admin);
    expect((await api.post('/api/v1/segments/preview?sort=last_receiver_phone', { expression: ordered }, admin)).body.items).toEqual([expect.objectContaining({ id: 'C1' })]);
    expect((await api.post('/api/v1/segments/insight?metrics=mobile_number', { expression: 'id = "C1"' }, admin)).body.metrics).toEqual([expect.objectContaining({ key: 'mobile_number', members: expect.objectContaining({ mean: 13912345678 }) })]);
    expect((await api.post('/api/v1/tags', rule, admin)).status).toBe(201);
    expect((await api.post('/api/v1/care/plans', plan, admin)).status).toBe(201);
  });

  it('lets a masked role read and rename what an administrator saved with such a comparison, but not write a new one into it', async () => {
    await seed();
    const admin = bearer(tokens.admin);
    const ordered = 'mobile_number >= 13850000000';
    expect((await api.post('/api/v1/segments', { key: 'high_numbers', name: '号段', expression: ordered }, admin)).status).toBe(201);
    expect((await api.post('/api/v1/tags', { key: 'number_rule', name: '号段规则', kind: 'rule', values: [{ key: 'yes', name: '是', condition: ordered }] }, admin)).status).toBe(201);
    expect((await api.post('/api/v1/care/plans', { key: 'number_plan', name: '号段关怀', trigger: { kind: 'event', event_type: 'order' }, condition: ordered, steps: [{ after: '1d', message: '回访 {name}' }] }, admin)).status).toBe(201);
    for (const token of masked()) {
      const as = bearer(token);
      // The reader cannot change what it asks, and a count tells no more than the segment's author allowed.
      expect((await api.get('/api/v1/segments/high_numbers', as)).body.count).toBe(1);
      expect((await api.get('/api/v1/segments/high_numbers/members', as)).body.items).toEqual([expect.objectContaining({ id: 'C1', phone: null })]);
      expect((await api.get('/api/v1/segments/high_numbers/insight', as)).status).toBe(200);
      expect((await count('segment("high_numbers") and city = "上海"', token)).body.count).toBe(1);
      // The order is the reader's own asking.
      expect((await api.get('/api/v1/segments/high_numbers/members?sort=mobile_number', as)).body).toMatchObject({ code: 'PERSONAL_DATA_MASKED', errors: [{ path: 'sort' }] });
    }
    const operator = bearer(tokens.operator);
    expect((await api.get('/api/v1/segments/high_numbers/export?format=csv', operator)).status).toBe(200);
    expect((await api.patch('/api/v1/segments/high_numbers', { name: '号段人群', expression: ordered }, operator)).status).toBe(200);
    refusedAt(await api.patch('/api/v1/segments/high_numbers', { expression: 'mobile_number >= 13900000000' }, operator), 1);
    expect((await api.get('/api/v1/segments/high_numbers', admin)).body.expression).toBe(ordered);
    expect((await api.patch('/api/v1/tags/number_rule', { name: '号段规则（旧）' }, operator)).status).toBe(200);
    expect((await api.patch('/api/v1/tags/number_rule/values/yes', { name: '在号段' }, operator)).status).toBe(200);
    expect((await api.patch('/api/v1/tags/number_rule/values/yes', { condition: 'mobile_number >= 13900000000' }, operator)).body).toMatchObject({ code: 'PERSONAL_DATA_MASKED', errors: [{ path: 'yes:1:1' }] });
    expect((await api.patch('/api/v1/care/plans/number_plan', { name: '号段关怀（旧）' }, operator)).status).toBe(200);
    expect((await api.patch('/api/v1/care/plans/number_plan', { condition: 'mobile_number >= 13900000000' }, operator)).body).toMatchObject({ code: 'PERSONAL_DATA_MASKED', errors: [{ path: 'condition' }] });
  });

  it('shows a care reminder\'s message to a masked role with the personal data its placeholders wrote masked, and keeps it whole', async () => {
    await seed();
    const admin = bearer(tokens.admin);
    const message = '{name}：包裹寄往 {event:收货地址}，电话 {metric:last_receiver_phone}，备注 {event:note}（{metric:largest_amount} 元）';
    expect((await api.post('/api/v1/care/plans', { key: 'delivery', name: '发货提醒', trigger: { kind: 'event', event_type: 'order' }, steps: [{ after: '0', message }] }, admin)).status).toBe(201);
    const properties = { receiver_phone: '13912345678', 收货地址: '浙江省杭州市西湖区文三路 100 号', note: '改送 h.li@qq.com', amount: 500 };
    expect((await api.post('/api/v1/events', { events: [{ id: 'E3', customer_id: 'C1', type: 'order', occurred_at: h.clock.now().toISOString(), properties }] }, admin)).status).toBe(200);
    expect((await api.post('/api/v1/care/run', {}, admin)).status).toBe(200);
    const whole = '张伟：包裹寄往 浙江省杭州市西湖区文三路 100 号，电话 13912345678，备注 改送 h.li@qq.com（500 元）';
    expect((await api.get('/api/v1/care/reminders', admin)).body.items).toEqual([expect.objectContaining({ message: whole })]);
    const masked = '张伟：包裹寄往 浙江省杭州市****，电话 139****5678，备注 改送 h***@qq.com（500 元）';
    for (const token of [tokens.operator, tokens.viewer]) {
      const seen = await api.get('/api/v1/care/reminders?customer=C1', bearer(token));
      expect(seen.body.items).toEqual([expect.objectContaining({ message: masked })]);
      for (const hidden of ['13912345678', '文三路', 'h.li@qq.com']) expect(seen.text).not.toContain(hidden);
    }
    const id = String(((await api.get('/api/v1/care/reminders', admin)).body.items as { id: number }[])[0]?.id);
    expect((await api.patch(`/api/v1/care/reminders/${id}`, { status: 'done' }, bearer(tokens.operator))).body).toMatchObject({ status: 'done', message: masked });
    // Kept whole, to be sent to the customer.
    expect((await api.get('/api/v1/care/reminders?status=done', admin)).body.items).toEqual([expect.objectContaining({ message: whole })]);
  });
});
