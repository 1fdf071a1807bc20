// Access by role (DOMAIN: "access by role, masking of phone numbers and the like"): who may
// read, write, export and administer, and how personal identifiers look to those who may not
// see them whole.
import { normalizeIdentity, type IdentityKind } from './customer.js';

export const ROLES = ['admin', 'operator', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/**
 * `read`: everything that only looks (lists, portraits, counts, previews). `write`: changing
 * customers, tags, segments, metrics and models, importing, pushing events. `export`: segment
 * and customer downloads. `admin`: what touches people's rights or the whole installation —
 * erasure and its log, the export log, the audit trail, webhooks, new workspaces — and seeing
 * identifiers whole.
 */
export const PERMISSIONS = ['read', 'write', 'export', 'admin'] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: ['read', 'write', 'export', 'admin'],
  operator: ['read', 'write', 'export'],
  viewer: ['read'],
};

/**
 * A role as a message names it mid-sentence ("The viewer role may not change data.", 「只读」角色不能修改数据。):
 * in English the role's own lower-case name, as `--role` and the docs write it.
 */
export const ROLE_LABELS: Record<Role, { en: string; zh: string }> = {
  admin: { en: 'admin', zh: '管理员' },
  operator: { en: 'operator', zh: '运营' },
  viewer: { en: 'viewer', zh: '只读' },
};

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function roleAllows(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

/**
 * How many rows of a list of customers (a segment's members, an expression's preview, the
 * customer list) a role without the `export` permission may read: the first pages, to see who
 * is in it. Paging on through all of them would be an export by another name, kept off the
 * export log; counts, insight and the portraits of customers found by search stay open.
 */
export const MAX_BROWSED_ROWS = 100;

/** Whether `role` may read the rows of a list from `offset` to `offset + limit`. */
export function mayBrowseRows(role: Role, offset: number, limit: number): boolean {
  return roleAllows(role, 'export') || offset + limit <= MAX_BROWSED_ROWS;
}

/** How personal identifiers are shown: whole to administrators, masked to everyone else. */
export type PersonalDataView = 'full' | 'masked';

export function personalDataViewOf(role: Role): PersonalDataView {
  return roleAllows(role, 'admin') ? 'full' : 'masked';
}

/**
 * Keeps `start` characters and `end` characters and writes four stars for the rest, however
 * many they are: the length of an identifier is itself a clue to it (a nickname's, a card's).
 */
function keepEnds(value: string, start: number, end: number): string {
  const chars = Array.from(value);
  // Short values would be shown nearly whole by the usual rule: keep less of them.
  if (chars.length <= start + end + 1) {
    const keep = Math.floor(chars.length / 3);
    return chars.slice(0, keep).join('') + '****';
  }
  return chars.slice(0, start).join('') + '****' + chars.slice(chars.length - end).join('');
}

/**
 * A personal identifier as someone without the `admin` permission sees it: enough to tell two
 * customers apart and to read it out on the phone ("the one ending 5678"), not enough to
 * contact the person. Phone numbers as China shows them (138****5678).
 */
export function maskIdentity(kind: IdentityKind, value: string): string {
  switch (kind) {
    case 'phone':
      // Stored numbers are national digits (+86 is dropped when they are stored) or another
      // country's with its plus; that plus and country code stay readable.
      return keepEnds(value, value.startsWith('+') ? 4 : 3, 4);
    case 'email': {
      const at = value.lastIndexOf('@');
      if (at <= 0) return keepEnds(value, 1, 0);
      return `${Array.from(value.slice(0, at))[0] ?? ''}***${value.slice(at)}`;
    }
    case 'wechat_unionid':
    case 'wechat_openid':
    case 'wecom_external_userid':
      return keepEnds(value, 4, 4);
    case 'platform_nick':
      return keepEnds(value, 1, 0);
    case 'member_card':
      return keepEnds(value, 0, 4);
    default: {
      const unreachable: never = kind;
      return unreachable;
    }
  }
}

/**
 * A mainland resident ID card number (居民身份证号) as someone without the `admin` permission
 * sees it: the first four digits (the province and city it was issued in) and the last four,
 * as identifiers are (`3301****123X`); the birth date between is hidden.
 */
export function maskIdCard(value: string): string {
  return keepEnds(value.trim(), 4, 4);
}

/**
 * A postal address as someone without the `admin` permission sees it: its first six characters
 * (the province and city, or the city and district: `浙江省杭州市****`), never the street or door.
 */
export function maskAddress(value: string): string {
  return keepEnds(value.trim(), 6, 0);
}

/**
 * Whether an identifier is one `maskIdentity` wrote (an export for a role that masks them, edited
 * and imported again): four stars where the rest was (`138****5678`, `****1234`), or an e-mail's
 * first character, three stars and its domain (`z***@example.com`). No identifier of a customer
 * is written so; importing one would take the mask for the customer's own.
 */
export function isMaskedIdentity(kind: IdentityKind, value: string): boolean {
  const text = value.trim();
  if (kind === 'email' && /^[^@\s]\*\*\*@[^@\s]+$/u.test(text)) return true;
  return text.includes('****');
}

/**
 * An identity as a caller names one of a customer's: written as stored values are
 * (`+86 138-0013-8000` is `13800138000`), or in the masked form a role that sees identifiers
 * masked is shown (`138****5678`), kept as it is. Undefined when it can be no identity of the kind.
 */
export function namedIdentity(kind: IdentityKind, raw: string): { value: string; masked: boolean } | undefined {
  if (isMaskedIdentity(kind, raw)) return { value: raw.trim(), masked: true };
  const value = normalizeIdentity(kind, raw);
  return value === undefined ? undefined : { value, masked: false };
}
