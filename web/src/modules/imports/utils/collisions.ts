// File columns that would go to one of the importer's columns together (a column `joined` and a
// column 入会日期 read as the field joined; two columns mapped to `name` by hand): the server
// refuses such a file whole, so the page says which before anything is sent.
import { sameColumnAs, type ImportKind } from '../../../../../src/core/import-columns';

export interface ColumnCollision {
  /** The importer's column they would all be, as the first of them is mapped. */
  target: string;
  /** The file's columns, in the file's order. */
  columns: string[];
}

/** The groups of two or more of `header`'s columns that `mapping` sends to one column, a custom field under either of its names. */
export function collidingColumns(kind: ImportKind, header: readonly string[], mapping: Record<string, string>): ColumnCollision[] {
  const groups = new Map<string, ColumnCollision>();
  for (const column of header) {
    const target = mapping[column] ?? column;
    if (target === '') continue;
    const same = sameColumnAs(kind, target);
    const group = groups.get(same);
    if (group) group.columns.push(column);
    else groups.set(same, { target, columns: [column] });
  }
  return [...groups.values()].filter((group) => group.columns.length > 1);
}
