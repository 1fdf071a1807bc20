// What depends on a tag besides its holders: what reads it by key or name (saved segments, care
// plans, rule tags, webhooks) and what is still under way with it (changes a webhook has yet to
// post, a pass of its rule). One answer for the console's warnings (`GET /tags/{tag}/readers`)
// and for deletion's refusal, so that what the console says and what the server refuses agree.
import type { Kysely, Transaction } from 'kysely';
import { parseTemplate, tagTriggerOf } from '../core/care.js';
import { compileExpression } from '../core/expression/index.js';
import type { TagDefinition } from '../core/tag.js';
import type { Database } from '../store/schema.js';
import { loadWorkspaceCatalog, readsThroughSegments, savedExpressions, type WorkspaceCatalog } from './catalog.js';
import type { WorkspaceContext } from './context.js';
import { holderGone } from './pass-holders.js';
import { withCandidate } from './rule-tags.js';

/** Where a care plan reads the tag: its conditions (the plan's or a step's), its trigger, or its steps' messages (`{tag:…}`). */
export type CarePlanReading = 'conditions' | 'trigger' | 'messages';

export interface TagReaders {
  segments: { key: string; name: string }[];
  care_plans: { key: string; name: string; reads: CarePlanReading[] }[];
  rule_tags: { key: string; name: string }[];
  /** Other staff members' personal rule tags reading it: theirs, so counted, never named. */
  others_personal_rule_tags: number;
  /** Webhooks posting changes of this tag alone among others (their `tags`). */
  webhooks: { id: number }[];
}

export interface TagWorkUnderWay {
  /**
   * Webhooks posting every shared tag's changes that have not yet posted all of this one's, and
   * whether each is `due` (neither paused nor waiting after failures, nor posting right now): a
   * deletion has those post first, so only the others hold it up.
   */
  pending_webhook_posts: { id: number; due: boolean }[];
  /** A pass of its rule over everyone is still under way. */
  rule_pass_running: boolean;
}

/**
 * What reads a tag by key or name, directly or through saved segments: what archiving it would
 * stop (a segment reading an archived tag counts no one, a rule stops, a message goes without it,
 * a webhook posts nothing more of it) and what deleting it would leave unreadable.
 */
export async function tagReaders(context: WorkspaceContext, tag: TagDefinition): Promise<TagReaders> {
  // An archived tag is read as if it were back: what reads it is what stopped, and what restoring it restarts.
  const asActive = (catalog: WorkspaceCatalog) => (tag.status === 'archived' ? withCandidate(catalog, { ...tag, status: 'active' }) : catalog);
  const catalog = asActive(await loadWorkspaceCatalog(context));
  const readers: TagReaders = { segments: [], care_plans: [], rule_tags: [], others_personal_rule_tags: 0, webhooks: [] };
  const plan = (found: { key: string; name: string }, reading: CarePlanReading) => {
    const known = readers.care_plans.find((each) => each.key === found.key);
    if (!known) readers.care_plans.push({ key: found.key, name: found.name, reads: [reading] });
    else if (!known.reads.includes(reading)) known.reads.push(reading);
  };
  for (const entry of await savedExpressions(context, catalog)) {
    if (!readsTag(catalog, entry.source, tag.key)) continue;
    if (entry.kind === 'care_plan') plan(entry, 'conditions');
    else if (!readers.segments.some((segment) => segment.key === entry.key)) readers.segments.push({ key: entry.key, name: entry.name });
  }
  const plans = await context.store.db.selectFrom('care_plans').select(['key', 'name', 'trigger', 'steps']).where('workspace_id', '=', context.workspaceId).orderBy('id').execute();
  for (const row of plans) {
    // A plan triggered by the tag gaining or losing a value stops with it too.
    if (tagTriggerOf(row.trigger)?.tag === tag.key) plan(row, 'trigger');
    // A step's message names a shared tag as text (`{tag:RFM等级}`): it would be sent without it.
    if (tag.scope === 'enterprise' && (JSON.parse(row.steps) as { message: string }[]).some((step) => namesTag(step.message, tag))) plan(row, 'messages');
  }
  // In the plans' order, each read in this order, whatever order they were found in.
  const order: readonly CarePlanReading[] = ['conditions', 'trigger', 'messages'];
  const place = (key: string) => plans.findIndex((row) => row.key === key);
  readers.care_plans.sort((a, b) => place(a.key) - place(b.key));
  for (const entry of readers.care_plans) entry.reads.sort((a, b) => order.indexOf(a) - order.indexOf(b));
  for (const other of catalog.tags) {
    if (other.key !== tag.key && other.values.some((value) => value.condition !== null && readsTag(catalog, value.condition, tag.key))) readers.rule_tags.push({ key: other.key, name: other.name });
  }
  if (tag.scope !== 'enterprise') return readers;
  // Other staff members' personal rule tags read shared tags too, each in its owner's view of the library.
  for (const owner of catalog.personalRuleOwners.filter((each) => each !== context.actor)) {
    const theirs = asActive(await loadWorkspaceCatalog({ ...context, actor: owner }));
    readers.others_personal_rule_tags += theirs.tags.filter(
      (other) => other.scope === 'personal' && other.owner === owner && other.values.some((value) => value.condition !== null && readsTag(theirs, value.condition, tag.key)),
    ).length;
  }
  const webhooks = await context.store.db.selectFrom('webhooks').select(['id', 'tags']).where('workspace_id', '=', context.workspaceId).orderBy('id').execute();
  for (const webhook of webhooks) if ((JSON.parse(webhook.tags) as string[]).includes(tag.key)) readers.webhooks.push({ id: webhook.id });
  return readers;
}

