import type { MessageKey } from '../../app/utils/messages';
import type { ImportKind } from '../../../../../src/core/import-columns';

type Translate = (key: MessageKey) => string;

/** The importer's columns with a name in the console's words, by kind (an event's `id` and `type` are not a customer's). */
const NAMES: Record<ImportKind, Readonly<Record<string, MessageKey>>> = {
  customers: {
    id: 'field.id', name: 'field.name', type: 'field.type', gender: 'field.gender', birthday: 'field.birthday', city: 'field.city', region: 'field.region',
    occupation: 'field.occupation', member_level: 'field.member_level', source_channel: 'field.source_channel', first_seen_at: 'field.first_seen_at',
    phone: 'identity.phone', email: 'identity.email', wechat_unionid: 'identity.wechat_unionid', wechat_openid: 'identity.wechat_openid',
    wecom_external_userid: 'identity.wecom_external_userid', platform_nick: 'identity.platform_nick', member_card: 'identity.member_card',
  },
  events: { id: 'imports.target.eventId', customer_id: 'imports.target.customerId', type: 'imports.target.eventType', occurred_at: 'imports.target.occurredAt', properties: 'imports.target.properties' },
  assignments: { customer_id: 'imports.target.customerId', tag: 'imports.target.tag', value: 'imports.target.value', expires_at: 'imports.target.expiresAt' },
};

/**
 * One of the importer's columns as the mapping and its warnings show it: its name in the
 * console's language beside the key the help line and the command use (`生日 · birthday`);
 * a property or custom field, which has no other name, as its key.
 */
export function targetLabel(t: Translate, kind: ImportKind, target: string): string {
  const name = NAMES[kind][target];
  return name === undefined ? target : `${t(name)} · ${target}`;
}
