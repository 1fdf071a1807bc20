import { Modal, Radio, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useFocusReturn } from '../../app/hooks/useFocusReturn';
import { useSession } from '../../app/hooks/useSession';
import { pluralKey } from '../../app/utils/messages';
import { useModelWords } from '../../models/hooks/useModelWords';
import type { NamedTag } from '../../models/utils/modelLabel';
import type { ValueDraft, ValueRemoval } from '../utils/tagDraft';

/**
 * Asks what becomes of the customers holding a saved value that is being taken out: the value
 * comes off them, or they move to another saved value (which merges the two). A rule's holders
 * are its condition's, so for a rule it only says that they lose it. The values of a model's tag
 * (`tag`, as saved) read in the catalog's English words in English.
 */
export function RemoveValueDialog({ tag, value, others, rule, onRemove, onCancel }: { tag?: NamedTag | undefined; value: ValueDraft; others: ValueDraft[]; rule: boolean; onRemove: (removal: ValueRemoval) => void; onCancel: () => void }) {
  // Rendered only while open: put away unanswered, it gives the focus back to the value's ×.
  useFocusReturn();
  const { t } = useSession();
  const words = useModelWords();
  const shown = (draft: ValueDraft) => (tag === undefined || draft.saved === undefined ? draft.name : words.valueName(tag, { name: draft.name, key: draft.saved }));
  const held = value.held ?? 0;
  const targets = others.filter((other) => other.saved !== undefined);
  const [onAssigned, setOnAssigned] = useState<'remove' | 'move'>('remove');
  const [moveTo, setMoveTo] = useState<string | undefined>(targets[0]?.saved);
  const key = value.saved ?? value.key;
  const confirm = () => onRemove(onAssigned === 'move' && moveTo !== undefined ? { key, name: value.name, held, onAssigned, moveTo } : { key, name: value.name, held, onAssigned: 'remove' });
  return (
    <Modal
      open
      title={t('tags.removeHeldTitle', { name: shown(value) })}
      okText={t('tags.removeOk')}
      okButtonProps={{ danger: true, disabled: onAssigned === 'move' && moveTo === undefined, ...{ 'data-testid': 'value-remove-confirm' } }}
      cancelText={t('common.cancel')}
      onOk={confirm}
      onCancel={onCancel}
    >
      <div data-testid="value-remove-dialog">
        {rule ? (
          <Typography.Paragraph>{t(pluralKey('tags.removeRuleHeld', held), { count: held, name: shown(value) })}</Typography.Paragraph>
        ) : (
          <>
            <Typography.Paragraph>{t(pluralKey('tags.removeHeld', held), { count: held, name: shown(value) })}</Typography.Paragraph>
            <Radio.Group data-testid="value-remove-choice" value={onAssigned} onChange={(event) => setOnAssigned(event.target.value as 'remove' | 'move')}>
              <Space direction="vertical">
                <Radio value="remove">{t('tags.removeFromHolders')}</Radio>
                <Radio value="move" disabled={targets.length === 0}>
                  {t('tags.moveHolders')}
                </Radio>
              </Space>
            </Radio.Group>
            {onAssigned === 'move' && (
              <div style={{ marginTop: 12 }}>
                <Space>
                  <span>{t('tags.moveTarget')}</span>
                  <Select
                    data-testid="value-remove-target"
                    aria-label={t('tags.moveTarget')}
                    value={moveTo}
                    onChange={setMoveTo}
                    options={targets.map((target) => ({ value: target.saved, label: shown(target) }))}
                    style={{ minWidth: 160 }}
                  />
                </Space>
              </div>
            )}
          </>
        )}
      </div>
    </Modal>
  );
}
