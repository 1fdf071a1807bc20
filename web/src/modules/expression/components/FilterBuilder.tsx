import { Button, Radio, Space } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
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
  return (
    <Space direction="vertical" style={{ width: '100%' }} size={8} data-testid={`${testId}-builder`}>
      {model.conditions.length > 1 && (
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
      )}
      {model.conditions.map((condition, index) => (
        <ConditionRow
          key={condition.id}
          condition={condition}
          subjects={subjects}
          byId={byId}
          testId={`${testId}-condition-${index}`}
          onChange={(next) => onChange({ ...model, conditions: model.conditions.map((item) => (item.id === condition.id ? next : item)) })}
          onRemove={() => {
            const rest = model.conditions.filter((item) => item.id !== condition.id);
            onChange({ ...model, conditions: rest.length > 0 ? rest : [blankCondition()] });
          }}
        />
      ))}
      <Button data-testid={`${testId}-add`} size="small" icon={<PlusOutlined />} onClick={() => onChange({ ...model, conditions: [...model.conditions, blankCondition()] })}>
        {t('builder.add')}
      </Button>
    </Space>
  );
}
