import { maxHeaderSize } from 'node:http';
import type { FastifyRequest } from 'fastify';
import { describe, expect } from 'vitest';
import { localeFromAcceptLanguage } from '../../src/api/locale.js';
import { classifyError, toProblem } from '../../src/api/problems.js';
import { TagbaseError } from '../../src/core/errors.js';
import { parseGovernanceOptions } from '../../src/engine/governance.js';
import { forEachStore, it } from '../support/stores.js';
import { sendRaw, useServer } from './support.js';

const CHINESE = { 'accept-language': 'zh-CN,zh;q=0.9' };

/** Rejected rows without their wording in every language (checked once, in full, below). */
function reasonsOnly(rejections: unknown): unknown {
  return (rejections as { localized?: unknown }[]).map(({ localized: _, ...rest }) => rest);
}
const ENGLISH = { 'accept-language': 'en-US' };

describe('Accept-Language', () => {
  it('picks Chinese when a zh tag weighs at least as much as English, English otherwise', () => {
    expect(localeFromAcceptLanguage(undefined)).toBe('en');
    expect(localeFromAcceptLanguage('')).toBe('en');
    expect(localeFromAcceptLanguage('zh-CN,zh;q=0.9')).toBe('zh-CN');
    expect(localeFromAcceptLanguage('zh-TW')).toBe('zh-CN');
    expect(localeFromAcceptLanguage('en-US,en;q=0.9,zh-CN;q=0.8')).toBe('en');
    expect(localeFromAcceptLanguage('en;q=0.5, zh;q=0.5')).toBe('zh-CN');
    expect(localeFromAcceptLanguage('fr-FR, zh;q=0.3')).toBe('zh-CN');
    expect(localeFromAcceptLanguage('*, zh;q=0.3')).toBe('en');
    expect(localeFromAcceptLanguage('zh;q=0')).toBe('en');
    expect(localeFromAcceptLanguage('fr-FR')).toBe('en');
  });
});

describe('errors without a store', () => {
  it('words bad governance options in Chinese', () => {
    let error: unknown;
    try {
      parseGovernanceOptions({ jaccard: 2 });
    } catch (thrown) {
      error = thrown;
    }
    if (!(error instanceof TagbaseError)) throw new Error('expected a TagbaseError');
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toBe('The request is not valid: jaccard: at most 1');
    expect(error.messageIn('zh-CN')).toBe('请求无效：jaccard：不能大于 1');
  });

  it('points a Chinese reader of an internal error to the server log, keeping the English detail', () => {
    const error = classifyError(new TagbaseError('INTERNAL', { detail: 'workspace w was not created' }), {} as FastifyRequest);
    expect(error.message).toBe('Something went wrong on our side: workspace w was not created');
    expect(error.messageIn('zh-CN')).toBe('服务器内部出错：详情请查看服务器日志');
  });
});

