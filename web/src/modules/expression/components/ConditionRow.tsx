import { Button, Grid, Select, Tooltip } from 'antd';
import { DeleteOutlined } from '@ant-design/icons';
import { useSession } from '../../app/hooks/useSession';
import type { Condition } from '../utils/filterModel';
import { operatorsFor, shapeOf, type Operator, type Subject } from '../utils/subjects';
import { ConditionValue } from './ConditionValue';

interface Props {
  condition: Condition;
  subjects: readonly Subject[];
  byId: ReadonlyMap<string, Subject>;
  testId: string;
  /** The condition's name among several (条件 2): its controls, alike in every row, are heard within it. */
  label?: string | undefined;
  onChange: (condition: Condition) => void;
  onRemove: () => void;
}

const KINDS = ['tag', 'field', 'metric', 'segment'] as const;

function defaultOperator(subject: Subject): Operator {
  if (subject.type === 'number') return '>=';
  if (subject.type === 'date' || subject.type === 'timestamp') return 'within';
  return operatorsFor(subject)[0] as Operator;
}

/** One condition: 非, what it tests, how, and against what. */
export function ConditionRow({ condition, subjects, byId, testId, label, onChange, onRemove }: Props) {
  const { t } = useSession();
  const phone = Grid.useBreakpoint().md === false;
  const subject = condition.subject === undefined ? undefined : byId.get(condition.subject);
  const pickSubject = (id: string) => {
    const next = byId.get(id);
    if (!next) return;
    const operator = defaultOperator(next);
    onChange({ ...condition, subject: id, operator, values: next.type === 'boolean' ? ['true'] : [] });
  };
  const pickOperator = (operator: Operator) => {
    if (!subject) return;
    const before = condition.operator ? shapeOf(subject, condition.operator) : undefined;
    const after = shapeOf(subject, operator);
    // Values carry over where they still mean something: one picked value becomes a list of one, and back.
    const values = before === after ? condition.values : (before === 'one' && after === 'many') || (before === 'many' && after === 'one') ? condition.values.slice(0, 1) : [];
    onChange({ ...condition, operator, values });
  };
  const groups = KINDS.map((kind) => ({
    label: t(`builder.kind.${kind}`),
    options: subjects.filter((item) => item.kind === kind).map((item) => ({ value: item.id, label: item.name, search: [item.name, item.key, ...(item.written === undefined ? [] : [item.written]), ...(item.aliases ?? [])].join(' ').toLowerCase() })),
  })).filter((group) => group.options.length > 0);
  return (
    // Laid out by the tb-condition rules of index.html: one line where the builder is wide; in a
    // narrow one (the segment builder's column on a laptop) 非, the subject and the × on the first
    // line and how it is tested under the subject, its left edge aligned with the subject's.
    <div className="tb-condition" role={label === undefined ? undefined : 'group'} aria-label={label}>
      <div data-testid={testId} className="tb-condition-row">
        <Tooltip title={t('builder.notTip')}>
          <Button className="tb-condition-not" data-testid={`${testId}-not`} aria-pressed={condition.not} type={condition.not ? 'primary' : 'default'} danger={condition.not} onClick={() => onChange({ ...condition, not: !condition.not })}>
            {t('builder.not')}
          </Button>
        </Tooltip>
        <Select
          className="tb-condition-subject"
          data-testid={`${testId}-subject`}
          aria-label={t('builder.subject')}
          showSearch
          // A phone's row has room for about twenty characters beside 非 and ×: the English in full would be cut mid-word.
          placeholder={t(phone ? 'builder.subjectShort' : 'builder.subject')}
          value={condition.subject}
          options={groups}
          filterOption={(input, option) => option !== undefined && 'search' in option && String(option.search).includes(input.trim().toLowerCase())}
          onChange={pickSubject}
        />
        <div className="tb-condition-how">
          {/* A segment has one way to be tested, membership: 非 and the segment's name say it all. */}
          {subject && subject.kind !== 'segment' && (
            <Select
              data-testid={`${testId}-operator`}
              aria-label={t('builder.operator')}
              // Narrow enough for a value beside it in the segment builder's column on a laptop (ConditionValue).
              style={{ flex: '0 1 136px', minWidth: 100 }}
              placeholder={t('builder.operator')}
              value={condition.operator}
              options={operatorsFor(subject).map((operator) => ({ value: operator, label: t(`op.${operator}`) }))}
              onChange={pickOperator}
            />
          )}
          {subject && <ConditionValue condition={condition} subject={subject} testId={`${testId}-value`} onChange={onChange} />}
        </div>
        <Button className="tb-condition-remove" data-testid={`${testId}-remove`} aria-label={t('builder.remove')} icon={<DeleteOutlined />} onClick={onRemove} />
      </div>
    </div>
  );
}
