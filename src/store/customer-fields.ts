// Where the built-in customer fields are stored: the customers table's column for each field key.
// Store knowledge, read by the SQL back end of expressions and by the engine and index alike.

/** Built-in field key → customers column. `id` is the merchant's id. */
export const BUILTIN_FIELD_COLUMNS = {
  id: 'external_id',
  name: 'name',
  type: 'type',
  gender: 'gender',
  birthday: 'birthday',
  city: 'city',
  region: 'region',
  occupation: 'occupation',
  member_level: 'member_level',
  source_channel: 'source_channel',
  first_seen_at: 'first_seen_at',
} as const;
export type BuiltinFieldColumn = (typeof BUILTIN_FIELD_COLUMNS)[keyof typeof BUILTIN_FIELD_COLUMNS];

export function isBuiltinField(key: string): key is keyof typeof BUILTIN_FIELD_COLUMNS {
  return Object.hasOwn(BUILTIN_FIELD_COLUMNS, key);
}
