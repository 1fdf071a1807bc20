// The demo store generator: same options give the same store, every record passes the
// schemas the API and import use, and the data hangs together (refunds follow their orders,
// identities are unique, events stay inside the two-year window).
import { describe, expect, it } from 'vitest';
import { type CustomerInput, customerInputSchema, normalizeIdentity } from '../../src/core/customer.js';
import { type EventInput, checkEventProperties, eventInputSchema } from '../../src/core/event.js';
import { tagGroupInputSchema, tagInputSchema } from '../../src/core/tag.js';
import { DAY_MS, isValidDate } from '../../src/core/time.js';
import {
  ASSIGNMENT_BATCH_SIZE,
  CUSTOMER_BATCH_SIZE,
  DEMO_HISTORY_DAYS,
  type DemoAssignment,
  type DemoStoreOptions,
  EVENT_BATCH_SIZE,
  generateDemoStore,
} from '../../src/engine/demo/generate.js';

const NOW = new Date('2026-03-15T10:00:00Z');
const WINDOW_START = NOW.getTime() - DEMO_HISTORY_DAYS * DAY_MS;

function collect<T>(batches: Iterable<T[]>): T[] {
  const all: T[] = [];
  for (const batch of batches) all.push(...batch);
  return all;
}

interface Generated {
  customers: CustomerInput[];
  events: EventInput[];
  assignments: DemoAssignment[];
}

function generate(options: DemoStoreOptions): Generated {
  const store = generateDemoStore(options);
  return { customers: collect(store.customers()), events: collect(store.events()), assignments: collect(store.assignments()) };
}

interface OrderProperties {
  order_id: string;
  amount: number;
  discount?: number;
  coupon_id?: string;
  channel?: string;
  items?: { sku: string; price?: number; quantity?: number }[];
}

const cents = (yuan: number): number => Math.round(yuan * 100);

const sample = generate({ customers: 3_000, eventsPerCustomer: 10, seed: 42, now: NOW });
const customersById = new Map(sample.customers.map((customer) => [customer.id, customer]));

describe('generateDemoStore: determinism', () => {
  it('gives the same store for the same seed and now, and each pass starts afresh', () => {
    const options = { customers: 400, seed: 7, now: NOW };
    const first = generate(options);
    const second = generate(options);
    expect(second).toEqual(first);

    const store = generateDemoStore(options);
    expect(collect(store.events())).toEqual(first.events);
    expect(collect(store.events())).toEqual(first.events);
    expect(collect(store.customers())).toEqual(first.customers);
  });

  it('gives a different store for a different seed', () => {
    const a = generate({ customers: 200, seed: 1, now: NOW });
    const b = generate({ customers: 200, seed: 2, now: NOW });
    expect(b.customers.map((customer) => customer.name)).not.toEqual(a.customers.map((customer) => customer.name));
    expect(b.events).not.toEqual(a.events);
    expect(b.assignments).not.toEqual(a.assignments);
  });

  it('keeps a customer the same when the store is made larger', () => {
    const small = generate({ customers: 100, seed: 5, now: NOW });
    const large = generate({ customers: 300, seed: 5, now: NOW });
    expect(large.customers.slice(0, 100)).toEqual(small.customers);
  });

  it("names a customer by the seed and the customer's place alone, whatever the day", () => {
    const names = (now: Date) => collect(generateDemoStore({ customers: 500, seed: 5, now }).customers()).map((customer) => customer.name);
    const today = names(NOW);
    expect(names(new Date(NOW.getTime() + DAY_MS))).toEqual(today);
    expect(names(new Date(NOW.getTime() + 97 * DAY_MS))).toEqual(today);
  });
});

