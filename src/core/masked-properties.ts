// An event's properties as a role that sees identifiers masked reads them: where a property holds
// one of the customer's own identifiers (an order's contact phone, a receiver's e-mail), it is
// masked as the identifier is in the portrait's identities, so that the event does not show whole
// what the identities hide. Other text is no identifier the product knows of and is kept.
import { maskIdentity } from './access.js';
import { normalizeIdentity, type Identity } from './customer.js';

/** `properties` with every text equal (as its kind compares) to one of `identities` masked. */
export function maskIdentifiersIn(properties: Record<string, unknown>, identities: readonly Identity[]): Record<string, unknown> {
  if (identities.length === 0) return properties;
  // Stored identities are normalised already: a text is compared in each kind's normal form.
  const byKind = new Map<Identity['kind'], Map<string, string>>();
  for (const identity of identities) byKind.set(identity.kind, (byKind.get(identity.kind) ?? new Map<string, string>()).set(identity.value, maskIdentity(identity.kind, identity.value)));
  const maskedText = (text: string): string => {
    for (const [kind, masks] of byKind) {
      const normal = normalizeIdentity(kind, text);
      const mask = normal === undefined ? undefined : masks.get(normal);
      if (mask !== undefined) return mask;
    }
    return text;
  };
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') return maskedText(value);
    if (Array.isArray(value)) return value.map(walk);
    if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, walk(inner)]));
    return value;
  };
  return walk(properties) as Record<string, unknown>;
}
