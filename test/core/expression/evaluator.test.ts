import { describe, expect, it } from 'vitest';
import { evaluateExpression } from '../../../src/core/expression/index.js';
import { bind, customer, type CustomerSketch } from './fixture.js';

const NOW = Date.UTC(2026, 4, 17, 4, 0, 0);

function run(source: string, sketch: CustomerSketch = {}): boolean {
  return evaluateExpression(bind(source), customer(sketch), NOW);
}

describe('evaluateExpression: single-valued tags', () => {
  const important = { tags: { rfm: ['important_value'] } };
  const general = { tags: { rfm: ['general'] } };
  const untagged = {};

  it('= and in match the value held', () => {
    expect(run('rfm = "重要价值客户"', important)).toBe(true);
    expect(run('rfm = "重要价值客户"', general)).toBe(false);
    expect(run('rfm in ("general", "important_keep")', general)).toBe(true);
    expect(run('rfm in ("general", "important_keep")', important)).toBe(false);
  });

  it('!= and not in mean "has the tag, with another value"; not … = also takes customers without the tag', () => {
    expect(run('rfm != "一般客户"', important)).toBe(true);
    expect(run('rfm != "一般客户"', general)).toBe(false);
    expect(run('rfm != "一般客户"', untagged)).toBe(false);
    expect(run('rfm not in ("一般客户")', untagged)).toBe(false);
    expect(run('not rfm = "一般客户"', untagged)).toBe(true);
    expect(run('not rfm in ("一般客户")', untagged)).toBe(true);
    expect(run('not rfm = "一般客户"', general)).toBe(false);
  });

  it('ordered comparisons compare by value order, first value lowest', () => {
    const at = (value: string) => ({ tags: { lifecycle: [value] } });
    expect(['new', 'growing', 'mature', 'loyal'].map((value) => run('lifecycle >= "成熟客户"', at(value)))).toEqual([false, false, true, true]);
    expect(['new', 'growing', 'mature', 'loyal'].map((value) => run('lifecycle < "成熟客户"', at(value)))).toEqual([true, true, false, false]);
    expect(['new', 'growing', 'mature', 'loyal'].map((value) => run('lifecycle between "growing" and "mature"', at(value)))).toEqual([false, true, true, false]);
    expect(run('lifecycle >= "new"', untagged)).toBe(false);
  });

  it('exists, missing and tagged() read presence; an empty set is absent', () => {
    expect(run('rfm exists', important)).toBe(true);
    expect(run('tagged("rfm")', important)).toBe(true);
    expect(run('rfm missing', important)).toBe(false);
    expect(run('rfm missing', untagged)).toBe(true);
    expect(run('tagged("RFM等级")', { tags: { rfm: [] } })).toBe(false);
    expect(run('rfm missing', { tags: { rfm: [] } })).toBe(true);
  });
});

describe('evaluateExpression: multi-valued tags', () => {
  const golfer = { tags: { interests: ['golf', 'tea'] } };
  const none = {};

  it('has any, has all and has none', () => {
    expect(run('interests has any ("高尔夫", "钓鱼")', golfer)).toBe(true);
    expect(run('interests has any ("钓鱼")', golfer)).toBe(false);
    expect(run('interests has all ("高尔夫", "茶艺")', golfer)).toBe(true);
    expect(run('interests has all ("高尔夫", "钓鱼")', golfer)).toBe(false);
    expect(run('interests has none ("钓鱼")', golfer)).toBe(true);
    expect(run('interests has none ("钓鱼", "茶艺")', golfer)).toBe(false);
  });

  it('every has test needs the tag; not … has any also takes customers without it', () => {
    expect(run('interests has any ("钓鱼")', none)).toBe(false);
    expect(run('interests has all ("钓鱼")', none)).toBe(false);
    expect(run('interests has none ("钓鱼")', none)).toBe(false);
    expect(run('not interests has any ("钓鱼")', none)).toBe(true);
  });

  it('ignores values the catalog does not know', () => {
    expect(run('interests has none ("钓鱼")', { tags: { interests: ['retired_value'] } })).toBe(true);
    expect(run('interests exists', { tags: { interests: ['retired_value'] } })).toBe(true);
  });
});

