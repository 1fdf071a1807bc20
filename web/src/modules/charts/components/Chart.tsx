import { BarChart, LineChart, PieChart, SankeyChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer, SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { useReducedMotion } from '../../app/hooks/useReducedMotion';

// Only the chart types the console draws, so the bundle carries no more of ECharts than that.
echarts.use([BarChart, LineChart, PieChart, SankeyChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer, SVGRenderer]);

export type ChartOption = echarts.EChartsCoreOption;

/**
 * An ECharts chart that follows its option and its container's size. Drawn on a canvas, or as SVG
 * where its labels should be text in the page (read by screen readers, measured by the tests).
 */
export function Chart({ option, height = 300, testId, renderer = 'canvas' }: { option: ChartOption; height?: number; testId?: string; renderer?: 'canvas' | 'svg' }) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const reducedMotion = useReducedMotion();
  useEffect(() => {
    if (!element.current) return;
    const instance = echarts.init(element.current, undefined, { renderer });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element.current);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, [renderer]);
  useEffect(() => {
    chart.current?.setOption(reducedMotion ? { ...option, animation: false } : option, true);
  }, [option, renderer, reducedMotion]);
  return <div ref={element} data-testid={testId} style={{ height, width: '100%' }} />;
}
