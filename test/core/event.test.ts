import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_EVENT_PROPERTIES_BYTES, MAX_EVENT_PROPERTIES_DEPTH, checkEventProperties, propertiesTooDeep, utf8Length } from '../../src/core/event.js';

describe('event properties', () => {
  it('measures UTF-8 length as an encoder would, lone surrogates included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(utf8Length(text)).toBe(new TextEncoder().encode(text).length);
      }),
    );
    expect(utf8Length('a美🙂\ud800')).toBe(1 + 3 + 4 + 3);
  });

  it('refuses properties over the size limit, counted in bytes', () => {
    const chinese = { note: '美'.repeat(Math.ceil(MAX_EVENT_PROPERTIES_BYTES / 3)) };
    const [tooLarge] = checkEventProperties('note_added', chinese);
    expect(tooLarge?.text.en).toMatch(/^properties take \d+ bytes; at most 16384$/);
    expect(tooLarge?.at).toEqual([]);
    expect(checkEventProperties('note_added', { note: '美'.repeat(1000) })).toEqual([]);
  });

  it('says what an order item’s launched_at should be, in both languages, rather than "invalid input"', () => {
    const told = { en: 'an ISO 8601 time like 2026-01-31T08:00:00Z', 'zh-CN': '应为形如 2026-01-31T08:00:00Z 的 ISO 8601 时间' };
    expect(checkEventProperties('order_paid', { order_id: 'O1', amount: 1, items: [{ sku: 'S1', launched_at: 'last spring' }] })).toEqual([{ at: ['items', 0, 'launched_at'], text: told }]);
    expect(checkEventProperties('order_paid', { order_id: 'O1', amount: 1, items: [{ sku: 'S1', launched_at: 1_767_225_600 }] })).toEqual([
      { at: ['items', 0, 'launched_at'], text: { en: 'an ISO 8601 time written as text, like 2026-01-31T08:00:00Z', 'zh-CN': '应为文本形式的 ISO 8601 时间，如 2026-01-31T08:00:00Z' } },
    ]);
    expect(checkEventProperties('order_paid', { order_id: 'O1', amount: 1, items: [{ sku: 'S1', launched_at: '2026-03-01T00:00:00+08:00' }] })).toEqual([]);
  });

  it('refuses an amount no order has, which would overflow the sums built on it', () => {
    expect(checkEventProperties('order_paid', { order_id: 'O1', amount: 1e308 })).toEqual([{ at: ['amount'], text: expect.objectContaining({ en: expect.not.stringMatching(/amount/) }) }]);
    expect(checkEventProperties('order_paid', { order_id: 'O1', amount: 999_999_999_999 })).toEqual([]);
  });

  it('refuses a number JSON read as infinite (1e309), which would be stored as null, in an event of any type', () => {
    const read = JSON.parse('{"v": 1e309, "list": [1, {"w": -1e309}], "none": null}') as Record<string, unknown>;
    expect(checkEventProperties('custom_big', read)).toEqual([{ at: ['list', 1, 'w'], text: expect.objectContaining({ en: 'a number too large to store (beyond ±1.8e308)' }) }]);
    expect(checkEventProperties('custom_big', { ...read, list: [] })).toEqual([{ at: ['v'], text: expect.anything() }]);
    expect(checkEventProperties('order_paid', { order_id: 'O1', amount: 5, extra: Number.POSITIVE_INFINITY })).toEqual([{ at: ['extra'], text: expect.anything() }]);
    expect(checkEventProperties('custom_big', { none: null, v: 1e300 }).map((problem) => problem.at)).toEqual([['v']]);
  });

  it('refuses a number beyond ±Number.MAX_SAFE_INTEGER in an event of any type, whose sums would run out of range, naming the limit', () => {
    const limit = Number.MAX_SAFE_INTEGER;
    const problems = checkEventProperties('custom_big', { amount: 1e308, ok: limit, low: -limit, list: [1, { fee: -(limit + 2) }], big: 1e21, id: '12345678901234567890', ratio: 1 / 3 });
    expect(problems.map((problem) => problem.at)).toEqual([['amount'], ['list', 1, 'fee'], ['big']]);
    expect(problems[0]?.text).toEqual({ en: expect.stringContaining('beyond ±9007199254740991'), 'zh-CN': expect.stringContaining('超出 ±9007199254740991') });
    // A built-in amount is told its own bound once, with the other problems of the event.
    const order = checkEventProperties('order_paid', { order_id: 'O1', amount: 1e16, note_id: 2 ** 60, channel: 'tv' });
    expect(order.map((problem) => problem.at)).toEqual([['amount'], ['channel'], ['note_id']]);
    expect(order[0]?.text.en).not.toContain('9007199254740991');
  });

  it('says which property a problem is about by its place, not in its words, nested ones by every step', () => {
    const problems = checkEventProperties('order_paid', { order_id: 'O1', amount: 'ten', items: [{ sku: 'S1' }, { price: 5 }] });
    expect(problems.map((problem) => problem.at)).toEqual([['amount'], ['items', 1, 'sku']]);
    for (const problem of problems) expect(problem.text.en).not.toMatch(/^(amount|items|sku)\b/);
  });

  it('measures nesting level by level, up to the limit and past it', () => {
    const nested = (depth: number): unknown => (depth === 0 ? 1 : { a: [nested(depth - 1)] });
    expect(propertiesTooDeep(nested(MAX_EVENT_PROPERTIES_DEPTH / 2))).toBeUndefined();
    expect(propertiesTooDeep(nested(MAX_EVENT_PROPERTIES_DEPTH))?.en).toBe(`properties nest more than ${MAX_EVENT_PROPERTIES_DEPTH} levels deep`);
    let deep: unknown = 1;
    for (let level = 0; level < 100_000; level++) deep = { a: deep };
    expect(propertiesTooDeep(deep)).toBeDefined();
  });
});
