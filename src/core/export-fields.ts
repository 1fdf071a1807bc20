// The customers' fields an export of members may add as columns (`fields=birthday,email,鞋码`):
// the built-in fields and identities its fixed columns leave out, and the workspace's custom
// fields. Headed by name, each column bears a name the importer reads as that field, so that the
// file can be edited and imported again.
import type { LocalizedText } from './locale.js';

/**
 * The built-in fields and identities an export writes only when asked, in this order. `phone`
 * and the fields of the fixed columns (name, type, gender, city, member level) are not among them.
 */
export const EXPORT_FIELD_NAMES = {
  birthday: { en: 'Birthday', 'zh-CN': '生日' },
  region: { en: 'Region', 'zh-CN': '地区' },
  occupation: { en: 'Occupation', 'zh-CN': '职业' },
  source_channel: { en: 'Source channel', 'zh-CN': '来源渠道' },
  first_seen_at: { en: 'First seen at', 'zh-CN': '注册时间' },
  email: { en: 'Email', 'zh-CN': '邮箱' },
  wechat_unionid: { en: 'WeChat UnionID', 'zh-CN': '微信 UnionID' },
  wechat_openid: { en: 'WeChat OpenID', 'zh-CN': '微信 OpenID' },
  wecom_external_userid: { en: 'WeCom external userid', 'zh-CN': '企业微信外部联系人ID' },
  platform_nick: { en: 'Platform nickname', 'zh-CN': '平台昵称' },
  member_card: { en: 'Member card', 'zh-CN': '会员卡号' },
} as const satisfies Record<string, LocalizedText>;

export type ExportFieldKey = keyof typeof EXPORT_FIELD_NAMES;
export const EXPORT_FIELD_KEYS = Object.keys(EXPORT_FIELD_NAMES) as ExportFieldKey[];

/** The fields a member row always has a column of, which `fields=` does not name again. */
export const FIXED_MEMBER_FIELDS = ['id', 'name', 'type', 'gender', 'city', 'member_level', 'phone', 'tags', 'random_bucket', 'has_phone', 'has_email', 'has_wechat', 'has_member_card'] as const;

export function isExportField(key: string): key is ExportFieldKey {
  return Object.hasOwn(EXPORT_FIELD_NAMES, key);
}
