// The cursor of a list paged newest first by time, then id (a customer's tag history, a segment's
// snapshots): opaque to clients, today the time and internal id of a page's last row, marked by
// the list it came from so that one list's cursor is refused by another.
import { cursorRefused } from '../core/errors.js';
import type { LocalizedText } from '../core/locale.js';

/** Where the next page starts: right after this row. */
export interface TimeIdPosition {
  at: number;
  id: number;
}

export function encodeTimeIdCursor(list: string, last: TimeIdPosition): string {
  return Buffer.from(`${list}:${String(last.at)}:${String(last.id)}`).toString('base64url');
}

/** The position a cursor of `list` names; VALIDATION_FAILED at `cursor`, saying `refusal`, for any other text. */
export function decodeTimeIdCursor(list: string, cursor: string, refusal: LocalizedText): TimeIdPosition {
  const [mark, at, id, ...rest] = Buffer.from(cursor, 'base64url').toString().split(':');
  if (mark !== list || at === undefined || id === undefined || rest.length > 0 || !/^\d{1,15}$/.test(at) || !/^\d{1,15}$/.test(id)) throw cursorRefused(refusal);
  return { at: Number(at), id: Number(id) };
}
