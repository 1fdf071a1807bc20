// One customer's behaviour over the window: visits placed on busy days, each visit a short
// funnel (open the app, search, view, add to cart, pay), plus coupons, campaigns, messages,
// store purchases and the occasional return.
import type { BuiltinEventType, EventInput, EventProperties } from '../../core/event.js';
import { DAY_MS } from '../../core/time.js';
import { type ActivityCalendar, type Campaign, type HourProfile, chinaDate, chinaDayNumber, chinaMidnight } from './calendar.js';
import { type Catalogue, type Category, type Product, drawProduct } from './catalogue.js';
import {
  BIRTHDAY_COUPON,
  type CouponTemplate,
  EVERYDAY_COUPONS,
  MESSAGE_ACTIONS,
  SHOP_URL,
  WELCOME_COUPON,
  appVersion,
  drawPage,
  drawRefundReason,
  drawSearchQuery,
  osVersion,
} from './content.js';
import { type CustomerProfile, STREAM, type SourceChannel } from './profile.js';
import { Random, mixSeed, searchCumulative } from './random.js';

export interface EventContext {
  seed: number;
  now: number;
  calendar: ActivityCalendar;
  catalogue: Catalogue;
}

/** Numbering shared by all customers of one pass, so ids are unique across the store. */
export interface EventCounters {
  event: number;
  order: number;
  coupon: number;
}

type SessionKind = 'welcome' | 'marketing' | 'store' | 'purchase' | 'browse';

interface SessionPlan {
  kind: SessionKind;
  /** Events the visit should produce; a purchase may add a coupon use, a return or a follow-up. */
  size: number;
  at: number;
}

interface Draft {
  at: number;
  type: BuiltinEventType;
  properties: EventProperties;
}

interface WalletCoupon {
  id: string;
  thresholdCents: number;
  valueCents: number;
  receivedAt: number;
  expiresAt: number;
}

interface LineItem {
  product: Product;
  quantity: number;
}

const SECOND_MS = 1000;
const HOUR_MS = 3_600_000;

const ONLINE_STORES: Record<SourceChannel, string> = {
  天猫: '天猫旗舰店',
  京东: '京东自营旗舰店',
  抖音: '抖音官方旗舰店',
  微信小程序: '微信小程序商城',
  官网: '官网商城',
  线下门店: '微信小程序商城',
};

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** The customer's events in time order, numbered from `counters`. */
export function simulateCustomerEvents(context: EventContext, profile: CustomerProfile, counters: EventCounters): EventInput[] {
  if (profile.eventCount <= 0) return [];
  return new CustomerSimulation(context, profile, counters).run();
}

class CustomerSimulation {
  private readonly random: Random;
  private readonly calendar: ActivityCalendar;
  private readonly drafts: Draft[] = [];
  private readonly wallet: WalletCoupon[] = [];
  private readonly categoryTotal: number;
  private cursor = 0;
  private birthdayCouponYear = -1;

  constructor(
    private readonly context: EventContext,
    private readonly profile: CustomerProfile,
    private readonly counters: EventCounters,
  ) {
    this.random = new Random(mixSeed(context.seed, STREAM.events, profile.index));
    this.calendar = context.calendar;
    this.categoryTotal = profile.categoryCumulative[profile.categoryCumulative.length - 1] ?? 0;
  }

  run(): EventInput[] {
    for (const session of this.plan()) {
      this.cursor = session.at;
      this.render(session);
    }
    // Returns and follow-ups land days after the visit, among later visits.
    this.drafts.sort((a, b) => a.at - b.at);
    return this.drafts.map((draft) => ({
      id: `E${pad(++this.counters.event, 9)}`,
      customer_id: this.profile.id,
      type: draft.type,
      occurred_at: iso(draft.at),
      properties: draft.properties,
    }));
  }

