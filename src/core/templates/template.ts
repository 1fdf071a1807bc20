// A tag library template: a starter set of groups and tags for one kind of business, written
// as the same input the API takes, so applying it goes through the ordinary library calls.
import type { z } from 'zod';
import { tagGroupInputSchema, tagInputSchema, type TagGroupInput, type TagInput } from '../tag.js';

export interface TagTemplate {
  key: string;
  /** Chinese display name, what operators pick from. */
  name: string;
  name_en: string;
  description: string;
  /** The description in English, for the console and answers in English. */
  description_en: string;
  groups: TagGroupInput[];
  tags: TagInput[];
  /**
   * Keys a template tag had in earlier versions, by its key now: a workspace that applied an
   * earlier version holds the tag under the old key, and applying again reports the key as a
   * difference rather than making a second tag beside it.
   */
  formerKeys: ReadonlyMap<string, readonly string[]>;
}

export type TemplateGroupSource = z.input<typeof tagGroupInputSchema>;
export type TemplateTagSource = z.input<typeof tagInputSchema>;

export interface TemplateSource {
  key: string;
  name: string;
  name_en: string;
  description: string;
  description_en: string;
  groups: readonly TemplateGroupSource[];
  tags: readonly TemplateTagSource[];
  formerKeys?: Readonly<Record<string, readonly string[]>>;
}

/**
 * Runs every group and tag through the API's own schemas, so a template can only hold what an
 * operator could have typed; a mistake fails the template tests rather than an apply.
 */
export function defineTemplate(source: TemplateSource): TagTemplate {
  return {
    key: source.key,
    name: source.name,
    name_en: source.name_en,
    description: source.description,
    description_en: source.description_en,
    groups: source.groups.map((group) => tagGroupInputSchema.parse(group)),
    tags: source.tags.map((tag) => tagInputSchema.parse(tag)),
    formerKeys: new Map(Object.entries(source.formerKeys ?? {})),
  };
}
