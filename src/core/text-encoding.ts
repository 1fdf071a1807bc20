// Files exported from spreadsheets on Chinese Windows are usually GB18030 (GBK) rather than
// UTF-8. Read as UTF-8, every Chinese character of such a file turns into U+FFFD, and an
// import would store 「����」 for every name without a word. So an import finds the encoding
// from the file's first bytes, and refuses a file that is neither. Excel's "Unicode Text" is
// UTF-16 (tab separated), which says so by its byte-order mark, or by its zero bytes without one.

export const TEXT_ENCODINGS = ['utf-8', 'gb18030', 'utf-16le', 'utf-16be'] as const;
export type TextEncodingName = (typeof TEXT_ENCODINGS)[number];

/**
 * Encodings told from the bytes being valid in them. UTF-16 is not among them, as almost any bytes
 * decode as UTF-16: it is told by its byte-order mark, or without one by its zero bytes (below).
 */
const SNIFFED_ENCODINGS = ['utf-8', 'gb18030'] as const satisfies readonly TextEncodingName[];

/** An encoding as a person knows it. */
export const TEXT_ENCODING_LABELS: Readonly<Record<TextEncodingName, string>> = { 'utf-8': 'UTF-8', gb18030: 'GB18030 (GBK)', 'utf-16le': 'UTF-16 LE', 'utf-16be': 'UTF-16 BE' };

/** How many bytes from the start decide the encoding of a file. */
export const ENCODING_SNIFF_BYTES = 64 * 1024;

/**
 * The encoding of a text from its first bytes: UTF-16 when they start with its byte-order mark
 * (FF FE little-endian, FE FF big-endian), UTF-8 when they are valid UTF-8 (plain ASCII is),
 * GB18030 when they are valid GB18030 but not UTF-8, undefined when they are none of these. A
 * character cut off at the end of `head` does not count against an encoding.
 */
export function detectTextEncoding(head: Uint8Array): TextEncodingName | undefined {
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  return utf16WithoutMark(head) ?? SNIFFED_ENCODINGS.find((encoding) => decodesCleanly(encoding, head));
}

/**
 * UTF-16 saved without its byte-order mark, told by its zero bytes: no text file of UTF-8 or
 * GB18030 holds one, while in UTF-16 every ASCII character (the digits, commas, tabs and line
 * breaks of a table) has one, before it (big-endian) or after it (little-endian). Read as UTF-8
 * such a file would go in as `i\0d\0`. A stray zero in UTF-8 text (a cell the store then
 * refuses) is far fewer than one byte in eight; bytes with zeros on both sides, or that do not
 * decode as UTF-16 to text with a line break or a separator, are no such text either.
 */
function utf16WithoutMark(head: Uint8Array): TextEncodingName | undefined {
  let even = 0;
  let odd = 0;
  for (let index = 0; index < head.length; index++) {
    if (head[index] !== 0) continue;
    if (index % 2 === 0) even++;
    else odd++;
  }
  if (8 * (even + odd) < head.length) return undefined;
  const encoding = odd >= 9 * even ? 'utf-16le' : even >= 9 * odd ? 'utf-16be' : undefined;
  if (encoding === undefined || !decodesCleanly(encoding, head)) return undefined;
  const text = new TextDecoder(encoding).decode(head.subarray(0, head.length - (head.length % 2)));
  return !text.includes('\u0000') && /[\n\r,\t;]/.test(text) ? encoding : undefined;
}

function decodesCleanly(encoding: TextEncodingName, bytes: Uint8Array): boolean {
  try {
    new TextDecoder(encoding, { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}
