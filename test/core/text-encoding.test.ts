import { describe, expect, it } from 'vitest';
import { detectTextEncoding } from '../../src/core/text-encoding.js';
import { gb18030Bytes } from '../support/gb18030.js';

describe('the encoding of an import file', () => {
  it('is UTF-8 when the bytes are UTF-8, plain ASCII included', () => {
    expect(detectTextEncoding(Buffer.from('id,name\nC1,Alice\n'))).toBe('utf-8');
    expect(detectTextEncoding(Buffer.from('id,name,city\nC1,张伟,广州\n'))).toBe('utf-8');
    expect(detectTextEncoding(Buffer.from('\uFEFFid,name\nC1,张伟\n'))).toBe('utf-8');
  });

  it('is GB18030 when the bytes are not UTF-8 but are GB18030, as spreadsheets on Chinese Windows save CSV', () => {
    expect(detectTextEncoding(gb18030Bytes('id,name,city\nC1,张伟,广州\nC2,李娜,深圳\n'))).toBe('gb18030');
  });

  it('does not count a character cut off at the end against an encoding', () => {
    const utf8 = Buffer.from('C1,张伟');
    expect(detectTextEncoding(utf8.subarray(0, utf8.length - 1))).toBe('utf-8');
    const gbk = gb18030Bytes('C1,张伟');
    expect(detectTextEncoding(gbk.subarray(0, gbk.length - 1))).toBe('gb18030');
  });

  it('is UTF-16 when the bytes start with its byte-order mark, as Excel saves "Unicode Text"', () => {
    const text = '\uFEFF编号\t姓名\r\nC1\t张伟\r\n';
    expect(detectTextEncoding(Buffer.from(text, 'utf16le'))).toBe('utf-16le');
    expect(detectTextEncoding(Buffer.from(text, 'utf16le').swap16())).toBe('utf-16be');
  });

  it('is UTF-16 without a byte-order mark when its zero bytes say so, on whichever side of each ASCII character they stand', () => {
    const text = 'id\tname\tcity\r\nA1\tBob\t广州\r\nA2\t张伟\t深圳\r\n';
    expect(detectTextEncoding(Buffer.from(text, 'utf16le'))).toBe('utf-16le');
    expect(detectTextEncoding(Buffer.from(text, 'utf16le').swap16())).toBe('utf-16be');
    // A stray zero in UTF-8 text is that text's, for the store to refuse in its row.
    expect(detectTextEncoding(Buffer.from('id,note\nN7,a\u0000b\nN8,张伟\n'))).toBe('utf-8');
  });

  it('is neither for bytes that are not text', () => {
    expect(detectTextEncoding(Uint8Array.from([0x69, 0x64, 0x0a, 0xff, 0xfe, 0xfd, 0x80, 0x0a]))).toBeUndefined();
    // Zeros on both sides, as in a zip or an image: not UTF-16 either.
    expect(detectTextEncoding(Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0xff, 0xfe, 0x80, 0x0a]))).toBeUndefined();
  });
});
