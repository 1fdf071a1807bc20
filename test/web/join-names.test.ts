// Names listed in the console's text as the command line lists them (src/core/locale.ts's
// joinList): 「甲、乙」 in Chinese, "a, b" in English, and a list cut short ending in an ellipsis.
import { describe, expect, it } from 'vitest';
import { joinList } from '../../src/core/locale.js';
import { joinNames } from '../../web/src/modules/app/utils/format.js';

describe('joinNames', () => {
  it('lists names as the command line does, in either language', () => {
    expect(joinNames(['城市', '会员等级', '兴趣'], 'zh-CN')).toBe('城市、会员等级、兴趣');
    expect(joinNames(['city', 'level', 'hobby'], 'en-US')).toBe('city, level, hobby');
    expect(joinNames(['城市', '会员等级'], 'zh-CN')).toBe(joinList(['城市', '会员等级'], 'zh-CN'));
    expect(joinNames(['city', 'level'], 'en-US')).toBe(joinList(['city', 'level'], 'en'));
  });

  it('writes one name alone and no names as nothing', () => {
    expect(joinNames(['城市'], 'zh-CN')).toBe('城市');
    expect(joinNames([], 'en-US')).toBe('');
  });

  it('ends a list cut short in an ellipsis, as each language writes one', () => {
    expect(joinNames(['A2', 'B3'], 'zh-CN', true)).toBe('A2、B3……');
    expect(joinNames(['A2', 'B3'], 'en-US', true)).toBe('A2, B3, …');
    expect(joinNames(['A2', 'B3'], 'en-US', false)).toBe('A2, B3');
  });
});
