import { Alert, App, Button, Card, Form, Input, Space } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useApi } from '../../app/hooks/useApi';
import { usePermissions } from '../../app/hooks/usePermissions';
import { useSession } from '../../app/hooks/useSession';
import { ExpressionEditor } from '../../expression/components/ExpressionEditor';
import { useExpressionCount } from '../../expression/hooks/useExpressionCount';
import { segmentsRevision, type SegmentJson } from '../hooks/useSegments';
import { dropSegmentEdit, keepSegmentDraft, keepSegmentEdit, readSegmentDraft, readSegmentEdit } from '../state/segmentDraft';
import { segmentsReading } from '../utils/segmentsReading';
import { SegmentInsight } from './SegmentInsight';
import { KEY_PATTERN } from '../../../../../src/core/names';
import { pluralKey } from '../../app/utils/messages';
import { ApiError } from '../../app/utils/api';
import { ChangedSinceAlert } from '../../app/components/ChangedSinceAlert';
import { useOpenedVersion } from '../../app/hooks/useOpenedVersion';

/** A saved segment as it is defined: what its list row and its own read both say, counts aside. */
function definitionOf(segment: SegmentJson): SegmentJson {
  return { key: segment.key, name: segment.name, expression: segment.expression, description: segment.description, updated_at: segment.updated_at };
}

const definitionKey = (segment: SegmentJson) => JSON.stringify(definitionOf(segment));

/**
 * Writes an expression with its live count, then saves it under a key and a name; given a
 * saved segment (`editing`), changes that one instead. The page remounts it per segment.
 */
