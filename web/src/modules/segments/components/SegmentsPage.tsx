import { App, Col, Row } from 'antd';
import { useRef, useState } from 'react';
import { usePermissions } from '../../app/hooks/usePermissions';
import { useSession } from '../../app/hooks/useSession';
import { useSegments, type SegmentJson } from '../hooks/useSegments';
import { dropSegmentEdit, lastSegmentEdit } from '../state/segmentDraft';
import { SegmentBuilder } from './SegmentBuilder';
import { ExportLog } from './ExportLog';
import { SegmentCompare } from './SegmentCompare';
import { SegmentList } from './SegmentList';

export function SegmentsPage() {
  const { segments, counts, countFailures, loading, error, settled, reload } = useSegments();
  // Built on as soon as they are saved: the builders offer the page's own list, read again after each save.
  const listed = settled ? segments : 'pending';
  const { can } = usePermissions();
  const { t, workspace } = useSession();
  // A saved segment left with unsaved changes when the page was last shown is open again, with them.
  const [editing, setEditing] = useState<SegmentJson | undefined>(() => lastSegmentEdit(workspace)?.segment);
  const { modal } = App.useApp();
  // Whether the segment being changed holds changes not saved, as its form last said.
  const dirty = useRef(false);
  const setDirty = useRef((next: boolean) => {
    dirty.current = next;
  }).current;
  /** Leaves the segment being changed for `next` (none: the new segment's form), asking first when that would drop unsaved changes. */
  const leaveEditing = (next: SegmentJson | undefined, then?: () => void) => {
    const go = () => {
      if (editing && next?.key !== editing.key) dropSegmentEdit(workspace, editing.key);
      dirty.current = false;
      setEditing(next);
      then?.();
    };
    if (!editing || !dirty.current || next?.key === editing.key) return go();
    modal.confirm({ title: t('segments.discardTitle', { name: editing.name }), content: t('segments.discardBody'), okText: t('segments.discard'), okButtonProps: { danger: true }, cancelText: t('segments.keepEditing'), onOk: go });
  };
  const [exported, setExported] = useState(0);
  // The segments listed when a new one was saved: the list finds the new one among those it reads next.
  const [savedAfter, setSavedAfter] = useState<ReadonlySet<string>>();
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={9}>
        {/* The new segment's form stays mounted, only hidden, while a saved one is changed: a
            half-built segment is still there after the change is saved or cancelled. */}
        <div hidden={editing !== undefined}>
          <SegmentBuilder
            segments={listed}
            onSaved={() => {
              setSavedAfter(new Set(segments.map((segment) => segment.key)));
              reload();
            }}
          />
        </div>
        {editing && (
          <SegmentBuilder
            // A fresh form per segment edited.
            key={editing.key}
            editing={editing}
            segments={listed}
            onSaved={() => {
              dirty.current = false;
              setEditing(undefined);
              reload();
            }}
            onCancel={() => leaveEditing(undefined)}
            onDirtyChange={setDirty}
          />
        )}
      </Col>
      <Col xs={24} lg={15}>
        <SegmentList
          segments={segments}
          counts={counts}
          countFailures={countFailures}
          loading={loading}
          error={error}
          onEdit={(segment) => {
            // Opening another segment while this one holds unsaved changes would replace them unasked.
            leaveEditing(segment, () => window.scrollTo({ top: 0, behavior: 'smooth' }));
          }}
          onDeleted={(key) => {
            // Only the segment deleted closes; another being changed keeps its changes.
            if (editing?.key === key) {
              dropSegmentEdit(workspace, key);
              dirty.current = false;
              setEditing(undefined);
            }
            reload();
          }}
          savedAfter={savedAfter}
          onSavedShown={() => setSavedAfter(undefined)}
          onExported={() => setExported((n) => n + 1)}
        />
        <SegmentCompare segments={segments} settled={settled && !error} />
        {can('admin') && <ExportLog exported={exported} />}
      </Col>
    </Row>
  );
}
