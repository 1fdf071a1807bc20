// An undo of a bulk tagging puts back what each customer held before; it is no change of theirs
// for a care plan to react to. 5,000 customers tagged VIP by mistake and the tagging undone at
// once used to schedule 5,000 "lost VIP" reminders from the undo's own removals, and undoing a
// bulk removal greeted everyone given their value back. The undo's changes still show in the
// customer's history as before, and a value lost or gained by hand afterwards starts its plan.
import { expect } from 'vitest';
import { createCarePlan, listReminders, runCare } from '../../src/engine/care.js';
import { upsertCustomers } from '../../src/engine/customers.js';
import { getCustomerHistory } from '../../src/engine/portrait.js';
import { assignTag, removeTag } from '../../src/engine/tagging.js';
import { undoTaggingOperation } from '../../src/engine/tagging-operations.js';
import type { WorkspaceContext } from '../../src/engine/context.js';
import { defineTag, interests, stage } from '../engine/support.js';
import { forEachStore, it } from '../support/stores.js';

const MINUTE = 60_000;
const later = (message: string) => [{ after: '1d', message }];

/** Each scheduled reminder as plan and customer. */
async function scheduled(ctx: WorkspaceContext) {
  return (await listReminders(ctx, { status: 'scheduled' })).items.map((reminder) => [reminder.plan.key, reminder.customer.id]).sort();
}

forEachStore('undoing a bulk tagging starts no care plan', (h) => {
  it('schedules no "lost" reminder for the values an undone bulk assign takes back, and one for a value removed by hand afterwards', async () => {
    const ctx = h.context('运营-小张');
    await upsertCustomers(ctx, [{ id: 'A' }, { id: 'B' }, { id: 'C' }]);
    await defineTag(ctx, interests);
    await createCarePlan(ctx, { key: 'lost_golf', name: '高尔夫流失', trigger: { kind: 'tag_removed', tag: 'interests', value: 'golf' }, steps: later('回访') });
    await createCarePlan(ctx, { key: 'lost_any', name: '兴趣流失', trigger: { kind: 'tag_removed', tag: 'interests' }, steps: later('兴趣回访') });
    const bulk = await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['A', 'B', 'C'], source: 'manual', undoable: true });
    h.clock.advance(MINUTE);
    expect(await undoTaggingOperation(h.context('店长-李娜'), bulk.operation ?? 0)).toMatchObject({ undone: 3 });
    expect(await runCare(ctx)).toMatchObject({ scheduled: 0 });
    expect(await scheduled(ctx)).toEqual([]);
    // In the customer's history as any removal: by the one undoing, with the source it had.
    expect((await getCustomerHistory(ctx, 'A', { limit: 5 })).items.map((entry) => [entry.action, entry.value, entry.source, entry.actor])).toEqual([
      ['remove', 'golf', 'manual', '店长-李娜'],
      ['add', 'golf', 'manual', '运营-小张'],
    ]);

    h.clock.advance(MINUTE);
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['A'], source: 'manual' });
    await removeTag(ctx, { tag: 'interests', value: 'golf', customers: ['A'], source: 'manual' });
    expect(await runCare(ctx)).toMatchObject({ scheduled: 2 });
    expect(await scheduled(ctx)).toEqual([
      ['lost_any', 'A'],
      ['lost_golf', 'A'],
    ]);
  });

  it('schedules no "gained" reminder for the values an undone bulk removal gives back, and one for a value given by hand afterwards', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'A' }, { id: 'B' }]);
    await defineTag(ctx, interests);
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['A', 'B'], source: 'manual' });
    await createCarePlan(ctx, { key: 'golf_care', name: '高尔夫关怀', trigger: { kind: 'tag_added', tag: 'interests', value: 'golf' }, steps: later('球场预约提醒') });
    await createCarePlan(ctx, { key: 'any_hobby', name: '新兴趣', trigger: { kind: 'tag_added', tag: 'interests' }, steps: later('兴趣关怀') });
    h.clock.advance(MINUTE);
    const bulk = await removeTag(ctx, { tag: 'interests', customers: ['A', 'B'], source: 'manual', undoable: true });
    expect(await undoTaggingOperation(ctx, bulk.operation ?? 0)).toMatchObject({ undone: 2 });
    expect(await runCare(ctx)).toMatchObject({ scheduled: 0 });
    expect(await scheduled(ctx)).toEqual([]);
    expect((await getCustomerHistory(ctx, 'B', { limit: 1 })).items).toEqual([expect.objectContaining({ action: 'add', value: 'golf', source: 'manual' })]);

    h.clock.advance(MINUTE);
    await removeTag(ctx, { tag: 'interests', value: 'golf', customers: ['B'], source: 'manual' });
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['B'], source: 'manual' });
    expect(await runCare(ctx)).toMatchObject({ scheduled: 2 });
    expect(await scheduled(ctx)).toEqual([
      ['any_hobby', 'B'],
      ['golf_care', 'B'],
    ]);
  });

  it('schedules nothing for the value an undone bulk replacement puts back, nor for the one it takes away', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'A' }]);
    await defineTag(ctx, stage);
    await assignTag(ctx, { tag: 'stage', value: 'pre', customers: ['A'], source: 'manual' });
    await createCarePlan(ctx, { key: 'back_to_pre', name: '回到售前', trigger: { kind: 'tag_added', tag: 'stage', value: 'pre' }, steps: later('售前跟进') });
    await createCarePlan(ctx, { key: 'left_after', name: '离开售后', trigger: { kind: 'tag_removed', tag: 'stage', value: 'after' }, steps: later('售后回访') });
    h.clock.advance(MINUTE);
    const bulk = await assignTag(ctx, { tag: 'stage', value: 'after', customers: ['A'], source: 'manual', undoable: true });
    expect(await undoTaggingOperation(ctx, bulk.operation ?? 0)).toMatchObject({ undone: 1 });
    expect(await runCare(ctx)).toMatchObject({ scheduled: 0 });
    expect((await getCustomerHistory(ctx, 'A', { limit: 1 })).items).toEqual([expect.objectContaining({ action: 'replace', value: 'pre', previous_value: 'after' })]);

    h.clock.advance(MINUTE);
    await assignTag(ctx, { tag: 'stage', value: 'after', customers: ['A'], source: 'manual' });
    await assignTag(ctx, { tag: 'stage', value: 'pre', customers: ['A'], source: 'manual' });
    expect(await runCare(ctx)).toMatchObject({ scheduled: 2 });
    expect(await scheduled(ctx)).toEqual([
      ['back_to_pre', 'A'],
      ['left_after', 'A'],
    ]);
  });
});
