import { Card, Col, Row, Statistic } from 'antd';
import { useSession } from '../../app/hooks/useSession';
import { formatShare } from '../../app/utils/format';

export function StatCards({ totals, loading }: { totals: { customers: number; tagged: number; tags: number } | undefined; loading: boolean }) {
  const { t } = useSession();
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={8}>
        <Card loading={loading}>
          <Statistic title={t('overview.customers')} value={totals?.customers ?? 0} valueStyle={{ fontVariantNumeric: 'tabular-nums' }} />
          <span data-testid="customer-count" hidden>{totals?.customers}</span>
        </Card>
      </Col>
      <Col xs={24} lg={8}>
        <Card loading={loading}>
          <Statistic title={t('overview.tagged')} value={totals ? formatShare(totals.tagged, totals.customers) : '—'} />
        </Card>
      </Col>
      <Col xs={24} lg={8}>
        <Card loading={loading}>
          <Statistic title={t('overview.tags')} value={totals?.tags ?? 0} />
        </Card>
      </Col>
    </Row>
  );
}
