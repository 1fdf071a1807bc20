// An event's properties as a role that sees identifiers masked reads them: the personal data
// written into them is masked as the customer's identifiers are in the portrait's identities,
// so that an event does not show whole what the identities hide. A metric that picks one of a
// property's values (the last `receiver_phone`) shows it masked by the same rules.
import { maskIdentity } from './access.js';
import { normalizeIdentity, type Identity } from './customer.js';
import type { MetricDefinition, MetricValue } from './metric.js';
import { digitCount, maskPersonalDataInText, maskPersonalValue, personalKindOfName, type PersonalKind } from './personal-text.js';

/** The mask of one of `identities` that `text` is (as its kind compares), or undefined when it is none of them. */
function ownIdentityMasks(identities: readonly Identity[]): (text: string) => string | undefined {
  if (identities.length === 0) return () => undefined;
  // Stored identities are normalised already: a text is compared in each kind's normal form.
  const byKind = new Map<Identity['kind'], Map<string, string>>();
  for (const identity of identities) byKind.set(identity.kind, (byKind.get(identity.kind) ?? new Map<string, string>()).set(identity.value, maskIdentity(identity.kind, identity.value)));
  return (text) => {
    for (const [kind, masks] of byKind) {
      const normal = normalizeIdentity(kind, text);
      const mask = normal === undefined ? undefined : masks.get(normal);
      if (mask !== undefined) return mask;
    }
    return undefined;
  };
}

/**
 * One text or number found in an event's properties, under a name that says it is `named` (or
 * none), as a role that sees identifiers masked reads it: in the event's properties and as a
 * metric's value alike.
 */
function maskPersonalScalar<T extends string | number | bigint>(value: T, named: PersonalKind | undefined, ownMask: (text: string) => string | undefined): T | string {
  const text = String(value);
  if (typeof value !== 'string' && digitCount(text) < 5) return value;
  const masked = named === undefined ? (ownMask(text) ?? maskPersonalDataInText(text)) : maskPersonalValue(named, text);
  return masked === text ? value : masked;
}

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
  const ownMask = ownIdentityMasks(identities);
  const walk = (value: unknown, named: PersonalKind | undefined): unknown => {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') return maskPersonalScalar(value, named, ownMask);
    if (Array.isArray(value)) return value.map((item) => walk(item, named));
    if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, walk(inner, personalKindOfName(key) ?? named)]));
    return value;
  };
  return walk(properties, undefined) as Record<string, unknown>;
}

/**
 * The property a metric's value is one of the values of, and what its name says that is: a
 * `first`, `last`, `most_frequent`, `min` or `max` of a property (`receiver_phone`,
 * `items[].收货地址`, the item's name before the list's as in an event's properties); also a `sum`
 * or `avg` of a property whose name says it is personal data, since the sum or mean of one phone
 * number sent as a JSON number (or of the same one sent twice) is that number. Undefined for a
 * metric that computes its value otherwise (a count, a sum or average of anything else, a ratio,
 * days between) or reads the event's own attributes (`@time`, `@hour_band`): no personal data
 * comes through those.
 */
export function metricPickedProperty(definition: MetricDefinition): { property: string; named: PersonalKind | undefined } | undefined {
  const formula = definition.formula;
  if (formula.kind !== 'aggregate' || formula.property === undefined) return undefined;
  const picks = ['first', 'last', 'most_frequent', 'min', 'max'].includes(formula.aggregation);
  if (!picks && !['sum', 'avg'].includes(formula.aggregation)) return undefined;
  const names = formula.property.split('[].');
  if (names.some((name) => name.startsWith('@'))) return undefined;
  const named = names.reduceRight<PersonalKind | undefined>((found, name) => found ?? personalKindOfName(name), undefined);
  if (!picks && named === undefined) return undefined;
  return { property: formula.property, named };
}

/**
 * A metric's value as a role that sees identifiers masked reads it: a value picked from a
 * property (`metricPickedProperty`) is masked as that property is in an event's properties
 * (`maskPersonalDataIn`, with the customer's `identities`); every other value (counts, sums,
 * times) as it is.
 */
export function maskPersonalMetricValue(definition: MetricDefinition, value: MetricValue, identities: readonly Identity[]): MetricValue {
  if (value === null) return value;
  const picked = metricPickedProperty(definition);
  if (picked === undefined) return value;
  return maskPersonalScalar(value, picked.named, picked.named === undefined ? ownIdentityMasks(identities) : () => undefined);
}
