// The names people give things (tags and their values, groups, segments, metrics, fields, care
// plans): shown in pickers, lists and portraits, and told apart by how they read. Spaces and
// characters that show nothing (a zero-width space pasted from a web page, a byte-order mark)
// are trimmed from either end, so that `高价值\u200b` is the 「高价值」 it looks like; a name of
// nothing visible, or one holding a control character (a line break, a tab), is refused.
import { z } from 'zod';

/**
 * Zero-width space, non-joiner and joiner, word joiner, byte-order mark, and the marks that set
 * the direction of text (left-to-right and right-to-left marks, embeddings, overrides, isolates):
 * a name of a right-to-left override alone shows nothing.
 */
const INVISIBLE = '\\u200b-\\u200f\\u202a-\\u202e\\u2060\\u2066-\\u2069\\ufeff';
const INVISIBLE_AT_ENDS = new RegExp(`^[\\s${INVISIBLE}]+|[\\s${INVISIBLE}]+$`, 'g');
const CONTROL_CHARACTER = new RegExp(`[${String.fromCharCode(0)}-\\u001f\\u007f-\\u009f]`);

/** Said when a name shows nothing (Chinese in validation.ts). */
const EMPTY_NAME = 'a name needs at least one visible character';
/** Said when a name holds a control character (Chinese in validation.ts). */
const CONTROL_IN_NAME = 'a name may not hold a line break, a tab or another control character';

/** `text` without the spaces and invisible characters at its ends, as a display name is stored: a name looked up reads as one saved. */
export function trimDisplayName(text: string): string {
  return text.replace(INVISIBLE_AT_ENDS, '');
}

/**
 * A name of at most `max` characters, trimmed of spaces and invisible characters at its ends, and
 * refused when nothing visible is left; its control characters are for its caller to refuse.
 */
export function visibleName(max: number) {
  return z.string().overwrite(trimDisplayName).min(1, EMPTY_NAME).max(max);
}

/** A display name of at most `max` characters, trimmed of spaces and invisible characters at its ends. */
export function displayName(max: number) {
  return visibleName(max).refine((text) => !CONTROL_CHARACTER.test(text), CONTROL_IN_NAME);
}
