import { describe, expect, it } from 'vitest';
import { cliLocale, formatCliError } from '../../src/cli/errors.js';
import { ERROR_CODES, TagbaseError, didYouMean, errorTemplate, errorTitle, fieldError, formatErrorMessage, jsonPointer, namedInMessage, namesInMessage, valueInMessage, type ErrorCode } from '../../src/core/errors.js';
import { localized } from '../../src/core/locale.js';
import { agreeing, fillTemplate, templateParameters } from '../../src/core/message-template.js';
import { compileExpression, formatDiagnostic } from '../../src/core/expression/index.js';
import { diagnosticMessage } from '../../src/core/expression/diagnostic.js';
import { catalog } from './expression/fixture.js';

const CODES = Object.keys(ERROR_CODES) as ErrorCode[];

function placeholders(template: string): string[] {
  return templateParameters(template, 'single');
}

/** The parameters a template reads only to pick the words that agree with them (`{count:does|do}`), never to show. */
function agreementOnly(template: string): string[] {
  const shown = new Set(Array.from(template.matchAll(/\{(\w+)\}/g), (match) => match[1]));
  return placeholders(template).filter((name) => !shown.has(name));
}

describe('the error table in two languages', () => {
  it('gives every code a Chinese title and message with the same placeholders as the English', () => {
    for (const code of CODES) {
      expect(errorTitle(code, 'zh-CN'), code).toMatch(/\p{Script=Han}/u);
      expect(errorTemplate(code, 'zh-CN'), code).not.toBe('');
      // Chinese has no plural: a count that only picks the English words that agree with it is not needed there.
      const [english, chinese] = [errorTemplate(code, 'en'), placeholders(errorTemplate(code, 'zh-CN'))];
      expect(chinese, code).toEqual(placeholders(english).filter((name) => chinese.includes(name) || !agreementOnly(english).includes(name)));
      if (errorTemplate(code, 'en') !== '{detail}') expect(errorTemplate(code, 'zh-CN'), code).toMatch(/\p{Script=Han}/u);
    }
  });

  it('quotes names in Chinese with 「」 throughout, never “” or ""', () => {
    for (const code of CODES) expect(errorTemplate(code, 'zh-CN'), code).not.toMatch(/[“"]\{\w+\}[”"]/);
  });

  it('fills words given in every language in the language asked for, and English by default', () => {
    const error = new TagbaseError('TAG_NOT_FOUND', { tag: 'vlp', hint: didYouMean('vip') });
    expect(error.message).toBe('Tag "vlp" does not exist. Did you mean "vip"?');
    expect(error.messageIn('zh-CN')).toBe('标签「vlp」不存在。您是不是要找「vip」？');
    expect(formatErrorMessage('BATCH_TOO_LARGE', { max: 1000, count: 1001 }, 'zh-CN')).toBe('每批最多 1,000 条，本批有 1,001 条。');
  });

  it('says a count in the singular or the plural in English, with the verb agreeing, and groups its digits as the CLI does', () => {
    const missing = (count: number, locale: 'en' | 'zh-CN' = 'en') => formatErrorMessage('CUSTOMERS_NOT_FOUND', { count, examples: '"g1"' }, locale);
    expect(missing(1)).toBe('1 customer id does not exist, e.g. "g1".');
    expect(missing(3)).toBe('3 customer ids do not exist, e.g. "g1".');
    expect(missing(12345)).toBe('12,345 customer ids do not exist, e.g. "g1".');
    expect(formatErrorMessage('CUSTOMERS_NOT_FOUND', { count: 12345, examples: { en: '"g1"', 'zh-CN': '「g1」' } }, 'zh-CN')).toBe('有 12,345 个客户编号不存在，例如「g1」。');
    const group = { group: 'life', groupNamed: namedInMessage({ key: 'life', name: '生活' }) };
    expect(formatErrorMessage('TAG_GROUP_NOT_EMPTY', { ...group, count: 1 })).toBe('Tag group "生活" (life) still holds 1 tag, archived ones included; move it to another group or out of groups first.');
    expect(formatErrorMessage('TAG_GROUP_NOT_EMPTY', { ...group, count: 2 })).toBe('Tag group "生活" (life) still holds 2 tags, archived ones included; move them to another group or out of groups first.');
    const tag = { tag: 'interests', tagNamed: namedInMessage({ key: 'interests', name: '兴趣爱好' }) };
    expect(formatErrorMessage('TAG_CARDINALITY_CONFLICT', { ...tag, count: 1 })).toMatch(/^Tag "兴趣爱好" \(interests\) cannot become single-valued: 1 customer holds several of its values;/);
    expect(formatErrorMessage('TAG_CARDINALITY_CONFLICT', { ...tag, count: 1500 })).toMatch(/: 1,500 customers hold several of its values;/);
    const value = { tag: 'interests', value: 'golf', valueNamed: valueInMessage({ key: 'interests', name: '兴趣爱好' }, { key: 'golf', name: '高尔夫' }) };
    expect(formatErrorMessage('TAG_VALUE_IN_USE', { ...value, count: 1 })).toMatch(/^The value "兴趣爱好: 高尔夫" \(interests\.golf\) is assigned to 1 customer; /);
    expect(formatErrorMessage('TAG_VALUE_IN_USE', { ...value, count: 2000 }, 'zh-CN')).toMatch(/^标签值「兴趣爱好: 高尔夫」（interests\.golf）已打给 2,000 位客户；/);
    // No "(s)" is left for a person to read past.
    for (const code of CODES) expect(errorTemplate(code, 'en'), code).not.toMatch(/\w\((s|es)\)/);
  });

  it('says that one segment or several do not exist as a sentence would, in both languages', () => {
    const missing = (names: string[], locale: 'en' | 'zh-CN' = 'en') => formatErrorMessage('SEGMENT_NOT_FOUND', { count: names.length, segment: namesInMessage(names) }, locale);
    expect(missing(['vip'])).toBe('Segment "vip" does not exist.');
    expect(missing(['vip'], 'zh-CN')).toBe('人群「vip」不存在。');
    expect(missing(['a', 'b'])).toBe('Segments "a" and "b" do not exist.');
    expect(missing(['a', 'b'], 'zh-CN')).toBe('人群「a」和「b」不存在。');
    expect(missing(['a', 'b', 'c'])).toBe('Segments "a", "b" and "c" do not exist.');
    expect(missing(['a', 'b', 'c'], 'zh-CN')).toBe('人群「a」、「b」和「c」不存在。');
  });

  it('leaves ids given as strings as they are: only counts are grouped', () => {
    expect(formatErrorMessage('WEBHOOK_NOT_FOUND', { webhook: '12345' })).toBe('Webhook 12345 does not exist.');
    expect(formatErrorMessage('CARE_REMINDER_NOT_FOUND', { reminder: '1024' }, 'zh-CN')).toBe('提醒 1024 不存在。');
  });

  it('names a tag by the name a person knows it by, with its key after it when the two differ', () => {
    expect(namedInMessage({ key: 'rfm_level', name: 'RFM等级' })).toEqual({ en: '"RFM等级" (rfm_level)', 'zh-CN': '「RFM等级」（rfm_level）' });
    expect(namedInMessage({ key: 'vip', name: 'vip' })).toEqual({ en: '"vip"', 'zh-CN': '「vip」' });
    expect(valueInMessage({ key: 'rfm', name: 'RFM等级' }, { key: 'champions', name: '重要价值客户' })['zh-CN']).toBe('「RFM等级: 重要价值客户」（rfm.champions）');
    const archived = new TagbaseError('TAG_ARCHIVED', { tag: 'rfm', tagNamed: namedInMessage({ key: 'rfm', name: 'RFM等级' }) });
    expect(archived.message).toBe('Tag "RFM等级" (rfm) is archived; restore it before assigning it.');
    expect(archived.messageIn('zh-CN')).toBe('标签「RFM等级」（rfm）已归档，请先恢复再打标。');
    // The key stays the parameter code reads.
    expect(archived.params.tag).toBe('rfm');
  });
});

