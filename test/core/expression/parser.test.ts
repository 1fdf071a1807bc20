import { describe, expect, it } from 'vitest';
import { parseExpression, type Expression } from '../../../src/core/expression/index.js';
import { withoutSpans } from './fixture.js';

function parse(source: string): Expression {
  const result = parseExpression(source);
  if (result.ast === undefined) throw new Error(JSON.stringify(result.diagnostics));
  expect(result.diagnostics).toEqual([]);
  return result.ast;
}

function shape(source: string): unknown {
  return withoutSpans(parse(source));
}

const name = (n: string) => ({ kind: 'name', name: n });
const str = (value: string) => ({ kind: 'string', value });
const num = (value: number) => ({ kind: 'number', value });
const eq = (subject: string, value: unknown) => ({ kind: 'comparison', subject: name(subject), operator: '=', value });

describe('parseExpression: predicates', () => {
  it('parses every comparison operator, before and after', () => {
    for (const operator of ['=', '!=', '<', '<=', '>', '>=', 'before', 'after']) {
      expect(shape(`x ${operator} 1`)).toEqual({ kind: 'comparison', subject: name('x'), operator, value: num(1) });
    }
  });

  it('parses in and not in lists', () => {
    expect(shape('city in ("广州", "深圳")')).toEqual({ kind: 'in', subject: name('city'), negated: false, values: [str('广州'), str('深圳')] });
    expect(shape('city not in ("北京")')).toEqual({ kind: 'in', subject: name('city'), negated: true, values: [str('北京')] });
  });

  it('parses between, has, exists, missing and within', () => {
    expect(shape('spend_365d between 500 and 1000')).toEqual({ kind: 'between', subject: name('spend_365d'), low: num(500), high: num(1000) });
    for (const quantifier of ['any', 'all', 'none']) {
      expect(shape(`interests has ${quantifier} ("高尔夫", "钓鱼")`)).toEqual({ kind: 'has', subject: name('interests'), quantifier, values: [str('高尔夫'), str('钓鱼')] });
    }
    // One value without a quantifier, as people first write it, is `has any`.
    expect(shape('interests has "高尔夫"')).toEqual(shape('interests has any ("高尔夫")'));
    expect(shape('interests HAS "any"')).toEqual({ kind: 'has', subject: name('interests'), quantifier: 'any', values: [str('any')] });
    expect(shape('phone exists')).toEqual({ kind: 'presence', subject: name('phone'), operator: 'exists' });
    expect(shape('email missing')).toEqual({ kind: 'presence', subject: name('email'), operator: 'missing' });
    expect(shape('birthday within 7 days')).toEqual({ kind: 'within', subject: name('birthday'), duration: { kind: 'duration', amount: 7, unit: 'day' } });
  });

  it('parses a name alone as a condition, for the checker to read as true or false', () => {
    const bare = (subject: string) => ({ kind: 'bare', subject: name(subject) });
    expect(shape('has_phone')).toEqual(bare('has_phone'));
    expect(shape('segment("高价值人群") and has_phone')).toEqual({ kind: 'and', operands: [{ kind: 'segment', segment: str('高价值人群') }, bare('has_phone')] });
    expect(shape('not is_member or `有 会员卡`')).toEqual({ kind: 'or', operands: [{ kind: 'not', operand: bare('is_member') }, bare('有 会员卡')] });
    expect(shape('(has_email) and x = 1')).toEqual({ kind: 'and', operands: [bare('has_email'), eq('x', num(1))] });
    // Something else after the name is still a missing operator.
    expect(parseExpression('has_phone "x"').diagnostics[0]).toMatchObject({ code: 'EXPRESSION_SYNTAX', reason: 'expected_operator' });
    expect(parseExpression('has_phone not').diagnostics[0]).toMatchObject({ code: 'EXPRESSION_SYNTAX' });
  });

  it('parses tagged() and segment()', () => {
    expect(shape('tagged("vip")')).toEqual({ kind: 'tagged', tag: str('vip') });
    expect(shape('segment("高价值人群")')).toEqual({ kind: 'segment', segment: str('高价值人群') });
  });

  it('parses every literal: strings, numbers, booleans, date() and relative dates in every unit', () => {
    expect(shape("x = 'single'")).toEqual(eq('x', str('single')));
    expect(shape('x = -12.5')).toEqual(eq('x', num(-12.5)));
    expect(shape('x = true')).toEqual(eq('x', { kind: 'boolean', value: true }));
    expect(shape('x = FALSE')).toEqual(eq('x', { kind: 'boolean', value: false }));
    expect(shape('x after date("2026-01-31")')).toMatchObject({ operator: 'after', value: { kind: 'date', value: '2026-01-31' } });
    const units = { day: 'day', days: 'day', week: 'week', weeks: 'week', month: 'month', months: 'month', year: 'year', years: 'year' };
    for (const [word, unit] of Object.entries(units)) {
      expect(shape(`x before 3 ${word} ago`)).toMatchObject({ value: { kind: 'ago', duration: { kind: 'duration', amount: 3, unit } } });
    }
    expect(shape('x between 30 days ago and "2026-01-01"')).toMatchObject({ low: { kind: 'ago' }, high: str('2026-01-01') });
  });

  it('reads keywords in any case', () => {
    expect(shape('A = 1 AND NOT b Has Any ("x") OR c EXISTS')).toEqual(shape('A = 1 and not b has any ("x") or c exists'));
    expect(shape('x BEFORE 2 Days AGO')).toEqual(shape('x before 2 days ago'));
    expect(shape('TAGGED("vip") or Segment("s") or d = DATE("2026-01-01")')).toEqual(shape('tagged("vip") or segment("s") or d = date("2026-01-01")'));
  });

  it('lets contextual words be names where they are not keywords', () => {
    expect(shape('segment = "a"')).toEqual(eq('segment', str('a')));
    expect(shape('days > 3 and any exists')).toMatchObject({ kind: 'and', operands: [{ subject: name('days') }, { subject: name('any') }] });
    expect(shape('`exists` exists')).toEqual({ kind: 'presence', subject: name('exists'), operator: 'exists' });
  });

  it('reads Chinese and backtick-quoted names', () => {
    expect(shape('生命周期 >= "成熟客户"')).toEqual({ kind: 'comparison', subject: name('生命周期'), operator: '>=', value: str('成熟客户') });
    expect(shape('`RFM 等级` = "重要价值客户"')).toEqual(eq('RFM 等级', str('重要价值客户')));
    expect(shape('`会员-等级` in ("金卡")')).toMatchObject({ subject: name('会员-等级') });
  });

  it('keeps SQL fragments and emoji in strings verbatim', () => {
    expect(shape(`note = "'; DROP TABLE customers; --"`)).toEqual(eq('note', str("'; DROP TABLE customers; --")));
    expect(shape('nickname = "🎉小王🎉" -- 昵称')).toEqual(eq('nickname', str('🎉小王🎉')));
  });

  it('ignores comments and line breaks', () => {
    expect(shape('-- 高价值\nrfm = "重要价值客户" -- RFM\n  and spend_365d >= 1000\n')).toEqual(shape('rfm = "重要价值客户" and spend_365d >= 1000'));
  });
});

