// Schemas and answer shapes shared by several route plugins.
import { z } from 'zod';
import { namesZone, parseTimestamp, parseWorkspaceTime, workspaceTimeNote } from '../../core/time.js';
import { isoTimeText } from '../../core/validation.js';
import type { WorkspaceContext } from '../../engine/context.js';
import { workspaceUtcOffset } from '../../engine/metrics.js';
import { RULE_PASS_BATCH } from '../../engine/propagate.js';
import { optionalStrings, withShortcut } from '../shortcuts.js';

export const workspaceHeaders = withShortcut(
  z.object({
    'x-tagbase-workspace': z.string().optional().describe('Workspace key; "default" when absent (an empty one is refused)'),
    'x-tagbase-actor': z.string().optional().describe('Acting staff member (percent-encode non-ASCII); owner of personal tags'),
    'x-tagbase-client': z.string().optional().describe('`console` from the web console: its tagging is recorded as manual, named or not'),
  }),
  optionalStrings(['x-tagbase-workspace', 'x-tagbase-actor', 'x-tagbase-client']),
);

/** The actor header alone, for a change made outside any workspace (tokens, new workspaces, the demo): the audit trail names who made it. */
export const actorHeader = withShortcut(
  z.object({
    'x-tagbase-actor': z.string().optional().describe('Acting staff member while the API is open (percent-encode non-ASCII); the audit trail names them'),
  }),
  optionalStrings(['x-tagbase-actor']),
);

/**
 * A number in a query as people write it (an id in the path is `idParameter`): decimal digits, with a sign or a fraction
 * where `schema` takes them. `z.coerce.number()` would read `0x10` as 16, `1e3` as 1000 and an
 * empty `limit=` as 0; those stay text and are refused, as `limit=1&limit=2` is (a list).
 */
export function numberParameter<S extends z.ZodType>(schema: S) {
  return z.preprocess((input) => (typeof input === 'string' && DECIMAL_NUMBER.test(input) ? Number(input) : input), schema);
}

const DECIMAL_NUMBER = /^-?(\d+(\.\d*)?|\.\d+)$/;

/** How an id is written in an address: `0`, or a digit 1-9 followed by digits. */
const CANONICAL_ID = /^(0|[1-9][0-9]*)$/;

/**
 * A numeric id in the path (a webhook, a care reminder, a segment's snapshot, an event batch, a
 * tagging operation), read only as `CANONICAL_ID` writes it: `01`, `1.0`, `+1`, `1e0` or ` 1`
 * would name the same resource under another address, which caches, request logs and the audit
 * trail tell apart, so each is refused naming the id as sent. Ids start at 1 and stay within the
 * safe integers, as the store hands them out.
 */
export const idParameter = z
  .preprocess((input, context) => {
    if (typeof input === 'string' && CANONICAL_ID.test(input)) return Number(input);
    context.addIssue({ code: 'custom', input, message: notAnIdMessage(String(input)) });
    return input;
  }, z.number().int().min(1).max(Number.MAX_SAFE_INTEGER))
  .meta({ pattern: CANONICAL_ID.source, description: 'A whole number written plainly: `42`, never `042`, `42.0`, `+42`, `4.2e1` or with spaces' });

/** Put in Chinese by `src/core/validation.ts`, which reads the id back from between the quotes. */
function notAnIdMessage(sent: string): string {
  return `${JSON.stringify(sent)} is not an id: ids are written as plain whole numbers, like 42 (no sign, leading zeros, decimal point, exponent or spaces)`;
}

export const pageQuery = z.object({
  limit: numberParameter(z.number().int().min(1).max(500).default(50)),
  offset: numberParameter(z.number().int().min(0).max(10_000_000).default(0)),
});

/** A time a request gives, read as `optionalInstant` reads it. */
export const isoTime = isoTimeText().describe(workspaceTimeNote());

/**
 * An assignment's `expires_at`, read as `optionalExpiry` reads it: a date alone lasts the whole of
 * that day ("valid until 12-31", 有效期至 12月31日, is held through the 31st).
 */
export const expiryTime = isoTimeText().describe(`When the value expires (${workspaceTimeNote('end')}); null never`);

/**
 * An optional ISO time of a request as epoch ms: undefined stays undefined, null stays null. A time
 * without an offset is on the workspace's clock (`parseWorkspaceTime`), a date alone its start or,
 * as the `end` of a period, the whole of it. The workspace's zone is read only for such a time.
 */
export async function optionalInstant(context: WorkspaceContext, text: string | null | undefined, edge: 'start' | 'end' = 'start'): Promise<number | null | undefined> {
  if (text === undefined || text === null) return text;
  if (namesZone(text)) return parseTimestamp(text);
  return parseWorkspaceTime(text, await workspaceUtcOffset(context), edge);
}

/** An assignment's optional expiry as epoch ms (`optionalInstant` at the `end` of a day): `2026-12-31` expires at the start of 2027-01-01 on the workspace's clock. */
export function optionalExpiry(context: WorkspaceContext, text: string | null | undefined): Promise<number | null | undefined> {
  return optionalInstant(context, text, 'end');
}

/** A pass over everyone still going on in the background (a rule tag's, a metric's recompute); null when none is. */
export { passToJson } from '../../engine/pass-records.js';

/** How many customers a save applies to itself before it answers, as the docs say it. */
export const FIRST_BATCH_TEXT = RULE_PASS_BATCH.toLocaleString('en');
