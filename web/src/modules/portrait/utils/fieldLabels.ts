// Built-in fields, identity kinds and enumerated values in the reader's language; anything the
// dictionary does not name (a custom field, a new identity kind) is shown by its key.
import { zhCN, type MessageKey } from '../../app/utils/messages';
import type { SessionState } from '../../app/utils/sessionContext';

type Translate = SessionState['t'];

function known(key: string): key is MessageKey {
  return key in zhCN;
}

export function fieldLabel(t: Translate, field: string): string {
  const key = `field.${field}`;
  return known(key) ? t(key) : field;
}

export function identityLabel(t: Translate, kind: string): string {
  const key = `identity.${kind}`;
  return known(key) ? t(key) : kind;
}

export function fieldValue(t: Translate, field: string, value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  const key = `field.${field}.${value}`;
  return known(key) ? t(key) : value;
}

/** An identity kind as a sentence names it (移除手机号 …, Remove phone number …); its key when the dictionary has none. */
export function identityNoun(t: Translate, kind: string): string {
  const key = `identityNoun.${kind}`;
  return known(key) ? t(key) : kind;
}
