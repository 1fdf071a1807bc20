// Keys written twice in one object of a JSON text (`{"name": "A", "name": "B"}`). A JSON parser
// keeps the last without a word, so a client's mistake (a template's field given twice, two
// objects merged) would change data unseen; such a text is refused instead, naming each.
import { localized, type LocalizedText } from './locale.js';

/** A key given again in the same object: where the object is, by keys and indexes, and where the key is written. */
export interface DuplicateJsonKey {
  /** The key as the parser reads it (escapes undone: `"\u0061"` is `a`). */
  key: string;
  /** The place of the value it names, from the root (`['customers', '3', 'name']`). */
  place: string[];
  /** Where the second writing of the key begins, from 1, and where the first one does. */
  line: number;
  column: number;
  firstLine: number;
  firstColumn: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;

/**
 * How many keys a JSON text writes: its strings followed by a colon (outside strings a colon
 * follows only a key). Cheap, for the common case: a string is passed over by `indexOf`, and
 * only the character after it is looked at.
 */
export function writtenKeyCount(text: string): number {
  let count = 0;
  for (let open = text.indexOf('"'); open >= 0; ) {
    let after = stringEnd(text, open) + 1;
    let code = text.charCodeAt(after);
    while (code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09) code = text.charCodeAt(++after);
    if (code === COLON) count++;
    open = text.indexOf('"', after);
  }
  return count;
}

/** The index of the quote closing the string opened at `open` (the text's length when none does). */
function stringEnd(text: string, open: number): number {
  let close = text.indexOf('"', open + 1);
  while (close > 0) {
    let backslashes = 0;
    while (text.charCodeAt(close - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return close;
    close = text.indexOf('"', close + 1);
  }
  return text.length;
}

/** How many keys a parsed value holds, every object's own, walked without recursion (a value may nest deeply). */
export function parsedKeyCount(value: unknown): number {
  let count = 0;
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next !== 'object' || next === null) continue;
    if (Array.isArray(next)) {
      for (const item of next) if (typeof item === 'object' && item !== null) pending.push(item);
      continue;
    }
    for (const key of Object.keys(next)) {
      count++;
      const inner = (next as Record<string, unknown>)[key];
      if (typeof inner === 'object' && inner !== null) pending.push(inner);
    }
  }
  return count;
}

/**
 * The keys `text` writes twice in one object, in the order written; `parsed` is what the text
 * parsed to. A text whose keys all stand in the parsed value (each duplicate leaves one key
 * fewer there) has none, which costs one pass over the text and one over the value; only then
 * is the text read again, object by object, to find them.
 */
export function duplicateJsonKeys(text: string, parsed: unknown): DuplicateJsonKey[] {
  if (writtenKeyCount(text) === parsedKeyCount(parsed)) return [];
  return findDuplicateKeys(text);
}

interface Frame {
  /** Keys seen so far with where each began; undefined for an array. */
  keys: Map<string, number> | undefined;
  /** The step of this container in its parent (a key, or an index as text). */
  step: string;
  /** An array's next index. */
  index: number;
}

/**
 * Reads a text that is valid JSON token by token, keeping each open object's keys. Without
 * recursion: a body may nest as deeply as the parser allows.
 */
function findDuplicateKeys(text: string): DuplicateJsonKey[] {
  const found: DuplicateJsonKey[] = [];
  const frames: Frame[] = [];
  // The step the next value takes in its container: a key just read, or an array's index.
  let pendingStep = '';
  const place = (): string[] => frames.slice(1).map((frame) => frame.step);
  const valueStep = (): string => {
    const top = frames.at(-1);
    if (top === undefined || top.keys !== undefined) return pendingStep;
    return String(top.index++);
  };
  for (let at = 0; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if (code === 0x7b /* { */ || code === 0x5b /* [ */) {
      frames.push({ keys: code === 0x7b ? new Map() : undefined, step: valueStep(), index: 0 });
    } else if (code === 0x7d /* } */ || code === 0x5d /* ] */) {
      frames.pop();
    } else if (code === QUOTE) {
      const close = stringEnd(text, at);
      const top = frames.at(-1);
      let after = close + 1;
      while (after < text.length && /\s/.test(text[after] ?? '')) after++;
      if (top?.keys !== undefined && text.charCodeAt(after) === COLON) {
        const key = JSON.parse(text.slice(at, close + 1)) as string;
        const first = top.keys.get(key);
        if (first === undefined) {
          top.keys.set(key, at);
        } else {
          const second = lineAndColumn(text, at);
          const earlier = lineAndColumn(text, first);
          found.push({ key, place: [...place(), key], line: second.line, column: second.column, firstLine: earlier.line, firstColumn: earlier.column });
        }
        pendingStep = key;
        at = after;
      } else {
        if (top !== undefined && top.keys === undefined) top.index++;
        at = close;
      }
    } else if (code === 0x2d /* - */ || (code >= 0x30 && code <= 0x39) || code === 0x74 /* t */ || code === 0x66 /* f */ || code === 0x6e /* n */) {
      // A number or a literal: an item of an array counts.
      const top = frames.at(-1);
      if (top !== undefined && top.keys === undefined) top.index++;
      while (at + 1 < text.length && /[^\s,\]}]/.test(text[at + 1] ?? '')) at++;
    }
  }
  return found;
}

/** Line and column (from 1, in UTF-16 units) of an offset. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let newline = text.indexOf('\n'); newline >= 0 && newline < offset; newline = text.indexOf('\n', newline + 1)) {
    line++;
    lineStart = newline + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * What a refusal says of a key given twice, in English and Chinese: the key, where both writings
 * of it are, and why it is not read as a JSON parser would read it.
 */
export function duplicateKeyText(found: DuplicateJsonKey): LocalizedText {
  const key = JSON.stringify(found.key);
  return localized(
    `the key ${key} is given twice in one object (line ${found.line}, column ${found.column}; first at line ${found.firstLine}, column ${found.firstColumn}): a JSON parser would keep only the last value`,
    `同一对象中键 ${key} 出现了两次（第 ${found.line} 行第 ${found.column} 列；首次在第 ${found.firstLine} 行第 ${found.firstColumn} 列）：JSON 解析只会保留最后一个值`,
  );
}
