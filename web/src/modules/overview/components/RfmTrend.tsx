import { Card, Empty } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useSession } from '../../app/hooks/useSession';
import { Chart } from '../../charts/components/Chart';
import { LEGEND_FONT, legendHeight, legendNameWidth, legendRows } from '../../charts/utils/legendRows';
import { modelValueName, type CatalogValue } from '../../models/utils/modelValueName';
import type { TrendJson } from '../hooks/useOverview';

// The bars' area, as tall whatever room the legend above it takes.
const PLOT_HEIGHT = 200;
const GRID_BOTTOM = 24;
// From the legend's last line to the grid: room for the value axis's top label.
const LEGEND_TO_GRID = 17;

/** The width of an element, followed as it changes (0 until it is laid out). */
function useWidth(element: HTMLElement | null): number {
  const [width, setWidth] = useState(0);
  useEffect(() => {
    if (!element) return;
    const observer = new ResizeObserver(() => setWidth(element.clientWidth));
    observer.observe(element);
    return () => observer.disconnect();
  }, [element]);
  return width;
}

/**
 * Daily new customers per RFM level over the last 30 days, stacked; in English the levels by the
 * catalog's English names. Every level's name is in sight at once in the legend, on as many lines
 * as the card's width asks, the bars below it (drawn as SVG, so that the names are text in the page).
 */
export function RfmTrend({ trend, catalog, loading, unread }: { trend: TrendJson | undefined; catalog: readonly CatalogValue[]; loading: boolean; unread: boolean }) {
  const { t, lang } = useSession();
  const [element, setElement] = useState<HTMLDivElement | null>(null);
  const width = useWidth(element);
  const names = useMemo(() => (trend?.series ?? []).map((entry) => modelValueName({ key: entry.value, name: entry.name }, catalog, lang)), [trend, catalog, lang]);
  const gridTop = legendHeight(width > 0 ? legendRows(names, width, legendNameWidth) : 1) + LEGEND_TO_GRID;
  const option = useMemo(() => {
    const compact = new Intl.NumberFormat(lang, { notation: 'compact' });
    return {
      tooltip: { trigger: 'axis' },
      legend: { type: 'plain', top: 0, left: 0, right: 0, textStyle: LEGEND_FONT },
      // The counts' labels measured rather than given a fixed margin, in short numbers (2.1万, 21K) as the RFM
      // chart beside writes them: a shop's first day of RFM puts tens of thousands on a level, cut off at 40 px.
      grid: { left: 8, right: 16, top: gridTop, bottom: GRID_BOTTOM, containLabel: true },
      xAxis: { type: 'category', data: (trend?.dates ?? []).map((date) => date.slice(5)) },
      yAxis: { type: 'value', minInterval: 1, axisLabel: { formatter: (value: number) => compact.format(value) } },
      series: (trend?.series ?? []).map((entry, index) => ({ name: names[index], type: 'bar', stack: 'levels', data: entry.counts })),
    };
  }, [trend, names, gridTop, lang]);
  return (
    // A title that wraps rather than losing its "last 30 days" to an ellipsis: the English one is longer than the card is wide at 1280 px.
    <Card title={t('overview.trend')} loading={loading} styles={{ title: { whiteSpace: 'normal' } }}>
      {/* Not read (the server failed): said, rather than axes without bars as if nobody had reached a level. */}
      {unread ? (
        <Empty data-testid="rfm-trend-unread" image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('common.notLoaded')} />
      ) : trend !== undefined && !trend.series.some((entry) => entry.counts.some((count) => count > 0)) ? (
        // Nobody reached a level in 30 days: said, rather than empty axes.
        <Empty data-testid="rfm-trend-empty" image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('overview.trendEmpty')} />
      ) : (
        <div ref={setElement}>
          <Chart option={option} testId="rfm-trend" height={gridTop + PLOT_HEIGHT + GRID_BOTTOM} renderer="svg" />
        </div>
      )}
    </Card>
  );
}
