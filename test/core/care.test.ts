// The pure parts of care plans: step offsets, message templates and birthdays.
import { describe, expect, it } from 'vitest';
import { carePlanInputSchema, eventPropertiesRead, localDay, outsideQuietHours, parseStepOffset, parseTemplate, quietHoursSchema, renderTemplate } from '../../src/core/care.js';
import { addDays, anniversaryMonthDays, calendarDate, dayStart } from '../../src/core/expression/time-window.js';

const MINUTE = 60_000;
const DAY = 86_400_000;

describe('step offsets', () => {
  it('reads minutes, hours and days, before or after, and nothing else', () => {
    expect(parseStepOffset('30m')).toBe(30 * MINUTE);
    expect(parseStepOffset('9h')).toBe(9 * 60 * MINUTE);
    expect(parseStepOffset('3d')).toBe(3 * DAY);
    expect(parseStepOffset('-3d')).toBe(-3 * DAY);
    expect(parseStepOffset('0')).toBe(0);
    expect(parseStepOffset('366d')).toBe(366 * DAY);
    for (const bad of ['367d', '3 d', '2w', '1.5h', 'd', '', '+3d', '-0x']) expect(parseStepOffset(bad)).toBeUndefined();
  });
});

describe('message templates', () => {
  it('splits text and placeholders, with doubled braces as literal ones', () => {
    const parsed = parseTemplate('{name}您好，{{会员}}订单 {event:order_id} 的 {tag:RFM等级}');
    expect(parsed).toEqual({ parts: [{ kind: 'name' }, '您好，{会员}订单 ', { kind: 'event', key: 'order_id' }, ' 的 ', { kind: 'tag', key: 'RFM等级' }] });
    if (!('parts' in parsed)) throw new Error('expected parts');
    const values: Record<string, string> = { name: '张伟', event: 'O-1' };
    expect(renderTemplate(parsed.parts, (placeholder) => values[placeholder.kind])).toBe('张伟您好，{会员}订单 O-1 的 ');    // Braces at the end of a message, or all of it, are literal too.
    expect(parseTemplate('{{x}}')).toEqual({ parts: ['{x}'] });
    expect(parseTemplate('{{name}}')).toEqual({ parts: ['{name}'] });
    expect(parseTemplate('a {{')).toEqual({ parts: ['a {'] });
    expect(parseTemplate('}}')).toEqual({ parts: ['}'] });
  });

  it('names what is wrong with a message', () => {
    for (const bad of ['{姓名}', '{tag:}', '{weather:sunny}', 'a { b', 'a } b', '{name']) {
      const parsed = parseTemplate(bad);
      expect('error' in parsed, bad).toBe(true);
    }
    const parsed = parseTemplate('{nmae}');
    expect('error' in parsed && parsed.error.en).toContain('"{nmae}" is not a placeholder');
  });

  it('keeps from a trigger event only the properties the messages and the cancel rule read', () => {
    expect(eventPropertiesRead({ steps: [{ after: '0', message: '{event:order_id} {event:amount} {name}' }], cancel_on: { event_type: 'order_refunded', same_property: 'order_id' } }).sort()).toEqual(['amount', 'order_id']);
    expect(eventPropertiesRead({ steps: [{ after: '0', message: 'hi' }], cancel_on: null })).toEqual([]);
  });
});

describe('plans', () => {
  it('takes a birthday trigger with its default and refuses unknown trigger kinds and fields', () => {
    const plan = carePlanInputSchema.parse({ key: 'birthday', name: '生日', trigger: { kind: 'birthday' }, steps: [{ after: '9h', message: '生日快乐' }] });
    expect(plan.trigger).toEqual({ kind: 'birthday', days_before: 0 });
    expect(carePlanInputSchema.safeParse({ key: 'x', name: 'x', trigger: { kind: 'rain' }, steps: [{ after: '0', message: 'x' }] }).success).toBe(false);
    expect(carePlanInputSchema.safeParse({ key: 'x', name: 'x', trigger: { kind: 'birthday', days: 3 }, steps: [{ after: '0', message: 'x' }] }).success).toBe(false);
    expect(carePlanInputSchema.safeParse({ key: 'x', name: 'x', trigger: { kind: 'birthday' }, steps: Array.from({ length: 11 }, () => ({ after: '0', message: 'x' })) }).success).toBe(false);
  });
});

describe('birthdays', () => {
  it('counts local days in the workspace’s zone', () => {
    // 2027-02-19T20:00Z is already the 20th in Beijing (UTC+8).
    const day = localDay(Date.parse('2027-02-19T20:00:00Z'), 480);
    expect(calendarDate(day * DAY)).toBe('2027-02-20');
    expect(new Date(dayStart(calendarDate(day * DAY), 480)).toISOString()).toBe('2027-02-19T16:00:00.000Z');
  });

  it('greets the birthday so many days ahead, and 29 February on the 28th in other years', () => {
    // As a birthday plan reads them: the month-days of the date so many days after the greeting's.
    const greetedOn = (date: string, daysBefore: number) => anniversaryMonthDays(addDays(date, daysBefore), 0);
    expect(greetedOn('2027-05-14', 3)).toEqual(['05-17']);
    expect(greetedOn('2027-02-25', 3)).toEqual(['02-28', '02-29']);
    expect(greetedOn('2028-02-25', 3)).toEqual(['02-28']);
    expect(greetedOn('2028-02-29', 0)).toEqual(['02-29']);
    expect(greetedOn('2027-12-30', 5)).toEqual(['01-04']);
  });
});

describe('quiet hours', () => {
  const beijing = (iso: string) => Date.parse(`${iso}+08:00`);
  const night = { start: '21:00', end: '08:00' };

  it('moves what would fall due in them to their end, across midnight or within a day', () => {
    expect(outsideQuietHours(beijing('2026-06-15T20:59:00'), night, 480)).toBe(beijing('2026-06-15T20:59:00'));
    expect(outsideQuietHours(beijing('2026-06-15T21:00:00'), night, 480)).toBe(beijing('2026-06-16T08:00:00'));
    expect(outsideQuietHours(beijing('2026-06-16T03:30:00'), night, 480)).toBe(beijing('2026-06-16T08:00:00'));
    expect(outsideQuietHours(beijing('2026-06-16T08:00:00'), night, 480)).toBe(beijing('2026-06-16T08:00:00'));
    const lunch = { start: '12:00', end: '13:30' };
    expect(outsideQuietHours(beijing('2026-06-16T12:10:00'), lunch, 480)).toBe(beijing('2026-06-16T13:30:00'));
    expect(outsideQuietHours(beijing('2026-06-16T13:30:00'), lunch, 480)).toBe(beijing('2026-06-16T13:30:00'));
    expect(outsideQuietHours(beijing('2026-06-16T03:00:00'), null, 480)).toBe(beijing('2026-06-16T03:00:00'));
  });

  it('takes times of day only, and two different ones', () => {
    expect(quietHoursSchema.safeParse(night).success).toBe(true);
    for (const bad of [{ start: '9:00', end: '08:00' }, { start: '24:00', end: '08:00' }, { start: '08:00', end: '08:00' }, { start: '21:00' }]) expect(quietHoursSchema.safeParse(bad).success).toBe(false);
  });
});
