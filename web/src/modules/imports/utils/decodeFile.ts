// Spreadsheets on Chinese Windows save CSV as GB18030 (GBK); read as UTF-8 (what File.text()
// does), every Chinese character of such a file becomes U+FFFD. The encoding is told as the
// server's importer tells it (src/core/text-encoding.ts): UTF-8 when the file's first 64 KiB
// are UTF-8, else GB18030 when they are that; then the whole file must be text in it.

export type FileEncoding = 'utf-8' | 'gb18030';

const SNIFF_BYTES = 64 * 1024;

export type DecodedFile = { text: string; encoding: FileEncoding; problem?: undefined } | { problem: 'not-text'; line?: undefined } | { problem: 'bad-bytes'; encoding: FileEncoding; line: number };

function decodes(encoding: FileEncoding, bytes: Uint8Array): boolean {
  try {
    new TextDecoder(encoding, { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

export function decodeFile(bytes: Uint8Array): DecodedFile {
  const head = bytes.subarray(0, SNIFF_BYTES);
  const encoding = (['utf-8', 'gb18030'] as const).find((candidate) => decodes(candidate, head));
  if (!encoding) return { problem: 'not-text' };
  try {
    return { text: new TextDecoder(encoding, { fatal: true }).decode(bytes), encoding };
  } catch {
    const lenient = new TextDecoder(encoding).decode(bytes);
    const bad = lenient.indexOf('\uFFFD');
    return { problem: 'bad-bytes', encoding, line: lenient.slice(0, Math.max(bad, 0)).split('\n').length };
  }
}
