// Personal data written into free text (an event's properties): phone numbers, e-mail addresses
// and mainland ID card numbers found in it, and the property names that say what their value is
// (`receiver_phone`, `收货地址`), so that a role that sees identifiers masked sees these masked too.
import { maskAddress, maskIdCard, maskIdentity } from './access.js';
import { normalizeIdentity } from './customer.js';

/** What a property's name says its value is. */
export type PersonalKind = 'phone' | 'email' | 'id_card' | 'address';

/** Names in Chinese, found anywhere in a property name (`收货人手机`, `联系电话`); e-mail first, so `邮箱地址` is one. */
const CHINESE_NAMES: readonly [string, PersonalKind][] = [
  ['邮箱', 'email'],
  ['电子邮件', 'email'],
  ['手机', 'phone'],
  ['电话', 'phone'],
  ['身份证', 'id_card'],
  ['地址', 'address'],
];

/** Words of an English name, whole (`tel` names a phone, `hotel` does not). */
const PHONE_WORDS = new Set(['phone', 'phones', 'telephone', 'cellphone', 'mobile', 'mobilephone', 'tel', 'phonenumber', 'phoneno']);
const EMAIL_WORDS = new Set(['email', 'emails', 'emailaddress']);
const ADDRESS_WORDS = new Set(['address', 'addresses', 'addr']);
const ID_CARD_WORDS = new Set(['idcard', 'idcardno', 'idno']);

/**
 * The kind of personal data a property's name says its value is: `receiver_phone`,
 * `contactMobile`, `tel`, `e-mail`, `id_card_no`, `shipping_address`, `手机号`, `身份证号码`; undefined
 * for any other name.
 */
export function personalKindOfName(name: string): PersonalKind | undefined {
  for (const [text, kind] of CHINESE_NAMES) if (name.includes(text)) return kind;
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
  const pairs = words.slice(1).map((word, i) => `${words[i] ?? ''}${word}`);
  const has = (set: ReadonlySet<string>) => words.some((word) => set.has(word)) || pairs.some((pair) => set.has(pair));
  // `email_address` is an e-mail address before it is an address.
  if (has(EMAIL_WORDS)) return 'email';
  if (has(PHONE_WORDS)) return 'phone';
  if (has(ID_CARD_WORDS) || words.some((word, i) => (word === 'identity' || word === 'id') && words[i + 1] === 'card')) return 'id_card';
  if (has(ADDRESS_WORDS)) return 'address';
  return undefined;
}

/** How many digits `text` holds, in either width. */
export function digitCount(text: string): number {
  return text.match(/[0-9０-９]/gu)?.length ?? 0;
}

/**
 * A value under a name of `kind`, masked as that kind is: a phone number only where the text
 * holds five digits or more, as the shortest number does (`mobile_os: "iOS"` is none).
 */
export function maskPersonalValue(kind: PersonalKind, text: string): string {
  if (text.trim() === '') return text;
  switch (kind) {
    case 'phone':
      if (digitCount(text) < 5) return text;
      return maskIdentity('phone', normalizeIdentity('phone', text) ?? text.trim());
    case 'email':
      return maskIdentity('email', normalizeIdentity('email', text) ?? text.trim());
    case 'id_card':
      return maskIdCard(text);
    case 'address':
      return maskAddress(text);
    default: {
      const unreachable: never = kind;
      return unreachable;
    }
  }
}

const D = '[0-9]';
// Bounded as RFC 5321 bounds them, so that a long run of letters is not read again from each of its places.
const EMAIL = '[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\\.[A-Za-z0-9-]{1,63})*\\.[A-Za-z]{2,63}';
const ID_CARD = `[1-9]${D}{5}(?:18|19|20)${D}{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]${D}|3[01])${D}{3}[0-9Xx]`;
// A mainland mobile number, its digits grouped by spaces or dashes or not, with +86, 0086 or 86 before it or not.
const MOBILE = `(?:(?:\\+|00)?86[ -]?|\\(\\+?86\\)[ -]?)?1[3-9]${D}(?:[ -]?${D}){8}`;
// Another country's number in its + form, grouped as it may be: +852 9123 4567, +1 (415) 555-0100.
// (Not its 00 form: too many numbers begin with 00 that are none.)
const INTERNATIONAL = `\\+[1-9]${D}{0,2}(?:[ -]?\\(?${D}+\\)?){1,6}`;
// A mainland landline with its area code set apart: 0571-88886666, (021) 5566 7788.
const LANDLINE = `(?:0[1-9]${D}{1,2}[ -]|\\(0[1-9]${D}{1,2}\\)[ -]?)${D}{3,4}[ -]?${D}{4}`;
const FOUND = new RegExp(`(?<email>${EMAIL})|(?<!${D})(?:(?<id>${ID_CARD})|(?<phone>${MOBILE}|${INTERNATIONAL}|${LANDLINE}))(?!${D})`, 'g');

/** ISO 7064 MOD 11-2, the check character that ends an ID card number. */
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECKS = '10X98765432';

/**
 * Whether 18 characters are a mainland ID card number: a birth date in its place and a check
 * character that fits, so that an order number of 18 digits is not taken for one.
 */
export function isIdCardNumber(text: string): boolean {
  const id = text.normalize('NFKC').toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  const year = Number(id.slice(6, 10));
  const month = Number(id.slice(10, 12));
  const day = Number(id.slice(12, 14));
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return false;
  const sum = ID_WEIGHTS.reduce((total, weight, i) => total + weight * Number(id[i]), 0);
  return ID_CHECKS[sum % 11] === id[17];
}

/**
 * `text` with every phone number, e-mail address and ID card number in it masked as identifiers
 * are (`请联系 138****5678`); the rest as written.
 */
export function maskPersonalDataInText(text: string): string {
  // Most property values hold no digit and no @: nothing to look for.
  if (!/[0-9０-９@]/u.test(text)) return text;
  // Digits typed with a Chinese input method in full-width mode (１３８…) are looked for as
  // digits; each is one UTF-16 unit as its ASCII digit is, so places in one are places in the other.
  const folded = text.replace(/[０-９]/g, (digit) => String.fromCharCode(digit.charCodeAt(0) - 0xfee0));
  let masked = '';
  let from = 0;
  for (const match of folded.matchAll(FOUND)) {
    const found = text.slice(match.index, match.index + match[0].length);
    masked += text.slice(from, match.index) + maskFound(found, match.groups ?? {});
    from = match.index + match[0].length;
  }
  return from === 0 ? text : masked + text.slice(from);
}

/** A phone number, e-mail address or ID card number `FOUND` found, masked; as written when it proves none. */
function maskFound(found: string, groups: Record<string, string | undefined>): string {
  if (groups.email !== undefined) return maskIdentity('email', normalizeIdentity('email', found) ?? found);
  if (groups.id !== undefined) return isIdCardNumber(found) ? maskIdCard(found.normalize('NFKC')) : found;
  const normal = normalizeIdentity('phone', found);
  // A + form shorter than a phone number (`+5 10`) is no phone.
  return normal === undefined || normal.replace(/\D/g, '').length < 7 ? found : maskIdentity('phone', normal);
}
