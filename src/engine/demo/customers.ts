// A demo customer record: name, fields and identities. Identities are built from the
// customer's number through bijections, so they are unique across the store by
// construction rather than by keeping every value seen.
import type { Faker } from '@faker-js/faker';
import type { CustomerInput, Identity } from '../../core/customer.js';
import { drawCompanyName, drawInstitutionName } from './geography.js';
import { type CustomerProfile, STREAM } from './profile.js';
import { Random, mixSeed, permute, randomBase62, toBase62 } from './random.js';

/** Per-store constants that make one seed's identities look unlike another's. */
export interface IdentityKeys {
  phoneOffset: number;
  qqOffset: number;
  cardOffset: number;
  unionidOffset: number;
  /** WeChat unionids of one open-platform account share a prefix. */
  unionidPrefix: string;
}

export function drawIdentityKeys(seed: number): IdentityKeys {
  const random = new Random(mixSeed(seed, 0x1d));
  return {
    phoneOffset: random.int(0, 99_999_999),
    qqOffset: random.int(0, 899_999_999),
    cardOffset: random.int(0, 99_999_999),
    unionidOffset: random.int(0, 2_000_000_000),
    unionidPrefix: `o${randomBase62(random, 4)}`,
  };
}

/** Multipliers coprime to their moduli (odd and not divisible by 5), so `permute` is a bijection. */
const PHONE_MULTIPLIER = 36_870_013;
const QQ_MULTIPLIER = 573_259_391;
const CARD_MULTIPLIER = 48_271_009;
const UNIONID_MULTIPLIER = 2_654_435_761;
const UNIONID_SPACE = 62 ** 6;

/** Lower-case ASCII letters and digits of a faker user name, for an email's local part. */
function cleanUserName(raw: string): string {
  const cleaned = raw.toLowerCase().replace(/[^a-z0-9.]/g, '').replace(/^\.+|\.+$/g, '');
  return cleaned.length > 0 ? cleaned.slice(0, 20) : 'user';
}

export function buildCustomer(seed: number, profile: CustomerProfile, faker: Faker, keys: IdentityKeys): CustomerInput {
  const random = new Random(mixSeed(seed, STREAM.fields, profile.index));
  const number = profile.index + 1;
  let name: string;
  if (profile.type === 'company') name = drawCompanyName(random, profile.city);
  else if (profile.type === 'government') name = drawInstitutionName(random, profile.city);
  else name = `${faker.person.lastName()}${faker.person.firstName(profile.gender === 'male' ? 'male' : 'female')}`;

  const identities: Identity[] = [];
  if (profile.phonePrefix !== undefined) {
    // The last eight digits alone are unique per customer, whatever the prefix.
    const line = permute(profile.index, 100_000_000, PHONE_MULTIPLIER, keys.phoneOffset);
    identities.push({ kind: 'phone', value: `${profile.phonePrefix}${String(line).padStart(8, '0')}` });
  }
  if (profile.email === 'qq') {
    const qq = 100_000_000 + permute(profile.index, 900_000_000, QQ_MULTIPLIER, keys.qqOffset);
    identities.push({ kind: 'email', value: `${qq}@qq.com` });
  } else if (profile.email === 'named') {
    // The number after the last underscore is the customer's, which keeps the address unique.
    identities.push({ kind: 'email', value: `${cleanUserName(faker.internet.username())}_${number}@${profile.emailDomain}` });
  }
  if (profile.wechat) {
    const unique = toBase62(permute(profile.index, UNIONID_SPACE, UNIONID_MULTIPLIER, keys.unionidOffset), 6);
    identities.push({ kind: 'wechat_unionid', value: `${keys.unionidPrefix}${randomBase62(random, 17)}${unique}` });
  }
  if (profile.platformNick) {
    identities.push({ kind: 'platform_nick', value: `${faker.word.adjective()}的${faker.animal.type()}_${number}` });
  }
  if (profile.memberLevel !== undefined) {
    const card = permute(profile.index, 100_000_000, CARD_MULTIPLIER, keys.cardOffset);
    identities.push({ kind: 'member_card', value: `8860${String(card).padStart(8, '0')}` });
  }

  const customer: CustomerInput = {
    id: profile.id,
    name,
    type: profile.type,
    city: profile.city.name,
    region: profile.city.region,
    source_channel: profile.sourceChannel,
    first_seen_at: new Date(profile.firstSeenAt).toISOString(),
    identities,
  };
  if (profile.type === 'individual') {
    customer.gender = profile.gender;
    if (profile.birthday !== undefined) customer.birthday = profile.birthday;
    if (profile.occupation !== undefined) customer.occupation = profile.occupation;
  }
  if (profile.memberLevel !== undefined) customer.member_level = profile.memberLevel;
  return customer;
}
