// The reachability fields (可触达: has_phone, has_email, has_wechat, has_member_card) on both
// stores: the bitmap index, the SQL back end and the reference evaluator agree on a workspace of
// mixed identities, rule tags and care conditions read them, the customer's JSON says them, and
// no one writes them.
import { expect } from 'vitest';
import type { WorkspaceContext } from '../../src/engine/context.js';
import { createCarePlan, listReminders, runCare } from '../../src/engine/care.js';
import { listCustomers, upsertCustomers } from '../../src/engine/customers.js';
import { ingestEvents } from '../../src/engine/ingest.js';
import { createCustomField } from '../../src/engine/fields.js';
import { importRows, parseRows } from '../../src/engine/imports.js';
import { mergeCustomers } from '../../src/engine/merge.js';
import { getPortrait } from '../../src/engine/portrait.js';
import { createSegment } from '../../src/engine/segments.js';
import { Bitmap } from '../../src/index/roaring.js';
import { WorkspaceIndex } from '../../src/index/workspace-index.js';
import { defineTag, rejected } from '../engine/support.js';
import { threeBackEnds } from '../index/support.js';
import { forEachStore, it, type StoreHarness } from '../support/stores.js';

const CUSTOMERS = 60;
const CITIES = ['广州', '深圳', '杭州'];

/** The identities customer C{i} holds: a pattern that gives every mix of kinds, and some customers none. */
function identitiesOf(i: number): { kind: string; value: string }[] {
  const n = String(i).padStart(4, '0');
  return [
    ...(i % 2 === 0 ? [{ kind: 'phone', value: `1380013${n}` }] : []),
    // A second phone for some: still one customer with a phone.
    ...(i % 10 === 0 ? [{ kind: 'phone', value: `1390013${n}` }] : []),
    ...(i % 3 === 0 ? [{ kind: 'email', value: `c${i}@example.com` }] : []),
    ...(i % 5 === 0 ? [{ kind: 'wechat_unionid', value: `union-${i}` }] : []),
    ...(i % 7 === 0 ? [{ kind: 'wechat_openid', value: `open-${i}` }] : []),
    ...(i % 4 === 1 ? [{ kind: 'member_card', value: `M${n}` }] : []),
    // A nickname reaches no one: it makes no field true.
    ...(i % 6 === 5 ? [{ kind: 'platform_nick', value: `nick${i}` }] : []),
  ];
}

/** Customers C0…C59 with the identities above, every third in each city; 高价值人群 is those of 广州. */
async function seed(context: WorkspaceContext): Promise<void> {
  await upsertCustomers(
    context,
    Array.from({ length: CUSTOMERS }, (_, i) => ({ id: `C${i}`, name: `客户${i}`, city: CITIES[i % CITIES.length], identities: identitiesOf(i) })),
  );
  await createSegment(context, { key: 'high_value', name: '高价值人群', expression: 'city = "广州"' });
}

/** Asks the three back ends about the workspace as it is now: the external ids matching `source`, once each has said the same. */
async function backEnds(h: StoreHarness, context: WorkspaceContext): Promise<(source: string) => Promise<string[]>> {
  const { oracle, ask } = await threeBackEnds(h.store(), context, h.clock.now().getTime());
  return async (source) => (await ask(source)).map((id) => oracle.externalIds.get(id) ?? '?').sort(byNumber);
}

function byNumber(a: string, b: string): number {
  return Number(a.slice(1)) - Number(b.slice(1)) || a.localeCompare(b);
}

/** The customers C{i} for which `test` holds. */
function where(test: (i: number) => boolean, count = CUSTOMERS): string[] {
  return Array.from({ length: count }, (_, i) => i)
    .filter(test)
    .map((i) => `C${i}`);
}

