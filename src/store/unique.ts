// Recognises a store's refusal of a row whose unique key is already taken, or whose reference
// points at a row that is gone, on either back end.

/**
 * Whether `error` is SQLite's or PostgreSQL's refusal of a row of `table` whose unique key (or
 * primary key) another row holds.
 */
export function isUniqueViolation(error: unknown, table: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message, table: pgTable } = error as { code?: unknown; message?: unknown; table?: unknown };
  if (code === '23505') return pgTable === table;
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return typeof message === 'string' && message.includes(` ${table}.`);
  return false;
}

/**
 * Whether `error` is SQLite's or PostgreSQL's refusal of a row whose foreign key names a row
 * that does not exist (SQLite does not say which key).
 */
export function isForeignKeyViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code } = error as { code?: unknown };
  return code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}
