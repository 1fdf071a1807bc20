import { describe, expect, it } from 'vitest';
import { CatalogIndex, checkExpression, compileExpression, parseExpression, type ExpressionDiagnostic } from '../../../src/core/expression/index.js';
import { diagnosticMessage } from '../../../src/core/expression/diagnostic.js';
import { bind, catalog, withoutSpans } from './fixture.js';

function diagnostics(source: string): ExpressionDiagnostic[] {
  const result = compileExpression(source, catalog);
  expect(result.bound).toBeUndefined();
  expect(result.diagnostics.length).toBeGreaterThan(0);
  return result.diagnostics;
}

function only(source: string): ExpressionDiagnostic {
  const found = diagnostics(source);
  expect(found).toHaveLength(1);
  const [diagnostic] = found;
  if (diagnostic === undefined) throw new Error('no diagnostic');
  return diagnostic;
}

const rfm = { key: 'rfm', name: 'RFM等级', cardinality: 'single', ordered: false };
const lifecycle = { key: 'lifecycle', name: '生命周期', cardinality: 'single', ordered: true };
const interests = { key: 'interests', name: '兴趣', cardinality: 'multi', ordered: false };
const spend = { source: 'metric', key: 'spend_365d', name: '近一年消费', type: 'number' };
const lastOrder = { source: 'metric', key: 'last_order_at', name: '最近下单时间', type: 'timestamp' };
const birthday = { source: 'field', key: 'birthday', name: '生日', type: 'date' };

