import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { TagbaseError } from '../../src/core/errors.js';
import type { TextEncodingName } from '../../src/core/text-encoding.js';
import { parseRows, type ParseOptions, type RawRow } from '../../src/engine/imports.js';
import { gb18030Bytes } from '../support/gb18030.js';

const NAMES = ['张伟', '李娜', '王芳', '刘洋', '陈静', '杨帆', '赵敏', '黄磊'];
const CITIES = ['广州', '深圳', '上海', '北京', '杭州', '成都'];

/** A customers CSV of `count` rows with Chinese names and cities: well over the 64 KiB the encoding is found from at 3,000. */
function customersCsv(count: number): string {
  const lines = ['id,name,city'];
  for (let i = 1; i <= count; i++) lines.push(`C${i},${NAMES[i % NAMES.length]}${i},${CITIES[i % CITIES.length]}`);
  return `${lines.join('\n')}\n`;
}

/** The bytes as a stream of pieces of `size`, cut wherever they fall (inside characters too). */
function pieces(bytes: Buffer, size: number): Readable {
  const parts: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) parts.push(bytes.subarray(at, at + size));
  return Readable.from(parts);
}

async function rowsOf(stream: Readable, options: ParseOptions = {}): Promise<{ rows: RawRow[]; encoding: TextEncodingName | undefined }> {
  let encoding: TextEncodingName | undefined;
  const rows: RawRow[] = [];
  for await (const row of parseRows(stream, 'csv', { ...options, onEncoding: (found) => (encoding = found) })) rows.push(row);
  return { rows, encoding };
}

describe('import files in GB18030 (GBK) and UTF-8', () => {
  it('reads a GB18030 file as GB18030 and a UTF-8 file as UTF-8, the same rows either way, however the bytes arrive', async () => {
    const text = customersCsv(3000);
    const expected = text.trim().split('\n').slice(1).map((line) => line.split(','));
    for (const [bytes, encoding] of [
      [gb18030Bytes(text), 'gb18030'],
      [Buffer.from(text, 'utf8'), 'utf-8'],
    ] as const) {
      const read = await rowsOf(pieces(bytes, 1001));
      expect(read.encoding).toBe(encoding);
      expect(read.rows.map((row) => [row.record?.id, row.record?.name, row.record?.city])).toEqual(expected);
      expect(read.rows.at(-1)?.line).toBe(3001);
    }
  });

  it('stops at the line whose bytes are not text in the file’s encoding, keeping the rows before it', async () => {
    // Past the first 64 KiB, which decide the encoding.
    const text = customersCsv(6000);
    const lines = text.split('\n');
    const bad = Buffer.concat([Buffer.from(`${lines.slice(0, 5000).join('\n')}\nC9999,`, 'utf8'), Buffer.from([0xff, 0xfe]), Buffer.from(`,广州\n${lines.slice(5000).join('\n')}`, 'utf8')]);
    expect(Buffer.byteLength(lines.slice(0, 5000).join('\n'))).toBeGreaterThan(64 * 1024);
    const read = await rowsOf(pieces(bad, 4096));
    expect(read.encoding).toBe('utf-8');
    expect(read.rows.filter((row) => row.record)).toHaveLength(4999);
    expect(read.rows.at(-1)).toMatchObject({ line: 5001, problem: { reason: 'unreadable_from_here' } });
    expect(read.rows.at(-1)?.problem?.params).toMatchObject({ detail: { en: 'the bytes here are not UTF-8 text, as the rest of the file is' } });
  });

  it('reads the encoding it is told, and a GB18030 file read as UTF-8 stops at its first Chinese line', async () => {
    const bytes = gb18030Bytes('id,name\nC1,Alice\nC2,张伟\n');
    expect((await rowsOf(pieces(bytes, 7), { encoding: 'gb18030' })).rows.map((row) => row.record?.name)).toEqual(['Alice', '张伟']);
    const forced = await rowsOf(pieces(bytes, 7), { encoding: 'utf-8' });
    expect(forced.rows.map((row) => row.record?.name ?? row.problem?.reason)).toEqual(['Alice', 'unreadable_from_here']);
    expect(forced.rows.at(-1)?.line).toBe(3);
  });

  it('reads UTF-16, little- and big-endian, as Excel saves "Unicode Text" (tab separated, CRLF): told by its byte-order mark, or without one by its zero bytes', async () => {
    const table = customersCsv(3000).replaceAll(',', '\t').replaceAll('\n', '\r\n');
    const expected = customersCsv(3000).trim().split('\n').slice(1).map((line) => line.split(','));
    for (const text of [`\uFEFF${table}`, table]) {
      const little = Buffer.from(text, 'utf16le');
      for (const [bytes, encoding] of [
        [little, 'utf-16le'],
        [Buffer.from(little).swap16(), 'utf-16be'],
      ] as const) {
        // Odd pieces: a character's two bytes fall in two pieces.
        const read = await rowsOf(pieces(bytes, 1001));
        expect(read.encoding).toBe(encoding);
        expect(read.rows.map((row) => [row.record?.id, row.record?.name, row.record?.city])).toEqual(expected);
        expect(read.rows.at(-1)?.line).toBe(3001);
      }
    }
  });

  it('refuses a file that is text in neither encoding, and reads JSON Lines the same way', async () => {
    const refusal = await rowsOf(Readable.from([Buffer.from([0x69, 0x64, 0x0a, 0xff, 0xfe, 0x80, 0x0a])])).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(TagbaseError);
    expect((refusal as TagbaseError).code).toBe('VALIDATION_FAILED');
    const jsonl: RawRow[] = [];
    for await (const row of parseRows(Readable.from([gb18030Bytes('{"id":"C1","name":"张伟"}\n{"id":"C2","city":"广州"}\n')]), 'jsonl')) jsonl.push(row);
    expect(jsonl.map((row) => row.record)).toEqual([
      { id: 'C1', name: '张伟' },
      { id: 'C2', city: '广州' },
    ]);
  });
});
