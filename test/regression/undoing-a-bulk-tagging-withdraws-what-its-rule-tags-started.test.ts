// A rule tag reading the tag a bulk tagging gave (「重点跟进」 = 贵宾 = "是" or …) changes with it and
// changes back with its undo. Undoing used to leave the reminders that the rule tag's change had
// started, and the rule tag's change back started plans of its own ("lost 重点跟进" for everyone
// the mistake had reached). Now the reminders the rule tag's change started, not yet due, are
// withdrawn with the operation's own (counted in reminders_withdrawn), where the undo took that
// change back, and the rule tags' changes that follow the undo start no plan.
import { expect } from 'vitest';
import { createCarePlan, listReminders, runCare } from '../../src/engine/care.js';
import { upsertCustomers } from '../../src/engine/customers.js';
import { getCustomerHistory } from '../../src/engine/portrait.js';
import { assignTag, removeTag } from '../../src/engine/tagging.js';
import { undoTaggingOperation } from '../../src/engine/tagging-operations.js';
import type { WorkspaceContext } from '../../src/engine/context.js';
import { defineTag } from '../engine/support.js';
import { forEachStore, it } from '../support/stores.js';

const MINUTE = 60_000;

const vip = { key: 'vip', name: '贵宾', values: [{ key: 'yes', name: '是' }] };
const focus = { key: 'focus', name: '重点跟进', kind: 'rule' as const, values: [{ key: 'yes', name: '是', condition: 'vip = "是" or city = "上海"' }] };

/** Each reminder of the status as plan, customer, step and reason. */
async function reminders(ctx: WorkspaceContext, status: 'scheduled' | 'skipped') {
  return (await listReminders(ctx, { status })).items.map((reminder) => [reminder.plan.key, reminder.customer.id, reminder.step, reminder.reason]).sort();
}

forEachStore('undoing a bulk tagging withdraws what the rule tags following it started', (h) => {
  it('withdraws the reminders a rule tag gained with a bulk assign started, and schedules none for losing it with the undo', async () => {
    const ctx = h.context('运营-小张');
    await upsertCustomers(ctx, [
      { id: 'A', city: '北京' },
      { id: 'B', city: '北京' },
      { id: 'C', city: '北京' },
      { id: 'D', city: '北京' },
    ]);
    await defineTag(ctx, vip);
    await defineTag(ctx, focus);
    await createCarePlan(ctx, {
      key: 'focus_care',
      name: '重点跟进关怀',
      trigger: { kind: 'tag_added', tag: 'focus' },
      steps: [
        { after: '0', message: '{name}，专属顾问已就位' },
        { after: '3d', message: '{name}，回访' },
      ],
    });
    await createCarePlan(ctx, { key: 'focus_lost', name: '重点跟进流失', trigger: { kind: 'tag_removed', tag: 'focus' }, steps: [{ after: '1d', message: '挽回' }] });
    const bulk = await assignTag(ctx, { tag: 'vip', value: 'yes', customers: ['A', 'B', 'C', 'D'], source: 'manual', undoable: true });
    expect(await runCare(ctx)).toMatchObject({ scheduled: 8, due: 4 });
    h.clock.advance(MINUTE);
    // B moves to 上海 since: B keeps 重点跟进 after the undo, and what it started.
    await upsertCustomers(ctx, [{ id: 'B', city: '上海' }]);
    // C loses 贵宾 by hand since: the undo leaves C as it is, and the manual removal withdraws nothing.
    await removeTag(ctx, { tag: 'vip', value: 'yes', customers: ['C'], source: 'manual' });

    const undone = await undoTaggingOperation(h.context('店长-李娜'), bulk.operation ?? 0);
    expect(undone).toMatchObject({ undone: 3, skipped: 1, reminders_withdrawn: 2 });
    expect(await reminders(ctx, 'skipped')).toEqual([
      ['focus_care', 'A', 2, 'undone'],
      ['focus_care', 'D', 2, 'undone'],
    ]);
    expect((await listReminders(ctx, { status: 'skipped' })).items[0]).toMatchObject({ resolved_by: '店长-李娜' });
    // The rule's change back is in the customer's history as any change of the rule.
    expect((await getCustomerHistory(ctx, 'A', { limit: 2 })).items.map((entry) => [entry.tag, entry.action, entry.actor]).sort()).toEqual([
      ['focus', 'remove', 'rule:focus'],
      ['vip', 'remove', '店长-李娜'],
    ]);
    // Only C, who lost 贵宾 by hand, lost 重点跟进 for a plan to react to.
    await runCare(ctx);
    expect(await reminders(ctx, 'scheduled')).toEqual([
      ['focus_care', 'B', 2, null],
      ['focus_care', 'C', 2, null],
      ['focus_lost', 'C', 1, null],
    ]);
  });

  it('withdraws the "lost" reminders of a rule tag a bulk removal took away, care having read it or not, and schedules no "gained" one for the undo', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [
      { id: 'A', city: '北京' },
      { id: 'B', city: '北京' },
    ]);
    await defineTag(ctx, vip);
    await defineTag(ctx, focus);
    await assignTag(ctx, { tag: 'vip', value: 'yes', customers: ['A', 'B'], source: 'manual' });
    await createCarePlan(ctx, { key: 'focus_care', name: '重点跟进关怀', trigger: { kind: 'tag_added', tag: 'focus', value: 'yes' }, steps: [{ after: '1d', message: '回访' }] });
    await createCarePlan(ctx, { key: 'focus_lost', name: '重点跟进流失', trigger: { kind: 'tag_removed', tag: 'focus', value: 'yes' }, steps: [{ after: '2d', message: '挽回' }] });
    h.clock.advance(MINUTE);
    const bulk = await removeTag(ctx, { tag: 'vip', customers: ['A', 'B'], source: 'manual', undoable: true });
    // No round of care between: the undo reads the rule's removals before withdrawing what they start.
    expect(await undoTaggingOperation(ctx, bulk.operation ?? 0)).toMatchObject({ undone: 2, reminders_withdrawn: 2 });
    expect(await reminders(ctx, 'skipped')).toEqual([
      ['focus_lost', 'A', 1, 'undone'],
      ['focus_lost', 'B', 1, 'undone'],
    ]);
    expect(await runCare(ctx)).toMatchObject({ scheduled: 0 });
    expect(await reminders(ctx, 'scheduled')).toEqual([]);

    // A rule tag gained afterwards starts its plan as ever.
    h.clock.advance(MINUTE);
    await removeTag(ctx, { tag: 'vip', customers: ['A'], source: 'manual' });
    await assignTag(ctx, { tag: 'vip', value: 'yes', customers: ['A'], source: 'manual' });
    expect(await runCare(ctx)).toMatchObject({ scheduled: 2 });
    expect(await reminders(ctx, 'scheduled')).toEqual([
      ['focus_care', 'A', 1, null],
      ['focus_lost', 'A', 1, null],
    ]);
  });
});
