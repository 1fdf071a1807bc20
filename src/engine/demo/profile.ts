// One demo customer's hidden character: who they are, how engaged, what they like, when
// they came and whether they left. Drawn from the seed and the customer's number alone, so
// the customer list, the events and the tag assignments can each be generated on their own
// and still agree.
import type { CustomerType, Gender } from '../../core/customer.js';
import { DAY_MS } from '../../core/time.js';
import type { ActivityCalendar } from './calendar.js';
import { CATEGORY_NAMES } from './catalogue.js';
import { CITIES, type City, MALLS, drawOccupation } from './geography.js';
import { Random, mixSeed, weightedTable } from './random.js';

export const MEMBER_LEVELS = ['普通会员', '银卡', '金卡', '钻石'] as const;
export type MemberLevel = (typeof MEMBER_LEVELS)[number];

export const SOURCE_CHANNELS = ['天猫', '京东', '微信小程序', '抖音', '线下门店', '官网'] as const;
export type SourceChannel = (typeof SOURCE_CHANNELS)[number];

export type DeviceType = 'phone' | 'tablet' | 'desktop';
export type OsFamily = 'iOS' | 'iPadOS' | 'Android' | 'HarmonyOS' | 'Windows' | 'macOS';
export type EmailKind = 'qq' | 'named';

/** Independent random streams per customer, so adding a draw to one does not shift the others. */
export const STREAM = { profile: 1, events: 2, assignments: 3, fields: 4, eventCount: 5 } as const;

export interface CustomerProfile {
  index: number;
  id: string;
  type: CustomerType;
  gender: Gender;
  /** `YYYY-MM-DD`, people only. */
  birthday: string | undefined;
  birthMonth: number | undefined;
  age: number | undefined;
  city: City;
  /** The shopping centre of the customer's nearest store. */
  mall: string;
  occupation: string | undefined;
  memberLevel: MemberLevel | undefined;
  sourceChannel: SourceChannel;
  firstSeenAt: number;
  /** Last moment of regular activity: `now` for active customers, months ago for churned ones. */
  activeUntil: number;
  churned: boolean;
  /** A churned customer who came back in the last month (挽回). */
  wonBack: boolean;
  /** Time between the first visit and the end of activity, counting a win-back month. */
  activeMs: number;
  /** Engagement, log-normal with mean 1: a few customers do most of the shopping. */
  activity: number;
  eventCount: number;
  /** Chance that a shopping visit ends in an order; 0 for window-shoppers who never buy. */
  purchaseRate: number;
  /** Share of visits made in a physical store. */
  offlineShare: number;
  /** Running totals of category preference, in catalogue order. */
  categoryCumulative: Float64Array;
  trendy: boolean;
  /** Buys only with a coupon or on promotion days. */
  bargainHunter: boolean;
  /** Early birds and night owls shop around their own hour. */
  preferredHour: number | undefined;
  appUser: boolean;
  device: DeviceType;
  os: OsFamily;
  /** How many days behind the latest app release the customer's app is. */
  appLagDays: number;
  /** How many of each item a customer takes: companies buy in bulk. */
  bulkFactor: number;
  phonePrefix: string | undefined;
  email: EmailKind | undefined;
  emailDomain: string;
  wechat: boolean;
  platformNick: boolean;
}

const ORGANISATION_TYPES = weightedTable<CustomerType>([
  ['individual', 92],
  ['company', 6],
  ['government', 2],
]);

const SOURCES = weightedTable<SourceChannel>([
  ['天猫', 28],
  ['微信小程序', 22],
  ['京东', 20],
  ['抖音', 14],
  ['线下门店', 11],
  ['官网', 5],
]);

const AGE_BANDS = weightedTable<readonly [number, number]>([
  [[18, 24], 14],
  [[25, 29], 20],
  [[30, 34], 20],
  [[35, 39], 16],
  [[40, 49], 17],
  [[50, 59], 9],
  [[60, 70], 4],
]);

