// Manual tagging by the store's staff: a fraction of customers carry tags that a shopping
// guide or service agent set during a conversation, or that came in from a survey file.
import type { Faker } from '@faker-js/faker';
import { DAY_MS } from '../../core/time.js';
import { type CustomerProfile, STREAM } from './profile.js';
import { Random, mixSeed, weightedTable } from './random.js';

export interface DemoAssignment {
  customer_id: string;
  /** Tag key. */
  tag: string;
  /** Value key. */
  value: string;
  source: 'manual' | 'import';
  actor: string;
  expires_at?: string;
}

const STAFF_ROLES = ['导购', '导购', '导购', '导购', '客服', '客服', '客服', '店长', '会员顾问', '会员顾问'] as const;

/** Staff who tag customers, like `导购-王芳`. */
export function drawStaff(faker: Faker): string[] {
  return STAFF_ROLES.map((role) => `${role}-${faker.person.lastName()}${faker.person.firstName()}`);
}

const SURVEY_IMPORT = '导入-会员兴趣调研.xlsx';

function interestWeights(profile: CustomerProfile): [string, number][] {
  const male = profile.gender === 'male';
  const mature = profile.age === undefined || profile.age >= 35;
  return [
    ['golf', (male || profile.type !== 'individual') && mature ? 3 : 0.4],
    ['fishing', male ? 2 : 0.4],
    ['yoga', profile.gender === 'female' ? 3 : 0.3],
    ['photography', 1.5],
    ['travel', 2.5],
    ['food', 2.5],
  ];
}

function drawDistinct(random: Random, entries: [string, number][], count: number): string[] {
  const chosen: string[] = [];
  const remaining = [...entries];
  while (chosen.length < count && remaining.length > 0) {
    const value = random.weighted(weightedTable(remaining));
    chosen.push(value);
    remaining.splice(remaining.findIndex(([key]) => key === value), 1);
  }
  return chosen;
}

function daysFrom(now: number, days: number): string {
  return new Date(now + days * DAY_MS).toISOString();
}

/** The tags staff gave one customer; most customers have none. */
export function drawAssignments(seed: number, profile: CustomerProfile, staff: readonly string[], now: number): DemoAssignment[] {
  const random = new Random(mixSeed(seed, STREAM.assignments, profile.index));
  const important = profile.memberLevel === '金卡' || profile.memberLevel === '钻石';
  const organisation = profile.type !== 'individual';
  if (!random.chance(organisation ? 0.5 : important ? 0.4 : 0.12)) return [];

  const imported = random.chance(0.1);
  // Each customer has their own shopping guide, who sets most of their tags.
  const actor = imported ? SURVEY_IMPORT : random.pick(staff);
  const source = imported ? 'import' : 'manual';
  const assignments: DemoAssignment[] = [];
  const add = (tag: string, value: string, expiresAt?: string): void => {
    assignments.push({ customer_id: profile.id, tag, value, source, actor, ...(expiresAt === undefined ? {} : { expires_at: expiresAt }) });
  };

  if (random.chance(imported ? 0.9 : 0.55)) {
    for (const value of drawDistinct(random, interestWeights(profile), Math.min(3, 1 + random.geometric(0.5)))) add('interests', value);
  }
  if (random.chance(organisation ? 0.85 : 0.2)) {
    const stage = profile.purchaseRate === 0 ? 'pre_sale' : random.weighted(weightedTable([['pre_sale', 1], ['in_sale', 1], ['after_sale', 2]] as [string, number][]));
    add('service_stage', stage);
  }
  if (random.chance(0.35)) {
    add('personality', random.weighted(weightedTable([['amiable', 4], ['sharer', 2], ['complainer', 2], ['irritable', 1]] as [string, number][])));
  }
  if (random.chance(important ? 0.5 : 0.03)) {
    // Half follow the tag's 90-day default; the rest were given a shorter follow-up window.
    add('vip_care', 'yes', random.chance(0.5) ? daysFrom(now, random.int(14, 60)) : undefined);
  }
  if (random.chance(0.3)) {
    const options: [string, number][] = [['phone', 1]];
    if (profile.wechat) options.push(['wechat', 4]);
    if (profile.phonePrefix !== undefined) options.push(['sms', 0.5]);
    if (profile.email !== undefined) options.push(['email', 0.5]);
    add('contact_preference', random.weighted(weightedTable(options)));
  }
  if (random.chance(0.08)) {
    const attended = drawDistinct(random, [['launch_event', 1], ['member_salon', 2], ['anniversary', 2]], random.int(1, 2));
    for (const value of attended) add('event_attendee', value, daysFrom(now, random.int(30, 365)));
  }
  if (assignments.length === 0) add('personality', 'amiable');
  return assignments;
}
