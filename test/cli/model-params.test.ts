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

  it('refuses JSON giving a key twice in one object, naming the key and where in the argument, rather than keeping the last', () => {
    expect(() => parseModelParams(['weights={"r":1,"f":2,"r":3}'], 'en')).toThrow('--param weights.r: the key "r" is given twice in one object (column 22; first at column 10): a JSON parser would keep only the last value');
    expect(() => parseModelParams(['weights={"r":1,"f":2,"r":3}'], 'zh-CN')).toThrow('--param weights.r：同一对象中键 "r" 出现了两次（第 22 列；首次在第 10 列）：JSON 解析只会保留最后一个值');
    expect(() => parseModelParams(['levels=[{"name":"A"},{"name":"B","min":1,"min":2}]'], 'en')).toThrow(/^--param levels\.1\.min: the key "min" is given twice/);
    // The same key in two objects is no repeat.
    expect(parseModelParams(['levels=[{"name":"A"},{"name":"B"}]'])).toEqual({ levels: [{ name: 'A' }, { name: 'B' }] });
  });
});
