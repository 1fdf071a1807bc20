// Care plans over HTTP: saving and changing plans, running a round, the to-do list and closing
// reminders, and the problems bad input gets.
import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { useServer } from './support.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

forEachStore('API: care', (h) => {
  const api = useServer(h);

  it('saves a plan, turns an order into reminders, lists the due ones and closes them', async () => {
    const actor = { 'x-tagbase-actor': encodeURIComponent('导购-小李') };
    await api.post('/api/v1/customers', { customers: [{ id: 'A', name: '张伟' }] });
    const created = await api.post(
      '/api/v1/care/plans',
      { key: 'thanks', name: '购后感谢', trigger: { kind: 'event', event_type: 'order_paid' }, steps: [{ after: '30m', message: '{name}，感谢您购买 {event:amount} 元' }, { after: '3d', message: '回访 {name}' }] },
      actor,
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ key: 'thanks', enabled: true, condition: null, cancel_on: null, actor: '导购-小李', reminders: { scheduled: 0, due: 0, done: 0, dismissed: 0, skipped: 0 } });
    await api.post('/api/v1/events', { events: [{ id: 'o1', customer_id: 'A', type: 'order_paid', occurred_at: h.clock.now().toISOString(), properties: { order_id: 'O1', amount: 399 } }] });
    expect((await api.post('/api/v1/care/run', {})).body).toEqual({ scheduled: 2, late: 0, due: 0, skipped: 0 });
    h.clock.advance(31 * MINUTE);
    expect((await api.post('/api/v1/care/run', {})).body).toMatchObject({ due: 1 });
    const due = await api.get('/api/v1/care/reminders');
    expect(due.body).toMatchObject({ total: 1, items: [{ plan: { key: 'thanks', name: '购后感谢' }, step: 1, customer: { id: 'A', name: '张伟' }, status: 'due', message: '张伟，感谢您购买 399.00 元' }] });
    const id = String((due.body.items as { id: number }[])[0]?.id);
    const closed = await api.patch(`/api/v1/care/reminders/${id}`, { status: 'done' }, actor);
    expect(closed.body).toMatchObject({ status: 'done', resolved_by: '导购-小李' });
    expect((await api.patch(`/api/v1/care/reminders/${id}`, { status: 'dismissed' })).body).toMatchObject({ status: 409, code: 'CARE_REMINDER_CLOSED', detail: `Reminder ${id} is done: only a due reminder can be marked done or put off, and only a due or scheduled one dismissed.` });
    // In Chinese, the status is named as the console names it.
    expect((await api.patch(`/api/v1/care/reminders/${id}`, { status: 'dismissed' }, { 'accept-language': 'zh-CN' })).body).toMatchObject({ code: 'CARE_REMINDER_CLOSED', detail: `提醒 ${id} 的状态是「已完成」：只有待处理的提醒能标记完成或推迟，只有待处理或已安排的提醒能忽略。` });
    const scheduled = await api.get('/api/v1/care/reminders?status=scheduled&customer=A');
    expect(scheduled.body).toMatchObject({ total: 1, items: [{ step: 2, message: null }] });
    // One not due yet cannot be done, only dismissed: the refusal says which may be which, rather than call it closed.
    const early = await api.patch(`/api/v1/care/reminders/${String((scheduled.body.items as { id: number }[])[0]?.id)}`, { status: 'done' });
    expect(early.body).toMatchObject({ status: 409, code: 'CARE_REMINDER_CLOSED', title: 'Reminder cannot be closed so' });
    expect(String(early.body.detail)).toMatch(/ is scheduled: only a due reminder can be marked done or put off, and only a due or scheduled one dismissed\.$/);
    expect((await api.get('/api/v1/care/plans')).body.items).toEqual([expect.objectContaining({ key: 'thanks', reminders: { scheduled: 1, due: 0, done: 1, dismissed: 0, skipped: 0 } })]);
    // What a plan reacts to is what it is: a new trigger is a new plan, and the answer says so.
    expect((await api.patch('/api/v1/care/plans/购后感谢', { trigger: { kind: 'birthday', days_before: 3 } })).body).toMatchObject({ code: 'VALIDATION_FAILED', detail: expect.stringContaining("trigger: a plan's trigger cannot change: make a new plan, and switch this one off") });
    expect((await api.patch('/api/v1/care/plans/购后感谢', { key: 'thanks2' }, { 'accept-language': 'zh-CN' })).body).toMatchObject({ detail: expect.stringContaining('key：关怀计划的标识不能修改：请新建计划，并停用这一个') });
    const changed = await api.patch('/api/v1/care/plans/购后感谢', { enabled: false, condition: 'city = "上海"' });
    expect(changed.body).toMatchObject({ enabled: false, condition: 'city = "上海"' });
    expect((await api.del('/api/v1/care/plans/thanks')).status).toBe(204);
    const trail = (await api.get('/api/v1/audit')).body.items as { summary: string; actor: string | null }[];
    expect(trail.map((entry) => entry.summary)).toEqual(expect.arrayContaining(['saved a care plan', 'marked a care reminder done', 'changed a care plan', 'deleted a care plan', 'ran a round of care']));
    expect(trail.find((entry) => entry.summary === 'marked a care reminder done')?.actor).toBe('导购-小李');
    expect((await api.get('/api/v1/care/plans/thanks')).body).toMatchObject({ status: 404, code: 'CARE_PLAN_NOT_FOUND' });
  });

  it('names the event that cancelled a skipped reminder: its type, id and time', async () => {
    await api.post('/api/v1/customers', { customers: [{ id: 'A', name: '张伟' }] });
    await api.post('/api/v1/care/plans', { key: 'after', name: '售后', trigger: { kind: 'event', event_type: 'order_paid' }, cancel_on: { event_type: 'order_refunded' }, steps: [{ after: '1d', message: '回访 {name}' }] });
    await api.post('/api/v1/events', { events: [{ id: 'o1', customer_id: 'A', type: 'order_paid', occurred_at: h.clock.now().toISOString(), properties: { order_id: 'O1', amount: 10 } }] });
    await api.post('/api/v1/care/run', {});
    const refundedAt = new Date(h.clock.now().getTime() + 2 * 60 * MINUTE).toISOString();
    await api.post('/api/v1/events', { events: [{ id: 'r1', customer_id: 'A', type: 'order_refunded', occurred_at: refundedAt, properties: { order_id: 'O1', amount: 10 } }] });
    h.clock.advance(DAY + MINUTE);
    expect((await api.post('/api/v1/care/run', {})).body).toMatchObject({ skipped: 1 });
    const skipped = await api.get('/api/v1/care/reminders?status=skipped');
    expect(skipped.body.items).toEqual([
      expect.objectContaining({
        reason: 'cancelled',
        reason_text: { en: `cancelled by a later event: order_refunded at ${refundedAt}`, 'zh-CN': `被后续行为取消：${refundedAt} 的 order_refunded` },
        cancelled_by: { type: 'order_refunded', event_id: 'r1', occurred_at: refundedAt },
      }),
    ]);
  });

  it('reopens a reminder closed by mistake: due again if it had fallen due, scheduled again if dismissed before', async () => {
    await api.post('/api/v1/customers', { customers: [{ id: 'A', name: '张伟' }] });
    await api.post('/api/v1/care/plans', { key: 'thanks', name: '购后感谢', trigger: { kind: 'event', event_type: 'order_paid' }, steps: [{ after: '0', message: '{name}，感谢购买' }, { after: '1d', message: '回访 {name}' }] });
    await api.post('/api/v1/events', { events: [{ id: 'o1', customer_id: 'A', type: 'order_paid', occurred_at: h.clock.now().toISOString(), properties: { order_id: 'O1', amount: 399 } }] });
    await api.post('/api/v1/care/run', {});
    const id = String(((await api.get('/api/v1/care/reminders')).body.items as { id: number }[])[0]?.id);
    expect((await api.patch(`/api/v1/care/reminders/${id}`, { status: 'done' }, { 'x-tagbase-actor': 'xiaoli' })).body).toMatchObject({ status: 'done', resolved_by: 'xiaoli' });
    const reopened = await api.patch(`/api/v1/care/reminders/${id}`, { reopen: true }, { 'x-tagbase-actor': 'xiaoli' });
    expect(reopened.body).toMatchObject({ status: 'due', message: '张伟，感谢购买', resolved_by: null, resolved_at: null });
    expect((await api.get('/api/v1/care/reminders')).body).toMatchObject({ total: 1, items: [{ id: Number(id), status: 'due' }] });
    // Open already: nothing to reopen, said in either language.
    expect((await api.patch(`/api/v1/care/reminders/${id}`, { reopen: true })).body).toMatchObject({ status: 409, code: 'CARE_REMINDER_NOT_REOPENABLE', detail: `Reminder ${id} is due: only a reminder marked done or dismissed can be reopened.` });
    expect((await api.patch(`/api/v1/care/reminders/${id}`, { reopen: true }, { 'accept-language': 'zh-CN' })).body).toMatchObject({ detail: `提醒 ${id} 的状态是「待处理」：只有已完成或已忽略的提醒能重新打开。` });
    // Dismissed before it fell due: scheduled again, and due at its time with its message.
    const later = String(((await api.get('/api/v1/care/reminders?status=scheduled')).body.items as { id: number }[])[0]?.id);
    expect((await api.patch(`/api/v1/care/reminders/${later}`, { status: 'dismissed' })).body).toMatchObject({ status: 'dismissed' });
    expect((await api.patch(`/api/v1/care/reminders/${later}`, { reopen: true })).body).toMatchObject({ status: 'scheduled', message: null, resolved_by: null });
    h.clock.advance(DAY);
    await api.post('/api/v1/care/run', {});
    expect((await api.get('/api/v1/care/reminders')).body).toMatchObject({ total: 2, items: [{ status: 'due' }, { id: Number(later), status: 'due', message: '回访 张伟' }] });
    expect((await api.patch('/api/v1/care/reminders/999999', { reopen: true })).body).toMatchObject({ status: 404, code: 'CARE_REMINDER_NOT_FOUND' });
    expect((await api.patch(`/api/v1/care/reminders/${id}`, { reopen: false })).body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    const trail = (await api.get('/api/v1/audit')).body.items as { summary: string; actor: string | null }[];
    expect(trail.filter((entry) => entry.summary === 'reopened a care reminder').map((entry) => entry.actor)).toEqual(expect.arrayContaining(['xiaoli']));
  });

  it('puts a due reminder off with snooze, and says what it takes', async () => {
    await api.post('/api/v1/customers', { customers: [{ id: 'A', name: '张伟' }] });
    await api.post('/api/v1/care/plans', { key: 'thanks', name: '购后感谢', trigger: { kind: 'event', event_type: 'order_paid' }, steps: [{ after: '0', message: '{name}，感谢购买' }] });
    await api.post('/api/v1/events', { events: [{ id: 'o1', customer_id: 'A', type: 'order_paid', occurred_at: h.clock.now().toISOString(), properties: { order_id: 'O1', amount: 399 } }] });
    await api.post('/api/v1/care/run', {});
    const id = String(((await api.get('/api/v1/care/reminders')).body.items as { id: number }[])[0]?.id);
    const snoozed = await api.patch(`/api/v1/care/reminders/${id}`, { snooze: '1d' }, { 'x-tagbase-actor': 'xiaoli' });
    expect(snoozed.body).toMatchObject({ status: 'scheduled', message: null, due_at: new Date(h.clock.now().getTime() + DAY).toISOString() });
    expect((await api.get('/api/v1/care/reminders')).body.total).toBe(0);
    const trail = (await api.get('/api/v1/audit')).body.items as { summary: string; actor: string | null }[];
    expect(trail.find((entry) => entry.summary === 'put off a care reminder')?.actor).toBe('xiaoli');
    // Not due any more: it cannot be put off again until it is.
    expect((await api.patch(`/api/v1/care/reminders/${id}`, { snooze: '1d' }, { 'accept-language': 'zh-CN' })).body).toMatchObject({ status: 409, code: 'CARE_REMINDER_CLOSED', detail: `提醒 ${id} 的状态是「已安排」：只有待处理的提醒能标记完成或推迟，只有待处理或已安排的提醒能忽略。` });
    expect((await api.patch(`/api/v1/care/reminders/${id}`, { snooze: 'tomorrow' }, { 'accept-language': 'zh-CN' })).body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', detail: '请求无效：请求体 snooze：应为往后推的时长，如 1h、3h 或 1d（最多 366 天）' });
    expect((await api.patch(`/api/v1/care/reminders/${id}`, { snooze: '-1d' })).body).toMatchObject({ code: 'VALIDATION_FAILED', detail: 'The request is not valid: body snooze: a time ahead like 1h, 3h or 1d (at most 366 days)' });
    expect((await api.patch(`/api/v1/care/reminders/${id}`, { status: 'done', snooze: '1d' })).body).toMatchObject({ code: 'VALIDATION_FAILED', detail: 'The request is not valid: body: one of status (done or dismissed), snooze (like 1d), reopen (true) or unsnooze (true)' });
    expect((await api.patch(`/api/v1/care/reminders/${id}`, {}, { 'accept-language': 'zh-CN' })).body).toMatchObject({ code: 'VALIDATION_FAILED', detail: '请求无效：请求体：请指定 status（done 或 dismissed）、snooze（如 1d）、reopen（true）或 unsnooze（true），四者选一' });
    h.clock.advance(DAY);
    await api.post('/api/v1/care/run', {});
    expect((await api.get('/api/v1/care/reminders')).body).toMatchObject({ total: 1, items: [{ status: 'due', message: '张伟，感谢购买' }] });
  });

  it('brings a reminder put off by mistake back to the to-do list with unsnooze, as it was, and refuses one not put off', async () => {
    await api.post('/api/v1/customers', { customers: [{ id: 'A', name: '张伟' }] });
    await api.post('/api/v1/care/plans', { key: 'thanks', name: '购后感谢', trigger: { kind: 'event', event_type: 'order_paid' }, steps: [{ after: '0', message: '{name}，感谢购买' }, { after: '1d', message: '回访 {name}' }] });
    const paidAt = h.clock.now().toISOString();
    await api.post('/api/v1/events', { events: [{ id: 'o1', customer_id: 'A', type: 'order_paid', occurred_at: paidAt, properties: { order_id: 'O1', amount: 399 } }] });
    await api.post('/api/v1/care/run', {});
    h.clock.advance(5 * MINUTE);
    const id = String(((await api.get('/api/v1/care/reminders')).body.items as { id: number }[])[0]?.id);
    const snoozed = await api.patch(`/api/v1/care/reminders/${id}`, { snooze: '1d' }, { 'x-tagbase-actor': 'xiaoli' });
    expect(snoozed.body).toMatchObject({ status: 'scheduled', message: null, snoozed_by: 'xiaoli', snoozed_at: h.clock.now().toISOString() });
    expect((await api.get('/api/v1/care/reminders?status=scheduled')).body.items).toEqual([
      expect.objectContaining({ step: 2, snoozed_by: null, snoozed_at: null }),
      expect.objectContaining({ id: Number(id), snoozed_by: 'xiaoli' }),
    ]);
    h.clock.advance(MINUTE);
    const back = await api.patch(`/api/v1/care/reminders/${id}`, { unsnooze: true }, { 'x-tagbase-actor': 'xiaoli' });
    // Due again at its own time, with the message it had: back in its place in the to-do list.
    expect(back.body).toMatchObject({ id: Number(id), status: 'due', message: '张伟，感谢购买', due_at: paidAt, snoozed_by: null, snoozed_at: null, resolved_by: null });
    expect((await api.get('/api/v1/care/reminders')).body).toMatchObject({ total: 1, items: [{ id: Number(id), status: 'due', message: '张伟，感谢购买' }] });
    // Due already, or never put off (scheduled by its plan), or closed: nothing to bring back, said in either language.
    expect((await api.patch(`/api/v1/care/reminders/${id}`, { unsnooze: true })).body).toMatchObject({ status: 409, code: 'CARE_REMINDER_NOT_SNOOZED', detail: `Reminder ${id} is due: only a reminder put off can be brought back to due.` });
    const later = String(((await api.get('/api/v1/care/reminders?status=scheduled')).body.items as { id: number }[])[0]?.id);
    expect((await api.patch(`/api/v1/care/reminders/${later}`, { unsnooze: true }, { 'accept-language': 'zh-CN' })).body).toMatchObject({ status: 409, code: 'CARE_REMINDER_NOT_SNOOZED', detail: `提醒 ${later} 的状态是「已安排」，且未被推迟：只有推迟的提醒能恢复为待处理。` });
    await api.patch(`/api/v1/care/reminders/${id}`, { status: 'done' });
    expect((await api.patch(`/api/v1/care/reminders/${id}`, { unsnooze: true }, { 'accept-language': 'zh-CN' })).body).toMatchObject({ status: 409, code: 'CARE_REMINDER_NOT_SNOOZED', detail: `提醒 ${id} 的状态是「已完成」：只有推迟的提醒能恢复为待处理。` });
    expect((await api.patch('/api/v1/care/reminders/999999', { unsnooze: true })).body).toMatchObject({ status: 404, code: 'CARE_REMINDER_NOT_FOUND' });
    expect((await api.patch(`/api/v1/care/reminders/${id}`, { unsnooze: true, reopen: true })).body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    // A reminder has no ETag: If-Match is refused as for its other changes.
    expect((await api.patch(`/api/v1/care/reminders/${id}`, { unsnooze: true }, { 'if-match': '"x"' })).body).toMatchObject({ status: 412, code: 'NO_ETAG_TO_MATCH' });
    const trail = (await api.get('/api/v1/audit')).body.items as { summary: string; actor: string | null; action: string; target: string | null }[];
    expect(trail.find((entry) => entry.summary === 'brought a care reminder put off back to due')).toMatchObject({ actor: 'xiaoli', action: 'PATCH /care/reminders/:reminder?unsnooze', target: `/care/reminders/${id}` });
    expect((await api.get('/api/v1/audit', { 'accept-language': 'zh-CN' })).body.items).toEqual(expect.arrayContaining([expect.objectContaining({ summary: '将推迟的关怀提醒恢复为待处理' })]));
  });

  it('takes a coupon’s expires_at written as Unix seconds or milliseconds, as the plan’s time property reads it', async () => {
    await api.post('/api/v1/customers', { customers: [{ id: 'S', name: '王芳' }, { id: 'M', name: '赵敏' }] });
    await api.post('/api/v1/care/plans', { key: 'coupon', name: '券到期', trigger: { kind: 'event', event_type: 'coupon_received', time_property: 'expires_at' }, steps: [{ after: '-1d', message: '{name}，券明天到期' }] });
    const expires = h.clock.now().getTime() + 5 * DAY;
    const now = h.clock.now().toISOString();
    const pushed = await api.post('/api/v1/events', {
      events: [
        { id: 'c1', customer_id: 'S', type: 'coupon_received', occurred_at: now, properties: { coupon_id: 'Q1', expires_at: expires / 1000 } },
        { id: 'c2', customer_id: 'M', type: 'coupon_received', occurred_at: now, properties: { coupon_id: 'Q2', expires_at: expires } },
      ],
    });
    expect(pushed.status).toBeLessThan(300);
    expect((await api.post('/api/v1/care/run', {})).body).toMatchObject({ scheduled: 2, late: 0 });
    const scheduled = (await api.get('/api/v1/care/reminders?status=scheduled')).body.items as { due_at: string }[];
    expect(scheduled.map((reminder) => reminder.due_at)).toEqual([new Date(expires - DAY).toISOString(), new Date(expires - DAY).toISOString()]);
    // Neither a time nor a number of seconds: refused at the property, in either language.
    const bad = { events: [{ id: 'c3', customer_id: 'S', type: 'coupon_received', occurred_at: now, properties: { coupon_id: 'Q3', expires_at: true } }] };
    expect((await api.post('/api/v1/events', bad)).body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'properties.expires_at', message: 'an ISO 8601 time, or a number of Unix seconds or milliseconds' }] });
    expect((await api.post('/api/v1/events', bad, { 'accept-language': 'zh-CN' })).body).toMatchObject({ errors: [{ message: '应为 ISO 8601 时间，或以 Unix 秒或毫秒计的数字' }] });
  });

  it('names every condition of a plan that does not compile at once, each at its place', async () => {
    const plan = {
      key: 'p',
      name: '计划',
      trigger: { kind: 'event', event_type: 'order_paid' },
      condition: 'ctiy = "x"',
      steps: [{ after: '1d', message: 'hi' }, { after: '2d', message: 'hi', condition: 'agee > 1' }],
    };
    const refused = await api.post('/api/v1/care/plans', plan);
    expect(refused.body).toMatchObject({ status: 400, code: 'EXPRESSION_UNKNOWN_NAME' });
    expect(String(refused.body.detail)).toMatch(/^the plan's condition: line 1, column 1: .*ctiy.*; step 2's condition: line 1, column 1: .*agee/);
    expect(refused.body.errors).toEqual([
      expect.objectContaining({ code: 'EXPRESSION_UNKNOWN_NAME', path: 'condition', pointer: '#/condition', line: 1, column: 1, found: 'ctiy' }),
      expect.objectContaining({ code: 'EXPRESSION_UNKNOWN_NAME', path: 'steps.1.condition', pointer: '#/steps/1/condition', line: 1, column: 1, found: 'agee' }),
    ]);
    const chinese = await api.post('/api/v1/care/plans', plan, { 'accept-language': 'zh-CN' });
    expect(String(chinese.body.detail)).toMatch(/^计划的条件：第 1 行第 1 列：.*；第 2 步的条件：第 1 行第 1 列：/);
    // A change of the steps alone is placed the same way.
    await api.post('/api/v1/care/plans', { ...plan, condition: null, steps: [{ after: '1d', message: 'hi' }] });
    const patched = await api.patch('/api/v1/care/plans/p', { steps: [{ after: '1d', message: 'hi', condition: 'city = ' }] });
    expect(patched.body).toMatchObject({ code: 'EXPRESSION_SYNTAX', errors: [expect.objectContaining({ path: 'steps.0.condition', pointer: '#/steps/0/condition' })] });
    expect(String(patched.body.detail)).toMatch(/^step 1's condition: line 1, column /);
  });

  it('refuses a plan with several mistakes naming every one at once, each at its field, rather than the first alone', async () => {
    const plan = {
      key: 'p',
      name: '  ',
      trigger: { kind: 'event', event_type: 'order_paid' },
      condition: 'ctiy = "x"',
      steps: [{ after: '1d', message: '您好 {姓名}' }, { after: '2d', message: '{metric:nope}，您好' }],
    };
    const refused = await api.post('/api/v1/care/plans', plan);
    expect(refused.body).toMatchObject({ status: 400, code: 'CARE_PLAN_INVALID', detail: 'The care plan is not valid: 4 problems, each in errors: name, condition, steps.0.message, steps.1.message' });
    expect(refused.body.errors).toEqual([
      expect.objectContaining({ code: 'VALIDATION_FAILED', path: 'name', pointer: '#/name' }),
      expect.objectContaining({ code: 'EXPRESSION_UNKNOWN_NAME', path: 'condition', pointer: '#/condition', line: 1, column: 1, found: 'ctiy' }),
      expect.objectContaining({ code: 'CARE_PLAN_INVALID', path: 'steps.0.message', pointer: '#/steps/0/message', message: expect.stringContaining('{姓名}') }),
      expect.objectContaining({ code: 'CARE_PLAN_INVALID', path: 'steps.1.message', pointer: '#/steps/1/message', message: 'step 2: {metric:nope}: no metric of that key or name' }),
    ]);
    const chinese = await api.post('/api/v1/care/plans', plan, { 'accept-language': 'zh-CN' });
    expect(chinese.body).toMatchObject({ detail: '关怀计划无效：共 4 处问题，逐条见 errors：name、condition、steps.0.message、steps.1.message' });
    expect((chinese.body.errors as { message: string }[])[3]?.message).toBe('第 2 步：{metric:nope}：没有这个键或名称的指标');
    // A change is told every problem the same way; one problem alone is told as ever.
    await api.post('/api/v1/care/plans', { ...plan, name: '计划', condition: null, steps: [{ after: '1d', message: 'hi' }] });
    const patched = await api.patch('/api/v1/care/plans/p', { name: '', steps: [{ after: 'soon', message: 'hi {tag:nope}' }, { after: '1d', message: 'hi', condition: 'city = ' }] });
    expect(patched.body).toMatchObject({ status: 400, code: 'CARE_PLAN_INVALID' });
    expect((patched.body.errors as { path: string }[]).map((item) => item.path)).toEqual(['name', 'steps.0.after', 'steps.1.condition', 'steps.0.message']);
    expect((await api.patch('/api/v1/care/plans/p', { name: '' })).body).toMatchObject({ code: 'VALIDATION_FAILED', detail: 'The request is not valid: body name: a name needs at least one visible character' });
  });

  it('answers bad plans and queries with problems that say what is wrong', async () => {
    const base = { key: 'p', name: '计划', trigger: { kind: 'event', event_type: 'order_paid' }, steps: [{ after: '1d', message: 'hi' }] };
    expect((await api.post('/api/v1/care/plans', { ...base, steps: [{ after: 'tomorrow', message: 'hi' }] })).body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect((await api.post('/api/v1/care/plans', { ...base, trigger: { kind: 'weather' } })).body.code).toBe('VALIDATION_FAILED');
    const placeholder = await api.post('/api/v1/care/plans', { ...base, steps: [{ after: '1d', message: '您好 {姓名}' }] }, { 'accept-language': 'zh-CN' });
    expect(placeholder.body).toMatchObject({ status: 400, code: 'CARE_PLAN_INVALID' });
    expect(String(placeholder.body.detail)).toContain('不是占位符');
    expect((await api.post('/api/v1/care/plans', { ...base, condition: 'cty = "上海"' })).body.code).toMatch(/^EXPRESSION_/);
    expect((await api.post('/api/v1/care/plans', { ...base, trigger: { kind: 'tag_removed', tag: 'nope' } })).body).toMatchObject({ status: 404, code: 'TAG_NOT_FOUND' });
    expect((await api.get('/api/v1/care/reminders?status=lost')).body.code).toBe('VALIDATION_FAILED');
    expect((await api.get('/api/v1/care/reminders?customer=nobody')).body.code).toBe('CUSTOMER_NOT_FOUND');
    // A reminder's number is said as written, not grouped as a count is.
    expect((await api.patch('/api/v1/care/reminders/12345', { status: 'done' })).body).toMatchObject({ status: 404, code: 'CARE_REMINDER_NOT_FOUND', detail: 'Reminder 12345 does not exist.' });
    expect((await api.get('/api/v1/care/plans')).body.items).toEqual([]);
  });

  it('refuses a change of a plan that names nothing to change, rather than answering it done and recording it in the audit trail', async () => {
    expect((await api.post('/api/v1/care/plans', { key: 'after', name: '售后', trigger: { kind: 'event', event_type: 'order_paid' }, steps: [{ after: '1d', message: '回访 {name}' }] })).status).toBe(201);
    const refused = await api.patch('/api/v1/care/plans/after', {}, { 'accept-language': 'zh-CN' });
    expect(refused.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', detail: '请求无效：没有要修改的内容：请给出 name、description、condition、cancel_on、quiet_hours、steps 或 enabled' });
    const trail = (await api.get('/api/v1/audit?limit=500')).body.items as { action: string }[];
    expect(trail.filter((entry) => entry.action.startsWith('PATCH'))).toEqual([]);
  });
});
