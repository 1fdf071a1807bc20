// What Excel does to numbers in a file before it is imported: a long number in a General cell
// saved as CSV is written in scientific notation (13800138000 as 1.38001E+10), its last digits
// lost, so an id or identifier so written refuses its row rather than standing for someone; and a
// time cell formatted as a number is written as Excel's serial (45291.75 for 2023-12-31 18:00),
// read in a time column as the time it stands for on the workspace's clock.
import { expect } from 'vitest';
import { defineTag, interests } from '../engine/support.js';
import { forEachStore, it } from '../support/stores.js';
import { useServer } from './support.js';

const en = (column: string, found: string) =>
  `${column} "${found}" was turned into scientific notation by the spreadsheet, and its last digits are lost: format the column as text in Excel or WPS and export the file again (or import the .xlsx itself)`;
const zh = (column: string, found: string) => `${column}「${found}」被电子表格转成了科学计数法，后几位数字已经丢失：请在 Excel 或 WPS 中把这一列设置为文本格式后重新导出（或直接导入 .xlsx 文件）`;

forEachStore('API: imports of numbers Excel spoiled', (h) => {
  const api = useServer(h);
  const reasons = (body: Record<string, unknown>) => (body.rejections as { line: number; code: string; localized: unknown }[]).map((rejection) => [rejection.line, rejection.code, rejection.localized]);

  it('refuses a customer row whose id or an identifier was written in scientific notation, naming the column', async () => {
    const text = ['会员编号,姓名,手机,member_card', '1.38001E+10,甲,,', 'K2,乙,1.38001e+10,', 'K3,丙,13800000003|1.38E+10,', 'K4,丁,,6.22848E+15', 'K5,戊,13800000005,6228480012345678'].join('\n');
    const reply = await api.post('/api/v1/imports/customers', { text }, { 'accept-language': 'zh-CN' });
    expect(reply.body).toMatchObject({ rows: 5, accepted: 1, rejected: 4, created: 1 });
    expect(reasons(reply.body)).toEqual([
      [2, 'VALIDATION_FAILED', { en: en('会员编号', '1.38001E+10'), 'zh-CN': zh('会员编号', '1.38001E+10') }],
      [3, 'VALIDATION_FAILED', { en: en('手机', '1.38001e+10'), 'zh-CN': zh('手机', '1.38001e+10') }],
      [4, 'VALIDATION_FAILED', { en: en('手机', '1.38E+10'), 'zh-CN': zh('手机', '1.38E+10') }],
      [5, 'VALIDATION_FAILED', { en: en('member_card', '6.22848E+15'), 'zh-CN': zh('member_card', '6.22848E+15') }],
    ]);
    expect((reply.body.rejections as { reason: string }[])[0]?.reason).toBe(zh('会员编号', '1.38001E+10'));
    for (const id of ['1.38001E+10', 'K2', 'K3', 'K4']) expect((await api.get(`/api/v1/customers/${encodeURIComponent(id)}`)).status).toBe(404);
    expect((await api.get('/api/v1/customers/K5')).body).toMatchObject({ name: '戊' });
  });

  it("refuses a JSON line whose id, an identifier's key or an entry of its identities was written in scientific notation, naming it as the line does", async () => {
    const lines = [
      { id: '1.38001E+10', name: '甲' },
      { id: 'J2', phone: '13800000002|1.38E+10' },
      { id: 'J3', identities: [{ kind: 'phone', value: '13800000003' }, { kind: 'member_card', value: '6.22848E+15' }] },
      { id: 'J4', identities: [{ kind: 'phone', value: '1.38001e+10' }, { kind: 'email', value: 'j4@example.com' }, { kind: 'wechat_unionid', value: '1.2E+5' }] },
      { id: 'J5', identities: [{ kind: 'phone', value: '13800000005' }, { kind: 'member_card', value: '6228480012345678' }] },
    ];
    const reply = await api.post('/api/v1/imports/customers', { text: lines.map((line) => JSON.stringify(line)).join('\n'), format: 'jsonl' });
    expect(reply.body).toMatchObject({ rows: 5, accepted: 1, rejected: 4, created: 1 });
    expect(reasons(reply.body)).toEqual([
      [1, 'VALIDATION_FAILED', { en: en('id', '1.38001E+10'), 'zh-CN': zh('id', '1.38001E+10') }],
      [2, 'VALIDATION_FAILED', { en: en('phone', '1.38E+10'), 'zh-CN': zh('phone', '1.38E+10') }],
      [3, 'VALIDATION_FAILED', { en: en('identities.1', '6.22848E+15'), 'zh-CN': zh('identities.1', '6.22848E+15') }],
      [4, 'VALIDATION_FAILED', { en: en('identities.0', '1.38001e+10'), 'zh-CN': zh('identities.0', '1.38001e+10') }],
      [4, 'VALIDATION_FAILED', { en: en('identities.2', '1.2E+5'), 'zh-CN': zh('identities.2', '1.2E+5') }],
    ]);
    for (const id of ['1.38001E+10', 'J2', 'J3', 'J4']) expect((await api.get(`/api/v1/customers/${encodeURIComponent(id)}`)).status).toBe(404);
    expect((await api.get('/api/v1/customers/J5')).body).toMatchObject({ identities: expect.arrayContaining([{ kind: 'member_card', value: '6228480012345678' }]) });
  });

  it("refuses an event or an assignment whose customer id was written in scientific notation, creating no customer", async () => {
    await defineTag(h.context(), interests);
    const events = await api.post('/api/v1/imports/events', { text: '客户,type,occurred_at\n1.38001E+10,app_opened,2026-06-01 10:00\nE1,app_opened,2026-06-01 10:00\n' });
    expect(events.body).toMatchObject({ rows: 2, accepted: 1, rejected: 1 });
    expect(reasons(events.body)).toEqual([[2, 'VALIDATION_FAILED', { en: en('客户', '1.38001E+10'), 'zh-CN': zh('客户', '1.38001E+10') }]]);
    expect((await api.get(`/api/v1/customers/${encodeURIComponent('1.38001E+10')}`)).status).toBe(404);
    const assignments = await api.post('/api/v1/imports/assignments', { text: 'customer_id,tag,value\n1.38001E+10,兴趣爱好,高尔夫\nE1,兴趣爱好,高尔夫\n' });
    expect(assignments.body).toMatchObject({ rows: 2, accepted: 1, rejected: 1 });
    expect(reasons(assignments.body)).toEqual([[2, 'VALIDATION_FAILED', { en: en('customer_id', '1.38001E+10'), 'zh-CN': zh('customer_id', '1.38001E+10') }]]);
  });

  it('reads an Excel serial in a time column as that time on the workspace\'s clock, a whole one as its day', async () => {
    await defineTag(h.context(), interests);
    await api.post('/api/v1/fields', { key: 'points', name: '积分', type: 'number' });
    // 45291.75 is 2023-12-31 18:00 (UTC+8); 45291 that day's start.
    const customers = await api.post('/api/v1/imports/customers', { text: 'id,first_seen_at,points\nT1,45291.75,45291.75\nT2,45291,\nT3,1990,\n' });
    expect(customers.body).toMatchObject({ rows: 3, accepted: 2, rejected: 1, zoneless_times: 2 });
    expect((await api.get('/api/v1/customers/T1')).body).toMatchObject({ first_seen_at: '2023-12-31T10:00:00.000Z', custom: { points: 45291.75 } });
    expect((await api.get('/api/v1/customers/T2')).body).toMatchObject({ first_seen_at: '2023-12-30T16:00:00.000Z' });
    // A number too small to be such a time (a year) is refused as written.
    expect((customers.body.rejections as { line: number; reason: string }[]).map((rejection) => [rejection.line, rejection.reason])).toEqual([[4, expect.stringMatching(/^first_seen_at "1990" is not a time/)]]);

    const events = await api.post('/api/v1/imports/events', { text: 'customer_id,type,occurred_at,properties.amount,properties.order_id\nT1,order_paid,45291.75,45291.75,O1\n' });
    expect(events.body).toMatchObject({ accepted: 1, zoneless_times: 1 });
    const recent = (await api.get('/api/v1/customers/T1')).body.recent_events as { occurred_at: string; properties: Record<string, unknown> }[];
    expect(recent.map((event) => [event.occurred_at, event.properties.amount])).toEqual([['2023-12-31T10:00:00.000Z', 45291.75]]);

    // 46387 is 2026-12-31: a whole day as an expiry, held through it; with a fraction, that time.
    const assignments = await api.post('/api/v1/imports/assignments', { text: 'customer_id,tag,value,过期时间\nT1,兴趣爱好,高尔夫,46387\nT2,兴趣爱好,高尔夫,46387.75\nT2,兴趣爱好,钓鱼,45291\n' });
    expect(assignments.body).toMatchObject({ rows: 3, accepted: 2, rejected: 1 });
    const expiries = async (id: string) => ((await api.get(`/api/v1/customers/${id}`)).body.tags as { expires_at: string | null }[]).map((tag) => tag.expires_at);
    expect(await expiries('T1')).toEqual(['2026-12-31T16:00:00.000Z']);
    expect(await expiries('T2')).toEqual(['2026-12-31T10:00:00.000Z']);
    // A passed expiry is quoted as the file wrote it.
    expect((assignments.body.rejections as { line: number; reason: string }[]).map((rejection) => [rejection.line, rejection.reason])).toEqual([[4, '过期时间 "45291" has already passed; an expiry must be in the future']]);
  });
});
