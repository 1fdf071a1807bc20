// The built-in fields tagbase computes rather than stores, with their names: kept apart from
// customer.ts so that the console, which reads their names to leave them out of an import, takes
// none of the validation that comes with it.
import { localized, type LocalizedText } from './locale.js';

/**
 * Built-in fields tagbase computes (see src/core/random-bucket.ts, and REACHABILITY_KINDS in customer.ts): read
 * like the others, in expressions, sorting and the customer's JSON, but never written by the API
 * or an import.
 */
export const COMPUTED_FIELDS = {
  random_bucket: 'number',
  has_phone: 'boolean',
  has_email: 'boolean',
  has_wechat: 'boolean',
  has_member_card: 'boolean',
} as const;
export type ComputedFieldKey = keyof typeof COMPUTED_FIELDS;
/** Each computed field's name in each language, as the console's builder and exports headed by name say it. */
export const COMPUTED_FIELD_LABELS: Record<ComputedFieldKey, LocalizedText> = {
  random_bucket: localized('Random bucket', '随机分组号'),
  has_phone: localized('Has phone', '有手机号'),
  has_email: localized('Has e-mail', '有邮箱'),
  has_wechat: localized('Has WeChat', '有微信'),
  has_member_card: localized('Has member card', '有会员卡号'),
};
/** What the catalog and messages call each computed field: its Chinese name. */
export const COMPUTED_FIELD_NAMES = Object.fromEntries(Object.entries(COMPUTED_FIELD_LABELS).map(([key, label]) => [key, label['zh-CN']])) as Record<ComputedFieldKey, string>;

export function isComputedField(key: string): key is ComputedFieldKey {
  return Object.hasOwn(COMPUTED_FIELDS, key);
}
