import { Modal, Radio, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useSession } from '../../app/hooks/useSession';
import { pluralKey } from '../../app/utils/messages';
import type { ValueDraft, ValueRemoval } from '../utils/tagDraft';

/**
 * Asks what becomes of the customers holding a saved value that is being taken out: the value
 * comes off them, or they move to another saved value (which merges the two). A rule's holders
 * are its condition's, so for a rule it only says that they lose it.
 */
export function RemoveValueDialog({ value, others, rule, onRemove, onCancel }: { value: ValueDraft; others: ValueDraft[]; rule: boolean; onRemove: (removal: ValueRemoval) => void; onCancel: () => void }) {
  const { t } = useSession();
  const held = value.held ?? 0;
  const targets = others.filter((other) => other.saved !== undefined);
  const [onAssigned, setOnAssigned] = useState<'remove' | 'move'>('remove');
  const [moveTo, setMoveTo] = useState<string | undefined>(targets[0]?.saved);
  const key = value.saved ?? value.key;
  const confirm = () => onRemove(onAssigned === 'move' && moveTo !== undefined ? { key, name: value.name, held, onAssigned, moveTo } : { key, name: value.name, held, onAssigned: 'remove' });
  return (
    <Modal
      open
      title={t('tags.removeHeldTitle', { name: value.name })}
      okText={t('tags.removeOk')}
      okButtonProps={{ danger: true, disabled: onAssigned === 'move' && moveTo === undefined, ...{ 'data-testid': 'value-remove-confirm' } }}
      cancelText={t('common.cancel')}
      onOk={confirm}
      onCancel={onCancel}
    >
      <div data-testid="value-remove-dialog">
        {rule ? (
          <Typography.Paragraph>{t(pluralKey('tags.removeRuleHeld', held), { count: held, name: value.name })}</Typography.Paragraph>
        ) : (
          <>
            <Typography.Paragraph>{t(pluralKey('tags.removeHeld', held), { count: held, name: value.name })}</Typography.Paragraph>
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
                    options={targets.map((target) => ({ value: target.saved, label: target.name }))}
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
