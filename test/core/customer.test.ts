import { describe, expect, it } from 'vitest';
import { CUSTOMER_TYPE_LABELS_EN, GENDER_LABELS_EN, customFieldProblem, customerInputSchema, customerInputSchemaAt, normalizeIdentity } from '../../src/core/customer.js';
import { parseBatch } from '../../src/core/validation.js';

describe('identities as one person is found by', () => {
  it('reads a mainland phone number however it was written', () => {
    for (const written of ['13800138000', '138 0013 8000', '138-0013-8000', '+86 138 0013 8000', '0086 13800138000', '8613800138000', '１３８００１３８０００', '＋８６ １３８００１３８０００']) {
      expect(normalizeIdentity('phone', written), written).toBe('13800138000');
    }
    expect(normalizeIdentity('phone', '+1 (415) 555-0100')).toBe('+14155550100');
    expect(normalizeIdentity('phone', '020-12345678')).toBe('02012345678');
    expect(normalizeIdentity('phone', '1.38001E+10')).toBeUndefined();
    expect(normalizeIdentity('phone', '电话')).toBeUndefined();
  });

  it('reads a number dialled with the international prefix 00 as the same number written with +', () => {
    for (const written of ['00852 9123 4567', '+852 9123 4567', '00852-91234567', '００８５２ ９１２３ ４５６７']) {
      expect(normalizeIdentity('phone', written), written).toBe('+85291234567');
    }
    expect(normalizeIdentity('phone', '001 415 555 0100')).toBe(normalizeIdentity('phone', '+1 415 555 0100'));
    // A national number starts with a single 0, and keeps it.
    expect(normalizeIdentity('phone', '0755-12345678')).toBe('075512345678');
  });

  it('reads an email address in any case and width', () => {
    expect(normalizeIdentity('email', ' Zhang.Wei@Example.COM ')).toBe('zhang.wei@example.com');
    expect(normalizeIdentity('email', 'ｚｗ＠ｅｘａｍｐｌｅ．ｃｏｍ')).toBe('zw@example.com');
    expect(normalizeIdentity('email', 'not an address')).toBeUndefined();
  });

  it("reads a WeCom external contact's id as WeCom gives it, as a WeChat OpenID is read", () => {
    expect(normalizeIdentity('wecom_external_userid', ' wmZx1b2C3d4E5f6G7h8I9jKlMnOpQr ')).toBe('wmZx1b2C3d4E5f6G7h8I9jKlMnOpQr');
    expect(normalizeIdentity('wecom_external_userid', '  ')).toBeUndefined();
    expect(normalizeIdentity('wecom_external_userid', 'wm' + 'x'.repeat(254))).toHaveLength(256);
    expect(normalizeIdentity('wecom_external_userid', 'wm' + 'x'.repeat(255))).toBeUndefined();
  });
});

describe('built-in fields of a few values', () => {
  const problems = (item: object) => parseBatch(customerInputSchema, [{ id: 'C1', ...item }]).errors.map((error) => [error.path, error.localized?.en, error.localized?.['zh-CN']]);

  it('take the Chinese labels too, and a refusal says so', () => {
    expect(problems({ gender: '男', type: '企业' })).toEqual([]);
    expect(problems({ gender: 'weird' })).toEqual([['gender', 'one of male, female, unknown (or 男, 女, 未知)', '应为以下之一：male、female、unknown（或男、女、未知）']]);
    expect(problems({ type: 'club' })).toEqual([['type', 'one of individual, company, government (or 个人, 企业, 政府)', '应为以下之一：individual、company、government（或个人、企业、政府）']]);
  });

  it("take the console's English words, in any case, as a file headed in English writes them", () => {
    const read = (item: object) => parseBatch(customerInputSchema, [{ id: 'C1', ...item }]);
    expect(read({ type: 'Individual', gender: 'Female' }).values).toEqual([expect.objectContaining({ type: 'individual', gender: 'female' })]);
    expect(read({ type: ' COMPANY ', gender: 'male' }).values).toEqual([expect.objectContaining({ type: 'company', gender: 'male' })]);
    expect(read({ type: 'government', gender: 'UNKNOWN' }).values).toEqual([expect.objectContaining({ type: 'government', gender: 'unknown' })]);
    expect(Object.values(GENDER_LABELS_EN).map((word) => read({ gender: word }).values[0]?.gender)).toEqual(Object.keys(GENDER_LABELS_EN));
    expect(Object.values(CUSTOMER_TYPE_LABELS_EN).map((word) => read({ type: word }).values[0]?.type)).toEqual(Object.keys(CUSTOMER_TYPE_LABELS_EN));
  });
});

