// Customers: the merchant's own id, identities that find the same person across
// channels, built-in fields, and custom fields declared by the merchant.
import { z } from 'zod';
import { localized, type LocalizedText } from './locale.js';
import { storedTimeText, tooEarlyTimeMessage } from './validation.js';
import { EARLIEST_DATE, MAX_TIME_LEAD_MS, TIME_AHEAD_MESSAGE, isBeforeEarliestDate, isBeforeEarliestTime, isValidDate, parseWorkspaceTime, workspaceTimeNote, writtenYear } from './time.js';
import type { ErrorCode } from './errors.js';

/** What a birthday and a custom date field say of a cell that is no date (`isDateRefusal`). */
const BIRTHDAY_REFUSAL = 'a date like 1990-05-17';
const CUSTOM_DATE_REFUSAL = localized('a date like 2026-05-17', '形如 2026-05-17 的日期');

/**
 * Whether a refusal of a field is that its cell is no date, a custom field's as the check words it
 * (`expects a date like 2026-05-17; got "…"`): the importer then quotes the cell instead.
 */
export function isDateRefusal(message: string): boolean {
  return message === BIRTHDAY_REFUSAL || message.startsWith(`expects ${CUSTOM_DATE_REFUSAL.en}`);
}

export const CUSTOMER_TYPES = ['individual', 'company', 'government'] as const;
export type CustomerType = (typeof CUSTOMER_TYPES)[number];
export const CUSTOMER_TYPE_LABELS: Record<CustomerType, string> = { individual: '个人', company: '企业', government: '政府' };

export const GENDERS = ['male', 'female', 'unknown'] as const;
export type Gender = (typeof GENDERS)[number];
export const GENDER_LABELS: Record<Gender, string> = { male: '男', female: '女', unknown: '未知' };

/**
 * The words the console shows for a customer's type and gender in English (`Individual`, `Female`,
 * its catalogue's `field.type.*` and `field.gender.*`): a file headed in English writes them, and an
 * import reads them in any case, as it reads the Chinese labels above.
 */
export const CUSTOMER_TYPE_LABELS_EN: Record<CustomerType, string> = { individual: 'Individual', company: 'Company', government: 'Government' };
export const GENDER_LABELS_EN: Record<Gender, string> = { male: 'Male', female: 'Female', unknown: 'Unknown' };

/**
 * `wecom_external_userid` is the id WeCom (企业微信) gives a customer added by one of the shop's
 * staff (`external_userid`, `wm…`): kept and masked as a WeChat OpenID is.
 */
export const IDENTITY_KINDS = ['phone', 'email', 'wechat_unionid', 'wechat_openid', 'wecom_external_userid', 'platform_nick', 'member_card'] as const;
export type IdentityKind = (typeof IDENTITY_KINDS)[number];
/** What each identity is called in Chinese messages, as the console names it. */
export const IDENTITY_KIND_LABELS: Record<IdentityKind, string> = {
  phone: '手机号',
  email: '邮箱',
  wechat_unionid: '微信 UnionID',
  wechat_openid: '微信 OpenID',
  wecom_external_userid: '企业微信外部联系人ID',
  platform_nick: '平台昵称',
  member_card: '会员卡号',
};

/** Built-in fields, each with the type the expression language and the index see. */
export const BUILTIN_FIELDS = {
  name: 'string',
  type: 'enum',
  gender: 'enum',
  birthday: 'date',
  city: 'string',
  region: 'string',
  occupation: 'string',
  member_level: 'string',
  source_channel: 'string',
  first_seen_at: 'timestamp',
} as const;
export type BuiltinFieldKey = keyof typeof BUILTIN_FIELDS;
export const BUILTIN_FIELD_KEYS = Object.keys(BUILTIN_FIELDS) as BuiltinFieldKey[];

export { COMPUTED_FIELDS, COMPUTED_FIELD_LABELS, COMPUTED_FIELD_NAMES, isComputedField, type ComputedFieldKey } from './computed-fields.js';