describe('parseExpression: precedence', () => {
  it('binds and tighter than or', () => {
    expect(shape('a = 1 or b = 2 and c = 3')).toEqual({ kind: 'or', operands: [eq('a', num(1)), { kind: 'and', operands: [eq('b', num(2)), eq('c', num(3))] }] });
  });

  it('binds not tighter than and, and looser than a comparison', () => {
    expect(shape('not a = 1 and b = 2')).toEqual({ kind: 'and', operands: [{ kind: 'not', operand: eq('a', num(1)) }, eq('b', num(2))] });
    expect(shape('not not a exists')).toEqual({ kind: 'not', operand: { kind: 'not', operand: { kind: 'presence', subject: name('a'), operator: 'exists' } } });
  });

  it('collects a chain into one node and keeps parenthesised groups nested', () => {
    expect(shape('a = 1 and b = 2 and c = 3')).toEqual({ kind: 'and', operands: [eq('a', num(1)), eq('b', num(2)), eq('c', num(3))] });
    expect(shape('(a = 1 and b = 2) and c = 3')).toEqual({ kind: 'and', operands: [{ kind: 'and', operands: [eq('a', num(1)), eq('b', num(2))] }, eq('c', num(3))] });
    expect(shape('(a = 1 or b = 2) and c = 3')).toEqual({ kind: 'and', operands: [{ kind: 'or', operands: [eq('a', num(1)), eq('b', num(2))] }, eq('c', num(3))] });
    expect(shape('((a = 1))')).toEqual(eq('a', num(1)));
  });

  it('reads the "and" of between as part of between', () => {
    expect(shape('x between 1 and 2 and y = 3')).toEqual({
      kind: 'and',
      operands: [{ kind: 'between', subject: name('x'), low: num(1), high: num(2) }, eq('y', num(3))],
    });
  });

  it('parses the examples of the design document', () => {
    const examples = [
      'rfm = "重要价值客户" and spend_365d >= 1000',
      'interests has any ("高尔夫", "钓鱼") and not status = "流失客户"',
      'lifecycle >= "成熟客户"',
      'city in ("广州", "深圳") and birthday within 7 days',
      'last_order_at before 90 days ago or tagged("vip")',
      'spend_365d between 500 and 1000',
      'phone exists',
      'email missing',
      'segment("高价值人群")',
    ];
    for (const example of examples) expect(parseExpression(example).diagnostics).toEqual([]);
  });
});

describe('parseExpression: positions', () => {
  it('puts a span on every node, covering its text', () => {
    const source = 'not 城市 = "广州" or\n  x between 1 and 20';
    const ast = parse(source);
    const text = (span: { offset: number; length: number }) => source.slice(span.offset, span.offset + span.length);
    expect(ast.kind).toBe('or');
    if (ast.kind !== 'or') return;
    expect(text(ast.span)).toBe(source);
    const [first, second] = ast.operands;
    expect(first && text(first.span)).toBe('not 城市 = "广州"');
    expect(second?.span).toEqual({ offset: 19, length: 18, line: 2, column: 3 });
    if (first?.kind !== 'not' || first.operand.kind !== 'comparison') throw new Error('unexpected shape');
    expect(first.operand.subject.span).toEqual({ offset: 4, length: 2, line: 1, column: 5 });
    expect(text(first.operand.value.span)).toBe('"广州"');
  });

  it('spans calls, date() and relative dates whole', () => {
    const source = 'd after date("2026-01-31") or t before 3 weeks ago or tagged("v")';
    const ast = parse(source);
    if (ast.kind !== 'or') throw new Error('unexpected shape');
    const slices = ast.operands.map((operand) => source.slice(operand.span.offset, operand.span.offset + operand.span.length));
    expect(slices).toEqual(['d after date("2026-01-31")', 't before 3 weeks ago', 'tagged("v")']);
  });
});
