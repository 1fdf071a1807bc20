// An event's properties as a role that sees identifiers masked reads them: the personal data
// written into them is masked as the customer's identifiers are in the portrait's identities,
// so that an event does not show whole what the identities hide.
import { maskIdentity } from './access.js';
import { normalizeIdentity, type Identity } from './customer.js';
import { digitCount, maskPersonalDataInText, maskPersonalValue, personalKindOfName, type PersonalKind } from './personal-text.js';

/**
 * `properties` with their personal data masked, in nested objects and lists too:
 * - a value under a name that says what it is (`receiver_phone`, `email`, `id_card`, `address`,
 *   `手机`, `电话`, `邮箱`, `身份证`, `地址`; an object or list under it inherits the name), as that kind is masked;
 * - text equal (as its kind compares) to one of `identities`, the customer's own, as that identity is;
 * - phone numbers, e-mail addresses and ID card numbers anywhere in other text.
 * Numbers are read as their text: a phone number sent as a number is masked as text. A number of
 * fewer than five digits (`phone_calls: 3`, `address_count: 2`) is no personal data, whatever its name.
 */
export function maskPersonalDataIn(properties: Record<string, unknown>, identities: readonly Identity[]): Record<string, unknown> {
  // Stored identities are normalised already: a text is compared in each kind's normal form.
  const byKind = new Map<Identity['kind'], Map<string, string>>();
  for (const identity of identities) byKind.set(identity.kind, (byKind.get(identity.kind) ?? new Map<string, string>()).set(identity.value, maskIdentity(identity.kind, identity.value)));
  const ownMask = (text: string): string | undefined => {
    for (const [kind, masks] of byKind) {
      const normal = normalizeIdentity(kind, text);
      const mask = normal === undefined ? undefined : masks.get(normal);
      if (mask !== undefined) return mask;
    }
    return undefined;
  };
  const walk = (value: unknown, named: PersonalKind | undefined): unknown => {
    if (typeof value === 'string') return named === undefined ? (ownMask(value) ?? maskPersonalDataInText(value)) : maskPersonalValue(named, value);
    if (typeof value === 'number' || typeof value === 'bigint') {
      const text = String(value);
      if (digitCount(text) < 5) return value;
      const masked = named === undefined ? (ownMask(text) ?? maskPersonalDataInText(text)) : maskPersonalValue(named, text);
      return masked === text ? value : masked;
    }
    if (Array.isArray(value)) return value.map((item) => walk(item, named));
    if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, walk(inner, personalKindOfName(key) ?? named)]));
    return value;
  };
  return walk(properties, undefined) as Record<string, unknown>;
}
