// The tag editor's working copy, and what it becomes on the wire: the whole definition for
// `POST /tags` and previews, or the calls that bring an existing tag in line with it.
import type { TagJson, TagValueJson } from '../../app/utils/types';
import { KEY_PATTERN } from '../../../../../src/core/names';

export interface ValueDraft {
  /** Stable across renames and moves, for React and for previews. */
  id: string;
  key: string;
  name: string;
  color: string | null;
  /** What the value means, for whoever gives it; empty for none. */
  description: string;
  condition: string;
  /** The key the value has on the server; undefined for a value added in the editor. */
  saved: string | undefined;
  /** How many customers held it when the editor opened (saved values only). */
  held?: number;
}

/** A saved value taken out in the editor, and what becomes of its holders when the tag is saved. */
export interface ValueRemoval {
  key: string;
  name: string;
  held: number;
  /** Their assignments removed, or moved to another saved value (which merges the two). */
  onAssigned: 'remove' | 'move';
  moveTo?: string;
}

export interface TagDraft {
  key: string;
  name: string;
  group: string | null;
  scope: 'enterprise' | 'personal';
  cardinality: 'single' | 'multi';
  ordered: boolean;
  expiryDays: number | null;
  kind: 'manual' | 'rule';
  color: string | null;
  /** What the tag is for and when to give it; empty for none. */
  description: string;
  values: ValueDraft[];
  removed: ValueRemoval[];
}

let next = 0;
export const newValueId = () => `v${++next}`;

/** A value not on the server yet, all of it still to fill in. */
export const newValueDraft = (): ValueDraft => ({ id: newValueId(), key: '', name: '', color: null, description: '', condition: '', saved: undefined });

/** A description as the server keeps it: trimmed, and none rather than an empty one. */
const descriptionOf = (text: string): string | null => (text.trim() === '' ? null : text.trim());

export function emptyDraft(): TagDraft {
  return { key: '', name: '', group: null, scope: 'enterprise', cardinality: 'single', ordered: false, expiryDays: null, kind: 'manual', color: null, description: '', values: [newValueDraft()], removed: [] };
}

export function draftOf(tag: TagJson): TagDraft {
  return {
    key: tag.key,
    name: tag.name,
    group: tag.group,
    scope: tag.scope === 'personal' ? 'personal' : 'enterprise',
    cardinality: tag.cardinality,
    ordered: tag.ordered ?? false,
    expiryDays: tag.default_expiry_days ?? null,
    kind: tag.kind === 'rule' ? 'rule' : 'manual',
    color: tag.color,
    description: tag.description ?? '',
    values: tag.values.map(savedValueDraft),
    removed: [],
  };
}

/**
 * A tag as it is defined, without what is counted live (its holders, a rule's pass over everyone):
 * equal for two reads between which only customers gained or lost it.
 */
export function definitionKey(tag: TagJson): string {
  return JSON.stringify({ ...tag, customers: undefined, rule_pass: undefined, values: tag.values.map((value) => ({ ...value, customers: undefined })) });
}

/** A saved value as the editor holds it. */
export function savedValueDraft(value: TagValueJson): ValueDraft {
  return { id: newValueId(), key: value.key, name: value.name, color: value.color, description: value.description ?? '', condition: value.condition ?? '', saved: value.key, held: value.customers };
}

export function definitionOf(draft: TagDraft) {
  const description = descriptionOf(draft.description);
  return {
    key: draft.key,
    name: draft.name,
    ...(draft.group ? { group: draft.group } : {}),
    scope: draft.scope,
    cardinality: draft.cardinality,
    ordered: draft.ordered,
    ...(draft.expiryDays ? { default_expiry_days: draft.expiryDays } : {}),
    kind: draft.kind,
    ...(draft.color ? { color: draft.color } : {}),
    ...(description ? { description } : {}),
    values: draft.values.map((value) => {
      const valueDescription = descriptionOf(value.description);
      return { key: value.key, name: value.name, ...(value.color ? { color: value.color } : {}), ...(valueDescription ? { description: valueDescription } : {}), ...(draft.kind === 'rule' ? { condition: value.condition } : {}) };
    }),
  };
}

/** What the editor would save, without the ids it gives values: equal for a draft left as it was opened. */
export function draftSnapshot(draft: TagDraft): string {
  return JSON.stringify({ ...definitionOf(draft), removed: draft.removed, saved: draft.values.map((value) => value.saved ?? null) });
}

export interface Call {
  method: 'POST' | 'PATCH' | 'DELETE';
  path: string;
  body: Record<string, unknown>;
}

/**
 * The calls that turn `before` into `draft`: a new key first (so that a refused one, a saved
 * segment still reading the old key, saves nothing), then the values taken out (so that the places
 * of the others are counted without them; in the order they were taken out, so that a value
 * merged into one taken out later is carried on), the tag's fields, then each value in its new place.
 */
