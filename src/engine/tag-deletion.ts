// Deleting a tag from the library: only one that nothing depends on — no customer holds it, no
// rule, segment, care plan or webhook reads it, it is no model's — with its values, its history
// and what else is kept by its id, in one transaction that records it in the audit trail.
import type { Kysely, Transaction } from 'kysely';
import { TagbaseError, namedInMessage } from '../core/errors.js';
import { localized, type Locale, type LocalizedText } from '../core/locale.js';
import { isComputedTag, type TagDefinition } from '../core/tag.js';
import type { Database } from '../store/schema.js';
import type { AuditSource } from './audit.js';
import { logTagDeleted, tagDeletedCommitted, writeCatalog, type WorkspaceContext } from './context.js';
import { tagReaders, tagWorkUnderWay, type CarePlanReading, type TagReaders } from './tag-readers.js';
import { stillHeld } from '../store/still-held.js';
import { getTag } from './tag-loading.js';
import { deliverWebhooksNow } from './webhooks.js';

export interface TagDeletion {
  key: string;
  name: string;
  /** Its values, gone with it. */
  values: number;
  /** Its rows of customers' tag history, gone with it. */
  history: number;
}

export interface TagDeletionAuthor {
  /** Whom the audit trail names. */
  actor: string | null;
  source: AuditSource;
  /** The HTTP status the API answers with; none from the command line. */
  status?: number | undefined;
}

function refused(tag: TagDefinition, reason: LocalizedText): TagbaseError {
  return new TagbaseError('TAG_NOT_DELETABLE', { tag: tag.key, tagNamed: namedInMessage(tag), reason });
}

export const listed = (texts: readonly LocalizedText[]) => {
  const join = (locale: Locale, separator: string) => [...new Set(texts.map((text) => text[locale]))].join(separator);
  return localized(join('en', ', '), join('zh-CN', '、'));
};

/**
 * What reads the tag by its key or name, in words (see `tagReaders`): a deleted tag would leave
 * each unreadable or silent. Another staff member's personal rule is said without its name, which is theirs.
 */
export function readersInWords(found: TagReaders): LocalizedText[] {
  const named = (thing: { key: string; name: string }) => (thing.name === thing.key ? { en: '', zh: '' } : { en: ` (${thing.key})`, zh: `（${thing.key}）` });
  const plans = (reading: CarePlanReading) => found.care_plans.filter((plan) => plan.reads.includes(reading));
  return [
    ...found.segments.map((segment) => localized(`segment "${segment.name}"${named(segment).en}`, `人群「${segment.name}」${named(segment).zh}`)),
    ...found.rule_tags.map((rule) => localized(`the rule of tag "${rule.name}"${named(rule).en}`, `标签「${rule.name}」${named(rule).zh}的规则`)),
    ...found.care_plans.filter((plan) => plan.reads.some((reading) => reading !== 'messages')).map((plan) => localized(`care plan "${plan.name}"${named(plan).en}`, `关怀计划「${plan.name}」${named(plan).zh}`)),
    ...plans('messages').map((plan) => localized(`the messages of care plan "${plan.name}"${named(plan).en}`, `关怀计划「${plan.name}」${named(plan).zh}的消息`)),
    ...(found.others_personal_rule_tags > 0 ? [localized("another staff member's personal rule tag", '其他员工的个人规则标签')] : []),
    ...found.webhooks.map((webhook) => localized(`webhook ${webhook.id}`, `Webhook ${webhook.id}`)),
  ];
}