  /** Splits the customer's event budget into visits and places them in time, oldest first. */
  private plan(): SessionPlan[] {
    const { profile, random } = this;
    const sessions: SessionPlan[] = [];
    let remaining = profile.eventCount;
    if (remaining >= 2 && random.chance(0.4)) {
      sessions.push({ kind: 'welcome', size: 1, at: profile.firstSeenAt + random.int(0, 600) * SECOND_MS });
      remaining -= 1;
    }
    const visits: { kind: SessionKind; size: number }[] = [];
    while (remaining > 0) {
      let kind: SessionKind;
      let size: number;
      if (random.chance(0.12)) {
        kind = 'marketing';
        size = random.int(1, 2);
      } else if (profile.purchaseRate > 0 && random.chance(profile.offlineShare)) {
        kind = 'store';
        size = 1;
      } else if (random.chance(profile.purchaseRate)) {
        kind = 'purchase';
        size = 2 + random.geometric(3);
      } else {
        kind = 'browse';
        size = 1 + random.geometric(2);
      }
      size = Math.min(size, remaining);
      remaining -= size;
      visits.push({ kind, size });
    }
    // A won-back customer's last visits fall in the final month, after months of silence.
    const recentFrom = profile.wonBack ? visits.length - Math.min(2, Math.max(1, visits.length - 1)) : visits.length;
    visits.forEach((visit, index) => {
      // Most customers are first seen because they visit: the first visit opens their history.
      const opening = index === 0 && recentFrom > 0 && random.chance(0.7);
      const at = opening ? profile.firstSeenAt + random.int(60, 1800) * SECOND_MS : this.drawVisitTime(visit.kind, index >= recentFrom);
      sessions.push({ ...visit, at });
    });
    return sessions.sort((a, b) => a.at - b.at);
  }

  private drawVisitTime(kind: SessionKind, recent: boolean): number {
    const { profile, context } = this;
    const hours: HourProfile = kind === 'store' ? 'store' : 'online';
    // Visits end well before their window closes, so that no event runs past `now`.
    const earliest = recent ? context.now - 30 * DAY_MS : profile.firstSeenAt;
    const latest = recent ? context.now - 2 * HOUR_MS : Math.max(profile.firstSeenAt, profile.activeUntil - 2 * HOUR_MS);
    return this.calendar.sample(this.random, earliest, latest, hours, kind === 'store' ? undefined : profile.preferredHour);
  }

  private render(session: SessionPlan): void {
    switch (session.kind) {
      case 'welcome':
        this.receiveCoupon(WELCOME_COUPON, undefined);
        return;
      case 'marketing':
        this.renderMarketing(session.size);
        return;
      case 'store':
        this.renderStoreVisit();
        return;
      case 'purchase':
        this.renderPurchase(session.size);
        return;
      case 'browse':
        this.renderBrowse(session.size);
        return;
      default: {
        const unreachable: never = session.kind;
        return unreachable;
      }
    }
  }

  private emit(type: BuiltinEventType, properties: EventProperties): void {
    this.drafts.push({ at: Math.min(this.cursor, this.context.now), type, properties });
  }

  private advance(seconds: number): void {
    this.cursor += Math.round(seconds * SECOND_MS);
  }

  private drawCategory(): Category {
    const index = searchCumulative(this.profile.categoryCumulative, this.random.next() * this.categoryTotal);
    const category = this.context.catalogue[index];
    if (category === undefined) throw new Error(`no category ${index} in the catalogue`);
    return category;
  }

  private drawProductIn(category: Category): Product {
    return drawProduct(this.random, category, this.cursor, this.profile.trendy);
  }

