import { Alert, Col, Grid, Row, Space } from 'antd';
import { Link } from 'react-router';
import { usePermissions } from '../../app/hooks/usePermissions';
import { useSession } from '../../app/hooks/useSession';
import { useOverview } from '../hooks/useOverview';
import { DemoOffer } from './DemoOffer';
import { JournalNotice } from './JournalNotice';
import { LifecycleStages } from './LifecycleStages';
import { RecentChanges } from './RecentChanges';
import { RfmChart } from './RfmChart';
import { RfmTrend } from './RfmTrend';
import { SegmentWatch } from './SegmentWatch';
import { StatCards } from './StatCards';

export function OverviewPage() {
  const { t } = useSession();
  const { can } = usePermissions();
  // On a phone the notice's actions go under its text: beside it, they left the text a column a word wide.
  const phone = Grid.useBreakpoint().md === false;
  const { totals, rfm, lifecycle, history, trend, rfmEnabled, rfmKey, modelsLoading, rfmUnread, lifecycleUnread, rfmCatalog, lifecycleCatalog, models } = useOverview();
  // Where a new workspace's customers come from: an import, or the demo store to try the console on.
  const newWorkspaceActions = (touch: boolean) => (
    <>
      {can('write') && (
        // A finger's height on a phone, where the link alone is a line of text high.
        <Link to="/imports" data-testid="overview-import" style={touch ? { display: 'inline-flex', alignItems: 'center', minHeight: 40 } : undefined}>
          {t('overview.importCustomers')}
        </Link>
      )}
      <DemoOffer />
    </>
  );
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      {totals.error && <Alert type="error" showIcon message={t('common.error')} description={totals.error.message} />}
      <JournalNotice />
      {/* A new workspace: zeros and dashes alone would not say where the customers come from. */}
      {totals.data?.customers === 0 && (
        <Alert
          data-testid="overview-no-customers"
          type="info"
          showIcon
          message={t('overview.noCustomers')}
          description={
            <>
              {t('overview.noCustomersHow')}
              {phone && (
                <Space wrap style={{ display: 'flex', marginTop: 8 }}>
                  {newWorkspaceActions(true)}
                </Space>
              )}
            </>
          }
          action={
            phone ? undefined : (
              <Space direction="vertical" align="end">
                {newWorkspaceActions(false)}
              </Space>
            )
          }
        />
      )}
      <StatCards totals={totals.data} loading={totals.loading && !totals.data} />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={14}>
          <RfmChart rfm={rfm.data} catalog={rfmCatalog} tagKey={rfmKey} enabled={rfmEnabled} loading={(modelsLoading || rfm.loading) && !rfm.data && !rfm.error} unread={rfmUnread} />
        </Col>
        <Col xs={24} lg={10}>
          <LifecycleStages lifecycle={lifecycle.data} catalog={lifecycleCatalog} loading={(modelsLoading || lifecycle.loading) && !lifecycle.data && !lifecycle.error} unread={lifecycleUnread} />
        </Col>
      </Row>
      {/* The trend and the segments side by side, the recent changes below across the page: beside them, at half a laptop's width, their tags wrapped line by line. */}
      {/* The segments keep their place in the tree whether the trend shows or not: the trend comes once the models are read, and moving the segments then would read their list, counts and sizes all over again. */}
      <Row gutter={[16, 16]}>
        {rfmEnabled && (
          <Col xs={24} lg={12}>
            <RfmTrend trend={trend.data} catalog={rfmCatalog} loading={trend.loading && !trend.data} unread={trend.error !== undefined && !trend.data} />
          </Col>
        )}
        <Col xs={24} lg={rfmEnabled ? 12 : 24}>
          <SegmentWatch />
        </Col>
      </Row>
      <RecentChanges items={history.data?.items} models={models} loading={history.loading} unread={history.error !== undefined} />
    </Space>
  );
}
