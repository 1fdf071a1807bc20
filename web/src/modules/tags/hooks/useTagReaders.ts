// What reads a tag and what is still under way with it (GET /tags/{tag}/readers), in the
// console's words: the archive confirmation names what archiving stops, and the editor's danger
// area names everything that would refuse the deletion, so its button is enabled only when the
// server would delete the tag.
import { useApiQuery } from '../../app/hooks/useApiQuery';
import { useSession } from '../../app/hooks/useSession';
import { pluralKey } from '../../app/utils/messages';
import { useModelWords } from '../../models/hooks/useModelWords';

interface TagReadersJson {
  segments: { key: string; name: string }[];
  care_plans: { key: string; name: string; reads: ('conditions' | 'trigger' | 'messages')[] }[];
  rule_tags: { key: string; name: string }[];
  others_personal_rule_tags: number;
  webhooks: { id: number }[];
  /** `due`: neither paused nor waiting after failures, so the deletion has it post them first. */
  pending_webhook_posts: { id: number; due: boolean }[];
  rule_pass_running: boolean;
}

export interface TagReaderWords {
  /** False until the answer has come. */
  ready: boolean;
  /** What reads the tag, each named: what archiving stops, and what deleting would leave unreadable. */
  readers: string[];
  /** Why a deletion would be refused besides its readers and holders: changes still to post by a webhook paused or failing, a rule pass under way. */
  underWay: string[];
  /** Webhooks due to post changes of the tag, which the deletion has post them first. */
  postedFirst: number[];
}

/** Reads the tag's readers (none asked for while `tagKey` is null) and names them. */
export function useTagReaders(tagKey: string | null): TagReaderWords {
  const { t } = useSession();
  const words = useModelWords();
  const query = useApiQuery<TagReadersJson>(tagKey === null ? null : `/tags/${encodeURIComponent(tagKey)}/readers`);
  const data = query.data;
  if (!data) return { ready: false, readers: [], underWay: [], postedFirst: [] };
  const others = data.others_personal_rule_tags;
  const readers = [
    ...data.segments.map((segment) => t('tags.readerSegment', { name: segment.name })),
    // A plan read only by its messages goes on without the tag; one read by its conditions or trigger stops.
    ...data.care_plans.map((plan) => t(plan.reads.every((reading) => reading === 'messages') ? 'tags.readerPlanMessages' : 'tags.readerPlan', { name: plan.name })),
    ...data.rule_tags.map((rule) => t('tags.readerRule', { name: words.tagName(rule) })),
    ...(others > 0 ? [t(pluralKey('tags.readerOthersRules', others), { count: others })] : []),
    ...data.webhooks.map((webhook) => t('tags.readerWebhook', { id: webhook.id })),
  ];
  // A webhook that is due posts them as the deletion begins; one paused or failing holds it up.
  const pending = data.pending_webhook_posts.filter((webhook) => !webhook.due).map((webhook) => webhook.id);
  const postedFirst = data.pending_webhook_posts.filter((webhook) => webhook.due).map((webhook) => webhook.id);
  const underWay = [
    ...(data.rule_pass_running ? [t('tags.deleteRulePass')] : []),
    ...(pending.length > 0 ? [t(pluralKey('tags.deletePendingPosts', pending.length), { ids: pending.join(t('care.separator')) })] : []),
  ];
  return { ready: true, readers, underWay, postedFirst };
}
