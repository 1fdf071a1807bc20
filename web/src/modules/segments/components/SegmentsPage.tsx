import { Col, Row } from 'antd';
import { useState } from 'react';
import { usePermissions } from '../../app/hooks/usePermissions';
import { useSegments, type SegmentJson } from '../hooks/useSegments';
import { SegmentBuilder } from './SegmentBuilder';
import { ExportLog } from './ExportLog';
import { SegmentCompare } from './SegmentCompare';
import { SegmentList } from './SegmentList';

export function SegmentsPage() {
  const { segments, counts, countFailures, loading, error, settled, reload } = useSegments();
  // Built on as soon as they are saved: the builders offer the page's own list, read again after each save.
  const listed = settled ? segments : 'pending';
  const { can } = usePermissions();
  const [editing, setEditing] = useState<SegmentJson>();
  const [exported, setExported] = useState(0);
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={9}>
        {/* The new segment's form stays mounted, only hidden, while a saved one is changed: a
            half-built segment is still there after the change is saved or cancelled. */}
        <div hidden={editing !== undefined}>
          <SegmentBuilder segments={listed} onSaved={reload} />
        </div>
        {editing && (
          <SegmentBuilder
            // A fresh form per segment edited.
            key={editing.key}
            editing={editing}
            segments={listed}
            onSaved={() => {
              setEditing(undefined);
              reload();
            }}
            onCancel={() => setEditing(undefined)}
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
            setEditing(segment);
            window.scrollTo({ top: 0, behavior: 'smooth' });
          }}
          onDeleted={() => {
            setEditing(undefined);
            reload();
          }}
          onExported={() => setExported((n) => n + 1)}
        />
        <SegmentCompare segments={segments} settled={settled && !error} />
        {can('admin') && <ExportLog exported={exported} />}
      </Col>
    </Row>
  );
}