describe('message templates, shared by the error table and the CLI', () => {
  it('fills single or double braces, leaving the other kind alone', () => {
    expect(fillTemplate('{n} {n:row|rows} [{bar}]', { n: 1 }, 'en', { braces: 'single', missing: 'marker' })).toBe('1 row [{bar}]');
    expect(fillTemplate('{{n}} {{n:row|rows}} [{bar}]', { n: 2 }, 'en', { braces: 'double', missing: 'marker' })).toBe('2 rows [{bar}]');
    expect(fillTemplate('a{hint}b', {}, 'en', { braces: 'single', missing: 'empty' })).toBe('ab');
    expect(agreeing(1, 'column', 'columns')).toBe('column');
    expect(agreeing(0, 'column', 'columns')).toBe('columns');
  });
});

describe('expression diagnostics in two languages', () => {
  it('keeps the English message and words the same reason in Chinese', () => {
    const [diagnostic] = compileExpression('rfn = "重要价值客户"', catalog).diagnostics;
    if (diagnostic === undefined) throw new Error('expected a diagnostic');
    expect(diagnostic).toMatchObject({ reason: 'unknown_name', params: { what: 'subject', name: 'rfn', suggestion: 'rfm' }, column: 1 });
    expect(diagnosticMessage(diagnostic, 'en')).toBe(diagnostic.message);
    expect(diagnosticMessage(diagnostic, 'zh-CN')).toBe('未知的标签、字段或指标「rfn」：没有标识或名称为它的标签、字段或指标。您是不是要找「rfm」？');
  });

  it('formats a diagnostic for the terminal in Chinese', () => {
    const source = 'city in ("广州" "深圳")';
    const [diagnostic] = compileExpression(source, catalog).diagnostics;
    if (diagnostic === undefined) throw new Error('expected a diagnostic');
    expect(formatDiagnostic(source, diagnostic, 'zh-CN').split('\n')).toEqual([
      'EXPRESSION_SYNTAX（第 1 行第 15 列）：这里应为 "," 或 ")"，实际是字符串 "深圳"。',
      '1 | city in ("广州" "深圳")',
      `  | ${' '.repeat(16)}^^^^^^`,
      '  = 应为 "," 或 ")"',
    ]);
  });
});