/**
 * The reachability fields (可触达): whether the customer can be sent a message on a channel,
 * true when they hold at least one identity of the channel's kinds and false otherwise, never
 * missing. `platform_nick` has none: a marketplace nickname reaches no one. Nor has
 * `wecom_external_userid`: a WeCom contact is written to from the staff member's WeCom, not by
 * the shop's WeChat messages `has_wechat` stands for.
 */
export const REACHABILITY_KINDS = {
  has_phone: ['phone'],
  has_email: ['email'],
  has_wechat: ['wechat_unionid', 'wechat_openid'],
  has_member_card: ['member_card'],
} as const satisfies Record<string, readonly IdentityKind[]>;
export type ReachabilityField = keyof typeof REACHABILITY_KINDS;
export const REACHABILITY_FIELDS = Object.keys(REACHABILITY_KINDS) as ReachabilityField[];

export function isReachabilityField(key: string): key is ReachabilityField {
  return Object.hasOwn(REACHABILITY_KINDS, key);
}

/**
 * The reachability fields as bits (bit i for REACHABILITY_FIELDS[i]) of a customer holding
 * identities of these kinds: what the index keeps per customer.
 */
export function reachabilityBits(kinds: Iterable<string>): number {
  let bits = 0;
  for (const kind of kinds) REACHABILITY_FIELDS.forEach((field, i) => {
    if ((REACHABILITY_KINDS[field] as readonly string[]).includes(kind)) bits |= 1 << i;
  });
  return bits;
}

/** The reachability fields of a customer holding identities of these kinds. */
export function reachabilityValues(kinds: Iterable<string>): Record<ReachabilityField, boolean> {
  const bits = reachabilityBits(kinds);
  return Object.fromEntries(REACHABILITY_FIELDS.map((field, i) => [field, (bits & (1 << i)) !== 0])) as Record<ReachabilityField, boolean>;
}

export const CUSTOM_FIELD_TYPES = ['string', 'number', 'boolean', 'date', 'enum'] as const;
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];

export interface CustomFieldDefinition {
  key: string;
  name: string;
  type: CustomFieldType;
  /** Allowed values, for enum fields only. */
  options: string[];
}

export type CustomFieldValue = string | number | boolean | null;

export interface Identity {
  kind: IdentityKind;
  value: string;
}

/** A customer as the API and import accept it: everything but the id is optional, `null` clears. */
export interface CustomerInput {
  id: string;
  name?: string | null;
  type?: CustomerType | null;
  gender?: Gender | null;
  birthday?: string | null;
  city?: string | null;
  region?: string | null;
  occupation?: string | null;
  member_level?: string | null;
  source_channel?: string | null;
  first_seen_at?: string | null;
  identities?: Identity[];
  custom?: Record<string, CustomFieldValue>;
}

export const CUSTOMER_ID_PATTERN = /^[^\s\p{Cc}]{1,128}$/u;

/** A value of a built-in enum field, its Chinese label (男 for male) or its English word in any case (Male); a refusal names the values and the Chinese labels. */
function aliasEnum<T extends string>(values: readonly T[], labels: Record<T, string>, englishLabels: Record<T, string>) {
  // An English word in any case (Female, FEMALE), as a key is read (female, FEMALE).
  const byLabel = new Map<string, T>(values.flatMap((value) => [[labels[value], value] as const, [englishLabels[value].toLowerCase(), value] as const]));
  const refusal = `one of ${values.join(', ')} (or ${values.map((value) => labels[value]).join(', ')})`;
  return z.preprocess(
    (input) => (typeof input === 'string' ? (byLabel.get(input.trim()) ?? byLabel.get(input.trim().toLowerCase()) ?? input.trim().toLowerCase()) : input),
    z.enum(values as unknown as [T, ...T[]], { error: refusal }),
  );
}

/** What a custom field's value may be, whatever its type (its declaration then narrows it). */
const CUSTOM_VALUE_KINDS = 'a custom field holds text, a number, true or false, or null';

/**
 * A built-in text field: text, or nothing (`null`). Empty text, or spaces alone, is nothing too,
 * as it is in a custom text field (`storedCustomValue`): a CRM that writes an empty field as `""`
 * clears it rather than being refused.
 */
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((text) => (text === '' ? null : text))
    .nullable()
    .optional();

