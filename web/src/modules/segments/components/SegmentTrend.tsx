import { Alert, Modal, Spin } from 'antd';
import { useMemo, useState } from 'react';
import { Chart, type ChartOption } from '../../charts/components/Chart';
import { useSession } from '../../app/hooks/useSession';
import { formatShare } from '../../app/utils/format';
import { useSegmentSizes } from '../hooks/useSegmentSizes';
import type { SegmentJson } from '../hooks/useSegments';
import { useFocusReturn } from '../../app/hooks/useFocusReturn';
import { SegmentedChoice } from '../../app/components/SegmentedChoice';

const RANGES = [30, 90, 365] as const;

/** A saved segment's size day by day over a month, a quarter or a year, on a time axis (days without a record stay gaps in time). */
export function SegmentTrend({ segment, onClose }: { segment: SegmentJson; onClose: () => void }) {
  useFocusReturn();
  const { t, lang } = useSession();
  const [days, setDays] = useState<(typeof RANGES)[number]>(90);
  const { sizes, failures } = useSegmentSizes([segment.key], days);
  const points = sizes.get(segment.key);
  const failure = failures.get(segment.key);
  const option = useMemo<ChartOption>(
    () => ({
      grid: { left: 56, right: 24, top: 24, bottom: 32 },
      tooltip: {
        trigger: 'axis',
        formatter: (params: { dataIndex: number }[]) => {
          const point = points?.[params[0]?.dataIndex ?? 0];
          return point ? `${point.day}<br/>${t('segments.trendMembers')}: ${point.members.toLocaleString(lang)}<br/>${t('segments.trendShare')}: ${formatShare(point.members, point.population)}` : '';
        },
      },
      xAxis: { type: 'time', splitNumber: 6, axisLabel: { hideOverlap: true, formatter: '{MM}-{dd}' } },
      yAxis: { type: 'value', name: t('segments.trendMembers'), minInterval: 1 },
      series: [{ type: 'line', name: t('segments.trendMembers'), showSymbol: true, symbolSize: 6, data: (points ?? []).map((point) => [point.day, point.members]) }],
    }),
    [points, t, lang],
  );
  return (
    <Modal open title={t('segments.trendTitle', { name: segment.name })} onCancel={onClose} footer={null} width={720}>
      <SegmentedChoice<(typeof RANGES)[number]> aria-label={t('segments.trendRange')} value={days} onChange={setDays} options={RANGES.map((range) => ({ value: range, label: t('segments.trendDays', { days: range }) }))} style={{ marginBottom: 12 }} />
      {points ? <Chart option={option} testId="segment-trend-chart" height={300} /> : failure !== undefined ? <Alert type="warning" showIcon message={t('segments.sizesFailed', { error: failure })} /> : <Spin />}
      <Alert type="info" showIcon message={t(points?.at(-1)?.recorded === false ? 'segments.trendNotRecorded' : 'segments.trendRecorded')} style={{ marginTop: 12 }} />
    </Modal>
  );
}