  private renderMarketing(size: number): void {
    const { random, profile } = this;
    let budget = size;
    const campaign = this.calendar.campaignAt(this.cursor);
    if (campaign !== undefined && random.chance(0.6)) {
      this.emit('campaign_joined', { campaign_id: campaign.id, name: campaign.name });
      budget--;
      if (budget > 0) {
        this.advance(random.int(2, 30));
        const coupon = { name: `${campaign.name} 满${campaign.couponThreshold}减${campaign.couponValue}`, thresholdYuan: campaign.couponThreshold, valueYuan: campaign.couponValue, validDays: 0 };
        this.receiveCoupon(coupon, campaign);
        budget--;
      }
    }
    while (budget > 0) {
      const today = chinaDate(chinaDayNumber(this.cursor));
      const roll = random.next();
      if (profile.memberLevel !== undefined && profile.birthMonth === today.month && this.birthdayCouponYear !== today.year) {
        this.birthdayCouponYear = today.year;
        this.receiveCoupon(BIRTHDAY_COUPON, undefined);
      } else if (roll < 0.45) this.messageInteraction();
      else if (roll < 0.7) this.viewPage(campaign);
      else this.receiveCoupon(random.pick(EVERYDAY_COUPONS), undefined);
      budget--;
      this.advance(random.int(5, 120));
    }
  }

  private receiveCoupon(template: CouponTemplate, campaign: Campaign | undefined): void {
    const id = `CP${pad(++this.counters.coupon, 8)}`;
    // Campaign coupons last until the campaign ends; others for a fixed number of days.
    const expiresAt = campaign !== undefined ? Math.max(this.cursor + HOUR_MS, chinaMidnight(campaign.endDay + 1) - SECOND_MS) : this.cursor + template.validDays * DAY_MS;
    this.wallet.push({ id, thresholdCents: template.thresholdYuan * 100, valueCents: template.valueYuan * 100, receivedAt: this.cursor, expiresAt });
    this.emit('coupon_received', {
      coupon_id: id,
      value: template.valueYuan,
      expires_at: iso(expiresAt),
      name: template.name,
      threshold: template.thresholdYuan,
      ...(campaign === undefined ? {} : { campaign_id: campaign.id }),
    });
  }

  private messageInteraction(): void {
    const { profile, random } = this;
    const channels: ('sms' | 'email' | 'wechat' | 'app')[] = [];
    if (profile.wechat) channels.push('wechat', 'wechat', 'wechat');
    if (profile.phonePrefix !== undefined) channels.push('sms');
    if (profile.email !== undefined) channels.push('email');
    if (profile.appUser) channels.push('app');
    const channel = channels.length > 0 ? random.pick(channels) : 'web';
    this.emit('message_interaction', { channel, action: random.weighted(MESSAGE_ACTIONS) });
  }

  private viewPage(campaign: Campaign | undefined): void {
    const category = this.drawCategory();
    const page = drawPage(this.random, campaign, category.code, category.name);
    const dwell = Math.min(1800, Math.round(this.random.logNormal(25, 0.8)));
    this.emit('page_viewed', { url: `${SHOP_URL}${page.path}`, title: page.title, dwell_seconds: dwell });
    this.advance(dwell + this.random.int(2, 10));
  }

  private openApp(): void {
    const { profile } = this;
    this.emit('app_opened', {
      device_type: profile.device,
      os: osVersion(profile.os, this.cursor),
      app_version: appVersion(this.cursor - profile.appLagDays * DAY_MS),
    });
    this.advance(this.random.int(3, 20));
  }

  private search(category: Category, product: Product | undefined): void {
    const keyword = product?.keyword ?? this.random.pick(category.keywords);
    const query = drawSearchQuery(this.random, keyword, this.random.pick(category.brands), chinaDate(chinaDayNumber(this.cursor)).year);
    this.emit('searched', { query });
    this.advance(this.random.int(5, 30));
  }

  private viewProduct(product: Product): void {
    // Most glances are short; a long look (30 s and more) is what interest rules look for.
    const dwell = Math.min(600, Math.round(this.random.logNormal(14, 0.9)));
    this.emit('product_viewed', { sku: product.sku, name: product.name, category: product.category, dwell_seconds: dwell });
    this.advance(dwell + this.random.int(2, 15));
  }

  private addToCart(product: Product, quantity: number): void {
    this.emit('cart_added', { sku: product.sku, category: product.category, price: product.priceCents / 100, quantity });
    this.advance(this.random.int(5, 60));
  }

