// The plain checks in front of zod must answer exactly as zod does, or leave the input to it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defaultsWhenEmpty, optionalStrings, shortcutOf, withShortcut } from '../../src/api/shortcuts.js';
import { workspaceHeaders } from '../../src/api/routes/shared.js';
import { REPORT_INPUT } from '../../src/core/validation.js';

/** Whenever the shortcut answers, zod accepts the input and returns the same value; leaving valid input to zod only costs time. */
function agrees(schema: z.ZodType, input: unknown): void {
  const shortcut = shortcutOf(schema);
  if (!shortcut) throw new Error('no shortcut registered');
  const quick = shortcut(input);
  if (quick === undefined) return;
  const parsed = schema.safeParse(input, REPORT_INPUT);
  expect(parsed.success).toBe(true);
  expect(quick).toStrictEqual(parsed.data);
}

const headerValue = fc.oneof(fc.string(), fc.constant(undefined), fc.integer(), fc.array(fc.string(), { maxLength: 2 }), fc.constant(null));

describe('validation shortcuts', () => {
  it('agree with zod on the workspace headers', () => {
    fc.assert(
      fc.property(
        fc.record({ 'x-tagbase-workspace': headerValue, 'x-tagbase-actor': headerValue, host: fc.string(), 'accept-language': fc.string() }, { requiredKeys: [] }),
        (headers) => agrees(workspaceHeaders, headers),
      ),
      { numRuns: 2000 },
    );
    for (const input of [null, undefined, 'text', [], [{ 'x-tagbase-workspace': 'w' }], Object.create(null) as object]) agrees(workspaceHeaders, input);
    expect(shortcutOf(workspaceHeaders)?.({ host: 'h', 'x-tagbase-workspace': 'shop', 'x-tagbase-actor': '%E7%8E%8B' })).toStrictEqual({ 'x-tagbase-workspace': 'shop', 'x-tagbase-actor': '%E7%8E%8B' });
  });

  it('agree with zod on optional strings and on an empty query', () => {
    const strings = withShortcut(z.object({ a: z.string().optional(), b: z.string().optional() }), optionalStrings(['a', 'b']));
    fc.assert(
      fc.property(fc.record({ a: headerValue, b: headerValue, c: headerValue }, { requiredKeys: [] }), (input) => agrees(strings, input)),
      { numRuns: 1000 },
    );
    const query = withShortcut(
      z.object({ events: z.coerce.number().int().min(0).max(500).default(20), history: z.coerce.number().int().min(0).max(500).default(20) }),
      defaultsWhenEmpty(() => ({ events: 20, history: 20 })),
    );
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('events', 'history', 'x'), fc.oneof(fc.string(), fc.nat().map(String))), (input) => agrees(query, input)),
      { numRuns: 1000 },
    );
    for (const input of [{}, Object.create(null) as object, [], null]) agrees(query, input);
    expect(shortcutOf(query)?.(Object.create(null))).toStrictEqual({ events: 20, history: 20 });
  });
});