export const identitySchema = z.strictObject({
  kind: z.enum(IDENTITY_KINDS),
  value: z.string().trim().min(1).max(256),
});

const A_BIRTHDAY = localized('a birthday', '生日');
const A_DATE = localized('a date', '日期');

/**
 * Why a date a customer holds (a birthday, a custom date field) is before `EARLIEST_DATE`, naming
 * the year as written, as a time before 1970 is refused (`tooEarlyTimeMessage`).
 */
export function tooEarlyDateText(text: string, what: LocalizedText = A_DATE): LocalizedText {
  const year = text.trim().slice(0, 4);
  const earliest = writtenYear(EARLIEST_DATE);
  return localized(`year ${year} is before ${earliest}: ${what.en} is ${EARLIEST_DATE} or later`, `年份 ${year} 早于 ${earliest} 年：${what['zh-CN']}须在 ${EARLIEST_DATE} 或之后`);
}

/** A birthday: a date, not before 1900 (its Chinese refusal is in src/core/validation.ts). */
function birthdayText() {
  return z
    .string()
    .refine((text) => isValidDate(text) || isBeforeEarliestDate(text), BIRTHDAY_REFUSAL)
    .refine((text) => !isBeforeEarliestDate(text), { error: (issue) => tooEarlyDateText(String(issue.input), A_BIRTHDAY).en });
}

/**
 * The latest birthday taken at `now`: tomorrow's date in UTC, whatever the sender's zone (a
 * birthday to come is a typo).
 */
export function latestBirthday(now: number): string {
  return new Date(now + 86_400_000).toISOString().slice(0, 10);
}

/**
 * A customer as sent, without what depends on the clock: the document's schema, and the shape of
 * each part. Items are checked with `customerInputSchemaAt`.
 */
export const customerInputSchema = z.strictObject({
  id: z.string().regex(CUSTOMER_ID_PATTERN, 'a customer id is 1-128 characters without spaces or control characters'),
  name: optionalText(128),
  type: aliasEnum(CUSTOMER_TYPES, CUSTOMER_TYPE_LABELS, CUSTOMER_TYPE_LABELS_EN).nullable().optional(),
  gender: aliasEnum(GENDERS, GENDER_LABELS, GENDER_LABELS_EN).nullable().optional(),
  birthday: birthdayText().nullable().optional(),
  city: optionalText(64),
  region: optionalText(64),
  occupation: optionalText(64),
  member_level: optionalText(64),
  source_channel: optionalText(64),
  first_seen_at: storedTimeText().describe(`When the customer was first seen: ${workspaceTimeNote()}`).nullable().optional(),
  identities: z.array(identitySchema).max(32).optional(),
  // zod says "Invalid input" of a value none of these (an object, a list): say what a value may be.
  custom: z
    .record(z.string(), z.union([z.string().max(1024), z.number(), z.boolean(), z.null()], { error: (issue) => (issue.code === 'invalid_union' ? CUSTOM_VALUE_KINDS : undefined) }))
    .optional(),
}) satisfies z.ZodType<CustomerInput>;

/**
 * `customerInputSchema` for items received at `now` in a workspace `utcOffsetMinutes` east of UTC:
 * a birthday is not in the future either, nor is the first time the customer was seen more than a
 * day ahead (as an event's time is not), nor before `EARLIEST_TIME` as the workspace's clock reads it.
 * `clock`, where given, is read at each check of `first_seen_at`: a schema made once for the day
 * then measures "a day ahead" from the time of the batch it checks, not from the day's first.
 */
export function customerInputSchemaAt(now: number, utcOffsetMinutes: number, clock: () => number = () => now) {
  const latest = latestBirthday(now);
  const birthday = birthdayText().refine((text) => !isValidDate(text) || text <= latest, 'a birthday is not in the future');
  const firstSeenAt = storedTimeText()
    // 1970-01-01 is 1969-12-31T16:00Z at UTC+8: refused here when the written year did not refuse it already.
    .refine((text) => isBeforeEarliestTime(text) || (parseWorkspaceTime(text, utcOffsetMinutes) ?? 0) >= 0, { error: (issue) => tooEarlyTimeMessage(String(issue.input)) })
    .refine((text) => (parseWorkspaceTime(text, utcOffsetMinutes) ?? 0) <= clock() + MAX_TIME_LEAD_MS, TIME_AHEAD_MESSAGE);
  return customerInputSchema.extend({ birthday: birthday.nullable().optional(), first_seen_at: firstSeenAt.nullable().optional() }) satisfies z.ZodType<CustomerInput>;
}

