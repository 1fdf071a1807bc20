import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { DEMO_WRITE_CHUNK, runDemo } from '../../src/engine/demo/run-demo.js';
import { getPortrait } from '../../src/engine/portrait.js';
import { listCustomers, upsertCustomers } from '../../src/engine/customers.js';
import { configureModel, getModel } from '../../src/engine/models.js';
import { listAudit } from '../../src/engine/audit.js';
import { loadTags } from '../../src/engine/library.js';
import { ensureWorkspace, openWorkspace } from '../../src/engine/workspaces.js';
import { tagTransitions } from '../../src/engine/transitions.js';
import { createCarePlan, listCarePlans, listReminders } from '../../src/engine/care.js';
import { createSegment, listSegments, updateSegment } from '../../src/engine/segments.js';
import { createCustomField } from '../../src/engine/fields.js';
import { applyTemplate } from '../../src/engine/templates.js';
import { formatErrorMessage, TagbaseError } from '../../src/core/errors.js';

forEachStore('demo store', (h) => {
  it('fills a workspace through the engine, and a second run changes nothing', async () => {
    const workspace = `${h.workspaceKey()}-demo`;
    const options = { workspace, customers: 300, eventsPerCustomer: 10, seed: 7, now: h.clock.now };
    // A server filling a demo answers other requests meanwhile: the event loop has a turn at least
    // every DEMO_WRITE_CHUNK customers and events written, not once per batch of thousands.
    let written = 0;
    let atTurn = 0;
    let mostBetweenTurns = 0;
    let filling = true;
    const turn = () => {
      mostBetweenTurns = Math.max(mostBetweenTurns, written - atTurn);
      atTurn = written;
      if (filling) setImmediate(turn);
    };
    setImmediate(turn);
    const first = await runDemo(h.store(), { ...options, onProgress: (progress) => (written = progress.done) }).finally(() => (filling = false));
    turn();
    expect(first.events).toBeGreaterThan(2 * DEMO_WRITE_CHUNK);
    expect(mostBetweenTurns).toBeLessThanOrEqual(DEMO_WRITE_CHUNK);
    expect(first.customers).toBe(300);
    expect(first.events).toBeGreaterThan(1500);
    expect(first.assignments).toBeGreaterThan(0);
    const context = await openWorkspace(h.store(), workspace, 'demo', h.clock.now);
    expect((await listCustomers(context, { limit: 1, offset: 0 })).total).toBe(300);
    expect((await loadTags(context)).map((tag) => tag.key)).toEqual(expect.arrayContaining(['interests', 'service_stage']));
    const portrait = await getPortrait(context, 'C000001');
    expect(portrait.name).toBeTruthy();
    expect(portrait.identities.length).toBeGreaterThan(0);

    // Replayed up to checkpoints in the past first: customers moved between lifecycle stages over the last month.
    const lifecycle = await tagTransitions(context, 'lifecycle');
    expect(lifecycle.holdersFrom).toBeGreaterThan(0);
    expect(lifecycle.flows.some((flow) => flow.from !== null && flow.to !== null && flow.from !== flow.to)).toBe(true);
    // And over the last quarter, as the console's 近90天 reads it (from 90 days ago to now): RFM
    // levels were held at its start, and customers moved between them since.
    const quarter = await tagTransitions(context, 'rfm', { from: h.clock.now().getTime() - 90 * 86_400_000 });
    expect(quarter.holdersFrom).toBeGreaterThan(0);
    expect(quarter.flows.some((flow) => flow.from !== null && flow.to !== null && flow.from !== flow.to)).toBe(true);
    // Its care plans started a week ago: the last week's orders, coupons and birthdays left reminders due now.
    const plans = await listCarePlans(context);
    expect(plans.map((plan) => plan.key)).toEqual(['after_sales_3315', 'coupon_expiring', 'birthday_greeting', 'became_important_value']);
    const due = await listReminders(context, { status: 'due', limit: 500 });
    expect(due.total).toBeGreaterThan(0);
    expect(due.items.every((reminder) => reminder.message !== null && !reminder.message.includes('{'))).toBe(true);
    expect(plans.find((plan) => plan.key === 'after_sales_3315')?.reminders.scheduled).toBeGreaterThan(0);
    const reminderRows = async () => Number((await h.store().db.selectFrom('care_reminders').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', context.workspaceId).executeTakeFirstOrThrow()).n);
    const reminders = await reminderRows();
    const historyRows = async () => Number((await h.store().db.selectFrom('tag_history').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', context.workspaceId).executeTakeFirstOrThrow()).n);
    const history = await historyRows();

    const second = await runDemo(h.store(), options);
    expect(second.assignments).toBe(0);
    expect(await historyRows()).toBe(history);
    expect(await reminderRows()).toBe(reminders);
    const stored = await h.store().db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', context.workspaceId).executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(first.events);
  });

  it("refuses a workspace holding a shop's own customers, whose ids its own would overwrite, and keeps a model's chosen parameters on a second run", async () => {
    const shop = `${h.workspaceKey()}-shop`;
    await ensureWorkspace(h.store(), shop, shop, h.clock.now);
    const own = await openWorkspace(h.store(), shop, 'api', h.clock.now);
    await upsertCustomers(own, [{ id: 'C000001', name: '真实客户王芳', city: '杭州' }]);
    const options = { customers: 30, eventsPerCustomer: 2, seed: 7, now: h.clock.now };
    await expect(runDemo(h.store(), { workspace: shop, ...options })).rejects.toMatchObject({ code: 'WORKSPACE_NOT_DEMO' });
    expect(await getPortrait(own, 'C000001')).toMatchObject({ name: '真实客户王芳', city: '杭州' });
    expect((await listCustomers(own, { limit: 1, offset: 0 })).total).toBe(1);

    const workspace = `${h.workspaceKey()}-demo2`;
    await runDemo(h.store(), { workspace, ...options });
    const context = await openWorkspace(h.store(), workspace, 'demo', h.clock.now);
    const trail = await listAudit(h.store(), { workspaceId: context.workspaceId, limit: 10, serverWide: false }, 'en');
    expect(trail.items).toEqual([expect.objectContaining({ action: 'demo', summary: 'loaded the demo store into the workspace', target: workspace, actor: 'cli', source: 'cli' })]);
    // Stopped midway (a server shut down), the demo is finished by a second run, care plans and all.
    const stopped = `${h.workspaceKey()}-demo3`;
    const stop = new AbortController();
    await expect(runDemo(h.store(), { workspace: stopped, ...options, signal: stop.signal, onProgress: (progress) => progress.stage === 'events' && stop.abort() })).rejects.toThrow();
    await runDemo(h.store(), { workspace: stopped, ...options });
    const finished = await openWorkspace(h.store(), stopped, 'demo', h.clock.now);
    expect((await listCarePlans(finished)).map((plan) => plan.key)).toEqual(['after_sales_3315', 'coupon_expiring', 'birthday_greeting', 'became_important_value']);

    await configureModel(context, 'rfm', { window_days: 180, monetary: 'median' });
    // What the demo made is its own on a second run, renamed since or not.
    await updateSegment(context, 'important_value', { name: '高价值客户' });
    await runDemo(h.store(), { workspace, ...options });
    expect((await getModel(context, 'rfm')).params).toMatchObject({ window_days: 180, monetary: 'median' });
    expect((await listSegments(context)).find((segment) => segment.key === 'important_value')?.name).toBe('高价值客户');
  });

  it('refuses, before writing anything, a workspace holding something else under a key or name the demo gives its own', async () => {
    const shop = `${h.workspaceKey()}-hz`;
    await ensureWorkspace(h.store(), shop, shop, h.clock.now);
    const own = await openWorkspace(h.store(), shop, 'cli', h.clock.now);
    await createCarePlan(own, { key: 'after_sales', name: '售后3315', trigger: { kind: 'event', event_type: 'order_paid' }, steps: [{ after: '0', message: 'hi' }] });
    await createCustomField(own, { key: 'interests', name: '爱好', type: 'string' });
    const options = { workspace: shop, customers: 30, eventsPerCustomer: 2, seed: 7, now: h.clock.now };
    for (const run of [1, 2]) {
      const refused = await runDemo(h.store(), options).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refused, `run ${run}`).toBeInstanceOf(TagbaseError);
      const error = refused as TagbaseError;
      expect(error.code).toBe('DEMO_IN_THE_WAY');
      expect(formatErrorMessage(error.code, error.params, 'en')).toBe(
        `Workspace "${shop}" already holds care plan "售后3315" (after_sales), field "爱好" (interests), under a key or name the demo gives its own: load the demo into a workspace of its own (-w demo).`,
      );
      expect(formatErrorMessage(error.code, error.params, 'zh-CN')).toBe(
        `工作空间「${shop}」中已有关怀计划「售后3315」（after_sales）、字段「爱好」（interests），与演示数据要建的标识或名称相同：请把演示数据载入单独的工作空间（-w demo）。`,
      );
    }
    // Nothing written: no segments, tags, models or customers, and no entry that would make the workspace the demo's.
    expect(await listSegments(own)).toEqual([]);
    expect(await loadTags(own)).toEqual([]);
    expect((await listCustomers(own, { limit: 1, offset: 0 })).total).toBe(0);
    expect((await listAudit(h.store(), { workspaceId: own.workspaceId, limit: 10, serverWide: false }, 'en')).items).toEqual([]);
    expect((await getModel(own, 'rfm')).enabled).toBe(false);

    // What the demo would make itself, made by hand (the retail template, a segment of the demo's key and name), is not in its way.
    const prepared = `${h.workspaceKey()}-prepared`;
    await ensureWorkspace(h.store(), prepared, prepared, h.clock.now);
    const ready = await openWorkspace(h.store(), prepared, 'cli', h.clock.now);
    await applyTemplate(ready, 'retail');
    await createSegment(ready, { key: 'active_buyers', name: '活跃买家', expression: 'last_order_at within 90 days' });
    expect((await runDemo(h.store(), { ...options, workspace: prepared })).customers).toBe(30);
  });
});
