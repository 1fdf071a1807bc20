import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FlatJsonReader, MEMBER_FALSE, MEMBER_NULL, MEMBER_NUMBER, MEMBER_STRING, MEMBER_TRUE, StringCache, readRows } from '../../src/index/flat-json.js';

/** The members as a for-in loop over JSON.parse's result visits them. */
function parsed(text: string): [string, unknown][] {
  const object = JSON.parse(text) as Record<string, unknown>;
  const members: [string, unknown][] = [];
  for (const key in object) if (Object.hasOwn(object, key)) members.push([key, object[key]]);
  return members;
}

function read(reader: FlatJsonReader, bytes: Buffer, start?: number, end?: number): [string, unknown][] | undefined {
  if (!reader.read(bytes, start, end)) return undefined;
  const members: [string, unknown][] = [];
  for (let m = 0; m < reader.count; m++) {
    const key = reader.keys[reader.slots[m] as number] as string;
    const kind = reader.kinds[m];
    const value = kind === MEMBER_NUMBER ? reader.numbers[m] : kind === MEMBER_STRING ? reader.strings[m] : kind === MEMBER_TRUE ? true : kind === MEMBER_FALSE ? false : kind === MEMBER_NULL ? null : 'unknown kind';
    members.push([key, value]);
  }
  return members;
}

const key = fc.oneof(fc.constantFrom('orders_total', 'spend_30d', 'preferred_category', '', '__proto__', '0', '12', '01', 'a"b', 'k\\', '城市', '🎉'), fc.string({ maxLength: 6 }));
const value = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(0, -0, 0.1, 131.7933, 1795984996171, 1e21, 1e-7, 123456789012345.6, 2 ** 53 + 2),
  fc.string({ maxLength: 8 }),
  fc.constantFrom('服装', 'say "hi"', '\u0000', '\ud800', 'line\nbreak', '🎉'),
  fc.boolean(),
  fc.constant(null),
  fc.constant([1, 2]),
  fc.constant({ nested: true }),
);
const text = fc.oneof(
  fc.array(fc.tuple(key, value), { maxLength: 8 }).map((members) => `{${members.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`),
  fc.dictionary(key, value, { maxKeys: 8 }).map((object) => JSON.stringify(object, null, 1)),
);

describe('FlatJsonReader', () => {
  it('reads what JSON.parse gives, in for-in order, or declines', () => {
    const reader = new FlatJsonReader();
    let readable = 0;
    fc.assert(
      fc.property(text, (source) => {
        const members = read(reader, Buffer.from(source));
        if (members) {
          readable++;
          expect(members).toEqual(parsed(source));
        }
      }),
      { numRuns: 3000 },
    );
    expect(readable).toBeGreaterThan(500);
  });

  it('reads the usual metric values, the same keys again, and only within its range', () => {
    const reader = new FlatJsonReader();
    const first = '{"orders_total":3,"spend_total":395.38,"avg_order_value":131.7933,"last_order_at":1789953489820,"refund_rate":-0,"preferred_category":"美妆","vip":true,"gone":null}';
    const second = '{"orders_total":0,"spend_total":0,"preferred_category":"美妆","extra":"x","avg_order_value":1e3}';
    const bytes = Buffer.from(first + second);
    expect(read(reader, bytes, 0, Buffer.byteLength(first))).toEqual(parsed(first));
    expect(read(reader, bytes, Buffer.byteLength(first))).toEqual(parsed(second));
    expect(Object.is(read(reader, Buffer.from(first))?.[4]?.[1], -0)).toBe(true);
    // A text cut short, or followed by more than spaces, is not an object.
    expect(reader.read(bytes, 0, Buffer.byteLength(first) - 1)).toBe(false);
    expect(reader.read(bytes)).toBe(false);
  });

  it('declines what it cannot read exactly as JSON.parse does', () => {
    const reader = new FlatJsonReader();
    for (const source of ['{"a":1,"a":2}', '{"b":1,"7":2}', '{"a":{"b":1}}', '{"a":[1]}', '{"a":"\\u0041"}', '[1]', 'null', '{"a":01}', '{"a":1.}', '{"a":-}', '{"a":tru}', '{"a":1', '', '{"a":1}x', '{"a\u0001":1}']) {
      expect(reader.read(Buffer.from(source)), source).toBe(false);
    }
  });
});

describe('readRows', () => {
  const cell = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('广州', '{"score":90}', 'C00000001', '', '🎉'), fc.double(), fc.integer(), fc.boolean(), fc.constant(null));
  it('gives what JSON.parse gives, sharing repeated strings', () => {
    const cache = new StringCache(8);
    fc.assert(
      fc.property(fc.array(fc.array(cell, { maxLength: 5 }), { maxLength: 6 }), fc.boolean(), (rows, spaced) => {
        const source = JSON.stringify(rows, null, spaced ? 1 : undefined);
        expect(readRows(Buffer.from(source), cache)).toEqual(JSON.parse(source));
      }),
      { numRuns: 2000 },
    );
  });

  it('declines anything but an array of flat arrays', () => {
    const cache = new StringCache();
    for (const source of ['{}', '[1]', '[[1],', '[[[1]]]', '[[{"a":1}]]', '[[1e]]', '[[1]] x', '']) expect(readRows(Buffer.from(source), cache), source).toBeUndefined();
  });
});
