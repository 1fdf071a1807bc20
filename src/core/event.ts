// Events: what a customer does, when, with which properties. Built-in types have checked
// properties; custom types carry any JSON object.
import { z } from 'zod';
import { CUSTOMER_ID_PATTERN } from './customer.js';
import { localized, type LocalizedText } from './locale.js';
import { epochNumberToMillis, isValidTimestamp, workspaceTimeNote } from './time.js';
import { isoTimeText, issueText, REPORT_INPUT, storedTimeText } from './validation.js';

// A bound far above any real order: sums of amounts near the float limit overflow to infinity,
// and spend metrics then read as missing while the tags built on them stand.
const money = z.number().finite().min(0).max(1e12);
const text = (max = 256) => z.string().trim().min(1).max(max);
const category = text(128).optional();

const orderItem = z.looseObject({
  sku: text(),
  name: text().optional(),
  category,
  price: money.optional(),
  quantity: z.number().int().min(1).max(1_000_000).optional(),
  launched_at: isoTimeText().optional(),
});

const EPOCH_OR_ISO_TIME = 'an ISO 8601 time, or a number of Unix seconds or milliseconds';

/** Property schemas of the built-in event types; extra properties are kept. */
export const BUILTIN_EVENT_SCHEMAS = {
  order_paid: z.looseObject({
    order_id: text(),
    amount: money,
    items: z.array(orderItem).max(1000).optional(),
    channel: z.enum(['online', 'offline']).optional(),
    discount: money.optional(),
    coupon_id: text().optional(),
    store: text().optional(),
  }),
  order_refunded: z.looseObject({
    order_id: text(),
    amount: money,
    reason: text(512).optional(),
  }),
  product_viewed: z.looseObject({
    sku: text(),
    name: text().optional(),
    category,
    dwell_seconds: z.number().finite().min(0).max(86_400).optional(),
  }),
  cart_added: z.looseObject({
    sku: text(),
    category,
    price: money.optional(),
    quantity: z.number().int().min(1).max(1_000_000).optional(),
  }),
  favorited: z.looseObject({ sku: text(), category }),
  searched: z.looseObject({ query: text(512) }),
  page_viewed: z.looseObject({
    url: text(2048),
    title: text(512).optional(),
    dwell_seconds: z.number().finite().min(0).max(86_400).optional(),
  }),
  campaign_joined: z.looseObject({ campaign_id: text(), name: text().optional() }),
  coupon_received: z.looseObject({
    coupon_id: text(),
    value: money.optional(),
    // As a care plan's time property reads it: an ISO 8601 time, or a number as systems export them.
    expires_at: z
      .custom<string | number>((value) => (typeof value === 'string' ? isValidTimestamp(value) : typeof value === 'number' && epochNumberToMillis(value) !== undefined), EPOCH_OR_ISO_TIME)
      .optional(),
  }),
  coupon_used: z.looseObject({ coupon_id: text(), order_id: text().optional() }),
  message_interaction: z.looseObject({
    channel: z.enum(['sms', 'email', 'wechat', 'app', 'web']),
    action: z.enum(['open', 'click', 'reply', 'comment', 'share', 'like']),
  }),
  app_opened: z.looseObject({
    device_type: z.enum(['phone', 'tablet', 'desktop', 'other']).optional(),
    os: text(64).optional(),
    app_version: text(64).optional(),
  }),
} as const;

export type BuiltinEventType = keyof typeof BUILTIN_EVENT_SCHEMAS;
export const BUILTIN_EVENT_TYPES = Object.keys(BUILTIN_EVENT_SCHEMAS) as BuiltinEventType[];

/**
 * The built-in event types the shop does to a customer rather than the customer doing anything:
 * receiving a coupon is the shop giving it. Metrics over every type (`*`: `last_active_at`, the
 * activity model's gap) leave them out, or a win-back campaign's coupons would make every lost
 * customer it reaches active at once, and the campaign could not be measured. A metric naming
 * one (`event_type: "coupon_received"`) still reads it; a shop's own types are the customer's.
 */
export const SHOP_SENT_EVENT_TYPES: readonly BuiltinEventType[] = ['coupon_received'];

export function isBuiltinEventType(type: string): type is BuiltinEventType {
  return Object.hasOwn(BUILTIN_EVENT_SCHEMAS, type);
}

export type EventProperties = Record<string, unknown>;

/** An event as the API and import accept it. */
export interface EventInput {
  /** The client's id: sending the same id twice stores the event once. */
  id?: string | undefined;
  customer_id: string;
  type: string;
  occurred_at: string;
  properties?: EventProperties | undefined;
}

export const EVENT_TYPE_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;

export const eventInputSchema = z.strictObject({
  id: z.string().min(1).max(128).optional().describe('The client\'s id of the event (an order line, a message id): sent again, the event is stored once. Without it the event is stored each time it is sent.'),
  customer_id: z.string().regex(CUSTOMER_ID_PATTERN, 'a customer id is 1-128 characters without spaces or control characters'),
  type: z.string().regex(EVENT_TYPE_PATTERN, 'an event type is lower_snake_case, up to 64 characters'),
  occurred_at: storedTimeText().describe(`When it happened: ${workspaceTimeNote()}`),
  properties: z.record(z.string(), z.unknown()).optional(),
}) satisfies z.ZodType<EventInput>;

/** Largest serialised property object we keep for one event. */
export const MAX_EVENT_PROPERTIES_BYTES = 16_384;

/** A problem with an event's properties: where among them (`['items', 0, 'sku']`; none for the whole object) and what. */
export interface PropertyProblem {
  at: (string | number)[];
  text: LocalizedText;
}