export function changesOf(before: TagJson, draft: TagDraft): Call[] {
  const rekeyed: Call[] = draft.key === before.key ? [] : [{ method: 'PATCH', path: `/tags/${encodeURIComponent(before.key)}`, body: { key: draft.key } }];
  const tagPath = `/tags/${encodeURIComponent(draft.key)}`;
  const calls: Call[] = draft.removed.map((removal) => {
    // Always said, even for a value nobody held when the editor opened: someone may have been given it since.
    const query = new URLSearchParams(removal.onAssigned === 'move' && removal.moveTo !== undefined ? { on_assigned: 'move', move_to: removal.moveTo } : { on_assigned: 'remove' });
    return { method: 'DELETE', path: `${tagPath}/values/${encodeURIComponent(removal.key)}?${query.toString()}`, body: {} };
  });
  const patch: Record<string, unknown> = {};
  if (draft.name !== before.name) patch.name = draft.name;
  if (draft.color !== before.color) patch.color = draft.color;
  if (descriptionOf(draft.description) !== descriptionOf(before.description ?? '')) patch.description = descriptionOf(draft.description);
  if (draft.group !== before.group) patch.group = draft.group;
  if (draft.cardinality !== before.cardinality) patch.cardinality = draft.cardinality;
  if (draft.ordered !== (before.ordered ?? false)) patch.ordered = draft.ordered;
  if (draft.expiryDays !== (before.default_expiry_days ?? null)) patch.default_expiry_days = draft.expiryDays;
  // A new kind comes with every value's condition as it stands then (the values taken out are gone
  // already; those added come after, each with its own).
  // A model's tag is neither kind in the editor (draftOf), and keeps its model's.
  const rekinded = before.kind !== 'model' && draft.kind !== before.kind;
  if (rekinded) patch.kind = draft.kind;
  if (rekinded && draft.kind === 'rule') patch.conditions = Object.fromEntries(draft.values.flatMap((value) => (value.saved === undefined ? [] : [[value.saved, value.condition]])));
  if (draft.scope !== before.scope) patch.scope = draft.scope;
  if (Object.keys(patch).length > 0) calls.push({ method: 'PATCH', path: tagPath, body: patch });
  const gone = new Set(draft.removed.map((removal) => removal.key));
  const order = before.values.map((value) => value.key).filter((key) => !gone.has(key));
  draft.values.forEach((value, position) => {
    if (value.saved === undefined) {
      const description = descriptionOf(value.description);
      calls.push({ method: 'POST', path: `${tagPath}/values`, body: { key: value.key, name: value.name, ...(value.color ? { color: value.color } : {}), ...(description ? { description } : {}), ...(draft.kind === 'rule' ? { condition: value.condition } : {}), position } });
      order.splice(position, 0, value.key);
      return;
    }
    const old = before.values.find((item) => item.key === value.saved);
    const body: Record<string, unknown> = {};
    if (old && value.name !== old.name) body.name = value.name;
    if (old && value.color !== old.color) body.color = value.color;
    if (old && descriptionOf(value.description) !== descriptionOf(old.description ?? '')) body.description = descriptionOf(value.description);
    if (draft.kind === 'rule' && !rekinded && old && value.condition !== (old.condition ?? '')) body.condition = value.condition;
    if (order.indexOf(value.saved) !== position) {
      body.position = position;
      order.splice(order.indexOf(value.saved), 1);
      order.splice(position, 0, value.saved);
    }
    if (Object.keys(body).length > 0) calls.push({ method: 'PATCH', path: `${tagPath}/values/${encodeURIComponent(value.saved)}`, body });
  });
  return [...rekeyed, ...calls];
}

/** What is wrong with a value's key or name before the server is asked: a key it would refuse, or a key or name an earlier value already has. */
export type ValueProblem = { field: 'key'; reason: 'invalid' | 'twice' } | { field: 'name'; reason: 'twice' };

/** The problem of each value, in order; the second of two equal keys or names is the one marked. */
export function valueProblems(values: ValueDraft[]): (ValueProblem | undefined)[] {
  return values.map((value, index): ValueProblem | undefined => {
    const earlier = values.slice(0, index);
    if (value.key !== '' && !KEY_PATTERN.test(value.key)) return { field: 'key', reason: 'invalid' };
    if (value.key !== '' && earlier.some((other) => other.key === value.key)) return { field: 'key', reason: 'twice' };
    // The server compares names trimmed.
    const name = value.name.trim();
    if (name !== '' && earlier.some((other) => other.name.trim() === name)) return { field: 'name', reason: 'twice' };
    return undefined;
  });
}
