// The snapshot layout on its own: values that straddle part boundaries, dictionary codes in
// each of their widths, and payloads that must not read back.
import { describe, expect, it } from 'vitest';
import { DictionaryColumn, dictionarySettings, NumberColumn } from '../../src/index/columns.js';
import { Bitmap } from '../../src/index/roaring.js';
import { SNAPSHOT_FORMAT, SnapshotError, SnapshotReader, SnapshotWriter } from '../../src/index/snapshot-format.js';
import { readDictionary, readNumbers, writeDictionary, writeNumbers } from '../../src/index/workspace-index.js';

function dictionary(distinct: number, customers: number): DictionaryColumn<string> {
  const column = new DictionaryColumn<string>();
  // Every seventh customer has no value, and values repeat out of order.
  for (let id = 0; id < customers; id++) if (id % 7 !== 3) column.load(id, `v${(id * 7919) % distinct}`);
  column.finishLoad(customers);
  return column;
}

function valuesOf(column: DictionaryColumn<string>): string[] {
  return Array.from({ length: column.valueCount }, (_, code) => column.value(code));
}

function roundTrip(column: DictionaryColumn<string>, partBytes: number): DictionaryColumn<string> | undefined {
  const out = new SnapshotWriter(partBytes);
  writeDictionary(out, column, (value) => out.string(value));
  out.f64(-0.5);
  const parts = out.finish();
  const input = new SnapshotReader(parts);
  const read = readDictionary(input, () => input.string(), true);
  expect(input.f64()).toBe(-0.5);
  input.end();
  return read;
}

describe('index snapshot layout', () => {
  it.each([
    [3, 50, 7],
    [254, 2000, 64],
    [255, 2000, 1000],
    [5000, 20_000, 4096],
    [100_000, 400_000, 1 << 20],
  ])('round-trips a dictionary of %i values over %i customers in parts of %i bytes', (distinct, customers, partBytes) => {
    const column = dictionary(distinct, customers);
    // Each case is meant for one code width: 1 byte up to 255 values, 2 up to 65,535, else 4.
    expect(column.stored.codes.BYTES_PER_ELEMENT).toBe(distinct <= 0xff ? 1 : distinct <= 0xffff ? 2 : 4);
    const read = roundTrip(column, partBytes);
    if (!read) throw new Error('no column read back');
    expect(read.stored.codes).toEqual(column.stored.codes);
    expect(valuesOf(read)).toEqual(valuesOf(column));
    expect(read.present.toArray()).toEqual(column.present.toArray());
    expect(read.bitmaps === undefined).toBe(distinct > dictionarySettings.maxValueBitmaps);
    expect(read.bitmaps?.map((bitmap) => bitmap.toArray())).toEqual(column.bitmaps?.map((bitmap) => bitmap.toArray()));
    // Writes after the load find the existing codes.
    read.set(customers + 1, column.value(1));
    expect(read.get(customers + 1)).toBe(column.value(1));
    expect(read.valueCount).toBe(column.valueCount);
  });

  it('reads back strings exactly, lone surrogates and characters outside the BMP included', () => {
    const values = ['', 'O"Town', '广州', '🎉城', '\ud800', 'a\udfffb', '\uffff', 'x'.repeat(5000)];
    const out = new SnapshotWriter(7);
    for (const value of values) out.string(value);
    const input = new SnapshotReader(out.finish());
    expect(values.map(() => input.string())).toEqual(values);
    input.end();
  });

  it('reads nothing from a payload that is cut short, has a different head, or a code past its dictionary', () => {
    const out = new SnapshotWriter(16);
    out.bitmap(new Bitmap([1, 2, 70_000]));
    const parts = out.finish();
    const whole = Buffer.concat(parts);
    expect(() => new SnapshotReader([whole.subarray(0, whole.length - 3)]).bitmap(new Bitmap())).not.toThrow();
    const cut = new SnapshotReader([whole.subarray(0, whole.length - 3)]);
    cut.bitmap(new Bitmap());
    expect(() => cut.end()).toThrow(SnapshotError);
    const short = new SnapshotReader([whole.subarray(0, 20)]);
    expect(() => short.bitmap(new Bitmap())).toThrow(SnapshotError);
    const foreign = Buffer.from(whole);
    foreign[0] = 0;
    expect(() => new SnapshotReader([foreign])).toThrow(SnapshotError);
    // A snapshot of the previous layout (codes and numbers of other widths) is refused, not misread.
    const older = Buffer.from(whole);
    older.writeUInt32LE(SNAPSHOT_FORMAT - 1, 4);
    expect(() => new SnapshotReader([older])).toThrow(/snapshot format/);

    const column = dictionary(3, 40);
    // Code 3 (shifted: 4) is past a dictionary of three values.
    column.stored.codes[5] = 4;
    const writer = new SnapshotWriter();
    writeDictionary(writer, column, (value) => writer.string(value));
    const input = new SnapshotReader(writer.finish());
    expect(() => readDictionary(input, () => input.string())).toThrow(/out of range/);
  });

  it('reads nothing from a column of milliseconds whose remainders are not one per id or not under a second', () => {
    const column = new NumberColumn();
    for (let id = 0; id < 5; id++) column.load(id, 1_796_004_332_000 + id * 1001);
    column.finishLoad(5);
    expect(column.encoding).toBe('milliseconds');
    const writer = new SnapshotWriter();
    writeNumbers(writer, column);
    const whole = Buffer.concat(writer.finish());
    // After the head (9 bytes), the encoding and layout (2), the seconds (4-byte count and 5 × 4
    // bytes): the remainders' count, then the remainders.
    const remainders = 9 + 2 + 4 + 20;
    const fewer = Buffer.from(whole);
    fewer.writeUInt32LE(4, remainders);
    expect(() => readNumbers(new SnapshotReader([fewer]))).toThrow(SnapshotError);
    const tooLarge = Buffer.from(whole);
    tooLarge.writeUInt16LE(1000, remainders + 4 + 2);
    expect(() => readNumbers(new SnapshotReader([tooLarge]))).toThrow(/1,000 milliseconds/);
    const back = readNumbers(new SnapshotReader([whole]));
    expect(Array.from({ length: 5 }, (_, id) => back?.get(id))).toEqual([0, 1, 2, 3, 4].map((id) => 1_796_004_332_000 + id * 1001));
  });
});
