import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_EVENT_PROPERTIES_BYTES, checkEventProperties, utf8Length } from '../../src/core/event.js';

describe('event properties', () => {
  it('measures UTF-8 length as an encoder would, lone surrogates included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(utf8Length(text)).toBe(new TextEncoder().encode(text).length);
      }),
    );
    expect(utf8Length('a美🙂\ud800')).toBe(1 + 3 + 4 + 3);
  });

  it('refuses properties over the size limit, counted in bytes', () => {
    const chinese = { note: '美'.repeat(Math.ceil(MAX_EVENT_PROPERTIES_BYTES / 3)) };
    expect(checkEventProperties('note_added', chinese)[0]?.en).toMatch(/^properties take \d+ bytes; at most 16384$/);
    expect(checkEventProperties('note_added', { note: '美'.repeat(1000) })).toEqual([]);
  });
});