describe('the CLI in the user’s language', () => {
  it('reads LC_ALL, then LC_MESSAGES, then LANG', () => {
    expect(cliLocale({})).toBe('en');
    expect(cliLocale({ LANG: 'C.UTF-8' })).toBe('en');
    expect(cliLocale({ LANG: 'zh_CN.UTF-8' })).toBe('zh-CN');
    expect(cliLocale({ LC_ALL: 'en_US.UTF-8', LANG: 'zh_CN.UTF-8' })).toBe('en');
    expect(cliLocale({ LC_MESSAGES: 'zh_TW.UTF-8', LANG: 'en_US.UTF-8' })).toBe('zh-CN');
  });

  it('prints the same English as before, or Chinese', () => {
    const error = new TagbaseError('VALIDATION_FAILED', { detail: 'x' }, [{ index: 2, code: 'VALIDATION_FAILED', path: 'id', message: 'bad', localized: { en: 'bad', 'zh-CN': '不对' } }]);
    expect(formatCliError(error, 'en')).toBe('error VALIDATION_FAILED: x\n  item 2 id: bad');
    expect(formatCliError(error, 'zh-CN')).toBe('错误 VALIDATION_FAILED：x\n  第 2 项 id：不对');
    // A refused input is said as what is wrong with it, without the API's "the request is not valid".
    const localized = new TagbaseError('VALIDATION_FAILED', { detail: { en: 'a date like 2026-11-01', 'zh-CN': '应为形如 2026-11-01 的日期' } });
    expect(formatCliError(localized, 'zh-CN')).toBe('错误 VALIDATION_FAILED：应为形如 2026-11-01 的日期');
    // Counts agree with their words and group their digits, as the API says them.
    const group = (count: number) => new TagbaseError('TAG_GROUP_NOT_EMPTY', { group: 'life', groupNamed: namedInMessage({ key: 'life', name: '生活' }), count });
    expect(formatCliError(group(1), 'en')).toBe('error TAG_GROUP_NOT_EMPTY: Tag group "生活" (life) still holds 1 tag, archived ones included; move it to another group or out of groups first.');
    expect(formatCliError(group(12345), 'en')).toBe('error TAG_GROUP_NOT_EMPTY: Tag group "生活" (life) still holds 12,345 tags, archived ones included; move them to another group or out of groups first.');
    expect(formatCliError(group(12345), 'zh-CN')).toBe('错误 TAG_GROUP_NOT_EMPTY：标签分组「生活」（life）下还有 12,345 个标签（含已归档的），请先移到其他分组或移出分组。');
    expect(formatCliError(new TagbaseError('TAG_NOT_FOUND', { tag: 'vip' }), 'en')).toBe(`error TAG_NOT_FOUND: ${new TagbaseError('TAG_NOT_FOUND', { tag: 'vip' }).message}`);
  });

  it('names no "item -1" for a refused option, and does not say its problem twice', () => {
    const said = { en: '"nosuch" is not a metric.', 'zh-CN': '「nosuch」不是指标。' };
    const metrics = new TagbaseError('VALIDATION_FAILED', { detail: said }, [{ index: -1, code: 'VALIDATION_FAILED', path: 'metrics', message: said.en, localized: said }]);
    expect(formatCliError(metrics, 'en')).toBe('error VALIDATION_FAILED: "nosuch" is not a metric.');
    expect(formatCliError(metrics, 'zh-CN')).toBe('错误 VALIDATION_FAILED：「nosuch」不是指标。');
    // One that adds to the first line keeps its field, without a place in a batch.
    const two = new TagbaseError('VALIDATION_FAILED', { detail: 'two problems' }, [
      { index: -1, code: 'VALIDATION_FAILED', path: 'url', message: 'an http or https URL' },
      { index: -1, code: 'VALIDATION_FAILED', message: 'expected an object' },
    ]);
    expect(formatCliError(two, 'en')).toBe('error VALIDATION_FAILED: two problems\n  url: an http or https URL\n  expected an object');
  });
});

