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

/** The types of an order item's properties (`items[].category`), as a metric over them reads them. */
export const ORDER_ITEM_PROPERTY_TYPES: Readonly<Record<string, AttributeType>> = { sku: 'string', name: 'string', category: 'string', price: 'number', quantity: 'number', launched_at: 'string' };
