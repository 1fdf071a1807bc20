// An event's properties in a line on a customer's timeline: 「金额 1,299.00 · 渠道 线上」.
import { isBuiltinEventType, propertyLabel } from '../../app/utils/eventTypes.js';
import { formatMoney, formatNumber, formatTime } from '../../app/utils/format.js';
import { isMessageKey, type MessageKey } from '../../app/utils/messages.js';
import { isMoneyProperty } from '../../../../../src/core/event-properties.js';

/** An instant as events carry it (a coupon's `expires_at`): a date with a time and a zone. A bare date stays as it is. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

// What the built-in types' schemas (src/core/event.ts) make counts (their amounts of money are
// src/core's, which care reminders' messages write to the cent too); a shop's own event may mean
// anything by an `amount` or a number (journey 3315), so it prints as sent.
const COUNTS: Record<string, readonly string[]> = { cart_added: ['quantity'], product_viewed: ['dwell_seconds'], page_viewed: ['dwell_seconds'] };

export interface SummaryContext {
  t: (key: MessageKey) => string;
  lang: string;
  utcOffsetMinutes: number | undefined;
}

function valueText({ t, lang, utcOffsetMinutes }: SummaryContext, type: string, key: string, value: string | number | boolean): string {
  if (typeof value === 'string' && INSTANT.test(value)) return formatTime(value, lang, utcOffsetMinutes);
  if (!isBuiltinEventType(type)) return String(value);
  // Money to the cent, as the portrait's metrics beside the timeline print it.
  if (typeof value === 'number' && isMoneyProperty(type, key)) return formatMoney(value, lang);
  if (typeof value === 'number' && COUNTS[type]?.includes(key)) return formatNumber(value, lang);
  // The values a built-in type's schema fixes (a channel, an action, a device) in words.
  const word = `event.value.${key}.${String(value)}`;
  return isMessageKey(word) ? t(word) : String(value);
}

/** The properties worth a glance, in a line: 「金额 1,299.00 · 类目 数码」, with instants printed like the event's own time. */
export function summariseEvent(context: SummaryContext, type: string, properties: Record<string, unknown>): string {
  return Object.entries(properties)
    .filter((entry): entry is [string, string | number | boolean] => entry[1] !== null && entry[1] !== undefined && typeof entry[1] !== 'object')
    .slice(0, 4)
    .map(([key, value]) => `${propertyLabel(context.t, key)} ${valueText(context, type, key, value)}`)
    .join(' · ');
}