describe('checkExpression: resolving names', () => {
  it('finds tags, fields and metrics by key or display name, and tag values by key or name', () => {
    const byKey = withoutSpans(bind('rfm = "important_value"'));
    expect(withoutSpans(bind('RFM等级 = "重要价值客户"'))).toEqual(byKey);
    expect(withoutSpans(bind('`RFM等级` = "important_value"'))).toEqual(byKey);
    expect(byKey).toEqual({ kind: 'tag', tag: rfm, test: 'any', valueKeys: ['important_value'], values: [{ key: 'important_value', name: '重要价值客户', order: 0 }] });
    expect(withoutSpans(bind('近一年消费 >= 1000'))).toEqual(withoutSpans(bind('spend_365d >= 1000')));
    expect(withoutSpans(bind('城市 = "广州"'))).toMatchObject({ kind: 'compare', attribute: { source: 'field', key: 'city', type: 'string' } });
    expect(withoutSpans(bind('`RFM 等级 (旧)` exists'))).toMatchObject({ tag: { key: 'level' } });
  });

  it('finds segments and tagged() tags by key or name', () => {
    expect(withoutSpans(bind('segment("高价值人群")'))).toEqual({ kind: 'segment', segment: { key: 'high_value', name: '高价值人群' } });
    expect(withoutSpans(bind('segment("dormant")'))).toEqual({ kind: 'segment', segment: { key: 'dormant', name: '沉睡人群' } });
    expect(withoutSpans(bind('tagged("VIP")'))).toEqual({ kind: 'tag', tag: { key: 'vip', name: 'VIP', cardinality: 'single', ordered: false }, test: 'present', valueKeys: [], values: [] });
    expect(withoutSpans(bind('tagged("兴趣")'))).toMatchObject({ tag: interests, test: 'present' });
  });

  it('prefers keys to names, and tags to fields to metrics', () => {
    const clash = new CatalogIndex({
      tags: [{ key: 'city', name: 'score', cardinality: 'single', ordered: false, values: [{ key: 'gz', name: '广州', order: 0 }] }],
      fields: [{ key: 'city', type: 'string' }, { key: 'score', type: 'number' }],
      metrics: [{ key: 'score', type: 'number' }],
      segments: [],
    });
    expect(clash.subject('city')).toMatchObject({ kind: 'tag' });
    expect(clash.subject('score')).toMatchObject({ kind: 'attribute', source: 'field' });
  });

  it('reports an unknown name and suggests the nearest one', () => {
    expect(only('rfn = "重要价值客户"')).toMatchObject({ code: 'EXPRESSION_UNKNOWN_NAME', column: 1, length: 3, found: 'rfn', suggestion: 'rfm' });
    expect(only('RFM = "x"').suggestion).toBe('rfm');
    expect(only('生命周 >= "成熟客户"').suggestion).toBe('生命周期');
    expect(only('spend_356d > 1').suggestion).toBe('spend_365d');
    expect(only('完全无关的名字 exists').suggestion).toBeUndefined();
    expect(only('rfn = "x"').message).toBe('Unknown tag, field or metric "rfn": no tag, field or metric has that key or name. Did you mean "rfm"?');
  });

  it('reports a tag archived since as archived, by key or name, in a predicate or in tagged()', () => {
    const withArchived = { ...catalog, archivedTags: [{ key: 'old_level', name: '旧等级' }] };
    const diagnostic = (source: string) => compileExpression(source, withArchived).diagnostics[0];
    expect(diagnostic('旧等级 = "a"')).toMatchObject({ code: 'EXPRESSION_UNKNOWN_NAME', reason: 'archived_tag', params: { tag: '旧等级' }, found: '旧等级', message: 'Tag "旧等级" is archived: restore it in the tag library, or take it out of the expression.' });
    expect(diagnostic('tagged("old_level")')).toMatchObject({ reason: 'archived_tag', found: '"old_level"' });
    expect(diagnostic('segment("旧等级")')).toMatchObject({ reason: 'unknown_name' });
    expect(diagnostic('old_levle exists')).toMatchObject({ reason: 'unknown_name' });
  });

  it('reports an unknown tag value, suggesting by edit distance or by a unique containing name', () => {
    expect(only('rfm = "重要价值客"')).toMatchObject({ code: 'EXPRESSION_UNKNOWN_NAME', column: 7, found: '"重要价值客"', suggestion: '重要价值客户' });
    expect(only('lifecycle >= "成熟"').suggestion).toBe('成熟客户');
    expect(only('interests has any ("高尔夫", "钓")')).toMatchObject({ column: 27, suggestion: '钓鱼' });
    expect(only('rfm = "重要"').suggestion).toBeUndefined();
  });

  it('suggests nothing for a name or value of one or two characters: one edit away is no near miss', () => {
    // A third of the length, rounded down, is no edit at all: `a` is as near to 链 as to nothing.
    const withShortNames: typeof catalog = {
      ...catalog,
      tags: [...catalog.tags, { key: 'chain', name: '链', cardinality: 'single', ordered: false, values: [] }, { key: 'grade', name: '等级', cardinality: 'single', ordered: false, values: [{ key: 'a', name: '甲', order: 0 }, { key: 'b', name: '乙', order: 1 }] }],
    };
    const first = (source: string) => compileExpression(source, withShortNames).diagnostics[0];
    expect(first('a = 1')).toMatchObject({ code: 'EXPRESSION_UNKNOWN_NAME', found: 'a' });
    expect(first('a = 1')?.suggestion).toBeUndefined();
    expect(first('a = 1')?.message).not.toContain('Did you mean');
    expect(first('grade = "q"')).toMatchObject({ code: 'EXPRESSION_UNKNOWN_NAME', found: '"q"' });
    expect(first('grade = "q"')?.suggestion).toBeUndefined();
    expect(first('grade = "z"')?.suggestion).toBeUndefined();
    expect(only('level = "3"').suggestion).toBeUndefined();
    expect(only('vip = "否"').suggestion).toBeUndefined();
    // Three characters allow one edit.
    expect(only('agr > 1').suggestion).toBe('age');
    // A short name said in full is still found, as the one known name inside what was typed.
    expect(first('grade = "甲等"')?.suggestion).toBe('甲');
    expect(first('grade = "甲乙"')?.suggestion).toBeUndefined();
  });

  it('reports unknown segments, tagged() tags and enum options with suggestions', () => {
    expect(only('segment("高价值人")')).toMatchObject({ code: 'EXPRESSION_UNKNOWN_NAME', column: 9, suggestion: '高价值人群' });
    expect(only('tagged("vipp")')).toMatchObject({ code: 'EXPRESSION_UNKNOWN_NAME', suggestion: 'vip' });
    expect(only('gender = "femal"')).toMatchObject({ code: 'EXPRESSION_UNKNOWN_NAME', suggestion: 'female' });
    expect(only('gender in ("女")').message).toContain('Its options are "male", "female", "unknown".');
    // Nothing between the quotes is said to be nothing, not an unknown name 「」.
    // Its example names a segment as the demo's are named (vip_care is a tag's key).
    const empty = only('segment("")');
    expect(empty).toMatchObject({ code: 'EXPRESSION_UNKNOWN_NAME', reason: 'empty_name', message: 'segment("") names no segment: write its key or name between the quotes, as in segment("active_buyers").' });
    expect(diagnosticMessage(empty, 'zh-CN')).toBe('segment("") 没有写人群：请在引号中写上人群的标识或名称，例如 segment("活跃买家")。');
    expect(only('tagged(" ")')).toMatchObject({ reason: 'empty_name', message: expect.stringContaining('tagged("") names no tag') });
  });

  it('reports every problem of an expression in one run', () => {
    const found = diagnostics('rfn = "a" or spend_365d = "1" or segment("nope") or city between 1 and 2');
    expect(found.map((d) => d.code)).toEqual(['EXPRESSION_UNKNOWN_NAME', 'EXPRESSION_TYPE', 'EXPRESSION_UNKNOWN_NAME', 'EXPRESSION_TYPE']);
    expect(found.map((d) => d.column)).toEqual([1, 27, 42, 53]);
  });

  it('gives as found the text at the span as it was typed, not its canonical form', () => {
    for (const source of ['rfm has "重要价值客户"', 'RFM等级  IN  (\'x\')', 'city   >   \'广州\'', 'spend_365d >= "1000"', 'tagged(\'nope\')', 'birthday = date(\'2026-02-30\')', 'last_order_at = 3 DAYS AGO', 'rfm =\n  1']) {
      for (const diagnostic of diagnostics(source)) expect(diagnostic.found, source).toBe(source.slice(diagnostic.offset, diagnostic.offset + diagnostic.length));
    }
    expect(only('rfm has "重要价值客户"')).toMatchObject({ found: 'rfm has "重要价值客户"', suggestion: 'rfm in ("重要价值客户")' });
  });

  it('accepts a prepared CatalogIndex', () => {
    const parsed = parseExpression('rfm exists');
    if (parsed.ast === undefined) throw new Error('did not parse');
    expect(checkExpression(parsed.ast, new CatalogIndex(catalog)).bound).toBeDefined();
  });
});

