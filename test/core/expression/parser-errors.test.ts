import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_NESTING_DEPTH, compileExpression, parseExpression, type ExpressionDiagnostic } from '../../../src/core/expression/index.js';
import { diagnosticMessage } from '../../../src/core/expression/diagnostic.js';
import { catalog as fixtureCatalog } from './fixture.js';

const CONDITION = ['a name', 'not', '(', 'tagged("…")', 'segment("…")'];
const OPERATOR = ['=', '!=', '<', '<=', '>', '>=', 'in', 'not in', 'between', 'has', 'exists', 'missing', 'before', 'after', 'within'];
const VALUE = ['a string', 'a number', 'true', 'false', 'date("…")', 'N days ago'];

function error(source: string): ExpressionDiagnostic {
  const result = parseExpression(source);
  expect(result.ast).toBeUndefined();
  expect(result.diagnostics).toHaveLength(1);
  const [diagnostic] = result.diagnostics;
  if (diagnostic === undefined) throw new Error('no diagnostic');
  expect(diagnostic.code).toBe('EXPRESSION_SYNTAX');
  return diagnostic;
}

describe('parseExpression: syntax errors are data', () => {
  it('answers an operator keyword mistyped with the keyword, in place', () => {
    expect(error('age betwen 1 and 2')).toMatchObject({ reason: 'expected_operator', offset: 4, length: 6, column: 5, found: 'betwen', suggestion: 'between', expected: OPERATOR });
    expect(error('age exsits')).toMatchObject({ found: 'exsits', suggestion: 'exists' });
    expect(error('age misisng')).toMatchObject({ found: 'misisng', suggestion: 'missing' });
    expect(error('birthday withn 7 days')).toMatchObject({ found: 'withn', suggestion: 'within' });
    expect(error('interests hass any ("a")')).toMatchObject({ found: 'hass', suggestion: 'has' });
    expect(error('age nto in (1)')).toMatchObject({ found: 'nto', suggestion: 'not in' });
    expect(error('age BEFOER 7 days ago')).toMatchObject({ found: 'BEFOER', suggestion: 'before' });
    // Too far from every keyword, or too short to tell: no guess.
    expect(error('age is 1').suggestion).toBeUndefined();
    expect(error('has_phone city').suggestion).toBeUndefined();
    expect(error('age `betwen` 1').suggestion).toBeUndefined();
  });

  it('reports an empty expression', () => {
    expect(error('')).toMatchObject({ offset: 0, length: 0, line: 1, column: 1, found: '', expected: CONDITION });
    expect(error('  -- only a comment')).toMatchObject({ column: 20, expected: CONDITION });
  });

  it('reports a missing value at the end of the input', () => {
    expect(error('rfm = ')).toMatchObject({
      offset: 6,
      length: 0,
      column: 7,
      found: '',
      expected: VALUE,
      message: 'Expected a string, a number, "true", "false", date("…") or N days ago but found the end of the expression.',
    });
  });

  it('says how to write one value of a multi-valued tag, and a mistyped quantifier as one', () => {
    expect(error('interests has 高尔夫')).toMatchObject({ column: 15, found: '高尔夫', expected: VALUE, suggestion: '"高尔夫"' });
    expect(error('interests has ayn ("高尔夫")')).toMatchObject({ column: 15, found: 'ayn', expected: ['any', 'all', 'none'] });
    expect(error('interests has ("高尔夫", "钓鱼")')).toMatchObject({ column: 15, found: '(', expected: ['any', 'all', 'none'] });
    expect(error('interests has')).toMatchObject({ column: 14, found: '', expected: ['any', 'all', 'none'] });
  });

  it('reads any one value after has, as the grammar writes it, and leaves its type to the checker', () => {
    for (const [source, value] of [['age has 1', 1], ['is_member has true', true], ['birthday has date("2026-01-31")', '2026-01-31']] as const) {
      const parsed = parseExpression(source);
      expect(parsed.diagnostics, source).toEqual([]);
      expect(parsed.ast, source).toMatchObject({ kind: 'has', quantifier: 'any', values: [{ value }] });
    }
    expect(compileExpression('age has 1', fixtureCatalog).diagnostics[0]).toMatchObject({ code: 'EXPRESSION_TYPE', reason: 'has_on_attribute', suggestion: 'age in (1)' });
    expect(compileExpression('interests has 1', fixtureCatalog).diagnostics[0]).toMatchObject({ code: 'EXPRESSION_TYPE', suggestion: '"1"' });
  });

  it('reports a missing operator after a name, naming the name', () => {
    expect(error('rfm "重要价值客户"')).toMatchObject({ column: 5, found: '"重要价值客户"', expected: OPERATOR, message: 'Expected an operator after "rfm" but found the string "重要价值客户".' });
    expect(error('city is null')).toMatchObject({ column: 6, found: 'is', expected: OPERATOR });
  });

  it('suggests quotes for a bare word where a value belongs', () => {
    expect(error('rfm = 重要价值客户')).toMatchObject({ column: 7, length: 6, found: '重要价值客户', suggestion: '"重要价值客户"', expected: VALUE });
    expect(error('city in ("广州", 深圳)')).toMatchObject({ column: 16, suggestion: '"深圳"' });
  });

  it('reports a keyword used as a name, and how to quote it', () => {
    expect(error('and = 1')).toMatchObject({ column: 1, found: 'and', suggestion: '`and`', expected: CONDITION });
    expect(error('a = 1 and or b = 2')).toMatchObject({ column: 11, found: 'or' });
  });

  it('tells an operator who joined conditions with a Chinese word which keyword to use', () => {
    expect(error('city = "上海" 和 spend_365d > 100')).toMatchObject({ column: 13, found: '和', suggestion: 'and', expected: ['and', 'or'], message: '"和" is not part of the language; join conditions with "and".' });
    expect(error('(a exists 或者 b exists)')).toMatchObject({ column: 11, found: '或者', suggestion: 'or' });
    // Only where and/or belong: elsewhere 和 is a name like any other.
    expect(error('a = 1 and 和 1')).toMatchObject({ found: '1', expected: OPERATOR });
  });

  it('tells an operator who compared with a Chinese word which operator to use', () => {
    expect(error('city 等于 "上海"')).toMatchObject({ column: 6, found: '等于', suggestion: '=', expected: OPERATOR, message: '"等于" is not part of the language; compare with "=".' });
    expect(error('spend_365d 大于等于 1000')).toMatchObject({ suggestion: '>=' });
    expect(error('city 不属于 ("上海", "北京")')).toMatchObject({ suggestion: 'not in' });
    const other = error('city 叫 "上海"');
    expect(other).toMatchObject({ found: '叫', message: 'Expected an operator after "city" but found the name "叫".' });
    expect(other.suggestion).toBeUndefined();
  });

  it('finds a Chinese operator or connective typed against a name without a space, and says where it is', () => {
    expect(error('城市等于"上海"')).toMatchObject({ offset: 2, length: 2, column: 3, found: '等于', suggestion: '=', expected: OPERATOR, message: '"等于" is not part of the language; compare with "=".' });
    expect(error('年龄大于等于30')).toMatchObject({ column: 3, found: '大于等于', suggestion: '>=' });
    expect(error('城市不等于"上海"')).toMatchObject({ found: '不等于', suggestion: '!=' });
    expect(error('城市="上海"和年龄>30')).toMatchObject({ offset: 7, length: 1, column: 8, found: '和', suggestion: 'and 年龄', expected: ['and', 'or'], message: '"和" is not part of the language; join conditions with "and".' });
    expect(error('a = 1 或者b = 2')).toMatchObject({ column: 7, found: '或者', suggestion: 'or b' });
    // The keyword itself typed against a Chinese name is one name too.
    expect(error('城市="上海"and年龄>30')).toMatchObject({ column: 8, found: 'and年龄', suggestion: 'and 年龄', expected: ['and', 'or'] });
    expect(error('a = 1 andy = 2').suggestion).toBeUndefined();
    // A single character (在, 是) is too often part of a name, and a quoted name is meant as written.
    expect(error('所在 "上海"')).toMatchObject({ reason: 'expected_operator', found: '"上海"' });
    expect(error('`城市等于` "上海"')).toMatchObject({ reason: 'expected_operator' });
    expect(error('x = 1 年龄 > 3')).toMatchObject({ reason: 'unexpected_token', found: '年龄' });
    // A name the catalog knows is not taken apart: the operator after it is what is missing.
    const known = parseExpression('是否存在投诉 "是"', { isKnownSubject: (name) => name === '是否存在投诉' }).diagnostics[0];
    expect(known).toMatchObject({ reason: 'expected_operator', found: '"是"' });
    expect(parseExpression('是否存在投诉 "是"').diagnostics[0]).toMatchObject({ reason: 'chinese_operator', found: '存在' });
    const catalog = { tags: [], fields: [{ key: 'complained', name: '是否存在投诉', type: 'string' as const }], metrics: [], segments: [] };
    expect(compileExpression('是否存在投诉 "是"', catalog).diagnostics[0]).toMatchObject({ reason: 'expected_operator' });
    expect(compileExpression('城市等于"上海"', catalog).diagnostics[0]).toMatchObject({ reason: 'chinese_operator', found: '等于' });
  });

  it('tells an operator who wrote a time unit in Chinese what to write', () => {
    expect(error('birthday within 7 天')).toMatchObject({ column: 19, found: '天', suggestion: '7 days', expected: ['days', 'weeks', 'months', 'years'], message: '"天" is not part of the language; write 7 days.' });
    expect(error('last_order_at before 90 天前')).toMatchObject({ column: 25, found: '天前', suggestion: '90 days ago', expected: VALUE });
    expect(error('last_order_at after 1 个月前')).toMatchObject({ suggestion: '1 month ago' });
    expect(error('last_order_at within 2 星期')).toMatchObject({ suggestion: '2 weeks' });
    expect(diagnosticMessage(error('birthday within 7 天'), 'zh-CN')).toBe('不能用“天”表示时间，请写成 7 days。');
  });

  it('tells an operator who wrote a date without quotes to quote it', () => {
    const unquoted = error('birthday before 1990-05-17 and city = "上海"');
    expect(unquoted).toMatchObject({ reason: 'date_not_quoted', column: 17, length: 10, found: '1990-05-17', suggestion: '"1990-05-17"', expected: VALUE });
    expect(unquoted.message).toBe('Expected a value but found 1990-05-17 without quotes. Dates are quoted: write "1990-05-17".');
    expect(diagnosticMessage(unquoted, 'zh-CN')).toBe('这里应为一个值，实际是没加引号的 1990-05-17。日期要加引号：请写成 "1990-05-17"。');
    expect(error('birthday between 1990-1-1 and "2000-01-01"')).toMatchObject({ found: '1990-1-1', suggestion: '"1990-1-1"' });
    expect(error('birthday in ("1990-05-17", 1991-05-17)')).toMatchObject({ found: '1991-05-17', column: 28 });
    // Numbers apart, or a subtraction-like list, are not taken for a date.
    expect(error('spend_365d >= 1000 -5')).toMatchObject({ reason: 'unexpected_token', found: '-5' });
    expect(error('spend_365d >= 2026 -05 -17')).toMatchObject({ reason: 'unexpected_token', found: '-05' });
  });

  it('tells an operator who wrote segment( or tagged( in Chinese what to write', () => {
    const segment = error('city = "上海" and 人群("活跃买家")');
    expect(segment).toMatchObject({ reason: 'chinese_call', column: 17, found: '人群', suggestion: 'segment', expected: CONDITION });
    expect(segment.message).toBe('"人群(…)" is not part of the language; membership of a saved segment is segment("key or name").');
    expect(diagnosticMessage(segment, 'zh-CN')).toBe('不能写“人群(…)”；属于已保存人群请写成 segment("标识或名称")。');
    expect(error('not 客群("高价值")')).toMatchObject({ found: '客群', suggestion: 'segment' });
    const tagged = error('标签("vip")');
    expect(tagged).toMatchObject({ reason: 'chinese_call', column: 1, found: '标签', suggestion: 'tagged' });
    expect(diagnosticMessage(tagged, 'zh-CN')).toBe('不能写“标签(…)”；有某个标签的任一值请写成 tagged("标识或名称")。');
    // A subject of that name is still a subject.
    expect(parseExpression('人群 = "高价值"').ast).toBeDefined();
  });

  it('reports unbalanced parentheses', () => {
    expect(error('(a exists')).toMatchObject({ column: 10, found: '', expected: ['and', 'or', ')'] });
    expect(error('a exists)')).toMatchObject({ column: 9, found: ')', expected: ['and', 'or', 'end of input'], message: 'Unbalanced ")": no "(" opens it.' });
    expect(error('()')).toMatchObject({ column: 2, found: ')', expected: CONDITION });
  });

  it('reports a bad list', () => {
    expect(error('city in "广州"')).toMatchObject({ column: 9, expected: ['('] });
    expect(error('city in ()')).toMatchObject({ column: 10, expected: VALUE });
    expect(error('city in ("广州" "深圳")')).toMatchObject({ column: 15, found: '"深圳"', expected: [',', ')'] });
    expect(error('city in ("广州",)')).toMatchObject({ column: 15, found: ')', expected: VALUE });
  });

  it('reports an incomplete between, has or not in', () => {
    expect(error('x between 1 or 2')).toMatchObject({ column: 13, found: 'or', expected: ['and'] });
    expect(error('interests has ("a")')).toMatchObject({ column: 15, expected: ['any', 'all', 'none'] });
    expect(error('x not exists')).toMatchObject({ column: 7, expected: ['in'], suggestion: 'missing' });
  });

  it('reports incomplete durations and relative dates', () => {
    expect(error('birthday within days')).toMatchObject({ column: 17, expected: ['a number'] });
    expect(error('birthday within 7')).toMatchObject({ column: 18, found: '', expected: ['days', 'weeks', 'months', 'years'] });
    expect(error('birthday within 7 fortnights')).toMatchObject({ column: 19, found: 'fortnights' });
    expect(error('last_order_at before 90 days')).toMatchObject({ column: 29, expected: ['ago'] });
  });

  it('reports calls without a quoted argument', () => {
    expect(error('tagged(vip)')).toMatchObject({ column: 8, found: 'vip', expected: ['a string'], suggestion: '"vip"' });
    expect(error('tagged("vip"')).toMatchObject({ column: 13, expected: [')'] });
    expect(error('x = date(2026)')).toMatchObject({ column: 10, expected: ['a string'] });
  });

  it('reports a condition that starts with a value', () => {
    expect(error('"重要价值客户" = rfm')).toMatchObject({ column: 1, expected: CONDITION });
  });

  it('counts columns in characters on the right line, for Chinese and emoji', () => {
    expect(error('城市 = "广州" and\n  生命周期 >= 成熟')).toMatchObject({ line: 2, column: 11, offset: 24, length: 2, found: '成熟' });
    expect(error('昵称 = "😀😀" and 😀 = 1')).toMatchObject({ line: 1, column: 15, offset: 16, length: 2, found: '😀' });
  });

  it("returns the first error only, the scanner's or, when it comes before, the parser's", () => {
    const result = parseExpression('city = "广州 and x');
    expect(result.ast).toBeUndefined();
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'EXPRESSION_SYNTAX', column: 8 })]);
    expect(error('city in （"广州"）')).toMatchObject({ reason: 'full_width_character', column: 9, suggestion: '(' });
    expect(error('note = "a\nb"')).toMatchObject({ reason: 'unterminated', line: 1, column: 8 });
    expect(error('city = "广州" && age > 1')).toMatchObject({ reason: 'operator_slip', column: 13, suggestion: 'and' });
    expect(error('city = = “广州”')).toMatchObject({ reason: 'unexpected_token', column: 8, found: '=' });
  });

  it('answers operators of other languages with the one to write, in English and Chinese', () => {
    const both = (source: string) => {
      const diagnostic = error(source);
      return [diagnostic.suggestion, diagnostic.message, diagnosticMessage(diagnostic, 'zh-CN')];
    };
    expect(both('age == 30')).toEqual(['=', '"==" is not part of the language; compare with "=".', '不能用 "==" 作比较，请改用 "="。']);
    expect(both('age <> 30')).toEqual(['!=', '"<>" is not part of the language; compare with "!=".', '不能用 "<>" 作比较，请改用 "!="。']);
    expect(both('age => 30')).toEqual(['>=', '"=>" is not part of the language; compare with ">=".', '不能用 "=>" 作比较，请改用 ">="。']);
    expect(both('a exists && b exists')).toEqual(['and', '"&&" is not part of the language; join conditions with "and".', '不能用 "&&" 连接条件，请改用 "and"。']);
    expect(both('a exists || b exists')).toEqual(['or', '"||" is not part of the language; join conditions with "or".', '不能用 "||" 连接条件，请改用 "or"。']);
    // The mathematical signs a phone keyboard or a pasted formula gives.
    expect(both('spend_365d ≥ 1000')).toEqual(['>=', '"≥" is not part of the language; compare with ">=".', '不能用 "≥" 作比较，请改用 ">="。']);
    expect(both('spend_365d ≤ 1000')[0]).toBe('<=');
    expect(both('city ≠ "广州"')[0]).toBe('!=');
  });

  it('names a curly or full-width quote in words, so the message does not read as a row of quotes', () => {
    const both = (source: string) => {
      const diagnostic = error(source);
      return [diagnostic.suggestion, diagnostic.message, diagnosticMessage(diagnostic, 'zh-CN')];
    };
    expect(both('city = “广州”')).toEqual(['"', 'Curly double quote “ is not part of the language; type the ASCII double quote " instead.', '不能使用中文引号 “，请改用半角双引号 "。']);
    expect(both("city = ‘广州’")).toEqual(["'", "Curly single quote ‘ is not part of the language; type the ASCII single quote ' instead.", "不能使用中文引号 ‘，请改用半角单引号 '。"]);
    expect(both('city = ＂广州＂')).toEqual(['"', 'Full-width double quote ＂ is not part of the language; type the ASCII double quote " instead.', '不能使用全角双引号 ＂，请改用半角双引号 "。']);
    expect(both('｀城市｀ exists')[2]).toBe('不能使用全角反引号 ｀，请改用半角反引号 `。');
    expect(both('city in （"广州")')[2]).toBe('不能使用全角字符“（”，请改用半角的 "("。');
    // Corner quotes are how the console itself shows a tag's value (「服务阶段: 售后」), and a Chinese keyboard types them for [ and ].
    expect(both('service_stage = 「售后」')).toEqual(['"', 'Corner quote 「 is not part of the language; type the ASCII double quote " instead.', '不能使用直角引号 「，请改用半角双引号 "。']);
    expect(both('city = 『广州』')[0]).toBe('"');
    expect(error('city = "广州」')).toMatchObject({ reason: 'unterminated' });
  });

  it('says lists are written in parentheses when one is written in square brackets or 【】', () => {
    for (const [source, char, suggestion] of [
      ['city in ["广州"]', '[', '('],
      ['city in 【"广州", "深圳"】', '【', '('],
      ['city in ("广州"]', ']', ')'],
    ] as const) {
      const diagnostic = error(source);
      expect(diagnostic).toMatchObject({ reason: 'list_bracket', found: char, suggestion });
      expect(diagnostic.message).toBe(`Unexpected character "${char}": lists are written in parentheses, as in city in ("广州", "深圳").`);
      expect(diagnosticMessage(diagnostic, 'zh-CN')).toBe(`无法识别的字符 "${char}"：列表用圆括号括起来，例如 city in ("广州", "深圳")。`);
    }
  });

  it('names an invisible character by its code point and what it is, since shown as it is it would be nothing', () => {
    const zeroWidth = error('city =\u200b "广州"');
    expect(zeroWidth).toMatchObject({ reason: 'invisible_character', column: 7, found: '\u200b', params: { code: 'U+200B' } });
    expect(zeroWidth.message).toBe('Unexpected invisible character U+200B (zero-width space), often pasted with text: delete it.');
    expect(diagnosticMessage(zeroWidth, 'zh-CN')).toBe('无法识别的不可见字符 U+200B（零宽空格），常随粘贴的文字带入：请删除它。');
    expect(error('city = "广州" and\u200d has_phone').message).toContain('U+200D (zero-width joiner)');
    expect(error('city\u0007 = "广州"').message).toBe('Unexpected invisible character U+0007, often pasted with text: delete it.');
    // A no-break space and a byte order mark are read as spaces, as JavaScript reads them.
    expect(parseExpression('\ufeffcity\u00a0= "广州"').diagnostics).toEqual([]);
  });

  it('refuses nesting deeper than the limit instead of overflowing the stack', () => {
    const deep = `${'('.repeat(MAX_NESTING_DEPTH + 1)}a exists${')'.repeat(MAX_NESTING_DEPTH + 1)}`;
    expect(error(deep).message).toContain(`deeper than ${MAX_NESTING_DEPTH}`);
    const nots = `${'not '.repeat(10_000)}a exists`;
    expect(error(nots).message).toContain('deeper');
    const fine = `${'('.repeat(MAX_NESTING_DEPTH)}a exists${')'.repeat(MAX_NESTING_DEPTH)}`;
    expect(parseExpression(fine).diagnostics).toEqual([]);
  });

  it('handles long flat chains without recursion', () => {
    const source = Array.from({ length: 5000 }, (_, i) => `x = ${i}`).join(' or ');
    const result = parseExpression(source);
    expect(result.ast?.kind === 'or' && result.ast.operands.length).toBe(5000);
  });

  it('never throws, and every diagnostic points inside the source', () => {
    const fragment = fc.constantFrom('rfm', '城市', '`a b`', 'and', 'or', 'not', 'in', 'has', 'any', 'between', 'exists', 'within', 'ago', 'days', 'tagged', 'date', '(', ')', ',', '=', '!=', '<=', '"广州"', "'x", '"', '7', '-1.5', '--', '\n', '😀', '（', '!', '-', '`');
    const soup = fc.array(fragment, { maxLength: 12 }).map((parts) => parts.join(' '));
    fc.assert(
      fc.property(fc.oneof(soup, fc.string({ unit: 'binary', maxLength: 30 })), (source) => {
        const result = parseExpression(source);
        expect(result.ast === undefined).toBe(result.diagnostics.length > 0);
        for (const diagnostic of result.diagnostics) {
          expect(diagnostic.offset + diagnostic.length).toBeLessThanOrEqual(source.length);
          expect(source.slice(diagnostic.offset, diagnostic.offset + diagnostic.length)).toBe(diagnostic.found);
          expect(diagnostic.line).toBe(source.slice(0, diagnostic.offset).split(/\r\n|\r|\n/).length);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
