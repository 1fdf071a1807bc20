import { Button, ColorPicker, Input, Space, Tag, Tooltip } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, HolderOutlined } from '@ant-design/icons';
import { useSession } from '../../app/hooks/useSession';
import type { RuleDiagnostic } from '../hooks/useRulePreview';
import type { ValueDraft } from '../utils/tagDraft';
import { ConditionInput } from './ConditionInput';

interface Props {
  value: ValueDraft;
  index: number;
  last: boolean;
  rule: boolean;
  count: number | undefined;
  errors: RuleDiagnostic[];
  onChange: (value: ValueDraft) => void;
  onMove: (offset: -1 | 1) => void;
  onRemove: () => void;
  /** The index of the row being dragged, if any. */
  dragging: number | undefined;
  onDragStart: () => void;
  onDragEnd: () => void;
  onDrop: () => void;
}

/** One value of the tag being edited: key, name, colour, its place, and for a rule its condition with a live count. */
export function ValueRow({ value, index, last, rule, count, errors, onChange, onMove, onRemove, dragging, onDragStart, onDragEnd, onDrop }: Props) {
  const { t } = useSession();
  const label = value.name || value.key || `#${index + 1}`;
  return (
    <div
      data-testid={`value-row-${index}`}
      style={{ borderBottom: '1px solid #f0f0f0', padding: '8px 0', opacity: dragging === index ? 0.4 : 1, background: dragging !== undefined && dragging !== index ? '#fafafa' : undefined }}
      onDragOver={(event) => {
        if (dragging === undefined) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = 'move';
      }}
      onDrop={(event) => {
        event.preventDefault();
        onDrop();
      }}
    >
      <Space wrap align="start">
        {/* Only the handle drags, so text in the inputs can still be selected with the mouse. */}
        <Tooltip title={t('tags.drag')}>
          <span
            data-testid={`value-drag-${index}`}
            role="button"
            aria-label={t('tags.dragNamed', { name: label })}
            draggable
            style={{ cursor: 'grab', display: 'inline-flex', alignItems: 'center', height: 32, padding: '0 4px', color: '#8c8c8c' }}
            onDragStart={(event) => {
              event.dataTransfer.effectAllowed = 'move';
              // Firefox starts no drag without data.
              event.dataTransfer.setData('text/plain', value.key);
              const row = event.currentTarget.closest('[data-testid^="value-row-"]');
              if (row) event.dataTransfer.setDragImage(row, 12, 16);
              onDragStart();
            }}
            onDragEnd={onDragEnd}
          >
            <HolderOutlined />
          </span>
        </Tooltip>
        <Input data-testid={`value-key-${index}`} aria-label={t('tags.valueKey')} placeholder={t('tags.valueKey')} value={value.key} disabled={value.saved !== undefined} style={{ width: 120 }} onChange={(event) => onChange({ ...value, key: event.target.value.trim() })} />
        <Input data-testid={`value-name-${index}`} aria-label={t('tags.valueName')} placeholder={t('tags.valueName')} value={value.name} style={{ width: 140 }} onChange={(event) => onChange({ ...value, name: event.target.value })} />
        <ColorPicker aria-label={t('tags.color')} allowClear value={value.color ?? undefined} onChange={(color) => onChange({ ...value, color: color.cleared ? null : color.toHexString() })} onClear={() => onChange({ ...value, color: null })} />
        <Tooltip title={t('tags.moveUp')}>
          <Button data-testid={`value-up-${index}`} aria-label={t('tags.moveUpNamed', { name: label })} icon={<ArrowUpOutlined />} disabled={index === 0} onClick={() => onMove(-1)} />
        </Tooltip>
        <Tooltip title={t('tags.moveDown')}>
          <Button data-testid={`value-down-${index}`} aria-label={t('tags.moveDownNamed', { name: label })} icon={<ArrowDownOutlined />} disabled={last} onClick={() => onMove(1)} />
        </Tooltip>
        {value.saved === undefined && <Button aria-label={t('tags.removeValue')} icon={<DeleteOutlined />} onClick={onRemove} />}
        {rule && (
          <Tag data-testid={`value-count-${index}`} data-count={count ?? ''} color={count === undefined ? 'default' : 'blue'}>
            {count === undefined ? '…' : t('tags.previewCount', { count })}
          </Tag>
        )}
      </Space>
      {rule && (
        <div style={{ marginTop: 6 }}>
          <ConditionInput testId={`value-condition-${index}`} value={value.condition} errors={errors} onChange={(condition) => onChange({ ...value, condition })} />
        </div>
      )}
    </div>
  );
}
