// Batch bodies whose items the engine checks itself (`POST /customers`): the route's validation
// checks only the body's shape, an object holding the list, so that every problem of every item
// is told in one answer — those the item's schema finds and those only the engine can (a custom
// field not declared, an identity that belongs to someone else). The document shows the items' schema.
import { z } from 'zod';

const shapes = new WeakMap<z.ZodType, z.ZodType>();

/**
 * `{ [key]: item[] }` as the document shows it, at most `max` items (`maxItems`). Its items reach
 * the handler unchecked, whatever the type says: the handler passes them on as `unknown[]` to the
 * engine, which checks them, and refuses more than `max` as `BATCH_TOO_LARGE` (413).
 */
export function batchBody<K extends string, T extends z.ZodType>(key: K, item: T, max: number): z.ZodObject<Record<K, z.ZodArray<T>>, z.core.$strict> {
  const documented = z.strictObject({ [key]: z.array(item).max(max) } as Record<K, z.ZodArray<T>>);
  shapes.set(documented, z.strictObject({ [key]: z.array(z.unknown()) }));
  return documented;
}

/** What a route's body is validated against: the shape alone for a batch body, else the schema itself. */
export function bodyCheckedAs(schema: z.ZodType): z.ZodType {
  return shapes.get(schema) ?? schema;
}

/**
 * A body the engine checks whole itself (a care plan): the route's validation checks only that it
 * is an object, so that the schema's problems are told beside those only the engine finds (a
 * condition that does not compile, a message's placeholder), every one in one answer. The document
 * shows the schema.
 */
export function checkedByEngine<T extends z.ZodType>(schema: T): T {
  shapes.set(schema, z.record(z.string(), z.unknown()));
  return schema;
}
