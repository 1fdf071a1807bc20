// The instants the transitions page asks the API about for the period in its address: a day
// picked on the calendar is the whole day on the workspace's clock; anything else goes to the
// server as written, for it to say what is wrong.
import { describe, expect, it } from 'vitest';
import { periodInstants, periodText } from '../../web/src/modules/transitions/utils/period.js';

describe("the transitions page's period", () => {
  it('sends the days picked as dates, which the server reads as whole days on the workspace clock, whether or not the console knows its zone yet', () => {
    expect(periodInstants({ kind: 'custom', from: '2026-11-01', to: '2026-11-30' }, Date.UTC(2026, 11, 5))).toEqual({ from: '2026-11-01', to: '2026-11-30' });
  });

  it('sends a day that does not exist as written, rather than as a day of the next month', () => {
    // 2026-02-30 is no day: read as 2 March it counted another period than the one in the address, unsaid.
    expect(periodInstants({ kind: 'custom', from: '2026-02-30', to: '2026-13-01' }, Date.UTC(2026, 11, 5))).toEqual({ from: '2026-02-30', to: '2026-13-01' });
  });

  describe('as the page says it', () => {
    const between = ({ from, to }: { from: string; to: string }) => `${from} 至 ${to}`;
    const shanghai = 480;

    it('says whole days on the workspace clock as the days they are, the last included, rather than up to the next day at 00:00', () => {
      // 2026-11-01 00:00 to 2026-12-01 00:00 in Shanghai: read as if it took in 1 December.
      expect(periodText('2026-10-31T16:00:00.000Z', '2026-11-30T16:00:00.000Z', 'zh-CN', shanghai, between)).toBe('2026-11-01 至 2026-11-30');
      expect(periodText('2026-11-29T16:00:00.000Z', '2026-11-30T16:00:00.000Z', 'zh-CN', shanghai, between)).toBe('2026-11-30');
      expect(periodText('2026-11-30T05:00:00.000Z', '2026-12-01T05:00:00.000Z', 'en-US', -300, between)).toBe('2026-11-30');
    });

    it('keeps the minutes of a period counted back from now, and of ends the workspace clock does not put at midnight', () => {
      expect(periodText('2026-11-07T08:30:00.000Z', '2026-12-07T08:30:00.000Z', 'zh-CN', shanghai, between)).toBe('2026-11-07 16:30 至 2026-12-07 16:30');
      // Midnight in UTC is 08:00 in Shanghai.
      expect(periodText('2026-11-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z', 'zh-CN', shanghai, between)).toBe('2026-11-01 08:00 至 2026-12-01 08:00');
      // Without the workspace's zone the console cannot tell its days: the minutes stay.
      expect(periodText('2026-11-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z', 'zh-CN', undefined, between)).toMatch(/^2026-1\d-\d\d \d\d:\d\d 至 /);
    });
  });
});
