import { Button, Radio, Space } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useEffect, useRef, useState } from 'react';
import { useSession } from '../../app/hooks/useSession';
import { blankCondition, type FilterModel } from '../utils/filterModel';
import type { Subject } from '../utils/subjects';
import { ConditionRow } from './ConditionRow';

interface Props {
  model: FilterModel;
  subjects: readonly Subject[];
  byId: ReadonlyMap<string, Subject>;
  testId: string;
  onChange: (model: FilterModel) => void;
}

/** Conditions joined by 且 or 或, each one row. */
export function FilterBuilder({ model, subjects, byId, testId, onChange }: Props) {
  const { t } = useSession();
  // Adding or removing a condition shows or hides 且/或 above the rows, and the rows and the button
  // below are laid out anew: the focus fell to the page's top. It goes where the keyboard user
  // is headed instead: into the new condition, or to Add condition once one is removed.
  const root = useRef<HTMLDivElement>(null);
  const [focusNext, setFocusNext] = useState<string>();
  useEffect(() => {
    if (focusNext === undefined) return;
    root.current?.querySelector<HTMLElement>(focusNext)?.focus();
    setFocusNext(undefined);
  }, [focusNext]);
  return (
    <Space ref={root} direction="vertical" style={{ width: '100%' }} size={8} data-testid={`${testId}-builder`}>
      {model.conditions.length > 1 && (
        // Named for a screen reader, which heard two choices of no question; antd's group takes no role of its own.
        <div role="radiogroup" aria-label={t('builder.join')}>
          <Radio.Group
            data-testid={`${testId}-join`}
            size="small"
            optionType="button"
            value={model.join}
            onChange={(event) => onChange({ ...model, join: event.target.value as FilterModel['join'] })}
            options={[
              { value: 'and', label: t('builder.joinAnd') },
              { value: 'or', label: t('builder.joinOr') },
            ]}
          />
        </div>
      )}
      {model.conditions.map((condition, index) => (
        <ConditionRow
          key={condition.id}
          condition={condition}
          subjects={subjects}
          byId={byId}
          testId={`${testId}-condition-${index}`}
          label={model.conditions.length > 1 ? t('builder.conditionNumbered', { n: index + 1 }) : undefined}
          onChange={(next) => onChange({ ...model, conditions: model.conditions.map((item) => (item.id === condition.id ? next : item)) })}
          onRemove={() => {
            const rest = model.conditions.filter((item) => item.id !== condition.id);
            onChange({ ...model, conditions: rest.length > 0 ? rest : [blankCondition()] });
            setFocusNext(`[data-testid="${testId}-add"]`);
          }}
        />
      ))}
      <Button
        data-testid={`${testId}-add`}
        size="small"
        icon={<PlusOutlined />}
        onClick={(event) => {
          onChange({ ...model, conditions: [...model.conditions, blankCondition()] });
          // From the keyboard only (a click by key has no count): on a phone a tap would bring up the keyboard over the page.
          setFocusNext(event.detail === 0 ? `[data-testid="${testId}-condition-${model.conditions.length}-subject"] input` : `[data-testid="${testId}-add"]`);
        }}
      >
        {t('builder.add')}
      </Button>
    </Space>
  );
}