/** Whether the expression reads the tag, by itself or through the saved segments it reads. */
function readsTag(catalog: WorkspaceCatalog, source: string, tagKey: string): boolean {
  const dependencies = compileExpression(source, catalog.catalog).dependencies;
  return dependencies.tags.includes(tagKey) || readsThroughSegments(catalog, dependencies.segments).tags.has(tagKey);
}

function namesTag(message: string, tag: TagDefinition): boolean {
  const parsed = parseTemplate(message);
  return 'parts' in parsed && parsed.parts.some((part) => typeof part !== 'string' && part.kind === 'tag' && (part.key === tag.key || part.key === tag.name));
}

/**
 * What is still under way with the tag, read in `db` (a deletion reads it in its transaction,
 * where writes are one at a time): a pass of its rule, and changes of it a webhook posting every
 * shared tag has yet to post (they name the tag, and a post of a tag that is gone would be passed over).
 */
export async function tagWorkUnderWay(context: WorkspaceContext, db: Kysely<Database> | Transaction<Database>, tag: TagDefinition): Promise<TagWorkUnderWay> {
  const pass = await db.selectFrom('rule_passes').select('tag_id').where('workspace_id', '=', context.workspaceId).where('tag_id', '=', tag.id).executeTakeFirst();
  const work: TagWorkUnderWay = { pending_webhook_posts: [], rule_pass_running: pass !== undefined };
  // A personal tag's changes are posted to no webhook.
  if (tag.scope !== 'enterprise') return work;
  const last = await db.selectFrom('tag_history').select((eb) => eb.fn.max('id').as('id')).where('workspace_id', '=', context.workspaceId).where('tag_id', '=', tag.id).executeTakeFirst();
  const lastId = Number(last?.id ?? 0);
  if (lastId === 0) return work;
  const webhooks = await db
    .selectFrom('webhooks')
    .select(['id', 'tags', 'topics', 'paused_at', 'next_attempt_at', 'claimed_by'])
    .where('workspace_id', '=', context.workspaceId)
    .where('cursor', '<', lastId)
    .orderBy('id')
    .execute();
  const now = context.now().getTime();
  for (const webhook of webhooks) {
    if (!(JSON.parse(webhook.topics) as string[]).includes('tag_changes') || (JSON.parse(webhook.tags) as string[]).length > 0) continue;
    // As a round picks webhooks (src/engine/webhooks.ts), a claim left by a process that is gone included.
    const due = webhook.paused_at === null && (Number(webhook.next_attempt_at) <= now || (webhook.claimed_by !== null && holderGone(webhook.claimed_by)));
    work.pending_webhook_posts.push({ id: webhook.id, due });
  }
  return work;
}
