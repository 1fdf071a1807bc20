import { Typography } from 'antd';
import { useSession } from '../../app/hooks/useSession';
import type { TagJson } from '../../app/utils/types';
import { eventLabel } from '../../app/utils/eventTypes';
import { pluralKey } from '../../app/utils/messages';
import type { ModelWords } from '../../models/hooks/useModelWords';
import type { CareCancel, CareTrigger, SeenEventTypes } from '../utils/types';

/** 「RFM等级: 重要价值客户」 (RFM level: Important value in English) from the keys a plan keeps; a tag or value since removed keeps its key. */
function tagText(tags: TagJson[], tagKey: string, valueKey: string | undefined, words: ModelWords): string {
  const tag = tags.find((candidate) => candidate.key === tagKey);
  const name = tag ? words.tagName(tag) : tagKey;
  if (valueKey === undefined) return name;
  const value = tag?.values.find((candidate) => candidate.key === valueKey);
  return `${name}: ${tag && value ? words.valueName(tag, value) : valueKey}`;
}

/** What starts a plan's reminders, in words, and what cancels them. */
/** `words` comes from the table: one read of the models' words for all its rows, not one per row. */
export function PlanTrigger({ trigger, cancel, tags, seen, words }: { trigger: CareTrigger; cancel: CareCancel | null; tags: TagJson[]; seen?: SeenEventTypes | undefined; words: ModelWords }) {
  const { t } = useSession();
  // An event no recent one has (misspelt, or one the integration does not send): the plan's counts stay at 0 and this says why.
  const unseen = trigger.kind === 'event' && seen !== undefined && seen.sampled > 0 && !seen.items.some((item) => item.type === trigger.event_type);
  let text: string;
  switch (trigger.kind) {
    case 'event':
      text = t('care.trigger.event', { event: eventLabel(t, trigger.event_type) });
      break;
    case 'tag_added':
      text = t('care.trigger.tagAdded', { tag: tagText(tags, trigger.tag, trigger.value, words) });
      break;
    case 'tag_removed':
      text = t('care.trigger.tagRemoved', { tag: tagText(tags, trigger.tag, trigger.value, words) });
      break;
    case 'birthday':
      text = trigger.days_before === 0 ? t('care.trigger.birthdayToday') : t('care.trigger.birthday', { days: trigger.days_before });
      break;
  }
  return (
    <>
      <span data-testid="care-plan-trigger">{text}</span>
      {trigger.kind === 'event' && trigger.time_property && (
        <>
          <br />
          <Typography.Text type="secondary">{t('care.trigger.fromProperty', { property: trigger.time_property })}</Typography.Text>
        </>
      )}
      {unseen && (
        <>
          <br />
          <Typography.Text type="warning" data-testid="care-plan-trigger-unseen">
            {t(pluralKey('care.plan.triggerUnseen', seen.sampled), { count: seen.sampled })}
          </Typography.Text>
        </>
      )}
      {cancel && (
        <>
          <br />
          <Typography.Text type="secondary" data-testid="care-plan-cancel-rule">
            {cancel.same_property ? t('care.cancel.textSame', { event: eventLabel(t, cancel.event_type), property: cancel.same_property }) : t('care.cancel.text', { event: eventLabel(t, cancel.event_type) })}
          </Typography.Text>
        </>
      )}
    </>
  );
}
