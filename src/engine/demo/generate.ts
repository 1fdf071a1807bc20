// A deterministic, realistic demo store: customers of a Chinese retailer, two years of
// their behaviour and a small hand-kept tag library. Everything is generated lazily in
// batches and depends only on the options, so the same seed and `now` give the same store.
import { Faker, base, en, zh_CN } from '@faker-js/faker';
import type { CustomerInput } from '../../core/customer.js';
import type { EventInput } from '../../core/event.js';
import type { TagGroupInput, TagInput } from '../../core/tag.js';
import { DAY_MS } from '../../core/time.js';
import { type DemoAssignment, drawAssignments, drawStaff } from './assignments.js';
import { ActivityCalendar } from './calendar.js';
import { buildCatalogue } from './catalogue.js';
import { buildCustomer, drawIdentityKeys } from './customers.js';
import { type EventCounters, simulateCustomerEvents } from './events.js';
import { RETAIL_TEMPLATE } from '../../core/templates/retail.js';
import { type ProfileContext, drawCustomerProfile, estimateMeanActiveMs } from './profile.js';
import { Random, mixSeed } from './random.js';

export type { DemoAssignment } from './assignments.js';

/** Events and first visits fall within this many days before `now`. */
export const DEMO_HISTORY_DAYS = 730;
export const CUSTOMER_BATCH_SIZE = 5_000;
export const EVENT_BATCH_SIZE = 10_000;
export const ASSIGNMENT_BATCH_SIZE = 5_000;
/** Phone numbers and member cards have eight free digits, one number per customer. */
export const MAX_DEMO_CUSTOMERS = 99_999_999;

export interface DemoStoreOptions {
  customers: number;
  /** Average events per customer; individual customers vary widely around it. Default 10. */
  eventsPerCustomer?: number;
  seed: number;
  now: Date;
}

export interface DemoStore {
  groups: TagGroupInput[];
  tags: TagInput[];
  /** Customers in id order, in batches of up to CUSTOMER_BATCH_SIZE; each call starts afresh. */
  customers(): Iterable<CustomerInput[]>;
  /** Events of all customers, each customer's in time order, in batches of up to EVENT_BATCH_SIZE. */
  events(): Iterable<EventInput[]>;
  /** Manual and imported tag assignments, in batches of up to ASSIGNMENT_BATCH_SIZE. */
  assignments(): Iterable<DemoAssignment[]>;
}

/** Salt for each use of the seed, so that the streams do not echo each other. */
const SALT = { faker: 0xfa, staff: 0x57 } as const;

function seededFaker(seed: number): Faker {
  const faker = new Faker({ locale: [zh_CN, en, base] });
  faker.seed(seed);
  return faker;
}

/**
 * A faker drawing from mulberry32 rather than its Mersenne Twister, whose seeding costs about a
 * tenth of a millisecond: cheap enough to seed afresh for each of 20,000 customers.
 */
function reseedableFaker(seed: number): Faker {
  let random = new Random(seed);
  const randomizer = {
    next: () => random.next(),
    seed: (next: number | number[]) => {
      random = new Random(typeof next === 'number' ? next : mixSeed(0, ...next));
    },
  };
  return new Faker({ locale: [zh_CN, en, base], randomizer });
}

function* inBatches<T>(items: Iterable<T>, size: number): Generator<T[]> {
  let batch: T[] = [];
  for (const item of items) {
    batch.push(item);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

function validate(options: DemoStoreOptions): void {
  const { customers, eventsPerCustomer, seed, now } = options;
  if (!Number.isInteger(customers) || customers < 0 || customers > MAX_DEMO_CUSTOMERS) {
    throw new RangeError(`customers must be a whole number from 0 to ${MAX_DEMO_CUSTOMERS}`);
  }
  if (eventsPerCustomer !== undefined && (!Number.isFinite(eventsPerCustomer) || eventsPerCustomer < 0)) {
    throw new RangeError('eventsPerCustomer must be a number of at least 0');
  }
  if (!Number.isSafeInteger(seed)) throw new RangeError('seed must be a whole number');
  if (Number.isNaN(now.getTime())) throw new RangeError('now must be a valid date');
}

export function generateDemoStore(options: DemoStoreOptions): DemoStore {
  validate(options);
  const count = options.customers;
  // Fold the whole safe-integer seed into 32 bits, so that seeds 2^32 apart still differ.
  const seed = mixSeed(options.seed >>> 0, Math.floor(options.seed / 4_294_967_296) >>> 0);
  const now = options.now.getTime();
  const windowStart = now - DEMO_HISTORY_DAYS * DAY_MS;
  const calendar = new ActivityCalendar(windowStart, now);
  const catalogue = buildCatalogue(seed, windowStart, now);
  const identityKeys = drawIdentityKeys(seed);
  const staff = drawStaff(seededFaker(mixSeed(seed, SALT.staff)));
  const timeline = { seed, now, windowStart, eventsPerCustomer: options.eventsPerCustomer ?? 10, calendar };
  const profileContext: ProfileContext = { ...timeline, meanActiveMs: estimateMeanActiveMs(timeline) };
  const eventContext = { seed, now, calendar, catalogue };

  function* eachCustomer(): Generator<CustomerInput> {
    // The faker is seeded afresh for each customer, so a customer's name, email and nickname
    // depend on the seed and its index only, not on how many draws the customers before it took
    // (which vary with `now`): the same seed names the same people whatever the day.
    const faker = reseedableFaker(seed);
    for (let index = 0; index < count; index++) {
      faker.seed(mixSeed(seed, SALT.faker, index));
      yield buildCustomer(seed, drawCustomerProfile(profileContext, index), faker, identityKeys);
    }
  }

  function* eachEvent(): Generator<EventInput> {
    const counters: EventCounters = { event: 0, order: 0, coupon: 0 };
    for (let index = 0; index < count; index++) {
      yield* simulateCustomerEvents(eventContext, drawCustomerProfile(profileContext, index), counters);
    }
  }

  function* eachAssignment(): Generator<DemoAssignment> {
    for (let index = 0; index < count; index++) {
      yield* drawAssignments(seed, drawCustomerProfile(profileContext, index), staff, now);
    }
  }

  return {
    // The demo's library is the retail template, so its assignments use what `applyTemplate` creates.
    groups: RETAIL_TEMPLATE.groups.map((group) => structuredClone(group)),
    tags: RETAIL_TEMPLATE.tags.map((tag) => structuredClone(tag)),
    customers: () => inBatches(eachCustomer(), CUSTOMER_BATCH_SIZE),
    events: () => inBatches(eachEvent(), EVENT_BATCH_SIZE),
    assignments: () => inBatches(eachAssignment(), ASSIGNMENT_BATCH_SIZE),
  };
}
