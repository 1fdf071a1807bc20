// Node decodes GB18030 but has no encoder for it; the tests' Chinese text is encoded by
// inverting the decoder over the two-byte GBK range, which holds every character they use.

let table: Map<string, number[]> | undefined;

function gbkTable(): Map<string, number[]> {
  if (table) return table;
  table = new Map();
  const decoder = new TextDecoder('gb18030', { fatal: true });
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      try {
        const text = decoder.decode(Uint8Array.from([lead, trail]));
        if (text.length === 1 && !table.has(text)) table.set(text, [lead, trail]);
      } catch {
        // Not a two-byte code: skipped.
      }
    }
  }
  return table;
}

/** The GB18030 bytes of `text` (ASCII and characters of the two-byte GBK range). */
export function gb18030Bytes(text: string): Buffer {
  const bytes: number[] = [];
  for (const character of text) {
    const code = character.codePointAt(0) ?? 0;
    if (code < 0x80) {
      bytes.push(code);
      continue;
    }
    const pair = gbkTable().get(character);
    if (!pair) throw new Error(`no two-byte GBK code for "${character}"`);
    bytes.push(...pair);
  }
  return Buffer.from(bytes);
}
