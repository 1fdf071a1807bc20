// The built-in event types (src/core/event.ts) and their properties: offered when a care plan
// names an event (a shop's own lower_snake_case types are typed in), and put in words on a
// customer's timeline.
import type { MessageKey } from './messages.js';

export const EVENT_PROPERTIES = {
  order_paid: ['order_id', 'amount', 'channel', 'discount', 'coupon_id', 'store'],
  order_refunded: ['order_id', 'amount', 'reason'],
  product_viewed: ['sku', 'name', 'category', 'dwell_seconds'],
  cart_added: ['sku', 'category', 'price', 'quantity'],
  favorited: ['sku', 'category'],
  searched: ['query'],
  page_viewed: ['url', 'title', 'dwell_seconds'],
  campaign_joined: ['campaign_id', 'name'],
  coupon_received: ['coupon_id', 'value', 'expires_at'],
  coupon_used: ['coupon_id', 'order_id'],
  message_interaction: ['channel', 'action'],
  app_opened: ['device_type', 'os', 'app_version'],
} as const;

export type BuiltinEventType = keyof typeof EVENT_PROPERTIES;

export const BUILTIN_EVENT_TYPES = Object.keys(EVENT_PROPERTIES) as BuiltinEventType[];

/** The same rule as the server's: what it accepts as an event type. */
export const EVENT_TYPE_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;

export function isBuiltinEventType(type: string): type is BuiltinEventType {
  return Object.hasOwn(EVENT_PROPERTIES, type);
}

/** The event type in words: 支付订单 for order_paid, a custom type as it is written. */
export function eventLabel(t: (key: MessageKey) => string, type: string): string {
  return isBuiltinEventType(type) ? t(`care.event.${type}`) : type;
}

/** The properties a built-in event is known to carry; none for a custom one. */
export function eventProperties(type: string | undefined): readonly string[] {
  return type !== undefined && isBuiltinEventType(type) ? EVENT_PROPERTIES[type] : [];
}

const BUILTIN_PROPERTIES: ReadonlySet<string> = new Set(Object.values(EVENT_PROPERTIES).flat());

/** A property in words: 金额 for amount; a shop's own property as it is written. */
export function propertyLabel(t: (key: MessageKey) => string, property: string): string {
  return BUILTIN_PROPERTIES.has(property) ? t(`event.property.${property}` as MessageKey) : property;
}