describe('checkExpression: tags', () => {
  it('binds = and != on a single-valued tag to any and none', () => {
    expect(withoutSpans(bind('rfm != "一般客户"'))).toMatchObject({ test: 'none', valueKeys: ['general'] });
    expect(withoutSpans(bind('rfm in ("重要价值客户", "general")'))).toMatchObject({ test: 'any', valueKeys: ['important_value', 'general'] });
    expect(withoutSpans(bind('rfm not in ("general")'))).toMatchObject({ test: 'none', valueKeys: ['general'] });
  });

  it('binds ordered comparisons and between to the set of values in range', () => {
    const keys = (source: string) => withoutSpans(bind(source)) as { valueKeys: string[] };
    expect(keys('lifecycle >= "成熟客户"').valueKeys).toEqual(['mature', 'loyal']);
    expect(keys('lifecycle > "mature"').valueKeys).toEqual(['loyal']);
    expect(keys('lifecycle < "成熟客户"').valueKeys).toEqual(['new', 'growing']);
    expect(keys('lifecycle <= "new"').valueKeys).toEqual(['new']);
    expect(keys('lifecycle > "loyal"').valueKeys).toEqual([]);
    expect(keys('lifecycle between "成长客户" and "忠诚客户"').valueKeys).toEqual(['growing', 'mature', 'loyal']);
    // Like SQL, a range written high to low is empty.
    expect(keys('lifecycle between "loyal" and "new"').valueKeys).toEqual([]);
    expect(withoutSpans(bind('lifecycle >= "成熟客户"'))).toMatchObject({ tag: lifecycle, values: [{ key: 'mature', name: '成熟客户', order: 2 }] });
  });

  it('binds has any/all/none and presence', () => {
    expect(withoutSpans(bind('interests has any ("高尔夫", "钓鱼")'))).toMatchObject({ tag: interests, test: 'any', valueKeys: ['golf', 'fishing'] });
    expect(withoutSpans(bind('interests has all ("golf", "tea")'))).toMatchObject({ test: 'all', valueKeys: ['golf', 'tea'] });
    expect(withoutSpans(bind('interests has none ("tea")'))).toMatchObject({ test: 'none', valueKeys: ['tea'] });
    expect(withoutSpans(bind('interests exists'))).toMatchObject({ test: 'present', valueKeys: [] });
    expect(withoutSpans(bind('rfm missing'))).toMatchObject({ test: 'absent', valueKeys: [] });
  });

  it('rejects has on a single-valued tag, suggesting in', () => {
    expect(only('rfm has any ("重要价值客户")')).toMatchObject({ code: 'EXPRESSION_TYPE', column: 1, suggestion: 'rfm in ("重要价值客户")' });
    expect(only('rfm has none ("一般客户")').suggestion).toBe('rfm not in ("一般客户")');
    expect(only('rfm has all ("一般客户")').suggestion).toBeUndefined();
  });

  it('rejects comparisons and in on a multi-valued tag, suggesting has', () => {
    expect(only('interests = "高尔夫"')).toMatchObject({ code: 'EXPRESSION_TYPE', suggestion: 'interests has any ("高尔夫")' });
    expect(only('interests != "高尔夫"').suggestion).toBe('interests has none ("高尔夫")');
    expect(only('interests in ("高尔夫", "钓鱼")').suggestion).toBe('interests has any ("高尔夫", "钓鱼")');
    expect(only('interests not in ("高尔夫")').suggestion).toBe('interests has none ("高尔夫")');
    expect(only('interests > "高尔夫"').code).toBe('EXPRESSION_TYPE');
    expect(only('interests between "高尔夫" and "钓鱼"').code).toBe('EXPRESSION_TYPE');
  });

  it('rejects order on an unordered tag', () => {
    expect(only('rfm < "一般客户"')).toMatchObject({ code: 'EXPRESSION_TYPE', message: '"<" needs an ordered tag; the values of tag "rfm" have no order.' });
    expect(only('rfm between "重要价值客户" and "一般客户"').code).toBe('EXPRESSION_TYPE');
  });

  it('rejects a number, boolean or date where a tag value belongs', () => {
    expect(only('rfm = 1')).toMatchObject({ code: 'EXPRESSION_TYPE', column: 7, found: '1', suggestion: '"1"' });
    expect(only('rfm = true').suggestion).toBe('"true"');
    expect(only('rfm = date("2026-01-01")').code).toBe('EXPRESSION_TYPE');
    expect(only('rfm before 3 days ago').code).toBe('EXPRESSION_TYPE');
    expect(only('rfm within 3 days').code).toBe('EXPRESSION_TYPE');
  });
});

