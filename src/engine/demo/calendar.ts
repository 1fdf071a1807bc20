// The shopping calendar of a Chinese store: days in China time, the seasonal rush of
// 双11, 618 and the New Year shopping festival, the campaigns that run then, and a sampler
// that places activity on days in proportion to that rush.
import { DAY_MS } from '../../core/time.js';
import { type Random, type WeightedTable, searchCumulative, weightedTable } from './random.js';

const CHINA_OFFSET_MS = 8 * 3_600_000;
const HOUR_MS = 3_600_000;

/** Days since 1970-01-01 on a calendar in China time (UTC+8, no daylight saving). */
export function chinaDayNumber(ms: number): number {
  return Math.floor((ms + CHINA_OFFSET_MS) / DAY_MS);
}

/** The UTC instant of China midnight starting a day number. */
export function chinaMidnight(dayNumber: number): number {
  return dayNumber * DAY_MS - CHINA_OFFSET_MS;
}

export interface ChinaDate {
  year: number;
  /** 1-12. */
  month: number;
  day: number;
  /** 0 = Sunday. */
  weekday: number;
}

export function chinaDate(dayNumber: number): ChinaDate {
  const date = new Date(dayNumber * DAY_MS);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate(), weekday: date.getUTCDay() };
}

function dayNumberOf(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

/** 春节 (the first day of the lunar year); the lunar calendar does not follow from a formula. */
const SPRING_FESTIVAL: Readonly<Record<number, readonly [number, number]>> = {
  2015: [2, 19], 2016: [2, 8], 2017: [1, 28], 2018: [2, 16], 2019: [2, 5], 2020: [1, 25],
  2021: [2, 12], 2022: [2, 1], 2023: [1, 22], 2024: [2, 10], 2025: [1, 29], 2026: [2, 17],
  2027: [2, 6], 2028: [1, 26], 2029: [2, 13], 2030: [2, 3], 2031: [1, 23], 2032: [2, 11],
  2033: [1, 31], 2034: [2, 19], 2035: [2, 8], 2036: [1, 28], 2037: [2, 15], 2038: [2, 4],
  2039: [1, 24], 2040: [2, 12],
};

function springFestivalDay(year: number): number | undefined {
  const date = SPRING_FESTIVAL[year];
  return date === undefined ? undefined : dayNumberOf(year, date[0], date[1]);
}

export interface Campaign {
  id: string;
  name: string;
  /** First and last China day numbers, both included. */
  startDay: number;
  endDay: number;
  /** The campaign coupon: spend `threshold` yuan, save `value`. */
  couponThreshold: number;
  couponValue: number;
}

/** The campaigns of one calendar year, in date order. */
function campaignsOfYear(year: number): Campaign[] {
  const campaigns: Campaign[] = [];
  const festival = springFestivalDay(year);
  if (festival !== undefined) {
    campaigns.push({ id: `CMP${year}NY`, name: `${year}年货节`, startDay: festival - 20, endDay: festival - 8, couponThreshold: 199, couponValue: 20 });
  }
  campaigns.push(
    { id: `CMP${year}0308`, name: `${year}三八女神节`, startDay: dayNumberOf(year, 3, 1), endDay: dayNumberOf(year, 3, 8), couponThreshold: 199, couponValue: 30 },
    { id: `CMP${year}0618`, name: `${year}年中618大促`, startDay: dayNumberOf(year, 5, 31), endDay: dayNumberOf(year, 6, 18), couponThreshold: 300, couponValue: 40 },
    { id: `CMP${year}1111`, name: `${year}双11狂欢节`, startDay: dayNumberOf(year, 10, 20), endDay: dayNumberOf(year, 11, 11), couponThreshold: 300, couponValue: 50 },
    { id: `CMP${year}1212`, name: `${year}双12年终盛典`, startDay: dayNumberOf(year, 12, 8), endDay: dayNumberOf(year, 12, 12), couponThreshold: 200, couponValue: 25 },
  );
  return campaigns;
}

/** How busy a day is relative to an ordinary weekday. */
export function dayIntensity(dayNumber: number): number {
  const { year, month, day, weekday } = chinaDate(dayNumber);
  let intensity = weekday === 0 || weekday === 6 ? 1.15 : 1;
  if (month === 11 && day === 11) intensity *= 6;
  else if (month === 11 && day <= 10) intensity *= 2.2;
  else if (month === 10 && day >= 20) intensity *= 1.6;
  else if (month === 11 && day <= 13) intensity *= 1.4;
  else if (month === 6 && day === 18) intensity *= 4.5;
  else if ((month === 6 && day < 18) || (month === 5 && day === 31)) intensity *= 1.8;
  else if (month === 12 && day === 12) intensity *= 2.5;
  else if (month === 3 && day === 8) intensity *= 1.8;
  else if (month === 5 && day === 20) intensity *= 1.3;
  // The new-year rush is relative to the lunar date, which may fall in the previous or the next year.
  for (const festival of [springFestivalDay(year), springFestivalDay(year + 1)]) {
    if (festival === undefined) continue;
    const offset = dayNumber - festival;
    if (offset >= -20 && offset <= -8) intensity *= 1.7;
    // Couriers stop over the holiday, so shopping falls.
    else if (offset >= -7 && offset <= 6) intensity *= 0.55;
  }
  return intensity;
}

/** Share of activity per hour of the day in China time: lunch, and the evening peak. */
const ONLINE_HOURS = weightedTable(
  [3, 1.5, 0.8, 0.4, 0.3, 0.4, 1, 2, 3, 4, 5, 5, 6, 5.5, 5, 5, 5, 5, 5.5, 6.5, 8, 9, 8, 5].map((weight, hour) => [hour, weight] as const),
);
/** Stores open from ten to ten. */
const STORE_HOURS = weightedTable(
  [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 5, 6, 6, 6, 6, 6, 6, 6, 7, 7, 5, 0, 0].map((weight, hour) => [hour, weight] as const),
);

export type HourProfile = 'online' | 'store';

/** Places activity on days of a window in proportion to the season, growing over the years. */
export class ActivityCalendar {
  readonly windowStart: number;
  readonly now: number;
  readonly campaigns: readonly Campaign[];
  private readonly firstDay: number;
  private readonly cumulative: Float64Array;

  constructor(windowStart: number, now: number) {
    this.windowStart = windowStart;
    this.now = now;
    this.firstDay = chinaDayNumber(windowStart);
    const lastDay = chinaDayNumber(now);
    const days = lastDay - this.firstDay + 1;
    this.cumulative = new Float64Array(days);
    let total = 0;
    for (let i = 0; i < days; i++) {
      // A store that grows: the last day of the window is a third busier than the first.
      total += dayIntensity(this.firstDay + i) * (1 + (0.3 * i) / days);
      this.cumulative[i] = total;
    }
    const campaigns: Campaign[] = [];
    for (let year = chinaDate(this.firstDay).year; year <= chinaDate(lastDay).year; year++) {
      for (const campaign of campaignsOfYear(year)) {
        if (campaign.endDay >= this.firstDay && campaign.startDay <= lastDay) campaigns.push(campaign);
      }
    }
    this.campaigns = campaigns;
  }

  /**
   * A time in [from, to] on a day drawn by seasonal weight, at an hour drawn from the hour
   * profile, or near `preferredHour` when given (early birds and night owls).
   */
  sample(random: Random, from: number, to: number, hours: HourProfile = 'online', preferredHour?: number): number {
    const low = Math.max(from, this.windowStart);
    const high = Math.min(to, this.now);
    if (high <= low) return low;
    const firstIndex = Math.max(0, chinaDayNumber(low) - this.firstDay);
    const lastIndex = Math.min(this.cumulative.length - 1, chinaDayNumber(high) - this.firstDay);
    const base = firstIndex === 0 ? 0 : (this.cumulative[firstIndex - 1] ?? 0);
    const top = this.cumulative[lastIndex] ?? base;
    const index = searchCumulative(this.cumulative, base + random.next() * (top - base));
    const table: WeightedTable<number> = hours === 'store' ? STORE_HOURS : ONLINE_HOURS;
    const hour = preferredHour !== undefined && random.chance(0.5) ? (preferredHour + random.int(-1, 1) + 24) % 24 : random.weighted(table);
    const ms = chinaMidnight(this.firstDay + index) + hour * HOUR_MS + Math.floor(random.next() * HOUR_MS);
    return Math.min(high, Math.max(low, ms));
  }

  /** The campaign running at a time, if any. */
  campaignAt(ms: number): Campaign | undefined {
    const day = chinaDayNumber(ms);
    return this.campaigns.find((campaign) => day >= campaign.startDay && day <= campaign.endDay);
  }

  /** Promotion days, when the store takes money off every order (跨店满减). */
  isPromotionDay(ms: number): boolean {
    const { month, day } = chinaDate(chinaDayNumber(ms));
    return (month === 11 && day >= 1 && day <= 11) || (month === 6 && day >= 1 && day <= 18) || (month === 12 && day === 12);
  }

  /** A typical hour for one customer, drawn from the store's overall pattern. */
  drawHour(random: Random): number {
    return random.weighted(ONLINE_HOURS);
  }
}