/** Mobile prefixes in use in mainland China, weighted toward the old 13x/15x/18x ranges. */
const PHONE_PREFIXES = weightedTable<string>(
  [
    ...['130', '131', '132', '133', '134', '135', '136', '137', '138', '139'].map((prefix) => [prefix, 3] as const),
    ...['150', '151', '152', '153', '155', '156', '157', '158', '159'].map((prefix) => [prefix, 2.5] as const),
    ...['180', '181', '182', '183', '184', '185', '186', '187', '188', '189'].map((prefix) => [prefix, 2.5] as const),
    ...['147', '166', '173', '175', '176', '177', '178', '191', '198', '199'].map((prefix) => [prefix, 1] as const),
  ],
);

const EMAIL_DOMAINS = weightedTable<string>([
  ['163.com', 30],
  ['126.com', 15],
  ['foxmail.com', 10],
  ['sina.com', 8],
  ['outlook.com', 10],
  ['gmail.com', 6],
  ['139.com', 6],
  ['aliyun.com', 5],
]);

const DEVICES = weightedTable<DeviceType>([
  ['phone', 88],
  ['tablet', 7],
  ['desktop', 5],
]);
const PHONE_OS = weightedTable<OsFamily>([
  ['iOS', 42],
  ['Android', 38],
  ['HarmonyOS', 20],
]);
const TABLET_OS = weightedTable<OsFamily>([
  ['iPadOS', 60],
  ['Android', 20],
  ['HarmonyOS', 20],
]);
const DESKTOP_OS = weightedTable<OsFamily>([
  ['Windows', 70],
  ['macOS', 30],
]);

/** Category interest by who is shopping, in catalogue order: 服装 鞋靴 美妆 母婴 数码 家居 食品 运动户外 个护. */
function baseCategoryWeights(type: CustomerType, gender: Gender, age: number | undefined): number[] {
  if (type !== 'individual') return [0.3, 0.2, 0.2, 0.1, 3, 2, 3, 0.5, 1];
  const parenting = age !== undefined && age >= 25 && age <= 40;
  if (gender === 'female') return [3, 1.5, 3, parenting ? 3 : 0.6, 1, 1.5, 2, 0.8, 1.5];
  return [1.5, 1.5, 0.3, parenting ? 1.5 : 0.3, 3, 1, 2, 2, 1];
}

function formatDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function customerId(index: number): string {
  return `C${String(index + 1).padStart(6, '0')}`;
}

export interface ProfileContext {
  seed: number;
  now: number;
  windowStart: number;
  eventsPerCustomer: number;
  /** The mean of `activeMs` over customers; see `estimateMeanActiveMs`. */
  meanActiveMs: number;
  calendar: ActivityCalendar;
}

const PILOT_CUSTOMERS = 2_000;

/** The mean active time of a store's customers, from the first few thousand profiles. */
export function estimateMeanActiveMs(context: Omit<ProfileContext, 'meanActiveMs'>): number {
  const pilot: ProfileContext = { ...context, meanActiveMs: DAY_MS };
  let total = 0;
  for (let index = 0; index < PILOT_CUSTOMERS; index++) total += drawCustomerProfile(pilot, index).activeMs;
  return total / PILOT_CUSTOMERS;
}

