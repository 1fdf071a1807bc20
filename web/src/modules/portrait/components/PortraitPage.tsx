import { Alert, App, Col, Row, Space, Spin } from 'antd';
import { useParams } from 'react-router';
import { useApi } from '../../app/hooks/useApi';
import { usePermissions } from '../../app/hooks/usePermissions';
import { useSession } from '../../app/hooks/useSession';
import { useTagLibrary } from '../../tags/hooks/useTagLibrary';
import { usePortrait, type PortraitTag } from '../hooks/usePortrait';
import { EraseCustomer } from './EraseCustomer';
import { EventTimeline } from './EventTimeline';
import { PortraitCare } from './PortraitCare';
import { PortraitFields } from './PortraitFields';
import { PortraitMetrics } from './PortraitMetrics';
import { PortraitTags } from './PortraitTags';
import { TagHistoryTable } from './TagHistoryTable';

export function PortraitPage() {
  const { id = '' } = useParams();
  const { t } = useSession();
  const { can } = usePermissions();
  const api = useApi();
  const { message } = App.useApp();
  const portrait = usePortrait(id);
  const library = useTagLibrary();
  const path = `/customers/${encodeURIComponent(id)}/tags`;
  const act = async (work: () => Promise<unknown>, done: string) => {
    try {
      await work();
      message.success(done);
      portrait.reload();
    } catch (error) {
      message.error(error instanceof Error ? error.message : String(error));
    }
  };
  const onAdd = (tag: string, value: string) => act(() => api.post(path, { tag, value }), t('portrait.tagAdded'));
  const onRemove = (tag: PortraitTag) => act(() => api.del(`${path}/${encodeURIComponent(tag.tag)}?value=${encodeURIComponent(tag.value)}`), t('portrait.tagRemoved'));

  if (portrait.error) return <Alert type="error" showIcon message={portrait.error.problem.status === 404 ? t('portrait.notFound') : t('common.error')} description={portrait.error.message} />;
  if (!portrait.data) return <Spin />;
  const data = portrait.data;
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={12}>
        <Space direction="vertical" size={16} style={{ width: '100%' }}>
          <PortraitFields portrait={data} />
          <PortraitTags tags={data.tags} library={library.tags} groups={library.groups} onAdd={onAdd} onRemove={onRemove} editable={can('write')} />
          <PortraitMetrics metrics={data.metrics} />
        </Space>
      </Col>
      <Col xs={24} lg={12}>
        <Space direction="vertical" size={16} style={{ width: '100%' }}>
          <PortraitCare customerId={data.id} />
          <TagHistoryTable history={data.recent_history} />
          <EventTimeline events={data.recent_events} />
          {can('admin') && <EraseCustomer customerId={data.id} />}
        </Space>
      </Col>
    </Row>
  );
}
