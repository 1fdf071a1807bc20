// The template catalogue: every starter library, found by key or display name.
import { TagbaseError, didYouMean } from '../errors.js';
import { localized } from '../locale.js';
import { nearestName } from '../names.js';
import { GENERAL_TEMPLATE } from './general.js';
import { APPAREL_TEMPLATE, LIQUOR_TEMPLATE, MOTHER_BABY_TEMPLATE, RESTAURANT_TEMPLATE } from './industries.js';
import { B2B_TEMPLATE, LEVELS_TEMPLATE, PERSONALITY_TEMPLATE } from './relationship.js';
import { RETAIL_TEMPLATE } from './retail.js';
import type { TagTemplate } from './template.js';

export type { TagTemplate } from './template.js';
export { diffGroup, diffTag, describeConflict, type TemplateConflict } from './diff.js';

const TEMPLATES: readonly TagTemplate[] = [
  GENERAL_TEMPLATE,
  RETAIL_TEMPLATE,
  RESTAURANT_TEMPLATE,
  APPAREL_TEMPLATE,
  MOTHER_BABY_TEMPLATE,
  LIQUOR_TEMPLATE,
  B2B_TEMPLATE,
  PERSONALITY_TEMPLATE,
  LEVELS_TEMPLATE,
];

export function listTemplates(): readonly TagTemplate[] {
  return TEMPLATES;
}

/** A template by key, Chinese or English name (case-insensitive); TEMPLATE_NOT_FOUND with a hint otherwise. */
export function showTemplate(keyOrName: string): TagTemplate {
  const wanted = keyOrName.trim().toLowerCase();
  const found = TEMPLATES.find((template) => template.key === wanted) ?? TEMPLATES.find((template) => template.name.toLowerCase() === wanted || template.name_en.toLowerCase() === wanted);
  if (found) return found;
  const hint = didYouMean(nearestName(keyOrName, TEMPLATES.flatMap((template) => [template.key, template.name])));
  const keys = TEMPLATES.map((template) => template.key);
  throw new TagbaseError('TEMPLATE_NOT_FOUND', { template: keyOrName, hint, known: localized(keys.join(', '), keys.join('、')) });
}

/** The key a template tag has now, for a key an earlier version of a template gave it (`spend_band` → `annual_spend`). */
export function currentTemplateKey(formerKey: string): string | undefined {
  for (const template of listTemplates()) {
    for (const [key, former] of template.formerKeys) if (former.includes(formerKey)) return key;
  }
  return undefined;
}
