// Tagging (or untagging) everyone a question answered — the members of a segment, the customers of
// a tag transition — in one transaction, exactly like bulk tagging by list.
import { z } from 'zod';
import type { AssignmentSource } from '../../core/tag.js';
import type { WorkspaceContext } from '../../engine/context.js';
import { externalIdsOf } from '../../engine/segment-members.js';
import { placingUnknownTag } from '../../engine/tag-loading.js';
import { assignTag, removeTag, tagNobody } from '../../engine/tagging.js';
import { expiryTime, optionalExpiry } from './shared.js';

/** What to do to everyone: the body fields both routes share. */
export const tagEveryoneFields = {
  tag: z.string().min(1),
  value: z.string().min(1).optional(),
  action: z.enum(['assign', 'remove']).default('assign'),
  expires_at: expiryTime.nullable().optional(),
};

export const ASSIGNING_NEEDS_A_VALUE = 'assigning needs a value; only action remove may leave it out';

export function assigningHasValue(body: { action: 'assign' | 'remove'; value?: string | undefined }): boolean {
  return body.action === 'remove' || body.value !== undefined;
}

export const REMOVING_TAKES_NO_EXPIRY = 'action remove takes no expires_at: a value taken off has no expiry; leave expires_at out, or assign the value to give it one';

/** An expiry only means something to a value given: with `remove` it would be dropped unread. */
export function removingHasNoExpiry(body: { action: 'assign' | 'remove'; expires_at?: string | null | undefined }): boolean {
  return body.action === 'assign' || body.expires_at === undefined || body.expires_at === null;
}

type TagEveryone = { tag: string; value?: string | undefined; action: 'assign' | 'remove'; expires_at?: string | null | undefined };

/** Assigns or removes the value on the customers `ids` (internal ids); answers as bulk tagging does, an unknown `tag` placed at `#/tag`. */
export async function tagEveryone(context: WorkspaceContext, ids: readonly number[], body: TagEveryone, source: AssignmentSource) {
  return placingUnknownTag('tag', body.tag, () => tagThem(context, ids, body, source));
}

async function tagThem(context: WorkspaceContext, ids: readonly number[], body: TagEveryone, source: AssignmentSource) {
  const expiresAt = await optionalExpiry(context, body.expires_at);
  if (ids.length === 0) return tagNobody(context, { tag: body.tag, value: body.value, action: body.action, expiresAt });
  const customers = await externalIdsOf(context, ids);
  if (body.action === 'remove') return removeTag(context, { tag: body.tag, value: body.value, customers, source, undoable: true });
  return assignTag(context, { tag: body.tag, value: body.value ?? '', customers, expiresAt, source, undoable: true });
}