describe('checkExpression: fields and metrics', () => {
  it('binds comparisons, with before and after as < and >', () => {
    expect(withoutSpans(bind('spend_365d >= 1000'))).toEqual({ kind: 'compare', attribute: spend, operator: '>=', value: { kind: 'number', value: 1000 } });
    expect(withoutSpans(bind('last_order_at before 90 days ago'))).toEqual({
      kind: 'compare',
      attribute: lastOrder,
      operator: '<',
      value: { kind: 'relative', duration: { amount: 90, unit: 'day', days: 90 } },
    });
    expect(withoutSpans(bind('birthday after "2000-01-01"'))).toMatchObject({ operator: '>', value: { kind: 'date', value: '2000-01-01' } });
    expect(withoutSpans(bind('is_member = true'))).toMatchObject({ value: { kind: 'boolean', value: true } });
    expect(withoutSpans(bind('gender != "female"'))).toMatchObject({ operator: '!=', value: { kind: 'string', value: 'female' } });
  });

  it('binds dates and times for timestamps: a plain date is a day, a time is an instant', () => {
    expect(withoutSpans(bind('last_order_at >= "2026-01-31"'))).toMatchObject({ value: { kind: 'date', value: '2026-01-31' } });
    expect(withoutSpans(bind('last_order_at >= date("2026-01-31")'))).toMatchObject({ value: { kind: 'date', value: '2026-01-31' } });
    expect(withoutSpans(bind('last_order_at >= "2026-01-31T08:00:00+08:00"'))).toMatchObject({ value: { kind: 'instant', time: { ms: Date.UTC(2026, 0, 31), zoned: true } } });
    // Without an offset a clock time, which the workspace's offset places where the expression runs.
    expect(withoutSpans(bind('last_order_at >= "2026-01-31 08:00"'))).toMatchObject({ value: { kind: 'instant', time: { ms: Date.UTC(2026, 0, 31, 8), zoned: false } } });
  });

  it('converts weeks, months and years to fixed numbers of days', () => {
    const days = (source: string) => (withoutSpans(bind(source)) as { duration: { days: number } }).duration.days;
    expect(days('last_order_at within 2 weeks')).toBe(14);
    expect(days('last_order_at within 3 months')).toBe(90);
    expect(days('last_order_at within 1 year')).toBe(365);
  });

  it('binds within as the last N days for timestamps and a yearly anniversary for dates', () => {
    expect(withoutSpans(bind('last_order_at within 30 days'))).toEqual({ kind: 'withinLast', attribute: lastOrder, duration: { amount: 30, unit: 'day', days: 30 } });
    expect(withoutSpans(bind('birthday within 7 days'))).toEqual({ kind: 'withinAnniversary', attribute: birthday, duration: { amount: 7, unit: 'day', days: 7 } });
  });

  it('binds in, between and presence', () => {
    expect(withoutSpans(bind('city not in ("广州", "深圳")'))).toMatchObject({ kind: 'in', negated: true, values: [{ kind: 'string', value: '广州' }, { kind: 'string', value: '深圳' }] });
    expect(withoutSpans(bind('spend_365d between 500 and 1000'))).toMatchObject({ kind: 'between', low: { kind: 'number', value: 500 }, high: { kind: 'number', value: 1000 } });
    expect(withoutSpans(bind('phone exists'))).toEqual({ kind: 'presence', attribute: { source: 'field', key: 'phone', name: 'phone', type: 'string' }, present: true });
  });

  it('rejects a value of the wrong type, suggesting the right spelling', () => {
    expect(only('spend_365d >= "1000"')).toMatchObject({ code: 'EXPRESSION_TYPE', column: 15, suggestion: '1000', message: 'Metric "spend_365d" (a number) cannot be compared with the text "1000".' });
    expect(only('phone = 13800138000')).toMatchObject({ code: 'EXPRESSION_TYPE', suggestion: '"13800138000"' });
    expect(only('is_member = "true"').suggestion).toBe('true');
    expect(only('birthday > 2000').code).toBe('EXPRESSION_TYPE');
    expect(only('city = 3 days ago').code).toBe('EXPRESSION_TYPE');
    expect(only('age = date("2026-01-01")').code).toBe('EXPRESSION_TYPE');
  });

  it('rejects order and between on text, enums and booleans', () => {
    expect(only('city > "广州"')).toMatchObject({ code: 'EXPRESSION_TYPE', column: 1, found: 'city > "广州"' });
    expect(only('city between "a" and "b"').code).toBe('EXPRESSION_TYPE');
    expect(only('gender < "male"').code).toBe('EXPRESSION_TYPE');
    expect(only('is_member >= true').code).toBe('EXPRESSION_TYPE');
  });

  it('rejects before, after and within on what is not a date or timestamp', () => {
    expect(only('spend_365d before 3 days ago').code).toBe('EXPRESSION_TYPE');
    expect(only('city after "2026-01-01"').code).toBe('EXPRESSION_TYPE');
    expect(only('spend_365d within 7 days')).toMatchObject({ code: 'EXPRESSION_TYPE', message: '"within" works on dates and timestamps; metric "spend_365d" (a number) is not one.' });
  });

  it('reads a boolean written alone as = true, and not before it as not (= true)', () => {
    const hasPhone = { source: 'field', key: 'has_phone', name: '有手机号', type: 'boolean' };
    expect(withoutSpans(bind('has_phone'))).toEqual(withoutSpans(bind('has_phone = true')));
    expect(withoutSpans(bind('有手机号'))).toEqual({ kind: 'compare', attribute: hasPhone, operator: '=', value: { kind: 'boolean', value: true } });
    expect(withoutSpans(bind('not is_member'))).toEqual(withoutSpans(bind('not is_member = true')));
    expect(withoutSpans(bind('segment("高价值人群") and has_phone'))).toEqual(withoutSpans(bind('segment("高价值人群") and has_phone = true')));
    expect(compileExpression('has_wechat or has_email', catalog).dependencies.fields).toEqual(['has_email', 'has_wechat']);
  });

  it('refuses a name alone that is not true or false, saying how to compare it', () => {
    expect(only('city')).toMatchObject({
      code: 'EXPRESSION_TYPE',
      reason: 'bare_not_boolean',
      column: 1,
      length: 4,
      found: 'city',
      suggestion: 'city exists',
      message: 'Field "city" (text) is not true or false, so it is no condition alone: compare it, as city = "…", or test it with "exists".',
    });
    expect(only('has_phone and spend_365d').message).toBe('Metric "spend_365d" (a number) is not true or false, so it is no condition alone: compare it, as spend_365d > 0, or test it with "exists".');
    expect(only('not rfm')).toMatchObject({ reason: 'bare_tag', found: 'rfm', suggestion: 'rfm exists', message: 'Tag "RFM等级" holds tag values, so it is no condition alone: compare it, as rfm = "重要价值客户", or test it with "exists".' });
    expect(only('兴趣').message).toContain('as 兴趣 has any (');
    expect(diagnosticMessage(only('city'), 'zh-CN')).toBe('字段「city」（文本）不是真假值，不能单独作为条件：请与值比较，例如 city = "…"，或用 "exists" 判断是否有值。');
    expect(only('ctiy')).toMatchObject({ code: 'EXPRESSION_UNKNOWN_NAME', suggestion: 'city' });
  });

  it('rejects has on a field, suggesting in', () => {
    expect(only('city has any ("广州")')).toMatchObject({ code: 'EXPRESSION_TYPE', suggestion: 'city in ("广州")' });
  });

  it('rejects exact equality between a timestamp and a relative date', () => {
    expect(only('last_order_at = 3 days ago').code).toBe('EXPRESSION_TYPE');
    expect(only('last_order_at in ("2026-01-01", 3 days ago)')).toMatchObject({ code: 'EXPRESSION_TYPE', column: 33, found: '3 days ago' });
    expect(withoutSpans(bind('birthday = 0 days ago'))).toMatchObject({ value: { kind: 'relative' } });
  });

  it('rejects dates that do not exist and durations that are not whole days', () => {
    expect(only('birthday = "2026-02-30"')).toMatchObject({ code: 'EXPRESSION_INVALID_VALUE', column: 12 });
    expect(only('birthday = date("2026/01/31")').code).toBe('EXPRESSION_INVALID_VALUE');
    expect(only('birthday = "2026-01-31T08:00:00Z"').code).toBe('EXPRESSION_INVALID_VALUE');
    expect(only('last_order_at > date("2026-01-31T08:00:00Z")').code).toBe('EXPRESSION_INVALID_VALUE');
    expect(only('last_order_at > "yesterday"').code).toBe('EXPRESSION_INVALID_VALUE');
    expect(only('last_order_at within 1.5 days').code).toBe('EXPRESSION_INVALID_VALUE');
    expect(only('last_order_at within -1 days').code).toBe('EXPRESSION_INVALID_VALUE');
    expect(only('last_order_at before 101 years ago').code).toBe('EXPRESSION_INVALID_VALUE');
    expect(withoutSpans(bind('last_order_at before 100 years ago'))).toMatchObject({ value: { duration: { days: 36_500 } } });
  });
});

