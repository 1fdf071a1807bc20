import { Alert, Empty, Spin } from 'antd';
import { useEffect, useMemo } from 'react';
import { useApiQuery } from '../../app/hooks/useApiQuery';
import { useReloadWhile } from '../../app/hooks/useReloadWhile';
import { useSession } from '../../app/hooks/useSession';
import type { TagJson } from '../../app/utils/types';
import { Chart } from '../../charts/components/Chart';
import { countLabel } from '../../charts/utils/countLabels';
import { RulePassLine } from '../../tags/components/RulePassProgress';
import { modelValueName, type CatalogValue } from '../utils/modelValueName';
import { valuesFromTop } from '../utils/valuesFromTop';

/**
 * Customers per value of an enabled model's tag; `generation` refetches after a change. In English
 * the values the tag keeps as the catalog named them read by their English names (`catalog`).
 */
export function ModelDistribution({ tagKey, catalog, generation }: { tagKey: string; catalog: readonly CatalogValue[]; generation: number }) {
  const { t, lang } = useSession();
  const tag = useApiQuery<TagJson>(`/tags/${encodeURIComponent(tagKey)}`);
  const { reload } = tag;
  useEffect(() => {
    if (generation > 0) reload();
  }, [generation, reload]);
  // The model's tag is still being applied in the background: the bars grow as it goes.
  useReloadWhile(tag, Boolean(tag.data?.rule_pass));
  const values = useMemo(() => (tag.data ? valuesFromTop(tag.data) : []), [tag.data]);
  const option = useMemo(() => {
    const compact = new Intl.NumberFormat(lang, { notation: 'compact' });
    return {
      tooltip: { trigger: 'axis' },
      // The values' names measured rather than given a fixed margin, which cut the longer English ones (“ortant development”).
      grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
      // Short numbers (2.5K; 2500 and 1万 in Chinese), as the overview's RFM chart: on a phone 1,000 1,500 2,000 ran into each other.
      xAxis: { type: 'value', axisLabel: { hideOverlap: true, formatter: (value: number) => compact.format(value) } },
      // In the order the overview draws them too: RFM's highest level at the top, the lifecycle's stages in their order from the top.
      yAxis: { type: 'category', inverse: true, data: values.map((value) => modelValueName(value, catalog, lang)) },
      series: [{ type: 'bar', data: values.map((value) => value.customers), itemStyle: { color: '#13a8a8' }, label: { show: true, position: 'right', formatter: countLabel(lang) } }],
    };
  }, [values, lang, catalog]);
  // Counts the server could not read are said so, rather than leaving the heading over nothing.
  if (tag.error) return <Alert data-testid="model-distribution-error" type="error" showIcon message={t('common.notLoaded')} description={tag.error.message} />;
  // Still being read: said so, rather than the heading over nothing, which reads as a model without counts.
  if (!tag.data)
    return (
      <div data-testid="model-distribution-loading" style={{ padding: 24, textAlign: 'center' }}>
        <Spin aria-label={t('common.loading')} />
      </div>
    );
  const total = tag.data.customers;
  return (
    <div data-testid="model-distribution" data-total={total}>
      {tag.data.rule_pass && <RulePassLine pass={tag.data.rule_pass} />}
      {total === 0 ? <Empty description={t('models.nobody')} /> : <Chart option={option} height={Math.max(120, values.length * 30 + 40)} renderer="svg" />}
    </div>
  );
}
