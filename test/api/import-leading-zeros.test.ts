// A file re-saved by Excel names a customer stored as 00012 as 12: an import says so where it
// finds no customer 12 (an assignment refused), or creates one (a customers or events import,
// warned of, what is created unchanged). And a CSV header of two rows is refused over the API.
import { expect } from 'vitest';
import { defineTag, interests } from '../engine/support.js';
import { forEachStore, it } from '../support/stores.js';
import { useServer } from './support.js';

forEachStore('API: imports of ids Excel stripped of leading zeros', (h) => {
  const api = useServer(h);

  it('refuses an assignment to 12 naming the stored 00012, in both languages', async () => {
    await defineTag(h.context(), interests);
    expect((await api.post('/api/v1/imports/customers', { text: 'id,name\n00012,张三\n00013,李四\n99,王五\n' })).body).toMatchObject({ accepted: 3 });
    const text = 'customer_id,tag,value\n12,兴趣爱好,高尔夫\n00013,兴趣爱好,钓鱼\n77,兴趣爱好,瑜伽\n99,兴趣爱好,瑜伽\n';
    const reply = await api.post('/api/v1/imports/assignments', { text }, { 'accept-language': 'zh-CN' });
    expect(reply.body).toMatchObject({ rows: 4, accepted: 2, rejected: 2 });
    expect(reply.body.rejections).toEqual([
      {
        line: 2,
        code: 'CUSTOMER_NOT_FOUND',
        reason: '找不到客户「12」；库中有「00012」，可能是 Excel 去掉了前导零',
        localized: { en: 'customer "12" does not exist; there is a customer "00012": Excel may have dropped the leading zeros', 'zh-CN': '找不到客户「12」；库中有「00012」，可能是 Excel 去掉了前导零' },
      },
      // No stored id is 77 with zeros before it: not found, as ever.
      { line: 4, code: 'CUSTOMER_NOT_FOUND', reason: '客户「77」不存在', localized: { en: 'customer "77" does not exist', 'zh-CN': '客户「77」不存在' } },
    ]);
  });

  it('warns of customers created under 12 beside a stored 00012, and creates them as before', async () => {
    // A workspace holding no id with a leading zero: nothing to warn of, and nothing looked up.
    expect((await api.post('/api/v1/imports/customers', { text: 'id,name\n7,甲\n' })).body).not.toHaveProperty('leading_zeros_lost');
    expect((await api.post('/api/v1/imports/customers', { text: 'id,name\n00012,张三\n0000345,李四\n' })).body).toMatchObject({ created: 2 });
    const reply = await api.post('/api/v1/imports/customers', { text: 'id,name\n12,张三\n345,李四\n00012,张三\n12,张三\n6,赵六\n' });
    expect(reply.body).toMatchObject({
      accepted: 5,
      created: 3,
      // 00012 was there already under that name.
      updated: 0,
      unchanged: 1,
      leading_zeros_lost: [
        { id: '12', stored: '00012', line: 2 },
        { id: '345', stored: '0000345', line: 3 },
      ],
    });
    expect((await api.get('/api/v1/customers/12')).status).toBe(200);
    // Imported again, 12 is there as the file has it: unchanged, no warning.
    const again = await api.post('/api/v1/imports/customers', { text: 'id,name\n12,张三\n' });
    expect(again.body).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
    expect(again.body).not.toHaveProperty('leading_zeros_lost');
    // An event of 56 creates customer 56 beside 056: warned of too.
    await api.post('/api/v1/imports/customers', { text: 'id,name\n056,孙七\n' });
    const events = await api.post('/api/v1/imports/events', { text: 'customer_id,type,occurred_at\n56,page_view,2026-06-01 20:15\n56,page_view,2026-06-01 20:16\n' });
    expect(events.body).toMatchObject({ accepted: 2, leading_zeros_lost: [{ id: '56', stored: '056', line: 2 }] });
  });

  it('refuses CSV text whose header takes two rows, saying so in the language asked', async () => {
    const text = '客户编号,姓名,联系方式,\n,,手机,邮箱\n00012,张三,13800138000,zs@example.com\n';
    const zh = await api.post('/api/v1/imports/customers', { text }, { 'accept-language': 'zh-CN' });
    expect(zh.status).toBe(400);
    expect(zh.body).toMatchObject({ code: 'VALIDATION_FAILED', detail: '请求无效：表头占了两行（如合并单元格"联系方式"下面还有"手机""邮箱"）：请只保留一行表头再导入' });
    const en = await api.post('/api/v1/imports/customers', { text });
    expect(en.body).toMatchObject({ code: 'VALIDATION_FAILED', detail: 'The request is not valid: the header takes two rows (as a merged cell "联系方式" with "手机", "邮箱" below it): keep one heading row and import again' });
    expect((await api.get('/api/v1/customers/00012')).status).toBe(404);
  });
});
