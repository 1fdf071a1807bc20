import { Col, Row } from 'antd';
import { usePermissions } from '../../app/hooks/usePermissions';
import { useSegments } from '../hooks/useSegments';
import { SegmentBuilder } from './SegmentBuilder';
import { ExportLog } from './ExportLog';
import { SegmentCompare } from './SegmentCompare';
import { SegmentList } from './SegmentList';

export function SegmentsPage() {
  const { segments, counts, loading, reload } = useSegments();
  const { can } = usePermissions();
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={9}>
        <SegmentBuilder onSaved={reload} />
      </Col>
      <Col xs={24} lg={15}>
        <SegmentList segments={segments} counts={counts} loading={loading} />
        <SegmentCompare segments={segments} />
        {can('admin') && <ExportLog />}
      </Col>
    </Row>
  );
}
