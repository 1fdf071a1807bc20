// Plain checks in front of zod for the schemas that nearly every request is validated against
// (the workspace headers, a customer id, an empty query). Zod's parse of the three took longer
// than the rest of the route's JavaScript for a portrait. A shortcut answers only input it is
// sure of, with exactly the value zod would return; everything else goes to zod, which also
// words the error.
import type { z } from 'zod';

/** The parsed value, or undefined to leave the input to zod. */
export type Shortcut<T extends z.ZodType> = (input: unknown) => z.output<T> | undefined;

const shortcuts = new WeakMap<z.ZodType, Shortcut<z.ZodType>>();

/** Registers `shortcut` for `schema` and returns the schema, to wrap a schema where it is declared. */
export function withShortcut<T extends z.ZodType>(schema: T, shortcut: Shortcut<T>): T {
  shortcuts.set(schema, shortcut);
  return schema;
}

export function shortcutOf(schema: z.ZodType): Shortcut<z.ZodType> | undefined {
  return shortcuts.get(schema);
}

function isRecord(input: unknown): input is Record<string, unknown> {
  return typeof input === 'object' && input !== null && !Array.isArray(input);
}

/**
 * For `z.object` of optional strings: the named keys that are present, in the order given —
 * zod keeps a key that is present even when it holds undefined.
 */
export function optionalStrings(keys: readonly string[]): (input: unknown) => Record<string, string | undefined> | undefined {
  return (input) => {
    if (!isRecord(input)) return undefined;
    const output: Record<string, string | undefined> = {};
    for (const key of keys) {
      if (!(key in input)) continue;
      const value = input[key];
      if (value !== undefined && typeof value !== 'string') return undefined;
      output[key] = value;
    }
    return output;
  };
}

/** For a query whose every field has a default: the defaults, when the request gave no query at all. */
export function defaultsWhenEmpty<T extends object>(defaults: () => T): (input: unknown) => T | undefined {
  return (input) => {
    if (!isRecord(input)) return undefined;
    for (const key in input) if (Object.hasOwn(input, key)) return undefined;
    return defaults();
  };
}