/** Customers holding the tag at `now` (any of its values): an assignment whose expiry has passed is gone, swept or not (as tagging and the sweeper take it). */
export async function holdersNow(db: Kysely<Database>, tagId: number, now: number): Promise<number> {
  const row = await db
    .selectFrom('assignments')
    .select((eb) => eb.fn.count<number | string>('customer_id').distinct().as('n'))
    .where('tag_id', '=', tagId)
    .where(stillHeld(now))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/**
 * Why the tag may not go, read in `trx` where writes are one at a time: its holders, a pass of
 * its rule still under way, or changes of it a webhook has yet to post (they name the tag, and
 * a post of a tag that is gone would be passed over).
 */
async function assertNothingPending(context: WorkspaceContext, trx: Transaction<Database>, tag: TagDefinition): Promise<void> {
  const holders = await holdersNow(trx, tag.id, context.now().getTime());
  if (holders > 0) {
    const rule = isComputedTag(tag.kind) && tag.status === 'active' ? localized(', archiving it first so that its rule does not give it back', '；它是规则标签，请先归档，以免规则再次打上') : localized('', '');
    throw refused(
      tag,
      localized(
        `${holders.toLocaleString('en')} ${holders === 1 ? 'customer holds' : 'customers hold'} it; take it off them first with bulk untagging (POST /api/v1/tags/${tag.key}/unassign, tagbase tag unassign, or the customers page)${rule.en}`,
        `有 ${holders.toLocaleString('en')} 位客户持有它；请先批量移除（POST /api/v1/tags/${tag.key}/unassign、tagbase tag unassign 或客户页）${rule['zh-CN']}`,
      ),
    );
  }
  const work = await tagWorkUnderWay(context, trx, tag);
  if (work.rule_pass_running) throw refused(tag, localized('its rule is still being applied to everyone; delete it once that is done', '它的规则仍在对全部客户执行；请在完成后再删除'));
  const behind = work.pending_webhook_posts;
  if (behind.length > 0) {
    const ids = behind.map((webhook) => webhook.id);
    throw refused(
      tag,
      localized(
        `webhook ${ids.join(', ')} has not yet posted every change of it; delete it once they are posted (a paused webhook posts them once resumed)`,
        `Webhook ${ids.join('、')} 尚未推送它的全部变更；请在推送完成后再删除（已暂停的 Webhook 恢复后才会推送）`,
      ),
    );
  }
}

/** What is checked before anything is written: the model's tag stays with its model, and nothing may read the tag. */
async function assertUnread(context: WorkspaceContext, tag: TagDefinition): Promise<void> {
  if (tag.kind === 'model') {
    const model = tag.model ?? tag.key;
    throw refused(
      tag,
      localized(
        `it is the tag of the model ${model}, which keeps it (its key and history) for as long as the workspace has the model; disabling the model (DELETE /api/v1/models/${model}) archives it`,
        `它是模型 ${model} 的标签，由模型保留（标识和历史）；停用模型（DELETE /api/v1/models/${model}）会将其归档`,
      ),
    );
  }
  const readers = readersInWords(await tagReaders(context, tag));
  if (readers.length > 0) {
    const users = listed(readers);
    throw refused(tag, localized(`${users.en} ${readers.length === 1 ? 'reads' : 'read'} it; change those first`, `${users['zh-CN']}正在读取它；请先修改它们`));
  }
}

/**
 * Changes of the tag a webhook posting every shared tag has yet to post (an untagging a moment
 * ago, say) are posted now by the webhooks that are due, a few batches each, rather than refusing
 * the deletion until the server's next round: deleting them unposted would lose a delivery. A
 * webhook paused, or failing, keeps them, and the deletion is refused, at once, naming it.
 */
async function postPendingChanges(context: WorkspaceContext, tag: TagDefinition): Promise<void> {
  const behind = (await tagWorkUnderWay(context, context.store.db, tag)).pending_webhook_posts;
  if (behind.length > 0) await deliverWebhooksNow(context.store, behind.map((webhook) => webhook.id), () => context.now().getTime());
}

/** The tag a deletion would remove, with how many history rows go with it, or why it may not be (TAG_NOT_FOUND, TAG_NOT_DELETABLE): the command line says so before it asks for --yes. */
export async function tagToDelete(context: WorkspaceContext, keyOrName: string): Promise<{ tag: TagDefinition; history: number }> {
  const tag = await getTag(context, keyOrName);
  await assertUnread(context, tag);
  await postPendingChanges(context, tag);
  return context.store.db.transaction().execute(async (trx) => {
    await assertNothingPending(context, trx, tag);
    return { tag, history: await historyRows(trx, tag.id) };
  });
}

async function historyRows(trx: Transaction<Database>, tagId: number): Promise<number> {
  const row = await trx.selectFrom('tag_history').select((eb) => eb.fn.countAll<number | string>().as('n')).where('tag_id', '=', tagId).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** The tag as the audit trail keeps it: enough to make it again by hand. */
function definitionOf(tag: TagDefinition): string {
  return JSON.stringify({
    key: tag.key,
    name: tag.name,
    scope: tag.scope,
    owner: tag.owner,
    kind: tag.kind,
    cardinality: tag.cardinality,
    ordered: tag.ordered,
    status: tag.status,
    description: tag.description,
    color: tag.color,
    default_expiry_days: tag.defaultExpiryDays,
    values: tag.values.map((value) => ({ key: value.key, name: value.name, color: value.color, description: value.description, condition: value.condition })),
  });
}

/**
 * Deletes the tag, its values, its customers' tag history, its bulk tagging operations and any
 * record of its rule's pass; an assignment whose expiry passed unswept goes too (it was gone
 * already). Nobody holds it, so no customer's data changes: every index of the workspace drops
 * the tag and its values where it stands, here at once and in other processes through the
 * change log (a snapshot taken before the deletion reads the entry after it), rather than being
 * built again. The store's audit trail records it, with the tag's definition, in the same transaction.
 */
export async function deleteTag(context: WorkspaceContext, keyOrName: string, by: TagDeletionAuthor): Promise<TagDeletion> {
  const tag = await getTag(context, keyOrName);
  await assertUnread(context, tag);
  await postPendingChanges(context, tag);
  const at = context.now().getTime();
  const valueIds = tag.values.map((value) => value.id);
  const deleted = await writeCatalog(context, 'definitions', async (trx) => {
    // As stored now: another request may have deleted it since it was looked up.
    const still = await trx.selectFrom('tags').select('id').where('id', '=', tag.id).executeTakeFirst();
    if (!still) throw new TagbaseError('TAG_NOT_FOUND', { tag: keyOrName, hint: '' });
    await assertNothingPending(context, trx, tag);
    const history = await historyRows(trx, tag.id);
    await trx.deleteFrom('assignments').where('tag_id', '=', tag.id).execute();
    await trx.deleteFrom('tag_history').where('tag_id', '=', tag.id).execute();
    await trx.deleteFrom('tagging_operations').where('tag_id', '=', tag.id).execute();
    await trx.deleteFrom('rule_passes').where('workspace_id', '=', context.workspaceId).where('tag_id', '=', tag.id).execute();
    await trx.deleteFrom('tag_values').where('tag_id', '=', tag.id).execute();
    await trx.deleteFrom('tags').where('id', '=', tag.id).execute();
    await trx
      .insertInto('audit_log')
      .values({
        workspace_id: context.workspaceId,
        actor: by.actor,
        source: by.source,
        action: by.source === 'api' ? 'DELETE /tags/:tag' : 'tag delete',
        // Whole, however many values the tag had: the trail is where it can be made again from.
        target: `/tags/${encodeURIComponent(tag.key)}?definition=${definitionOf(tag)}`,
        status: by.status ?? null,
        at,
      })
      .execute();
    await logTagDeleted(context, trx, tag.id, valueIds);
    return { key: tag.key, name: tag.name, values: tag.values.length, history };
  });
  tagDeletedCommitted(context, tag.id, valueIds);
  return deleted;
}
