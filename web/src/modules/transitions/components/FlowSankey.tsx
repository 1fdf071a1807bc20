import { Card, Typography } from 'antd';
import { useMemo } from 'react';
import { useSession } from '../../app/hooks/useSession';
import { Chart } from '../../charts/components/Chart';
import type { FlowJson } from '../utils/types';
import { slotId, type ValueSlot } from '../utils/valueSlots';
import { pluralKey } from '../../app/utils/messages';

/** What ECharts hands a sankey's label and tooltip formatters: a node (with our `display`) or a link. */
interface SankeyParams {
  dataType?: string;
  value?: unknown;
  data: { display?: string; source?: string; target?: string };
}

// A value held at the start and the same value held at the end are two nodes, and ECharts
// tells nodes apart by name alone: the name says the side, the label shows the value's name.
const startNode = (id: string) => `start:${id}`;
const endNode = (id: string) => `end:${id}`;

/** The flows of a single-valued tag: values at the start on the left, at the end on the right. */
export function FlowSankey({ slots, flows }: { slots: ValueSlot[]; flows: FlowJson[] }) {
  const { t, lang } = useSession();
  const option = useMemo(() => {
    const starts = new Set(flows.map((flow) => slotId(flow.from)));
    const ends = new Set(flows.map((flow) => slotId(flow.to)));
    const display = new Map<string, string>();
    const nodes = [
      ...slots.filter((slot) => starts.has(slot.id)).map((slot) => ({ name: startNode(slot.id), slot, depth: 0, position: 'right' })),
      ...slots.filter((slot) => ends.has(slot.id)).map((slot) => ({ name: endNode(slot.id), slot, depth: 1, position: 'left' })),
    ].map(({ name, slot, depth, position }) => {
      display.set(name, slot.name);
      return { name, display: slot.name, depth, itemStyle: { color: slot.color }, label: { position } };
    });
    const shown = (name: string | undefined) => (name === undefined ? '' : (display.get(name) ?? name));
    return {
      tooltip: {
        trigger: 'item',
        formatter: (params: SankeyParams) =>
          params.dataType === 'edge'
            ? t(pluralKey('transitions.flowCount', Number(params.value)), { from: shown(params.data.source), to: shown(params.data.target), count: Number(params.value).toLocaleString(lang) })
            : `${params.data.display ?? ''}: ${Number(params.value).toLocaleString(lang)}`,
      },
      series: [
        {
          type: 'sankey',
          left: 8,
          right: 8,
          top: 8,
          bottom: 8,
          nodeWidth: 14,
          nodeGap: 10,
          // In the values' own order (an ordered tag reads top to bottom), not rearranged to shorten the links.
          layoutIterations: 0,
          emphasis: { focus: 'adjacency' },
          label: { formatter: (params: SankeyParams) => params.data.display ?? '' },
          lineStyle: { color: 'gradient', opacity: 0.35, curveness: 0.5 },
          data: nodes,
          links: flows.map((flow) => ({ source: startNode(slotId(flow.from)), target: endNode(slotId(flow.to)), value: flow.customers })),
        },
      ],
    };
  }, [slots, flows, t, lang]);
  return (
    <Card title={t('transitions.flows')}>
      <div style={{ display: 'flex', justifyContent: 'space-between' }}>
        <Typography.Text type="secondary">{t('transitions.heldFrom')}</Typography.Text>
        <Typography.Text type="secondary">{t('transitions.heldTo')}</Typography.Text>
      </div>
      <Chart option={option} testId="transitions-sankey" height={Math.min(480, Math.max(240, slots.length * 40))} />
    </Card>
  );
}