describe('evaluateExpression: fields and metrics', () => {
  it('compares numbers with every operator', () => {
    const spend = (value: number) => ({ metrics: { spend_365d: value } });
    const table = ['=', '!=', '<', '<=', '>', '>='].map((operator) => [999, 1000, 1001].map((value) => run(`spend_365d ${operator} 1000`, spend(value))));
    expect(table).toEqual([
      [false, true, false],
      [true, false, true],
      [true, false, false],
      [true, true, false],
      [false, false, true],
      [false, true, true],
    ]);
    expect([499, 500, 750, 1000, 1001].map((value) => run('spend_365d between 500 and 1000', spend(value)))).toEqual([false, true, true, true, false]);
    expect(run('spend_365d between 1000 and 500', spend(750))).toBe(false);
    expect(run('spend_365d in (1, 2.5)', spend(2.5))).toBe(true);
    expect(run('spend_365d >= -10.5', spend(-10))).toBe(true);
  });

  it('compares text, enums and booleans for equality, case-sensitively', () => {
    expect(run('city = "广州"', { fields: { city: '广州' } })).toBe(true);
    expect(run('city in ("广州", "深圳")', { fields: { city: '深圳' } })).toBe(true);
    expect(run('city not in ("广州", "深圳")', { fields: { city: '北京' } })).toBe(true);
    expect(run('city != "广州"', { fields: { city: '北京' } })).toBe(true);
    expect(run('gender = "female"', { fields: { gender: 'female' } })).toBe(true);
    expect(run('favorite_store = "abc"', { metrics: { favorite_store: 'ABC' } })).toBe(false);
    expect(run('is_member = true', { fields: { is_member: true } })).toBe(true);
    expect(run('is_member != true', { fields: { is_member: false } })).toBe(true);
  });

  it('keeps strings with SQL and emoji as plain values', () => {
    const note = "'; DROP TABLE customers; -- 🎉";
    expect(run(`city = "${note}"`, { fields: { city: note } })).toBe(true);
  });

  it('makes every predicate on a missing value false, except missing', () => {
    const predicates = [
      'age = 1',
      'age != 1',
      'age < 1',
      'age <= 1',
      'age > 1',
      'age >= 1',
      'age in (1)',
      'age not in (1)',
      'age between 0 and 100',
      'age exists',
      'birthday within 365 days',
      'last_order_at within 30 days',
      'last_order_at before 0 days ago',
      'last_order_at after "2000-01-01"',
    ];
    for (const missing of [{}, { fields: { age: null } }, { fields: { age: undefined } }]) {
      for (const predicate of predicates) expect([predicate, run(predicate, missing)]).toEqual([predicate, false]);
      expect(run('age missing', missing)).toBe(true);
    }
  });

  it('negates a predicate on a missing value to true: not is plain two-valued logic', () => {
    expect(run('not age = 1')).toBe(true);
    expect(run('not age != 1')).toBe(true);
    expect(run('not age not in (1)')).toBe(true);
    expect(run('not (age = 1 or age != 1)')).toBe(true);
    expect(run('age = 1 or not age = 1')).toBe(true);
    // A boolean alone is `= true`: false without a value, and `not` before it true, while `= false` stays false.
    expect(run('is_member')).toBe(false);
    expect(run('not is_member')).toBe(true);
    expect(run('is_member = false')).toBe(false);
    expect(run('is_member', { fields: { is_member: true } })).toBe(true);
    expect(run('not is_member', { fields: { is_member: false } })).toBe(true);
  });

  it('treats a value of the wrong type as missing', () => {
    expect(run('age missing', { fields: { age: '30' } })).toBe(true);
    expect(run('age > 1', { fields: { age: Number.NaN } })).toBe(false);
    expect(run('city missing', { fields: { city: 3 } })).toBe(true);
    expect(run('birthday missing', { fields: { birthday: '1990-02-30' } })).toBe(true);
    expect(run('last_order_at missing', { metrics: { last_order_at: '2026-01-01' } })).toBe(true);
  });

  it('reads fields and metrics from their own records', () => {
    expect(run('spend_365d exists', { fields: { spend_365d: 5 } })).toBe(false);
    expect(run('spend_365d exists', { metrics: { spend_365d: 5 } })).toBe(true);
  });
});

describe('evaluateExpression: logic and segments', () => {
  it('combines with and, or and not', () => {
    const sketch = { tags: { rfm: ['important_value'], interests: ['golf'] }, metrics: { spend_365d: 1200 }, fields: { city: '广州' } };
    expect(run('rfm = "重要价值客户" and spend_365d >= 1000', sketch)).toBe(true);
    expect(run('rfm = "一般客户" or city in ("广州")', sketch)).toBe(true);
    expect(run('interests has any ("高尔夫", "钓鱼") and not status = "流失客户"', sketch)).toBe(true);
    expect(run('not (rfm exists and spend_365d > 2000)', sketch)).toBe(true);
    expect(run('rfm exists and (city = "深圳" or spend_365d < 1000)', sketch)).toBe(false);
  });

  it('asks the view for segment membership; without one, nobody is in a segment', () => {
    expect(run('segment("高价值人群")', { segments: ['high_value'] })).toBe(true);
    expect(run('segment("高价值人群")', { segments: ['dormant'] })).toBe(false);
    const view = { tags: new Map(), fields: {}, metrics: {} };
    expect(evaluateExpression(bind('segment("dormant")'), view, NOW)).toBe(false);
    expect(evaluateExpression(bind('not segment("dormant")'), view, NOW)).toBe(true);
  });

  it('accepts now as a Date or as epoch milliseconds', () => {
    const bound = bind('last_order_at within 1 day');
    const view = customer({ metrics: { last_order_at: NOW - 1000 } });
    expect(evaluateExpression(bound, view, NOW)).toBe(true);
    expect(evaluateExpression(bound, view, new Date(NOW))).toBe(true);
  });
});
