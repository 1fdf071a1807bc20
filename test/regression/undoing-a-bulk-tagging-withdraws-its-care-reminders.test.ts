// A value given to thousands by mistake and taken back by undoing the bulk tagging must not go on
// to remind anyone: the care reminders it started, not yet due, are withdrawn with it (skipped as
// `undone`, saying who undid it), whether care had read the tagging before the undo or not. Those
// already due stay, as do those of customers the undo leaves as they are, and a value removed by
// hand withdraws nothing: the plan's condition decides that when the reminder falls due.
import { expect } from 'vitest';
import { formatReminders } from '../../src/cli/care.js';
import { cliMessages } from '../../src/cli/messages.js';
import { undoneSummary } from '../../src/cli/tagging.js';
import { createCarePlan, listReminders, runCare, updateCarePlan } from '../../src/engine/care.js';
import { upsertCustomers } from '../../src/engine/customers.js';
import { assignTag, removeTag } from '../../src/engine/tagging.js';
import { undoTaggingOperation } from '../../src/engine/tagging-operations.js';
import type { WorkspaceContext } from '../../src/engine/context.js';
import { defineTag, interests, stage } from '../engine/support.js';
import { forEachStore, it } from '../support/stores.js';

const MINUTE = 60_000;
const DAY = 86_400_000;

const GOLF_CARE = {
  key: 'golf_care',
  name: '高尔夫关怀',
  trigger: { kind: 'tag_added' as const, tag: 'interests', value: 'golf' },
  steps: [
    { after: '0', message: '{name}，欢迎加入高尔夫俱乐部' },
    { after: '3d', message: '{name}，球场预约提醒' },
  ],
};

/** Each reminder of the status as customer, step and reason. */
async function reminders(ctx: WorkspaceContext, status: 'scheduled' | 'due' | 'skipped') {
  return (await listReminders(ctx, { status })).items.map((reminder) => [reminder.customer.id, reminder.step, reminder.reason]).sort();
}