describe('compileExpression: dependencies', () => {
  it('lists the tags, fields, metrics and segments read, sorted and distinct', () => {
    const result = compileExpression('rfm = "重要价值客户" and (city = "广州" or 城市 = "深圳") and spend_365d > 1 and segment("沉睡人群") and tagged("vip") and rfm exists', catalog);
    expect(result.dependencies).toEqual({ tags: ['rfm', 'vip'], fields: ['city'], metrics: ['spend_365d'], segments: ['dormant'], clock: false });
  });

  it('marks expressions that read the clock', () => {
    const clock = (source: string) => compileExpression(source, catalog).dependencies.clock;
    expect(clock('last_order_at before 90 days ago')).toBe(true);
    expect(clock('not last_order_at within 30 days')).toBe(true);
    expect(clock('birthday within 7 days')).toBe(true);
    expect(clock('birthday in ("2000-01-01", 0 days ago)')).toBe(true);
    expect(clock('last_order_at between "2026-01-01" and 1 day ago')).toBe(true);
    expect(clock('last_order_at between "2026-01-01" and "2026-02-01"')).toBe(false);
  });

  it('reports no dependencies and no bound tree when there are diagnostics', () => {
    const result = compileExpression('rfm = "x"', catalog);
    expect(result.bound).toBeUndefined();
    expect(result.dependencies).toEqual({ tags: [], fields: [], metrics: [], segments: [], clock: false });
    expect(result.ast).toBeDefined();
  });
});
