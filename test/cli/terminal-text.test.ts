// What an error line does with text a user gave: shown, never acted on by the terminal.
import { describe, expect, it } from 'vitest';
import { escapeControls, formatCliError, shownValue, terminalLine } from '../../src/cli/errors.js';
import { TagbaseError } from '../../src/core/errors.js';
import { localized } from '../../src/core/locale.js';

describe('user-given text in an error line', () => {
  it('writes every control character visibly and leaves other text as it is', () => {
    expect(escapeControls('a\x1b[2Jb')).toBe('a\\x1b[2Jb');
    expect(escapeControls('\x00\x01\x7f\x85\x9f')).toBe('\\x00\\x01\\x7f\\x85\\x9f');
    expect(escapeControls('line\r\nnext\ttab')).toBe('line\\r\\nnext\\ttab');
    expect(escapeControls('\u202a\u202e\u2066\u2069')).toBe('\\u202a\\u202e\\u2066\\u2069');
    for (const text of ['张伟 (VIP)', '会员等级：金卡', 'Ünïcödé “quoted” 😀', '']) expect(escapeControls(text)).toBe(text);
  });

  it('cuts a value longer than 200 characters and says its length, in the line’s language', () => {
    expect(shownValue('张'.repeat(200))).toBe('张'.repeat(200));
    expect(shownValue('😀'.repeat(201))).toBe(`${'😀'.repeat(200)}… (201 characters)`);
    expect(shownValue('x'.repeat(12_345), 'zh-CN')).toBe(`${'x'.repeat(200)}…（共 12,345 个字符）`);
    expect(shownValue('\x1b'.repeat(300))).toBe(`${'\\x1b'.repeat(200)}… (300 characters)`);
  });

  it('cuts a long value already written into a sentence, and escapes the rest of the line', () => {
    expect(terminalLine(`error: ${'y'.repeat(1000)} is not there\x07`)).toBe(`error: ${'y'.repeat(200)}… (1,000 characters) is not there\\x07`);
    expect(terminalLine('错误 VALIDATION_FAILED：第 3 行：手机号格式不正确')).toBe('错误 VALIDATION_FAILED：第 3 行：手机号格式不正确');
  });

  it('shows a sentence tagbase wrote into an error whole, however long, cutting only a long run in it', () => {
    // A rule tag held by customers: the reason says how to take it off them and to archive it first (over 200 characters).
    const reason = 'take it off them first with bulk untagging (POST /api/v1/tags/高潜/unassign, tagbase tag unassign, or the customers page), archiving it first so that its rule does not give it back';
    const refused = new TagbaseError('TAG_NOT_DELETABLE', { tagNamed: '"高潜"', reason: localized(`19,999 customers hold it; ${reason}`, `有 19,999 位客户持有它；${reason}`) });
    expect(formatCliError(refused, 'en')).toContain(`${reason}. Nothing was deleted.`);
    expect(formatCliError(refused, 'en')).not.toContain('characters)');
    const long = new TagbaseError('TAG_NOT_DELETABLE', { tagNamed: '"x"', reason: localized(`webhook ${'9'.repeat(300)} has not yet posted every change of it`, 'x') });
    expect(formatCliError(long, 'en')).toContain(`webhook ${'9'.repeat(200)}… (300 characters) has not yet posted`);
  });
});
