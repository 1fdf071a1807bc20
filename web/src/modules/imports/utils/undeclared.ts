// Customer columns that would be read as custom fields the workspace has not declared: the
// server refuses such a file whole, so the page says so first and offers to declare them.
import { customFieldOf } from '../../../../../src/core/import-columns';
import { KEY_PATTERN } from '../../../../../src/core/names';

/** The file's columns mapped to a custom field that is not declared, each with that field's key. */
export function undeclaredColumns(mapping: Record<string, string>, declared: ReadonlySet<string>): { column: string; key: string }[] {
  return Object.entries(mapping).flatMap(([column, target]) => {
    const key = customFieldOf(target);
    return key !== undefined && !declared.has(key) ? [{ column, key }] : [];
  });
}

/** A key a field may have, made from a column's name: 会员备注 stays, "2024 消费" becomes "_2024_消费". */
export function fieldKeyFor(name: string): string {
  const key = name.trim().replace(/[^\p{L}\p{N}_-]+/gu, '_').slice(0, 64);
  const fixed = /^[\p{L}_]/u.test(key) ? key : `_${key}`.slice(0, 64);
  return KEY_PATTERN.test(fixed) ? fixed : 'field';
}
