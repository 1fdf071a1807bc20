// The tag library: flat tags (a name with preset values) organised in groups, and the
// rules of assignment (a single-valued tag replaces, a multi-valued tag adds).
import { z } from 'zod';
import { displayName } from './display-name.js';
import { KEY_PATTERN, KEY_RULE, findByKeyOrName } from './names.js';

export const TAG_SCOPES = ['enterprise', 'personal'] as const;
export type TagScope = (typeof TAG_SCOPES)[number];

export const TAG_CARDINALITIES = ['single', 'multi'] as const;
export type TagCardinality = (typeof TAG_CARDINALITIES)[number];

export const TAG_KINDS = ['manual', 'rule', 'model'] as const;
export type TagKind = (typeof TAG_KINDS)[number];

/** Rule and model tags are computed from conditions; only manual tags are purely hand-made. */
export function isComputedTag(kind: TagKind): kind is 'rule' | 'model' {
  return kind === 'rule' || kind === 'model';
}

export const TAG_STATUSES = ['active', 'archived'] as const;
export type TagStatus = (typeof TAG_STATUSES)[number];

export const ASSIGNMENT_SOURCES = ['manual', 'import', 'api', 'rule', 'model'] as const;
export type AssignmentSource = (typeof ASSIGNMENT_SOURCES)[number];

export const HISTORY_ACTIONS = ['add', 'remove', 'replace', 'expire'] as const;
export type HistoryAction = (typeof HISTORY_ACTIONS)[number];

export interface TagGroup {
  id: number;
  key: string;
  name: string;
  description: string | null;
  sortOrder: number;
}

export interface TagValue {
  id: number;
  key: string;
  name: string;
  color: string | null;
  description: string | null;
  sortOrder: number;
  /** For rule tags: the expression a customer must match to hold this value. */
  condition: string | null;
}

export interface TagDefinition {
  id: number;
  key: string;
  name: string;
  description: string | null;
  color: string | null;
  groupId: number | null;
  scope: TagScope;
  /** The staff member who owns a personal tag; null for enterprise tags. */
  owner: string | null;
  cardinality: TagCardinality;
  ordered: boolean;
  defaultExpiryDays: number | null;
  kind: TagKind;
  /** For a model's tag, the model that sets it (its key is the tag's unless the tag took another). */
  model?: string;
  status: TagStatus;
  values: TagValue[];
  createdAt: number;
  updatedAt: number;
}

/** A tag is always shown with its name: 「RFM等级: 重要价值客户」, never the bare value. */
export function formatTagLabel(tagName: string, valueName: string): string {
  return `${tagName}: ${valueName}`;
}

/** Personal tags are visible to their owner only; enterprise tags to everyone. */
export function isTagVisibleTo(tag: Pick<TagDefinition, 'scope' | 'owner'>, actor: string | null): boolean {
  return tag.scope === 'enterprise' || (actor !== null && tag.owner === actor);
}

export const COLOR_PATTERN = /^#[0-9a-fA-F]{6}$/;

const key = z.string().regex(KEY_PATTERN, KEY_RULE);
const name = displayName(64);
/**
 * A description; one empty or of spaces alone is none (null), as leaving it out of a new tag is,
 * so that every reader sees "no description" one way.
 */
const description = z
  .string()
  .trim()
  .max(1024)
  .transform((text) => (text === '' ? null : text))
  .nullable()
  .optional();
const color = z.string().regex(COLOR_PATTERN, 'a colour like #1677ff').nullable().optional();

const condition = z.string().trim().min(1).max(4000);

export const tagValueInputSchema = z.strictObject({
  key,
  name,
  color,
  description,
  condition: condition.optional(),
});
export type TagValueInput = z.infer<typeof tagValueInputSchema>;

export const tagGroupInputSchema = z.strictObject({
  key,
  name,
  description,
  sort_order: z.number().int().min(0).max(1_000_000).optional(),
});
export type TagGroupInput = z.infer<typeof tagGroupInputSchema>;

export const tagGroupPatchSchema = tagGroupInputSchema.partial();
export type TagGroupPatch = z.infer<typeof tagGroupPatchSchema>;

export interface ValueNamingClash {
  field: 'key' | 'name';
  /** The text two values would both answer to. */
  taken: string;
  message: string;
}

/**
 * A value is found by its key or by its name (key first), in expressions, tagging and imports,
 * so a value's key or name that is already another value's key or name would make one of the
 * two unreachable by that text.
 */
export function valueNamingClash(others: readonly { key: string; name: string }[], value: { key: string; name: string }): ValueNamingClash | undefined {
  for (const [field, text] of [['key', value.key], ['name', value.name]] as const) {
    const other = others.find((candidate) => candidate.key === text || candidate.name === text);
    if (other === undefined) continue;
    const asWhat = other.key === text ? 'key' : 'name';
    const message = asWhat === field ? `value ${field} "${text}" appears twice` : `value ${field} "${text}" is another value's ${asWhat}`;
    return { field, taken: text, message };
  }
  return undefined;
}

