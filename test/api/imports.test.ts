import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { useServer } from './support.js';

forEachStore('API: imports', (h) => {
  const api = useServer(h);

  it('imports customers from CSV with renamed columns and reports bad rows by line', async () => {
    const text = ['编号,姓名,手机,城市,备注', 'C1,张伟,13800138000,广州,x', 'C2,李娜,,深圳', 'C3,王芳,13800138000,杭州,y', 'C4,赵敏,,北京,z'].join('\n');
    const reply = await api.post('/api/v1/imports/customers', { text, columns: { 编号: 'id', 姓名: 'name', 手机: 'phone', 城市: 'city', 备注: '' } });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      rows: 4,
      accepted: 2,
      rejected: 2,
      rejections: [
        { line: 3, code: 'UNREADABLE_ROW', reason: 'expected 5 columns, got 4', localized: { en: 'expected 5 columns, got 4', 'zh-CN': '应有 5 列，实际有 4 列' } },
        { line: 4, code: 'IDENTITY_CONFLICT', reason: expect.any(String), localized: { en: expect.any(String), 'zh-CN': expect.any(String) } },
      ],
      columns_read_as: {},
      columns_left_out: [],
      titles: [],
      zoneless_times: 0,
      utc_offset_minutes: 480,
      created: 2,
      updated: 0,
      unchanged: 0,
      repeated_ids: [],
      masked_identifiers: 0,
    });
    expect((await api.get('/api/v1/customers/C1')).body).toMatchObject({ name: '张伟', city: '广州', custom: {} });
    // Imported again with one more customer: the two already there under those names are unchanged, one is new.
    const again = await api.post('/api/v1/imports/customers', { text: 'id,name\nC1,张伟\nC4,赵敏\nC5,钱七\n' });
    expect(again.body).toMatchObject({ accepted: 3, created: 1, updated: 0, unchanged: 2 });
    expect((await api.get('/api/v1/customers/C4')).status).toBe(200);
    // Without a mapping, the usual Chinese headers are read as `tagbase import` reads them.
    const unmapped = await api.post('/api/v1/imports/customers', { text: 'id,姓名,手机\nZ2,李四,13900139112\n' });
    expect(unmapped.body).toMatchObject({ accepted: 1, rejected: 0, columns_read_as: { 姓名: 'name', 手机: 'phone' } });
    expect((await api.get('/api/v1/customers/Z2')).body).toMatchObject({ name: '李四', identities: [{ kind: 'phone', value: '13900139112' }] });
  });

  it('tells customers a file changed from those it found already as the file has them, and writes those again not at all', async () => {
    const text = ['id,name,city,phone', ...Array.from({ length: 5 }, (_, i) => `U${i + 1},客户${i + 1},广州,1390013${String(9000 + i)}`)].join('\n');
    expect((await api.post('/api/v1/imports/customers', { text })).body).toMatchObject({ accepted: 5, created: 5, updated: 0, unchanged: 0 });
    const before = (await api.get('/api/v1/customers/U3')).body.updated_at;
    h.clock.advance(60_000);
    // The same file again: nobody changed.
    expect((await api.post('/api/v1/imports/customers', { text })).body).toMatchObject({ accepted: 5, created: 0, updated: 0, unchanged: 5 });
    expect((await api.get('/api/v1/customers/U3')).body.updated_at).toBe(before);
    // One customer's city changed: she alone is updated.
    const moved = await api.post('/api/v1/imports/customers', { text: text.replace('U3,客户3,广州', 'U3,客户3,深圳') });
    expect(moved.body).toMatchObject({ accepted: 5, created: 0, updated: 1, unchanged: 4 });
    expect((await api.get('/api/v1/customers/U3')).body).toMatchObject({ city: '深圳' });
    expect((await api.get('/api/v1/customers/U3')).body.updated_at).not.toBe(before);
    // POST /customers counts every customer that was there as updated, as it always has.
    expect((await api.post('/api/v1/customers', { customers: [{ id: 'U1', city: '广州' }, { id: 'U2', city: '上海' }] })).body).toEqual({ received: 2, created: 0, updated: 2 });
  });

  it('rejects a row with a value in a column without a heading, naming the column by its place, with the console\'s mapping or without', async () => {
    const text = 'id,name,\r\nE1,x,hello\r\nE2,y,\r\n';
    const en = 'column 3 has no heading but holds a value, which would not be imported: head the column in the header, or empty it';
    const zh = '第 3 列没有表头却有值，这些值不会被导入：请在表头中写上列名，或清空这些单元格';
    for (const columns of [undefined, { id: 'id', name: 'name' }]) {
      const reply = await api.post('/api/v1/imports/customers', { text, ...(columns ? { columns } : {}) });
      expect(reply.body).toMatchObject({ rows: 2, accepted: 1, rejected: 1, rejections: [{ line: 2, code: 'UNREADABLE_ROW', reason: en, localized: { en, 'zh-CN': zh } }] });
    }
    expect((await api.get('/api/v1/customers/E1')).status).toBe(404);
  });

  it('says a phone Excel saved in scientific notation lost its digits, and how to keep them', async () => {
    const reply = await api.post('/api/v1/imports/customers', { text: 'id,手机\nP1,1.38123E+10\nP2,13812300000\n' });
    expect(reply.body).toMatchObject({ accepted: 1, rejected: 1 });
    expect((reply.body.rejections as { line: number; localized: unknown }[]).map((rejection) => [rejection.line, rejection.localized])).toEqual([
      [
        2,
        {
          en: '手机 "1.38123E+10" was turned into scientific notation by the spreadsheet, and its last digits are lost: format the column as text in Excel or WPS and export the file again (or import the .xlsx itself)',
          'zh-CN': '手机「1.38123E+10」被电子表格转成了科学计数法，后几位数字已经丢失：请在 Excel 或 WPS 中把这一列设置为文本格式后重新导出（或直接导入 .xlsx 文件）',
        },
      ],
    ]);
  });

  it("imports another system's template, filled, whose columns to fill in are marked * or （必填）", async () => {
    const reply = await api.post('/api/v1/imports/customers', { text: '客户编号*,姓名（必填）,手机(选填)\nT1,填表甲,13812300077\nT2,,x\n' });
    expect(reply.body).toMatchObject({ rows: 2, accepted: 1, rejected: 1, columns_read_as: { '客户编号*': 'id', '姓名（必填）': 'name', '手机(选填)': 'phone' } });
    // A bad cell is named under its column as the file heads it.
    expect((reply.body.rejections as { line: number; reason: string }[]).map((rejection) => [rejection.line, rejection.reason])).toEqual([[3, '手机(选填): "x" is not a valid phone']]);
    expect((await api.get('/api/v1/customers/T1')).body).toMatchObject({ name: '填表甲' });
  });

  it('warns of a customer id on several rows of a file, naming the lines; the later row stands', async () => {
    const text = ['id,city', 'R1,广州', 'R2,深圳', 'R1,杭州', 'R3,上海', 'R2,', 'R1,成都'].join('\n');
    const reply = await api.post('/api/v1/imports/customers', { text });
    expect(reply.body).toMatchObject({ accepted: 6, rejected: 0, created: 3, repeated_ids: [{ id: 'R1', lines: [2, 4, 7] }, { id: 'R2', lines: [3, 6] }] });
    expect((await api.get('/api/v1/customers/R1')).body).toMatchObject({ city: '成都' });
    // Events and assignments have no such warning: an event is its own row.
    expect((await api.post('/api/v1/imports/events', { text: 'customer_id,type,occurred_at\nR1,app_opened,2026-01-01\nR1,app_opened,2026-01-02\n' })).body).not.toHaveProperty('repeated_ids');
  });

  it('names the column of a bad cell as the file heads it, mapped or recognised', async () => {
    await api.post('/api/v1/fields', { key: '鞋码', name: '鞋码', type: 'number' });
    const text = ['编号,客户姓名,手机,生日,鞋码,邮箱', 'C1,张伟,13800138000,1990-13-45,42,a@example.com', 'C2,李娜,12,,x,bad'].join('\n');
    const customers = await api.post('/api/v1/imports/customers', { text, columns: { 客户姓名: 'name' } }, { 'accept-language': 'zh-CN' });
    expect((customers.body.rejections as { line: number; localized: { en: string } }[]).map((rejection) => [rejection.line, rejection.localized.en])).toEqual([
      [2, '生日 "1990-13-45" is not a date; write it as 1990-05-17, 1990/5/17 or 1990年5月17日'],
      [3, '鞋码: expects a number; got "x"'],
      [3, '手机: "12" is not a valid phone'],
      [3, '邮箱: "bad" is not a valid email'],
    ]);
    expect((customers.body.rejections as { reason: string }[])[0]?.reason).toBe('生日「1990-13-45」不是日期；请写成 1990-05-17、1990/5/17 或 1990年5月17日');
    const events = await api.post('/api/v1/imports/events', { text: '会员号,事件,付款时间\nC9,Bad Type,2026-01-01\nC9,order_paid,昨天\n' });
    expect((events.body.rejections as { reason: string }[]).map((rejection) => rejection.reason)).toEqual([
      '事件: an event type is lower_snake_case, up to 64 characters',
      expect.stringMatching(/^付款时间 "昨天" is not a time/),
      // A row refused for its time is told what its properties lack as well.
      'properties.order_id: required, and missing here',
      'properties.amount: required, and missing here',
    ]);
    // A property's problem names the property's column too, mapped or under its own name.
    const properties = await api.post(
      '/api/v1/imports/events',
      { text: '会员号,事件,付款时间,订单号,实付金额\nC9,order_paid,2026-01-01,O1,很多\n', columns: { 订单号: 'properties.order_id', 实付金额: 'properties.amount' } },
      { 'accept-language': 'zh-CN' },
    );
    expect((properties.body.rejections as { localized: { en: string } }[]).map((rejection) => rejection.localized.en)).toEqual(['实付金额: expected a number, got text']);
    expect((properties.body.rejections as { reason: string }[])[0]?.reason).toMatch(/^实付金额：/);
    const named = await api.post('/api/v1/imports/events', { text: 'customer_id,type,occurred_at,properties.order_id,properties.amount\nC9,order_paid,2026-01-01,O1,很多\n' });
    expect((named.body.rejections as { reason: string }[]).map((rejection) => rejection.reason)).toEqual(['properties.amount: expected a number, got text']);
    // Properties written as JSON have no column each: named within properties.
    const json = await api.post('/api/v1/imports/events', { text: 'customer_id,type,occurred_at,properties\nC9,order_paid,2026-01-01,"{""order_id"":""O1"",""amount"":""很多""}"\n' });
    expect((json.body.rejections as { reason: string }[]).map((rejection) => rejection.reason)).toEqual(['properties.amount: expected a number, got text']);
    // Under the file's own heading of that column, a nested property by every step.
    const nested = await api.post('/api/v1/imports/events', {
      text: '客户,类型,时间,属性\nC9,order_paid,2026-01-01,"{""order_id"":""O1"",""amount"":5,""items"":[{""sku"":""S1""},{""price"":5}]}"\n',
      columns: { 客户: 'customer_id', 类型: 'type', 时间: 'occurred_at', 属性: 'properties' },
    });
    expect((nested.body.rejections as { reason: string }[]).map((rejection) => rejection.reason)).toEqual(['属性.items.1.sku: required, and missing here']);
    const assignments = await api.post('/api/v1/imports/assignments', { text: '客户,标签,标签值\nC1,x,\n' });
    expect((assignments.body.rejections as { reason: string }[]).map((rejection) => rejection.reason)).toEqual(['标签值 is required']);
  });

  it('reports every problem of a row refused for several reasons, the row counted once', async () => {
    await api.post('/api/v1/fields', { key: 'shoe', name: '鞋码', type: 'number' });
    const text = ['id,phone,birthday,shoe', 'M1,12,1990-02-30,big', 'M2,13800138000,1990-05-17,42'].join('\n');
    const reply = await api.post('/api/v1/imports/customers', { text }, { 'accept-language': 'zh-CN' });
    expect(reply.body).toMatchObject({ rows: 2, accepted: 1, rejected: 1 });
    expect((reply.body.rejections as { line: number; reason: string; localized: { en: string } }[]).map((rejection) => [rejection.line, rejection.localized.en, rejection.reason])).toEqual([
      [2, 'birthday "1990-02-30" is not a date; write it as 1990-05-17, 1990/5/17 or 1990年5月17日', 'birthday「1990-02-30」不是日期；请写成 1990-05-17、1990/5/17 或 1990年5月17日'],
      [2, 'shoe: expects a number; got "big"', 'shoe：应为数字；收到的是 "big"'],
      [2, 'phone: "12" is not a valid phone', 'phone：「12」不是有效的手机号'],
    ]);
    // A JSON line the same.
    const jsonl = await api.post('/api/v1/imports/customers', { format: 'jsonl', text: '{"id":"M3","phone":"12","birthday":"1990-02-30","gender":"weird"}\n' });
    expect((jsonl.body.rejections as { reason: string }[]).map((rejection) => rejection.reason)).toEqual([
      expect.stringMatching(/^gender: /),
      expect.stringMatching(/^birthday "1990-02-30" is not a date/),
      'phone: "12" is not a valid phone',
    ]);
  });

  it('refuses a custom date before 1900 and tells a row every problem, its identity taken included', async () => {
    await api.post('/api/v1/fields', { key: 'joined', name: '入会日期', type: 'date' });
    await api.post('/api/v1/customers', { customers: [{ id: 'H0', identities: [{ kind: 'phone', value: '13700137000' }] }] });
    const text = 'id,手机,生日,入会日期\nH1,13700137000,2990-01-01,1850/1/1\nH2,13600136000,1990-01-01,2020/1/1\n';
    // A column headed with the field's name is read as the field, as one mapped to it is.
    const imported = await api.post('/api/v1/imports/customers', { text });
    expect(imported.body).toMatchObject({ rows: 2, accepted: 1, rejected: 1, columns_read_as: { 手机: 'phone', 生日: 'birthday', 入会日期: 'custom.joined' } });
    expect((await api.post('/api/v1/imports/customers', { text, columns: { 入会日期: 'joined' } })).body).toMatchObject({ rows: 2, accepted: 1, rejected: 1 });
    expect((imported.body.rejections as { line: number; reason: string }[]).map((rejection) => [rejection.line, rejection.reason])).toEqual([
      [2, '生日: a birthday is not in the future'],
      [2, '入会日期: year 1850 is before 1900: a date is 1900-01-01 or later'],
      [2, expect.stringMatching(/^手机: phone "13700137000" already belongs to customer "H0"/)],
    ]);
    expect((await api.get('/api/v1/customers/H2')).body).toMatchObject({ custom: { joined: '2020-01-01' } });
  });

  it("reads a column headed with a custom field's name as the field, naming the column as the file heads it", async () => {
    await api.post('/api/v1/fields', { key: 'joined', name: '入会日期', type: 'date' });
    await api.post('/api/v1/fields', { key: 'shoe', name: 'Shoe Size', type: 'number' });
    await api.post('/api/v1/fields', { key: 'tier', name: '卡级', type: 'enum', options: ['金卡', '银卡'] });
    await api.post('/api/v1/fields', { key: 'note', name: '会员备注', type: 'string' });
    // Trimmed, and Latin letters in any case.
    const text = ['编号, 入会日期 ,shoe size,卡级,会员备注', 'N1,2020/1/1,42,金卡,老客', 'N2,1850/1/1,big,铜卡,', 'N3,2021-13-01,,,', `N4,,,,${'x'.repeat(1100)}`].join('\n');
    const reply = await api.post('/api/v1/imports/customers', { text }, { 'accept-language': 'zh-CN' });
    expect(reply.body).toMatchObject({ rows: 4, accepted: 1, rejected: 3, columns_read_as: { 编号: 'id', 入会日期: 'custom.joined', 'shoe size': 'custom.shoe', 卡级: 'custom.tier', 会员备注: 'custom.note' } });
    expect((reply.body.rejections as { line: number; localized: { en: string } }[]).map((rejection) => [rejection.line, rejection.localized.en])).toEqual([
      [3, '入会日期: year 1850 is before 1900: a date is 1900-01-01 or later'],
      [3, 'shoe size: expects a number; got "big"'],
      [3, '卡级: expects one of "金卡", "银卡"; got "铜卡"'],
      [4, '入会日期 "2021-13-01" is not a date; write it as 1990-05-17, 1990/5/17 or 1990年5月17日'],
      [5, '会员备注: at most 1,024 characters'],
    ]);
    expect((reply.body.rejections as { reason: string }[])[1]?.reason).toBe('shoe size：应为数字；收到的是 "big"');
    expect((await api.get('/api/v1/customers/N1')).body).toMatchObject({ custom: { joined: '2020-01-01', shoe: 42, tier: '金卡', note: '老客' } });
    // A cell that cannot be stored names the file's column too.
    const unstorable = await api.post('/api/v1/imports/customers', { text: 'id,会员备注\nN7,a\u0000b\n' });
    expect((unstorable.body.rejections as { reason: string }[]).map((rejection) => rejection.reason)).toEqual([expect.stringMatching(/^会员备注/)]);
    // A lone surrogate, which a file's bytes cannot hold but the request's text can, is refused with its line too, not stored as U+FFFD.
    const surrogate = await api.post('/api/v1/imports/customers', { text: 'id,name\nN8,a\ud800b\nN9,好\n' });
    expect(surrogate.body).toMatchObject({ accepted: 1, rejections: [{ line: 2, reason: expect.stringContaining('lone surrogate') }] });
    expect((await api.get('/api/v1/customers/N8')).status).toBe(404);
    // A JSON line's key the same, its problems named by the line's key.
    const jsonl = await api.post('/api/v1/imports/customers', { format: 'jsonl', text: '{"id":"N5","入会日期":"2020-02-02"}\n{"id":"N6","Shoe Size":"big"}\n' });
    expect(jsonl.body).toMatchObject({ rows: 2, accepted: 1, columns_read_as: { 入会日期: 'custom.joined', 'Shoe Size': 'custom.shoe' } });
    expect((jsonl.body.rejections as { line: number; reason: string }[]).map((rejection) => [rejection.line, rejection.reason])).toEqual([[2, 'Shoe Size: expects a number; got "big"']]);
    expect((await api.get('/api/v1/customers/N5')).body).toMatchObject({ custom: { joined: '2020-02-02' } });
  });

  it("reads a custom field's column by a built-in field's name first, then by the field's key, and says why a name is not read", async () => {
    await api.post('/api/v1/fields', { key: 'joined', name: '入会日期', type: 'date' });
    await api.post('/api/v1/fields', { key: 'vip', name: '会员等级', type: 'string' });
    await api.post('/api/v1/fields', { key: 'size_eu', name: 'Size', type: 'number' });
    await api.post('/api/v1/fields', { key: 'size_us', name: 'size', type: 'number' });
    // 会员等级 is the built-in member level's name before it is the field's.
    const builtin = await api.post('/api/v1/imports/customers', { text: 'id,会员等级\nB1,黄金\n' });
    expect(builtin.body).toMatchObject({ accepted: 1, columns_read_as: { 会员等级: 'member_level' } });
    expect((await api.get('/api/v1/customers/B1')).body).toMatchObject({ member_level: '黄金', custom: {} });
    // The field's key beside its name: the key is the field, and the name is refused saying why.
    const both = await api.post('/api/v1/imports/customers', { text: 'id,joined,入会日期\nB2,2020-01-01,2021-01-01\n' });
    expect(both.body).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      detail: 'The request is not valid: the file has a column 入会日期, the name of the custom field "joined", which the column joined is read as already: leave one of them out (columns {"入会日期": ""})',
    });
    expect((await api.post('/api/v1/imports/customers', { text: 'id,joined,入会日期\nB2,2020-01-01,2021-01-01\n', columns: { 入会日期: '' } })).body).toMatchObject({ accepted: 1 });
    expect((await api.get('/api/v1/customers/B2')).body).toMatchObject({ custom: { joined: '2020-01-01' } });
    // So is a column mapped to the field: the name is not read as it as well.
    const mapped = await api.post('/api/v1/imports/customers', { text: 'id,开卡日,入会日期\nB3,2020-01-01,2021-01-01\n', columns: { 开卡日: 'custom.joined' } }, { 'accept-language': 'zh-CN' });
    expect(mapped.body).toMatchObject({ status: 400, detail: '请求无效：文件中的列 入会日期 是自定义字段「joined」的名称，而列 开卡日 已作为该字段读取：请去掉其中一列（columns {"入会日期": ""}）' });
    // A mapping names a field by its key, not its name.
    const byName = await api.post('/api/v1/imports/customers', { text: 'id,开卡日\nB3,2020-01-01\n', columns: { 开卡日: '入会日期' } });
    expect(byName.body).toMatchObject({ status: 400, detail: 'The request is not valid: the file has a column 开卡日 mapped to 入会日期, the name "入会日期" of the custom field "joined": a custom field\'s column is named by its key; map it with columns {"开卡日": "custom.joined"}' });
    const prefixed = await api.post('/api/v1/imports/customers', { text: 'id,custom.入会日期\nB3,2020-01-01\n' }, { 'accept-language': 'zh-CN' });
    expect(prefixed.body).toMatchObject({ status: 400, detail: '请求无效：文件中的列 custom.入会日期 用的是自定义字段「joined」的名称「入会日期」：自定义字段的列须用字段的键；请用 columns {"custom.入会日期": "custom.joined"}' });
    // A name two fields share is neither's.
    const shared = await api.post('/api/v1/imports/customers', { text: 'id,SIZE\nB4,42\n' });
    expect(shared.body).toMatchObject({
      status: 400,
      detail: 'The request is not valid: the file has a column SIZE, the name of the custom fields "size_eu" and "size_us", so which one it is cannot be told: say which with columns {"SIZE": "custom.size_eu"}, or leave it out',
    });
    expect((await api.post('/api/v1/imports/customers', { text: 'id,SIZE\nB4,42\n', columns: { SIZE: 'custom.size_us' } })).body).toMatchObject({ accepted: 1 });
    expect((await api.get('/api/v1/customers/B4')).body).toMatchObject({ custom: { size_us: 42 } });
    // A field's key and `custom.` with it are one column: both in a file would overwrite each other.
    const twice = await api.post('/api/v1/imports/customers', { text: 'id,joined,custom.joined\nB5,2020-01-01,2021-01-01\n' });
    expect(twice.body).toMatchObject({ status: 400, detail: expect.stringContaining('columns "joined" and "custom.joined" would both be "custom.joined"') });
    expect((await api.get('/api/v1/customers/B5')).status).toBe(404);
  });

  it('refuses rows dated before 1970 and birthdays before 1900, saying the year is the problem', async () => {
    await api.post('/api/v1/customers', { customers: [{ id: 'Q1', first_seen_at: '2026-05-01T00:00:00Z' }] });
    const events = await api.post('/api/v1/imports/events', { text: 'customer_id,type,occurred_at\nQ1,app_opened,0226-11-20 10:00\nQ1,app_opened,1800/1/1\nQ1,app_opened,2026-06-01\n' }, { 'accept-language': 'zh-CN' });
    expect(events.body).toMatchObject({ rows: 3, accepted: 1, rejected: 2 });
    expect((events.body.rejections as { line: number; reason: string }[]).map((rejection) => [rejection.line, rejection.reason])).toEqual([
      [2, 'occurred_at：年份 0226 早于 1970 年：时间须在 1970-01-01 或之后'],
      [3, 'occurred_at：年份 1800 早于 1970 年：时间须在 1970-01-01 或之后'],
    ]);
    expect((await api.get('/api/v1/customers/Q1')).body).toMatchObject({ first_seen_at: '2026-05-01T00:00:00.000Z' });
    const customers = await api.post('/api/v1/imports/customers', { text: 'id,生日\nQ2,0500-01-01\nQ3,1900-01-01\n' });
    expect(customers.body).toMatchObject({ rows: 2, accepted: 1, rejected: 1 });
    expect((customers.body.rejections as { reason: string }[]).map((rejection) => rejection.reason)).toEqual(['生日: year 0500 is before 1900: a birthday is 1900-01-01 or later']);
  });

  it('names the keys of a JSON line as the line has them, not the importer\'s names for them', async () => {
    await api.post('/api/v1/fields', { key: '鞋码', name: '鞋码', type: 'number' });
    const text = ['{"id":"J1","phone":"12"}', '{"id":"J2","鞋码":"big"}', '{"id":"J3","custom":{"鞋码":"big"}}', '{"id":"J4","手机":"34"}', '{"id":"J5","identities":[{"kind":"email","value":"bad"}]}'].join('\n');
    const customers = await api.post('/api/v1/imports/customers', { format: 'jsonl', text });
    expect((customers.body.rejections as { line: number; reason: string }[]).map((rejection) => [rejection.line, rejection.reason])).toEqual([
      [1, 'phone: "12" is not a valid phone'],
      [2, '鞋码: expects a number; got "big"'],
      [3, 'custom.鞋码: expects a number; got "big"'],
      [4, '手机: "34" is not a valid phone'],
      [5, 'identities.0: "bad" is not a valid email'],
    ]);
    const events = await api.post('/api/v1/imports/events', { format: 'jsonl', text: '{"客户":"C1","type":"Bad Type","occurred_at":"2026-06-01T00:00:00Z"}\n' });
    expect((events.body.rejections as { reason: string }[]).map((rejection) => rejection.reason)).toEqual(['type: an event type is lower_snake_case, up to 64 characters']);
  });

  it('reads an Excel serial number in a date column as the date it stands for, and quotes a date cell it cannot read', async () => {
    await api.post('/api/v1/fields', { key: 'joined', name: '入会日期', type: 'date' });
    const text = ['id,birthday,joined', 'S1,32874,45123', 'S2,1990,', 'S3,,2026-02-30'].join('\n');
    const reply = await api.post('/api/v1/imports/customers', { text });
    expect(reply.body).toMatchObject({ accepted: 1, rejected: 2 });
    expect((await api.get('/api/v1/customers/S1')).body).toMatchObject({ birthday: '1990-01-01', custom: { joined: '2023-07-16' } });
    // A number too small to be such a date (a year, say) is refused as written.
    expect((reply.body.rejections as { line: number; reason: string }[]).map((rejection) => [rejection.line, rejection.reason])).toEqual([
      [3, 'birthday "1990" is not a date; write it as 1990-05-17, 1990/5/17 or 1990年5月17日'],
      [4, 'joined "2026-02-30" is not a date; write it as 1990-05-17, 1990/5/17 or 1990年5月17日'],
    ]);
  });

  it('leaves out a title row of several cells above a header of known columns, and names the titles left out', async () => {
    const text = ['客户名单 2026-11,,导出人：张三', '编号,姓名,城市', 'H1,甲,上海'].join('\n');
    // Named in the answer, as one-cell titles are.
    expect((await api.post('/api/v1/imports/customers', { text })).body).toMatchObject({ rows: 1, accepted: 1, rejected: 0, titles: [{ row: 1, text: '客户名单 2026-11 导出人：张三' }] });
    expect((await api.get('/api/v1/customers/H1')).body).toMatchObject({ name: '甲', city: '上海' });
    expect((await api.post('/api/v1/imports/customers', { text: '会员报表\nid,name\nH2,乙\n' })).body).toMatchObject({ accepted: 1, titles: [{ row: 1, text: '会员报表' }] });
  });

  it('imports a segment\'s export again unchanged: the apostrophe the export put before a cell a spreadsheet would run comes off', async () => {
    const text = ['id,name,city,phone', 'F1,"=HYPERLINK(""x"")",-杭州,+44 20 7946 0958', "F2,'plain,@上海,", 'F3,-12.5,+北京,'].join('\n');
    expect((await api.post('/api/v1/imports/customers', { text })).body).toMatchObject({ accepted: 3, rejected: 0 });
    const exported = await api.post('/api/v1/segments/export?format=csv', { expression: 'id in ("F1", "F2", "F3")' });
    expect(exported.text).toContain(`'=HYPERLINK`);
    const again = await api.post('/api/v1/imports/customers', { text: exported.text });
    expect(again.body).toMatchObject({ accepted: 3, rejected: 0, created: 0, updated: 0, unchanged: 3, columns_left_out: ['tags', 'random_bucket', 'has_phone', 'has_email', 'has_wechat', 'has_member_card'] });
    expect((await api.get('/api/v1/customers/F1')).body).toMatchObject({ name: '=HYPERLINK("x")', city: '-杭州', identities: [{ kind: 'phone', value: '+442079460958' }] });
    // An apostrophe before anything a spreadsheet would not run is the cell's own.
    expect((await api.get('/api/v1/customers/F2')).body).toMatchObject({ name: "'plain", city: '@上海' });
    expect((await api.get('/api/v1/customers/F3')).body).toMatchObject({ name: '-12.5', city: '+北京' });
  });

  it('reads a file separated by semicolons or tabs, skips rows of empty cells, and reports each row at the line it starts on', async () => {
    const semicolons = ['编号;姓名;城市', 'S1;"张伟; Jr.";广州', ';;', 'S2;李娜;深圳'].join('\r\n');
    expect((await api.post('/api/v1/imports/customers', { text: semicolons })).body).toMatchObject({ rows: 2, accepted: 2, columns_read_as: { 编号: 'id', 姓名: 'name', 城市: 'city' } });
    expect((await api.get('/api/v1/customers/S1')).body).toMatchObject({ name: '张伟; Jr.', city: '广州' });
    // A quoted cell holding a CRLF: the rows after it keep their lines.
    const tabs = ['id\tname\tcity', 'T1\t"两行\r\n名字"\t杭州', '\t\t', 'T2\t王芳\t' + 'x'.repeat(65), 'T3\t"三\r\n行\r\n名字"\t' + 'y'.repeat(65), 'T4\t赵敏\t北京'].join('\r\n');
    const reply = await api.post('/api/v1/imports/customers', { text: tabs });
    expect(reply.body).toMatchObject({ rows: 4, accepted: 2, rejected: 2 });
    expect((reply.body.rejections as { line: number; reason: string }[]).map((r) => [r.line, r.reason])).toEqual([
      [5, 'city: at most 64 characters'],
      [6, 'city: at most 64 characters'],
    ]);
    expect((await api.get('/api/v1/customers/T1')).body).toMatchObject({ name: '两行\r\n名字', city: '杭州' });
    expect((await api.get('/api/v1/customers/T4')).body).toMatchObject({ name: '赵敏' });
  });

  it('imports events and assignments, and is safe to run again', async () => {
    await api.post('/api/v1/tags', { key: 'stage', name: '服务阶段', values: [{ key: 'pre', name: '售前' }] });
    const events = ['id,customer_id,type,occurred_at,properties.order_id,properties.amount', 'E1,C1,order_paid,2026-06-01T08:00:00Z,O1,88', 'E2,C1,order_paid,not a time,O2,1'].join('\n');
    const first = await api.post('/api/v1/imports/events', { text: events });
    expect(first.body).toMatchObject({ rows: 2, accepted: 1, rejected: 1, rejections: [{ line: 3, code: 'VALIDATION_FAILED' }] });
    // Created and updated count customers: an events import says nothing of them.
    expect(first.body).not.toHaveProperty('created');
    expect((await api.post('/api/v1/imports/events', { text: events })).body).toMatchObject({ accepted: 1, rejected: 1 });
    expect((await api.post('/api/v1/segments/count', { expression: 'orders_total = 1' })).body.count).toBe(1);
    const assignments = ['customer_id,tag,value', 'C1,服务阶段,售前', 'C9,stage,pre', 'C1,stage,after'].join('\n');
    const assigned = await api.post('/api/v1/imports/assignments', { text: assignments });
    expect((assigned.body.rejections as { line: number; code: string }[]).map((r) => [r.line, r.code])).toEqual([
      [3, 'CUSTOMER_NOT_FOUND'],
      [4, 'TAG_VALUE_NOT_FOUND'],
    ]);
    expect((await api.get('/api/v1/customers/C1')).body.tags).toEqual([expect.objectContaining({ label: '服务阶段: 售前', source: 'import' })]);
    const jsonl = await api.post('/api/v1/imports/customers', { format: 'jsonl', text: '{"id":"J1","name":"甲"}\n[1]\n' });
    expect(jsonl.body).toMatchObject({ rows: 2, accepted: 1, rejections: [{ line: 2, code: 'UNREADABLE_ROW' }] });
    // A whole array is one mistake, said once, and nothing of it is imported.
    const array = await api.post('/api/v1/imports/customers', { format: 'jsonl', text: '\uFEFF [\n{"id":"J2","name":"乙"},\n{"id":"J3","name":"丙"}\n]\n' });
    expect(array.status).toBe(400);
    expect(array.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'text' }] });
    expect(array.body.detail).toContain("jq -c '.[]'");
    expect((await api.get('/api/v1/customers/J2')).status).toBe(404);
  });

  it('reads times written without a zone, as shop exports write them, in the workspace\'s zone', async () => {
    await api.post('/api/v1/tags', { key: 'vip', name: '贵宾', values: [{ key: 'yes', name: '是' }] });
    const customers = ['id,first_seen_at', 'C1,2026/5/1 9:30', 'C2,2026-05-01T09:30:00Z', 'C3,2026/2/30 9:30'].join('\n');
    const imported = await api.post('/api/v1/imports/customers', { text: customers });
    expect(imported.body).toMatchObject({ accepted: 2, rejected: 1, rejections: [{ line: 4, code: 'VALIDATION_FAILED' }], zoneless_times: 1, utc_offset_minutes: 480 });
    expect((await api.get('/api/v1/customers/C1')).body.first_seen_at).toBe('2026-05-01T01:30:00.000Z');
    expect((await api.get('/api/v1/customers/C2')).body.first_seen_at).toBe('2026-05-01T09:30:00.000Z');
    const events = ['id,customer_id,type,occurred_at,properties.order_id,properties.amount', 'E1,C1,order_paid,2026年6月1日 20:15,O1,88', 'E2,C1,order_paid,2026-06-02 23:59:59,O2,1'].join('\n');
    expect((await api.post('/api/v1/imports/events', { text: events })).body).toMatchObject({ accepted: 2, zoneless_times: 2 });
    const portrait = (await api.get('/api/v1/customers/C1')).body;
    expect((portrait.recent_events as { occurred_at: string }[]).map((event) => event.occurred_at).sort()).toEqual(['2026-06-01T12:15:00.000Z', '2026-06-02T15:59:59.000Z']);
    const assigned = await api.post('/api/v1/imports/assignments', { text: 'customer_id,tag,value,expires_at\nC1,vip,yes,2099/12/31 8:00' });
    expect(assigned.body).toMatchObject({ accepted: 1, zoneless_times: 1 });
    expect((await api.get('/api/v1/customers/C1')).body.tags).toEqual([expect.objectContaining({ label: '贵宾: 是', expires_at: '2099-12-31T00:00:00.000Z' })]);
  });

  it('says a row left without what it needs lacks it, rather than naming types', async () => {
    const reply = await api.post('/api/v1/imports/customers', { text: 'id,name\nC1,张伟\n,李娜\n' }, { 'accept-language': 'zh-CN' });
    expect(reply.body).toMatchObject({ accepted: 1, rejected: 1 });
    expect(reply.body.rejections).toEqual([{ line: 3, code: 'VALIDATION_FAILED', reason: 'id：必填，此处缺少', localized: { en: 'id: required, and missing here', 'zh-CN': 'id：必填，此处缺少' } }]);
    const events = await api.post('/api/v1/imports/events', { text: 'id,customer_id,type,occurred_at,properties.amount\nE1,C1,order_paid,2026-06-01T08:00:00Z,88\n' });
    expect(events.body.rejections).toEqual([expect.objectContaining({ line: 2, code: 'EVENT_PROPERTIES_INVALID', reason: 'properties.order_id: required, and missing here' })]);
  });

  it('says how to write a time it could not read, naming the forms an import reads', async () => {
    const events = await api.post('/api/v1/imports/events', { text: 'id,customer_id,type,occurred_at\nE1,C1,app_opened,yesterday\nE2,C1,app_opened,2026年6月1日 20:15\n' }, { 'accept-language': 'zh-CN' });
    expect(events.body).toMatchObject({ accepted: 1, rejected: 1 });
    expect(events.body.rejections).toEqual([
      {
        line: 2,
        code: 'VALIDATION_FAILED',
        reason: 'occurred_at「yesterday」不是时间；请写成 2026-06-01 20:15、2026/6/1 20:15、2026年6月1日 20:15 或 2026-06-01T20:15:00+08:00',
        localized: expect.objectContaining({ en: 'occurred_at "yesterday" is not a time; write it as 2026-06-01 20:15, 2026/6/1 20:15, 2026年6月1日 20:15 or 2026-06-01T20:15:00+08:00' }),
      },
    ]);
    const customers = await api.post('/api/v1/imports/customers', { text: 'id,first_seen_at\nC2,上周\n' });
    expect(customers.body.rejections).toEqual([expect.objectContaining({ line: 2, reason: expect.stringMatching(/^first_seen_at "上周" is not a time; write it as /) })]);
  });

  it('knows an event row without an id by what it says, so importing the file again adds nothing', async () => {
    const text = ['customer_id,type,occurred_at,properties.order_id,properties.amount', 'C1,order_paid,2026-06-01 20:15,O1,100', 'C1,order_paid,2026-06-02 09:00,O2,50', 'C1,order_paid,2026-06-02 09:00,O2,50'].join('\n');
    expect((await api.post('/api/v1/imports/events', { text })).body).toMatchObject({ rows: 3, accepted: 3, rejected: 0 });
    expect((await api.post('/api/v1/imports/events', { text })).body).toMatchObject({ rows: 3, accepted: 3, rejected: 0 });
    // The same rows as JSON Lines, their properties in another order, are the same events too.
    const jsonl = '{"customer_id":"C1","type":"order_paid","occurred_at":"2026-06-01T12:15:00Z","properties":{"amount":100,"order_id":"O1"}}';
    expect((await api.post('/api/v1/imports/events', { format: 'jsonl', text: jsonl })).body).toMatchObject({ accepted: 1 });
    expect((await api.post('/api/v1/segments/count', { expression: 'orders_total = 2 and spend_total = 150' })).body.count).toBe(1);
    const later = await api.post('/api/v1/imports/events', { text: 'customer_id,type,occurred_at,properties.order_id,properties.amount\nC1,order_paid,2026-06-03 09:00,O3,50' });
    expect(later.body).toMatchObject({ accepted: 1 });
    expect((await api.post('/api/v1/segments/count', { expression: 'orders_total = 3' })).body.count).toBe(1);
  });

  it('keeps property cells of digits as written when a number would change them', async () => {
    const text = [
      'id,customer_id,type,occurred_at,properties.order_id,properties.amount,properties.coupon_id,properties.sku_code,properties.serial,properties.count',
      'E1,C1,order_paid,2026-06-01T08:00:00Z,20260601000123,199.50,00042,0815,3012345678901234567,3',
    ].join('\n');
    expect((await api.post('/api/v1/imports/events', { text })).body).toMatchObject({ accepted: 1, rejected: 0 });
    const portrait = (await api.get('/api/v1/customers/C1?events=5')).body;
    expect((portrait.recent_events as { properties: unknown }[])[0]?.properties).toEqual({ order_id: '20260601000123', amount: 199.5, coupon_id: '00042', sku_code: '0815', serial: '3012345678901234567', count: 3 });
  });

  it('reads a column the same way on every row, settled on the header', async () => {
    // The file has a phone column: 手机 is not read as the phone, on the row whose phone is empty either.
    // It is then no customer field, and the file is refused before any row.
    const reply = await api.post('/api/v1/imports/customers', { text: 'id,phone,手机\nC1,,13900000001\nC2,13900000002,13900000003\n' });
    expect(reply.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', detail: expect.stringContaining('the file has a column 手机 that is no customer field') });
    expect((await api.get('/api/v1/customers')).body.total).toBe(0);
    // A mapping onto a column the file has is refused before any row lands, whichever row first fills both.
    const text = ['id,name,昵称', ...Array.from({ length: 1500 }, (_, index) => `N${index},,`), 'N9999,张伟,伟哥'].join('\n');
    const onto = await api.post('/api/v1/imports/customers', { text, columns: { 昵称: 'name' } });
    expect(onto.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect((await api.get('/api/v1/customers')).body.total).toBe(0);
  });

  it('refuses a file with no column for what every row needs before importing any of it', async () => {
    const noId = await api.post('/api/v1/imports/customers', { text: '姓名,城市\n张伟,上海\n李娜,北京\n' }, { 'accept-language': 'zh-CN' });
    expect(noId.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', detail: expect.stringContaining('没有对应 id 的列') });
    const noTime = await api.post('/api/v1/imports/events', { text: 'id,customer_id,type\nE1,C1,order_paid\n' });
    expect(noTime.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', detail: expect.stringContaining('no column for occurred_at, which every row needs (its columns: id, customer_id, type)') });
    // A row sent without its header is one line, read as a header with no rows: refused all the same.
    const rowAlone = await api.post('/api/v1/imports/events', { text: 'C1,order_paid,2026-06-01 20:15,O1,12\n' });
    expect(rowAlone.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', detail: expect.stringContaining('no column for customer_id, type, occurred_at') });
    // Left out by the mapping, the column is missing too; mapped from another name, it is there.
    expect((await api.post('/api/v1/imports/customers', { text: 'id,name\nC1,张伟\n', columns: { id: '' } })).body.code).toBe('VALIDATION_FAILED');
    expect((await api.post('/api/v1/imports/customers', { text: '会员号,name\nC1,张伟\n', columns: { 会员号: 'id' } })).body).toMatchObject({ accepted: 1 });
    expect((await api.get('/api/v1/customers')).body.total).toBe(1);
  });

  it('reads amounts as shop exports write them: a currency sign, thousands separators', async () => {
    await api.post('/api/v1/fields', { key: 'credit', name: '授信额度', type: 'number' });
    const customers = await api.post('/api/v1/imports/customers', { text: 'id,custom.credit\nC1,"¥10,000"\nC2,"1,5"\n' });
    expect(customers.body).toMatchObject({ accepted: 1, rejections: [{ line: 3, code: 'FIELD_TYPE_MISMATCH' }] });
    expect((await api.get('/api/v1/customers/C1')).body.custom).toEqual({ credit: 10000 });
    const text = ['id,customer_id,type,occurred_at,properties.amount,properties.order_id', 'E1,C1,order_paid,2026-06-01T08:00:00Z,"￥1,299.00",0001', 'E2,C1,order_paid,2026-06-02T08:00:00Z,199元,0002'].join('\n');
    expect((await api.post('/api/v1/imports/events', { text })).body).toMatchObject({ accepted: 2, rejected: 0 });
    expect((await api.post('/api/v1/segments/count', { expression: 'spend_total = 1498' })).body.count).toBe(1);
  });

  it('names the file\'s column and the name it was mapped to when that name is no customer field, in either language', async () => {
    const text = 'id,a,b\nZI2,1,2\n';
    const one = await api.post('/api/v1/imports/customers', { text, columns: { a: 'nosuch', b: '' } }, { 'accept-language': 'en' });
    expect(one.body).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      detail: 'The request is not valid: the file\'s column a is mapped to nosuch, which is no customer field: declare it as a custom field first (tagbase field add, or POST /api/v1/fields), or leave the column out (tagbase import … -c a=, or "columns": {"a": ""} over the API)',
    });
    const zh = await api.post('/api/v1/imports/customers', { text, columns: { a: 'nosuch', b: '' } }, { 'accept-language': 'zh-CN' });
    expect(zh.body.detail).toBe('请求无效：文件中的列 a 对应到 nosuch，而 nosuch 不是客户字段：请先把它声明为自定义字段（tagbase field add 或 POST /api/v1/fields），或不导入这一列（tagbase import … -c a=，或接口的 "columns": {"a": ""}）');
    const two = await api.post('/api/v1/imports/customers', { text, columns: { a: 'nosuch' } }, { 'accept-language': 'en' });
    expect(two.body.detail).toBe('The request is not valid: the file\'s columns a (mapped to nosuch), b go to no customer field: declare each as a custom field first (tagbase field add, or POST /api/v1/fields), or leave the columns out (tagbase import … -c a= -c b=, or "columns": {"a": "", "b": ""} over the API)');
    expect((await api.get('/api/v1/customers')).body.total).toBe(0);
  });

  it('refuses a column no row could be imported with before importing any of the file', async () => {
    const text = 'id,name,会员备注,custom.vip_since\nC1,张伟,,2024-01-01\nC2,李娜,老客,\n';
    const refused = await api.post('/api/v1/imports/customers', { text }, { 'accept-language': 'zh-CN' });
    expect(refused.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', detail: expect.stringContaining('文件中的列 会员备注、custom.vip_since 不是客户字段：请先把它们声明为自定义字段（tagbase field add 或 POST /api/v1/fields），或不导入这些列') });
    expect((await api.get('/api/v1/customers')).body.total).toBe(0);
    // Declared, or left out by the mapping, they are imported or skipped.
    await api.post('/api/v1/fields', { key: 'vip_since', name: '入会日期', type: 'date' });
    const imported = await api.post('/api/v1/imports/customers', { text, columns: { 会员备注: '' } });
    expect(imported.body).toMatchObject({ rows: 2, accepted: 2, rejected: 0 });
    expect((await api.get('/api/v1/customers/C1')).body).toMatchObject({ custom: { vip_since: '2024-01-01' } });
    // A JSON line has no header: a key that is no field is refused on its own line.
    const jsonl = await api.post('/api/v1/imports/customers', { format: 'jsonl', text: '{"id":"J1"}\n{"id":"J2","custom":{"hobby":"golf"}}\n' });
    expect(jsonl.body).toMatchObject({ rows: 2, accepted: 1, rejections: [{ line: 2, code: 'FIELD_NOT_FOUND' }] });
    // An assignment has four columns; a fifth refuses the file.
    await api.post('/api/v1/tags', { key: 'stage', name: '服务阶段', values: [{ key: 'pre', name: '售前' }] });
    const extra = await api.post('/api/v1/imports/assignments', { text: 'customer_id,tag,value,note\nC1,stage,pre,\n' });
    expect(extra.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', detail: expect.stringContaining('a column note that an assignment does not have (its columns are customer_id, tag, value, expires_at)') });
    expect((await api.get('/api/v1/customers/C1')).body.tags).toEqual([]);
    // An event column that is none of the importer's is a property, unless the file has that property's column too.
    const events = await api.post('/api/v1/imports/events', { text: 'id,customer_id,type,occurred_at,渠道\nE1,C1,page_view,2026-06-01T08:00:00Z,小程序\n' });
    expect(events.body).toMatchObject({ accepted: 1, columns_read_as: { 渠道: 'properties.渠道' } });
    const both = await api.post('/api/v1/imports/events', { text: 'id,customer_id,type,occurred_at,sku,properties.sku\nE2,C1,page_view,2026-06-01T08:00:00Z,A,B\n' });
    expect(both.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', detail: expect.stringContaining('a column sku that an event does not have') });
  });

  it('gives a customer one value of a single-valued tag from a file: a later row giving another is refused, naming the first', async () => {
    await api.post('/api/v1/customers', { customers: [{ id: 'C1' }, { id: 'C2' }] });
    await api.post('/api/v1/tags', { key: 'stage', name: '服务阶段', values: [{ key: 'pre', name: '售前' }, { key: 'after', name: '售后' }] });
    await api.post('/api/v1/tags', { key: 'hobby', name: '爱好', cardinality: 'multi', values: [{ key: 'golf', name: '高尔夫' }, { key: 'tea', name: '茶' }] });
    // Far enough apart that they are written in different batches of 1,000.
    const filler = Array.from({ length: 1200 }, () => 'C2,stage,pre');
    const text = ['customer_id,tag,value', 'C1,服务阶段,售前', 'C1,stage,pre', 'C1,hobby,golf', 'C1,hobby,tea', ...filler, 'C1,stage,售后'].join('\n');
    const reply = await api.post('/api/v1/imports/assignments', { text });
    expect(reply.body).toMatchObject({ rows: 1205, accepted: 1204, rejected: 1 });
    expect(reply.body.rejections).toEqual([
      {
        line: 1206,
        code: 'VALIDATION_FAILED',
        reason: 'line 2 already gives customer "C1" the value "售前" of tag "stage", which holds one value; keep one of the two rows',
        localized: expect.objectContaining({ 'zh-CN': '第 2 行已给客户「C1」打上标签「stage」的值「售前」，而这个标签只能有一个值；请只保留其中一行' }),
      },
    ]);
    const tags = ((await api.get('/api/v1/customers/C1')).body.tags as { label: string }[]).map((tag) => tag.label).sort();
    expect(tags).toEqual(['服务阶段: 售前', '爱好: 茶', '爱好: 高尔夫'].sort());
  });

  it('tells an expiry that is not a time from one that has passed or lies past the year 9999, quoting it as written', async () => {
    await api.post('/api/v1/customers', { customers: [{ id: 'C1' }] });
    await api.post('/api/v1/tags', { key: 'stage', name: '服务阶段', values: [{ key: 'pre', name: '售前' }] });
    const text = 'customer_id,tag,value,expires_at\nC1,stage,pre,明年\nC1,stage,pre,2020/1/1 8:00\nC1,stage,pre,9999-12-31T23:00:00-05:00\n';
    const reply = await api.post('/api/v1/imports/assignments', { text });
    expect((reply.body.rejections as { line: number; reason: string }[]).map((r) => [r.line, r.reason])).toEqual([
      [2, 'expires_at "明年" is not a time; write it as 2027-01-31, 2027/1/31 20:00 or 2027-01-31T12:00:00Z'],
      [3, 'expires_at "2020/1/1 8:00" has already passed; an expiry must be in the future'],
      [4, 'expires_at "9999-12-31T23:00:00-05:00" is past the year 9999; an expiry is at most 9999-12-31T23:59:59Z, or left empty for the tag\'s default'],
    ]);
    expect((await api.get('/api/v1/customers/C1')).body.tags).toEqual([]);
  });

  it('refuses a bad kind, a bad mapping, a bad body and one over the size limit', async () => {
    expect((await api.post('/api/v1/imports/orders', { text: 'id\n1' })).body.code).toBe('VALIDATION_FAILED');
    expect((await api.post('/api/v1/imports/customers', { text: '' })).body.code).toBe('VALIDATION_FAILED');
    expect((await api.post('/api/v1/imports/customers', { text: 'id\nC1', extra: 1 })).body.code).toBe('VALIDATION_FAILED');
    const twice = await api.post('/api/v1/imports/customers', { text: 'a,b\n1,2', columns: { a: 'id', b: 'id' } });
    expect(twice.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect(String(twice.body.detail)).toContain('"id"');
    expect((await api.post('/api/v1/imports/customers', { text: 'id,id\nC1,C2' })).body.code).toBe('VALIDATION_FAILED');
    // Renamed onto a column the file has already: refused, not one quietly overwriting the other.
    const onto = await api.post('/api/v1/imports/customers', { text: 'id,name\nIA4,x', columns: { name: 'id' } });
    expect(onto.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', detail: expect.stringContaining('columns "id" and "name" would both be "id"') });
    // A mapping of a column the file does not have (a typo) would leave the column it meant to its own name.
    const typo = await api.post('/api/v1/imports/customers', { text: '编号,手机号码\nIA5,13800138000', columns: { 手机号: 'phone' } }, { 'accept-language': 'zh-CN' });
    expect(typo.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', detail: '请求无效：文件中没有要改名的列「手机号」（文件的列：编号、手机号码）' });
    const big = await api.post('/api/v1/imports/customers', { text: `id\n${'C1\n'.repeat(6_000_000)}` });
    expect(big.status).toBe(413);
    expect(big.body.code).toBe('BODY_TOO_LARGE');
    expect((await api.get('/api/v1/customers')).body.total).toBe(0);
  });

  it('leaves masked identifiers of an export alone, importing the rest of the row, and says how many', async () => {
    await api.post('/api/v1/imports/customers', { text: 'id,name,phone,email\nM1,甲,13212342308,zhang@example.com\nM2,乙,13900001111,zoe@example.com\n' });
    const reply = await api.post('/api/v1/imports/customers', { text: '编号,姓名,手机,邮箱\nM1,甲一,132****2308,z***@example.com\nM2,乙二,139****1111,z***@example.com\n' });
    expect(reply.body).toMatchObject({ accepted: 2, rejected: 0, rejections: [], masked_identifiers: 4 });
    const m1 = (await api.get('/api/v1/customers/M1')).body;
    expect(m1.name).toBe('甲一');
    expect((m1.identities as { value: string }[]).map((identity) => identity.value).sort()).toEqual(['13212342308', 'zhang@example.com']);
    // Other kinds have no such count.
    expect((await api.post('/api/v1/imports/events', { text: 'customer_id,type,occurred_at\nM1,app_opened,2026-01-01\n' })).body).not.toHaveProperty('masked_identifiers');
  });

  it('names an expiry by the column the file heads it with', async () => {
    await api.post('/api/v1/customers', { customers: [{ id: 'C1' }] });
    await api.post('/api/v1/tags', { key: 'stage', name: '服务阶段', values: [{ key: 'pre', name: '售前' }] });
    const text = '客户,标签,标签值,过期时间\nC1,stage,pre,2020-01-01\nC1,stage,pre,明天\n';
    const reply = await api.post('/api/v1/imports/assignments', { text }, { 'accept-language': 'zh-CN' });
    expect((reply.body.rejections as { line: number; reason: string; localized: { en: string } }[]).map((r) => [r.line, r.reason, r.localized.en])).toEqual([
      [2, '过期时间「2020-01-01」已经过去；到期时间须在将来', '过期时间 "2020-01-01" has already passed; an expiry must be in the future'],
      [3, '过期时间「明天」不是时间；请写成 2027-01-31、2027/1/31 20:00 或 2027-01-31T12:00:00Z', '过期时间 "明天" is not a time; write it as 2027-01-31, 2027/1/31 20:00 or 2027-01-31T12:00:00Z'],
    ]);
    // A JSON line's expiry that is no text, by the line's own key.
    const jsonl = await api.post('/api/v1/imports/assignments', { text: JSON.stringify({ customer_id: 'C1', tag: 'stage', value: 'pre', expires_at: 5 }), format: 'jsonl' });
    expect(jsonl.body.rejections).toEqual([expect.objectContaining({ reason: 'expires_at "5" is not a time; write it as 2027-01-31, 2027/1/31 20:00 or 2027-01-31T12:00:00Z' })]);
  });

  it('quotes a time more than a day ahead as the file wrote it, under its column', async () => {
    const events = await api.post('/api/v1/imports/events', { text: '客户,事件,时间\nC1,app_opened,2099-01-01\n' }, { 'accept-language': 'zh-CN' });
    expect(events.body).toMatchObject({ accepted: 0, rejected: 1, zoneless_times: 0 });
    expect(events.body.rejections).toEqual([
      { line: 2, code: 'VALIDATION_FAILED', reason: '时间「2099-01-01」比服务器时钟超前一天以上', localized: { en: '时间 "2099-01-01" is more than a day ahead of the server\'s clock', 'zh-CN': '时间「2099-01-01」比服务器时钟超前一天以上' } },
    ]);
    // A customer's first visit likewise, imported or sent.
    const customers = await api.post('/api/v1/imports/customers', { text: '编号,注册时间\nA1,2099-01-01\nA2,2026-06-16 09:00\n' }, { 'accept-language': 'zh-CN' });
    expect(customers.body).toMatchObject({ accepted: 1, rejected: 1, zoneless_times: 1 });
    expect(customers.body.rejections).toEqual([expect.objectContaining({ line: 2, reason: '注册时间「2099-01-01」比服务器时钟超前一天以上' })]);
    const sent = await api.post('/api/v1/customers', { customers: [{ id: 'A3', first_seen_at: '2099-01-01T00:00:00Z' }] }, { 'accept-language': 'zh-CN' });
    expect(sent.body).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(JSON.stringify(sent.body)).toContain('first_seen_at：比服务器时钟超前一天以上');
    expect((await api.get('/api/v1/customers/A3')).status).toBe(404);
    expect((await api.post('/api/v1/customers', { customers: [{ id: 'A4', first_seen_at: '2026-06-16T09:00:00Z' }] })).status).toBe(200);
    expect((await api.get('/api/v1/customers/A4')).body.first_seen_at).toBe('2026-06-16T09:00:00.000Z');
  });

  it('counts times without a zone in the rows that landed only, and says how many events were there already', async () => {
    const text = 'id,customer_id,type,occurred_at\nE1,C1,app_opened,2026/5/1 9:30\nE2,C1,Bad Type,2026/5/1 9:31\nE3,C1,app_opened,2099/1/1 9:30\n';
    expect((await api.post('/api/v1/imports/events', { text })).body).toMatchObject({ accepted: 1, rejected: 2, zoneless_times: 1, duplicates: 0 });
    expect((await api.post('/api/v1/imports/events', { text })).body).toMatchObject({ accepted: 1, rejected: 2, zoneless_times: 1, duplicates: 1 });
    const assignments = await api.post('/api/v1/imports/assignments', { text: 'customer_id,tag,value,expires_at\nC1,nosuch,x,2099/12/31 8:00\n' });
    expect(assignments.body).toMatchObject({ accepted: 0, rejected: 1, zoneless_times: 0 });
  });
});
