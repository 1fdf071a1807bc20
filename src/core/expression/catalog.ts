// What an expression can name: the catalog the checker resolves identifiers against, and
// the lookups (key first, then display name) with the candidates for "did you mean".
import { findByKeyOrName } from '../names.js';

export const ATTRIBUTE_TYPES = ['string', 'number', 'boolean', 'date', 'timestamp', 'enum'] as const;
/** `date` values are `YYYY-MM-DD` strings; `timestamp` values are epoch milliseconds. */
export type AttributeType = (typeof ATTRIBUTE_TYPES)[number];

export interface CatalogTagValue {
  key: string;
  name: string;
  /** Position in the value order; the first value (lowest order) is the lowest. */
  order: number;
}

export interface CatalogTag {
  key: string;
  name: string;
  cardinality: 'single' | 'multi';
  ordered: boolean;
  values: CatalogTagValue[];
}

/** A customer field or a metric: one value per customer, of one type. */
export interface CatalogAttribute {
  key: string;
  name?: string;
  type: AttributeType;
  /** The allowed values of an `enum`. */
  options?: string[];
  /** Display names operators may type instead of an option (`"女"` for `female`). */
  optionLabels?: Readonly<Record<string, string>>;
}

export interface CatalogSegment {
  key: string;
  name: string;
}

export interface ExpressionCatalog {
  tags: readonly CatalogTag[];
  fields: readonly CatalogAttribute[];
  metrics: readonly CatalogAttribute[];
  segments: readonly CatalogSegment[];
  /** Tags archived, which no expression reads: named, they are reported as archived rather than unknown. */
  archivedTags?: readonly { key: string; name: string }[];
}

export type AttributeSource = 'field' | 'metric';

export type ResolvedSubject =
  | { kind: 'tag'; tag: CatalogTag }
  | { kind: 'attribute'; source: AttributeSource; attribute: CatalogAttribute };

/**
 * Lookups over one catalog. A name is tried as a key before it is tried as a display
 * name; among keys (and among names) tags come first, then fields, then metrics, so a
 * name that means two things always resolves the same way.
 */
export class CatalogIndex {
  private readonly subjects = new Map<string, ResolvedSubject>();
  private readonly tags = new Map<string, CatalogTag>();
  private readonly segments = new Map<string, CatalogSegment>();

  constructor(readonly catalog: ExpressionCatalog) {
    const byKey: [string, ResolvedSubject][] = [];
    const byName: [string, ResolvedSubject][] = [];
    for (const tag of catalog.tags) {
      byKey.push([tag.key, { kind: 'tag', tag }]);
      byName.push([tag.name, { kind: 'tag', tag }]);
    }
    for (const [source, attributes] of [['field', catalog.fields], ['metric', catalog.metrics]] as const) {
      for (const attribute of attributes) {
        byKey.push([attribute.key, { kind: 'attribute', source, attribute }]);
        if (attribute.name !== undefined) byName.push([attribute.name, { kind: 'attribute', source, attribute }]);
      }
    }
    for (const [name, subject] of [...byKey, ...byName]) if (!this.subjects.has(name)) this.subjects.set(name, subject);
    for (const tag of catalog.tags) if (!this.tags.has(tag.key)) this.tags.set(tag.key, tag);
    for (const tag of catalog.tags) if (!this.tags.has(tag.name)) this.tags.set(tag.name, tag);
    for (const segment of catalog.segments) if (!this.segments.has(segment.key)) this.segments.set(segment.key, segment);
    for (const segment of catalog.segments) if (!this.segments.has(segment.name)) this.segments.set(segment.name, segment);
  }

  subject(name: string): ResolvedSubject | undefined {
    return this.subjects.get(name);
  }

  tag(name: string): CatalogTag | undefined {
    return this.tags.get(name);
  }

  segment(name: string): CatalogSegment | undefined {
    return this.segments.get(name);
  }

  /** An archived tag by key, then by name. */
  archivedTag(name: string): { key: string; name: string } | undefined {
    const archived = this.catalog.archivedTags ?? [];
    return archived.find((tag) => tag.key === name) ?? archived.find((tag) => tag.name === name);
  }

  subjectNames(): Iterable<string> {
    return this.subjects.keys();
  }

  tagNames(): Iterable<string> {
    return this.tags.keys();
  }

  segmentNames(): Iterable<string> {
    return this.segments.keys();
  }
}

/** A tag value by key first, then by display name, as operators type either. */
export function findCatalogTagValue(tag: CatalogTag, keyOrName: string): CatalogTagValue | undefined {
  return findByKeyOrName(tag.values, keyOrName);
}

export function attributeLabel(attribute: CatalogAttribute): string {
  return attribute.name === undefined || attribute.name === attribute.key ? attribute.key : `${attribute.key} (${attribute.name})`;
}
