import { Alert, Skeleton, Space, Typography } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useSession } from '../../app/hooks/useSession';
import { pluralKey } from '../../app/utils/messages';
import type { ExpressionCount } from '../hooks/useExpressionCount';
import { useSubjects, type SegmentSubjects } from '../hooks/useSubjects';
import { emptyModel, writeCondition, writeFilter, type FilterModel } from '../utils/filterModel';
import { parseFilter } from '../utils/parseFilter';
import { ExpressionInput } from './ExpressionInput';
import { FilterBuilder } from './FilterBuilder';
import { ExpressionStatus } from './ExpressionStatus';
import { SegmentedChoice } from '../../app/components/SegmentedChoice';

type Mode = 'builder' | 'text';

interface Props {
  value: string;
  onChange: (value: string) => void;
  result: ExpressionCount;
  placeholder: string;
  testId: string;
  /** Which saved segments a condition may name (all, read by the editor, unless given). */
  segmentSubjects?: SegmentSubjects;
  /** What the line under the builder says while there are no conditions ("no conditions: every customer" unless given). */
  emptyText?: string;
}

/**
 * An expression edited either with the visual builder or as text. The text is the one truth:
 * the builder writes it, and reads it back when it has the builder's shape; when it does not,
 * the editor says so and stays with the text rather than drop any of it.
 */
export function ExpressionEditor({ value, onChange, result, placeholder, testId, segmentSubjects, emptyText }: Props) {
  const { t } = useSession();
  const { subjects, ready } = useSubjects(segmentSubjects);
  const byId = useMemo(() => new Map(subjects.map((subject) => [subject.id, subject])), [subjects]);
  const [mode, setMode] = useState<Mode>('builder');
  const [model, setModel] = useState<FilterModel>(emptyModel);
  const [asText, setAsText] = useState(false);
  // The text the builder's conditions stand for. Incomplete conditions are not in the text,
  // so the builder keeps its own copy for as long as the text is the one it wrote.
  const written = useRef('');
  // The server could not read the text: the builder cannot show it because it is wrong, not
  // because it goes beyond the builder. A server that did not answer (the database out of reach)
  // says nothing of the text: the status line says why. Until the answer for new text comes,
  // the last one stands; before any has come, neither is said.
  const invalid = result.detail !== undefined && result.refused;
  const answered = result.detail !== undefined || result.count !== undefined;

  // Text changed from outside while the builder shows (cleared after saving, say).
  useEffect(() => {
    if (mode !== 'builder' || !ready || value === written.current) return;
    const parsed = parseFilter(value, subjects);
    written.current = value;
    if (parsed) {
      setModel(parsed);
    } else {
      setMode('text');
      setAsText(true);
    }
  }, [value, mode, ready, subjects]);

  const toBuilder = () => {
    if (value === written.current) {
      setMode('builder');
      setAsText(false);
      return;
    }
    const parsed = ready ? parseFilter(value, subjects) : undefined;
    if (!parsed) {
      setAsText(true);
      return;
    }
    written.current = value;
    setModel(parsed);
    setMode('builder');
    setAsText(false);
  };

  // Text given from outside (a saved segment opened for a change) is shown as conditions once the
  // tags, fields and metrics it names are known; until then there is nothing to edit, or a
  // condition added meanwhile would be replaced by the segment's own when they come.
  const awaiting = mode === 'builder' && !ready && value !== written.current;

  const unfinished = model.conditions.filter((condition) => condition.subject !== undefined && writeCondition(condition, byId) === undefined).length;
  const edit = (next: FilterModel) => {
    setModel(next);
    const text = writeFilter(next, byId);
    written.current = text;
    if (text !== value) onChange(text);
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }} size={8}>
      <SegmentedChoice<Mode>
        data-testid={`${testId}-mode`}
        aria-label={t('builder.mode')}
        size="small"
        value={mode}
        onChange={(next) => (next === 'builder' ? toBuilder() : setMode('text'))}
        options={[
          { value: 'builder', label: <span data-testid={`${testId}-mode-builder`}>{t('builder.visual')}</span> },
          { value: 'text', label: <span data-testid={`${testId}-mode-text`}>{t('builder.text')}</span> },
        ]}
      />
      {mode === 'builder' ? (
        <>
          {awaiting ? (
            <div data-testid={`${testId}-loading`}>
              <Skeleton active title={false} paragraph={{ rows: 2 }} />
            </div>
          ) : (
            <FilterBuilder model={model} subjects={subjects} byId={byId} testId={testId} onChange={edit} />
          )}
          {/* The expression in the type of code; "no conditions: every customer" is a sentence, set as the page's text in either language. */}
          <Typography.Text data-testid={`${testId}-text`} code={value !== ''} type={value === '' ? 'secondary' : undefined} style={{ ...(value === '' ? {} : { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace' }), overflowWrap: 'anywhere' }}>
            {value === '' ? (emptyText ?? t('builder.empty')) : value}
          </Typography.Text>
          {/* A condition begun but not finished is left out: said, or "no conditions: every customer" reads as if it were ignored by mistake. */}
          {unfinished > 0 && (
            <Typography.Text data-testid={`${testId}-unfinished`} type="warning">
              {t(pluralKey('builder.unfinished', unfinished), { count: unfinished })}
            </Typography.Text>
          )}
          <ExpressionStatus value={value} result={result} testId={testId} />
        </>
      ) : (
        <>
          {asText &&
            answered &&
            (invalid ? (
              <Alert data-testid={`${testId}-invalid`} type="warning" showIcon message={t('builder.invalid')} />
            ) : (
              <Alert data-testid={`${testId}-as-text`} type="info" showIcon message={t('builder.asText')} />
            ))}
          <ExpressionInput testId={testId} value={value} onChange={onChange} result={result} placeholder={placeholder} />
        </>
      )}
    </Space>
  );
}
