import { Card, Col, Row, Statistic } from 'antd';
import { Link } from 'react-router';
import { useSession } from '../../app/hooks/useSession';
import { formatShare } from '../../app/utils/format';
import type { OverviewTotals } from '../hooks/useOverview';

/** Reminders due, in antd's orange-7: 3.6:1 on white, enough for a figure this large (orange-6 was 2.4:1). */
const DUE_COLOR = '#d46b08';

export function StatCards({ totals, loading }: { totals: OverviewTotals | undefined; loading: boolean }) {
  const { t } = useSession();
  // Figures the server could not give (it is out of reach, say) are a dash, not a count of none.
  const unread = '—';
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} sm={12} lg={6}>
        <Card loading={loading} data-testid="overview-customers">
          <Statistic title={t('overview.customers')} value={totals?.customers ?? unread} valueStyle={{ fontVariantNumeric: 'tabular-nums' }} />
          <span data-testid="customer-count" hidden>{totals?.customers}</span>
        </Card>
      </Col>
      <Col xs={24} sm={12} lg={6}>
        <Card loading={loading}>
          <Statistic title={t('overview.tagged')} value={totals ? formatShare(totals.tagged, totals.customers) : '—'} />
        </Card>
      </Col>
      <Col xs={24} sm={12} lg={6}>
        <Card loading={loading}>
          <Statistic title={t('overview.tags')} value={totals?.tags ?? unread} />
        </Card>
      </Col>
      <Col xs={24} sm={12} lg={6}>
        {/* What the staff owe customers today, one click from the list itself. */}
        {/* A block, so that its outline from the keyboard rings the card (an inline link drew none). */}
        {/* While the card is a skeleton the link holds no words: it is named by the card's title until its figure comes. */}
        <Link to="/care" data-testid="overview-care-due" aria-label={loading ? t('overview.careDue') : undefined} style={{ display: 'block', borderRadius: 8 }}>
          <Card loading={loading} hoverable>
            <Statistic title={t('overview.careDue')} value={totals?.care_due ?? unread} valueStyle={totals && totals.care_due > 0 ? { color: DUE_COLOR } : undefined} />
          </Card>
        </Link>
      </Col>
    </Row>
  );
}