  private favourite(product: Product): void {
    this.emit('favorited', { sku: product.sku, category: product.category });
    this.advance(this.random.int(2, 10));
  }

  private quantityFor(product: Product): number {
    const { random, profile } = this;
    const base = product.consumable ? Math.min(6, 1 + random.geometric(0.8)) : random.chance(0.9) ? 1 : 2;
    if (profile.bulkFactor === 1) return base;
    // Organisations buy gifts and supplies by the dozen, but expensive equipment a few at a time.
    const bulk = product.priceCents > 50_000 ? Math.max(1, profile.bulkFactor / 5) : profile.bulkFactor;
    return Math.max(1, Math.round(base * bulk * random.between(0.5, 1.5)));
  }

  private renderBrowse(size: number): void {
    const { random, profile } = this;
    let budget = size;
    if (profile.appUser && budget >= 2 && random.chance(0.6)) {
      this.openApp();
      budget--;
    }
    const category = this.drawCategory();
    if (budget >= 2 && random.chance(0.35)) {
      this.search(category, undefined);
      budget--;
    } else if (budget >= 2 && random.chance(0.15)) {
      this.viewPage(this.calendar.campaignAt(this.cursor));
      budget--;
    }
    while (budget > 0) {
      const product = this.drawProductIn(random.chance(0.8) ? category : this.drawCategory());
      this.viewProduct(product);
      budget--;
      if (budget > 0 && random.chance(0.15)) {
        this.addToCart(product, this.quantityFor(product));
        budget--;
      } else if (budget > 0 && random.chance(0.1)) {
        this.favourite(product);
        budget--;
      }
    }
  }

  private renderPurchase(size: number): void {
    const { random, profile } = this;
    let budget = size - 1;
    if (profile.appUser && budget >= 3 && random.chance(0.6)) {
      this.openApp();
      budget--;
    }
    const category = this.drawCategory();
    const first = this.drawProductIn(category);
    if (budget >= 2 && random.chance(0.4)) {
      this.search(category, first);
      budget--;
    }
    const carts = budget >= 2 ? Math.min(budget - 1, 1 + random.geometric(0.4)) : 0;
    const viewed: Product[] = [];
    for (let i = 0; i < budget - carts; i++) {
      const product = i === 0 ? first : this.drawProductIn(random.chance(0.7) ? category : this.drawCategory());
      this.viewProduct(product);
      viewed.push(product);
    }
    const items: LineItem[] = [];
    for (let i = 0; i < carts; i++) {
      const product = viewed[i] ?? this.drawProductIn(category);
      const quantity = this.quantityFor(product);
      this.addToCart(product, quantity);
      addLineItem(items, product, quantity);
    }
    if (items.length === 0) {
      // Bought straight from the product page, or a repurchase without browsing.
      const product = viewed[viewed.length - 1] ?? first;
      addLineItem(items, product, this.quantityFor(product));
    }
    this.advance(random.int(20, 180));
    const channelStore = random.chance(0.8) ? ONLINE_STORES[profile.sourceChannel] : random.pick(Object.values(ONLINE_STORES));
    this.pay(items, 'online', channelStore);
  }

  private renderStoreVisit(): void {
    const items: LineItem[] = [];
    for (let count = Math.min(4, 1 + this.random.geometric(0.5)); count > 0; count--) {
      const product = this.drawProductIn(this.drawCategory());
      addLineItem(items, product, this.quantityFor(product));
    }
    this.pay(items, 'offline', `${this.profile.city.name}${this.profile.mall}店`);
  }

  private usableCoupon(sumCents: number): WalletCoupon | undefined {
    return this.wallet.find((coupon) => coupon.receivedAt < this.cursor && coupon.expiresAt > this.cursor && coupon.thresholdCents <= sumCents);
  }

