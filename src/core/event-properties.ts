// The types of built-in event properties, as metric filters see them
// (`order_paid` filtered by `channel = "online" and amount >= 100`).
import type { AttributeType } from './expression/index.js';

export const BUILTIN_EVENT_PROPERTY_TYPES: Readonly<Record<string, Readonly<Record<string, AttributeType>>>> = {
  order_paid: { order_id: 'string', amount: 'number', channel: 'string', discount: 'number', coupon_id: 'string', store: 'string' },
  order_refunded: { order_id: 'string', amount: 'number', reason: 'string' },
  product_viewed: { sku: 'string', name: 'string', category: 'string', dwell_seconds: 'number' },
  cart_added: { sku: 'string', category: 'string', price: 'number', quantity: 'number' },
  favorited: { sku: 'string', category: 'string' },
  searched: { query: 'string' },
  page_viewed: { url: 'string', title: 'string', dwell_seconds: 'number' },
  campaign_joined: { campaign_id: 'string', name: 'string' },
  coupon_received: { coupon_id: 'string', value: 'number' },
  coupon_used: { coupon_id: 'string', order_id: 'string' },
  message_interaction: { channel: 'string', action: 'string' },
  app_opened: { device_type: 'string', os: 'string', app_version: 'string' },
};

/**
 * The built-in types' properties that are amounts of money, which the product writes to the cent
 * (2,824.90): the console's timeline and a care reminder's message alike. A shop's own event may
 * mean anything by an `amount`, and is written as sent.
 */
export const BUILTIN_EVENT_MONEY_PROPERTIES: Readonly<Record<string, readonly string[]>> = {
  order_paid: ['amount', 'discount'],
  order_refunded: ['amount'],
  cart_added: ['price'],
  coupon_received: ['value'],
};

/** Whether `property` of an event of `eventType` is an amount of money (an order's `amount`, not a shop's own event's). */
export function isMoneyProperty(eventType: string, property: string): boolean {
  return Object.hasOwn(BUILTIN_EVENT_MONEY_PROPERTIES, eventType) && (BUILTIN_EVENT_MONEY_PROPERTIES[eventType]?.includes(property) ?? false);
}

/** The types of an order item's properties (`items[].category`), as a metric over them reads them. */
export const ORDER_ITEM_PROPERTY_TYPES: Readonly<Record<string, AttributeType>> = { sku: 'string', name: 'string', category: 'string', price: 'number', quantity: 'number', launched_at: 'string' };