export const tagInputSchema = z
  .strictObject({
    key,
    name,
    description,
    color,
    group: key.nullable().optional(),
    scope: z.enum(TAG_SCOPES).default('enterprise'),
    cardinality: z.enum(TAG_CARDINALITIES).default('single'),
    ordered: z.boolean().default(false),
    default_expiry_days: z.number().int().min(1).max(36_500).nullable().optional(),
    kind: z.enum(TAG_KINDS).default('manual'),
    values: z.array(tagValueInputSchema).min(1).max(1000),
  })
  .superRefine((tag, context) => {
    // A model's tag comes with its model, whose conditions keep it true; one made by hand would hold nothing, ever.
    if (tag.kind === 'model') context.addIssue({ code: 'custom', path: ['kind'], message: 'a model tag is made by enabling its model (PUT /api/v1/models/{model}); use kind "manual" or "rule"' });
    tag.values.forEach((value, index) => {
      if (tag.kind === 'rule' && value.condition === undefined) context.addIssue({ code: 'custom', path: ['values', index, 'condition'], message: 'every value of a rule tag needs a condition' });
      if (tag.kind !== 'rule' && value.condition !== undefined) context.addIssue({ code: 'custom', path: ['values', index, 'condition'], message: `a ${tag.kind} tag has no conditions; use kind "rule"` });
      const clash = valueNamingClash(tag.values.slice(0, index), value);
      if (clash !== undefined) context.addIssue({ code: 'custom', path: ['values', index, clash.field], message: clash.message });
    });
  });
export type TagInput = z.infer<typeof tagInputSchema>;

export const tagPatchSchema = z.strictObject({
  key: key.optional(),
  name: name.optional(),
  description,
  color,
  group: key.nullable().optional(),
  cardinality: z.enum(TAG_CARDINALITIES).optional(),
  ordered: z.boolean().optional(),
  default_expiry_days: z.number().int().min(1).max(36_500).nullable().optional(),
  status: z.enum(TAG_STATUSES).optional(),
  /**
   * A manual tag becomes a rule tag (its holders kept, pinned as hand-given), or a rule tag a
   * manual one (what its rule gave kept as it is); a model's tag keeps its model's kind.
   */
  kind: z.enum(TAG_KINDS).optional(),
  /** With `kind: "rule"`: each value's condition, by value key or name (every value's, for a manual tag becoming a rule tag). */
  conditions: z.record(z.string().min(1).max(128), condition).optional(),
  /** Shared with everyone, or the acting user's own (a shared tag something shared reads stays shared). */
  scope: z.enum(TAG_SCOPES).optional(),
}).superRefine((patch, context) => {
  if (patch.kind === 'model') context.addIssue({ code: 'custom', path: ['kind'], message: 'a model tag is made by enabling its model (PUT /api/v1/models/{model}); a tag becomes "manual" or "rule"' });
  if (patch.conditions !== undefined && patch.kind !== 'rule') context.addIssue({ code: 'custom', path: ['conditions'], message: 'conditions come with kind "rule"' });
});
export type TagPatch = z.infer<typeof tagPatchSchema>;

export const tagValuePatchSchema = tagValueInputSchema.partial().extend({
  condition: condition.nullable().optional(),
  /** New position in the value order, 0-based. */
  position: z.number().int().min(0).optional(),
});
export type TagValuePatch = z.infer<typeof tagValuePatchSchema>;

/** Finds a value by key first, then by display name, as operators type either. */
export function findTagValue(tag: Pick<TagDefinition, 'values'>, keyOrName: string): TagValue | undefined {
  return findByKeyOrName(tag.values, keyOrName);
}

/** What an assignment does to one customer's current values of one tag. */
export type AssignmentPlan =
  | { kind: 'unchanged' }
  | { kind: 'add' }
  | { kind: 'replace'; previousValueId: number };

/**
 * Plans assigning `valueId` to a customer who currently holds `currentValueIds` of the tag:
 * a multi-valued tag adds; a single-valued tag replaces whatever value it had.
 */
export function planAssignment(cardinality: TagCardinality, currentValueIds: readonly number[], valueId: number): AssignmentPlan {
  if (currentValueIds.includes(valueId)) return { kind: 'unchanged' };
  if (cardinality === 'multi') return { kind: 'add' };
  const previous = currentValueIds[0];
  return previous === undefined ? { kind: 'add' } : { kind: 'replace', previousValueId: previous };
}

/**
 * The latest expiry an assignment may have, the last moment of the year 9999: a later one is
 * no date a portrait, history or export can write (an old `--expires-in` of 10^20 days stored
 * 8.64e27 ms), and no expiry anyone means to wait for. Migration 0030 made such stored ones
 * permanent.
 */
export const LATEST_EXPIRY_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** Whether an expiry lies past `LATEST_EXPIRY_MS` (or is no number of milliseconds at all). */
export function isPastLatestExpiry(expiresAt: number): boolean {
  return !(expiresAt <= LATEST_EXPIRY_MS);
}

/**
 * Whether an assignment expiring at `expiresAt` (null: never; a store's JSON may hand the
 * milliseconds over as digits) is still held at `at`: from its expiry on, the instant itself
 * included, it is gone, whether or not the expiry sweep has taken it off yet. The same rule in SQL
 * is `stillHeld` (src/store/still-held.ts).
 */
export function isStillHeld(expiresAt: number | string | null, at: number): boolean {
  return expiresAt === null || Number(expiresAt) > at;
}

/** When an assignment made at `now` expires: the explicit time wins, else the tag's default. */
export function resolveExpiry(now: number, explicit: number | null | undefined, defaultExpiryDays: number | null): number | null {
  if (explicit !== undefined) return explicit;
  return defaultExpiryDays === null ? null : now + defaultExpiryDays * 86_400_000;
}
