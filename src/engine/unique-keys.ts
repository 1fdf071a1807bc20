// Keys of the library (tags, groups, values, fields, metrics, segments) are checked before
// they are written, but two requests for the same new key can both pass the check: the second
// insert then meets the store's unique key, and is answered as the check would have answered it.
// Likewise a row looked up before a write (a tag's group) can be deleted before the write lands.
import type { TagbaseError } from '../core/errors.js';
import { isForeignKeyViolation, isUniqueViolation } from '../store/unique.js';

/** Runs `write`; when the store refuses it because a row of `table` already holds the key, throws `taken()` instead (which may look that row up). */
export function unlessTaken<T>(table: string, taken: () => TagbaseError | Promise<TagbaseError>, write: () => Promise<T>): Promise<T> {
  return answering(write, (error) => isUniqueViolation(error, table), taken);
}

/**
 * Runs `write`, which references a row read before it (a tag's group); when the store refuses it
 * because that row was deleted meanwhile, throws `gone()` instead.
 */
export function unlessGone<T>(gone: () => TagbaseError, write: () => Promise<T>): Promise<T> {
  return answering(write, isForeignKeyViolation, gone);
}

async function answering<T>(write: () => Promise<T>, refused: (error: unknown) => boolean, answer: () => TagbaseError | Promise<TagbaseError>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (refused(error)) throw await answer();
    throw error;
  }
}
