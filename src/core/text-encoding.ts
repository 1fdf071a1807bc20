// Files exported from spreadsheets on Chinese Windows are usually GB18030 (GBK) rather than
// UTF-8. Read as UTF-8, every Chinese character of such a file turns into U+FFFD, and an
// import would store 「����」 for every name without a word. So an import finds the encoding
// from the file's first bytes, and refuses a file that is neither. Excel's "Unicode Text" is
// UTF-16 (tab separated), which says so by its byte-order mark.

export const TEXT_ENCODINGS = ['utf-8', 'gb18030', 'utf-16le', 'utf-16be'] as const;
export type TextEncodingName = (typeof TEXT_ENCODINGS)[number];

/** Encodings told from the bytes themselves; UTF-16 is told only by its byte-order mark, as almost any bytes decode as UTF-16. */
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
  return SNIFFED_ENCODINGS.find((encoding) => decodesCleanly(encoding, head));
}

function decodesCleanly(encoding: TextEncodingName, bytes: Uint8Array): boolean {
  try {
    new TextDecoder(encoding, { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}
