import { describe, expect, it } from 'vitest';
import { duplicateJsonKeys, parsedKeyCount, writtenKeyCount } from '../../src/core/json-duplicate-keys.js';

const duplicates = (text: string) => duplicateJsonKeys(text, JSON.parse(text) as unknown);

describe('keys written twice in one object of a JSON text', () => {
  it('finds none where each object names a key once, the same key in other objects included', () => {
    expect(duplicates('{"customers":[{"id":"C1","name":"A"},{"id":"C2","name":"B"}],"name":"x"}')).toEqual([]);
    expect(duplicates('[1, "a", {"a": {"a": [{"a": 1}]}}]')).toEqual([]);
    expect(duplicates('"name"')).toEqual([]);
  });

  it('names each, with the place of its value and where both writings of it begin', () => {
    const text = '{\n  "customers": [\n    {"id": "C1"},\n    {"id": "C2", "name": "A",\n     "name": "B"}\n  ],\n  "x": 1, "x": 2\n}';
    expect(duplicates(text)).toEqual([
      { key: 'name', place: ['customers', '1', 'name'], line: 5, column: 6, firstLine: 4, firstColumn: 18 },
      { key: 'x', place: ['x'], line: 7, column: 11, firstLine: 7, firstColumn: 3 },
    ]);
  });

  it('reads a key as the parser does: an escape is the character it writes', () => {
    expect(duplicates('{"a": 1, "\\u0061": 2}').map((found) => found.key)).toEqual(['a']);
    expect(duplicates('{"a\\"b": 1, "a\\"b": 2}').map((found) => found.key)).toEqual(['a"b']);
    expect(duplicates('{"k": "x\\\\", "k": "y"}').map((found) => found.place)).toEqual([['k']]);
  });

  it('counts items of arrays among strings, numbers and literals', () => {
    const text = '{"list": ["a", 1, true, null, -2.5e3, {"b": 1, "b": 2}]}';
    expect(duplicates(text).map((found) => found.place)).toEqual([['list', '5', 'b']]);
  });

  it('counts keys written in the text and held by the parsed value alike when none repeats', () => {
    const text = '{"a": "x: y", "b" : {"c": ["d:", {"e": 1}]}, "t": "10:30"}';
    expect(writtenKeyCount(text)).toBe(5);
    expect(parsedKeyCount(JSON.parse(text) as unknown)).toBe(5);
  });

  it('walks a value nested deeper than the call stack goes', () => {
    const text = `${'['.repeat(100_000)}{"a": 1, "a": 2}${']'.repeat(100_000)}`;
    expect(duplicates(text)).toHaveLength(1);
  });
});
