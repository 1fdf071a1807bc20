import { Button, Input, Space, Tag, Tooltip, Typography } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, HolderOutlined } from '@ant-design/icons';
import { useEffect, useRef } from 'react';
import { useSession } from '../../app/hooks/useSession';
import type { RuleDiagnostic } from '../hooks/useRulePreview';
import type { ValueDraft } from '../utils/tagDraft';
import { ConditionInput } from './ConditionInput';
import { TagColorPicker } from './TagColorPicker';
import { pluralKey } from '../../app/utils/messages';
import { focusIsLost } from '../../app/utils/focus';

interface Props {
  value: ValueDraft;
  index: number;
  last: boolean;
  rule: boolean;
  /** A model's value: its key, name, colour and place are the model's, and only its description is edited. */
  fixed?: boolean;
  count: number | undefined;
  errors: RuleDiagnostic[];
  /** What is wrong with the key or the name, said under the row. */
  problem: { field: 'key' | 'name'; text: string } | undefined;
  onChange: (value: ValueDraft) => void;
  onMove: (offset: -1 | 1) => void;
  /** Undefined where the value cannot go: a tag keeps at least one of its values. */
  onRemove: (() => void) | undefined;
  /** The row being dragged and the row it would land on, if a drag is under way. */
  drag: ValueDrag | undefined;
  onDragStart: () => void;
  onDragOver: (index: number) => void;
  onDragEnd: (drop: boolean) => void;
}

export interface ValueDrag {
  from: number;
  over: number;
}

/** The red star antd puts before a required field's label. */
const REQUIRED = (
  <span aria-hidden style={{ color: '#ff4d4f', fontFamily: 'SimSun, sans-serif' }}>
    *
  </span>
);

/** The value row under a point of the screen, by the index each row carries. */
function rowIndexAt(x: number, y: number): number | undefined {
  const row = document.elementFromPoint(x, y)?.closest<HTMLElement>('[data-value-index]');
  return row ? Number(row.dataset.valueIndex) : undefined;
}