/**
 * Checks an event's properties against its type; returns the problems, or an empty list. Each
 * says which property it is about by `at`, not in its words: the API places it at
 * `properties.amount`, an import names the file's column for it.
 * `serialized` is `JSON.stringify(properties)` when the caller has it already.
 */
export function checkEventProperties(type: string, properties: EventProperties, serialized: string = JSON.stringify(properties)): PropertyProblem[] {
  const size = utf8Length(serialized);
  if (size > MAX_EVENT_PROPERTIES_BYTES) return [{ at: [], text: localized(`properties take ${size} bytes; at most ${MAX_EVENT_PROPERTIES_BYTES}`, `属性占 ${size} 字节，最多 ${MAX_EVENT_PROPERTIES_BYTES} 字节`) }];
  // JSON reads 1e309 as Infinity, which JSON writes as null: stored, it would be a value the
  // sender never sent. (Serialised, every such number is a null, so most events skip the walk.)
  const infinite = serialized.includes('null') ? infiniteNumberAt(properties) : undefined;
  if (infinite !== undefined) return [{ at: infinite, text: localized('a number too large to store (beyond ±1.8e308)', '数值过大，无法存储（超出 ±1.8e308）') }];
  const result = isBuiltinEventType(type) ? BUILTIN_EVENT_SCHEMAS[type].safeParse(properties, REPORT_INPUT) : undefined;
  const problems = result?.success === false ? result.error.issues.map((issue) => ({ at: issue.path.map((step) => (typeof step === 'number' ? step : String(step))), text: issueText(issue) })) : [];
  // (Serialised, such a number has 16 digits in a row or an exponent: most events skip the walk.)
  if (!LONG_NUMBER_TEXT.test(serialized)) return problems;
  // A property its type bounds already (an amount, at most 10¹²) is told that bound.
  const told = new Set(problems.map((problem) => problem.at.join('.')));
  return [...problems, ...numbersBeyondLimitAt(properties).filter((at) => !told.has(at.join('.'))).map((at) => ({ at, text: NUMBER_BEYOND_LIMIT }))];
}

/**
 * The largest number a property may hold, either way: `Number.MAX_SAFE_INTEGER`, the largest
 * held exactly. No amount comes near it, and a metric summing such numbers (a custom event's
 * amount of 1e308, twice) ran out of range and read as missing while the tags built on it stood.
 */
export const MAX_EVENT_NUMBER = Number.MAX_SAFE_INTEGER;

const NUMBER_BEYOND_LIMIT = localized(
  `a number beyond ±${MAX_EVENT_NUMBER} (2^53 − 1, the largest held exactly): no amount is this large, and sums of such numbers run out of range; send an identifier this long as text`,
  `数值超出 ±${MAX_EVENT_NUMBER}（2^53 − 1，能精确保存的最大整数）：没有这么大的金额，这样的数相加会超出范围；这么长的编号请以文本发送`,
);

/** How JSON writes a number beyond `MAX_EVENT_NUMBER`: 16 digits or more in a row, or an exponent (1e+21). Text may match too; the walk decides. */
const LONG_NUMBER_TEXT = /\d{16}|e\+/;

/** Every place where properties hold a number beyond `MAX_EVENT_NUMBER`, in their order, without recursion. */
function numbersBeyondLimitAt(properties: unknown): (string | number)[][] {
  const places: (string | number)[][] = [];
  const pending: { value: unknown; at: (string | number)[] }[] = [{ value: properties, at: [] }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value, at } = next;
    if (typeof value === 'number' && Math.abs(value) > MAX_EVENT_NUMBER) places.push(at);
    const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((item, index) => [index, item]) : value !== null && typeof value === 'object' ? Object.entries(value) : [];
    for (const [key, item] of entries.reverse()) pending.push({ value: item, at: [...at, key] });
  }
  return places;
}

/** Where properties hold a number that is not finite, without recursion; undefined when none does. */
function infiniteNumberAt(properties: unknown): (string | number)[] | undefined {
  const pending: { value: unknown; at: (string | number)[] }[] = [{ value: properties, at: [] }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value, at } = next;
    if (typeof value === 'number' && !Number.isFinite(value)) return at;
    if (Array.isArray(value)) value.forEach((item, index) => pending.push({ value: item, at: [...at, index] }));
    else if (value !== null && typeof value === 'object') for (const [key, item] of Object.entries(value)) pending.push({ value: item, at: [...at, key] });
  }
  return undefined;
}

/** How deep properties may nest: deeper than any real event, shallow enough to walk and serialise safely. */
export const MAX_EVENT_PROPERTIES_DEPTH = 32;

/**
 * The problem with properties nested deeper than `MAX_EVENT_PROPERTIES_DEPTH`, found without
 * recursion: thousands of levels fit in a body of a few kilobytes and would overflow the stack
 * of anything that walks them recursively (serialising them first of all).
 */
export function propertiesTooDeep(properties: unknown): LocalizedText | undefined {
  let level: unknown[] = [properties];
  for (let depth = 0; level.length > 0; depth++) {
    if (depth > MAX_EVENT_PROPERTIES_DEPTH) {
      return localized(`properties nest more than ${MAX_EVENT_PROPERTIES_DEPTH} levels deep`, `属性嵌套超过 ${MAX_EVENT_PROPERTIES_DEPTH} 层`);
    }
    const next: unknown[] = [];
    for (const value of level) if (value !== null && typeof value === 'object') next.push(...Object.values(value));
    level = next;
  }
  return undefined;
}

/** The length of `text` in UTF-8 bytes, without encoding it (a lone surrogate counts as the 3 bytes of U+FFFD). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let k = 0; k < text.length; k++) {
    const code = text.charCodeAt(k);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && k + 1 < text.length && (text.charCodeAt(k + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      k++;
    } else bytes += 3;
  }
  return bytes;
}
