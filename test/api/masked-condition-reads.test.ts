import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { ensureRoleTokens, useServer } from './support.js';

forEachStore('API: a role that sees personal data masked reads rule tags\' and care plans\' conditions masked', (h) => {
  const api = useServer(h, { tokensReadEveryMs: 0 });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const tokens = { admin: '', operator: '', viewer: '' };
  const whole = ['13912345678', '13800000000', '文三路', 'zhang.wei@example.com'];

  const known = 'last_receiver_phone in ("13912345678", "13800000000") or usual_address = "浙江省杭州市西湖区文三路 100 号"';
  const knownShown = 'last_receiver_phone in ("139****5678", "138****0000") or usual_address = "浙江省杭州市****"';
  const mail = 'last_contact = "zhang.wei@example.com"';
  const mailShown = 'last_contact = "z***@example.com"';
  const plan = {
    key: 'callback',
    name: '回访',
    trigger: { kind: 'event', event_type: 'order' },
    condition: 'last_receiver_phone = "13912345678"',
    steps: [
      { after: '1d', message: '{name}，感谢下单。', condition: mail },
      { after: '3d', message: '{name}，用得还好吗？' },
    ],
  };
  const planShown = { condition: 'last_receiver_phone = "139****5678"', steps: [{ condition: mailShown }, {}] };

  const seed = async () => {
    await ensureRoleTokens(h, tokens);
    const admin = bearer(tokens.admin);
    expect((await api.post('/api/v1/customers', { customers: [{ id: 'C1', name: '张伟' }, { id: 'C2', name: '李娜' }] }, admin)).status).toBe(200);
    const metrics = [
      { key: 'last_receiver_phone', name: '最近收货手机', aggregation: 'last', property: 'receiver_phone' },
      { key: 'usual_address', name: '常用收货地址', aggregation: 'most_frequent', property: '收货地址' },
      { key: 'last_contact', name: '最近联系方式', aggregation: 'last', property: 'contact' },
    ];
    for (const metric of metrics) expect((await api.post('/api/v1/metrics', { ...metric, event_type: 'order' }, admin)).status).toBe(201);
    const properties = { receiver_phone: '13912345678', 收货地址: '浙江省杭州市西湖区文三路 100 号', contact: 'zhang.wei@example.com' };
    expect((await api.post('/api/v1/events', { events: [{ id: 'E1', customer_id: 'C1', type: 'order', occurred_at: '2026-06-10T08:00:00Z', properties }] }, admin)).status).toBe(200);
    const tag = { key: 'reachable', name: '可联系', kind: 'rule', cardinality: 'multi', values: [{ key: 'known', name: '已知', condition: known }, { key: 'mail', name: '邮件', condition: mail }] };
    expect((await api.post('/api/v1/tags', tag, admin)).status).toBe(201);
    expect((await api.post('/api/v1/care/plans', plan, admin)).status).toBe(201);
  };
  type TagBody = { key: string; values: { key: string; condition: string | null }[] };
  type PlanBody = Record<string, unknown> & { steps: { after: string; message: string; condition?: string }[] };
  const conditionsOf = (body: unknown) => Object.fromEntries((body as TagBody).values.map((value) => [value.key, value.condition]));
  const storedTag = async () => conditionsOf((await api.get('/api/v1/tags/reachable', bearer(tokens.admin))).body);
  const storedPlan = async () => (await api.get('/api/v1/care/plans/callback', bearer(tokens.admin))).body;

  it('shows the whole values an administrator wrote into conditions masked, through every route that reads them', async () => {
    await seed();
    for (const token of [tokens.operator, tokens.viewer]) {
      const as = bearer(token);
      const one = await api.get('/api/v1/tags/reachable', as);
      expect(conditionsOf(one.body)).toEqual({ known: knownShown, mail: mailShown });
      const list = await api.get('/api/v1/tags', as);
      expect(conditionsOf((list.body.items as TagBody[]).find((tag) => tag.key === 'reachable'))).toEqual({ known: knownShown, mail: mailShown });
      const shown = await api.get('/api/v1/care/plans/callback', as);
      expect(shown.body).toMatchObject(planShown);
      expect((shown.body as PlanBody).steps[1]).not.toHaveProperty('condition');
      const plans = await api.get('/api/v1/care/plans', as);
      expect(plans.body.items).toEqual([expect.objectContaining({ key: 'callback' })]);
      expect((plans.body.items as PlanBody[])[0]).toMatchObject(planShown);
      for (const text of [one.text, list.text, shown.text, plans.text]) for (const hidden of whole) expect(text).not.toContain(hidden);
    }
    // The administrator reads them whole.
    expect(await storedTag()).toEqual({ known, mail });
    expect(await storedPlan()).toMatchObject({ condition: plan.condition, steps: [{ condition: mail }, {}] });
  });

  it('keeps the conditions as saved when a masked role sends them back as shown, and refuses a change that keeps a masked value', async () => {
    await seed();
    const operator = bearer(tokens.operator);
    // One value at a time, as the tag editor saves a value's changes.
    const renamed = await api.patch('/api/v1/tags/reachable/values/known', { name: '已知号码', condition: knownShown }, operator);
    expect(renamed.status, renamed.text).toBe(200);
    expect(conditionsOf(renamed.body)).toEqual({ known: knownShown, mail: mailShown });
    // Every condition at once.
    const all = await api.patch('/api/v1/tags/reachable', { kind: 'rule', conditions: { known: knownShown, 邮件: mailShown } }, operator);
    expect(all.status, all.text).toBe(200);
    expect(await storedTag()).toEqual({ known, mail });
    // The rule still finds its customer by the whole values, and a preview of the tag as shown counts as saved.
    expect((await api.get('/api/v1/customers/C1', bearer(tokens.admin))).body.tags).toEqual(expect.arrayContaining([expect.objectContaining({ tag: 'reachable' })]));
    const shownTag = { key: 'reachable', name: '可联系', kind: 'rule', cardinality: 'multi', values: [{ key: 'known', name: '已知号码', condition: knownShown }, { key: 'mail', name: '邮件', condition: mailShown }] };
    const preview = await api.post('/api/v1/tags/preview?replacing=reachable', shownTag, operator);
    expect(preview.status, preview.text).toBe(200);
    expect(preview.body.values).toEqual([expect.objectContaining({ key: 'known', customers: 1 }), expect.objectContaining({ key: 'mail', customers: 1 })]);
    // A change that keeps a masked value would save the mask: refused where it stands.
    const kept = await api.patch('/api/v1/tags/reachable/values/known', { condition: `(${knownShown}) and tagged("reachable")` }, operator);
    expect(kept.body).toMatchObject({ status: 403, code: 'PERSONAL_DATA_MASKED', errors: [{ path: 'condition' }] });
    const keptAll = await api.patch('/api/v1/tags/reachable', { kind: 'rule', conditions: { mail: `${mailShown} or last_contact = "微信"` } }, operator);
    expect(keptAll.body).toMatchObject({ status: 403, code: 'PERSONAL_DATA_MASKED', errors: [{ path: 'conditions.mail' }] });
    expect(await storedTag()).toEqual({ known, mail });

    // The care plans page sends the whole plan back.
    const shownPlan = (await api.get('/api/v1/care/plans/callback', operator)).body as PlanBody;
    const { key: _key, trigger: _trigger, reminders: _reminders, actor: _actor, created_at: _created, updated_at: _updated, ...editable } = shownPlan;
    const saved = await api.patch('/api/v1/care/plans/callback', { ...editable, name: '下单回访' }, operator);
    expect(saved.status, saved.text).toBe(200);
    expect(saved.body).toMatchObject({ name: '下单回访', ...planShown });
    expect(await storedPlan()).toMatchObject({ name: '下单回访', condition: plan.condition, steps: [{ condition: mail }, {}] });
    const changed = await api.patch('/api/v1/care/plans/callback', { steps: [{ ...editable.steps[0], condition: `${mailShown} and last_receiver_phone = "13912345678"` }] }, operator);
    expect(changed.body).toMatchObject({ status: 403, code: 'PERSONAL_DATA_MASKED', errors: [{ path: 'steps.0.condition' }] });
    expect(await storedPlan()).toMatchObject({ condition: plan.condition, steps: [{ condition: mail }, {}] });
  });

  it('shows a workspace condition a template differs from masked', async () => {
    await seed();
    const admin = bearer(tokens.admin);
    const activity = {
      key: 'activity_status',
      name: '活跃程度',
      kind: 'rule',
      values: [
        { key: 'active', name: '活跃', condition: 'last_receiver_phone = "13912345678"' },
        { key: 'inactive', name: '不活跃', condition: 'days_since_last_active <= 90' },
        { key: 'dormant', name: '沉睡', condition: 'days_since_last_active > 90' },
      ],
    };
    expect((await api.post('/api/v1/tags', activity, admin)).status).toBe(201);
    const applied = await api.post('/api/v1/templates/general/apply', {}, bearer(tokens.operator));
    expect(applied.status, applied.text).toBe(200);
    expect(applied.body.conflicts).toEqual(expect.arrayContaining([{ tag: 'activity_status', value: 'active', field: 'condition', template: 'days_since_last_active <= 30', workspace: 'last_receiver_phone = "139****5678"' }]));
    expect(applied.text).not.toContain('13912345678');
  });
});
