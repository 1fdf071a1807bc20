import { describe, expect, it } from 'vitest';
import { computeRfmThresholds, rfmLevelOf, rfmNeedsBuyers, rfmParamsSchema, rfmThresholdsWithoutBuyers, roundThreshold, type RfmSample } from '../../src/core/models/rfm.js';

const params = rfmParamsSchema.parse({});

describe('RFM thresholds kept to two decimals', () => {
  it('round F and M up and R down, so that no whole number or amount in cents changes side', () => {
    // 250 customers with 3 orders and one with 4: the mean is 3.004, and three orders is below it.
    const samples: RfmSample[] = [...Array.from({ length: 250 }, () => ({ recency: 13, frequency: 3, monetary: 100 })), { recency: 12, frequency: 4, monetary: 101 }];
    const thresholds = computeRfmThresholds(params, samples);
    expect(thresholds.frequency).toBe(3.01);
    expect(thresholds.monetary).toBe(100.01);
    // R: the mean 12.996 keeps 13 days above it (not recent) and 12 at or below.
    expect(thresholds.recency).toBe(12.99);
    const everyone = samples.map((sample) => rfmLevelOf(sample, thresholds)?.key);
    expect(everyone[0]).toBe('general_winback');
    expect(everyone[250]).toBe('important_value');
  });

  it('keeps a value of two decimals as it is, binary fractions included', () => {
    for (const value of [0, 1.1, 2.3, 0.07, 1893.75, 58.75, 3, 1e6 + 0.29]) {
      expect(roundThreshold(value, 'up')).toBe(value);
      expect(roundThreshold(value, 'down')).toBe(value);
    }
    expect(roundThreshold(3.004, 'up')).toBe(3.01);
    expect(roundThreshold(3.004, 'down')).toBe(3);
    expect(roundThreshold(2.999, 'down')).toBe(2.99);
  });

  it('agrees with the unrounded threshold for every value in cents', () => {
    const frequencies = [1, 2, 2, 3, 7];
    const monetary = [10.01, 20.02, 33.33, 99.99, 0.5];
    const samples = frequencies.map((frequency, k) => ({ recency: k * 7 + 1, frequency, monetary: monetary[k] ?? 0 }));
    const thresholds = computeRfmThresholds(params, samples);
    const exact = { recency: 15, frequency: 3, monetary: 32.77 };
    for (let cents = 0; cents <= 10_000; cents++) {
      const value = cents / 100;
      expect(value >= thresholds.monetary).toBe(value >= exact.monetary);
      expect(value >= thresholds.frequency).toBe(value >= exact.frequency);
      expect(value <= thresholds.recency).toBe(value <= exact.recency);
    }
  });
});

describe('RFM thresholds with no buyers in the window', () => {
  it('keeps the ones before for a mean or a median, takes fixed ones as given, and has none without any before', () => {
    const before = computeRfmThresholds(params, [{ recency: 10, frequency: 3, monetary: 3000 }, { recency: 20, frequency: 1, monetary: 200 }]);
    expect(rfmNeedsBuyers(params)).toBe(true);
    expect(rfmThresholdsWithoutBuyers(params, undefined)).toBeUndefined();
    expect(rfmThresholdsWithoutBuyers(params, before)).toEqual(before);
    const mixed = rfmParamsSchema.parse({ recency: 30, monetary: 999.999 });
    expect(rfmThresholdsWithoutBuyers(mixed, before)).toMatchObject({ recency: 30, frequency: 2, monetary: 1000, customers: 2 });
    // All fixed: nothing needs buyers, and the thresholds of no buyers are the numbers given.
    const fixed = rfmParamsSchema.parse({ recency: 30, frequency: 2, monetary: 500 });
    expect(rfmNeedsBuyers(fixed)).toBe(false);
    expect(computeRfmThresholds(fixed, [])).toMatchObject({ recency: 30, frequency: 2, monetary: 500, customers: 0 });
  });
});