/**
 * The canonical form of an identity, so that "+86 138-0013-8000" and "13800138000" are one
 * phone, "00852 9123 4567" and "+852 9123 4567" another, and emails match case-insensitively. Returns undefined when the value cannot be one.
 */
export function normalizeIdentity(kind: IdentityKind, raw: string): string | undefined {
  const value = raw.trim();
  switch (kind) {
    case 'phone': {
      // NFKC: digits typed with a Chinese input method in full-width mode (１３８…) are digits.
      let digits = value.normalize('NFKC').replace(/[\s\-()]/g, '');
      if (digits.startsWith('+86')) digits = digits.slice(3);
      else if (digits.startsWith('0086')) digits = digits.slice(4);
      // A mainland mobile number with the country code but without the plus.
      else if (/^861[3-9]\d{9}$/.test(digits)) digits = digits.slice(2);
      // 00 is the international prefix dialled from China (and most of the world): 00852… is +852….
      else if (/^00\d{5,}$/.test(digits)) digits = `+${digits.slice(2)}`;
      return /^\+?\d{5,20}$/.test(digits) ? digits : undefined;
    }
    case 'email': {
      const address = value.normalize('NFKC');
      return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(address) ? address.toLowerCase() : undefined;
    }
    case 'wechat_unionid':
    case 'wechat_openid':
    case 'wecom_external_userid':
    case 'platform_nick':
    case 'member_card':
      return value.length > 0 && value.length <= 256 ? value : undefined;
    default: {
      const unreachable: never = kind;
      return unreachable;
    }
  }
}

/**
 * A custom field's value as it is kept: a text field's empty text, or spaces alone (`"   "`, a
 * full-width space), is no value (`null`, which clears the field), as it is in a built-in text
 * field, rather than a value that looks empty and is not. Other values are kept as written.
 */
export function storedCustomValue(field: CustomFieldDefinition | undefined, value: CustomFieldValue): CustomFieldValue {
  return field?.type === 'string' && typeof value === 'string' && value.trim() === '' ? null : value;
}

/**
 * Why a custom field does not take a value, worded for the sender with the code it is refused
 * under, or undefined when it takes it: a date before 1900 is refused as a birthday is.
 */
export function customFieldProblem(field: CustomFieldDefinition, value: CustomFieldValue): { code: ErrorCode; text: LocalizedText } | undefined {
  if (field.type === 'date' && typeof value === 'string' && isBeforeEarliestDate(value)) return { code: 'VALIDATION_FAILED', text: tooEarlyDateText(value) };
  const expected = checkCustomFieldValue(field, value);
  if (expected === undefined) return undefined;
  return { code: 'FIELD_TYPE_MISMATCH', text: localized(`expects ${expected.en}; got ${JSON.stringify(value)}`, `应为${expected['zh-CN']}；收到的是 ${JSON.stringify(value)}`) };
}

/** Why a custom field value does not fit its declaration, or undefined when it does. */
export function checkCustomFieldValue(field: CustomFieldDefinition, value: CustomFieldValue): LocalizedText | undefined {
  if (value === null) return undefined;
  switch (field.type) {
    case 'string':
      return typeof value === 'string' ? undefined : localized('a string', '文本');
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : localized('a number', '数字');
    case 'boolean':
      return typeof value === 'boolean' ? undefined : localized('true or false', ' true 或 false');
    case 'date':
      return typeof value === 'string' && isValidDate(value) ? undefined : CUSTOM_DATE_REFUSAL;
    case 'enum': {
      const options = field.options.map((o) => `"${o}"`);
      return typeof value === 'string' && field.options.includes(value) ? undefined : localized(`one of ${options.join(', ')}`, `以下之一：${options.join('、')}`);
    }
    default: {
      const unreachable: never = field.type;
      return unreachable;
    }
  }
}