forEachStore('undoing a bulk tagging withdraws the care reminders it started', (h) => {
  it('withdraws those not yet due of the customers put back, and leaves those due and those of customers changed since', async () => {
    const ctx = h.context('运营-小张');
    await upsertCustomers(ctx, [{ id: 'A' }, { id: 'B' }, { id: 'C' }, { id: 'D' }]);
    await defineTag(ctx, interests);
    await createCarePlan(ctx, GOLF_CARE);
    // A took up golf before: not the operation's.
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['A'], source: 'manual' });
    await runCare(ctx);
    h.clock.advance(MINUTE);
    const bulk = await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['A', 'B', 'C', 'D'], source: 'manual', undoable: true });
    expect(await runCare(ctx)).toMatchObject({ scheduled: 6, due: 3 });
    // C is given another value since: the undo leaves C as it is, and C's reminders with it.
    h.clock.advance(MINUTE);
    await assignTag(ctx, { tag: 'interests', value: 'fishing', customers: ['C'], source: 'manual' });

    const undone = await undoTaggingOperation(h.context('店长-李娜'), bulk.operation ?? 0);
    expect(undone).toMatchObject({ undone: 2, skipped: 1, reminders_withdrawn: 2 });
    expect(await reminders(ctx, 'skipped')).toEqual([
      ['B', 2, 'undone'],
      ['D', 2, 'undone'],
    ]);
    const [withdrawn] = (await listReminders(ctx, { status: 'skipped' })).items;
    expect(withdrawn).toMatchObject({
      resolved_by: '店长-李娜',
      reason_text: { en: 'withdrawn: the tagging that triggered it was undone by 店长-李娜', 'zh-CN': '打标已撤销：触发它的打标已由 店长-李娜 撤销，提醒随之撤回' },
    });
    // Already due (sent to the to-do list and the webhooks): they stay.
    expect(await reminders(ctx, 'due')).toEqual([
      ['A', 1, null],
      ['B', 1, null],
      ['C', 1, null],
      ['D', 1, null],
    ]);
    h.clock.advance(3 * DAY);
    await runCare(ctx);
    expect((await reminders(ctx, 'due')).filter(([, step]) => step === 2)).toEqual([
      ['A', 2, null],
      ['C', 2, null],
    ]);
  });

  it('withdraws them when care had not yet read the tagging, and leaves nothing for a later round to schedule', async () => {
    const ctx = h.context('运营-小张');
    await upsertCustomers(ctx, [{ id: 'A' }, { id: 'B' }]);
    await defineTag(ctx, interests);
    await createCarePlan(ctx, GOLF_CARE);
    const bulk = await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['A', 'B'], source: 'manual', undoable: true });
    const undone = await undoTaggingOperation(ctx, bulk.operation ?? 0);
    expect(undone).toMatchObject({ undone: 2, reminders_withdrawn: 4 });
    // The command line says so, and `care reminders --status skipped` says why each went.
    expect(undoneSummary(cliMessages('en'), undone).split('\n')).toEqual([
      'undone: 兴趣爱好: 高尔夫 taken back from 2 customers, as they were before',
      '4 care reminders the tagging had started, not yet due, withdrawn (tagbase care reminders --status skipped lists them)',
    ]);
    expect(undoneSummary(cliMessages('zh-CN'), undone).split('\n')[1]).toBe('撤回了这次打标触发、尚未到期的 4 条关怀提醒（tagbase care reminders --status skipped 可查看）');
    const skipped = await listReminders(ctx, { status: 'skipped' });
    expect(formatReminders(skipped, 'skipped', cliMessages('zh-CN'), 'zh-CN').split('\n')[0]).toMatch(/高尔夫关怀 第 \d 步 +打标已撤销：触发它的打标已由 运营-小张 撤销，提醒随之撤回$/);
    expect(await runCare(ctx)).toEqual({ scheduled: 0, late: 0, due: 0, skipped: 0 });
    expect(await reminders(ctx, 'due')).toEqual([]);
    expect(await reminders(ctx, 'skipped')).toEqual([
      ['A', 1, 'undone'],
      ['A', 2, 'undone'],
      ['B', 1, 'undone'],
      ['B', 2, 'undone'],
    ]);
  });

  it('withdraws what a replacement and a bulk removal started, and those of a plan switched off meanwhile', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'A' }, { id: 'B' }]);
    await defineTag(ctx, stage);
    await defineTag(ctx, interests);
    await assignTag(ctx, { tag: 'stage', value: 'pre', customers: ['A'], source: 'manual' });
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['A', 'B'], source: 'manual' });
    const later = (message: string) => [{ after: '1d', message }];
    await createCarePlan(ctx, { key: 'to_after', name: '进入售后', trigger: { kind: 'tag_added', tag: 'stage', value: 'after' }, steps: later('售后关怀') });
    await createCarePlan(ctx, { key: 'left_pre', name: '离开售前', trigger: { kind: 'tag_removed', tag: 'stage', value: 'pre' }, steps: later('售前回访') });
    // Losing 售前 to 售后 is no removal of the stage: this plan is not started.
    await createCarePlan(ctx, { key: 'no_stage', name: '阶段清空', trigger: { kind: 'tag_removed', tag: 'stage' }, steps: later('阶段清空') });
    await createCarePlan(ctx, { key: 'lost_hobby', name: '兴趣流失', trigger: { kind: 'tag_removed', tag: 'interests' }, steps: later('兴趣流失回访') });
    h.clock.advance(MINUTE);
    const replaced = await assignTag(ctx, { tag: 'stage', value: 'after', customers: ['A'], source: 'manual', undoable: true });
    const removed = await removeTag(ctx, { tag: 'interests', customers: ['A', 'B'], source: 'manual', undoable: true });
    expect(await runCare(ctx)).toMatchObject({ scheduled: 4 });
    await updateCarePlan(ctx, 'lost_hobby', { enabled: false });
    expect(await undoTaggingOperation(ctx, replaced.operation ?? 0)).toMatchObject({ undone: 1, reminders_withdrawn: 2 });
    expect(await undoTaggingOperation(ctx, removed.operation ?? 0)).toMatchObject({ undone: 2, reminders_withdrawn: 2 });
    expect(await reminders(ctx, 'scheduled')).toEqual([]);
    expect((await listReminders(ctx, { status: 'skipped' })).items.map((reminder) => [reminder.plan.key, reminder.customer.id, reminder.reason]).sort()).toEqual([
      ['left_pre', 'A', 'undone'],
      ['lost_hobby', 'A', 'undone'],
      ['lost_hobby', 'B', 'undone'],
      ['to_after', 'A', 'undone'],
    ]);
  });

  it('leaves the reminders of a value removed by hand, or by a bulk removal not undone', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'A' }, { id: 'B' }]);
    await defineTag(ctx, interests);
    await createCarePlan(ctx, GOLF_CARE);
    const bulk = await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['A', 'B'], source: 'manual', undoable: true });
    await runCare(ctx);
    await removeTag(ctx, { tag: 'interests', value: 'golf', customers: ['A'], source: 'manual' });
    await removeTag(ctx, { tag: 'interests', value: 'golf', customers: ['B'], source: 'manual', undoable: true });
    // Both changed since: the undo of the first operation puts nobody back, and withdraws nothing.
    expect(await undoTaggingOperation(ctx, bulk.operation ?? 0)).toMatchObject({ undone: 0, skipped: 2, reminders_withdrawn: 0 });
    expect(await reminders(ctx, 'scheduled')).toEqual([
      ['A', 2, null],
      ['B', 2, null],
    ]);
  });
});
