// `tagbase model enable NAME -p KEY=VALUE`: what a shell user types becomes the parameter's value.
import { describe, expect, it } from 'vitest';
import { parseModelParams } from '../../src/cli/model.js';

describe('parseModelParams', () => {
  it('reads numbers, words, JSON and comma-separated lists', () => {
    expect(parseModelParams(['window_days=180', 'recency=median', 'home_city=杭州'])).toEqual({ window_days: 180, recency: 'median', home_city: '杭州' });
    expect(parseModelParams(['bounds=[100,500]'])).toEqual({ bounds: [100, 500] });
    expect(parseModelParams(['bounds=500,1000, 2000'])).toEqual({ bounds: [500, 1000, 2000] });
    expect(parseModelParams(['categories=服装，鞋靴,美妆'])).toEqual({ categories: ['服装', '鞋靴', '美妆'] });
  });

  it('refuses a pair without a name', () => {
    expect(() => parseModelParams(['=3'], 'en')).toThrow('--param takes NAME=VALUE; got "=3"');
    expect(() => parseModelParams(['window_days'], 'en')).toThrow('--param takes NAME=VALUE');
  });
});
