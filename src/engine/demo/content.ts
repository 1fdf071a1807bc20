// The words and pages around shopping: search modifiers, content pages, refund reasons,
// coupon names, message reactions and app versions.
import type { Campaign } from './calendar.js';
import type { OsFamily } from './profile.js';
import { type Random, weightedTable } from './random.js';

export const SHOP_URL = 'https://shop.example.com';

const SEARCH_MODIFIERS = ['女', '男', '新款', '推荐', '大码', '正品', '旗舰店', '礼盒', '便宜', '百搭', '同款', '学生'] as const;

export function drawSearchQuery(random: Random, keyword: string, brand: string, year: number): string {
  const roll = random.next();
  if (roll < 0.45) return keyword;
  if (roll < 0.75) return `${keyword} ${random.pick(SEARCH_MODIFIERS)}`;
  if (roll < 0.9) return `${brand} ${keyword}`;
  return `${year}新款${keyword}`;
}

interface Page {
  path: string;
  title: string;
}

const CONTENT_PAGES: readonly Page[] = [
  { path: '/', title: '首页' },
  { path: '/member', title: '会员中心' },
  { path: '/member/points', title: '积分商城' },
  { path: '/new-arrivals', title: '新品上市' },
  { path: '/article/spring-styling', title: '春季通勤穿搭指南' },
  { path: '/article/sensitive-skin', title: '护肤小课堂：敏感肌怎么选' },
  { path: '/article/baby-sleep', title: '宝宝睡眠指南' },
  { path: '/article/camping-checklist', title: '新手露营装备清单' },
  { path: '/article/pour-over-coffee', title: '手冲咖啡入门' },
  { path: '/article/home-storage', title: '小户型收纳技巧' },
];

export function drawPage(random: Random, campaign: Campaign | undefined, categoryCode: string, categoryName: string): Page {
  const roll = random.next();
  if (campaign !== undefined && roll < 0.5) return { path: `/activity/${campaign.id.toLowerCase()}`, title: campaign.name };
  if (roll < 0.7) return random.pick(CONTENT_PAGES);
  return { path: `/category/${categoryCode.toLowerCase()}`, title: `${categoryName}频道` };
}

const REFUND_REASONS_FIT = weightedTable<string>([
  ['尺码不合适', 45],
  ['七天无理由退货', 25],
  ['颜色与图片不符', 12],
  ['质量问题', 10],
  ['发错货', 4],
  ['物流太慢', 4],
]);
const REFUND_REASONS_OTHER = weightedTable<string>([
  ['七天无理由退货', 40],
  ['质量问题', 20],
  ['与描述不符', 15],
  ['商品破损', 10],
  ['发错货', 8],
  ['物流太慢', 7],
]);

export function drawRefundReason(random: Random, categoryName: string): string {
  return random.weighted(categoryName === '服装' || categoryName === '鞋靴' ? REFUND_REASONS_FIT : REFUND_REASONS_OTHER);
}

export interface CouponTemplate {
  name: string;
  thresholdYuan: number;
  valueYuan: number;
  validDays: number;
}

export const WELCOME_COUPON: CouponTemplate = { name: '新人专享 满99减10', thresholdYuan: 99, valueYuan: 10, validDays: 7 };
export const BIRTHDAY_COUPON: CouponTemplate = { name: '会员生日礼 满200减30', thresholdYuan: 200, valueYuan: 30, validDays: 30 };
export const EVERYDAY_COUPONS: readonly CouponTemplate[] = [
  { name: '会员专享 满199减20', thresholdYuan: 199, valueYuan: 20, validDays: 14 },
  { name: '回购礼 满150减15', thresholdYuan: 150, valueYuan: 15, validDays: 30 },
  { name: '品类券 满299减30', thresholdYuan: 299, valueYuan: 30, validDays: 14 },
  { name: '无门槛券 5元', thresholdYuan: 0, valueYuan: 5, validDays: 7 },
];

export const MESSAGE_ACTIONS = weightedTable<'open' | 'click' | 'reply' | 'comment' | 'share' | 'like'>([
  ['open', 50],
  ['click', 30],
  ['like', 8],
  ['share', 5],
  ['comment', 4],
  ['reply', 3],
]);

/** The OS version current at a time, so an old event does not report next year's release. */
export function osVersion(os: OsFamily, at: number): string {
  const date = new Date(at);
  const year = date.getUTCFullYear();
  // Major releases ship in the autumn.
  const releaseYear = date.getUTCMonth() >= 8 ? year : year - 1;
  switch (os) {
    case 'iOS':
    case 'iPadOS':
      // A point release every other month after the autumn release.
      return `${os} ${releaseYear - 2006}.${Math.min(6, Math.floor(((date.getUTCMonth() + 4) % 12) / 2))}`;
    case 'Android':
      return `Android ${releaseYear - 2009}`;
    case 'HarmonyOS':
      return `HarmonyOS ${Math.max(2, releaseYear - 2019)}.0`;
    case 'Windows':
      return 'Windows 11';
    case 'macOS':
      return `macOS ${releaseYear - 2009}`;
    default: {
      const unreachable: never = os;
      return unreachable;
    }
  }
}

/** The store app ships a minor release a month: 5.6.x is June 2024. */
export function appVersion(at: number): string {
  const date = new Date(at);
  return `${date.getUTCFullYear() - 2019}.${date.getUTCMonth() + 1}.${date.getUTCDate() < 15 ? 0 : 1}`;
}
