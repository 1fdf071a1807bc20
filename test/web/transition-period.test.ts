// The instants the transitions page asks the API about for the period in its address: a day
// picked on the calendar is the whole day on the workspace's clock; anything else goes to the
// server as written, for it to say what is wrong.
import { describe, expect, it } from 'vitest';
import { periodInstants } from '../../web/src/modules/transitions/utils/period.js';

describe("the transitions page's period", () => {
  it('sends the days picked as dates, which the server reads as whole days on the workspace clock, whether or not the console knows its zone yet', () => {
    expect(periodInstants({ kind: 'custom', from: '2026-11-01', to: '2026-11-30' }, Date.UTC(2026, 11, 5))).toEqual({ from: '2026-11-01', to: '2026-11-30' });
  });

  it('sends a day that does not exist as written, rather than as a day of the next month', () => {
    // 2026-02-30 is no day: read as 2 March it counted another period than the one in the address, unsaid.
    expect(periodInstants({ kind: 'custom', from: '2026-02-30', to: '2026-13-01' }, Date.UTC(2026, 11, 5))).toEqual({ from: '2026-02-30', to: '2026-13-01' });
  });
});