describe('dates and times a customer holds', () => {
  const problems = (item: object) => parseBatch(customerInputSchema, [{ id: 'C1', ...item }]).errors.map((error) => [error.path, error.localized?.en, error.localized?.['zh-CN']]);

  it('refuses a birthday before 1900, naming the year as written', () => {
    expect(problems({ birthday: '0500-01-01' })).toEqual([['birthday', 'year 0500 is before 1900: a birthday is 1900-01-01 or later', '年份 0500 早于 1900 年：生日须在 1900-01-01 或之后']]);
    expect(problems({ birthday: '1899-12-31' })).toEqual([['birthday', 'year 1899 is before 1900: a birthday is 1900-01-01 or later', '年份 1899 早于 1900 年：生日须在 1900-01-01 或之后']]);
    // A year of two digits is a real year, refused as too early rather than as no date.
    expect(problems({ birthday: '0090-05-17' })).toEqual([['birthday', 'year 0090 is before 1900: a birthday is 1900-01-01 or later', '年份 0090 早于 1900 年：生日须在 1900-01-01 或之后']]);
    expect(problems({ birthday: '1900-01-01' })).toEqual([]);
    expect(problems({ birthday: '0500-02-30' })).toEqual([['birthday', 'a date like 1990-05-17', '应为形如 1990-05-17 的日期']]);
  });

  it('refuses a birthday after tomorrow (UTC) at the time it is given, the clock passed in', () => {
    const now = Date.parse('2026-06-01T23:00:00Z');
    const at = (item: object) => parseBatch(customerInputSchemaAt(now, 0), [{ id: 'C1', ...item }]).errors.map((error) => [error.path, error.localized?.en, error.localized?.['zh-CN']]);
    expect(at({ birthday: '2026-06-02' })).toEqual([]);
    expect(at({ birthday: '2026-06-03' })).toEqual([['birthday', 'a birthday is not in the future', '生日不能是将来的日期']]);
    expect(parseBatch(customerInputSchemaAt(Date.parse('2026-06-02T00:00:00Z'), 0), [{ id: 'C1', birthday: '2026-06-03' }]).errors).toEqual([]);
    // The rest of a birthday's checks are the same at any time.
    expect(at({ birthday: '0500-01-01' })).toEqual([['birthday', 'year 0500 is before 1900: a birthday is 1900-01-01 or later', '年份 0500 早于 1900 年：生日须在 1900-01-01 或之后']]);
    // The schema without a clock (the document's) says nothing of the future.
    expect(problems({ birthday: '2999-01-01' })).toEqual([]);
  });

  it('says what a custom field may hold when a value is an object or a list, in either language', () => {
    expect(problems({ custom: { size: { eu: 42 }, tags: ['a'] } })).toEqual([
      ['custom.size', 'a custom field holds text, a number, true or false, or null', '自定义字段的值应为文本、数字、true 或 false，或 null'],
      ['custom.tags', 'a custom field holds text, a number, true or false, or null', '自定义字段的值应为文本、数字、true 或 false，或 null'],
    ]);
    expect(problems({ custom: { note: 'x'.repeat(1025) } })).toEqual([['custom.note', 'at most 1,024 characters', '最多 1,024 个字符']]);
  });

  it('refuses a custom date before 1900 as a birthday, naming the year as written', () => {
    const joined = { key: 'joined_on', name: '入会日期', type: 'date' as const, options: [] };
    expect(customFieldProblem(joined, '0500-01-01')).toEqual({ code: 'VALIDATION_FAILED', text: { en: 'year 0500 is before 1900: a date is 1900-01-01 or later', 'zh-CN': '年份 0500 早于 1900 年：日期须在 1900-01-01 或之后' } });
    expect(customFieldProblem(joined, '1899-12-31')?.text.en).toBe('year 1899 is before 1900: a date is 1900-01-01 or later');
    expect(customFieldProblem(joined, '0050-01-01')?.text.en).toBe('year 0050 is before 1900: a date is 1900-01-01 or later');
    expect(customFieldProblem(joined, '1900-01-01')).toBeUndefined();
    expect(customFieldProblem(joined, '1899-02-30')).toEqual({ code: 'FIELD_TYPE_MISMATCH', text: { en: 'expects a date like 2026-05-17; got "1899-02-30"', 'zh-CN': '应为形如 2026-05-17 的日期；收到的是 "1899-02-30"' } });
  });

  it('refuses a first-seen time before 1970', () => {
    expect(problems({ first_seen_at: '1800-01-01T00:00:00Z' })).toEqual([['first_seen_at', 'year 1800 is before 1970: a time is 1970-01-01 or later', '年份 1800 早于 1970 年：时间须在 1970-01-01 或之后']]);
    expect(problems({ first_seen_at: '0050-01-01' })).toEqual([['first_seen_at', 'year 0050 is before 1970: a time is 1970-01-01 or later', '年份 0050 早于 1970 年：时间须在 1970-01-01 或之后']]);
    expect(problems({ first_seen_at: '1970-01-01T05:00:00+08:00' })).toEqual([['first_seen_at', 'a time is 1970-01-01T00:00:00Z or later', '时间须在 1970-01-01T00:00:00Z 或之后']]);
    expect(problems({ first_seen_at: '1970-01-01T00:00:00Z' })).toEqual([]);
  });

  it('reads a first-seen time without an offset on the workspace\'s clock for its earliest and its latest', () => {
    const now = Date.parse('2026-06-01T00:00:00Z');
    const at = (offset: number, first_seen_at: string) => parseBatch(customerInputSchemaAt(now, offset), [{ id: 'C1', first_seen_at }]).errors.map((error) => [error.localized?.en, error.localized?.['zh-CN']]);
    // 1970-01-01 begins at 1969-12-31T16:00Z in China: before the earliest time kept, said once.
    expect(at(480, '1970-01-01')).toEqual([['a time is 1970-01-01T00:00:00Z or later', '时间须在 1970-01-01T00:00:00Z 或之后']]);
    expect(at(0, '1970-01-01')).toEqual([]);
    expect(at(480, '1800-01-01')).toEqual([['year 1800 is before 1970: a time is 1970-01-01 or later', '年份 1800 早于 1970 年：时间须在 1970-01-01 或之后']]);
    // 2026-06-02T05:00 is within a day of the clock in China (21:00Z), more than a day ahead at UTC-05:00 (10:00Z on 06-02).
    expect(at(480, '2026-06-02T05:00:00')).toEqual([]);
    expect(at(-300, '2026-06-02T05:00:00')).toEqual([["more than a day ahead of the server's clock", '比服务器时钟超前一天以上']]);
    expect(at(-300, '2026-06-02T05:00:00+08:00')).toEqual([]);
  });
});
