// Files exported from spreadsheets on Chinese Windows are usually GB18030 (GBK) rather than
// UTF-8. Read as UTF-8, every Chinese character of such a file turns into U+FFFD, and an
// import would store 「����」 for every name without a word. So an import finds the encoding
// from the file's first bytes, and refuses a file that is neither.

export const TEXT_ENCODINGS = ['utf-8', 'gb18030'] as const;
export type TextEncodingName = (typeof TEXT_ENCODINGS)[number];

/** How many bytes from the start decide the encoding of a file. */
export const ENCODING_SNIFF_BYTES = 64 * 1024;

/**
 * The encoding of a text from its first bytes: UTF-8 when they are valid UTF-8 (plain ASCII
 * is), GB18030 when they are valid GB18030 but not UTF-8, undefined when they are neither. A
 * character cut off at the end of `head` does not count against an encoding.
 */
export function detectTextEncoding(head: Uint8Array): TextEncodingName | undefined {
  return TEXT_ENCODINGS.find((encoding) => decodesCleanly(encoding, head));
}

function decodesCleanly(encoding: TextEncodingName, bytes: Uint8Array): boolean {
  try {
    new TextDecoder(encoding, { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}
