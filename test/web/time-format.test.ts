// How the console writes a moment: the shop's clock, year-month-day in either language.
import { describe, expect, it } from 'vitest';
import { formatTime } from '../../web/src/modules/app/utils/format.js';

describe('formatTime', () => {
  it('writes a moment as year-month-day and minutes on the workspace clock, in Chinese as in English', () => {
    for (const lang of ['zh-CN', 'en-US']) {
      // 02:30 UTC is 10:30 in a UTC+08:00 shop, on the 4th; and the 3rd in a UTC−05:00 one.
      expect(formatTime('2026-12-04T02:30:00Z', lang, 480)).toBe('2026-12-04 10:30');
      expect(formatTime('2026-12-04T02:30:00Z', lang, -300)).toBe('2026-12-03 21:30');
    }
    expect(formatTime(null, 'zh-CN', 480)).toBe('—');
    expect(formatTime('yesterday', 'zh-CN', 480)).toBe('yesterday');
  });
});