/** One value of the tag being edited: key, name, colour, description, its place, and for a rule its condition with a live count. */
export function ValueRow({ value, index, last, rule, fixed = false, count, errors, problem, onChange, onMove, onRemove, drag, onDragStart, onDragOver, onDragEnd }: Props) {
  const { t } = useSession();
  const label = value.name || value.key || `#${index + 1}`;
  const up = useRef<HTMLButtonElement>(null);
  const down = useRef<HTMLButtonElement>(null);
  // Which way the arrows last moved this value. Moved, its row is put back in the page, which takes
  // the focus from its arrow, as greying out the arrow at the top or the bottom does: the focus
  // stays with the value, on the same arrow, or on the other once it is at the end.
  const moved = useRef<-1 | 1>(undefined);
  useEffect(() => {
    const offset = moved.current;
    moved.current = undefined;
    if (offset === undefined || !focusIsLost(up.current, down.current)) return;
    const [same, other] = offset < 0 ? [up.current, down.current] : [down.current, up.current];
    (same && !same.disabled ? same : other)?.focus();
  }, [index]);
  const move = (offset: -1 | 1) => {
    moved.current = offset;
    onMove(offset);
  };
  return (
    <div
      data-testid={`value-row-${index}`}
      data-value-index={index}
      style={{
        borderBottom: '1px solid #f0f0f0',
        padding: '8px 0',
        opacity: drag?.from === index ? 0.4 : 1,
        background: drag !== undefined && drag.from !== index ? '#fafafa' : undefined,
        // Where the dragged value would land: above this row when it moves up, below when it moves down.
        boxShadow: drag !== undefined && drag.over === index && drag.from !== index ? `inset 0 ${drag.from > index ? 2 : -2}px 0 #1677ff` : undefined,
      }}
    >
      <Space wrap align="start">
        {/* Only the handle drags, so text in the inputs can still be selected. Pointer events
            rather than HTML drag and drop, which touch screens do not fire. */}
        {!fixed && (
          <Tooltip title={t('tags.drag')}>
            <span
              data-testid={`value-drag-${index}`}
              role="button"
              aria-label={t('tags.dragNamed', { name: label })}
              style={{ cursor: drag ? 'grabbing' : 'grab', display: 'inline-flex', alignItems: 'center', height: 32, padding: '0 4px', color: '#8c8c8c', touchAction: 'none', userSelect: 'none' }}
              onPointerDown={(event) => {
                if (event.pointerType === 'mouse' && event.button !== 0) return;
                event.preventDefault();
                event.currentTarget.setPointerCapture(event.pointerId);
                onDragStart();
              }}
              onPointerMove={(event) => {
                if (drag?.from !== index) return;
                const over = rowIndexAt(event.clientX, event.clientY);
                if (over !== undefined && over !== drag.over) onDragOver(over);
              }}
              onPointerUp={() => onDragEnd(true)}
              onPointerCancel={() => onDragEnd(false)}
            >
              <HolderOutlined />
            </span>
          </Tooltip>
        )}
        {/* Both are needed to save: marked as the form's own required fields are, for the rows have no labels.
            Named by the value's place, which typing its name does not change, so that a screen reader tells the rows' fields apart. */}
        <Input data-testid={`value-key-${index}`} aria-label={t('tags.valueKeyAt', { n: index + 1 })} aria-required prefix={REQUIRED} placeholder={t('tags.valueKey')} value={value.key} disabled={value.saved !== undefined} status={problem?.field === 'key' ? 'error' : undefined} style={{ width: 120 }} onChange={(event) => onChange({ ...value, key: event.target.value.trim() })} />
        <Input data-testid={`value-name-${index}`} aria-label={t('tags.valueNameAt', { n: index + 1 })} aria-required prefix={REQUIRED} placeholder={t('tags.valueName')} value={value.name} disabled={fixed} status={problem?.field === 'name' ? 'error' : undefined} style={{ width: 140 }} onChange={(event) => onChange({ ...value, name: event.target.value })} />
        <TagColorPicker testId={`value-color-${index}`} label={t('tags.valueColorPicker', { name: label })} disabled={fixed} color={value.color} onChange={(color) => onChange({ ...value, color })} />
        {!fixed && (
          <>
            <Tooltip title={t('tags.moveUp')}>
              <Button ref={up} data-testid={`value-up-${index}`} aria-label={t('tags.moveUpNamed', { name: label })} icon={<ArrowUpOutlined />} disabled={index === 0} onClick={() => move(-1)} />
            </Tooltip>
            <Tooltip title={t('tags.moveDown')}>
              <Button ref={down} data-testid={`value-down-${index}`} aria-label={t('tags.moveDownNamed', { name: label })} icon={<ArrowDownOutlined />} disabled={last} onClick={() => move(1)} />
            </Tooltip>
            <Tooltip title={onRemove ? t('tags.removeValue') : t('tags.keepOneValue')}>
              <Button data-testid={`value-remove-${index}`} aria-label={t('tags.removeValueNamed', { name: label })} icon={<DeleteOutlined />} disabled={!onRemove} onClick={onRemove} />
            </Tooltip>
          </>
        )}
        {/* Who holds a saved value now, so that taking it out or merging it is decided knowing it. */}
        {!rule && value.held !== undefined && (
          <Tag data-testid={`value-held-${index}`} data-count={value.held}>
            {t(pluralKey('tags.previewCount', value.held), { count: value.held })}
          </Tag>
        )}
        {/* Counted once it has a condition: before, "…" would seem to be counting what nothing asks. */}
        {rule && value.condition.trim() !== '' && (
          <Tag data-testid={`value-count-${index}`} data-count={count ?? ''} color={count === undefined ? 'default' : 'blue'}>
            {count === undefined ? '…' : t(pluralKey('tags.previewCount', count), { count })}
          </Tag>
        )}
      </Space>
      {/* Under the row, the whole width: beside the name it would push the buttons onto a line of their own. */}
      <Input
        data-testid={`value-description-${index}`}
        aria-label={t('tags.valueDescriptionNamed', { name: label })}
        placeholder={t('tags.valueDescription')}
        maxLength={1024}
        value={value.description}
        style={{ marginTop: 6 }}
        onChange={(event) => onChange({ ...value, description: event.target.value })}
      />
      {problem && (
        <div>
          <Typography.Text type="danger" data-testid={`value-problem-${index}`}>
            {problem.text}
          </Typography.Text>
        </div>
      )}
      {rule && (
        <div style={{ marginTop: 6 }}>
          <ConditionInput testId={`value-condition-${index}`} value={value.condition} errors={errors} onChange={(condition) => onChange({ ...value, condition })} />
        </div>
      )}
    </div>
  );
}
