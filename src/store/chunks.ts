// Splits work into statements small enough for both stores' bound-parameter limits
// (SQLite 32,766, PostgreSQL 65,535).

export function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let start = 0; start < items.length; start += size) yield items.slice(start, start + size);
}

/** Rows per multi-row INSERT, given how many columns each row binds. */
export function rowsPerInsert(columns: number): number {
  return Math.max(1, Math.floor(30_000 / columns));
}

export const IDS_PER_QUERY = 1000;
