// A name's search key and a query's patterns: what the store's LIKE then finds (docs/api.md, `q`).
import { describe, expect, it } from 'vitest';
import { nameSearchKey, nameSearchPatterns } from '../../src/core/name-search.js';

/** Whether a LIKE pattern (escape `\`) matches the text, as both stores read it. */
function like(pattern: string, text: string): boolean {
  const source = pattern.replace(/\\(.)|([%_])|([^\\%_]+)/gsu, (_, escaped: string | undefined, wildcard: string | undefined, plain: string | undefined) =>
    escaped !== undefined ? escaped.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : wildcard === '%' ? '.*' : wildcard === '_' ? '.' : (plain ?? '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
  );
  return new RegExp(`^${source}$`, 'su').test(text);
}

function finds(q: string, name: string): boolean {
  const key = nameSearchKey(name);
  return key !== null && nameSearchPatterns(q).some((pattern) => like(pattern, key));
}

describe('name search', () => {
  it('reads ü as v or u in pinyin, and leaves a Latin word with a v as it is', () => {
    expect(finds('lvxiaoming', '吕小明')).toBe(true);
    expect(finds('luxiaoming', '吕小明')).toBe(true);
    expect(finds('stevewang', 'Steve 王')).toBe(true);
    expect(finds('steuewang', 'Steve 王')).toBe(false);
  });

  it('passes over digits and punctuation between syllables, and reads only the first 24', () => {
    expect(finds('dianpuhao', '店铺2号')).toBe(true);
    expect(finds('dph', '店铺2号')).toBe(true);
    expect(finds('a'.repeat(24), '啊'.repeat(30))).toBe(true);
    expect(finds('a'.repeat(25), '啊'.repeat(30))).toBe(false);
  });

  it('keeps a query that is not all Latin letters to the name, and never lets it match inside the pinyin', () => {
    expect(nameSearchPatterns('桂兰')).toHaveLength(1);
    expect(nameSearchPatterns('13800138000')).toHaveLength(1);
    expect(finds('桂兰', '魏桂兰')).toBe(true);
    // "guilan" is in the key's pinyin, but "uila" starts no spelling and is not in the name.
    expect(finds('uila', '魏桂兰')).toBe(false);
    expect(finds('an', '魏桂兰')).toBe(false);
  });

  it('keeps no key for no name', () => {
    expect(nameSearchKey(null)).toBeNull();
  });
});