forEachStore('reachability fields', (h) => {
  it('are the same for every customer in the index, SQL and the evaluator', async () => {
    const context = h.context();
    await seed(context);
    const matching = await backEnds(h, context);
    const phone = where((i) => i % 2 === 0);
    expect(await matching('has_phone = true')).toEqual(phone);
    expect(await matching('有手机号 = true')).toEqual(phone);
    expect(await matching('has_phone = false')).toEqual(where((i) => i % 2 !== 0));
    expect(await matching('has_phone != true')).toEqual(where((i) => i % 2 !== 0));
    expect(await matching('not has_phone = true')).toEqual(where((i) => i % 2 !== 0));
    expect(await matching('has_email = true')).toEqual(where((i) => i % 3 === 0));
    // A unionid or an openid.
    expect(await matching('has_wechat = true')).toEqual(where((i) => i % 5 === 0 || i % 7 === 0));
    expect(await matching('not has_wechat = true')).toEqual(where((i) => i % 5 !== 0 && i % 7 !== 0));
    expect(await matching('有会员卡号 = true')).toEqual(where((i) => i % 4 === 1));
    expect(await matching('has_member_card in (true, false)')).toEqual(where(() => true));
    expect(await matching('has_member_card not in (true)')).toEqual(where((i) => i % 4 !== 1));
    // Never missing.
    expect(await matching('has_phone exists and has_email exists and has_wechat exists and has_member_card exists')).toEqual(where(() => true));
    expect(await matching('has_phone missing or has_wechat missing')).toEqual([]);
    // Reachable by none of them: nickname holders among them.
    expect(await matching('has_phone = false and has_email = false and has_wechat = false and has_member_card = false')).toEqual(where((i) => i % 2 !== 0 && i % 3 !== 0 && i % 5 !== 0 && i % 7 !== 0 && i % 4 !== 1));
    // The SMS list of a segment, and the WeChat push beside it.
    expect(await matching('segment("高价值人群") and has_phone = true')).toEqual(where((i) => i % 3 === 0 && i % 2 === 0));
    expect(await matching('segment("高价值人群") and has_phone = false and has_wechat = true')).toEqual(where((i) => i % 3 === 0 && i % 2 !== 0 && (i % 5 === 0 || i % 7 === 0)));
    // Members sort by it: false first, ties by id.
    const ids = await liveIds(context);
    const all = [...ids.values()].sort((a, b) => a - b);
    const sorted = (await WorkspaceIndex.build(h.store(), context.workspaceId)).sortMembers(Bitmap.from(all), { source: 'field', key: 'has_phone', direction: 'asc' }, 0, CUSTOMERS);
    const phoneIds = new Set(phone.map((key) => ids.get(key)));
    expect(sorted).toEqual([...all.filter((id) => !phoneIds.has(id)), ...all.filter((id) => phoneIds.has(id))]);
  });

  it('follow a customer’s identities through additions, a merge and a saved segment', async () => {
    const context = h.context();
    await seed(context);
    // C1 has no phone and is given one; C4's phone goes with it into C7, which had none.
    await upsertCustomers(context, [{ id: 'C1', identities: [{ kind: 'phone', value: '13700000001' }] }]);
    await mergeCustomers(context, 'C7', 'C4');
    await createSegment(context, { key: 'sms', name: '短信名单', expression: 'segment("高价值人群") and has_phone = true' });
    const matching = await backEnds(h, context);
    const phone = await matching('has_phone = true');
    expect(phone).toContain('C1');
    // C7 (no phone of its own) took C4's phone, and C4 is gone.
    expect(phone).toContain('C7');
    expect(phone).not.toContain('C4');
    expect(await matching('segment("短信名单")')).toEqual(where((i) => i % 3 === 0 && i % 2 === 0 && i !== 4));
    expect((await getPortrait(context, 'C7')).has_phone).toBe(true);
  });

  it('are said in the customer’s JSON, whole or masked', async () => {
    const context = h.context();
    await seed(context);
    const page = await listCustomers(context, { limit: CUSTOMERS, offset: 0 });
    for (const customer of page.items) {
      const i = Number(customer.id.slice(1));
      expect(customer, customer.id).toMatchObject({ has_phone: i % 2 === 0, has_email: i % 3 === 0, has_wechat: i % 5 === 0 || i % 7 === 0, has_member_card: i % 4 === 1 });
    }
    expect(await getPortrait(context, 'C35')).toMatchObject({ has_phone: false, has_email: false, has_wechat: true, has_member_card: false });
    // A role that sees identifiers masked sees as much: that one exists.
    const masked = { ...context, personalData: 'masked' as const };
    expect(await getPortrait(masked, 'C0')).toMatchObject({ has_phone: true, identities: expect.arrayContaining([{ kind: 'phone', value: '138****0000' }]) as unknown });
    // And asks by them, as it may ask whether a customer holds a tag.
    await createSegment(masked, { key: 'sms_masked', name: '短信名单（打码）', expression: 'has_phone = true and has_email = false' });
    const matching = await backEnds(h, context);
    expect(await matching('segment("sms_masked")')).toEqual(where((i) => i % 2 === 0 && i % 3 !== 0));
  });

  it('run rule tags and care conditions', async () => {
    const context = h.context();
    await seed(context);
    await defineTag(context, {
      key: 'sms_reachable',
      name: '短信可触达',
      kind: 'rule',
      values: [
        { key: 'yes', name: '可触达', condition: 'has_phone = true' },
        { key: 'wechat', name: '仅微信', condition: 'has_wechat = true' },
      ],
    });
    const matching = await backEnds(h, context);
    expect(await matching('sms_reachable = "yes"')).toEqual(where((i) => i % 2 === 0));
    expect(await matching('sms_reachable = "wechat"')).toEqual(where((i) => i % 2 !== 0 && (i % 5 === 0 || i % 7 === 0)));
    // An identity added moves the customer to the value that reads it, with no rule pass.
    await upsertCustomers(context, [{ id: 'C1', identities: [{ kind: 'phone', value: '13700000001' }] }, { id: 'C35', identities: [{ kind: 'phone', value: '13700000035' }] }]);
    const after = await backEnds(h, context);
    expect(await after('sms_reachable = "yes"')).toEqual(where((i) => i % 2 === 0 || i === 1 || i === 35));
    expect(await after('sms_reachable = "wechat"')).not.toContain('C35');
    // A care plan for those reachable on WeChat: a paid order of each of C0…C9 schedules only theirs.
    await createCarePlan(context, { key: 'wechat_thanks', name: '微信致谢', condition: 'has_wechat = true', trigger: { kind: 'event', event_type: 'order_paid' }, steps: [{ after: '1m', message: '{name}，谢谢' }] });
    const at = h.clock.now().getTime();
    await ingestEvents(context, Array.from({ length: 10 }, (_, i) => ({ id: `o${i}`, customer_id: `C${i}`, type: 'order_paid', occurred_at: new Date(at).toISOString(), properties: { order_id: `o${i}`, amount: 10 } })));
    await runCare(context);
    h.clock.advance(120_000);
    await runCare(context);
    const reminders = (await listReminders(context, { status: 'due', plan: 'wechat_thanks' })).items.map((reminder) => reminder.customer.id).sort(byNumber);
    expect(reminders).toEqual(where((i) => i % 5 === 0 || i % 7 === 0, 10));
  });

  it('refuses them written beside id, under custom, in an import and as a custom field', async () => {
    const context = h.context();
    await seed(context);
    const beside = await rejected(upsertCustomers(context, [{ id: 'C1', has_phone: true }]));
    expect(beside.items?.[0]).toMatchObject({ path: 'has_phone', code: 'VALIDATION_FAILED' });
    expect(beside.items?.[0]?.message).toContain('computed by tagbase');
    expect(beside.items?.[0]?.localized?.['zh-CN']).toContain('有手机号');
    const custom = await rejected(upsertCustomers(context, [{ id: 'C1', custom: { has_wechat: false } }]));
    expect(custom.items?.[0]).toMatchObject({ path: 'custom.has_wechat', code: 'FIELD_NOT_FOUND' });
    expect(custom.items?.[0]?.message).toContain('cannot be written');
    const imported = await importRows(context, 'customers', parseRows('id,有邮箱\nC2,true\n', 'csv'), { batchSize: 100 });
    expect(imported).toMatchObject({ accepted: 0, rejected: 1 });
    expect(JSON.stringify(imported)).toContain('有邮箱');
    expect((await rejected(createCustomField(context, { key: 'has_member_card', name: '会员卡', type: 'boolean' }))).code).toBe('FIELD_EXISTS');
    expect((await rejected(createCustomField(context, { key: 'phone_ok', name: '有手机号', type: 'boolean' }))).code).toBe('NAME_IN_USE');
    expect((await getPortrait(context, 'C2')).has_email).toBe(false);
  });
});

async function liveIds(context: WorkspaceContext): Promise<Map<string, number>> {
  const rows = await context.store.db.selectFrom('customers').select(['id', 'external_id']).where('workspace_id', '=', context.workspaceId).where('merged_into', 'is', null).execute();
  return new Map(rows.map((row) => [row.external_id, Number(row.id)]));
}
