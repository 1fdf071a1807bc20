import { Alert, Card, Descriptions, Popconfirm, Tooltip, type ButtonProps } from 'antd';
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useSession } from '../../app/hooks/useSession';
import { formatTime } from '../../app/utils/format';
import { focusIsLost } from '../../app/utils/focus';
import type { TagGroupJson, TagJson } from '../../app/utils/types';
import { useModelWords } from '../../models/hooks/useModelWords';
import { TagChip } from '../../tags/components/TagChip';
import { pickTagColor } from '../../tags/utils/tagColor';
import type { PortraitTag } from '../hooks/usePortrait';
import { AddTagForm } from './AddTagForm';
import { actorLabel } from '../../app/utils/actorLabel';
import { sourceLabel } from './HistorySource';

interface Props {
  tags: PortraitTag[];
  library: TagJson[];
  groups: TagGroupJson[];
  onAdd: (tag: string, values: string[]) => Promise<void>;
  onRemove: (tag: PortraitTag) => Promise<void>;
  /** Whether the user may add and remove tags here. */
  editable: boolean;
}

/**
 * The customer's tags by tag group; hovering a chip says who applied it, when, and until when. Its
 * × asks before it removes: on a phone a finger easily lands on the × of the chip beside.
 */
export function PortraitTags({ tags, library, groups, onAdd, onRemove, editable }: Props) {
  const { t, lang, utcOffsetMinutes } = useSession();
  const words = useModelWords();
  // The ids of the chips' popups, by the tag's place in the list: a tag's value may hold spaces, which an id may not.
  const tipIds = useId();
  // A model's tag in the catalog's English words in English, as its history reads (its colour, picked by its stored name, the same in either language).
  const labelOf = (tag: PortraitTag) => words.label(tag.label, tag.kind);
  // The chip whose removal is being asked about, as `tag:value`.
  const [removing, setRemoving] = useState<string>();
  // The × that asked, given the focus back when the question is put away unanswered: a keyboard
  // user would otherwise be sent back to the top of the page.
  const asker = useRef<HTMLElement | null>(null);
  const ask = (id: string) => {
    asker.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setRemoving(id);
  };
  const putAway = () => {
    setRemoving(undefined);
    asker.current?.focus();
  };
  // Which of the ×s removed its tag: the question, and the × with its chip, are gone once it is
  // answered, and the focus with them to the page's top. It goes on to the × now in that place (or
  // the last), or with none left, to the form that adds a tag; unless something has taken it since.
  const card = useRef<HTMLDivElement>(null);
  const removedAt = useRef<number>(undefined);
  useEffect(() => {
    const at = removedAt.current;
    removedAt.current = undefined;
    if (at === undefined || !focusIsLost()) return;
    const closers = [...(card.current?.querySelectorAll<HTMLElement>('.ant-tag-close-icon[role="button"]') ?? [])];
    (closers[Math.min(at, closers.length - 1)] ?? card.current?.querySelector<HTMLElement>('[data-testid="add-tag-tag"] input'))?.focus();
  }, [tags]);
  // The question's buttons take the keys a dialog's would: Esc puts it away. (antd hears Esc only on the chip.)
  const escapes = { onKeyDown: (event: KeyboardEvent) => event.key === 'Escape' && putAway() };
  const groupOf = new Map(library.map((tag) => [tag.key, tag.group]));
  const groupName = new Map(groups.map((group) => [group.key, group.name]));
  const byGroup = new Map<string, PortraitTag[]>();
  for (const tag of tags) {
    // A model's tag outside any group is under the models' own heading, not among the ungrouped ones.
    const name = groupName.get(groupOf.get(tag.tag) ?? '') ?? (tag.kind === 'model' ? t('portrait.modelTags') : t('portrait.ungrouped'));
    byGroup.set(name, [...(byGroup.get(name) ?? []), tag]);
  }
  const explained = tags.filter((tag) => tag.explanation);
  const explanationOf = (tag: PortraitTag) => (lang === 'en-US' ? (tag.explanation_en ?? tag.explanation) : tag.explanation);
  return (
    <Card ref={card} title={t('portrait.tags')} data-testid="portrait-tags">
      {explained.map((tag) => (
        <Alert key={tag.tag} type="info" style={{ marginBottom: 12 }} message={`${t('portrait.rfm')} · ${labelOf(tag)}`} description={explanationOf(tag)} data-testid="rfm-explanation" />
      ))}
      <Descriptions size="small" column={1}>
        {[...byGroup].map(([group, held]) => (
          <Descriptions.Item key={group} label={group}>
            <div>
              {held.map((tag) => {
                const id = `${tag.tag}:${tag.value}`;
                const removable = tag.kind !== 'model' && editable;
                // The popup describes what takes the focus (the × or the chip), so that a screen reader reads it out:
                // the question whether to remove would otherwise be what the chip is described by.
                const tipId = `${tipIds}tip-${tags.indexOf(tag)}`;
                const chip = <TagChip label={labelOf(tag)} color={tag.color ?? pickTagColor(tag.tag_name)} {...(removable ? { onClose: () => ask(id), closeLabel: t('portrait.removeTag', { label: labelOf(tag) }), closeDescribedBy: tipId } : {})} />;
                return (
                  <Tooltip
                    key={id}
                    id={tipId}
                    // A phone has no hover: a tap on the chip shows who tagged it, when, and until when. From the
                    // keyboard, so does the focus on the chip's ×, or on the chip itself when it has none.
                    trigger={['hover', 'click', 'focus']}
                    // Not over the question whether to remove it.
                    {...(removing === id ? { open: false } : {})}
                    title={
                      <div>
                        <div>{`${t('portrait.source')}: ${sourceLabel(t, tag.source)}`}</div>
                        <div>{`${t('portrait.actor')}: ${actorLabel(t, tag.actor)}`}</div>
                        <div>{`${t('portrait.assignedAt')}: ${formatTime(tag.assigned_at, lang, utcOffsetMinutes)}`}</div>
                        <div>{`${t('portrait.expiresAt')}: ${tag.expires_at ? formatTime(tag.expires_at, lang, utcOffsetMinutes) : t('portrait.never')}`}</div>
                        {tag.explanation && <div>{explanationOf(tag)}</div>}
                      </div>
                    }
                  >
                    {removable ? (
                      <Popconfirm
                        open={removing === id}
                        // Opened by the × only; a tap elsewhere closes it.
                        onOpenChange={(open) => {
                          if (!open) setRemoving(undefined);
                        }}
                        onCancel={putAway}
                        // Its button takes the focus once it is shown (autoFocus, at its mounting, is lost while it is still
                        // being placed); built anew at each opening, so that there is one such button at a time.
                        afterOpenChange={(shown) => shown && document.querySelector<HTMLElement>('[data-testid="remove-tag-confirm"]')?.focus()}
                        destroyOnHidden
                        title={t('portrait.removeConfirm', { label: labelOf(tag) })}
                        okText={t('portrait.removeOk')}
                        // Asked from the keyboard, the answer is a key away: Enter removes, Tab reaches Cancel, Esc keeps the tag.
                        okButtonProps={{ danger: true, 'data-testid': 'remove-tag-confirm', ...escapes } as ButtonProps}
                        cancelButtonProps={escapes}
                        cancelText={t('common.cancel')}
                        onConfirm={() => {
                          const closers = [...(card.current?.querySelectorAll('.ant-tag-close-icon[role="button"]') ?? [])];
                          removedAt.current = Math.max(0, closers.indexOf(asker.current as Element));
                          setRemoving(undefined);
                          void onRemove(tag);
                        }}
                      >
                        <span>{chip}</span>
                      </Popconfirm>
                    ) : (
                      // Nothing to remove, no question: the chip takes the focus itself, described by the popup (the tooltip sets aria-describedby on it).
                      <span tabIndex={0} data-testid="portrait-tag-chip">
                        {chip}
                      </span>
                    )}
                  </Tooltip>
                );
              })}
            </div>
          </Descriptions.Item>
        ))}
      </Descriptions>
      {editable && <AddTagForm library={library} held={new Set(tags.map((tag) => `${tag.tag}:${tag.value}`))} onAdd={onAdd} />}
    </Card>
  );
}
