import { describe, expect, it } from 'vitest';
import { displayName } from '../../src/core/display-name.js';
import { tagInputSchema } from '../../src/core/tag.js';

describe('a display name', () => {
  const name = displayName(8);

  it('is trimmed of spaces and characters that show nothing at its ends, and keeps them inside', () => {
    expect(name.parse('  高价值\u200b\ufeff')).toBe('高价值');
    expect(name.parse('\u2060VIP 客户 ')).toBe('VIP 客户');
    // A joiner inside an emoji sequence is part of it.
    expect(name.parse('家庭👨\u200d👩\u200d👧')).toBe('家庭👨\u200d👩\u200d👧');
  });

  it('refuses a name that shows nothing, or holds a control character', () => {
    expect(name.safeParse('\u200b').error?.issues[0]?.message).toBe('a name needs at least one visible character');
    expect(name.safeParse(' ').error?.issues[0]?.message).toBe('a name needs at least one visible character');
    // Marks that set the direction of text show nothing either.
    for (const text of ['\u202e', '\u200f\u2067\u2069']) expect(name.safeParse(text).error?.issues[0]?.message, text).toBe('a name needs at least one visible character');
    expect(name.parse('\u202eVIP\u202c')).toBe('VIP');
    for (const text of ['高\n价值', '值\u0007', 'a\tb', 'x\u0085']) expect(name.safeParse(text).error?.issues[0]?.message).toBe('a name may not hold a line break, a tab or another control character');
    expect(name.safeParse('一二三四五六七八九').success).toBe(false);
  });

  it('is how tags and their values are named', () => {
    const parsed = tagInputSchema.parse({ key: 'stage', name: '服务阶段\u200b', values: [{ key: 'pre', name: '\ufeff售前' }] });
    expect([parsed.name, parsed.values[0]?.name]).toEqual(['服务阶段', '售前']);
    expect(tagInputSchema.safeParse({ key: 'stage', name: '\u200b', values: [] }).success).toBe(false);
  });
});
