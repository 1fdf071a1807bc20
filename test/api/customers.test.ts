import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { useServer } from './support.js';

forEachStore('API: customers and events', (h) => {
  const api = useServer(h);

  it('answers the health check', async () => {
    const reply = await api.get('/healthz');
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ status: 'ok', store: h.kind });
  });

  it('upserts customers and returns the portrait', async () => {
    const upsert = await api.post('/api/v1/customers', {
      customers: [{ id: 'C1', name: '张伟', gender: '男', city: '广州', identities: [{ kind: 'phone', value: '13800138000' }] }],
    });
    expect(upsert).toMatchObject({ status: 200, body: { received: 1, created: 1, updated: 0 } });
    const portrait = await api.get('/api/v1/customers/C1');
    expect(portrait.status).toBe(200);
    expect(portrait.body).toMatchObject({ id: 'C1', name: '张伟', gender: 'male', city: '广州', tags: [], recent_events: [], recent_history: [] });
    const found = await api.get('/api/v1/customers/lookup?kind=phone&value=%2B86%20138%200013%208000');
    expect(found.body).toMatchObject({ id: 'C1' });
    // A value that cannot be a phone or an email is refused as such, not looked for.
    const notPhone = await api.get('/api/v1/customers/lookup?kind=phone&value=abc');
    expect([notPhone.status, notPhone.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(notPhone.body.detail).toContain('"abc" is not a valid phone');
    expect((await api.get('/api/v1/customers/lookup?kind=email&value=nobody', { 'accept-language': 'zh-CN' })).body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', detail: expect.stringContaining('「nobody」不是有效的邮箱') });
    expect((await api.get('/api/v1/customers/lookup?kind=phone&value=13900000000')).body.code).toBe('CUSTOMER_NOT_FOUND');
    const listed = await api.get(`/api/v1/customers?q=${encodeURIComponent('张')}`);
    expect(listed.body).toMatchObject({ total: 1 });
  });

  it('shows each customer its random_bucket, splits a segment by it and refuses it written', async () => {
    await api.post('/api/v1/customers', { customers: Array.from({ length: 40 }, (_, i) => ({ id: `R${i}`, city: '广州' })) });
    const listed = (await api.get('/api/v1/customers?limit=40')).body.items as { id: string; random_bucket: number }[];
    const buckets = new Map(listed.map((customer) => [customer.id, customer.random_bucket]));
    expect([...buckets.values()].every((bucket) => Number.isInteger(bucket) && bucket >= 0 && bucket < 100)).toBe(true);
    expect((await api.get('/api/v1/customers/R3')).body.random_bucket).toBe(buckets.get('R3'));
    // A 25 % holdout and the rest, and the members of each, sorted by it.
    await api.post('/api/v1/segments', { key: 'gz', name: '广州客户', expression: 'city = "广州"' });
    const holdout = (await api.post('/api/v1/segments/preview?limit=40&sort=random_bucket', { expression: 'segment("gz") and random_bucket < 25' })).body as { total: number; items: { id: string }[] };
    const rest = (await api.post('/api/v1/segments/preview?limit=40&sort=-随机分组号', { expression: 'segment("gz") and random_bucket >= 25' })).body as { total: number; items: { id: string }[] };
    expect(holdout.total + rest.total).toBe(40);
    expect(holdout.items.map((item) => item.id).sort()).toEqual([...buckets].filter(([, bucket]) => bucket < 25).map(([id]) => id).sort());
    const inOrder = (items: { id: string }[]) => items.map((item) => buckets.get(item.id) ?? -1);
    expect(inOrder(holdout.items)).toEqual([...inOrder(holdout.items)].sort((a, b) => a - b));
    expect(inOrder(rest.items)).toEqual([...inOrder(rest.items)].sort((a, b) => b - a));
    // Read-only, beside id and under custom, in both languages; and a file sending it to a field is refused before any row.
    const beside = await api.post('/api/v1/customers', { customers: [{ id: 'R1', random_bucket: 7 }] }, { 'accept-language': 'zh-CN' });
    expect(beside.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', errors: [{ path: 'random_bucket', pointer: '#/customers/0/random_bucket', message: expect.stringContaining('由系统为每位客户计算，不能写入') }] });
    const custom = await api.post('/api/v1/customers', { customers: [{ id: 'R1', custom: { random_bucket: 7 } }] });
    expect(custom.body).toMatchObject({ status: 400, errors: [{ code: 'FIELD_NOT_FOUND', message: expect.stringContaining('is computed by tagbase for every customer and cannot be written') }] });
    const underCustom = await api.post('/api/v1/imports/customers', { text: 'id,city,custom.random_bucket\nR1,深圳,7\n' });
    expect(underCustom.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', detail: expect.stringContaining('the file has a column custom.random_bucket that tagbase computes for every customer and no import writes') });
    const mapped = await api.post('/api/v1/imports/customers', { text: 'id,city,分组\nR1,深圳,7\n', columns: { 分组: 'random_bucket' } });
    expect(mapped.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', detail: expect.stringContaining('that tagbase computes for every customer and no import writes') });
    expect((await api.post('/api/v1/fields', { key: 'random_bucket', name: '分组', type: 'number' })).body).toMatchObject({ status: 409, code: 'FIELD_EXISTS' });
    expect((await api.get('/api/v1/customers/R1')).body).toMatchObject({ city: '广州', random_bucket: buckets.get('R1') });
    // The column as an export of customers writes it (随机分组号, Random bucket, random_bucket) is left out, saying so, so that the file imports again.
    const exported = await api.post('/api/v1/imports/customers', { text: 'id,city,随机分组号\nR1,深圳,7\n' });
    expect(exported.body).toMatchObject({ accepted: 1, rejected: 0, columns_left_out: ['随机分组号'] });
    expect((await api.post('/api/v1/imports/customers', { text: 'id,Random bucket\nR1,7\n' })).body).toMatchObject({ accepted: 1, columns_left_out: ['Random bucket'] });
    // So are the reachability columns an export writes (有手机号, Has e-mail, has_wechat …), while sending one to a field is still refused.
    expect((await api.post('/api/v1/imports/customers', { text: 'id,有手机号,Has e-mail,has_wechat,有会员卡号\nR1,是,no,false,否\n' })).body).toMatchObject({ accepted: 1, columns_left_out: ['有手机号', 'Has e-mail', 'has_wechat', '有会员卡号'] });
    expect((await api.get('/api/v1/customers/R1')).body).toMatchObject({ has_phone: false, has_email: false, has_wechat: false, has_member_card: false });
    const reachMapped = await api.post('/api/v1/imports/customers', { text: 'id,手机在\nR1,是\n', columns: { 手机在: 'has_phone' } });
    expect(reachMapped.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', detail: expect.stringContaining('that tagbase computes for every customer and no import writes') });
    expect((await api.get('/api/v1/customers/R1')).body).toMatchObject({ city: '深圳', random_bucket: buckets.get('R1') });
  });

  it('answers the portrait as JSON, with its page sizes, and shows a write at the next read', async () => {
    await api.post('/api/v1/customers', { customers: [{ id: 'C1', name: '张伟', city: '广州' }] });
    await api.post('/api/v1/tags', { key: 'stage', name: '服务阶段', values: [{ key: 'pre', name: '售前' }] });
    await api.post('/api/v1/customers/C1/tags', { tag: 'stage', value: 'pre' });
    const portrait = await api.get('/api/v1/customers/C1');
    expect(portrait.contentType).toBe('application/json; charset=utf-8');
    expect(portrait.headers['content-length']).toBe(String(Buffer.byteLength(portrait.text)));
    expect(portrait.text).toBe(JSON.stringify(portrait.body));
    expect(portrait.body).toMatchObject({ city: '广州', tags: [{ label: '服务阶段: 售前' }] });
    expect((await api.get('/api/v1/customers/C1?events=0&history=1')).body.recent_history).toHaveLength(1);
    expect((await api.get('/api/v1/customers/C1?events=501')).body.code).toBe('VALIDATION_FAILED');
    await api.patch('/api/v1/tags/stage', { name: '阶段' });
    await api.post('/api/v1/customers', { customers: [{ id: 'C1', city: '深圳' }] });
    expect((await api.get('/api/v1/customers/C1')).body).toMatchObject({ city: '深圳', tags: [{ label: '阶段: 售前' }] });
    expect((await api.get(`/api/v1/customers/${'x'.repeat(128)}`)).body.code).toBe('CUSTOMER_NOT_FOUND');
    expect((await api.get(`/api/v1/customers/${'x'.repeat(129)}`)).body.code).toBe('VALIDATION_FAILED');
    expect((await api.get(`/api/v1/customers/${encodeURIComponent('张'.repeat(128))}`)).body.code).toBe('CUSTOMER_NOT_FOUND');
    // Paths the router itself cannot take are problems too, in the request's language.
    const tooLong = await api.get(`/api/v1/customers/${'x'.repeat(3000)}`, { 'accept-language': 'zh-CN' });
    expect(tooLong.contentType).toContain('application/problem+json');
    expect(tooLong.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', detail: '请求无效：路径中的某一段超过了 512 个字符（客户编号最多 128 个字符）' });
    const badEncoding = await api.get('/api/v1/customers/%E4%B8');
    expect(badEncoding.contentType).toContain('application/problem+json');
    expect(badEncoding.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', instance: '/api/v1/customers/%E4%B8' });
    expect(badEncoding.body.detail).toContain('percent-encoding');
  });

  it('places an unknown customer named in the address of tagging at the path parameter, not at an entry of a customers list the request does not have', async () => {
    await api.post('/api/v1/tags', { key: 'stage', name: '服务阶段', values: [{ key: 'pre', name: '售前' }] });
    const tagged = await api.post('/api/v1/customers/NOBODY/tags', { tag: 'stage', value: 'pre' });
    const untagged = await api.del('/api/v1/customers/NOBODY/tags/stage?value=pre');
    for (const reply of [tagged, untagged]) {
      expect(reply.status).toBe(404);
      expect(reply.body).toMatchObject({ code: 'CUSTOMER_NOT_FOUND', detail: 'Customer "NOBODY" does not exist.' });
      expect(reply.body.errors).toEqual([{ index: -1, code: 'CUSTOMER_NOT_FOUND', path: 'id', message: 'Customer "NOBODY" does not exist.' }]);
    }
    // Bulk tagging still places each unknown id at its entry of the list it sent.
    const bulk = await api.post('/api/v1/tags/stage/assign', { value: 'pre', customers: ['NOBODY'] });
    expect(bulk.body).toMatchObject({ code: 'CUSTOMER_NOT_FOUND', errors: [{ index: 0, path: 'customers', pointer: '#/customers/0' }] });
  });

  it('answers problem+json for malformed JSON, wrong types and unknown routes', async () => {
    const malformed = await api.post('/api/v1/customers', '{"customers": [', { 'content-type': 'application/json' });
    expect(malformed.status).toBe(400);
    expect(malformed.contentType).toContain('application/problem+json');
    expect(malformed.body).toMatchObject({ code: 'MALFORMED_JSON', status: 400, instance: '/api/v1/customers' });
    expect(malformed.body.type).toBe('urn:tagbase:problem:malformed-json');
    // JSON sent as another type is refused as such, and nothing is stored.
    for (const contentType of ['text/plain', 'application/xml', 'application/x-www-form-urlencoded']) {
      const other = await api.post('/api/v1/customers', '{"customers": [{"id": "QTEXT"}]}', { 'content-type': contentType });
      expect(other.body).toMatchObject({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
    }
    expect((await api.get('/api/v1/customers/QTEXT')).body.code).toBe('CUSTOMER_NOT_FOUND');

    const wrongType = await api.post('/api/v1/customers', { customers: [{ id: 'C1' }, { id: 'C2', birthday: 19900517 }] });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.code).toBe('VALIDATION_FAILED');
    expect(wrongType.body.errors?.[0]).toMatchObject({ index: 1, path: 'birthday' });
    expect((await api.get('/api/v1/customers')).body).toMatchObject({ total: 0 });

    // JSON is UTF-8: a body from a GBK system (张伟 as D5 C5 CE B0) is refused rather than stored as 「��ΰ」,
    // and so is a body labelled with another charset; UTF-8 said in any of its spellings is read.
    const gbk = Buffer.concat([Buffer.from('{"customers": [{"id": "QGBK", "name": "'), Buffer.from([0xd5, 0xc5, 0xce, 0xb0]), Buffer.from('"}]}')]);
    const notUtf8 = await api.post('/api/v1/customers', gbk, { 'content-type': 'application/json' });
    expect(notUtf8.body).toMatchObject({ status: 400, code: 'MALFORMED_JSON' });
    expect(notUtf8.body.detail).toContain('byte 0xD5 at offset 39 is not UTF-8');
    const inChinese = await api.post('/api/v1/customers', gbk, { 'content-type': 'application/json', 'accept-language': 'zh-CN' });
    expect(inChinese.body.detail).toContain('JSON 只按 UTF-8 读取');
    const labelled = await api.post('/api/v1/customers', gbk, { 'content-type': 'application/json; charset=GBK' });
    expect(labelled.body).toMatchObject({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
    expect(labelled.body.detail).toContain('convert the body from gbk to UTF-8');
    expect((await api.get('/api/v1/customers/QGBK')).body.code).toBe('CUSTOMER_NOT_FOUND');
    for (const contentType of ['application/json; charset=UTF-8', 'application/json;charset="utf8"']) {
      expect((await api.post('/api/v1/customers', '{"customers": [{"id": "QUTF8", "name": "张伟"}]}', { 'content-type': contentType })).body).toMatchObject({ received: 1 });
    }
    expect((await api.get('/api/v1/customers/QUTF8')).body.name).toBe('张伟');
    // So is a query percent-encoded from GBK, which a search would otherwise take as the text 「%D5%C5」 and find nobody.
    const gbkQuery = await api.get('/api/v1/customers?q=%D5%C5');
    expect(gbkQuery.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect(gbkQuery.body.detail).toContain('percent-encoded bytes that are not UTF-8 (%D5%C5)');
    expect((await api.get('/api/v1/customers/lookup?kind=platform_nick&value=%D5%C5', { 'accept-language': 'zh-CN' })).body.detail).toContain('查询参数中的百分号编码不是 UTF-8');
    expect((await api.get('/api/v1/customers?q=%E5%BC%A0')).body).toMatchObject({ total: 1 });
    expect((await api.get('/api/v1/customers?q=50%')).status).toBe(200);

    // No body is said to be missing; a JSON null is a body, of the wrong kind.
    expect((await api.call('POST', '/api/v1/events')).body.detail).toBe('The request is not valid: the request has no body; this call takes a JSON object');
    expect((await api.post('/api/v1/events', '', { 'content-type': 'application/json' })).body.detail).toBe('The request is not valid: the request has no body; this call takes a JSON object');
    expect((await api.post('/api/v1/events', 'null', { 'content-type': 'application/json' })).body).toMatchObject({ code: 'VALIDATION_FAILED', detail: 'The request is not valid: body: expected an object, got null' });

    const unknown = await api.get('/api/v1/nothing-here');
    expect(unknown).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
    // An address that is there, called with a method it does not take: 405, naming the ones it does.
    const wrongMethod = await api.call('PUT', '/api/v1/customers', { customers: [] });
    expect(wrongMethod).toMatchObject({ status: 405, body: { code: 'METHOD_NOT_ALLOWED', detail: '/api/v1/customers does not take PUT; it takes GET, HEAD, POST.' } });
    expect(wrongMethod.headers.allow).toBe('GET, HEAD, POST');
    // In Chinese, the methods listed as Chinese lists are; the Allow header keeps HTTP's commas.
    expect((await api.call('PUT', '/api/v1/customers', { customers: [] }, { 'accept-language': 'zh-CN' })).body.detail).toBe('/api/v1/customers 不接受 PUT，可用的方法：GET、HEAD、POST。');
    const chineseMethod = await api.call('PATCH', '/api/v1/customers/C1/tags?value=x', { tag: 'a' }, { 'accept-language': 'zh-CN' });
    expect(chineseMethod).toMatchObject({ status: 405, body: { code: 'METHOD_NOT_ALLOWED', detail: '/api/v1/customers/C1/tags 不接受 PATCH，可用的方法：POST。', instance: '/api/v1/customers/C1/tags?value=x' } });
    expect((await api.call('DELETE', '/api/v1/customers/C1/nothing')).body.code).toBe('NOT_FOUND');
    const missing = await api.get('/api/v1/customers/nobody');
    expect(missing).toMatchObject({ status: 404, body: { code: 'CUSTOMER_NOT_FOUND' } });
  });

  it('says a time sent as a number must be ISO 8601 text, and names a misnamed field as unknown', async () => {
    const numbered = await api.post('/api/v1/events', { events: [{ customer: 'C1', type: 'order_paid', occurred_at: 1767225600 }] });
    expect(numbered.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect(numbered.body.errors?.map((item) => [item.index, item.path, item.pointer, item.message])).toEqual([
      [0, 'customer_id', '#/events/0/customer_id', 'required, and missing here'],
      [0, 'occurred_at', '#/events/0/occurred_at', 'an ISO 8601 time written as text, like 2026-01-31T08:00:00Z'],
      [0, 'customer', '#/events/0/customer', 'unknown field "customer"'],
      // Its properties are checked too: an order without them is told what it lacks, each at its own place.
      [0, 'properties.order_id', '#/events/0/properties/order_id', 'required, and missing here'],
      [0, 'properties.amount', '#/events/0/properties/amount', 'required, and missing here'],
    ]);
    const inChinese = await api.post('/api/v1/customers', { customers: [{ id: 'C1', first_seen_at: 1767225600000 }] }, { 'accept-language': 'zh-CN' });
    expect(inChinese.body.errors).toEqual([{ index: 0, code: 'VALIDATION_FAILED', path: 'first_seen_at', pointer: '#/customers/0/first_seen_at', message: '应为文本形式的 ISO 8601 时间，如 2026-01-31T08:00:00Z' }]);
    // A time left out is still missing rather than of the wrong kind.
    expect((await api.post('/api/v1/events', { events: [{ customer_id: 'C1', type: 'app_opened' }] })).body.errors).toEqual([{ index: 0, code: 'VALIDATION_FAILED', path: 'occurred_at', pointer: '#/events/0/occurred_at', message: 'required, and missing here' }]);
    // Beside the batch, as within its items.
    for (const [path, body, key] of [
      ['/api/v1/events', { event: [{ customer_id: 'C1', type: 'order_paid', occurred_at: '2026-01-31T08:00:00Z' }] }, 'event'],
      ['/api/v1/customers', { customers: [{ id: 'C1' }], customer: { id: 'C2' } }, 'customer'],
    ] as const) {
      expect((await api.post(path, body)).body.errors, path).toContainEqual({ index: -1, code: 'VALIDATION_FAILED', path: key, pointer: `#/${key}`, message: `unknown field "${key}"` });
    }
    expect((await api.get('/api/v1/customers')).body).toMatchObject({ total: 0 });
  });

  it('refuses an unknown workspace and a malformed one', async () => {
    expect((await api.get('/api/v1/customers', { 'x-tagbase-workspace': 'nope' })).body.code).toBe('WORKSPACE_NOT_FOUND');
    expect((await api.get('/api/v1/customers', { 'x-tagbase-workspace': 'a b' })).body.code).toBe('INVALID_WORKSPACE');
  });

  it('rejects duplicate identities with 400 and item errors, storing nothing', async () => {
    await api.post('/api/v1/customers', { customers: [{ id: 'C1', identities: [{ kind: 'email', value: 'a@b.cn' }] }] });
    const reply = await api.post('/api/v1/customers', { customers: [{ id: 'C2' }, { id: 'C3', identities: [{ kind: 'email', value: 'A@B.CN' }] }] });
    expect(reply.status).toBe(400);
    expect(reply.body.errors?.[0]).toMatchObject({ index: 1, code: 'IDENTITY_CONFLICT' });
    expect(reply.body.detail).toMatch(/^The request is not valid: 1 problem in the batch; nothing was stored\. item 1 identities\.0: /);
    expect((await api.get('/api/v1/customers/C2')).status).toBe(404);
  });

  it('refuses oversize batches and bodies', async () => {
    const tooMany = await api.post('/api/v1/events', {
      events: Array.from({ length: 10_001 }, (_, i) => ({ id: `E${i}`, customer_id: 'C1', type: 'app_opened', occurred_at: '2026-06-01T00:00:00Z' })),
    });
    expect(tooMany).toMatchObject({ status: 413, body: { code: 'BATCH_TOO_LARGE' } });
    const huge = await api.post('/api/v1/tags', { key: 'x', name: 'x'.repeat(2_000_000), values: [{ key: 'a', name: 'a' }] });
    expect(huge).toMatchObject({ status: 413, body: { code: 'BODY_TOO_LARGE', detail: 'The request body exceeds 1 MB (1,048,576 bytes), the most this call takes.' } });
    const chinese = await api.post('/api/v1/tags', { key: 'x', name: 'x'.repeat(2_000_000), values: [{ key: 'a', name: 'a' }] }, { 'accept-language': 'zh-CN' });
    expect(chinese.body.detail).toBe('请求体超过了本接口接受的上限 1 MB（1,048,576 字节）。');
  });

  it('ingests events idempotently and shows them in the portrait', async () => {
    const events = [
      { id: 'E1', customer_id: 'C7', type: 'order_paid', occurred_at: '2026-06-01T08:00:00Z', properties: { order_id: 'O1', amount: 299, channel: 'offline' } },
      { id: 'E2', customer_id: 'C7', type: 'cart_added', occurred_at: '2026-06-02T08:00:00Z', properties: { sku: 'S1' } },
    ];
    expect((await api.post('/api/v1/events', { events })).body).toMatchObject({ received: 2, stored: 2, customers_created: 1 });
    expect((await api.post('/api/v1/events', { events })).body).toMatchObject({ received: 2, stored: 0, duplicates: 2 });
    const portrait = await api.get('/api/v1/customers/C7');
    expect((portrait.body.recent_events as { id: string }[]).map((e) => e.id)).toEqual(['E2', 'E1']);
    const bad = await api.post('/api/v1/events', { events: [{ id: 'E3', customer_id: 'C7', type: 'order_paid', occurred_at: '2026-06-01T08:00:00Z', properties: { amount: 'lots' } }] });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.map((e) => e.code)).toContain('EVENT_PROPERTIES_INVALID');
    // An event more than a day ahead of the server's clock is a wrong date; within the day, a drifting till's clock.
    const at = (hours: number) => new Date(h.clock.now().getTime() + hours * 3_600_000).toISOString();
    const ahead = await api.post('/api/v1/events', { events: [{ id: 'E9', customer_id: 'C7', type: 'app_opened', occurred_at: at(25), properties: {} }] });
    expect(ahead.body).toMatchObject({ status: 400, errors: [{ index: 0, code: 'VALIDATION_FAILED', path: 'occurred_at', message: expect.stringContaining('more than a day ahead') }] });
    expect((await api.post('/api/v1/events', { events: [{ id: 'E10', customer_id: 'C7', type: 'app_opened', occurred_at: at(2), properties: {} }] })).body).toMatchObject({ stored: 1 });
    // An event wrong in its properties and its time is told both at once.
    const twice = await api.post('/api/v1/events', { events: [{ id: 'E12', customer_id: 'C7', type: 'order_paid', occurred_at: at(48), properties: { amount: 'lots' } }] });
    expect(twice.body.errors?.map((e) => [e.index, e.code, e.path])).toEqual([
      [0, 'EVENT_PROPERTIES_INVALID', 'properties.order_id'],
      [0, 'EVENT_PROPERTIES_INVALID', 'properties.amount'],
      [0, 'VALIDATION_FAILED', 'occurred_at'],
    ]);
    // An event the schema refuses still has its properties checked, and the other events are checked too.
    const across = await api.post('/api/v1/events', {
      events: [
        { customer_id: 'bad id', type: 'order_paid', occurred_at: at(2), properties: { order_id: 'O9', amount: 'lots' } },
        { customer_id: 'C7', type: 'order_paid', occurred_at: 'yesterday', properties: { order_id: 'O9', amount: -1 } },
        { id: 'E13', customer_id: 'C7', type: 'app_opened', occurred_at: at(2) },
      ],
    });
    expect(across.body.errors?.map((e) => [e.index, e.code, e.path, e.pointer])).toEqual([
      [0, 'VALIDATION_FAILED', 'customer_id', '#/events/0/customer_id'],
      [0, 'EVENT_PROPERTIES_INVALID', 'properties.amount', '#/events/0/properties/amount'],
      [1, 'VALIDATION_FAILED', 'occurred_at', '#/events/1/occurred_at'],
      [1, 'EVENT_PROPERTIES_INVALID', 'properties.amount', '#/events/1/properties/amount'],
    ]);
    // The message says what is wrong; where, the path says, and the detail says both.
    expect(across.body.errors?.[1]?.message).not.toMatch(/amount/);
    expect(across.body.detail).toMatch(/^The request is not valid: 4 problems in the batch; nothing was stored\. item 0 customer_id: .*; item 0 properties\.amount: expected a number/);
    expect(((await api.get('/api/v1/customers/C7')).body.recent_events as { id: string }[]).map((event) => event.id)).not.toContain('E13');
    // A time as PostgreSQL writes a timestamptz (an offset of hours alone) is read with its zone.
    expect((await api.post('/api/v1/events', { events: [{ id: 'E11', customer_id: 'C7', type: 'app_opened', occurred_at: '2026-06-03 16:00:00+08' }] })).body).toMatchObject({ stored: 1 });
    const opened = ((await api.get('/api/v1/customers/C7')).body.recent_events as { id: string; occurred_at: string }[]).find((event) => event.id === 'E11');
    expect(opened?.occurred_at).toBe('2026-06-03T08:00:00.000Z');
    // Properties nested thousands deep fit in a few kilobytes: refused as bad input, now or accepted for later.
    // Under an Idempotency-Key too, however deep: 100,000 levels, deeper than JSON.stringify goes, were a 500 there.
    for (const depth of [5000, 100_000]) {
      const deep = `{"events":[{"customer_id":"C7","type":"page_viewed","occurred_at":"2026-06-01T08:00:00Z","properties":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}]}`;
      for (const prefer of [{}, { prefer: 'respond-async' }, { 'idempotency-key': `deep-${depth}` }, { prefer: 'respond-async', 'idempotency-key': `deep-async-${depth}` }] as Record<string, string>[]) {
        const refused = await api.post('/api/v1/events', deep, { 'content-type': 'application/json', ...prefer });
        expect(refused.status).toBe(400);
        expect(refused.body.errors).toEqual([{ index: 0, code: 'EVENT_PROPERTIES_INVALID', path: 'properties', pointer: '#/events/0/properties', message: 'properties nest more than 32 levels deep' }]);
      }
    }
  });

  it('refuses events and first-seen times before 1970 and birthdays before 1900, naming the year, in either language', async () => {
    await api.post('/api/v1/customers', { customers: [{ id: 'Y1', first_seen_at: '2026-05-01T00:00:00Z' }] });
    const events = [
      { customer_id: 'Y1', type: 'app_opened', occurred_at: '2026-06-01T08:00:00Z' },
      { customer_id: 'Y1', type: 'app_opened', occurred_at: '0226-11-20T08:00:00Z' },
      { customer_id: 'Y1', type: 'app_opened', occurred_at: '1800-01-01' },
      { customer_id: 'Y1', type: 'app_opened', occurred_at: '0050-01-01T00:00:00Z' },
    ];
    const refused = await api.post('/api/v1/events', { events });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([
      expect.objectContaining({ index: 1, code: 'VALIDATION_FAILED', path: 'occurred_at', message: 'year 0226 is before 1970: a time is 1970-01-01 or later' }),
      expect.objectContaining({ index: 2, code: 'VALIDATION_FAILED', path: 'occurred_at', message: 'year 1800 is before 1970: a time is 1970-01-01 or later' }),
      expect.objectContaining({ index: 3, code: 'VALIDATION_FAILED', path: 'occurred_at', message: 'year 0050 is before 1970: a time is 1970-01-01 or later' }),
    ]);
    const chinese = await api.post('/api/v1/events', { events: events.slice(1, 2) }, { 'accept-language': 'zh-CN' });
    expect(chinese.body.errors).toEqual([expect.objectContaining({ index: 0, message: '年份 0226 早于 1970 年：时间须在 1970-01-01 或之后' })]);
    // Nothing of it moved the customer's first-seen time.
    expect((await api.get('/api/v1/customers/Y1')).body).toMatchObject({ first_seen_at: '2026-05-01T00:00:00.000Z' });
    const birthday = await api.post('/api/v1/customers', { customers: [{ id: 'Y2', birthday: '0500-01-01' }] });
    expect(birthday.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', detail: expect.stringContaining('year 0500 is before 1900: a birthday is 1900-01-01 or later') });
    const firstSeen = await api.post('/api/v1/customers', { customers: [{ id: 'Y2', first_seen_at: '1800-01-01T00:00:00Z' }] }, { 'accept-language': 'zh-CN' });
    expect(firstSeen.body).toMatchObject({ status: 400, detail: expect.stringContaining('年份 1800 早于 1970 年：时间须在 1970-01-01 或之后') });
    expect((await api.get('/api/v1/customers/Y2')).status).toBe(404);
  });

  it('refuses an event\'s and a first-seen time at hour 24 or with an offset no zone has', async () => {
    h.clock.set('2026-12-05T00:00:00Z');
    await api.post('/api/v1/customers', { customers: [{ id: 'Z1' }] });
    const times = ['2026-12-01T24:00:00Z', '2026-12-01T10:00:00+14:01', '2026-12-01T10:00:00-12:30'];
    const events = await api.post('/api/v1/events', { events: times.map((occurred_at) => ({ customer_id: 'Z1', type: 'app_opened', occurred_at })) });
    expect(events.status).toBe(400);
    expect(events.body.errors).toEqual(times.map((_, index) => expect.objectContaining({ index, code: 'VALIDATION_FAILED', path: 'occurred_at' })));
    for (const first_seen_at of times) {
      expect((await api.post('/api/v1/customers', { customers: [{ id: 'Z2', first_seen_at }] })).body, first_seen_at).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    }
    expect((await api.get('/api/v1/customers/Z2')).status).toBe(404);
    // The zones at either end of the world are times.
    expect((await api.post('/api/v1/customers', { customers: [{ id: 'Z3', first_seen_at: '2026-12-01T10:00:00+14:00' }] })).status).toBe(200);
    expect((await api.get('/api/v1/customers/Z3')).body).toMatchObject({ first_seen_at: '2026-11-30T20:00:00.000Z' });
  });

  it('reads an event\'s and a first-seen time without an offset on the workspace\'s clock, a date alone as that day\'s start, and one with Z or an offset as written', async () => {
    h.clock.set('2026-12-05T00:00:00Z');
    expect((await api.patch('/api/v1/workspace', { utc_offset_minutes: 480 })).status).toBe(200);
    const written = ['2026-12-01', '2026-12-01T10:00:00', '2026-12-01 10:00', '2026-12-01T10:00:00Z', '2026-12-01T10:00:00-05:00'];
    const read = ['2026-11-30T16:00:00.000Z', '2026-12-01T02:00:00.000Z', '2026-12-01T02:00:00.000Z', '2026-12-01T10:00:00.000Z', '2026-12-01T15:00:00.000Z'];
    // Applied now, under an Idempotency-Key, and accepted into the journal to be applied after the answer.
    const ways: Record<string, string>[] = [{}, { 'idempotency-key': 'zoneless-times' }, { prefer: 'respond-async' }];
    for (const [way, headers] of ways.entries()) {
      const events = written.map((occurred_at, k) => ({ id: `Z${way}-${k}`, customer_id: `Z${way}-${k}`, type: 'app_opened', occurred_at }));
      const answer = await api.post('/api/v1/events', { events }, headers);
      expect(answer.status).toBe(headers.prefer === undefined ? 200 : 202);
      // An accepted batch is applied right after the answer: asked after until it has been.
      for (let attempt = 0; answer.status === 202 && attempt < 1000; attempt++) {
        if ((await api.get(String(answer.headers.location))).body.status === 'applied') break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
    const occurredAt = async (id: string) => ((await api.get(`/api/v1/customers/${id}`)).body.recent_events as { occurred_at: string }[])[0]?.occurred_at;
    for (const way of ways.keys()) expect(await Promise.all(written.map((_, k) => occurredAt(`Z${way}-${k}`)))).toEqual(read);
    // The customer the event made was first seen then, on the workspace's clock as well.
    expect((await api.get('/api/v1/customers/Z0-0')).body.first_seen_at).toBe('2026-11-30T16:00:00.000Z');
    const customers = written.map((first_seen_at, k) => ({ id: `F${k}`, first_seen_at }));
    expect((await api.post('/api/v1/customers', { customers })).body).toMatchObject({ created: written.length });
    const firstSeen = await Promise.all(customers.map(async ({ id }) => (await api.get(`/api/v1/customers/${id}`)).body.first_seen_at as string));
    expect(firstSeen).toEqual(read);
    // 1970-01-01 began at 1969-12-31T16:00Z in China: before the earliest time kept, refused as such.
    const early = await api.post('/api/v1/events', { events: [{ customer_id: 'F0', type: 'app_opened', occurred_at: '1970-01-01' }] });
    expect(early.body).toMatchObject({ status: 400, errors: [{ index: 0, code: 'VALIDATION_FAILED', path: 'occurred_at', message: 'a time is 1970-01-01T00:00:00Z or later' }] });
    const earlyCustomer = await api.post('/api/v1/customers', { customers: [{ id: 'F9', first_seen_at: '1970-01-01T05:00' }] }, { 'accept-language': 'zh-CN' });
    expect(earlyCustomer.body).toMatchObject({ status: 400, errors: [{ index: 0, path: 'first_seen_at', message: '时间须在 1970-01-01T00:00:00Z 或之后' }] });
    // More than a day ahead as the workspace's clock reads it: 2026-12-06T10:00 there is 02:00Z, a day and two hours on.
    const ahead = await api.post('/api/v1/events', { events: [{ customer_id: 'F0', type: 'app_opened', occurred_at: '2026-12-06T10:00' }] });
    expect(ahead.body).toMatchObject({ status: 400, errors: [{ path: 'occurred_at', message: expect.stringContaining('more than a day ahead') }] });
    expect((await api.post('/api/v1/events', { events: [{ customer_id: 'F0', type: 'app_opened', occurred_at: '2026-12-06T07:00' }] })).body).toMatchObject({ stored: 1 });
    // A time that is none is still refused as a problem document naming its field.
    for (const [path, body] of [['occurred_at', { events: [{ customer_id: 'F0', type: 'app_opened', occurred_at: '2026-12-01T25:00' }] }], ['first_seen_at', { customers: [{ id: 'F0', first_seen_at: '2026/12/01' }] }]] as const) {
      const refused = await api.post(path === 'occurred_at' ? '/api/v1/events' : '/api/v1/customers', body);
      expect(refused.status).toBe(400);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(refused.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ index: 0, path }] });
    }
  });

  it('tells every problem of every customer of a batch in one answer, those of its schema, its custom fields and its identities, and stores nothing', async () => {
    await api.post('/api/v1/fields', { key: 'shoe_size', name: '鞋码', type: 'number' });
    await api.post('/api/v1/customers', { customers: [{ id: 'P1', identities: [{ kind: 'phone', value: '13800138000' }] }] });
    const batch = {
      customers: [
        { id: 'P2', gender: 'x', custom: { shoe_size: 'big', shoe: 41 }, identities: [{ kind: 'phone', value: '13800138000' }, { kind: 'email', value: 'nope' }] },
        { id: 'P3', name: '李娜', identities: [{ kind: 'phone', value: '+86 138 0013 8000' }] },
        { id: 'P4', name: '王芳' },
      ],
    };
    const reply = await api.post('/api/v1/customers', batch);
    expect(reply.status).toBe(400);
    expect(reply.contentType).toContain('application/problem+json');
    expect(reply.body.errors?.map((error) => [error.index, error.code, error.path])).toEqual([
      [0, 'VALIDATION_FAILED', 'gender'],
      [0, 'FIELD_TYPE_MISMATCH', 'custom.shoe_size'],
      [0, 'FIELD_NOT_FOUND', 'custom.shoe'],
      [0, 'VALIDATION_FAILED', 'identities.1'],
      [0, 'IDENTITY_CONFLICT', 'identities.0'],
      [1, 'IDENTITY_CONFLICT', 'identities.0'],
    ]);
    expect(reply.body.detail).toMatch(/^The request is not valid: 6 problems in the batch; nothing was stored\. /);
    for (const id of ['P2', 'P3', 'P4']) expect((await api.get(`/api/v1/customers/${id}`)).status).toBe(404);
    // Two items of the batch claiming one identity: the second hears of it, with the first's other problems.
    const twice = await api.post('/api/v1/customers', { customers: [{ id: 'P5', gender: 'x', identities: [{ kind: 'email', value: 'a@example.com' }] }, { id: 'P6', identities: [{ kind: 'email', value: 'A@example.com' }] }] });
    expect(twice.body.errors?.map((error) => [error.index, error.code, error.message])).toEqual([
      [0, 'VALIDATION_FAILED', expect.stringContaining('one of male')],
      [1, 'IDENTITY_CONFLICT', 'email "a@example.com" already belongs to customer "P5"'],
    ]);
    // The body's own shape is still refused as such.
    const shape = await api.post('/api/v1/customers', { customers: [{ id: 'P7' }], extra: 1 });
    expect(shape.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', errors: [{ index: -1, path: 'extra', message: 'unknown field "extra"' }] });
    expect((await api.post('/api/v1/customers', { customers: 'P7' })).body).toMatchObject({ status: 400, errors: [{ path: 'customers', message: 'expected a list, got text' }] });
  });

  it('refuses to declare a built-in field, saying it is built in', async () => {
    const city = await api.post('/api/v1/fields', { key: 'city', name: '所在城市', type: 'string' });
    expect(city.body).toMatchObject({ status: 409, code: 'FIELD_EXISTS', detail: 'Field "city" already exists. It is a built-in field: a customer takes it beside "id", without declaring it.' });
    const chinese = await api.post('/api/v1/fields', { key: 'birthday', name: '出生日期', type: 'date' }, { 'accept-language': 'zh-CN' });
    expect(chinese.body.detail).toBe('字段「birthday」已存在。这是内置字段：客户数据中与 "id" 并列发送即可，无需定义。');
    await api.post('/api/v1/fields', { key: 'shoe_size', name: '鞋码', type: 'number' });
    expect((await api.post('/api/v1/fields', { key: 'shoe_size', name: '尺码', type: 'number' })).body.detail).toBe('Field "shoe_size" already exists.');
  });

  it('refuses to declare a field keyed __proto__, which no JSON body can carry and an import would lose', async () => {
    const refused = await api.post('/api/v1/fields', { key: '__proto__', name: '原型', type: 'number' });
    expect(refused.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', errors: [{ path: 'key', pointer: '#/key' }] });
    const chinese = await api.post('/api/v1/fields', { key: '__proto__', name: '原型', type: 'number' }, { 'accept-language': 'zh-CN' });
    expect(chinese.body.errors?.[0]?.message).toContain('__proto__');
    expect((await api.get('/api/v1/fields')).body.items).toEqual([]);
    // Nor is a column of that name read as a field by an import, which answered it imported.
    const imported = await api.post('/api/v1/imports/customers', { text: 'id,原型\nPR1,7\n' });
    expect(imported.body).not.toMatchObject({ accepted: 1 });
  });

  it('refuses a custom date before 1900, naming the year, as a birthday is refused', async () => {
    await api.post('/api/v1/fields', { key: 'joined_on', name: '入会日期', type: 'date' });
    const early = await api.post('/api/v1/customers', { customers: [{ id: 'J1', custom: { joined_on: '0500-01-01' } }, { id: 'J2', custom: { joined_on: '1899-12-31' } }] });
    expect(early.body.errors).toEqual([
      expect.objectContaining({ index: 0, code: 'VALIDATION_FAILED', path: 'custom.joined_on', message: 'year 0500 is before 1900: a date is 1900-01-01 or later' }),
      expect.objectContaining({ index: 1, code: 'VALIDATION_FAILED', path: 'custom.joined_on', message: 'year 1899 is before 1900: a date is 1900-01-01 or later' }),
    ]);
    const chinese = await api.post('/api/v1/customers', { customers: [{ id: 'J1', custom: { joined_on: '0500-01-01' } }] }, { 'accept-language': 'zh-CN' });
    expect(chinese.body.errors).toEqual([expect.objectContaining({ message: '年份 0500 早于 1900 年：日期须在 1900-01-01 或之后' })]);
    expect((await api.post('/api/v1/customers', { customers: [{ id: 'J1', custom: { joined_on: '1900-01-01' } }] })).body).toMatchObject({ created: 1 });
  });

  it('refuses a compressed body as such, rather than as text that is not UTF-8', async () => {
    const { gzipSync } = await import('node:zlib');
    const body = gzipSync(JSON.stringify({ customers: [{ id: 'Z1' }] }));
    const gzipped = await api.post('/api/v1/customers', body, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(gzipped).toMatchObject({ status: 415, body: { code: 'UNSUPPORTED_MEDIA_TYPE', detail: 'Send JSON with Content-Type: application/json; got application/json with Content-Encoding: gzip. A body is read uncompressed only: send it without Content-Encoding.' } });
    expect(gzipped.contentType).toContain('application/problem+json');
    const chinese = await api.post('/api/v1/customers', body, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'accept-language': 'zh-CN' });
    expect(chinese.body.detail).toBe('请以 JSON 发送，并设置 Content-Type: application/json；收到的是 application/json（Content-Encoding: gzip）。请求体只按未压缩的内容读取：请不带 Content-Encoding 发送。');
    expect((await api.post('/api/v1/customers', JSON.stringify({ customers: [{ id: 'Z1' }] }), { 'content-type': 'application/json', 'content-encoding': 'identity' })).body).toMatchObject({ created: 1 });
  });

  it('places each unknown parameter and a refused cursor in errors[], and words a whole number out of range, in either language', async () => {
    const unknown = await api.get('/api/v1/customers?limt=5&ofset=2');
    expect(unknown.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', detail: 'The request is not valid: querystring limt: unknown field "limt" (and 1 more)' });
    expect(unknown.body.errors).toEqual([
      { index: -1, code: 'VALIDATION_FAILED', path: 'limt', message: 'unknown field "limt"' },
      { index: -1, code: 'VALIDATION_FAILED', path: 'ofset', message: 'unknown field "ofset"' },
    ]);
    // A call that takes no parameters at all refuses one too, rather than answering as if it were not sent.
    expect((await api.get('/api/v1/tagging/operations?limit=1')).body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', errors: [{ index: -1, path: 'limit', message: 'unknown field "limit"' }] });
    expect((await api.get('/api/v1/tagging/operations?_=1733300000000')).status).toBe(200);
    const item = await api.post('/api/v1/customers', { customers: [{ id: 'U1', nam: '张伟', citi: '北京' }] });
    expect(item.body.errors?.map((error) => [error.index, error.path, error.message])).toEqual([
      [0, 'nam', 'unknown field "nam"'],
      [0, 'citi', 'unknown field "citi"'],
    ]);
    const cursor = await api.get('/api/v1/customers?cursor=zzz', { 'accept-language': 'zh-CN' });
    expect(cursor.body).toMatchObject({ status: 400, detail: '请求无效：cursor：不是本列表给出的游标', errors: [{ index: -1, path: 'cursor', message: '不是本列表给出的游标' }] });
    await api.post('/api/v1/customers', { customers: [{ id: 'U2' }] });
    expect((await api.get('/api/v1/customers/U2/history?cursor=zzz')).body.errors).toEqual([{ index: -1, code: 'VALIDATION_FAILED', path: 'cursor', message: 'not a cursor this history handed out' }]);
    // Beyond 2^53 a whole number is told once, in words, rather than twice in zod's.
    const huge = await api.get('/api/v1/events/journal/99999999999999999999', { 'accept-language': 'zh-CN' });
    expect(huge.body.errors).toEqual([{ index: -1, code: 'VALIDATION_FAILED', path: 'batch', message: '不能大于 9007199254740991' }]);
    expect((await api.get('/api/v1/events/journal/99999999999999999999')).body.detail).toBe('The request is not valid: params batch: at most 9007199254740991');
  });

  it('tells a whole number beyond 2^53 by the call’s own bound, and a fraction by the number sent', async () => {
    // `limit` is 1–500: the bound to send is 500, not 2^53 − 1 told first and 500 after it.
    const limit = await api.get('/api/v1/customers?limit=99999999999999999999');
    expect(limit.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', detail: 'The request is not valid: querystring limit: at most 500' });
    expect(limit.body.errors).toEqual([{ index: -1, code: 'VALIDATION_FAILED', path: 'limit', message: 'at most 500' }]);
    expect((await api.get('/api/v1/customers?offset=-99999999999999999999', { 'accept-language': 'zh-CN' })).body.errors).toEqual([{ index: -1, code: 'VALIDATION_FAILED', path: 'offset', message: '不能小于 0' }]);
    const body = await api.post('/api/v1/tags', { key: 'huge', name: '大数', default_expiry_days: 1e20, values: [{ key: 'a', name: '甲' }] });
    expect(body.body.errors).toEqual([{ index: -1, code: 'VALIDATION_FAILED', path: 'default_expiry_days', pointer: '#/default_expiry_days', message: 'at most 36500' }]);
    const fraction = await api.get('/api/v1/customers?limit=1.5');
    expect(fraction.body.errors).toEqual([{ index: -1, code: 'VALIDATION_FAILED', path: 'limit', message: 'expected a whole number, got 1.5' }]);
    const chinese = await api.post('/api/v1/tags', { key: 'half', name: '半', default_expiry_days: 2.5, values: [{ key: 'a', name: '甲' }] }, { 'accept-language': 'zh-CN' });
    expect(chinese.body.errors?.[0]?.message).toBe('应为整数，收到的是 2.5');
    expect((await api.get('/api/v1/tags/huge')).status).toBe(404);
  });

  it('tells a time in the query whose offset lost its + to the address that + is a space there', async () => {
    await api.post('/api/v1/customers', { customers: [{ id: 'PLUS1' }] });
    // `?before=2026-01-01T00:00:00+08:00` unencoded arrives as `…00:00:00 08:00`.
    const reply = await api.get('/api/v1/customers/PLUS1/history?before=2026-01-01T00:00:00+08:00');
    expect(reply.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect(reply.body.errors).toEqual([{ index: -1, code: 'VALIDATION_FAILED', path: 'before', message: 'an ISO 8601 time like 2026-01-31T08:00:00Z; a "+" in the address reads as a space: write +08:00 as %2B08:00' }]);
    const chinese = await api.get('/api/v1/customers/PLUS1/history?before=2026-01-01%2010:00+0800', { 'accept-language': 'zh-CN' });
    expect(chinese.body.errors?.[0]?.message).toBe('应为形如 2026-01-31T08:00:00Z 的 ISO 8601 时间；地址中的“+”会被读作空格：请把 +0800 写成 %2B0800');
    // Encoded, the same time is read; other bad times are told as before.
    expect((await api.get('/api/v1/customers/PLUS1/history?before=2026-01-01T00:00:00%2B08:00')).status).toBe(200);
    expect((await api.get('/api/v1/customers/PLUS1/history?before=yesterday')).body.errors?.[0]?.message).toBe('an ISO 8601 time like 2026-01-31T08:00:00Z');
  });

  it('reads a number in the address only as decimal digits, and tells a parameter given twice', async () => {
    for (const written of ['0x10', '1e1', '', ' 5', 'Infinity']) {
      const reply = await api.get(`/api/v1/customers?limit=${encodeURIComponent(written)}`);
      expect(reply.body, written).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', errors: [{ index: -1, path: 'limit', message: 'a number written in digits, like 20' }] });
    }
    expect((await api.get('/api/v1/customers?limit=010')).status).toBe(200);
    const twice = await api.get('/api/v1/customers?limit=1&limit=2', { 'accept-language': 'zh-CN' });
    expect(twice.body).toMatchObject({ status: 400, detail: '请求无效：查询参数 limit：出现了 2 次，只能给一次', errors: [{ index: -1, path: 'limit', message: '出现了 2 次，只能给一次' }] });
    expect((await api.get('/api/v1/customers?q=a&q=b')).body.errors).toEqual([{ index: -1, code: 'VALIDATION_FAILED', path: 'q', message: 'given 2 times; give it once' }]);
    // A path parameter too: webhook 0x1 is not webhook 1 (an id in the path is read only as written plainly: test/api/path-ids.test.ts).
    expect((await api.get('/api/v1/webhooks/0x1/deliveries')).body.errors).toEqual([{ index: -1, code: 'VALIDATION_FAILED', path: 'webhook', message: '"0x1" is not an id: ids are written as plain whole numbers, like 42 (no sign, leading zeros, decimal point, exponent or spaces)' }]);
  });

  it('refuses a body sent to a call that reads none, but lets an empty object through', async () => {
    const refresh = await api.post('/api/v1/models/rfm/refresh', { params: { high: 3 } });
    expect(refresh.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', errors: [{ index: -1, path: 'params', pointer: '#/params', message: 'unknown field "params"' }] });
    for (const body of [{}, undefined]) expect((await api.post('/api/v1/models/rfm/refresh', body)).body.code).not.toBe('VALIDATION_FAILED');
    await api.post('/api/v1/customers', { customers: [{ id: 'B1' }] });
    expect((await api.call('DELETE', '/api/v1/customers/B1', { erase: 'everything' })).body).toMatchObject({ status: 400, errors: [{ path: 'erase' }] });
    expect((await api.get('/api/v1/customers/B1')).status).toBe(200);
  });

  it('keeps an event sent again under its id as stored: the new copy makes no customer and moves no first_seen_at', async () => {
    await api.post('/api/v1/customers', { customers: [{ id: 'D-A' }, { id: 'D-B', first_seen_at: '2026-05-01T00:00:00Z' }] });
    const first = { id: 'DUP-1', customer_id: 'D-A', type: 'app_opened', occurred_at: '2026-06-01T08:00:00Z', properties: {} };
    expect((await api.post('/api/v1/events', { events: [first] })).body).toMatchObject({ stored: 1, customers_created: 0 });
    // The same id for another customer, earlier, and for one the workspace does not have.
    const again = [
      { ...first, customer_id: 'D-B', occurred_at: '2026-01-01T08:00:00Z' },
      { ...first, customer_id: 'D-NEW' },
    ];
    for (const [events, prefer] of [[[again[0]], {}], [[again[1]], { prefer: 'respond-async' }]] as [unknown[], Record<string, string>][]) {
      const reply = await api.post('/api/v1/events', { events }, prefer);
      if (reply.status === 202) {
        // Accepted batches are applied right after the answer, by the same writer.
        let batch = await api.get(String(reply.headers.location));
        for (let attempt = 0; batch.body.status === 'pending' && attempt < 1000; attempt++) {
          await new Promise((resolve) => setTimeout(resolve, 10));
          batch = await api.get(String(reply.headers.location));
        }
        expect(batch.body).toMatchObject({ status: 'applied', result: { stored: 0, duplicates: 1, customers_created: 0 } });
      } else expect(reply.body).toMatchObject({ received: 1, stored: 0, duplicates: 1, customers_created: 0 });
      expect((await api.get('/api/v1/customers/D-NEW')).body.code).toBe('CUSTOMER_NOT_FOUND');
      expect((await api.get('/api/v1/customers/D-B')).body.first_seen_at).toBe('2026-05-01T00:00:00.000Z');
    }
  });

  it('finds customers by the pinyin of their names and by a full-width name typed plain, following renames, merges and erasures', async () => {
    await api.post('/api/v1/customers', {
      customers: [
        { id: 'C1', name: '魏桂兰' },
        { id: 'C2', name: '单田芳' },
        { id: 'C3', name: 'ＡＢＣ公司' },
        { id: 'C4', name: '王桂英' },
        { id: 'C5' },
      ],
    });
    const found = async (q: string) => {
      const reply = await api.get(`/api/v1/customers?q=${encodeURIComponent(q)}`);
      expect(reply.status).toBe(200);
      return (reply.body.items as { id: string }[]).map((item) => item.id);
    };
    expect(await found('weiguilan')).toEqual(['C1']);
    expect(await found('Wei Gui Lan')).toEqual(['C1']);
    expect(await found('wgl')).toEqual(['C1']);
    expect(await found('gl')).toEqual(['C1']);
    expect(await found('guil')).toEqual(['C1']);
    expect(await found('shantianfang')).toEqual(['C2']);
    expect(await found('abc')).toEqual(['C3']);
    expect(await found('桂')).toEqual(['C1', 'C4']);
    await api.post('/api/v1/customers', { customers: [{ id: 'C1', name: '魏兰' }] });
    expect(await found('wgl')).toEqual([]);
    expect(await found('wl')).toEqual(['C1']);
    await api.post('/api/v1/customers/C5/merge', { from: 'C4' });
    expect(await found('wgy')).toEqual(['C5']);
    // The merged record's id finds the customer it was merged into, as its portrait does.
    expect(await found('C4')).toEqual(['C5']);
    expect((await api.post('/api/v1/segments/preview?q=C4', { expression: 'id != ""' })).body.items).toEqual([expect.objectContaining({ id: 'C5' })]);
    expect((await api.del('/api/v1/customers/C2')).status).toBe(200);
    expect(await found('stf')).toEqual([]);
  });

  it('merges customers', async () => {
    await api.post('/api/v1/customers', { customers: [{ id: 'A', name: '甲' }, { id: 'B', city: '上海' }] });
    const merged = await api.post('/api/v1/customers/A/merge', { from: 'B' });
    expect(merged).toMatchObject({ status: 200, body: { survivor: 'A', merged: 'B' } });
    expect((await api.get('/api/v1/customers/A')).body).toMatchObject({ name: '甲', city: '上海' });
    expect((await api.post('/api/v1/customers/A/merge', { from: 'A' })).body.code).toBe('MERGE_SELF');
  });

  it('keeps a merged person once in a segment snapshot, under the survivor, so the export lists them once and the comparison finds them still there', async () => {
    await api.post('/api/v1/customers', { customers: [{ id: 'A', city: '杭州' }, { id: 'B', city: '杭州' }, { id: 'C', city: '杭州' }, { id: 'D', city: '宁波' }, { id: 'E', city: '杭州' }] });
    await api.post('/api/v1/events', { events: [{ id: 'E1', customer_id: 'B', type: 'order_paid', occurred_at: '2026-06-01T08:00:00Z', properties: { order_id: 'O1', amount: 10 } }] });
    await api.post('/api/v1/segments', { key: 'hz', name: '杭州客户', expression: 'city = "杭州"' });
    const snapshot = await api.post('/api/v1/segments/hz/snapshots', {});
    expect(snapshot.body.members).toBe(4);
    const ids = async (part: string) => (await api.get(`/api/v1/segments/hz/snapshots/${String(snapshot.body.id)}/export?format=jsonl&part=${part}`)).text.trim().split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { id: string }).id);
    // Both in the snapshot: the survivor once. Only the merged one in it: the survivor, who reads as 宁波 (its own city wins) and so left.
    expect((await api.post('/api/v1/customers/A/merge', { from: 'B' })).status).toBe(200);
    expect((await api.post('/api/v1/customers/D/merge', { from: 'C' })).status).toBe(200);
    expect(await ids('members')).toEqual(['A', 'D', 'E']);
    expect(await ids('left')).toEqual(['D']);
    expect(await ids('stayed')).toEqual(['A', 'E']);
    expect((await api.get(`/api/v1/segments/hz/snapshots/${String(snapshot.body.id)}/compare`)).body).toMatchObject({ now: 2, stayed: 2, joined: 0, left: 1, snapshot: { members: 4 } });
    // A snapshot place a store kept under a merged record before merges moved them is read as the survivor's.
    const store = h.store().db;
    const b = await store.selectFrom('customers').select('id').where('external_id', '=', 'B').where('merged_into', 'is not', null).orderBy('id', 'desc').executeTakeFirstOrThrow();
    await store.insertInto('segment_snapshot_members').values({ snapshot_id: Number(snapshot.body.id), customer_id: b.id }).execute();
    expect(await ids('members')).toEqual(['A', 'D', 'E']);
    // The merged record keeps no metrics of its own: they are the survivor's now.
    expect(await store.selectFrom('customer_metrics').select('customer_id').where('customer_id', '=', b.id).execute()).toEqual([]);
    expect(((await api.get('/api/v1/customers/A')).body.metrics as { key: string; value: unknown }[]).find((metric) => metric.key === 'orders_total')?.value).toBe(1);
  });

  it('erases a customer on request: gone from counts, lists, lookups and snapshot exports, with a record that it happened', async () => {
    await api.post('/api/v1/customers', {
      customers: [
        { id: 'A', name: '甲', city: '上海', identities: [{ kind: 'phone', value: '13800000001' }] },
        { id: 'B', name: '乙', city: '上海' },
      ],
    });
    await api.post('/api/v1/events', { events: [{ id: 'E1', customer_id: 'A', type: 'order_paid', occurred_at: '2026-06-01T08:00:00Z', properties: { order_id: 'O1', amount: 10 } }] });
    await api.post('/api/v1/segments', { key: 'sh', name: '上海客户', expression: 'city = "上海"' });
    const snapshot = await api.post('/api/v1/segments/sh/snapshots', {});
    expect((await api.post('/api/v1/segments/count', { expression: 'city = "上海"' })).body.count).toBe(2);

    const erased = await api.del('/api/v1/customers/A', { 'x-tagbase-actor': encodeURIComponent('合规-小王') });
    expect(erased).toMatchObject({ status: 200, body: { customer: 'A', records: 1, identities: 1, events: 1, snapshot_memberships: 1 } });
    expect((await api.get('/api/v1/customers/A')).body.code).toBe('CUSTOMER_NOT_FOUND');
    expect((await api.get('/api/v1/customers/lookup?kind=phone&value=13800000001')).status).toBe(404);
    expect((await api.post('/api/v1/segments/count', { expression: 'city = "上海"' })).body.count).toBe(1);
    expect((await api.get('/api/v1/customers')).body.total).toBe(1);
    const frozen = await api.get(`/api/v1/segments/sh/snapshots/${String(snapshot.body.id)}/export?format=jsonl`);
    expect(frozen.text.trim().split('\n').map((line) => (JSON.parse(line) as { id: string }).id)).toEqual(['B']);
    expect((await api.get('/api/v1/erasures?customer=A')).body.items).toEqual([{ actor: '合规-小王', at: expect.any(String), details: expect.objectContaining({ records: 1, events: 1 }) }]);
    expect((await api.get('/api/v1/erasures?customer=B')).body.items).toEqual([]);
    expect((await api.del('/api/v1/customers/A')).body).toMatchObject({ status: 404, code: 'CUSTOMER_NOT_FOUND' });
  });

  it('stores an event without an id each time it is sent, as the document warns a client that retries', async () => {
    const order = { customer_id: 'NOID', type: 'order_paid', occurred_at: '2026-06-01T08:00:00Z', properties: { order_id: 'N1', amount: 10 } };
    for (let sent = 0; sent < 2; sent++) expect((await api.post('/api/v1/events', { events: [order] })).body).toMatchObject({ stored: 1, duplicates: 0 });
    const metrics = (await api.get('/api/v1/customers/NOID')).body.metrics as { key: string; value: unknown }[];
    expect(metrics.find((metric) => metric.key === 'orders_total')?.value).toBe(2);
    const doc = (await api.get('/api/v1/openapi.json')).body as { paths: Record<string, Record<string, { requestBody: { content: Record<string, { schema: { properties: { events: { items: { properties: Record<string, { description?: string }> } } } } }> } }>> };
    const event = doc.paths['/api/v1/events']?.post?.requestBody.content['application/json']?.schema.properties.events.items.properties;
    expect(event?.id?.description).toContain('stored each time it is sent');
  });

  it('declares custom fields and rejects unknown ones', async () => {
    expect((await api.post('/api/v1/fields', { key: 'shoe_size', name: '鞋码', type: 'number' })).status).toBe(201);
    expect((await api.post('/api/v1/fields', { key: 'shoe_size', name: '鞋码', type: 'number' })).body.code).toBe('FIELD_EXISTS');
    expect((await api.post('/api/v1/fields', { key: 'tier', name: '等级', type: 'enum' })).body.code).toBe('VALIDATION_FAILED');
    const bad = await api.post('/api/v1/customers', { customers: [{ id: 'C1', custom: { shoesize: 40 } }] });
    expect(bad.body.errors?.[0]?.code).toBe('FIELD_NOT_FOUND');
    // The name the console shows is not the key `custom` takes, and a built-in field is no custom one: each is said so.
    const byName = await api.post('/api/v1/customers', { customers: [{ id: 'CF1', custom: { 鞋码: 40, city: '上海' } }] });
    expect(byName.body.errors?.map((item) => [item.code, item.path])).toEqual([['FIELD_NOT_FOUND', 'custom.鞋码'], ['FIELD_NOT_FOUND', 'custom.city']]);
    expect(byName.body.errors?.[0]?.message).toContain('it is the name of the field "shoe_size"');
    expect(byName.body.errors?.[1]?.message).toContain('"city" is a built-in field');
    const inChinese = await api.post('/api/v1/customers', { customers: [{ id: 'CF1', custom: { 鞋码: 40 } }] }, { 'accept-language': 'zh-CN' });
    expect(inChinese.body.errors?.[0]?.message).toBe('字段「鞋码」未定义：这是字段「shoe_size」的名称，custom 中请用字段的键。');
    expect((await api.get('/api/v1/customers/CF1')).body.code).toBe('CUSTOMER_NOT_FOUND');
  });

  it('reads "" or spaces alone in any text field, built-in or custom, as no value, which clears it, through the API and an import of JSON lines', async () => {
    await api.post('/api/v1/fields', { key: 'note', name: '备注', type: 'string' });
    const filled = { name: '张伟', city: '广州', region: '广东', occupation: '教师', member_level: '金卡', source_channel: '门店', custom: { note: '老客' } };
    await api.post('/api/v1/customers', { customers: [{ id: 'T1', ...filled }, { id: 'T2', ...filled }, { id: 'T3', ...filled }] });
    const cleared = await api.post('/api/v1/customers', { customers: [{ id: 'T1', name: '', city: ' ', region: '\u3000', occupation: '', member_level: '\t', source_channel: '', custom: { note: '' } }, { id: 'T2', city: '', custom: { note: '  ' } }] });
    expect(cleared).toMatchObject({ status: 200, body: { received: 2, updated: 2 } });
    const nothing = { name: null, city: null, region: null, occupation: null, member_level: null, source_channel: null, custom: {} };
    expect((await api.get('/api/v1/customers/T1')).body).toMatchObject(nothing);
    expect((await api.get('/api/v1/customers/T2')).body).toMatchObject({ ...filled, city: null, custom: {} });
    // A customer made with empty text has no value there, as one made without the field.
    await api.post('/api/v1/customers', { customers: [{ id: 'T4', name: '', city: '', custom: { note: '' } }] });
    expect((await api.get('/api/v1/customers/T4')).body).toMatchObject({ name: null, city: null, custom: {} });
    expect((await api.post('/api/v1/segments/count', { expression: 'city exists' })).body.count).toBe(1);
    // An import of JSON lines reads a line's fields as the API does; in a CSV file an empty cell leaves the field as it is.
    expect((await api.post('/api/v1/imports/customers', { format: 'jsonl', text: '{"id": "T3", "city": "", "custom": {"note": ""}}\n' })).body).toMatchObject({ accepted: 1, rejected: 0 });
    expect((await api.post('/api/v1/imports/customers', { text: 'id,name,note\nT2,,\n' })).body).toMatchObject({ accepted: 1, rejected: 0 });
    expect((await api.get('/api/v1/customers/T3')).body).toMatchObject({ name: '张伟', city: null, custom: {} });
    expect((await api.get('/api/v1/customers/T2')).body).toMatchObject({ name: '张伟', city: null });
  });

  it('serves the OpenAPI document and the browsable docs', async () => {
    const doc = await api.get('/api/v1/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
    expect(Object.keys(doc.body.paths as object)).toEqual(expect.arrayContaining(['/api/v1/customers', '/api/v1/events', '/api/v1/tags/{tag}/assign', '/api/v1/segments/count', '/api/v1/segments/{segment}/export']));
    const paths = doc.body.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>;
    expect(Object.keys(paths['/api/v1/tags']?.post?.responses ?? {})).toEqual(['201', '4XX', '5XX']);
    expect(paths['/api/v1/tag-groups/{group}']?.delete?.responses['204']).toEqual({ description: 'Done; no content' });
    expect(Object.keys(paths['/api/v1/events']?.post?.responses ?? {})).toEqual(['200', '202', '4XX', '5XX']);
    for (const [path, methods] of Object.entries(paths)) {
      for (const [method, operation] of Object.entries(methods)) expect({ operation: `${method} ${path}`, problem: operation.responses['4XX'] }).toEqual({ operation: `${method} ${path}`, problem: { $ref: '#/components/responses/Problem' } });
    }
    const components = doc.body.components as { responses: Record<string, { content: Record<string, unknown> }>; schemas: Record<string, { required: string[] }> };
    expect(Object.keys(components.responses.Problem?.content ?? {})).toEqual(['application/problem+json']);
    expect(components.schemas.Problem?.required).toEqual(['type', 'title', 'status', 'detail', 'code', 'instance']);
  });

  it('pages the customer list by cursor and sorted previews by offset without duplicates or gaps', async () => {
    const cities = ['广州', '上海', undefined, '深圳', '上海', '北京'];
    const customers = Array.from({ length: 45 }, (_, i) => ({ id: `K${String(i).padStart(2, '0')}`, city: cities[i % cities.length] }));
    await api.post('/api/v1/customers', { customers });

    const listed: string[] = [];
    let url = '/api/v1/customers?limit=8';
    for (let pages = 0; pages < 10; pages++) {
      const page = await api.get(url);
      expect(page.body.total).toBe(45);
      listed.push(...(page.body.items as { id: string }[]).map((c) => c.id));
      if (page.body.next_cursor === null) break;
      url = `/api/v1/customers?limit=8&cursor=${String(page.body.next_cursor)}`;
    }
    expect(listed).toEqual(customers.map((c) => c.id));
    expect((await api.get('/api/v1/customers?limit=8&offset=40')).body.items).toHaveLength(5);
    expect((await api.get('/api/v1/customers?limit=abc')).body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', detail: expect.stringContaining('limit: a number written in digits, like 20') });
    // A cursor this list never handed out is refused in words, not read as some other place.
    const forged = await api.get('/api/v1/customers?limit=8&cursor=not-a-cursor');
    expect(forged.status).toBe(400);
    expect(forged.body).toMatchObject({ code: 'VALIDATION_FAILED', detail: expect.stringContaining('cursor') });

    // City descending in code-point order, ties by arrival, customers without a city last.
    const expected = [...customers].sort((a, b) => (a.city === b.city ? 0 : a.city === undefined ? 1 : b.city === undefined ? -1 : a.city < b.city ? 1 : -1)).map((c) => c.id);
    const previewed: string[] = [];
    for (let offset = 0; offset < 50; offset += 7) {
      const page = await api.post(`/api/v1/segments/preview?sort=-city&limit=7&offset=${offset}`, { expression: 'id exists' });
      expect(page.body.total).toBe(45);
      previewed.push(...(page.body.items as { id: string }[]).map((c) => c.id));
    }
    expect(previewed).toEqual(expected);
  });
});