  private pay(items: LineItem[], channel: 'online' | 'offline', store: string): void {
    const { random, profile } = this;
    const sumCents = items.reduce((sum, item) => sum + item.product.priceCents * item.quantity, 0);
    const promotion = channel === 'online' && this.calendar.isPromotionDay(this.cursor);
    const coupon = this.usableCoupon(sumCents);
    if (profile.bargainHunter && !promotion && coupon === undefined) {
      // A bargain hunter waits for a deal; the first item is saved for later instead.
      const saved = items[0];
      if (channel === 'online' && saved !== undefined) this.favourite(saved.product);
      return;
    }
    let discountCents = 0;
    // 跨店满减: every full 300 yuan takes 40 off.
    if (promotion) discountCents += Math.floor(sumCents / 30_000) * 4_000;
    else if ((profile.memberLevel === '金卡' || profile.memberLevel === '钻石') && random.chance(0.5)) {
      discountCents += Math.round(sumCents * (profile.memberLevel === '钻石' ? 0.1 : 0.05));
    }
    const used = coupon !== undefined && random.chance(0.85) ? coupon : undefined;
    if (used !== undefined) {
      discountCents += used.valueCents;
      this.wallet.splice(this.wallet.indexOf(used), 1);
    }
    discountCents = Math.min(discountCents, Math.floor(sumCents * 0.6));
    const amountCents = sumCents - discountCents;
    const day = chinaDate(chinaDayNumber(this.cursor));
    const orderId = `DD${day.year}${pad(day.month, 2)}${pad(day.day, 2)}${pad(++this.counters.order, 8)}`;
    this.emit('order_paid', {
      order_id: orderId,
      amount: amountCents / 100,
      items: items.map(({ product, quantity }) => ({
        sku: product.sku,
        name: product.name,
        category: product.category,
        price: product.priceCents / 100,
        quantity,
        launched_at: product.launchedAtIso,
      })),
      channel,
      ...(discountCents > 0 ? { discount: discountCents / 100 } : {}),
      ...(used !== undefined ? { coupon_id: used.id } : {}),
      store,
    });
    if (used !== undefined) {
      this.advance(1);
      this.emit('coupon_used', { coupon_id: used.id, order_id: orderId });
    }
    this.maybeRefund(orderId, items, amountCents);
    this.maybeFollowUp();
  }

  private maybeRefund(orderId: string, items: readonly LineItem[], amountCents: number): void {
    const { random, context } = this;
    const riskiest = items.reduce<LineItem | undefined>((worst, item) => {
      const rate = context.catalogue[item.product.categoryIndex]?.refundRate ?? 0;
      const worstRate = worst === undefined ? -1 : (context.catalogue[worst.product.categoryIndex]?.refundRate ?? 0);
      return rate > worstRate ? item : worst;
    }, undefined);
    if (riskiest === undefined) return;
    const rate = context.catalogue[riskiest.product.categoryIndex]?.refundRate ?? 0;
    if (!random.chance(rate)) return;
    const at = this.cursor + random.between(1, 14) * DAY_MS;
    // A return that would happen after `now` has not happened yet.
    if (at > context.now) return;
    const partial = items.length > 1 && random.chance(0.5);
    const refundCents = partial ? Math.min(amountCents, riskiest.product.priceCents * riskiest.quantity) : amountCents;
    this.drafts.push({
      at: Math.round(at),
      type: 'order_refunded',
      properties: { order_id: orderId, amount: refundCents / 100, reason: drawRefundReason(random, riskiest.product.category) },
    });
  }

  /** The after-sales sequence (3315): a care message three days after the purchase. */
  private maybeFollowUp(): void {
    const { random, profile, context } = this;
    if (!profile.wechat || !random.chance(0.1)) return;
    const at = this.cursor + 3 * DAY_MS + random.int(0, 12) * HOUR_MS;
    if (at > context.now) return;
    this.drafts.push({ at, type: 'message_interaction', properties: { channel: 'wechat', action: random.chance(0.7) ? 'open' : 'reply', journey: '3315' } });
  }
}

function addLineItem(items: LineItem[], product: Product, quantity: number): void {
  const existing = items.find((item) => item.product.sku === product.sku);
  if (existing !== undefined) existing.quantity += quantity;
  else items.push({ product, quantity });
}