export function SegmentBuilder({ editing, segments, onSaved, onCancel, onDirtyChange }: { editing?: SegmentJson | undefined; segments: readonly SegmentJson[] | 'pending'; onSaved: () => void; onCancel?: () => void; onDirtyChange?: (dirty: boolean) => void }) {
  const { t, workspace } = useSession();
  const { can } = usePermissions();
  const api = useApi();
  const { message } = App.useApp();
  // A segment, new or saved, goes on from where it was left, when the page was left before it was saved.
  const [restored] = useState(() => (editing ? readSegmentEdit(workspace, editing.key)?.draft : undefined));
  const [draft] = useState(() => restored ?? editing ?? readSegmentDraft(workspace));
  const [key, setKey] = useState(draft.key);
  const [name, setName] = useState(draft.name);
  const [expression, setExpression] = useState(draft.expression);
  // Why the server refused the last save (or a reload), kept beside the form (a toast was gone
  // before it was read) until the name, key or expression it was about changes.
  const [refused, setRefused] = useState<{ key: string; name: string; expression: string; code: string; detail: string }>();
  const refuse = (error: unknown) => setRefused({ key, name, expression, code: error instanceof ApiError ? error.problem.code : '', detail: error instanceof Error ? error.message : String(error) });
  // A saved segment is saved only over the version the form opened: changed before it opened (since
  // the list was read, or since the changes kept from an earlier visit began) or since, the save is refused.
  const version = useOpenedVersion(editing && `/segments/${encodeURIComponent(editing.key)}`, editing, definitionKey, { onReloadFailed: refuse });
  // The saved segment as this form began from it; after a reload, as it is now.
  const basis = version.current;
  useEffect(() => {
    if (!editing) keepSegmentDraft(workspace, { key, name, expression });
  }, [editing, workspace, key, name, expression]);
  // Counted again once a saved segment changes: the expression may read it.
  const counted = useExpressionCount(expression, undefined, segmentsRevision(segments));
  // A saved segment changed but not saved: the page asks before it opens another in its place.
  const dirty = basis !== undefined && (key !== basis.key || name !== basis.name || expression.trim() !== basis.expression.trim());
  useEffect(() => onDirtyChange?.(dirty), [dirty, onDirtyChange]);
  // Dropped when the changes are undone by hand; otherwise when saved, or cancelled on the page.
  useEffect(() => {
    if (!editing || !basis) return;
    if (dirty) keepSegmentEdit(workspace, { segment: basis, draft: { key, name, expression } });
    else dropSegmentEdit(workspace, editing.key);
  }, [editing, basis, workspace, dirty, key, name, expression]);
  // A segment may read neither itself nor one that reads it.
  const exclude = useMemo(() => (editing && segments !== 'pending' ? segmentsReading(segments, editing.key) : undefined), [editing, segments]);
  const valid = counted.settled === expression.trim() && counted.count !== undefined;
  const keyInvalid = key !== '' && !KEY_PATTERN.test(key);
  // The first thing still lacking, in the order of the form: the condition, then the name above the key.
  const noCondition = expression.trim() === '';
  const missing = noCondition ? t('segments.conditionMissing') : !name.trim() ? t('common.nameMissing') : !key ? t('common.keyMissing') : keyInvalid ? t('common.keyInvalid') : undefined;
  const [saving, setSaving] = useState(false);
  const refusal = refused && refused.key === key && refused.name === name && refused.expression === expression ? refused : undefined;
  const keyTaken = refusal?.code === 'SEGMENT_EXISTS';
  // The expression whose insight is open, as it was when asked for.
  const [insight, setInsight] = useState<string>();
  const ready = valid && missing === undefined && !saving;
  const save = async () => {
    // Enter in a field saves as the button does, and only when the button would.
    if (!ready) return;
    setSaving(true);
    setRefused(undefined);
    try {
      const saved = editing
        ? (await api.patchIf<{ name: string; count: number }>(`/segments/${encodeURIComponent(editing.key)}`, { ...(key !== basis?.key ? { key } : {}), name, expression }, await version.ifMatch())).body
        : await api.post<{ name: string; count: number }>('/segments', { key, name, expression });
      message.success(t(pluralKey('segments.saved', saved.count), { name: saved.name, count: saved.count }));
      // A saved segment's form closes as it is saved; emptied, it would be kept as a change.
      if (editing) dropSegmentEdit(workspace, editing.key);
      else {
        setKey('');
        setName('');
        setExpression('');
      }
      onSaved();
    } catch (error) {
      // Someone else changed it since: what was typed stays, with a reload beside it.
      if (!version.refused(error)) refuse(error);
    } finally {
      setSaving(false);
    }
  };
  /**
   * After a save refused as changed since: the segment as it is now. Where only its count moved,
   * what was typed stays, to be saved again as it is; otherwise the form shows their changes, for
   * the operator to apply theirs again.
   */
  const reload = () =>
    version.reload((now) => {
      setKey(now.key);
      setName(now.name);
      setExpression(now.expression);
    });
  return (
    <Card title={editing ? t('segments.editTitle', { name: editing.name }) : t('segments.builder')} data-testid={editing ? 'segment-editor' : undefined}>
      {restored && dirty && <Alert data-testid="segment-edit-restored" type="info" showIcon message={t('segments.editRestored')} style={{ marginBottom: 16 }} />}
      <Form layout="vertical">
        <Form.Item label={t('segments.expression')}>
          <ExpressionEditor testId="segment-expression" value={expression} onChange={setExpression} result={counted} placeholder={t('builder.segmentExample')} segmentSubjects={{ segments, exclude }} />
        </Form.Item>
        {/* Insight only reads, as the count does: offered to every role once the expression counts. */}
        {valid && (
          <Form.Item>
            <Button data-testid={editing ? 'segment-editor-insight' : 'segment-builder-insight'} onClick={() => setInsight(expression.trim())}>
              {t('segments.insight')}
            </Button>
          </Form.Item>
        )}
        {/* Without `write` the builder still counts, which only reads. */}
        {can('write') && (
          <>
            <Form.Item label={t('segments.name')} required>
              <Input data-testid="segment-name" aria-label={t('segments.name')} value={name} onChange={(event) => setName(event.target.value)} onPressEnter={() => void save()} maxLength={64} />
            </Form.Item>
            <Form.Item className="tb-hinted-field" label={t('segments.key')} required extra={t('segments.keyHint')} validateStatus={keyInvalid || keyTaken ? 'error' : undefined} help={keyInvalid ? t('common.keyInvalid') : keyTaken ? <span data-testid="segment-key-taken">{refusal.detail}</span> : undefined}>
              <Input data-testid="segment-key" aria-label={t('segments.key')} value={key} onChange={(event) => setKey(event.target.value)} onPressEnter={() => void save()} maxLength={64} placeholder="high_value_shanghai" />
            </Form.Item>
            <Space wrap>
              <Button data-testid="segment-save" type="primary" disabled={!valid || missing !== undefined} loading={saving} onClick={() => void save()}>
                {editing ? t('segments.saveChanges') : t('segments.save')}
              </Button>
              {editing && (
                <Button data-testid="segment-edit-cancel" onClick={onCancel}>
                  {t('common.cancel')}
                </Button>
              )}
              {/* Why the button is greyed out, rather than leaving the operator to guess. */}
              {(valid || noCondition) && missing !== undefined && <span data-testid="segment-save-missing">{missing}</span>}
            </Space>
            {refusal && !keyTaken && <Alert data-testid="segment-save-error" type="error" showIcon style={{ marginTop: 16 }} message={refusal.detail} />}
            {version.conflict && (
              <ChangedSinceAlert style={{ marginTop: 16 }} testId="segment-conflict" reloadTestId="segment-conflict-reload" message={t('segments.changedSince')} reloading={version.reloading} onReload={() => void reload()} />
            )}
          </>
        )}
      </Form>
      {insight !== undefined && <SegmentInsight target={{ expression: insight }} onClose={() => setInsight(undefined)} />}
    </Card>
  );
}
