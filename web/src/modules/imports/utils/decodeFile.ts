// Spreadsheets on Chinese Windows save CSV as GB18030 (GBK); read as UTF-8 (what File.text()
// does), every Chinese character of such a file becomes U+FFFD. The encoding is told by the
// same rule as the server's importer (`detectTextEncoding`, pure and shared), and then the
// whole file must be text in it. No text file holds a NUL character (and the server refuses
// it): a file with one is binary, however its first bytes happen to decode. In UTF-16 every
// ASCII character has a zero byte, so there the text is looked at rather than the bytes.
import { ENCODING_SNIFF_BYTES, detectTextEncoding, type TextEncodingName } from '../../../../../src/core/text-encoding';

export type FileEncoding = TextEncodingName;

export type DecodedFile = { text: string; encoding: FileEncoding; problem?: undefined } | { problem: 'not-text'; line?: undefined } | { problem: 'bad-bytes'; encoding: FileEncoding; line: number };

export function decodeFile(bytes: Uint8Array): DecodedFile {
  const encoding = detectTextEncoding(bytes.subarray(0, ENCODING_SNIFF_BYTES));
  const utf16 = encoding === 'utf-16le' || encoding === 'utf-16be';
  if (!encoding || (!utf16 && bytes.includes(0))) return { problem: 'not-text' };
  try {
    const text = new TextDecoder(encoding, { fatal: true }).decode(bytes);
    return text.includes('\0') ? { problem: 'not-text' } : { text, encoding };
  } catch {
    const lenient = new TextDecoder(encoding).decode(bytes);
    const bad = lenient.indexOf('\uFFFD');
    return { problem: 'bad-bytes', encoding, line: lenient.slice(0, Math.max(bad, 0)).split('\n').length };
  }
}
