import { Card, Col, Row, Statistic } from 'antd';
import { useSession } from '../../app/hooks/useSession';
import type { MessageKey } from '../../app/utils/messages';
import type { TransitionsJson } from '../utils/types';

interface Figure {
  id: string;
  title: MessageKey;
  value: number | null;
}

/** How many held the tag at each end of the period, and what became of them; who stayed and who moved only for a single-valued tag. */
export function TransitionSummary({ answer }: { answer: TransitionsJson }) {
  const { t } = useSession();
  const figures: Figure[] = [
    { id: 'customers-from', title: 'transitions.customersFrom', value: answer.customers_from },
    { id: 'customers-to', title: 'transitions.customersTo', value: answer.customers_to },
    { id: 'stayed', title: 'transitions.stayed', value: answer.stayed },
    { id: 'moved', title: 'transitions.moved', value: answer.moved },
    { id: 'entered', title: 'transitions.entered', value: answer.entered },
    { id: 'left', title: 'transitions.left', value: answer.left },
  ];
  return (
    <Card data-testid="transitions-summary">
      <Row gutter={[16, 16]}>
        {figures
          .filter((figure) => figure.value !== null)
          .map((figure) => (
            <Col key={figure.id} xs={12} sm={8} xl={4}>
              <Statistic data-testid={`transitions-stat-${figure.id}`} title={t(figure.title)} value={figure.value ?? 0} valueStyle={{ fontVariantNumeric: 'tabular-nums' }} />
            </Col>
          ))}
      </Row>
    </Card>
  );
}