describe('JSON Pointer', () => {
  it('writes a place as an RFC 6901 URI fragment: ~ then / escaped, what a fragment may not hold percent-encoded', () => {
    expect(jsonPointer([])).toBe('#');
    expect(jsonPointer(['events', 3, 'properties', 'amount'])).toBe('#/events/3/properties/amount');
    // `~` first, so that the `~` of `~1` is not escaped again (RFC 6901 §4 reads them back in the other order).
    expect(jsonPointer(['a/b', 'm~n', '~1', '/~'])).toBe('#/a~1b/m~0n/~01/~1~0');
    expect(jsonPointer(['', 'a b', '100%', '金额', 'x#y', 'k=v&w:@?'])).toBe('#//a%20b/100%25/%E9%87%91%E9%A2%9D/x%23y/k=v&w:@?');
    // A lone surrogate has no UTF-8: written as the U+FFFD a JSON parser reads it as.
    expect(jsonPointer(['a\ud800'])).toBe('#/a%EF%BF%BD');
  });

  it('points at a body field and at no header or query parameter', () => {
    const text = localized('wrong', '错误');
    expect(fieldError('body', 'params.lost_days', text).items).toEqual([expect.objectContaining({ path: 'params.lost_days', pointer: '#/params/lost_days' })]);
    expect(fieldError('header', 'idempotency-key', text).items?.[0]).not.toHaveProperty('pointer');
    expect(fieldError('query', 'sort', text).items?.[0]).not.toHaveProperty('pointer');
  });
});