forEachStore('API: errors in the reader’s language', (h) => {
  const api = useServer(h);

  it('speaks English by default, and says which language and that it varies by it', async () => {
    const reply = await api.get('/api/v1/tags/nope');
    expect(reply.status).toBe(404);
    expect(reply.body).toMatchObject({ code: 'TAG_NOT_FOUND', type: 'urn:tagbase:problem:tag-not-found', title: 'Tag not found', detail: 'Tag "nope" does not exist.' });
    expect(reply.headers['content-language']).toBe('en');
    expect(String(reply.headers.vary)).toContain('Accept-Language');
  });

  it('answers an unknown tag in Chinese, with the same code and type', async () => {
    await api.post('/api/v1/tags', { key: 'vip', name: '贵宾等级', values: [{ key: 'gold', name: '金卡' }] });
    const reply = await api.get('/api/v1/tags/vlp', CHINESE);
    expect(reply.status).toBe(404);
    expect(reply.body).toMatchObject({ code: 'TAG_NOT_FOUND', type: 'urn:tagbase:problem:tag-not-found', title: '标签不存在', detail: '标签「vlp」不存在。您是不是要找「vip」？' });
    expect(reply.headers['content-language']).toBe('zh-CN');
    expect(String(reply.headers.vary)).toContain('Accept-Language');
  });

  it('words schema failures in Chinese, keeping their paths', async () => {
    const reply = await api.post('/api/v1/tags', { key: 't', values: [{ key: 'a', name: 'A' }] }, CHINESE);
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ code: 'VALIDATION_FAILED', title: '请求无效' });
    expect(reply.body.detail).toBe('请求无效：请求体 name：必填，此处缺少');
    expect(reply.body.errors).toEqual([{ index: -1, code: 'VALIDATION_FAILED', path: 'name', pointer: '#/name', message: '必填，此处缺少' }]);
    const english = await api.post('/api/v1/tags', { key: 't', values: [{ key: 'a', name: 'A' }] });
    expect(english.body.detail).toBe('The request is not valid: body name: required, and missing here');
    const wrongType = await api.post('/api/v1/tags', { key: 't', name: 7, values: [{ key: 'a', name: 'A' }] });
    expect(wrongType.body.detail).toBe('The request is not valid: body name: expected text, got a number');
    const chineseType = await api.post('/api/v1/tags', { key: 't', name: 7, values: [{ key: 'a', name: 'A' }] }, CHINESE);
    expect(chineseType.body.detail).toBe('请求无效：请求体 name：应为文本，收到的是数字');
    // Sizes and limits say what to write, in words of either language rather than zod's operators.
    const tooLong = await api.get(`/api/v1/customers?q=${'x'.repeat(300)}`, CHINESE);
    expect(tooLong.body.detail).toBe('请求无效：查询参数 q：最多 256 个字符');
    const tooMany = await api.get('/api/v1/customers?limit=0');
    expect(tooMany.body.detail).toBe('The request is not valid: querystring limit: at least 1');
  });

  it('says what a key may be in either language, as the keys it takes: Chinese ones too, none starting with a digit or "-"', async () => {
    for (const key of ['1st', '-x']) {
      const english = await api.post('/api/v1/segments', { key, name: '新人群', expression: 'city = "上海"' }, ENGLISH);
      expect(english.body.errors).toEqual([expect.objectContaining({ path: 'key', message: 'a key is 1-64 letters (Chinese too), digits, "_" or "-", starting with a letter or "_"' })]);
      const chinese = await api.post('/api/v1/segments', { key, name: '新人群', expression: 'city = "上海"' }, CHINESE);
      expect(chinese.body.errors).toEqual([expect.objectContaining({ path: 'key', message: '标识为 1–64 个汉字、字母、数字、“_”或“-”，以汉字、字母或“_”开头' })]);
    }
    expect((await api.post('/api/v1/segments', { key: '高价值_2026', name: '高价值', expression: 'city = "上海"' })).status).toBe(201);
  });

  it('names where in a list a problem is, keeping the list’s name outside the batches', async () => {
    const values = await api.post('/api/v1/tags', { key: 'qa', name: 'QA', values: [{ key: 'a', name: 'A' }, { key: 'a', name: 'B' }] }, CHINESE);
    expect(values.body.detail).toBe('请求无效：请求体 values.1.key：值标识「a」出现了两次');
    const batch = await api.post('/api/v1/customers', { customers: [{ id: 'C1' }, { id: 'C2', gender: 'x' }] });
    expect(batch.body.detail).toMatch(/^The request is not valid: 1 problem in the batch; nothing was stored. item 1 gender: /);
  });

  it('words a model’s refused parameters in Chinese', async () => {
    const wrongType = await api.call('PUT', '/api/v1/models/vip', { params: { spend_365d: 'abc' } }, CHINESE);
    expect(wrongType.body).toMatchObject({ code: 'MODEL_INVALID', detail: expect.stringContaining('spend_365d：应为数字，收到的是文本') });
    const threshold = await api.call('PUT', '/api/v1/models/rfm', { params: { recency: 'average' } }, CHINESE);
    expect(threshold.body.detail).toContain('recency：阈值为 "mean"（平均值）、"median"（中位数）或不小于 0 的数');
  });

  it('names the kinds a trigger or a window may be, in either language', async () => {
    const plan = (trigger: object) => ({ key: 'p', name: '计划', trigger, steps: [{ after: '1d', message: '您好' }] });
    const kinds = 'event, tag_added, tag_removed, birthday';
    const unknown = await api.post('/api/v1/care/plans', plan({ kind: 'tag', tag: 'vip' }));
    expect(unknown.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ index: -1, path: 'trigger.kind', message: `one of ${kinds}` }] });
    const chinese = await api.post('/api/v1/care/plans', plan({ kind: 'tag', tag: 'vip' }), CHINESE);
    expect(chinese.body.errors).toEqual([expect.objectContaining({ path: 'trigger.kind', message: `应为以下之一：${kinds.split(', ').join('、')}` })]);
    const missing = await api.post('/api/v1/care/plans', plan({ event_type: 'order_paid' }));
    expect(missing.body.errors).toEqual([expect.objectContaining({ path: 'trigger.kind', message: `required: one of ${kinds}` })]);
    expect((await api.post('/api/v1/care/plans', plan({ event_type: 'order_paid' }), CHINESE)).body.detail).toBe(`请求无效：请求体 trigger.kind：必填，应为以下之一：${kinds.split(', ').join('、')}`);
  });

  it('says a choice left out is required, in either language, as it says of any field left out', async () => {
    const kinds = 'phone, email, wechat_unionid, wechat_openid, wecom_external_userid, platform_nick, member_card';
    const english = await api.get('/api/v1/customers/lookup?value=13800000000');
    expect(english.body.errors).toEqual([expect.objectContaining({ path: 'kind', message: `required: one of ${kinds}` })]);
    const chinese = await api.get('/api/v1/customers/lookup?value=13800000000', CHINESE);
    expect(chinese.body.detail).toBe(`请求无效：查询参数 kind：必填，应为以下之一：${kinds.split(', ').join('、')}`);
    // One sent that is none of them is told what it may be.
    expect((await api.get('/api/v1/customers/lookup?kind=fax&value=1')).body.errors).toEqual([expect.objectContaining({ path: 'kind', message: `one of ${kinds}` })]);
  });

  it('says a body sent without a Content-Type has none, in either language', async () => {
    for (const [headers, detail] of [
      [ENGLISH, 'Send JSON with Content-Type: application/json; got no Content-Type.'],
      [CHINESE, '请以 JSON 发送，并设置 Content-Type: application/json；收到的请求没有 Content-Type。'],
    ] as const) {
      const refused = await api.post('/api/v1/segments/count', '{"expression": "city = \\"上海\\""}', headers);
      expect(refused.status).toBe(415);
      expect(refused.body).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', detail });
    }
  });

  it('says that tagging everyone needs a value, at the value, in either language', async () => {
    const missing = await api.post('/api/v1/segments/tag', { expression: 'city = "上海"', tag: 'vip' });
    expect(missing.body.errors).toEqual([expect.objectContaining({ index: -1, path: 'value', message: 'assigning needs a value; only action remove may leave it out' })]);
    const chinese = await api.post('/api/v1/segments/tag', { expression: 'city = "上海"', tag: 'vip' }, CHINESE);
    expect(chinese.body.detail).toBe('请求无效：请求体 value：添加标签需要 value；只有 action 为 remove 时可以不写');
    const transition = await api.post('/api/v1/tags/vip/transitions/tag', { from_value: 'a', to_value: 'b', tag: 'vip' });
    expect(transition.body.errors).toEqual([expect.objectContaining({ path: 'value', message: 'assigning needs a value; only action remove may leave it out' })]);
  });

  it('refuses an expiry sent with a removal, at the expiry, in either language, rather than dropping it unread', async () => {
    const refusal = 'action remove takes no expires_at: a value taken off has no expiry; leave expires_at out, or assign the value to give it one';
    const removal = { expression: 'city = "上海"', tag: 'vip', value: 'gold', action: 'remove', expires_at: '2027-12-05' };
    const english = await api.post('/api/v1/segments/tag', removal);
    expect(english.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ path: 'expires_at', pointer: '#/expires_at', message: refusal })] });
    const chinese = await api.post('/api/v1/segments/tag', removal, CHINESE);
    expect(chinese.body.detail).toBe('请求无效：请求体 expires_at：action 为 remove 时不能带 expires_at：移除的值没有到期时间；请去掉 expires_at，或用 assign 添加该值并设置到期时间');
    const transition = await api.post('/api/v1/tags/vip/transitions/tag', { from_value: 'a', to_value: 'b', tag: 'vip', action: 'remove', expires_at: '2027-12-05T00:00:00Z' });
    expect(transition.body.errors).toEqual([expect.objectContaining({ path: 'expires_at', message: refusal })]);
    // `null` (no expiry) says nothing a removal could drop; the call goes on to the tag, which is not there.
    expect((await api.post('/api/v1/segments/tag', { ...removal, expires_at: null })).body.code).toBe('TAG_NOT_FOUND');
  });

  it('says what a webhook URL looks like, in either language', async () => {
    const english = await api.post('/api/v1/webhooks', { url: 'crm.example.com/hooks' });
    expect(english.body.errors).toEqual([expect.objectContaining({ index: -1, path: 'url', message: 'a URL like https://crm.example.com/hooks/tagbase' })]);
    const chinese = await api.post('/api/v1/webhooks', { url: 'not a url' }, CHINESE);
    expect(chinese.body.detail).toBe('请求无效：请求体 url：应为网址，如 https://crm.example.com/hooks/tagbase');
  });

  it('words every item error of a batch in Chinese', async () => {
    const batch = { customers: [{ id: 'C1' }, { id: 'C2', birthday: '1990-02-30' }, { id: 'C3', gender: 'x' }, { id: 'C4', custom: { levle: 1 } }] };
    const reply = await api.post('/api/v1/customers', batch, CHINESE);
    expect(reply.status).toBe(400);
    expect(reply.body.errors).toEqual([
      expect.objectContaining({ index: 1, path: 'birthday', message: '应为形如 1990-05-17 的日期' }),
      expect.objectContaining({ index: 2, path: 'gender', message: '应为以下之一：male、female、unknown（或男、女、未知）' }),
      expect.objectContaining({ index: 3, path: 'custom.levle', message: '字段「levle」未定义。' }),
    ]);
    expect(reply.body.detail).toBe('请求无效：本批有 3 处问题，未保存任何数据。第 1 项 birthday：应为形如 1990-05-17 的日期；第 2 项 gender：应为以下之一：male、female、unknown（或男、女、未知）；第 3 项 custom.levle：字段「levle」未定义。');
    const fields = await api.post('/api/v1/customers', { customers: [{ id: 'C1', custom: { levle: 1 } }] }, CHINESE);
    expect(fields.body.errors?.[0]).toMatchObject({ index: 0, code: 'FIELD_NOT_FOUND', path: 'custom.levle', message: '字段「levle」未定义。' });
    expect(fields.body.detail).toBe('请求无效：本批有 1 处问题，未保存任何数据。第 0 项 custom.levle：字段「levle」未定义。');
    const english = await api.post('/api/v1/customers', batch);
    expect(english.body.errors?.[0]).toMatchObject({ index: 1, path: 'birthday', message: 'a date like 1990-05-17' });
  });

  it('names a field a call does not take, and says an object is expected where one is, in either language', async () => {
    const misspelt = await api.post('/api/v1/customers', { customers: [{ id: 'C1', nam: '张伟' }] });
    expect(misspelt.body.errors).toEqual([expect.objectContaining({ index: 0, path: 'nam', message: 'unknown field "nam"' })]);
    expect((await api.post('/api/v1/customers', { customers: [{ id: 'C1', nam: '张伟' }] }, CHINESE)).body.detail).toBe('请求无效：本批有 1 处问题，未保存任何数据。第 0 项 nam：未知字段「nam」');
    const query = await api.get('/api/v1/customers?limt=5', CHINESE);
    expect(query.body).toMatchObject({ detail: '请求无效：查询参数 limt：未知字段「limt」', errors: [{ index: -1, path: 'limt', message: '未知字段「limt」' }] });
    const properties = await api.post('/api/v1/events', { events: [{ customer_id: 'C1', type: 'shop_visit', occurred_at: '2026-06-01T08:00:00Z', properties: [1] }] });
    expect(properties.body.errors).toEqual([expect.objectContaining({ index: 0, path: 'properties', message: 'expected an object, got a list' })]);
    const custom = await api.post('/api/v1/customers', { customers: [{ id: 'C1', custom: null }] }, CHINESE);
    // A JSON word (null, true, false) stands apart from the Chinese around it, as a number does (收到的是 1.5).
    expect(custom.body.errors).toEqual([expect.objectContaining({ index: 0, path: 'custom', message: '应为对象，收到的是 null' })]);
    const flag = await api.post('/api/v1/care/plans', { key: 'p', name: '计划', trigger: { kind: 'event', event_type: 'order_paid' }, steps: [{ after: '1d', message: '您好' }], enabled: 'false' }, CHINESE);
    expect(flag.body.errors).toEqual([expect.objectContaining({ index: -1, path: 'enabled', message: '应为 true 或 false，收到的是文本' })]);
  });

  it('words the workspace key a new workspace needs, and a care plan\'s event type and quiet hours, in Chinese', async () => {
    const reply = await api.post('/api/v1/workspaces', { key: 'shop hz', name: '杭州店' }, CHINESE);
    // Unlike a tag's key, no Chinese: the letters are English ones.
    expect(reply.body.errors).toEqual([expect.objectContaining({ path: 'key', message: '1–64 个英文字母（A–Z、a–z）、数字、“-”或“_”' })]);
    expect((await api.post('/api/v1/workspaces', { key: '杭州店', name: '杭州店' })).body.errors).toEqual([expect.objectContaining({ path: 'key', message: '1-64 ASCII letters (A-Z, a-z), digits, "-" or "_"' })]);
    expect((await api.get('/api/v1/customers', { 'x-tagbase-workspace': 'a b' })).body).toMatchObject({ code: 'INVALID_WORKSPACE', detail: 'Workspace key "a b" is not valid: use 1-64 ASCII letters (A-Z, a-z), digits, "-" or "_".' });
    const plan = { key: 'p1', name: '计划', trigger: { kind: 'event', event_type: 'Bad-Type' }, quiet_hours: { start: '9pm', end: '08:00' }, steps: [{ after: '1d', message: '您好' }] };
    expect((await api.post('/api/v1/care/plans', plan, CHINESE)).body.errors).toEqual([
      expect.objectContaining({ path: 'trigger.event_type', message: '事件类型须为小写下划线格式（lower_snake_case）' }),
      expect.objectContaining({ path: 'quiet_hours.start', message: '应为形如 21:00 的时刻' }),
    ]);
  });

  it('words the product\'s own rules of a body in Chinese: one of an expression or a segment, a metric\'s event type, a step\'s delay', async () => {
    const neither = await api.post('/api/v1/segments/tag', { tag: 'vip', value: 'yes' }, CHINESE);
    expect(neither.body.detail).toBe('请求无效：请求体：请指定表达式或人群，二者选一');
    const both = await api.get('/api/v1/tags/vip/profile?segment=a&expression=x', CHINESE);
    expect(both.body.detail).toBe('请求无效：查询参数：请指定人群或表达式，不能同时指定');
    const metric = await api.post('/api/v1/metrics', { key: 'm1', name: 'm1', aggregation: 'count', event_type: 'Bad Type' }, CHINESE);
    expect(metric.body.errors).toEqual([expect.objectContaining({ path: 'event_type', message: '应为事件类型，或用 * 表示所有类型' })]);
    const plan = { key: 'p2', name: '计划二', trigger: { kind: 'event', event_type: 'order_paid' }, quiet_hours: { start: '21:00', end: '21:00' }, steps: [{ after: 'soon', message: '您好' }] };
    expect((await api.post('/api/v1/care/plans', plan, CHINESE)).body.errors).toEqual([
      expect.objectContaining({ path: 'quiet_hours', message: '免打扰时段的开始和结束时间不能相同' }),
      expect.objectContaining({ path: 'steps.0.after', message: '应为形如 30m、9h、3d 或 -3d 的时长（最多 366 天）' }),
    ]);
  });

  it('words expression diagnostics in Chinese at the same place', async () => {
    const syntax = await api.post('/api/v1/segments/count', { expression: 'city = "上海" and' }, CHINESE);
    const syntaxInEnglish = await api.post('/api/v1/segments/count', { expression: 'city = "上海" and' }, ENGLISH);
    expect(syntax.body).toMatchObject({ status: 400, code: 'EXPRESSION_SYNTAX', title: '表达式语法错误' });
    expect(syntax.body.detail).toBe('第 1 行第 16 列：这里应为名称、"not"、"("、tagged("…") 或 segment("…")，实际是表达式结尾。');
    const [item] = syntax.body.errors ?? [];
    const [englishItem] = syntaxInEnglish.body.errors ?? [];
    expect(item).toEqual({ ...englishItem, message: '这里应为名称、"not"、"("、tagged("…") 或 segment("…")，实际是表达式结尾。' });
    expect(item).toMatchObject({ line: 1, column: 16, offset: 15, length: 0, reason: 'unexpected_token' });

    const unknown = await api.post('/api/v1/segments/count', { expression: 'gender = "f" and cty = "上海"' }, CHINESE);
    expect(unknown.body).toMatchObject({ code: 'EXPRESSION_UNKNOWN_NAME', title: '表达式中有未知名称' });
    expect(unknown.body.errors?.[1]).toMatchObject({
      code: 'EXPRESSION_UNKNOWN_NAME',
      column: 18,
      found: 'cty',
      suggestion: 'city',
      reason: 'unknown_name',
      params: { what: 'subject', name: 'cty', suggestion: 'city' },
      message: '未知的标签、字段或指标「cty」：没有标识或名称为它的标签、字段或指标。您是不是要找「city」？',
    });
  });

  it('words a rule that does not compile in Chinese, naming the value and place', async () => {
    const rule = { key: 'level', name: '等级', kind: 'rule', values: [{ key: 'big', name: '大客户', condition: 'spend_365d >= "很多"' }] };
    const reply = await api.post('/api/v1/tags', rule, CHINESE);
    expect(reply.body).toMatchObject({ code: 'RULE_INVALID', title: '规则无效' });
    expect(reply.body.detail).toBe('标签值「等级: 大客户」（level.big）：指标「spend_365d」（数字）不能与文本 "很多" 比较。（第 1 行第 15 列）');
    expect(reply.body.errors?.[0]).toMatchObject({ path: 'big:1:15', message: '指标「spend_365d」（数字）不能与文本 "很多" 比较。' });
  });

  it('gives English for en-US, and for a 404 route', async () => {
    const reply = await api.get('/api/v1/tags/vlp', ENGLISH);
    expect(reply.body).toMatchObject({ title: 'Tag not found', detail: expect.stringMatching(/^Tag "vlp" does not exist\./) });
    expect(reply.headers['content-language']).toBe('en');
    const route = await api.get('/api/v1/nowhere', CHINESE);
    expect(route.body).toMatchObject({ code: 'NOT_FOUND', title: '接口不存在', detail: '没有 GET /api/v1/nowhere 这个接口。' });
  });

  it('words the reasons of rejected import rows in Chinese, keeping line and code', async () => {
    await api.post('/api/v1/customers', { customers: [{ id: 'C0', identities: [{ kind: 'phone', value: '13800138000' }] }] });
    const text = ['id,name,birthday,phone', 'C1,张伟,1990-05-17,', 'C2,李娜', 'C3,王芳,1990-02-30,', 'C4,赵敏,,13800138000'].join('\n');
    const chinese = await api.post('/api/v1/imports/customers', { text }, CHINESE);
    expect(chinese.status).toBe(200);
    expect(chinese.headers['content-language']).toBe('zh-CN');
    expect(String(chinese.headers.vary)).toContain('Accept-Language');
    expect(chinese.body).toEqual({
      rows: 4,
      accepted: 1,
      rejected: 3,
      rejections: [
        { line: 3, code: 'UNREADABLE_ROW', reason: '应有 4 列，实际有 2 列', localized: { en: 'expected 4 columns, got 2', 'zh-CN': '应有 4 列，实际有 2 列' } },
        { line: 4, code: 'VALIDATION_FAILED', reason: 'birthday「1990-02-30」不是日期；请写成 1990-05-17、1990/5/17 或 1990年5月17日', localized: { en: 'birthday "1990-02-30" is not a date; write it as 1990-05-17, 1990/5/17 or 1990年5月17日', 'zh-CN': 'birthday「1990-02-30」不是日期；请写成 1990-05-17、1990/5/17 或 1990年5月17日' } },
        {
          line: 5,
          code: 'IDENTITY_CONFLICT',
          reason: 'phone：手机号「13800138000」已属于客户「C0」',
          localized: { en: 'phone: phone "13800138000" already belongs to customer "C0"', 'zh-CN': 'phone：手机号「13800138000」已属于客户「C0」' },
        },
      ],
      columns_read_as: {},
      columns_left_out: [],
      titles: [],
      zoneless_times: 0,
      utc_offset_minutes: 480,
      created: 1,
      updated: 0,
      unchanged: 0,
      repeated_ids: [],
      masked_identifiers: 0,
    });
    const english = await api.post('/api/v1/imports/customers', { text });
    expect(english.headers['content-language']).toBe('en');
    expect(reasonsOnly(english.body.rejections)).toEqual([
      { line: 3, code: 'UNREADABLE_ROW', reason: 'expected 4 columns, got 2' },
      { line: 4, code: 'VALIDATION_FAILED', reason: 'birthday "1990-02-30" is not a date; write it as 1990-05-17, 1990/5/17 or 1990年5月17日' },
      { line: 5, code: 'IDENTITY_CONFLICT', reason: 'phone: phone "13800138000" already belongs to customer "C0"' },
    ]);

    const jsonl = await api.post('/api/v1/imports/events', { format: 'jsonl', text: '{"id": "E1",\n[1]\n' }, CHINESE);
    expect(reasonsOnly(jsonl.body.rejections)).toEqual([
      { line: 1, code: 'UNREADABLE_ROW', reason: '不是有效的 JSON：这里应为用双引号括起的属性名，最后一个属性之后不能有逗号（第 13 个字符处）' },
      { line: 2, code: 'UNREADABLE_ROW', reason: '每行须是一个 JSON 对象' },
    ]);
    const jsonlInEnglish = await api.post('/api/v1/imports/events', { format: 'jsonl', text: '{"id": "E1",\n[1]\n' });
    expect((jsonlInEnglish.body.rejections as { reason: string }[]).map((r) => r.reason)).toEqual(['not valid JSON: Expected double-quoted property name in JSON at position 12', 'a line must hold one JSON object']);

    await api.post('/api/v1/tags', { key: 'stage', name: '服务阶段', values: [{ key: 'pre', name: '售前' }] });
    const assignments = await api.post('/api/v1/imports/assignments', { text: 'customer_id,tag,value,expires_at\nC9,stage,pre,\nC1,stage,after,\nC1,stage,pre,2020-01-01\nC1,,pre,\nC1,服务阶段,after,' }, CHINESE);
    expect(reasonsOnly(assignments.body.rejections)).toEqual([
      { line: 2, code: 'CUSTOMER_NOT_FOUND', reason: '客户「C9」不存在' },
      { line: 3, code: 'TAG_VALUE_NOT_FOUND', reason: '标签「stage」没有值「after」；它的值有：售前' },
      { line: 4, code: 'VALIDATION_FAILED', reason: 'expires_at「2020-01-01」已经过去；到期时间须在将来' },
      { line: 5, code: 'VALIDATION_FAILED', reason: '缺少 tag' },
      // The tag as the file names it, not by a key the operator may never have seen.
      { line: 6, code: 'TAG_VALUE_NOT_FOUND', reason: '标签「服务阶段」没有值「after」；它的值有：售前' },
    ]);
    const unclosed = await api.post('/api/v1/imports/customers', { text: 'id,name\nC7,"王\n' }, CHINESE);
    expect(reasonsOnly(unclosed.body.rejections)).toEqual([{ line: 2, code: 'UNREADABLE_ROW', reason: '从这一行起无法读取文件：引号没有闭合，文件在引号内结束' }]);
  });

  it('explains a malformed JSON body in Chinese, with the place the parser names', async () => {
    const body = '{"expression": "city = 1",}';
    const reply = await api.post('/api/v1/segments/count', body, { 'content-type': 'application/json', ...CHINESE });
    expect(reply.body).toMatchObject({ status: 400, code: 'MALFORMED_JSON', title: 'JSON 格式错误', detail: '请求体不是有效的 JSON：这里应为用双引号括起的属性名，最后一个属性之后不能有逗号（第 27 个字符处）' });
    const english = await api.post('/api/v1/segments/count', body, { 'content-type': 'application/json' });
    expect(english.body.detail).toBe('The request body is not valid JSON: Expected double-quoted property name in JSON at position 26');
    const cut = await api.post('/api/v1/segments/count', '{"expression": ', { 'content-type': 'application/json', ...CHINESE });
    expect(cut.body.detail).toBe('请求体不是有效的 JSON：内容不完整，在结束前中断了');
    // No body at all is not malformed JSON: the route says it needs one.
    const empty = await api.call('POST', '/api/v1/segments/count', '', { 'content-type': 'application/json', ...CHINESE });
    expect(empty.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', detail: '请求无效：请求没有请求体，此接口需要一个 JSON 对象' });
    const bodyless = await api.call('POST', '/api/v1/segments/count', undefined, { 'content-type': 'application/json' });
    expect(bodyless.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', detail: 'The request is not valid: the request has no body; this call takes a JSON object' });
    // A call that takes no body is not refused for a JSON label on the body it does not send.
    await api.post('/api/v1/segments', { key: 'labelled', name: '标了类型', expression: 'city exists' });
    expect((await api.call('DELETE', '/api/v1/segments/labelled', undefined, { 'content-type': 'application/json' })).status).toBe(204);
  });

  it('answers a request the HTTP parser cannot read (raw UTF-8 in the query) with a problem in the reader\'s language', async () => {
    const listening = await api.listen();
    const raw = (request: string) => sendRaw(listening, request);
    const chinese = await raw(`GET /api/v1/customers?q=黄 HTTP/1.1\r\nHost: localhost\r\nAccept-Language: zh-CN\r\nX-Tagbase-Workspace: ${h.workspaceKey()}\r\n\r\n`);
    const [head = '', body = ''] = chinese.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(head).toContain('Content-Type: application/problem+json; charset=utf-8');
    expect(head).toContain('Content-Language: zh-CN');
    expect(JSON.parse(body)).toMatchObject({ status: 400, code: 'REQUEST_UNREADABLE', instance: '/api/v1/customers', detail: expect.stringContaining('请先做百分号编码（黄 写作 %E9%BB%84）') });
    const english = await raw('GET /api/v1/customers?q=黄 HTTP/1.1\r\nHost: localhost\r\n\r\n');
    expect(JSON.parse(english.split('\r\n\r\n')[1] ?? '')).toMatchObject({ code: 'REQUEST_UNREADABLE', detail: expect.stringContaining('percent-encode it (黄 is %E9%BB%84)') });

    // An address too long to read: the address counts, not the headers alone, and how much is read.
    const limit = `${(maxHeaderSize / 1024).toLocaleString('en')} KB`;
    const tooLong = await raw(`GET /api/v1/customers?q=${'a'.repeat(maxHeaderSize + 1000)} HTTP/1.1\r\nHost: localhost\r\nX-Tagbase-Workspace: ${h.workspaceKey()}\r\n\r\n`);
    const [tooLongHead = '', tooLongBody = ''] = tooLong.split('\r\n\r\n');
    expect(tooLongHead).toMatch(/^HTTP\/1\.1 431 /);
    expect(JSON.parse(tooLongBody)).toMatchObject({
      status: 431,
      code: 'HEADERS_TOO_LARGE',
      detail: `The request's address and headers are larger than the server reads (${limit} together): shorten the address's query, or send fewer or shorter headers.`,
    });
    const inChinese = toProblem(new TagbaseError('HEADERS_TOO_LARGE', { limit }), '/api/v1/customers', 'zh-CN');
    expect(inChinese.detail).toBe(`请求的地址和请求头合计超过了服务器读取的上限（${limit}）：请缩短地址中的查询参数，或减少、缩短请求头。`);
  });

  it('words a body whose size is not the one announced in Chinese', async () => {
    const reply = await api.call('POST', '/api/v1/segments/count', '{"expression": "city exists"}', { 'content-type': 'application/json', 'content-length': '5', ...CHINESE });
    expect(reply.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', detail: '请求无效：请求体的大小与 Content-Length 不符' });
  });

  it('explains a metric that cannot be defined in Chinese, with its filter diagnostics', async () => {
    const metric = { key: 'long_views', name: '长浏览', aggregation: 'count', event_type: 'product_viewed', filter: 'dwell >= 30' };
    const reply = await api.post('/api/v1/metrics', metric, CHINESE);
    expect(reply.body).toMatchObject({ status: 400, code: 'METRIC_INVALID', title: '指标定义无效' });
    expect(reply.body.detail).toMatch(/^无法定义该指标：指标「long_views」的筛选条件：.*「dwell」.*（第 1 列）$/);
    expect(reply.body.errors?.[0]).toMatchObject({ code: 'EXPRESSION_UNKNOWN_NAME', path: 'filter', column: 1, found: 'dwell', reason: 'unknown_name' });
    expect(reply.body.errors?.[0]?.message).toMatch(/「dwell」/);
    const english = await api.post('/api/v1/metrics', metric);
    expect(english.body.detail).toMatch(/^The metric cannot be defined: metric "long_views": filter .*"dwell".* \(column 1\)$/);
  });
});