describe('generateDemoStore: schema validity', () => {
  it('produces customers the customer schema accepts', () => {
    for (const customer of sample.customers) {
      const result = customerInputSchema.safeParse(customer);
      expect(result.success, `${customer.id}: ${JSON.stringify(result.error?.issues)}`).toBe(true);
    }
  });

  it('produces events the event schema accepts, with properties that fit their type', () => {
    for (const event of sample.events) {
      const result = eventInputSchema.safeParse(event);
      expect(result.success, `${event.id}: ${JSON.stringify(result.error?.issues)}`).toBe(true);
      expect(checkEventProperties(event.type, event.properties ?? {}), `${event.id} ${event.type}`).toEqual([]);
    }
  });

  it('produces a tag library the tag schemas accept, and assignments that use it', () => {
    const store = generateDemoStore({ customers: 0, seed: 42, now: NOW });
    for (const group of store.groups) expect(tagGroupInputSchema.safeParse(group).success).toBe(true);
    const groupKeys = new Set(store.groups.map((group) => group.key));
    for (const tag of store.tags) {
      expect(tagInputSchema.safeParse(tag).success, tag.key).toBe(true);
      expect(groupKeys.has(tag.group ?? ''), tag.key).toBe(true);
      expect(tag.kind).toBe('manual');
      expect(tag.scope).toBe('enterprise');
      for (const value of tag.values) expect(value.color).toMatch(/^#[0-9a-f]{6}$/);
    }
    expect(store.tags.find((tag) => tag.key === 'interests')?.values.map((value) => value.name)).toEqual(['高尔夫', '钓鱼', '瑜伽', '摄影', '旅行', '美食']);
    expect(store.tags.find((tag) => tag.key === 'service_stage')?.ordered).toBe(true);
    expect(store.tags.find((tag) => tag.key === 'vip_care')?.default_expiry_days).toBeGreaterThan(0);

    const tags = new Map(store.tags.map((tag) => [tag.key, tag]));
    const singleSeen = new Set<string>();
    for (const assignment of sample.assignments) {
      const tag = tags.get(assignment.tag);
      expect(tag, assignment.tag).toBeDefined();
      expect(tag?.values.some((value) => value.key === assignment.value)).toBe(true);
      expect(customersById.has(assignment.customer_id)).toBe(true);
      expect(assignment.actor.length).toBeGreaterThan(0);
      if (assignment.source === 'manual') expect(assignment.actor).toMatch(/^(导购|客服|店长|会员顾问)-\p{Script=Han}{2,4}$/u);
      if (assignment.expires_at !== undefined) expect(Date.parse(assignment.expires_at)).toBeGreaterThan(NOW.getTime());
      // A single-valued tag gets one value per customer.
      if (tag?.cardinality === 'single') {
        const key = `${assignment.customer_id}/${assignment.tag}`;
        expect(singleSeen.has(key), key).toBe(false);
        singleSeen.add(key);
      }
    }
  });
});

describe('generateDemoStore: counts and batches', () => {
  it('generates the requested customers and about the requested events, in bounded batches', () => {
    const store = generateDemoStore({ customers: 12_000, eventsPerCustomer: 6, seed: 3, now: NOW });
    const customerBatches = [...store.customers()].map((batch) => batch.length);
    expect(customerBatches).toEqual([CUSTOMER_BATCH_SIZE, CUSTOMER_BATCH_SIZE, 2_000]);

    let events = 0;
    for (const batch of store.events()) {
      expect(batch.length).toBeGreaterThan(0);
      expect(batch.length).toBeLessThanOrEqual(EVENT_BATCH_SIZE);
      events += batch.length;
    }
    expect(events).toBeGreaterThan(12_000 * 6 * 0.85);
    expect(events).toBeLessThan(12_000 * 6 * 1.15);

    const assigned = new Set<string>();
    for (const batch of store.assignments()) {
      expect(batch.length).toBeLessThanOrEqual(ASSIGNMENT_BATCH_SIZE);
      for (const assignment of batch) assigned.add(assignment.customer_id);
    }
    // A fraction of the customers, not all and not none.
    expect(assigned.size).toBeGreaterThan(12_000 * 0.05);
    expect(assigned.size).toBeLessThan(12_000 * 0.4);
  });

  it('averages close to the default of ten events per customer', () => {
    expect(sample.events.length).toBeGreaterThan(3_000 * 10 * 0.85);
    expect(sample.events.length).toBeLessThan(3_000 * 10 * 1.15);
  });

  it('streams: the first batch of a huge store comes without generating the rest', () => {
    const store = generateDemoStore({ customers: 5_000_000, seed: 1, now: NOW });
    const started = performance.now();
    const [firstCustomers] = store.customers();
    const [firstEvents] = store.events();
    expect(firstCustomers).toHaveLength(CUSTOMER_BATCH_SIZE);
    expect(firstEvents).toHaveLength(EVENT_BATCH_SIZE);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('generates nothing for no customers', () => {
    const store = generateDemoStore({ customers: 0, seed: 1, now: NOW });
    expect([...store.customers()]).toEqual([]);
    expect([...store.events()]).toEqual([]);
    expect([...store.assignments()]).toEqual([]);
  });

  it('rejects options it cannot honour', () => {
    expect(() => generateDemoStore({ customers: -1, seed: 1, now: NOW })).toThrow(RangeError);
    expect(() => generateDemoStore({ customers: 1.5, seed: 1, now: NOW })).toThrow(RangeError);
    expect(() => generateDemoStore({ customers: 1, seed: Number.NaN, now: NOW })).toThrow(RangeError);
    expect(() => generateDemoStore({ customers: 1, eventsPerCustomer: -2, seed: 1, now: NOW })).toThrow(RangeError);
    expect(() => generateDemoStore({ customers: 1, seed: 1, now: new Date('not a date') })).toThrow(RangeError);
  });
});

describe('generateDemoStore: customers', () => {
  it('numbers customers C000001 onwards', () => {
    expect(sample.customers.slice(0, 3).map((customer) => customer.id)).toEqual(['C000001', 'C000002', 'C000003']);
    expect(customersById.size).toBe(sample.customers.length);
  });

  it('gives every identity to one customer only, and phones look like mainland mobiles', () => {
    const seen = new Map<string, string>();
    for (const customer of sample.customers) {
      for (const identity of customer.identities ?? []) {
        const normalized = normalizeIdentity(identity.kind, identity.value);
        expect(normalized, `${customer.id} ${identity.kind} ${identity.value}`).toBeDefined();
        const key = `${identity.kind}:${normalized ?? ''}`;
        expect(seen.get(key), key).toBeUndefined();
        seen.set(key, customer.id);
        if (identity.kind === 'phone') expect(identity.value).toMatch(/^1(3\d|4[57]|5[0-35-9]|66|7[35-8]|8\d|9[189])\d{8}$/);
        if (identity.kind === 'email') expect(identity.value).toMatch(/^[a-z0-9._]+@[a-z0-9.]+\.(com|cn)$/);
        if (identity.kind === 'wechat_unionid') expect(identity.value).toMatch(/^o[0-9A-Za-z]{27}$/);
      }
      const kinds = (customer.identities ?? []).map((identity) => identity.kind);
      expect(new Set(kinds).size).toBe(kinds.length);
      // Members carry a card; others do not.
      expect(kinds.includes('member_card')).toBe(customer.member_level !== undefined);
    }
    const count = (kind: string): number => [...seen.keys()].filter((key) => key.startsWith(`${kind}:`)).length;
    expect(count('phone')).toBeGreaterThan(sample.customers.length * 0.9);
    expect(count('wechat_unionid')).toBeGreaterThan(sample.customers.length * 0.5);
    expect(count('email')).toBeGreaterThan(sample.customers.length * 0.15);
    expect(count('email')).toBeLessThan(sample.customers.length * 0.6);
  });

  it('fills fields with realistic values', () => {
    const now = NOW.getTime();
    const types = new Map<string, number>();
    const cities = new Map<string, number>();
    for (const customer of sample.customers) {
      types.set(customer.type ?? '', (types.get(customer.type ?? '') ?? 0) + 1);
      cities.set(customer.city ?? '', (cities.get(customer.city ?? '') ?? 0) + 1);
      expect(customer.name).toMatch(/^\p{Script=Han}{2,}/u);
      expect(['天猫', '京东', '微信小程序', '抖音', '线下门店', '官网']).toContain(customer.source_channel);
      if (customer.member_level !== undefined) expect(['普通会员', '银卡', '金卡', '钻石']).toContain(customer.member_level);
      const firstSeen = Date.parse(customer.first_seen_at ?? '');
      expect(firstSeen).toBeGreaterThanOrEqual(WINDOW_START);
      expect(firstSeen).toBeLessThanOrEqual(now);
      if (customer.type === 'individual') {
        expect(['male', 'female', 'unknown']).toContain(customer.gender);
        const birthday = customer.birthday ?? '';
        expect(isValidDate(birthday)).toBe(true);
        const age = ageOn(birthday, NOW);
        expect(age).toBeGreaterThanOrEqual(18);
        expect(age).toBeLessThanOrEqual(70);
        expect(customer.occupation).toBeTruthy();
      } else {
        expect(customer.birthday).toBeUndefined();
      }
    }
    expect(types.get('individual') ?? 0).toBeGreaterThan(sample.customers.length * 0.85);
    expect(types.get('company') ?? 0).toBeGreaterThan(0);
    expect(types.get('government') ?? 0).toBeGreaterThan(0);
    // Big cities dominate.
    expect((cities.get('上海') ?? 0) + (cities.get('北京') ?? 0)).toBeGreaterThan(sample.customers.length * 0.12);
    expect(sample.customers.find((customer) => customer.city === '广州')?.region).toBe('广东');
  });

  it('gives birthdays on every day of the year, the coming week included', () => {
    const monthDays = new Set<string>();
    let inComingWeek = 0;
    let people = 0;
    for (const customer of sample.customers) {
      if (customer.birthday === undefined || customer.birthday === null) continue;
      people += 1;
      monthDays.add(customer.birthday.slice(5));
      const [, month, day] = customer.birthday.split('-').map(Number);
      const thisYear = Date.UTC(NOW.getUTCFullYear(), (month ?? 1) - 1, day ?? 1);
      const daysAhead = Math.floor((thisYear - Date.UTC(NOW.getUTCFullYear(), NOW.getUTCMonth(), NOW.getUTCDate())) / DAY_MS);
      if (daysAhead >= 0 && daysAhead <= 6) inComingWeek += 1;
    }
    // 7 days of 365: about 1.9 % of the people; a week left out would leave none.
    expect(inComingWeek).toBeGreaterThan(people * 0.01);
    expect(monthDays.size).toBeGreaterThan(350);
  });
});

function ageOn(birthday: string, now: Date): number {
  const [year, month, day] = birthday.split('-').map(Number);
  if (year === undefined || month === undefined || day === undefined) return Number.NaN;
  const hadBirthday = now.getUTCMonth() + 1 > month || (now.getUTCMonth() + 1 === month && now.getUTCDate() >= day);
  return now.getUTCFullYear() - year - (hadBirthday ? 0 : 1);
}

describe('generateDemoStore: events', () => {
  const orders = new Map<string, { customerId: string; at: number; properties: OrderProperties }>();
  for (const event of sample.events) {
    if (event.type === 'order_paid') {
      const properties = event.properties as unknown as OrderProperties;
      orders.set(properties.order_id, { customerId: event.customer_id, at: Date.parse(event.occurred_at), properties });
    }
  }

  it('keeps every event in the two years before now, after the customer was first seen', () => {
    const ids = new Set<string>();
    for (const event of sample.events) {
      const at = Date.parse(event.occurred_at);
      expect(at).toBeGreaterThanOrEqual(WINDOW_START);
      expect(at).toBeLessThanOrEqual(NOW.getTime());
      const customer = customersById.get(event.customer_id);
      expect(customer, event.customer_id).toBeDefined();
      expect(at).toBeGreaterThanOrEqual(Date.parse(customer?.first_seen_at ?? ''));
      expect(event.id).toMatch(/^E\d+$/);
      expect(ids.has(event.id ?? '')).toBe(false);
      ids.add(event.id ?? '');
    }
  });

  it('makes order amounts the sum of the items less the discount', () => {
    expect(orders.size).toBeGreaterThan(1_000);
    for (const { properties } of orders.values()) {
      const items = properties.items ?? [];
      expect(items.length).toBeGreaterThan(0);
      const total = items.reduce((sum, item) => sum + cents(item.price ?? 0) * (item.quantity ?? 1), 0);
      expect(cents(properties.amount)).toBe(total - cents(properties.discount ?? 0));
      expect(properties.amount).toBeGreaterThan(0);
      expect(['online', 'offline']).toContain(properties.channel);
    }
    const discounted = [...orders.values()].filter(({ properties }) => properties.discount !== undefined).length;
    expect(discounted).toBeGreaterThan(orders.size * 0.05);
    expect(discounted).toBeLessThan(orders.size * 0.6);
  });

  it('refunds only earlier orders of the same customer, never more than was paid', () => {
    const refunds = sample.events.filter((event) => event.type === 'order_refunded');
    expect(refunds.length).toBeGreaterThan(orders.size * 0.01);
    expect(refunds.length).toBeLessThan(orders.size * 0.1);
    const refunded = new Set<string>();
    for (const refund of refunds) {
      const properties = refund.properties as unknown as OrderProperties;
      const order = orders.get(properties.order_id);
      expect(order, properties.order_id).toBeDefined();
      expect(order?.customerId).toBe(refund.customer_id);
      expect(Date.parse(refund.occurred_at)).toBeGreaterThan(order?.at ?? Infinity);
      expect(properties.amount).toBeLessThanOrEqual(order?.properties.amount ?? 0);
      expect(refunded.has(properties.order_id)).toBe(false);
      refunded.add(properties.order_id);
    }
  });

  it('uses only coupons the customer received earlier, on the order that names them', () => {
    const received = new Map<string, { customerId: string; at: number; expiresAt: number }>();
    const used = sample.events.filter((event) => event.type === 'coupon_used');
    for (const event of sample.events) {
      if (event.type !== 'coupon_received') continue;
      const properties = event.properties as { coupon_id: string; expires_at: string };
      received.set(properties.coupon_id, { customerId: event.customer_id, at: Date.parse(event.occurred_at), expiresAt: Date.parse(properties.expires_at) });
    }
    expect(used.length).toBeGreaterThan(0);
    for (const event of used) {
      const properties = event.properties as { coupon_id: string; order_id: string };
      const coupon = received.get(properties.coupon_id);
      const at = Date.parse(event.occurred_at);
      expect(coupon?.customerId).toBe(event.customer_id);
      expect(at).toBeGreaterThan(coupon?.at ?? Infinity);
      expect(at).toBeLessThanOrEqual(coupon?.expiresAt ?? -Infinity);
      expect(orders.get(properties.order_id)?.properties.coupon_id).toBe(properties.coupon_id);
    }
  });

  it('uses every built-in event type', () => {
    const types = new Set(sample.events.map((event) => event.type));
    for (const type of ['order_paid', 'order_refunded', 'product_viewed', 'cart_added', 'favorited', 'searched', 'page_viewed', 'coupon_received', 'coupon_used', 'campaign_joined', 'message_interaction', 'app_opened']) {
      expect(types.has(type), type).toBe(true);
    }
  });

  it('looks like a real store: skewed spend, long looks, 双11, churned and new customers', () => {
    const spend = new Map<string, number>();
    for (const { customerId, properties } of orders.values()) spend.set(customerId, (spend.get(customerId) ?? 0) + properties.amount);
    const ranked = [...spend.values()].sort((a, b) => b - a);
    const total = ranked.reduce((sum, value) => sum + value, 0);
    const top = ranked.slice(0, Math.ceil(ranked.length * 0.2)).reduce((sum, value) => sum + value, 0);
    expect(top / total).toBeGreaterThan(0.5);

    const views = sample.events.filter((event) => event.type === 'product_viewed');
    const long = views.filter((event) => ((event.properties as { dwell_seconds: number }).dwell_seconds ?? 0) >= 30).length;
    expect(long).toBeGreaterThan(views.length * 0.05);
    expect(long).toBeLessThan(views.length * 0.6);

    // Orders per China-time calendar day: 11 November beats the average day several times over.
    const perDay = new Map<string, number>();
    for (const { at } of orders.values()) {
      const day = new Date(at + 8 * 3_600_000).toISOString().slice(0, 10);
      perDay.set(day, (perDay.get(day) ?? 0) + 1);
    }
    const average = orders.size / DEMO_HISTORY_DAYS;
    expect(perDay.get('2025-11-11') ?? 0).toBeGreaterThan(average * 3);

    const lastSeen = new Map<string, number>();
    for (const event of sample.events) lastSeen.set(event.customer_id, Math.max(lastSeen.get(event.customer_id) ?? 0, Date.parse(event.occurred_at)));
    const quiet = [...lastSeen.values()].filter((at) => at < NOW.getTime() - 180 * DAY_MS).length;
    expect(quiet).toBeGreaterThan(sample.customers.length * 0.05);
    const fresh = sample.customers.filter((customer) => Date.parse(customer.first_seen_at ?? '') > NOW.getTime() - 60 * DAY_MS).length;
    expect(fresh).toBeGreaterThan(sample.customers.length * 0.02);
  });

  it('draws items from a retail catalogue with real-looking SKUs and categories', () => {
    const categories = new Set<string>();
    for (const { properties } of orders.values()) {
      for (const item of properties.items ?? []) {
        expect(item.sku).toMatch(/^[A-Z]{2}\d{5}-[A-Z0-9-]+$/);
        categories.add((item as { category?: string }).category ?? '');
      }
    }
    for (const category of ['服装', '鞋靴', '美妆', '母婴', '数码', '家居', '食品', '运动户外']) expect(categories.has(category), category).toBe(true);
  });
});
