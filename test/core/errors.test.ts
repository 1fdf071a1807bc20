import { describe, expect, it } from 'vitest';
import { cliLocale, formatCliError } from '../../src/cli/errors.js';
import { ERROR_CODES, TagbaseError, didYouMean, errorTemplate, errorTitle, formatErrorMessage, type ErrorCode } from '../../src/core/errors.js';
import { compileExpression, formatDiagnostic } from '../../src/core/expression/index.js';
import { diagnosticMessage } from '../../src/core/expression/diagnostic.js';
import { catalog } from './expression/fixture.js';

const CODES = Object.keys(ERROR_CODES) as ErrorCode[];

function placeholders(template: string): string[] {
  return [...template.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? '').sort();
}

describe('the error table in two languages', () => {
  it('gives every code a Chinese title and message with the same placeholders as the English', () => {
    for (const code of CODES) {
      expect(errorTitle(code, 'zh-CN'), code).toMatch(/\p{Script=Han}/u);
      expect(errorTemplate(code, 'zh-CN'), code).not.toBe('');
      expect(placeholders(errorTemplate(code, 'zh-CN')), code).toEqual(placeholders(errorTemplate(code, 'en')));
      if (errorTemplate(code, 'en') !== '{detail}') expect(errorTemplate(code, 'zh-CN'), code).toMatch(/\p{Script=Han}/u);
    }
  });

  it('fills words given in every language in the language asked for, and English by default', () => {
    const error = new TagbaseError('TAG_NOT_FOUND', { tag: 'vlp', hint: didYouMean('vip') });
    expect(error.message).toBe('Tag "vlp" does not exist. Did you mean "vip"?');
    expect(error.messageIn('zh-CN')).toBe('标签「vlp」不存在。您是不是要找「vip」？');
    expect(formatErrorMessage('BATCH_TOO_LARGE', { max: 1000, count: 1001 }, 'zh-CN')).toBe('每批最多 1000 条，本批有 1001 条。');
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
    expect(formatCliError(new TagbaseError('TAG_NOT_FOUND', { tag: 'vip' }), 'en')).toBe(`error TAG_NOT_FOUND: ${new TagbaseError('TAG_NOT_FOUND', { tag: 'vip' }).message}`);
  });
});
