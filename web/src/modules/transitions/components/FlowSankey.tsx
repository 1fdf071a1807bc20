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

// A label sits at the middle of its node, so nodes further apart than a line of label text keep
// the labels of small values (a few customers, a bar a pixel high) from running into each other.
const LABEL_SIZE = 12;
const NODE_GAP = 18;

/** Tall enough for the values, and never so short that the gaps between the nodes leave no room for them. */
function chartHeight(values: number): number {
  return Math.max(240, Math.min(480, values * 40), values * (NODE_GAP + 10) + 16);
}

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
          nodeGap: NODE_GAP,
          // In the values' own order (an ordered tag reads top to bottom), not rearranged to shorten the links.
          layoutIterations: 0,
          emphasis: { focus: 'adjacency' },
          label: { fontSize: LABEL_SIZE, lineHeight: LABEL_SIZE + 2, formatter: (params: SankeyParams) => params.data.display ?? '' },
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
      <Chart option={option} testId="transitions-sankey" renderer="svg" height={chartHeight(slots.length)} />
    </Card>
  );
}
