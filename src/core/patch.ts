// A change (a PATCH body, a command's options) that names nothing to change is refused: answered
// as done, it would be recorded in the audit trail as a change that never happened.
import { TagbaseError } from './errors.js';
import { localized } from './locale.js';

/** `give a, b or c`, in either language: the fields (or options) a change may name. */
export function nothingToChange(fields: readonly string[]): TagbaseError {
  const last = fields.at(-1) ?? '';
  const english = fields.length > 1 ? `${fields.slice(0, -1).join(', ')} or ${last}` : last;
  const chinese = fields.length > 1 ? `${fields.slice(0, -1).join('、')} 或 ${last}` : last;
  return new TagbaseError('VALIDATION_FAILED', { detail: localized(`nothing to change: give ${english}`, `没有要修改的内容：请给出 ${chinese}`) });
}

/** Refuses a patch none of whose fields is given. */
export function assertSomethingToChange(patch: object, fields: readonly string[]): void {
  if (Object.values(patch).every((value) => value === undefined)) throw nothingToChange(fields);
}