export function drawCustomerProfile(context: ProfileContext, index: number): CustomerProfile {
  const { now, windowStart, calendar } = context;
  const random = new Random(mixSeed(context.seed, STREAM.profile, index));
  const type = random.weighted(ORGANISATION_TYPES);
  const person = type === 'individual';
  const gender: Gender = !person ? 'unknown' : random.chance(0.03) ? 'unknown' : random.chance(0.56) ? 'female' : 'male';

  let age: number | undefined;
  let birthday: string | undefined;
  let birthMonth: number | undefined;
  if (person) {
    const [low, high] = random.weighted(AGE_BANDS);
    age = random.int(low, high);
    // Up to 364 days before the day `now` turns `age`: the age is exactly `age`, and birthdays
    // fall on every day of the year, the days around `now` included, so that birthday segments
    // and the birthday care plan find customers.
    const anniversary = new Date(now);
    anniversary.setUTCFullYear(anniversary.getUTCFullYear() - age);
    const born = anniversary.getTime() - Math.floor(random.between(0, 1) * 365) * DAY_MS;
    birthday = formatDate(born);
    birthMonth = new Date(born).getUTCMonth() + 1;
  }
  const city = random.weighted(CITIES);
  const mall = random.pick(MALLS);
  const occupation = person ? drawOccupation(random, age ?? 30, gender === 'female') : undefined;
  const sourceChannel = random.weighted(SOURCES);

  // Log-normal with mean 1 (the median sits below it): most customers do little, a few a lot.
  const sigma = 1;
  const activity = Math.min(40, Math.exp(sigma * random.normal() - (sigma * sigma) / 2));

  const score = activity * random.logNormal(1, 0.5);
  const member = person ? random.chance(0.8) : random.chance(0.1);
  const memberLevel: MemberLevel | undefined = !member ? undefined : score > 3.5 ? '钻石' : score > 1.8 ? '金卡' : score > 0.9 ? '银卡' : '普通会员';

  // A third of the customers came over from the old membership system when the store opened
  // the window; the rest arrived since, more of them in the busy seasons.
  const firstSeenAt = random.chance(0.3)
    ? calendar.sample(random, windowStart, windowStart + 60 * DAY_MS)
    : calendar.sample(random, windowStart, now - DAY_MS);
  const churned = firstSeenAt < now - 180 * DAY_MS && random.chance(0.3);
  const activeUntil = churned ? random.between(firstSeenAt + 30 * DAY_MS, now - 90 * DAY_MS) : now;
  const wonBack = churned && random.chance(0.2);
  const activeMs = activeUntil - firstSeenAt + (wonBack ? 30 * DAY_MS : 0);
  // Events grow with the time a customer has been around, plus a burst when they are new; the
  // mix averages to one when `meanActiveMs` is the store's mean, so the requested average holds.
  const eventCount = new Random(mixSeed(context.seed, STREAM.eventCount, index)).roundStochastic(
    context.eventsPerCustomer * activity * (0.25 + (0.75 * activeMs) / context.meanActiveMs),
  );

  const offlineShare = sourceChannel === '线下门店' ? random.between(0.6, 0.95) : random.chance(0.3) ? random.between(0.02, 0.2) : 0;
  const purchaseRate = sourceChannel !== '线下门店' && random.chance(0.15) ? 0 : Math.min(0.9, random.between(0.15, 0.55) * (activity > 2 ? 1.3 : 1));

  const weights = baseCategoryWeights(type, gender, age).map((weight) => weight * random.logNormal(1, 0.7));
  for (let favourites = random.int(1, 2); favourites > 0; favourites--) {
    const favourite = random.int(0, weights.length - 1);
    weights[favourite] = (weights[favourite] ?? 0) * 4;
  }
  const categoryCumulative = new Float64Array(CATEGORY_NAMES.length);
  let total = 0;
  CATEGORY_NAMES.forEach((_, category) => {
    total += weights[category] ?? 0;
    categoryCumulative[category] = total;
  });

  const device = random.weighted(DEVICES);
  const os = random.weighted(device === 'phone' ? PHONE_OS : device === 'tablet' ? TABLET_OS : DESKTOP_OS);

  const hasEmail = random.chance(person ? 0.3 : 0.85);
  return {
    index,
    id: customerId(index),
    type,
    gender,
    birthday,
    birthMonth,
    age,
    city,
    mall,
    occupation,
    memberLevel,
    sourceChannel,
    firstSeenAt,
    activeUntil,
    churned,
    wonBack,
    activeMs,
    activity,
    eventCount,
    purchaseRate,
    offlineShare,
    categoryCumulative,
    trendy: random.chance(0.1),
    bargainHunter: random.chance(0.08),
    preferredHour: random.chance(0.35) ? calendar.drawHour(random) : undefined,
    appUser: random.chance(person ? 0.55 : 0.2),
    device,
    os,
    appLagDays: Math.floor(random.geometric(20)),
    bulkFactor: type === 'individual' ? 1 : random.int(3, 30),
    phonePrefix: random.chance(person ? 0.97 : 0.9) ? random.weighted(PHONE_PREFIXES) : undefined,
    email: !hasEmail ? undefined : person && random.chance(0.45) ? 'qq' : 'named',
    emailDomain: random.weighted(EMAIL_DOMAINS),
    wechat: sourceChannel === '微信小程序' || random.chance(person ? 0.7 : 0.3),
    platformNick: (sourceChannel === '天猫' || sourceChannel === '京东' || sourceChannel === '抖音') && random.chance(0.9),
  };
}
