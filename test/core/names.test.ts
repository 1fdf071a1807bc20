import { describe, expect, it } from 'vitest';
import { editDistance, findByKeyOrName, nameClash, nearestName } from '../../src/core/names.js';

const segments = [
  { key: 'vip', name: '高价值' },
  { key: '高价值', name: '另一个' },
  { key: 'sh', name: '上海客户' },
];

describe('names found by key, then by name', () => {
  it('finds by key before name', () => {
    expect(findByKeyOrName(segments, '高价值')).toBe(segments[1]);
    expect(findByKeyOrName(segments, '上海客户')).toBe(segments[2]);
    expect(findByKeyOrName(segments, 'nobody')).toBeUndefined();
  });

  it('says which other a new key or name would make unreachable, and by which word', () => {
    expect(nameClash(segments, { name: '上海客户' })).toEqual({ other: segments[2], name: '上海客户' });
    expect(nameClash(segments, { name: 'sh' })).toEqual({ other: segments[2], name: 'sh' });
    expect(nameClash(segments, { key: '上海客户' })).toEqual({ other: segments[2], name: '上海客户' });
    // A key that is another's key is a duplicate, not a clash of names.
    expect(nameClash(segments, { key: 'sh', name: '北京客户' })).toBeUndefined();
  });
});

describe('did you mean', () => {
  it('counts two neighbours typed the wrong way round as one slip, so "ctiy" still finds "city"', () => {
    expect(editDistance('ctiy', 'city')).toBe(1);
    expect(editDistance('命生周期', '生命周期')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(nearestName('ctiy', ['city', 'region'])).toBe('city');
    expect(nearestName('spned_365d', ['spend_365d', 'spend_30d'])).toBe('spend_365d');
    // A third of the length, rounded down: no edit for one or two characters, one for three to five.
    expect(nearestName('a', ['链', 'b'])).toBeUndefined();
    expect(nearestName('q', ['甲', '乙'])).toBeUndefined();
    expect(nearestName('ab', ['ac'])).toBeUndefined();
    expect(nearestName('agr', ['age'])).toBe('age');
    expect(nearestName('AGE', ['age'])).toBe('age');
  });
});
